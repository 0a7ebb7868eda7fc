"""The last line against hostile input: what only hostile input can raise answers 422.

Each service checks its inputs where it reads them (per field, with a reason); these
handlers catch what slips past such checks, so that a lone surrogate (which UTF-8 cannot
encode: MongoDB, Kafka and the logs fail on it) or a structure nested deeper than Python
can walk never ends in a 500 and a reset connection. Our own texts are valid Unicode and
our own data nests a few levels, so these errors come from the request alone.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

log = logging.getLogger(__name__)


async def _not_unicode(request: Request, error: Exception) -> JSONResponse:
    log.info("refused %s %s: text that is not valid Unicode", request.method, request.url.path)
    return JSONResponse(
        {"detail": "the request holds text that is not valid Unicode (a lone surrogate)"}, 422
    )


async def _too_deep(request: Request, error: Exception) -> JSONResponse:
    log.info("refused %s %s: nested too deeply", request.method, request.url.path)
    return JSONResponse({"detail": "the request nests too deeply to be read"}, 422)


def add_hostile_input_handlers(app: FastAPI) -> None:
    app.add_exception_handler(UnicodeEncodeError, _not_unicode)
    app.add_exception_handler(RecursionError, _too_deep)
