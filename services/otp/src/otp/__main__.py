"""python -m otp: the HTTP app and the Kafka app in one process.
python -m otp evaluate: the rules offline, JSON lines in and out."""

import sys

from otp.app import create_app
from otp.cli import main
from otp.settings import OtpSettings
from servicekit.runtime import serve

if __name__ == "__main__":
    if len(sys.argv) > 1:
        sys.exit(main(sys.argv[1:]))
    settings = OtpSettings()
    if settings.http_workers > 1:  # each worker builds its app from the environment
        serve("otp.app:create_worker_app", settings, workers=settings.http_workers)
    else:
        serve(create_app(settings), settings)
