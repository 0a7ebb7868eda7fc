"""The published interfaces: OpenAPI lists every operation; AsyncAPI shows the topic."""

from __future__ import annotations

import json

from certification.app import asyncapi_document, create_app
from tests.factories.certification import settings


def test_the_openapi_document_lists_every_operation() -> None:
    app = create_app(settings("127.0.0.1:1", "mongodb://127.0.0.1:1/"))

    paths = app.openapi()["paths"]

    assert set(paths["/v1/certifications"]) == {"get", "post"}
    for action in ("advice", "activate", "reject", "revoke"):
        assert "post" in paths[f"/v1/certifications/{{cert_id}}/{action}"]
    assert "get" in paths["/v1/certifications/{cert_id}/letter"]
    assert "get" in paths["/v1/audit/verify"]


def test_the_asyncapi_document_shows_both_certification_events() -> None:
    document = json.loads(asyncapi_document())

    assert "certifications.v1" in json.dumps(document["channels"])
    schemas = document["components"]["schemas"]
    assert {"CertificationTookEffect", "CertificationRevoked"} <= set(schemas)
