"""Property tests of the OTP rule engine: whatever the employee record (any dates,
salaries, heads, missing fields) and whatever certifications are in force, `decide`
returns a decision explained by documented reason codes, and certifications only ever
open the gate."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contracts.certification import CertificationRevoked, CertificationTookEffect
from contracts.ingest import EmployeeRecordReceived, FieldIssue, ServicePeriod
from otp.domain.decision import Decision, decide
from otp.domain.reasons import ELIGIBILITY_TEXT, REASONS
from otp.domain.view import EmployeeView, with_certification, with_record

GATE_CODES = {"no_record", "mobile_missing", "family_id_missing", "non_contractual_head"}
MISSING_CODES = {
    "no_record",
    "date_of_birth_missing",
    "date_of_joining_missing",
    "service_periods_missing",
    "remuneration_missing",
    "service_before_data",  # years before the first e-Billing month are unknown, not short
}
COVERS = ["non_contractual_head", "mobile_changed", "family_id_incorrect"]
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Dates anywhere in the calendar, with extra weight near the appointed date and the edges.
any_date = st.one_of(
    st.dates(),
    st.dates(min_value=date(1950, 1, 1), max_value=date(2030, 12, 31)),
    st.sampled_from([date.min, date.max, date(2024, 8, 15), date(2016, 2, 29)]),
)
service_period = st.builds(
    ServicePeriod,
    start=any_date,
    end=any_date,
    days_paid=st.integers(min_value=0, max_value=10**7),
    object_code=st.none() | st.sampled_from(["69", "01", "33", ""]),
)
maybe_text = st.none() | st.sampled_from(["", "9876543210", "ABCD1234", "x"]) | st.text(max_size=9)


@st.composite
def records(draw: st.DrawFn) -> EmployeeRecordReceived:
    employee_id = "ebilling:E1"
    values: dict[str, Any] = {
        "employee_id": employee_id,
        "source": draw(st.sampled_from(["hkrnl", "ebilling"])),
        "part": draw(st.sampled_from(["I", "II"])),
        "batch_id": "b1",
        "name": draw(st.text(max_size=20)),
        "date_of_birth": draw(st.none() | any_date),
        "date_of_joining": draw(st.none() | any_date),
        "mobile": draw(maybe_text),
        "family_id": draw(maybe_text),
        "monthly_remuneration": draw(st.none() | st.integers(min_value=0, max_value=10**12)),
        "employment": draw(st.sampled_from(["full_time", "part_time"])),
        "scheme": draw(st.sampled_from(["state", "centrally_sponsored"])),
        "service_periods": draw(st.lists(service_period, max_size=4)),
        "object_codes": draw(st.lists(st.sampled_from(["69", "01", "33", "21", ""]), max_size=3)),
        "issues": draw(
            st.lists(
                st.builds(
                    FieldIssue,
                    field=st.sampled_from(["mobile", "family_id", "name"]),
                    reason=st.text(max_size=10),
                ),
                max_size=2,
            )
        ),
        "producer": "ingest",
        "correlation_id": "c",
        "partition_key": employee_id,
        "source_version": draw(st.integers(min_value=0, max_value=2**40)),
    }
    return EmployeeRecordReceived.model_validate(values)


@st.composite
def certifications(draw: st.DrawFn, version: int | None = None) -> CertificationTookEffect:
    return CertificationTookEffect.model_validate(
        {
            "certification_id": draw(st.sampled_from(["c1", "c2", "c3"])),
            "employee_id": "ebilling:E1",
            "office_code": "DDO-1",
            "letter_number": "L1",
            "letter_date": date(2026, 2, 20),
            "certified_by_role": "ddo",
            "hrd_advice_number": "H1",
            "hrd_advice_date": date(2026, 2, 25),
            "covers": draw(st.lists(st.sampled_from(COVERS), unique=True)),
            "corrected_mobile": draw(st.none() | st.sampled_from(["", "9876543210", "9123456780"])),
            "corrected_family_id": draw(st.none() | st.sampled_from(["", "WXYZ9876", "PQRS5432"])),
            # Often the same instant: ties must not make the arrival order matter.
            "effective_at": draw(
                st.just(datetime(2026, 2, 25, tzinfo=UTC)) | st.datetimes(timezones=st.just(UTC))
            ),
            "producer": "certification",
            "correlation_id": "c",
            "partition_key": "ebilling:E1",
            "source_version": version
            if version is not None
            else draw(st.integers(min_value=0, max_value=9)),
        }
    )


def revocations(certification_id: str, version: int) -> CertificationRevoked:
    return CertificationRevoked(
        certification_id=certification_id,
        employee_id="ebilling:E1",
        reason="withdrawn",
        revoked_by_role="hrd",
        revoked_at=datetime(2026, 3, 1, tzinfo=UTC),
        producer="certification",
        correlation_id="c",
        partition_key="ebilling:E1",
        source_version=version,
    )


def gate_codes(decision: Decision) -> set[str]:
    return {finding.code for finding in decision.gate.reasons}


def eligibility_codes(decision: Decision) -> set[str]:
    return {finding.code for finding in decision.eligibility.reasons}


@SETTINGS
@given(st.none() | records(), st.lists(certifications(), max_size=3))
def test_any_record_gets_a_decision_explained_by_documented_codes(
    record: EmployeeRecordReceived | None, certs: list[CertificationTookEffect]
) -> None:
    decision = decide("ebilling:E1", record, certs)

    assert decision.gate.open == (not decision.gate.reasons)
    assert gate_codes(decision) <= GATE_CODES
    assert gate_codes(decision) <= set(REASONS)
    assert eligibility_codes(decision) <= set(ELIGIBILITY_TEXT)
    assert decision.eligibility.reasons, "every eligibility status names its reasons"
    Decision.model_validate_json(decision.model_dump_json())  # it can be stored and served


@SETTINGS
@given(records())
def test_the_eligibility_status_agrees_with_its_reasons(record: EmployeeRecordReceived) -> None:
    decision = decide("ebilling:E1", record, [])
    eligibility, codes = decision.eligibility, eligibility_codes(decision)

    if eligibility.status == "eligible":
        assert codes == {"qualifying_service"}
        assert eligibility.qualifying_years is not None
        assert eligibility.qualifying_years >= 5
        assert eligibility.additional_remuneration_percent in {5, 10, 15}
    elif eligibility.status == "undetermined":
        assert codes
        assert codes <= MISSING_CODES
        assert eligibility.additional_remuneration_percent is None
    else:
        assert codes - MISSING_CODES - {"qualifying_service"}, "a failed rule is named"
        assert eligibility.additional_remuneration_percent is None


@SETTINGS
@given(st.none() | records(), st.lists(certifications(), max_size=3), certifications())
def test_a_further_certification_never_closes_an_open_gate_or_adds_a_reason(
    record: EmployeeRecordReceived | None,
    certs: list[CertificationTookEffect],
    extra: CertificationTookEffect,
) -> None:
    before = decide("ebilling:E1", record, certs)
    after = decide("ebilling:E1", record, [*certs, extra])

    assert gate_codes(after) <= gate_codes(before)
    assert after.gate.open or not before.gate.open
    assert after.eligibility == before.eligibility, "certifications touch the gate only"


@SETTINGS
@given(records())
def test_a_certification_covering_every_gate_reason_opens_the_gate(
    record: EmployeeRecordReceived,
) -> None:
    cover_all = CertificationTookEffect(
        certification_id="c-all",
        employee_id="ebilling:E1",
        office_code="DDO-1",
        letter_number="L",
        letter_date=date(2026, 2, 20),
        certified_by_role="ddo",
        hrd_advice_number="H",
        hrd_advice_date=date(2026, 2, 25),
        covers=tuple(COVERS),
        corrected_mobile="9876543210",
        corrected_family_id="WXYZ9876",
        effective_at=datetime(2026, 2, 25, tzinfo=UTC),
        producer="certification",
        correlation_id="c",
        partition_key="ebilling:E1",
        source_version=2,
    )
    assert decide("ebilling:E1", record, [cover_all]).gate.open


@settings(SETTINGS, max_examples=60)
@given(
    st.lists(records(), min_size=1, max_size=3),
    st.lists(certifications(), max_size=3),
    st.lists(st.tuples(st.sampled_from(["c1", "c2", "c3"]), st.integers(0, 9)), max_size=2),
    st.randoms(use_true_random=False),
)
def test_the_view_decides_the_same_whatever_order_its_events_arrive_in(
    recs: list[EmployeeRecordReceived],
    certs: list[CertificationTookEffect],
    revoked: list[tuple[str, int]],
    random: Any,
) -> None:
    # Versions identify facts: one fact per (key, version), as the producers guarantee.
    events: list[Any] = list({r.source_version: r for r in recs}.values())
    by_version = {(c.certification_id, c.source_version): c for c in certs}
    for cert_id, version in revoked:
        by_version[(cert_id, version)] = revocations(cert_id, version)
    events += list(by_version.values())
    shuffled = random.sample(events, len(events))

    def fold(sequence: list[Any]) -> Decision | None:
        view = EmployeeView(employee_id="ebilling:E1")
        for event in sequence:
            if isinstance(event, EmployeeRecordReceived):
                view = with_record(view, event) or view
            else:
                view = with_certification(view, event) or view
        return view.decision

    in_order = sorted(events, key=lambda e: (type(e).__name__, e.source_version))
    assert fold(shuffled) == fold(in_order)


def test_dates_at_the_end_of_the_calendar_are_decided_not_raised() -> None:
    late = EmployeeRecordReceived(
        employee_id="ebilling:E1",
        source="ebilling",
        part="II",
        batch_id="b1",
        name="x",
        date_of_birth=date.max,
        date_of_joining=date.max,
        service_periods=(ServicePeriod(start=date.max, end=date.max, days_paid=1),),
        producer="ingest",
        correlation_id="c",
        partition_key="ebilling:E1",
        source_version=1,
    )
    eligibility = decide("ebilling:E1", late, []).eligibility
    assert eligibility.status == "not_eligible"
    assert "not_in_service_on_appointed_date" in {f.code for f in eligibility.reasons}
