"""python -m ingest: the HTTP app and the Kafka app in one process."""

from ingest.app import create_app
from ingest.settings import IngestSettings
from servicekit.runtime import serve

if __name__ == "__main__":
    settings = IngestSettings()
    serve(create_app(settings), settings)
