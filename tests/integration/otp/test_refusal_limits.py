"""Refusals are no oracle: counted per Family ID and per mobile typed, throttled with
Retry-After before any look-up, the masked hint only on the first; and a cool-down
between two sends to one employee (on the real broker and mongod, the test's clock)."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx

from tests.integration.otp.conftest import OtpHarness


def codes(response: httpx.Response) -> list[str]:
    return [reason["code"] for reason in response.json()["reasons"]]


async def test_wrong_mobiles_against_one_family_id_are_throttled_and_hint_only_once(
    otp: OtpHarness,
) -> None:
    otp.clock.now = datetime(2031, 3, 3, 10, 0, 0, tzinfo=UTC)
    employee = await otp.viewed()
    limit = otp.settings.refusals_per_hour
    guesses = [f"9{index:09d}" for index in range(limit + 1)]

    answers = [await otp.request(employee.family_id, guess) for guess in guesses]
    right_one = await otp.request(employee.family_id, employee.mobile)

    assert [codes(a) for a in answers[:limit]] == [["mobile_mismatch"]] * limit
    assert [bool(a.json()["hints"]) for a in answers[:limit]] == [True] + [False] * (limit - 1)
    for throttled in (answers[limit], right_one):
        assert throttled.status_code == 429
        assert codes(throttled) == ["rate_limited"]
        assert throttled.headers["Retry-After"] == "3600"
        assert throttled.json()["hints"] == {}

    otp.clock.advance(hours=1)  # the next window
    assert (await otp.request(employee.family_id, employee.mobile)).status_code == 202


async def test_one_mobile_tried_with_many_family_ids_is_throttled(otp: OtpHarness) -> None:
    otp.clock.now = datetime(2031, 3, 3, 10, 30, 0, tzinfo=UTC)
    employee = await otp.viewed()
    limit = otp.settings.refusals_per_hour

    answers = [await otp.request(f"QQ{n:06d}", employee.mobile) for n in range(limit + 1)]

    assert [codes(a) for a in answers[:limit]] == [["family_id_mismatch"]] * limit
    assert answers[limit].status_code == 429
    assert codes(answers[limit]) == ["rate_limited"]
    assert answers[limit].headers["Retry-After"] == "1800"
    # The throttled mobile is answered the same way for the right Family ID too.
    assert (await otp.request(employee.family_id, employee.mobile)).status_code == 429


async def test_refusals_for_unknown_people_count_too(otp: OtpHarness) -> None:
    otp.clock.now = datetime(2031, 3, 3, 10, 0, 0, tzinfo=UTC)
    limit = otp.settings.refusals_per_hour
    answers = [await otp.request("QQ999999", f"8{n:09d}") for n in range(limit + 1)]

    assert [codes(a) for a in answers] == [["not_found"]] * limit + [["rate_limited"]]


async def test_a_second_send_to_one_employee_waits_for_the_cool_down(otp: OtpHarness) -> None:
    employee = await otp.viewed()
    first = await otp.request(employee.family_id, employee.mobile)
    otp.clock.advance(seconds=10)
    too_soon = await otp.request(employee.family_id, employee.mobile)
    otp.clock.advance(seconds=19)
    still_too_soon = await otp.request(employee.family_id, employee.mobile)
    otp.clock.advance(seconds=1)
    resent = await otp.request(employee.family_id, employee.mobile)

    assert first.status_code == 202
    assert (too_soon.status_code, codes(too_soon)) == (429, ["rate_limited"])
    assert too_soon.headers["Retry-After"] == str(otp.settings.send_cooldown_seconds - 10)
    assert still_too_soon.headers["Retry-After"] == "1"
    assert resent.status_code == 202
    assert resent.json()["send_number"] == 2, "the held requests sent and counted nothing"
