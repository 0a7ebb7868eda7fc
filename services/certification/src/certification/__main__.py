"""python -m certification: with no command, the HTTP app and the Kafka app in one
process; otherwise a CLI command (see `python -m certification --help`)."""

import sys

from certification.app import create_app
from certification.cli import main
from certification.settings import CertificationSettings
from servicekit.runtime import serve

if __name__ == "__main__":
    if len(sys.argv) > 1:
        sys.exit(main(sys.argv[1:]))
    settings = CertificationSettings()
    serve(create_app(settings), settings)
