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
    serve(create_app(settings), settings)
