"""python -m console: the web console's HTTP app under uvicorn (logs through the kit's
PII filter, like every service)."""

import uvicorn

from console.app import create_app
from console.settings import ConsoleSettings
from servicekit.pii import configure_logging

if __name__ == "__main__":
    settings = ConsoleSettings()
    configure_logging(settings.log_level)
    uvicorn.run(
        create_app(settings),
        host=settings.http_host,
        port=settings.http_port,
        log_config=None,
        access_log=False,
        proxy_headers=True,
    )
