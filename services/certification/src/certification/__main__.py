"""python -m certification: with no command, the HTTP app and the Kafka app in one
process; otherwise a CLI command (see `python -m certification --help`)."""

import sys


def _serve() -> None:
    # Imported here so CLI commands start without loading the web and Kafka stacks.
    from certification.app import create_app
    from certification.settings import CertificationSettings
    from servicekit.runtime import serve

    settings = CertificationSettings()
    serve(create_app(settings), settings)


if __name__ == "__main__":
    if len(sys.argv) > 1:
        from certification.cli import main

        sys.exit(main(sys.argv[1:]))
    _serve()
