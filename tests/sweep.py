"""Every service built on the real servers with valid credentials for each of its
routes, and the POST routes of its OpenAPI document: for sweeps over all services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fastapi import FastAPI

from certification.app import create_app as create_certification
from ingest.app import create_app as create_ingest
from notify.app import create_app as create_notify
from otp.app import create_app as create_otp
from tests.factories.certification import auth as officer_auth
from tests.factories.certification import settings as certification_settings
from tests.factories.ingest import bearer, ingest_settings
from tests.integration.notify.conftest import REPORT_TOKEN, notify_settings
from tests.integration.otp.conftest import PORTAL_TOKEN, otp_settings
from tests.officers import bearer as officer_bearer

SERVICES = ("ingest", "certification", "otp", "notify")


@dataclass
class Service:
    name: str
    app: FastAPI
    credentials: Callable[[str], dict[str, str]]


def _otp_credentials(path: str) -> dict[str, str]:
    if path.startswith("/v1/otp/"):
        return {"Authorization": f"Bearer {PORTAL_TOKEN}"}
    return officer_bearer("hrd")  # an officer signed in at the real identity provider


def build_service(name: str, kafka: str, mongodb: str) -> Service:
    if name == "ingest":
        return Service(
            name, create_ingest(ingest_settings(kafka, mongodb)), lambda _: bearer("hkrnl")
        )
    if name == "certification":
        app = create_certification(certification_settings(kafka, mongodb))
        return Service(name, app, lambda _: officer_auth("hrd"))
    if name == "otp":
        return Service(name, create_otp(otp_settings(kafka, mongodb)), _otp_credentials)
    settings = notify_settings(kafka, mongodb, "http://127.0.0.1:9").model_copy(
        update={"gateway": "recording"}
    )
    return Service(name, create_notify(settings), lambda _: {"X-Report-Token": REPORT_TOKEN})


def post_routes(app: FastAPI) -> list[str]:
    paths = app.openapi()["paths"]
    found = [path for path, ops in paths.items() if "post" in ops and path.startswith("/v1/")]
    assert found, "every service has POST routes"
    return [path.replace("{source}", "hkrnl").replace("{cert_id}", "cert-x") for path in found]
