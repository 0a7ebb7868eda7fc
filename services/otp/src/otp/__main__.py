"""python -m otp: the HTTP app and the Kafka app in one process."""

from otp.app import create_app
from otp.settings import OtpSettings
from servicekit.runtime import serve

if __name__ == "__main__":
    settings = OtpSettings()
    serve(create_app(settings), settings)
