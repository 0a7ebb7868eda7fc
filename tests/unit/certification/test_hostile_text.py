"""A submission holding a control character or a lone surrogate is refused by field;
an Aadhaar-like number in it is redacted before it exists."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from certification.domain.model import Submission
from servicekit.aadhaar import REDACTED
from tests.factories.aadhaar import grouped, valid_aadhaar
from tests.factories.certification import submission


@pytest.mark.parametrize("bad", ["\x00", "\ud800", "\x07"])
def test_a_control_character_or_lone_surrogate_is_refused_naming_the_field(bad: str) -> None:
    values = submission("DDO-1")
    values["service_details"]["periods"][0]["post"] = f"DEO{bad}"
    with pytest.raises(ValidationError) as refused:
        Submission.model_validate(values)
    assert "service_details.periods[0].post: " in str(refused.value)


def test_an_aadhaar_number_in_any_text_of_a_submission_is_redacted() -> None:
    number = grouped(valid_aadhaar("submission"))
    values = submission("DDO-1", officer_name=f"S. K. Sharma {number}")
    values["service_details"]["head_of_account_used"] = f"87 {number}"
    parsed = Submission.model_validate(values)
    assert parsed.officer_name == f"S. K. Sharma {REDACTED}"
    assert parsed.service_details.head_of_account_used == f"87 {REDACTED}"
