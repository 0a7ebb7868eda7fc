"""Every service's app tunes Python's cyclic collector when it starts
(`servicekit.runtime.tune_collector`): start-up's objects frozen once a process, rarer
collections of the young generations, and cycles still freed."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from faststream.kafka import KafkaBroker
from prometheus_client import CollectorRegistry
from pymongo import AsyncMongoClient

from bench.floor import create_app as floor_app
from servicekit import runtime
from servicekit.runtime import GC_THRESHOLDS, service_app, tune_collector


@pytest.fixture
def default_collector(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Python's own collector settings, as in a process that has not tuned it yet."""
    thresholds = gc.get_threshold()
    gc.unfreeze()
    gc.set_threshold(700, 10, 10)
    monkeypatch.setattr(runtime, "_frozen", False)
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


def test_a_service_app_tunes_the_collector_at_start_up(default_collector: None) -> None:
    app = service_app(
        title="probe",
        description="",
        broker=KafkaBroker("127.0.0.1:9", request_timeout_ms=100),  # nothing listens
        mongo=AsyncMongoClient("mongodb://127.0.0.1:9", connect=False),
        registry=CollectorRegistry(),
    )
    assert gc.get_freeze_count() == 0
    with TestClient(app):
        assert gc.get_threshold() == GC_THRESHOLDS
        assert gc.get_freeze_count() > 0  # the app, its modules: out of every scan


def test_the_floor_has_the_services_collector_settings(
    default_collector: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MONGODB_URI", "mongodb://127.0.0.1:9")
    with TestClient(floor_app()):
        assert gc.get_threshold() == GC_THRESHOLDS
        assert gc.get_freeze_count() > 0


def test_only_the_first_call_of_a_process_freezes(default_collector: None) -> None:
    """A second app in the same process (tests, benches) freezes nothing more, so what the
    first one left behind when it stopped can still be freed."""
    tune_collector()
    frozen = gc.get_freeze_count()
    later = [[index] for index in range(1000)]
    tune_collector()
    assert gc.get_freeze_count() == frozen
    assert later


def test_a_cycle_is_freed_by_the_collections_allocations_bring(default_collector: None) -> None:
    tune_collector()

    class Node:
        other: object = None

    a, b = Node(), Node()
    a.other, b.other = b, a
    ref = weakref.ref(a)
    del a, b
    kept = [[index] for index in range(3 * GC_THRESHOLDS[0])]  # past the young threshold
    assert ref() is None
    assert kept
