"""The last line against hostile input: what only hostile input can raise answers 422.

Each service checks its inputs where it reads them (per field, with a reason); these
handlers catch what slips past such checks, so that a lone surrogate (which UTF-8 cannot
encode: MongoDB, Kafka and the logs fail on it) or a structure nested deeper than Python
can walk never ends in a 500 and a reset connection. Our own texts are valid Unicode and
our own data nests a few levels, so these errors come from the request alone.
"""

from __future__ import annotations

import logging
import math
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette import formparsers

log = logging.getLogger(__name__)


async def _not_unicode(request: Request, error: Exception) -> JSONResponse:
    log.info("refused %s %s: text that is not valid Unicode", request.method, request.url.path)
    return JSONResponse(
        {"detail": "the request holds text that is not valid Unicode (a lone surrogate)"}, 422
    )


async def _too_deep(request: Request, error: Exception) -> JSONResponse:
    log.info("refused %s %s: nested too deeply", request.method, request.url.path)
    return JSONResponse({"detail": "the request nests too deeply to be read"}, 422)


def _json_safe(value: Any) -> Any:
    """`value` with each number JSON cannot carry (NaN, Infinity: Python's JSON reader
    accepts them, its writer refuses them) written as its name instead."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, list):
        return [_json_safe(item) for item in value]
    if isinstance(value, dict):
        return {key: _json_safe(item) for key, item in value.items()}
    return value


async def _invalid(request: Request, error: Exception) -> JSONResponse:
    """FastAPI's own 422, whose `input` echoes what was sent: a body holding NaN or
    Infinity (read by Python's JSON parser) made rendering that echo raise, a 500."""
    assert isinstance(error, RequestValidationError)
    return JSONResponse({"detail": _json_safe(jsonable_encoder(error.errors()))}, 422)


def _strict_text(src: bytes | bytearray, codec: str) -> str:
    """A form part's text (a field, a field name, a file name) in its charset, or a 400
    naming the problem: the form reader's own fallback read any bytes that are not
    UTF-8 as Latin-1, so `\\xff\\xfe` in an officer's name passed as `ÿþ`, silently."""
    try:
        return src.decode(codec)
    except (UnicodeDecodeError, LookupError) as error:
        raise formparsers.MultiPartException(f"a form part is not {codec} text: {error}") from None


def add_hostile_input_handlers(app: FastAPI) -> None:
    # the form reader has no setting for it: its one decoding function is replaced
    formparsers._user_safe_decode = _strict_text
    app.add_exception_handler(UnicodeEncodeError, _not_unicode)
    app.add_exception_handler(RecursionError, _too_deep)
    app.add_exception_handler(RequestValidationError, _invalid)
