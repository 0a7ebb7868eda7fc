"""Services running on the real broker and mongod for the hostile-input tests: the OTP
harness of the OTP integration tests, and notify with its recording gateway."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from contracts import topics
from notify.app import create_app as create_notify
from tests.helpers import start_group_at_end
from tests.integration.notify.conftest import NotifyHarness, notify_settings
from tests.integration.otp.conftest import otp
from tests.oidc import LocalIssuer, serving

__all__ = ["notify", "otp"]


@pytest.fixture(scope="session")
def local_issuer() -> Iterator[LocalIssuer]:
    """A test-only OIDC issuer (RSA key, JWKS on 127.0.0.1) the services under test trust,
    so hostile tokens of every shape can be signed with a key they accept."""
    with serving(LocalIssuer()) as issuer:
        yield issuer


@pytest.fixture
def otp_oidc_issuer(local_issuer: LocalIssuer) -> str:
    return local_issuer.issuer


@pytest.fixture
async def notify(kafka_bootstrap: str, mongodb_uri: str) -> AsyncIterator[NotifyHarness]:
    """Notify consuming sms-requests from the topic's current end; SMS are recorded only."""
    settings = notify_settings(kafka_bootstrap, mongodb_uri, "http://127.0.0.1:9").model_copy(
        update={"gateway": "recording"}
    )
    await start_group_at_end(kafka_bootstrap, settings.consumer_group, topics.SMS_REQUESTS)
    app = create_notify(settings)
    async with app.router.lifespan_context(app):
        yield NotifyHarness(settings, settings.gateway_url, kafka_bootstrap)
