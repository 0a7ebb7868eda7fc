"""What every page shares: the templates, the language of the session, and `Pages.render`
that gives a template the officer, the texts, the formats and the CSRF token."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from console import i18n
from console.auth import Auth, Officer, csrf_token
from console.clients import ApiError, Apis

TEMPLATES = Path(__file__).parent / "templates"


def lang_of(request: Request) -> i18n.Lang:
    return "hi" if request.session.get("lang") == "hi" else "en"


@dataclass
class Pages:
    templates: Jinja2Templates
    apis: Apis
    auth: Auth
    page_size: int

    async def render(
        self,
        request: Request,
        template: str,
        officer: Officer | None,
        status: int = 200,
        **context: Any,
    ) -> HTMLResponse:
        lang = lang_of(request)
        reasons = await self.apis.reasons()

        def t(key: str, **values: object) -> str:
            return i18n.text(key, lang, **values)

        def reason(code: str) -> dict[str, str]:
            """Title and next step of a gate reason code, in the page's language."""
            found = reasons.get("gate", {}).get(code)
            if not found:
                return {"title": code, "next_step": ""}
            return {"title": found[f"title_{lang}"], "next_step": found[f"next_step_{lang}"]}

        def eligibility(code: str) -> str:
            english = reasons.get("eligibility", {}).get(code, code)
            if lang == "hi":
                return str(reasons.get("eligibility_hi", {}).get(code, english))
            return str(english)

        return self.templates.TemplateResponse(
            request,
            template,
            {
                "officer": officer,
                "lang": lang,
                "t": t,
                "reason": reason,
                "eligibility_text": eligibility,
                "reason_codes": sorted(reasons.get("gate", {})),
                "csrf": csrf_token(request),
                "here": request.url.path + (f"?{request.url.query}" if request.url.query else ""),
                **context,
            },
            status_code=status,
        )

    async def refused(
        self, request: Request, officer: Officer | None, error: ApiError
    ) -> HTMLResponse:
        """A service's refusal as a page; an unusable token means signing in again."""
        if error.status == 401:
            raise error
        status = error.status if error.status in (403, 404, 409, 413, 415, 422) else 502
        return await self.render(request, "refused.html", officer, status=status, error=error)


def templates() -> Jinja2Templates:
    found = Jinja2Templates(directory=TEMPLATES)
    found.env.filters["indian"] = i18n.indian
    found.env.filters["ddmmyyyy"] = i18n.ddmmyyyy
    found.env.autoescape = True
    return found
