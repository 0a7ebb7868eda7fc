"""Without servers: an Aadhaar-like number planted anywhere in any text of any source
row (every column of every source, CSV or JSON) or of a certification submission never
comes out of the parsers, and each row is still accounted for."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from certification.domain.model import Submission
from ingest.domain import parsing
from ingest.domain.columns import MissingColumnsError
from ingest.domain.model import ParseStats
from servicekit.aadhaar import contains_aadhaar, verhoeff_digit
from tests.factories.certification import submission

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
HKRNL = "hkrnl_id,name,date_of_birth,date_of_joining,mobile,family_id,district,deployments"
HKRNL_ROW = "HK1,Ramesh Kumar,12-05-1988,01-04-2016,9812045678,AB12CD34,Ambala,01-04-2016:"
EBILLING = (
    "employee_code,name,ddo_code,treasury,head_of_account,month,days_paid,amount,mobile,"
    "family_id,date_of_birth,date_of_joining"
)
EBILLING_ROW = (
    "E1,Sita Devi,DDO1,Ambala,2210-01-110-99-69,05-2024,30,15000,9812345670,AB12CD34,"
    "1987-04-10,01-04-2015"
)
MASTER = "entity_type,code,name"
MASTER_ROW = "ddo,D1,DDO Ambala"
SOURCES = {
    "hkrnl": (HKRNL, HKRNL_ROW, lambda lines, s: parsing.parse_hkrnl_csv(lines, s, date.today())),
    "ebilling": (EBILLING, EBILLING_ROW, parsing.parse_ebilling_csv),
    "master": (MASTER, MASTER_ROW, parsing.parse_master),
}

elevens = st.from_regex(r"\A[2-9][0-9]{10}\Z")
aadhaar = elevens.map(lambda body: body + verhoeff_digit(body))
shown = st.tuples(aadhaar, st.sampled_from(["", " ", "-", " - "])).map(
    lambda t: (t[1].join((t[0][:4], t[0][4:8], t[0][8:])), t[0])
)
words = st.text(st.characters(categories=("L", "Zs")), max_size=10)


def _parsed_or_refused(parse: Callable[[], list[Any]]) -> list[Any] | MissingColumnsError:
    try:
        return parse()
    except MissingColumnsError as refused:
        return refused


@SETTINGS
@given(st.sampled_from(sorted(SOURCES)), st.data(), shown, words, words)
def test_a_number_in_any_cell_of_any_source_never_comes_out(
    source: str, data: st.DataObject, planted: tuple[str, str], before: str, after: str
) -> None:
    header, row, parse = SOURCES[source]
    cells = row.split(",")
    column = data.draw(st.integers(0, len(cells) - 1))
    cells[column] = f"{before} {planted[0]} {after}".replace(",", " ")
    stats = ParseStats()
    lines = [header, ",".join(cells)]
    results = _parsed_or_refused(lambda: list(parse(lines, stats)))  # type: ignore[operator]
    if isinstance(results, MissingColumnsError):
        # a required column that is all number (a one-row file) is dropped as an Aadhaar
        # column, so the file lacks it and is refused whole, naming the column only
        assert results.dropped == [header.split(",")[column]]
        assert not contains_aadhaar(str(results.detail()) + str(results))
        assert stats.received == 0
        return
    out = repr(results)
    assert planted[1] not in out.replace(" ", "").replace("-", "")
    assert not contains_aadhaar(out)
    assert stats.received == stats.accepted + stats.rejected == 1
    # redacted in its cell, or (a cell that is all number, in a one-row file) its column
    # dropped as an Aadhaar column
    assert sum(stats.aadhaar_redacted.values()) == 1 or stats.dropped_columns


@SETTINGS
@given(
    st.dictionaries(
        st.sampled_from(["hkrnl_id", "name", "district", "remarks", "deployments"]),
        st.one_of(words, st.lists(words, max_size=2), st.dictionaries(words, words, max_size=2)),
        max_size=5,
    ),
    st.sampled_from(["hkrnl_id", "name", "district", "remarks", "deployments"]),
    shown,
    st.booleans(),
)
def test_a_number_anywhere_in_a_json_record_never_comes_out(
    record: dict[str, Any], field: str, planted: tuple[str, str], nested: bool
) -> None:
    record[field] = [{"from": planted[0]}] if nested else planted[0]
    stats = ParseStats()
    results = list(parsing.parse_hkrnl_json([record], stats, date.today()))
    out = repr(results)
    assert planted[1] not in out.replace(" ", "").replace("-", "")
    assert stats.received == stats.accepted + stats.rejected == 1


@SETTINGS
@given(
    st.sampled_from(["officer_name", "letter_number", "post", "head_of_account_used"]),
    shown,
    words,
)
def test_a_number_in_any_text_of_a_submission_never_comes_out(
    field: str, planted: tuple[str, str], before: str
) -> None:
    values = submission("DDO-1")
    text = f"{before} {planted[0]}".strip()
    if field == "post":
        values["service_details"]["periods"][0]["post"] = text
    elif field == "head_of_account_used":
        values["service_details"]["head_of_account_used"] = text
    else:
        values[field] = text
    try:
        out = Submission.model_validate_json(json.dumps(values)).model_dump_json()
    except ValidationError as error:  # e.g. a letter number past its length
        out = str(error)
    assert planted[1] not in out.replace(" ", "").replace("-", "")
