"""One reading of a mobile and a Family ID: ingest (source files), the OTP service's
command line (`servicekit.contact`) and the portal API (`otp.services.normalise_*`) agree
on every spelling, so a number typed as the department wrote it is found."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.domain import normalise
from otp.services import normalise_family_id, normalise_mobile
from servicekit.contact import check_family_id, check_mobile

MOBILES = [
    "9812345670",
    "+91 98123 45670",
    "0091-9812345670",
    "0091 98123 45670",
    "(+91) 98123-45670",
    "+91.98123.45670",
    "91 98123 45670",
    "09812345670",
    "919812345670",
    "(981) 234-5670",
    "5812345670",
    "98123",
    "",
    None,
    "98123456701",
    "९८१२३४५६७०",
    "6८१२३४५६७०",
    "９８１２３４５６７０",
    " 7012345678 ",
]
FAMILY_IDS = ["ab12cd34", "AB12CD345", "AB-12 CD34", "AB12", "AB12CD3456", "", None, "AB12CD3!"]


@pytest.mark.parametrize("value", MOBILES)
def test_the_mobile_check_and_the_portal_agree_with_ingest(value: str | None) -> None:
    value_ingest, issue = normalise.mobile(value)
    assert check_mobile(value) == (value_ingest, issue.reason if issue else None)
    if value is not None:
        read = normalise_mobile(value)
        assert (read == value_ingest) if value_ingest else not check_mobile(read)[0]


@pytest.mark.parametrize("value", FAMILY_IDS)
def test_the_family_id_check_and_the_portal_agree_with_ingest(value: str | None) -> None:
    value_ingest, issue = normalise.family_id(value)
    assert check_family_id(value) == (value_ingest, issue.reason if issue else None)
    if value is not None and value_ingest:
        assert normalise_family_id(value) == value_ingest


SEPARATORS = st.sampled_from(["", " ", "-", ".", "  "])


@given(
    st.from_regex(r"[6-9][0-9]{9}", fullmatch=True),
    st.sampled_from(["", "+91", "0091", "91", "0", "(+91)", "+91-", "(0091)"]),
    st.lists(SEPARATORS, min_size=3, max_size=3),
    st.booleans(),
)
def test_any_usual_spelling_of_a_mobile_reads_the_same_everywhere(
    mobile: str, prefix: str, gaps: list[str], bracket: bool
) -> None:
    a, b, c = mobile[:3], mobile[3:5], mobile[5:]
    body = f"({a}){gaps[1]}{b}{gaps[2]}{c}" if bracket else f"{a}{gaps[1]}{b}{gaps[2]}{c}"
    typed = f" {prefix}{gaps[0]}{body} "
    assert normalise.mobile(typed) == (mobile, None)
    assert check_mobile(typed) == (mobile, None)
    assert normalise_mobile(typed) == mobile


@pytest.mark.parametrize("value", [m for m in MOBILES if m and normalise.mobile(m)[0]])
def test_the_portal_api_takes_every_spelling_ingest_reads(value: str) -> None:
    from otp.http import OtpRequest

    body = OtpRequest.model_validate({"family_id": "AB-12 CD34", "mobile": value})
    assert normalise_mobile(body.mobile) == normalise.mobile(value)[0]
    assert normalise_family_id(body.family_id) == "AB12CD34"
