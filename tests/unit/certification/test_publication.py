"""Outbox-like publication: a failed publish is kept and retried with the same event id."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime

import pytest
from prometheus_client import CollectorRegistry

from certification import services
from certification.domain.access import Principal
from certification.domain.model import Certification, Submission
from certification.domain.refusal import Refusal
from certification.metrics import Metrics
from certification.services import Deps, Upload
from tests.factories.certification import PDF, submission
from tests.unit.certification.fakes import FakeDirectory, FakeLetters, FakeStore, FlakyPublisher

DDO = Principal("officer", "ddo", frozenset({"D1"}))
HRD = Principal("hrd-desk", "hrd", frozenset())


@pytest.fixture
def registry() -> CollectorRegistry:
    return CollectorRegistry()


@pytest.fixture
def deps(registry: CollectorRegistry) -> Deps:
    ids = itertools.count(1)
    return Deps(
        store=FakeStore(),
        directory=FakeDirectory(default_office="D1"),
        letters=FakeLetters(),
        publisher=FlakyPublisher(),
        metrics=Metrics(registry),
        clock=lambda: datetime(2026, 3, 1, tzinfo=UTC),
        new_id=lambda: f"c{next(ids)}",
        max_letter_bytes=1000,
    )


def _publisher(deps: Deps) -> FlakyPublisher:
    assert isinstance(deps.publisher, FlakyPublisher)
    return deps.publisher


async def _advised(deps: Deps) -> Certification:
    made = await services.submit(deps, DDO, Submission.model_validate(submission("D1")), None)
    assert isinstance(made, services.Submitted)
    advised = await services.advise(deps, HRD, made.certification.id, "ADV", date(2026, 2, 25))
    assert isinstance(advised, Certification)
    return advised


async def test_submitted_and_advised_certifications_publish_nothing(deps: Deps) -> None:
    await _advised(deps)

    assert _publisher(deps).sent == []


async def test_a_failed_publish_stays_pending_and_is_sent_once_later(deps: Deps) -> None:
    cert = await _advised(deps)
    _publisher(deps).down = True

    effective = await services.activate(deps, HRD, cert.id)
    _publisher(deps).down = False
    first = await services.republish_pending(deps)
    second = await services.republish_pending(deps)

    assert isinstance(effective, Certification)
    assert effective.state == "effective"
    assert (first, second) == (1, 0)
    assert [e.event_id for e in _publisher(deps).sent] == [f"{cert.id}-v3"]
    assert _publisher(deps).sent[0].source_version == 3


async def test_a_revocation_after_an_unpublished_effect_publishes_the_newest_state(
    deps: Deps,
) -> None:
    cert = await _advised(deps)
    _publisher(deps).down = True
    await services.activate(deps, HRD, cert.id)
    _publisher(deps).down = False

    await services.revoke(deps, DDO, cert.id, "left service")

    assert [e.event_type for e in _publisher(deps).sent] == ["CertificationRevoked"]
    assert await services.republish_pending(deps) == 0


async def test_a_repeated_submission_returns_the_first_without_a_second_letter(
    deps: Deps,
) -> None:
    sub = Submission.model_validate(submission("D1"))
    upload = Upload("letter.pdf", PDF)

    first = await services.submit(deps, DDO, sub, upload)
    again = await services.submit(deps, DDO, sub, upload)

    assert isinstance(first, services.Submitted)
    assert isinstance(again, services.Submitted)
    assert (first.created, again.created) == (True, False)
    assert again.certification.id == first.certification.id
    assert isinstance(deps.letters, FakeLetters)
    assert len(deps.letters.files) == 1


async def test_a_refusal_is_counted_by_reason(deps: Deps, registry: CollectorRegistry) -> None:
    refused = await services.activate(deps, DDO, "c1")

    assert isinstance(refused, Refusal)
    sample = registry.get_sample_value("certification_refusals_total", {"reason": "forbidden"})
    assert sample == 1
