"""python -m notify: the HTTP app and the Kafka app in one process.
python -m notify dlq replay [--since T]: queue dead-lettered SMS again (notify.replay)."""

import sys

from notify.app import create_app
from notify.cli import main
from notify.settings import NotifySettings
from servicekit.runtime import serve

if __name__ == "__main__":
    if len(sys.argv) > 1:
        sys.exit(main(sys.argv[1:]))
    settings = NotifySettings()
    serve(create_app(settings), settings)
