"""Settings and tokens for ingest tests: a unique database per test, known tokens."""

from __future__ import annotations

from pydantic import SecretStr

from ingest.settings import IngestSettings
from tests.factories import unique

TOKENS = {"hkrnl": "hkrnl-test-token", "ebilling": "ebilling-test-token"} | {
    "master": "master-test-token"
}


def ingest_settings(kafka: str, mongodb: str, **overrides: object) -> IngestSettings:
    values: dict[str, object] = {
        "kafka_bootstrap_servers": kafka,
        "mongodb_uri": mongodb,
        "mongodb_database": unique("ingest"),
        "consumer_group": unique("ingest"),
        "hkrnl_token": SecretStr(TOKENS["hkrnl"]),
        "ebilling_token": SecretStr(TOKENS["ebilling"]),
        "master_token": SecretStr(TOKENS["master"]),
        "link_key": SecretStr("link-key-for-tests"),
    }
    values.update(overrides)
    return IngestSettings.model_validate(values)


def bearer(source: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKENS[source]}"}
