"""python -m notify: the HTTP app and the Kafka app in one process."""

from notify.app import create_app
from notify.settings import NotifySettings
from servicekit.runtime import serve

if __name__ == "__main__":
    settings = NotifySettings()
    serve(create_app(settings), settings)
