"""Every subscriber of every service commits offsets only after its handler: no
auto-commit, which would make delivery at most once."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from faststream.kafka import KafkaBroker
from faststream.kafka.subscriber.usecase import BatchSubscriber

from scripts.asyncapi import SERVICES
from servicekit.batches import held_fetch


def _broker(service: str) -> KafkaBroker:
    module: Any = importlib.import_module(f"{service}.app")
    document_builder = module.asyncapi_document  # builds the app with placeholder secrets
    assert document_builder
    captured: list[KafkaBroker] = []
    original = module.asyncapi_json
    module.asyncapi_json = lambda broker, *_: captured.append(broker) or ""
    try:
        module.asyncapi_document()
    finally:
        module.asyncapi_json = original
    return captured[0]


@pytest.mark.parametrize("service", SERVICES)
def test_no_subscriber_auto_commits(service: str) -> None:
    broker = _broker(service)
    for subscriber in broker.subscribers:
        args = subscriber._connection_args  # type: ignore[attr-defined]
        assert args["enable_auto_commit"] is False, (service, subscriber)
        assert args["auto_offset_reset"] == "earliest", (service, subscriber)


@pytest.mark.parametrize(
    ("service", "topic"),
    [("otp", "certifications.v1")],
)
def test_busy_topics_are_consumed_by_one_consumer_per_partition(service: str, topic: str) -> None:
    subscribers = _broker(service).subscribers
    [subscriber] = [s for s in subscribers if topic in [t.name for t in s.topics]]  # type: ignore[attr-defined]
    assert getattr(subscriber, "max_workers", 1) == 3  # the default consumer_workers


@pytest.mark.parametrize(
    ("service", "topic"),
    [
        ("otp", "employee-records.v1"),
        ("certification", "employee-records.v1"),
        ("notify", "sms-requests.v1"),
        ("otp", "sms-status.v1"),
    ],
)
def test_the_busiest_topics_are_handled_in_batches_with_commits_after_each_batch(
    service: str, topic: str
) -> None:
    subscribers = _broker(service).subscribers
    [records] = [s for s in subscribers if topic in [t.name for t in s.topics]]  # type: ignore[attr-defined]
    assert isinstance(records, BatchSubscriber)
    assert records._connection_args["enable_auto_commit"] is False  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("service", "topic", "held"),
    [
        ("notify", "sms-requests.v1", (32 * 1024, 50)),
        ("otp", "sms-status.v1", (64 * 1024, 250)),
        ("otp", "employee-records.v1", (256 * 1024, 250)),
        ("certification", "employee-records.v1", (256 * 1024, 250)),
    ],
)
def test_the_batch_consumers_fetches_are_held_at_the_broker_for_a_batch(
    service: str, topic: str, held: tuple[int, int]
) -> None:
    """A trickle of SMS requests, of their statuses or of records is fetched a batch at a
    time, not one message a fetch: the broker holds each fetch for the bytes of about a
    batch or the service's linger (`servicekit.batches.held_fetch`)."""
    subscribers = _broker(service).subscribers
    [consumer] = [s for s in subscribers if topic in [t.name for t in s.topics]]  # type: ignore[attr-defined]
    assert isinstance(consumer, BatchSubscriber)
    args = consumer._connection_args  # type: ignore[attr-defined]
    assert (args["fetch_min_bytes"], args["fetch_max_wait_ms"]) == held


def test_a_linger_of_nothing_leaves_aiokafkas_fetch_as_it_is() -> None:
    assert held_fetch(64 * 1024, 0) == {"fetch_min_bytes": 1, "fetch_max_wait_ms": 500}
