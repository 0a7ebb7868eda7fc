"""DLT templates: the text sent is the registered one with only its variables filled in,
and fits the segment limits; backoff stays within its cap."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from notify.app import check_templates
from notify.domain.templates import TemplateError, check_template, matches, render, segments
from notify.services import backoff
from notify.settings import DLT_TEMPLATE_EN, DLT_TEMPLATE_HI, NotifySettings


def settings(**overrides: object) -> NotifySettings:
    secret = SecretStr("x")
    return NotifySettings(
        sms_seal_key=secret, gateway_password=secret, delivery_report_token=secret, **overrides
    )  # type: ignore[arg-type]


def test_english_fits_one_gsm7_segment_and_hindi_two_ucs2_segments() -> None:
    assert check_template("en", DLT_TEMPLATE_EN, 1) == segments(
        render(DLT_TEMPLATE_EN, "482913", "10")
    )
    assert segments(render(DLT_TEMPLATE_EN, "482913", "10")).unicode is False
    hindi = segments(render(DLT_TEMPLATE_HI, "482913", "10"))
    assert (hindi.unicode, hindi.count) == (True, 2)


@pytest.mark.parametrize(("length", "parts"), [(160, 1), (161, 2), (306, 2), (307, 3)])
def test_gsm7_segment_boundaries(length: int, parts: int) -> None:
    assert segments("a" * length).count == parts


@pytest.mark.parametrize(("length", "parts"), [(70, 1), (71, 2), (134, 2), (135, 3)])
def test_unicode_segment_boundaries(length: int, parts: int) -> None:
    assert segments("क" * length).count == parts


def test_a_text_with_anything_but_the_variables_changed_does_not_match() -> None:
    sent = render(DLT_TEMPLATE_EN, "482913", "10")
    assert matches(DLT_TEMPLATE_EN, sent)
    assert not matches(DLT_TEMPLATE_EN, sent.replace("Do not share", "Please share"))


def test_start_up_refuses_a_template_that_does_not_fit() -> None:
    with pytest.raises(TemplateError, match="template hi: needs 2 SMS segments"):
        check_templates(settings(max_segments=1))


def test_start_up_refuses_a_template_with_the_wrong_variables() -> None:
    with pytest.raises(TemplateError, match="variables"):
        check_templates(settings(template_en="Your OTP is {#var#}. -HRYGOV"))


def test_backoff_is_jittered_and_capped() -> None:
    pauses = [backoff(attempt, 0.2, 1.0) for attempt in range(10) for _ in range(20)]
    assert all(0 <= pause <= 1.0 for pause in pauses)
    assert len(set(pauses)) > 10
