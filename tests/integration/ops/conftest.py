"""The notify harness (a fake gateway over real HTTP) for the metrics tests here."""

from tests.integration.notify.conftest import gateway, harness

__all__ = ["gateway", "harness"]
