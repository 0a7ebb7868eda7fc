"""python -m certification: the HTTP app and the Kafka app in one process."""

from certification.app import create_app
from certification.settings import CertificationSettings
from servicekit.runtime import serve

if __name__ == "__main__":
    settings = CertificationSettings()
    serve(create_app(settings), settings)
