"""A verified officer becomes a principal (a department-wide officer's offices from the
master data); what they may certify follows the source data (seeds 000 and 001)."""

from __future__ import annotations

from certification import tokens
from certification.domain import access
from certification.domain.access import Principal
from certification.domain.model import Placement
from certification.domain.refusal import Refusal
from servicekit.officers import Officer
from tests.unit.certification.fakes import FakeDirectory


async def test_a_department_wide_officer_serves_the_offices_of_the_department() -> None:
    directory = FakeDirectory()
    directory.departments["D7"] = {"OFF1", "DDO1", "DDO2"}
    hod = await tokens.principal(Officer("s", "hod", frozenset(), "D7"), directory)
    ddo = await tokens.principal(Officer("t", "ddo", frozenset({"DDO9"}), None), directory)
    hrd = await tokens.principal(Officer("u", "hrd", frozenset(), "D7"), directory)

    assert hod == Principal("s", "hod", frozenset({"OFF1", "DDO1", "DDO2"}), "D7")
    assert ddo == Principal("t", "ddo", frozenset({"DDO9"}))
    assert hrd.offices == frozenset()


def _placed(ddo: str, office: str | None = None) -> Placement:
    return Placement(
        employee_id="E1",
        source="ebilling",
        office_code=ddo,
        ddo_code=ddo,
        district_office_code=office,
        source_version=1,
    )


def test_the_data_not_the_submission_decides_whose_employee_it_is() -> None:
    ddo_a = Principal("o", "ddo", frozenset({"A"}))

    assert access.may_submit_for(ddo_a, _placed("A"), "E1") is None
    assert access.may_submit_for(ddo_a, _placed("X", office="A"), "E1") is None
    elsewhere = access.may_submit_for(ddo_a, _placed("B"), "E1")
    assert isinstance(elsewhere, Refusal)
    assert elsewhere.reason == "employee_not_in_your_offices"
    assert "B" in elsewhere.message
    nowhere = access.may_submit_for(ddo_a, None, "E1")
    assert isinstance(nowhere, Refusal)
    assert nowhere.reason == "employee_not_in_source_data"


def test_hrd_lists_everything_and_an_officer_only_their_offices() -> None:
    hrd = Principal("h", "hrd", frozenset())
    hod = Principal("o", "hod", frozenset({"B", "A"}))

    assert access.visible_offices(hrd, None) is None
    assert access.visible_offices(hod, None) == ["A", "B"]
    assert access.visible_offices(hod, "A") == ["A"]
    assert isinstance(access.visible_offices(hod, "C"), Refusal)


def test_only_officers_in_scope_with_their_own_role_may_submit() -> None:
    ddo = Principal("o", "ddo", frozenset({"A"}))
    hrd = Principal("h", "hrd", frozenset({"A"}))

    assert access.may_submit(ddo, "A", "ddo") is None
    assert access.may_submit(ddo, "B", "ddo") is not None
    assert access.may_submit(ddo, "A", "hod") is not None
    assert access.may_submit(hrd, "A", "ddo") is not None
