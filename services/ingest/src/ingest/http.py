"""HTTP routes of the ingest service; the only module that picks status codes."""

from __future__ import annotations

import logging
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import IO, Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Query, Request
from pydantic import SecretStr
from starlette.datastructures import Headers

from ingest import employees, master_data, services
from ingest.auth import check
from ingest.domain.columns import MissingColumnsError
from ingest.domain.encoding import UnknownEncodingError, declared
from ingest.metrics import IngestMetrics
from ingest.reports import BatchReport, CompletenessReport, Rejected, UploadSource
from ingest.uploads import PushTooLargeError, new_stats, parse_file, parse_push, push_records
from servicekit.aadhaar import new_id, redact_aadhaar
from servicekit.guard import Rule
from servicekit.text import printable, without_format

log = logging.getLogger(__name__)
SPOOL_IN_MEMORY = 1024 * 1024
AsOf = Annotated[
    datetime | None,
    Query(
        description="As-of time of the data (ISO 8601; UTC if no zone); default now. A time"
        " more than 5 minutes later than now is refused (422)"
    ),
]
# How far a source system's clock may run ahead of ours.
CLOCK_SKEW = timedelta(minutes=5)
Auth = Annotated[str | None, Header(description="Bearer <token of the source system>")]


@dataclass(frozen=True)
class Api:
    deps: services.Deps
    tokens: dict[str, SecretStr]
    max_upload_bytes: int
    max_push_records: int
    metrics: IngestMetrics
    clock: Callable[[], datetime]
    max_json_bytes: int = 16 * 1024 * 1024  # a JSON body is parsed whole, in memory


def _authorize(api: Api, authorization: str | None, source: str | None) -> None:
    verdict = check(authorization, api.tokens, source)
    if verdict == "unauthenticated":
        raise HTTPException(
            401, "missing or invalid bearer token", headers={"WWW-Authenticate": "Bearer"}
        )
    if verdict == "forbidden":
        raise HTTPException(403, f"this token may not send or read {source} data")


def guard_rules(api: Api, max_push_bytes: int, max_request_bytes: int) -> list[Rule]:
    """Every /v1 route needs a source's token before its body is read (which source may
    send what is then decided by the route); the push and the uploads have their own
    byte limits, every other route `max_request_bytes`."""

    async def any_source(headers: Headers) -> None:
        _authorize(api, headers.get("authorization"), None)

    return [
        Rule(r"/v1/hkrnl/records", max_push_bytes, any_source),
        Rule(r"/v1/uploads/[^/]+", api.max_upload_bytes, any_source),
        Rule(r"/v1/.*", max_request_bytes, any_source),
    ]


def _too_large(limit: int, is_json: bool) -> HTTPException:
    if is_json:
        return HTTPException(
            413,
            f"request body exceeds {limit} bytes: a JSON body is read whole; "
            "send a larger file as CSV",
        )
    return HTTPException(413, f"request body exceeds {limit} bytes")


async def _spool(request: Request, api: Api) -> IO[bytes]:
    """Copy the body to a temporary file chunk by chunk, refusing it past the limit (a
    JSON body, which is then parsed whole, past `max_json_bytes`)."""
    is_json = "json" in request.headers.get("content-type", "")
    limit = min(api.max_json_bytes, api.max_upload_bytes) if is_json else api.max_upload_bytes
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(limit, is_json)
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            spool.close()
            raise _too_large(limit, is_json)
        spool.write(chunk)
    return spool


def _batch(
    api: Api, source: UploadSource, file_name: str | None, as_of: datetime | None
) -> services.Batch:
    now = api.clock()
    when = as_of or now
    when = when if when.tzinfo else when.replace(tzinfo=UTC)
    if when > now + CLOCK_SKEW:
        # its version would outrank every later record of these people, for good
        raise HTTPException(
            422,
            f"as_of: {when.isoformat()} is later than now ({now.isoformat(timespec='seconds')});"
            " data cannot be as of a time still to come",
        )
    stamp = now.strftime("%Y%m%dT%H%M%S")
    name = printable(redact_aadhaar(without_format(file_name))[0])[:200] if file_name else None
    batch_id = new_id(lambda: f"{source}-{stamp}-{uuid.uuid4().hex[:8]}")
    return services.Batch(batch_id, source, name, when, now)


async def _run(
    api: Api, source: UploadSource, body: IO[bytes], content_type: str, batch: services.Batch
) -> BatchReport:
    stats = new_stats()
    try:
        encoding = declared(content_type)
        items = parse_file(
            source, body, "json" in content_type, stats, batch.as_of.date(), encoding
        )
    except UnknownEncodingError as error:
        raise HTTPException(415, str(error)) from error
    except ValueError as error:
        raise HTTPException(422, str(error)) from error
    return await _ingest(api, source, items, stats, batch)


async def _ingest(
    api: Api, source: UploadSource, items: Any, stats: Any, batch: services.Batch
) -> BatchReport:
    try:
        if source == "master":
            report = await master_data.ingest_master(items, stats, batch, api.deps, api.clock)
        else:
            report = await employees.ingest_employees(items, stats, batch, api.deps, api.clock)
    except MissingColumnsError as error:  # raised at the header, before any row is kept
        raise HTTPException(422, error.detail()) from error
    except services.BatchFailedError as error:
        log.warning("batch %s (%s) stopped: %s", batch.batch_id, source, error)
        detail: Any = error.report.model_dump(mode="json") if error.report else str(error)
        raise HTTPException(503, detail, headers={"Retry-After": "30"}) from error
    api.metrics.observe(report)
    log.info(
        "batch %s (%s): received %d, accepted %d, rejected %d, published %d, unchanged %d,"
        " stale %d",
        *(report.batch_id, report.source, report.received, report.accepted, report.rejected),
        *(report.published, report.unchanged, report.stale),
    )
    return report


def _body(media_type: str, description: str, schema: Any = None) -> dict[str, Any]:
    """The request body a route reads itself (streamed), as its OpenAPI page shows it."""
    content = {media_type: {"schema": schema or {"type": "string", "format": "binary"}}}
    return {"requestBody": {"required": True, "description": description, "content": content}}


def build_router(api: Api) -> APIRouter:
    router = APIRouter(prefix="/v1", tags=["ingest"])

    @router.post(
        "/hkrnl/records",
        summary="HKRNL push: one Part-I record or up to 1,000",
        openapi_extra=_body(
            "application/json",
            "One record (an object) or an array of them",
            {"oneOf": [{"type": "object"}, {"type": "array", "items": {"type": "object"}}]},
        ),
    )
    async def push_hkrnl(
        request: Request, authorization: Auth = None, as_of: AsOf = None
    ) -> BatchReport:
        _authorize(api, authorization, "hkrnl")
        body = await _spool(request, api)
        with body:
            body.seek(0)
            payload = body.read()
        try:
            records = push_records(payload, api.max_push_records)
        except PushTooLargeError as error:
            raise HTTPException(413, str(error)) from error
        except ValueError as error:
            raise HTTPException(422, str(error)) from error
        stats, batch = new_stats(), _batch(api, "hkrnl", None, as_of)
        items = parse_push(records, stats, batch.as_of.date())
        return await _ingest(api, "hkrnl", items, stats, batch)

    @router.post(
        "/uploads/{source}",
        summary="Upload a CSV file (streamed); returns the batch report",
        openapi_extra=_body("text/csv", "The file (UTF-8 unless a charset is declared)"),
    )
    async def upload(
        source: UploadSource,
        request: Request,
        authorization: Auth = None,
        as_of: AsOf = None,
        file_name: Annotated[str | None, Query(description="Name shown in the report")] = None,
    ) -> BatchReport:
        _authorize(api, authorization, source)
        body = await _spool(request, api)
        content_type = request.headers.get("content-type", "")
        with body:
            batch = _batch(api, source, file_name, as_of)
            return await _run(api, source, body, content_type, batch)

    @router.get("/batches/{batch_id}", summary="The report of one batch")
    async def get_batch(batch_id: str, authorization: Auth = None) -> BatchReport:
        _authorize(api, authorization, None)
        report = await services.batch_report(api.deps, batch_id)
        if report is None:
            raise HTTPException(404, f"no batch {batch_id}")
        _authorize(api, authorization, report.source)
        return report

    @router.get("/batches/{batch_id}/rejections", summary="Rejected rows of a batch, with reasons")
    async def get_rejections(
        batch_id: str,
        authorization: Auth = None,
        skip: Annotated[int, Query(ge=0)] = 0,
        limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
    ) -> list[Rejected]:
        await get_batch(batch_id, authorization)
        return await services.rejections(api.deps, batch_id, skip, limit)

    @router.get("/reports/completeness", summary="Codes in use but missing from master data")
    async def get_completeness(authorization: Auth = None) -> CompletenessReport:
        _authorize(api, authorization, None)
        return await services.completeness(api.deps, api.clock())

    return router
