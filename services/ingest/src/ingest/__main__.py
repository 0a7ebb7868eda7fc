"""python -m ingest: with no arguments, the HTTP app and the Kafka app in one process;
otherwise a CLI command (upload, completeness, generate)."""

import sys

from ingest.app import create_app
from ingest.cli import main
from ingest.settings import IngestSettings
from servicekit.runtime import serve

if __name__ == "__main__":
    if len(sys.argv) > 1:
        sys.exit(main(sys.argv[1:]))
    settings = IngestSettings()
    serve(create_app(settings), settings)
