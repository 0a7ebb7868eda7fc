"""Property tests of the certification submission (a JSON form field of its own): a valid
submission with keys dropped, replaced or added, cut short, or any text at all, is valid
or refused naming the field."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from certification.domain.model import Submission
from certification.http import _explain as explain_submission
from tests.factories.certification import submission
from tests.fuzz.ingest.parser_inputs import SETTINGS, json_values

VALID_SUBMISSION: dict[str, Any] = submission("DDO-1")
SUBMISSION_KEYS = sorted(VALID_SUBMISSION)


@st.composite
def submissions(draw: st.DrawFn) -> str:
    """A valid submission with a few keys dropped, replaced by any JSON value, or added;
    or any text at all."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.text(max_size=40))
    body = dict(VALID_SUBMISSION)
    for key in draw(st.lists(st.sampled_from(SUBMISSION_KEYS), max_size=3)):
        if draw(st.booleans()):
            body.pop(key, None)
        else:
            body[key] = draw(json_values)
    if draw(st.booleans()):
        body[draw(st.text(max_size=6))] = draw(json_values)
    text = json.dumps(body)
    return text[: draw(st.integers(len(text) // 2, len(text)))] if draw(st.booleans()) else text


@SETTINGS
@given(submissions())
def test_any_submission_is_valid_or_refused_naming_the_field(text: str) -> None:
    try:
        Submission.model_validate_json(text)
    except ValidationError as error:
        message = explain_submission(error)
        assert message.startswith("submission")
        for item in error.errors()[:5]:
            assert ".".join(["submission", *(str(p) for p in item["loc"])]) in message


def test_the_base_submission_of_the_submission_fuzzer_is_valid() -> None:
    assert Submission.model_validate_json(json.dumps(VALID_SUBMISSION)).covers
