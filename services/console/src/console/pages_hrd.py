"""Pages of HRD: the queue of certifications waiting for advice, advice and activation of
many at once (after a confirmation naming how many), readiness and the audit chain."""

from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from console.auth import Officer
from console.clients import ApiError
from console.i18n import parse_ddmmyyyy
from console.web import Pages

MAX_SELECTED = 500


def _age_days(cert: dict[str, Any], now: datetime) -> int:
    submitted = datetime.fromisoformat(str(cert["submitted_at"]).replace("Z", "+00:00"))
    return max(0, (now - submitted).days)


def build_hrd_pages(pages: Pages, who: Any, forms_router: APIRouter) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    Who = Annotated[Officer, Depends(who)]  # noqa: N806

    async def only_hrd(request: Request, officer: Officer) -> Response | None:
        if officer.is_hrd:
            return None
        return await pages.render(
            request,
            "refused.html",
            officer,
            status=403,
            error=ApiError(403, "forbidden", f"only HRD may do this; your role is {officer.role}"),
        )

    @router.get("/queue")
    async def queue(
        request: Request,
        officer: Who,
        department: str | None = None,
        office: str | None = None,
        covers: str | None = None,
        older_than_days: str | None = None,
        cursor: str | None = None,
    ) -> Response:
        if denied := await only_hrd(request, officer):
            return denied
        now = datetime.now(UTC)
        days = int(older_than_days) if older_than_days and older_than_days.isdigit() else None
        before = (now - timedelta(days=days)).isoformat() if days else None
        try:
            page = await pages.apis.certifications(
                officer.token,
                state="submitted",
                department=department,
                office=office,
                covers=covers,
                submitted_before=before,
                cursor=cursor,
                limit=pages.page_size,
            )
        except ApiError as error:
            return await pages.refused(request, officer, error)
        items = [
            {**cert, "age_days": _age_days(cert, now)}
            for cert in page.items
            if (not covers or covers in cert["submission"]["covers"])
            and (days is None or _age_days(cert, now) >= days)
        ]
        filters = {
            "department": department or "",
            "office": office or "",
            "covers": covers or "",
            "older_than_days": older_than_days or "",
        }
        return await pages.render(
            request,
            "queue.html",
            officer,
            items=items,
            filters=filters,
            next_cursor=page.next_cursor,
            errors={},
            advice={"number": "", "date": ""},
        )

    def selection(form: Any) -> tuple[list[str], str, str, date | None, dict[str, str]]:
        ids = list(dict.fromkeys(str(i) for i in form.getlist("ids")))[:MAX_SELECTED]
        number = str(form.get("advice_number") or "").strip()
        when_text = str(form.get("advice_date") or "").strip()
        when = parse_ddmmyyyy(when_text)
        errors = {}
        if not ids:
            errors["ids"] = "err.select"
        if not number:
            errors["advice_number"] = "err.required"
        if when is None:
            errors["advice_date"] = "err.date" if when_text else "err.required"
        return ids, number, when_text, when, errors

    @forms_router.post("/queue/confirm")
    async def confirm(request: Request, officer: Who) -> Response:
        if denied := await only_hrd(request, officer):
            return denied
        ids, number, when_text, _, errors = selection(await request.form())
        if errors:
            return await pages.render(
                request,
                "queue.html",
                officer,
                status=422,
                items=[],
                filters={},
                next_cursor=None,
                errors=errors,
                advice={"number": number, "date": when_text},
            )
        return await pages.render(
            request, "confirm.html", officer, ids=ids, number=number, when=when_text
        )

    @forms_router.post("/queue/decide")
    async def decide(request: Request, officer: Who) -> Response:
        if denied := await only_hrd(request, officer):
            return denied
        ids, number, when_text, when, errors = selection(await request.form())
        if errors or when is None:
            return await pages.render(
                request, "confirm.html", officer, status=422, ids=ids, number=number, when=when_text
            )
        outcomes = await pages.apis.advise_and_activate(officer.token, ids, number, when)
        return await pages.render(
            request,
            "decided.html",
            officer,
            outcomes=outcomes,
            done=sum(1 for o in outcomes if o.ok),
        )

    @router.get("/readiness")
    async def readiness(request: Request, officer: Who) -> Response:
        if denied := await only_hrd(request, officer):
            return denied
        try:
            report = await pages.apis.readiness(officer.token)
        except ApiError as error:
            return await pages.refused(request, officer, error)
        return await pages.render(request, "readiness.html", officer, parts=report["parts"])

    @router.get("/audit")
    async def audit(request: Request, officer: Who) -> Response:
        if denied := await only_hrd(request, officer):
            return denied
        try:
            verdict = await pages.apis.audit(officer.token)
        except ApiError as error:
            return await pages.refused(request, officer, error)
        return await pages.render(request, "audit.html", officer, verdict=verdict)

    return router
