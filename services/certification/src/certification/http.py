"""HTTP routes of the certification service: a submission, the reads (search, one
certification, its letter) and the audit check; the decisions on a certification are added
from certification.http_decisions. With those, certification.auth (who may call) and
certification.http_refusals (a refusal's status code) are the only modules that pick
status codes.

No `from __future__ import annotations` here: FastAPI must resolve the route-local
`Who` dependency alias when the routes are declared.
"""

import json
from dataclasses import asdict
from datetime import datetime
from typing import Annotated
from urllib.parse import quote

from fastapi import (
    APIRouter,
    Depends,
    File,
    Form,
    HTTPException,
    Query,
    Request,
    Response,
    UploadFile,
)
from pydantic import BaseModel, Field, ValidationError

from certification import hrd, services, tokens
from certification.auth import principal_dependency
from certification.domain import letters
from certification.domain.access import Principal
from certification.domain.listing import CursorError, Listing, decode_cursor, encode_cursor
from certification.domain.model import (
    Certification,
    Letter,
    State,
    Submission,
    example_submission,
)
from certification.domain.refusal import Refusal
from certification.hrd import CertificationView
from certification.http_decisions import add_decision_routes
from certification.http_refusals import refuse, unless_refused
from certification.services import Deps, Upload
from contracts.certification import Covers
from servicekit.aadhaar import redact_aadhaar


class AuditReport(BaseModel):
    ok: bool
    entries: int = Field(description="Entries checked before the first break (all when ok)")
    first_bad_seq: int | None = None
    problem: str | None = None


def letter_headers(meta: Letter) -> dict[str, str]:
    """A letter is downloaded, never shown inline, and never sniffed as anything but a
    PDF; its name is sanitised again (letters stored before names were)."""
    name = letters.safe_filename(meta.filename)
    ascii_name = name.encode("ascii", "replace").decode().replace("?", "_")
    return {
        "X-Content-SHA256": meta.sha256,
        "X-Content-Type-Options": "nosniff",
        "Content-Disposition": f'attachment; filename="{ascii_name}"; '
        f"filename*=UTF-8''{quote(name, safe='')}",
        "Content-Security-Policy": "sandbox",
    }


def _explain(error: ValidationError) -> str:
    """'submission.<field>: <reason>' for up to five problems."""
    parts = []
    for item in error.errors()[:5]:
        field = ".".join(["submission", *(str(p) for p in item["loc"])])
        parts.append(f"{field}: {item['msg']}")
    return "; ".join(parts)


def build_router(deps: Deps, verifier: tokens.OfficerTokens) -> APIRouter:
    router = APIRouter(prefix="/v1", tags=["certifications"])
    principal = principal_dependency(verifier, deps)
    Who = Annotated[Principal, Depends(principal)]  # noqa: N806

    @router.post(
        "/certifications",
        response_model=Certification,
        status_code=201,
        summary="Submit a certification (201); the same letter number again returns it (200)",
    )
    async def submit(
        who: Who,
        request: Request,
        response: Response,
        submission: Annotated[
            str,
            Form(
                description="The Submission, as JSON",
                examples=[json.dumps(example_submission("ebilling:E000123", "DDO-HSR-01"))],
            ),
        ],
        letter: Annotated[UploadFile | None, File(description="Scanned letter (PDF)")] = None,
    ) -> Certification:
        form = await request.form()  # already read (and kept) for the parameters above
        for part in ("submission", "letter"):
            if len(form.getlist(part)) > 1:  # the form reader keeps the last, silently
                message = f"the form gives {part} {len(form.getlist(part))} times; send it once"
                raise HTTPException(422, {"reason": "invalid", "message": message})
        try:
            parsed = Submission.model_validate_json(submission)
        except ValidationError as error:
            raise HTTPException(422, {"reason": "invalid", "message": _explain(error)}) from error
        upload = None
        if letter is not None:
            data = await letter.read(deps.max_letter_bytes + 1)
            upload = Upload(redact_aadhaar(letter.filename or "letter.pdf")[0], data)
        result = await services.submit(deps, who, parsed, upload)
        if isinstance(result, Refusal):
            refuse(result)
        if not result.created:
            response.status_code = 200
        return result.certification

    @router.get(
        "/certifications",
        response_model=list[CertificationView],
        summary="Search, newest first; the next page's cursor is in the X-Next-Cursor header",
    )
    async def search(
        who: Who,
        response: Response,
        office: Annotated[
            str | None, Query(description="Certifying office, or office per the data")
        ] = None,
        department: Annotated[str | None, Query(description="Department per the data")] = None,
        state: State | None = None,
        employee_id: str | None = None,
        covers: Covers | None = None,
        submitted_after: datetime | None = None,
        submitted_before: datetime | None = None,
        cursor: Annotated[str | None, Query(description="X-Next-Cursor of the last page")] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> list[CertificationView]:
        try:
            after = decode_cursor(cursor) if cursor else None
        except CursorError as error:
            raise HTTPException(422, {"reason": "invalid", "message": str(error)}) from error
        listing = Listing(
            office=office,
            department=department,
            state=state,
            employee_id=employee_id,
            covers=covers,
            submitted_after=submitted_after,
            submitted_before=submitted_before,
            after=after,
            limit=limit,
        )
        found = await services.search(deps, who, listing)
        if isinstance(found, Refusal):
            refuse(found)
        if len(found) == limit:
            last = found[-1]
            stamp = last.model_dump(mode="json")["submitted_at"]
            response.headers["X-Next-Cursor"] = encode_cursor(stamp, last.id)
        return await hrd.with_data(deps, found)

    @router.get("/certifications/{cert_id}", response_model=CertificationView)
    async def show(who: Who, cert_id: str) -> CertificationView:
        cert = unless_refused(await services.show(deps, who, cert_id))
        [view] = await hrd.with_data(deps, [cert])
        return view

    add_decision_routes(router, deps, principal)

    @router.get(
        "/certifications/{cert_id}/letter",
        response_class=Response,
        responses={200: {"content": {"application/pdf": {}}}},
    )
    async def letter(who: Who, cert_id: str) -> Response:
        found = await services.letter_of(deps, who, cert_id)
        if isinstance(found, Refusal):
            refuse(found)
        meta, data = found
        return Response(data, media_type="application/pdf", headers=letter_headers(meta))

    @router.get("/audit/verify", response_model=AuditReport, tags=["audit"])
    async def verify(who: Who) -> AuditReport:
        verdict = await services.verify_audit(deps, who)
        if isinstance(verdict, Refusal):
            refuse(verdict)
        return AuditReport(**asdict(verdict))

    return router
