"""Pages of departments (DDO, HOD, administrative secretary): blocked people, one person,
the certify form, their certifications; and the certification page HRD shares."""

import csv
import io
import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from console import forms
from console.auth import Officer
from console.clients import ApiError
from console.web import Pages

CSV_COLUMNS = ("employee_id", "ddo_code", "name_initials", "mobile", "family_id", "reason_codes")


def build_department_pages(pages: Pages, who: Any, forms_router: APIRouter) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    Who = Annotated[Officer, Depends(who)]  # noqa: N806

    async def blocked_rows(officer: Officer, office: str | None, reason: str | None) -> Any:
        rows = await pages.apis.blocked(officer.token, office)
        if reason:
            rows = [r for r in rows if reason in r["reason_codes"].split(";")]
        return rows

    @router.get("/blocked")
    async def blocked(
        request: Request, officer: Who, reason: str | None = None, office: str | None = None
    ) -> Response:
        try:
            rows = await blocked_rows(officer, office or None, reason or None)
        except ApiError as error:
            return await pages.refused(request, officer, error)
        return await pages.render(
            request,
            "blocked.html",
            officer,
            rows=rows[: pages.page_size * 10],
            total=len(rows),
            chosen_reason=reason or "",
            chosen_office=office or "",
            # a department-wide officer's offices come from the data, not from the token
            offices=officer.offices
            or sorted({r["ddo_code"] for r in rows} | {office or ""} - {""}),
        )

    @router.get("/blocked.csv")
    async def blocked_csv(
        officer: Who, reason: str | None = None, office: str | None = None
    ) -> Response:
        rows = await blocked_rows(officer, office or None, reason or None)
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]) if rows else CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
        return Response(
            buffer.getvalue(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="blocked.csv"'},
        )

    @router.get("/people/{employee_id}")
    async def person(request: Request, officer: Who, employee_id: str) -> Response:
        try:
            record = await pages.apis.record(officer.token, employee_id)
            decision = await pages.apis.decision(officer.token, employee_id)
            found = await pages.apis.certifications(officer.token, employee_id=employee_id)
        except ApiError as error:
            return await pages.refused(request, officer, error)
        sources: list[tuple[str, dict[str, Any] | None]] = [(employee_id, record)]
        for linked in record.get("linked_employee_ids") or []:
            try:
                sources.append((linked, await pages.apis.record(officer.token, linked)))
            except ApiError:
                sources.append((linked, None))
        return await pages.render(
            request,
            "person.html",
            officer,
            employee_id=employee_id,
            sources=sources,
            decision=decision,
            certifications=found.items,
        )

    async def certify_page(
        request: Request, officer: Officer, form: forms.CertifyForm, status: int = 200
    ) -> Response:
        return await pages.render(
            request,
            "certify.html",
            officer,
            status=status,
            form=form,
            covers=forms.COVERS,
            attestations=forms.ATTESTATIONS,
        )

    @router.get("/people/{employee_id}/certify")
    async def certify(request: Request, officer: Who, employee_id: str) -> Response:
        if officer.is_hrd:
            error = ApiError(403, "forbidden", "HRD advises certifications; departments certify")
            return await pages.refused(request, officer, error)
        try:
            record = await pages.apis.record(officer.token, employee_id)
            decision = await pages.apis.decision(officer.token, employee_id)
        except ApiError as error:
            return await pages.refused(request, officer, error)
        form = forms.prefilled(employee_id, record, decision)
        form.values["officer_name"] = officer.name
        return await certify_page(request, officer, form)

    @forms_router.post("/people/{employee_id}/certify")
    async def submit(
        request: Request,
        officer: Who,
        employee_id: str,
        letter: Annotated[UploadFile | None, File()] = None,
    ) -> Response:
        data = await request.form()
        form = forms.read(
            employee_id,
            {k: v for k, v in data.items() if isinstance(v, str)},
            [str(c) for c in data.getlist("covers")],
            [str(a) for a in data.getlist("attest")],
        )
        upload = None
        if letter is not None and letter.filename:
            upload = (letter.filename, await letter.read())
        submission = forms.check(form, upload)
        if submission is None or upload is None:
            return await certify_page(request, officer, form, status=422)
        submission["officer_role"] = officer.role
        try:
            created = await pages.apis.submit(officer.token, json.dumps(submission), upload)
        except ApiError as error:
            if error.status == 422 and (name := forms.field_of(error.message)):
                form.errors[name] = error.message
                return await certify_page(request, officer, form, status=422)
            return await pages.refused(request, officer, error)
        return RedirectResponse(f"/certifications/{created['id']}?submitted=1", 303)

    @router.get("/certifications")
    async def mine(
        request: Request, officer: Who, state: str | None = None, cursor: str | None = None
    ) -> Response:
        try:
            found = await pages.apis.certifications(
                officer.token, state=state, cursor=cursor, limit=pages.page_size
            )
        except ApiError as error:
            return await pages.refused(request, officer, error)
        return await pages.render(
            request,
            "certifications.html",
            officer,
            items=found.items,
            chosen_state=state or "",
            next_cursor=found.next_cursor,
        )

    @router.get("/certifications/{cert_id}")
    async def one(request: Request, officer: Who, cert_id: str) -> Response:
        try:
            cert = await pages.apis.certification_of(officer.token, cert_id)
        except ApiError as error:
            return await pages.refused(request, officer, error)
        return await pages.render(
            request,
            "certification.html",
            officer,
            cert=cert,
            submitted="submitted" in request.query_params,
            errors={},
        )

    @router.get("/certifications/{cert_id}/letter")
    async def letter_pdf(officer: Who, cert_id: str) -> Response:
        data = await pages.apis.letter(officer.token, cert_id)
        headers = {"Content-Disposition": f'inline; filename="{cert_id}.pdf"'}
        return Response(data, media_type="application/pdf", headers=headers)

    async def with_reason(
        request: Request, officer: Officer, cert_id: str, action: str
    ) -> Response:
        reason = str((await request.form()).get("reason") or "").strip()
        try:
            cert = await pages.apis.certification_of(officer.token, cert_id)
            if len(reason) < 3:
                return await pages.render(
                    request,
                    "certification.html",
                    officer,
                    status=422,
                    cert=cert,
                    submitted=False,
                    errors={action: "err.reason"},
                )
            call = pages.apis.revoke if action == "revoke" else pages.apis.reject
            await call(officer.token, cert_id, reason)
        except ApiError as error:
            return await pages.refused(request, officer, error)
        return RedirectResponse(f"/certifications/{cert_id}", 303)

    @forms_router.post("/certifications/{cert_id}/revoke")
    async def revoke(request: Request, officer: Who, cert_id: str) -> Response:
        return await with_reason(request, officer, cert_id, "revoke")

    @forms_router.post("/certifications/{cert_id}/reject")
    async def reject(request: Request, officer: Who, cert_id: str) -> Response:
        return await with_reason(request, officer, cert_id, "reject")

    return router
