"""The portal's request bodies, whatever they hold: the OTP service answers with one of
its documented statuses (never a 500), and its own normalisation of a typed mobile number
or Family ID never raises."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from otp.services import normalise_family_id, normalise_mobile
from tests.integration.otp.conftest import PORTAL_TOKEN, OtpHarness

REQUEST_STATUSES = {202, 409, 422, 429}
VERIFY_STATUSES = {200, 404, 409, 410, 422, 423}
HTTP_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

typed = st.one_of(
    st.text(max_size=20),
    st.from_regex(r"(\+91|0|91)?[ -]?[6-9]\d{4}[ -]?\d{5}", fullmatch=True),
    st.from_regex(r"[0-9A-Za-z]{8,9}", fullmatch=True),
    st.just("０１２３４５６７８９"),  # full-width digits
)
json_value = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=6,
)


@given(st.from_regex(r"[6-9]\d{9}", fullmatch=True), st.sampled_from(["", "+91", "91", "0"]))
def test_a_mobile_typed_with_a_prefix_spaces_or_hyphens_normalises_to_its_ten_digits(
    mobile: str, prefix: str
) -> None:
    typed_in = f" {prefix} {mobile[:5]}-{mobile[5:]} "
    assert normalise_mobile(typed_in) == mobile


@given(st.text())
def test_normalising_any_text_never_raises_and_is_stable_for_family_ids(text: str) -> None:
    normalise_mobile(text)
    once = normalise_family_id(text)
    assert normalise_family_id(once) == once


@HTTP_SETTINGS
@given(
    st.fixed_dictionaries(
        {},
        optional={"family_id": typed | json_value, "mobile": typed | json_value, "locale": typed},
    )
    | json_value
)
async def test_any_otp_request_body_gets_a_documented_status(otp: OtpHarness, body: Any) -> None:
    response = await otp.client.post(
        "/v1/otp/requests", json=body, headers={"Authorization": f"Bearer {PORTAL_TOKEN}"}
    )
    assert response.status_code in REQUEST_STATUSES, response.text


@HTTP_SETTINGS
@given(
    st.fixed_dictionaries(
        {}, optional={"challenge_id": typed | json_value, "code": typed | json_value}
    )
    | json_value
)
async def test_any_verification_body_gets_a_documented_status(otp: OtpHarness, body: Any) -> None:
    response = await otp.client.post(
        "/v1/otp/verifications", json=body, headers={"Authorization": f"Bearer {PORTAL_TOKEN}"}
    )
    assert response.status_code in VERIFY_STATUSES, response.text
