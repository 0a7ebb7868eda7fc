"""A submission is validated before anything is stored."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from certification.domain.model import Submission
from tests.factories.certification import submission


def test_a_family_id_is_upper_cased() -> None:
    sub = Submission.model_validate(
        submission("D1", covers=["family_id_incorrect"], corrected_family_id="ab12cd345")
    )

    assert sub.corrected_family_id == "AB12CD345"


@pytest.mark.parametrize("mobile", ["5876543210", "98765", "98765432101", "98765abcde"])
def test_a_corrected_mobile_must_be_ten_digits_starting_six_to_nine(mobile: str) -> None:
    with pytest.raises(ValidationError, match="corrected_mobile"):
        Submission.model_validate(submission("D1", corrected_mobile=mobile))


@pytest.mark.parametrize("family_id", ["ABC1234", "ABCD123456", "AB-12345"])
def test_a_family_id_must_be_eight_or_nine_letters_and_digits(family_id: str) -> None:
    with pytest.raises(ValidationError, match="corrected_family_id"):
        Submission.model_validate(submission("D1", corrected_family_id=family_id))


def test_covering_a_changed_mobile_requires_the_corrected_mobile() -> None:
    with pytest.raises(ValidationError, match="corrected_mobile is required"):
        Submission.model_validate(submission("D1", corrected_mobile=None))


def test_covering_a_wrong_family_id_requires_the_corrected_one() -> None:
    with pytest.raises(ValidationError, match="corrected_family_id is required"):
        Submission.model_validate(submission("D1", covers=["family_id_incorrect"]))


def test_a_false_attestation_is_named() -> None:
    values = submission("D1")
    values["attestations"]["genuine_contractual_employee"] = False

    with pytest.raises(ValidationError, match="not given: genuine_contractual_employee"):
        Submission.model_validate(values)


def test_a_service_period_cannot_end_before_it_starts() -> None:
    values = submission("D1")
    values["service_details"]["periods"] = [{"from": "2020-01-01", "to": "2019-01-01"}]

    with pytest.raises(ValidationError, match="ends"):
        Submission.model_validate(values)


def test_unknown_fields_such_as_aadhaar_are_refused() -> None:
    with pytest.raises(ValidationError, match="aadhaar"):
        Submission.model_validate(submission("D1", aadhaar="123412341234"))
