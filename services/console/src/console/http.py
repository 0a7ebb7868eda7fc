"""Routes of the console: one per page or form. Every POST goes through `forms`, whose
dependency refuses a form without the session's CSRF token (403)."""

from typing import Annotated

import httpx
from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from console.auth import Officer, SignInRequiredError, check_csrf, safe_next
from console.clients import ApiError
from console.i18n import LANGS
from console.pages_department import build_department_pages
from console.pages_hrd import build_hrd_pages
from console.web import Pages


def build_routes(app: FastAPI, pages: Pages) -> None:
    auth = pages.auth

    async def who(request: Request) -> Officer:
        return await auth.officer(request)

    Who = Annotated[Officer, Depends(who)]  # noqa: N806
    pages_router = APIRouter(include_in_schema=False)
    forms = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])

    @pages_router.get("/")
    async def home(request: Request) -> Response:
        if "officer" not in request.session:
            return await pages.render(
                request, "welcome.html", None, signed_out="signed_out" in request.query_params
            )
        officer = await who(request)
        return RedirectResponse("/queue" if officer.is_hrd else "/blocked", 303)

    @pages_router.get("/signed-out")
    async def signed_out() -> Response:
        return RedirectResponse("/?signed_out=1", 303)

    @forms.post("/language")
    async def language(request: Request) -> Response:
        form = await request.form()
        chosen = str(form.get("lang"))
        if chosen in LANGS:
            request.session["lang"] = chosen
        return RedirectResponse(safe_next(str(form.get("next") or "/")), 303)

    @forms.post("/logout")
    async def logout(request: Request, _: Who) -> Response:
        return await auth.sign_out(request)

    department = build_department_pages(pages, who, forms)
    hrd = build_hrd_pages(pages, who, forms)
    app.include_router(auth.router())
    for router in (pages_router, department, hrd, forms):
        app.include_router(router)

    @app.exception_handler(SignInRequiredError)
    async def sign_in(_: Request, error: SignInRequiredError) -> Response:
        return RedirectResponse(f"/login?next={error.next_path}", 303)

    @app.exception_handler(ApiError)
    async def api_refused(request: Request, error: ApiError) -> Response:
        if error.status == 401 and auth.just_signed_in(request):
            return await pages.render(request, "refused.html", None, status=401, error=error)
        if error.status == 401:
            auth.forget(request)
            return RedirectResponse(f"/login?next={auth.come_back_to(request)}", 303)
        return await pages.refused(request, await signed_in(request), error)

    @app.exception_handler(httpx.HTTPError)
    async def unavailable(request: Request, error: httpx.HTTPError) -> Response:
        where = error.request.url.netloc.decode() if hasattr(error, "_request") else "a service"
        refusal = ApiError(503, "unavailable", f"{where} did not answer ({type(error).__name__})")
        officer = await signed_in(request)
        return await pages.render(request, "refused.html", officer, status=503, error=refusal)

    async def signed_in(request: Request) -> Officer | None:
        """The officer for the page's header, if any (an error page never asks to sign in)."""
        if "officer" not in request.session:
            return None
        try:
            return await who(request)
        except SignInRequiredError:
            return None

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Response:
        officer = await signed_in(request)
        if error.detail == "csrf":
            refusal = ApiError(403, "csrf", "")
            return await pages.render(
                request, "refused.html", officer, status=403, error=refusal, csrf_refused=True
            )
        refusal = ApiError(error.status_code, "", str(error.detail))
        return await pages.render(
            request, "refused.html", officer, status=error.status_code, error=refusal
        )
