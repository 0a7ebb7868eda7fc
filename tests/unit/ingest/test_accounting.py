"""Whatever fails, a batch is reported and every row is accounted for: a record Kafka
refuses becomes a reasoned rejection, and a batch that stops half-way still stores its
report."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from ingest import employees, master_data, services
from ingest.domain import parsing
from ingest.domain.model import ParseStats
from ingest.reports import BatchReport
from tests.unit.ingest.fakes import BatchStore, Publisher, QuarantineStore, deps
from tests.unit.ingest.rows import HKRNL_HEADER, hkrnl_row

NOW = datetime(2026, 2, 1, tzinfo=UTC)


def _batch(source: str = "hkrnl") -> services.Batch:
    return services.Batch(f"{source}-test", source, None, NOW, NOW)  # type: ignore[arg-type]


def _clock() -> datetime:
    return NOW


async def _run(
    publisher: Publisher, rows: list[str], chunk: int = 500
) -> tuple[BatchReport, services.Deps]:
    stats = ParseStats()
    items = parsing.parse_hkrnl_csv([HKRNL_HEADER, *rows], stats, NOW.date())
    wired = deps(publisher, chunk)
    return await employees.ingest_employees(items, stats, _batch(), wired, _clock), wired


async def test_a_record_kafka_refuses_is_a_reasoned_rejection_and_the_batch_is_reported() -> None:
    publisher = Publisher(refuse={"hkrnl:HK2"})
    report, wired = await _run(publisher, [hkrnl_row("HK1"), hkrnl_row("HK2")])

    assert (report.received, report.accepted, report.rejected) == (2, 1, 1)
    assert (report.records, report.published) == (1, 1)
    assert isinstance(wired.quarantine, QuarantineStore)
    (rejected,) = wired.quarantine.rows
    assert (rejected.row_number, rejected.field, rejected.employee_ref) == (2, "row", "HK2")
    assert rejected.reason == "row: unpublishable: too large"
    assert [letter.source_key for letter in publisher.letters] == ["hkrnl-test:2"]
    assert [e.partition_key for e in publisher.events] == ["hkrnl:HK1"]
    assert "hkrnl:HK2" not in await wired.employees.load(["hkrnl:HK2"])  # re-sent, it is new


async def test_a_batch_that_stops_half_way_stores_its_report_with_the_failure() -> None:
    publisher = Publisher(fail=ConnectionError("broker away"), fail_at=2)
    rows = [hkrnl_row(f"HK{i}") for i in range(4)]
    with pytest.raises(services.BatchFailedError) as caught:
        await _run(publisher, rows, chunk=2)

    report = caught.value.report
    assert report is not None
    assert report.failure is not None
    assert "ConnectionError" in report.failure
    assert "broker away" not in report.failure
    assert report.received == report.accepted + report.rejected
    assert report.published == 2
    assert isinstance(caught.value, Exception)


async def test_a_master_entity_kafka_refuses_is_a_reasoned_rejection() -> None:
    publisher = Publisher(refuse={"ddo:D2"})
    stats = ParseStats()
    text = "entity_type,code,name\nddo,D1,One\nddo,D2,Two\n"
    items = parsing.parse_master(text.splitlines(), stats)
    wired = deps(publisher)
    report = await master_data.ingest_master(items, stats, _batch("master"), wired, _clock)
    assert (report.received, report.accepted, report.rejected, report.published) == (2, 1, 1, 1)
    assert isinstance(wired.batches, BatchStore)
    assert wired.batches.reports["master-test"] == report


class _HeldLinks:
    """A link index that holds what is filed, and counts the entries written."""

    def __init__(self) -> None:
        self.ids: dict[str, set[str]] = {}
        self.written = 0

    async def find(self, keys: Iterable[str]) -> dict[str, set[str]]:
        return {key: set(self.ids[key]) for key in keys if key in self.ids}

    async def add(self, entries: Iterable[tuple[str, str]], new: Collection[str] = ()) -> None:
        for key, own in entries:
            self.written += 1
            self.ids.setdefault(key, set()).add(own)


async def test_a_resent_file_writes_no_link_the_index_already_holds() -> None:
    links = _HeldLinks()
    wired = replace(deps(Publisher()), links=links)
    written = []
    for _ in range(2):
        stats = ParseStats()
        items = parsing.parse_hkrnl_csv([HKRNL_HEADER, hkrnl_row("HK1")], stats, NOW.date())
        await employees.ingest_employees(items, stats, _batch(), wired, _clock)
        written.append(links.written)

    assert written[0] > 0
    assert written[1] == written[0]


async def test_the_next_group_of_rows_is_parsed_while_the_current_one_is_handled() -> None:
    pulled: list[int] = []

    def rows() -> Iterator[int]:
        for row in range(5):
            pulled.append(row)
            yield row

    groups = services.Chunks(rows(), 2)
    first = await anext(groups)
    await groups.settle()

    assert first == [0, 1]
    assert pulled == [0, 1, 2, 3]  # the second group is out before it is asked for
    assert [group async for group in groups] == [[2, 3], [4]]
