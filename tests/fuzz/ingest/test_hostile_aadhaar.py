"""Generated hostile source data through the running ingest app on the real Kafka and
MongoDB: an Aadhaar-like number planted anywhere in any text field (spread with spaces,
dashes or invisible characters, printed 4-4-4 with punctuation, in any script's digits)
never comes out, in the report, the rejections, the stored documents or the published
records, and every row is accounted for."""

from __future__ import annotations

import json
from typing import Any

import httpx
from hypothesis import given
from hypothesis import strategies as st

from contracts import topics
from ingest.settings import IngestSettings
from servicekit.aadhaar import verhoeff_digit
from tests.factories import unique
from tests.factories.aadhaar import without_digests
from tests.fuzz.ingest.hostile import FUZZ, accounted, push, record, rejections
from tests.integration.ingest.topic_reading import end_offsets, read_to_end
from tests.pii_scan import aadhaar_like

TEXT_FIELDS = ["name", "district", "department_code", "ddo_code", "office_code", "remarks"]
SEPARATORS = [" ", "-", " - ", "\u00a0", "\u2010", "\u200b", "  "]

elevens = st.from_regex(r"\A[2-9][0-9]{10}\Z")
aadhaar = elevens.map(lambda body: body + verhoeff_digit(body))
wordy = st.text(st.characters(categories=("L", "Zs", "P")), max_size=12)

# Invisible between any two digits: bidi controls, combining marks, variation selectors.
INVISIBLE = ["\u202e", "\u2066", "\u0301", "\ufe0f", "\u2062", "\u034f"]
# Visible punctuation in the printed grouping 4-4-4 (no comma or quote: CSV cells).
PRINTED = [".", "_", ":", "\u00b7", "\uff0e", "+"]
SCRIPTS = {
    "ascii": "0123456789",
    "devanagari": "०१२३४५६७८९",
    "full-width": "０１２３４５６７８９",
    "superscript": "⁰¹²³⁴⁵⁶⁷⁸⁹",
    "circled": "⓪①②③④⑤⑥⑦⑧⑨",
}


@st.composite
def planted(draw: st.DrawFn) -> tuple[str, str]:
    """(text holding one valid Aadhaar-like number, the number's 12 digits): spread with
    spaces, dashes or invisible characters, or printed 4-4-4 with punctuation, in any
    script's digits."""
    number = draw(aadhaar)
    if draw(st.booleans()):
        cuts = sorted(set(draw(st.lists(st.integers(1, 11), max_size=4))))
        separator = draw(st.sampled_from(SEPARATORS + INVISIBLE))
        parts = [number[a:b] for a, b in zip([0, *cuts], [*cuts, 12], strict=True)]
    else:
        separator = draw(st.sampled_from(PRINTED))
        parts = [number[:4], number[4:8], number[8:]]
    shown = draw(st.sampled_from([number, separator.join(parts)]))
    script = SCRIPTS[draw(st.sampled_from(sorted(SCRIPTS)))]
    shown = shown.translate(str.maketrans("0123456789", script))
    before, after = draw(wordy), draw(wordy)
    return f"{before} {shown} {after}".strip(), number


@FUZZ
@given(
    st.lists(
        st.tuples(st.sampled_from(TEXT_FIELDS), planted(), st.booleans()), min_size=1, max_size=3
    )
)
async def test_an_aadhaar_number_anywhere_in_any_text_field_never_comes_out(
    ingest: tuple[httpx.AsyncClient, IngestSettings, Any],
    kafka_bootstrap: str,
    plants: list[tuple[str, tuple[str, str], bool]],
) -> None:
    client, _, db = ingest
    start = await end_offsets(kafka_bootstrap, topics.EMPLOYEE_RECORDS)
    records = [
        record(unique("HK"), **{field: text}, **({} if valid else {"date_of_birth": "x"}))
        for field, (text, _), valid in plants
    ]
    response = await push(client, json.dumps(records, ensure_ascii=False).encode())

    report = response.json()
    accounted(report, len(records))
    assert sum(report["aadhaar_redacted"].values()) >= len(records)
    quarantined = await rejections(client, report)
    stored = [d for name in ("employees", "quarantine") async for d in db[name].find()]
    sent = await read_to_end(
        kafka_bootstrap,
        topics.EMPLOYEE_RECORDS,
        lambda b: b.get("batch_id") == report["batch_id"],
        since=start,
    )
    everything = without_digests([report, quarantined, stored, sent])
    seen = json.dumps(everything, ensure_ascii=False)
    for _, (_, number), _ in plants:
        assert number not in seen.replace(" ", "").replace("-", "")
    assert aadhaar_like(seen) == []
