"""The published interfaces: OpenAPI lists every operation; AsyncAPI shows the topic."""

from __future__ import annotations

import json

from certification.app import asyncapi_document, create_app
from certification.domain.model import Submission
from tests.factories.certification import settings


def test_the_openapi_document_lists_every_operation() -> None:
    app = create_app(settings("127.0.0.1:1", "mongodb://127.0.0.1:1/"))

    paths = app.openapi()["paths"]

    assert set(paths["/v1/certifications"]) == {"get", "post"}
    for action in ("advice", "activate", "reject", "revoke"):
        assert "post" in paths[f"/v1/certifications/{{cert_id}}/{action}"]
    assert "get" in paths["/v1/certifications/{cert_id}/letter"]
    assert "get" in paths["/v1/audit/verify"]


def test_the_submission_form_field_documents_a_valid_example() -> None:
    app = create_app(settings("127.0.0.1:1", "mongodb://127.0.0.1:1/"))
    body = app.openapi()["paths"]["/v1/certifications"]["post"]["requestBody"]
    form_ref = body["content"]["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[-1]
    field = app.openapi()["components"]["schemas"][form_ref]["properties"]["submission"]

    (example,) = field["examples"]
    assert Submission.model_validate_json(example).covers == ("non_contractual_head",)


def test_the_asyncapi_document_shows_both_certification_events() -> None:
    document = json.loads(asyncapi_document())

    assert "certifications.v1" in json.dumps(document["channels"])
    schemas = document["components"]["schemas"]
    assert {"CertificationTookEffect", "CertificationRevoked"} <= set(schemas)
