"""Consumer lag is read from Kafka: with the OTP service's employee-records consumer
stopped while records keep arriving, `seva_consumer_lag_messages` grows on /metrics and the
ConsumerLagHigh expression, evaluated by promtool on the scraped series, becomes true."""

from __future__ import annotations

from pathlib import Path

import httpx
from aiokafka import AIOKafkaProducer

from contracts import topics
from otp.app import create_app
from tests.factories.otp import record
from tests.helpers import eventually, serving
from tests.integration.ops.scraped import input_series, rule, run_promtool_test, samples
from tests.integration.otp.conftest import otp_settings, start_at_end

LAG = "seva_consumer_lag_messages"


async def _produce_records(bootstrap: str, count: int) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=20)
    await producer.start()
    try:
        for _ in range(count):
            event = record()
            await producer.send(
                topics.EMPLOYEE_RECORDS,
                event.model_dump_json().encode(),
                key=event.employee_id.encode(),
            )
        await producer.flush()
    finally:
        await producer.stop()


def _lag(page: str, group: str) -> float:
    return sum(v for name, v in samples(page, LAG).items() if f'group="{group}"' in name)


async def test_a_stopped_consumer_shows_growing_lag_and_the_lag_alert_expression_is_true(
    kafka_bootstrap: str, mongodb_uri: str, tmp_path: Path
) -> None:
    settings = otp_settings(kafka_bootstrap, mongodb_uri)
    await start_at_end(settings)
    group = f"{settings.consumer_group}.{topics.EMPLOYEE_RECORDS}"
    app = create_app(settings)
    async with serving(app, "http://otp") as client:
        [consumer] = [
            s for s in app.state.broker.subscribers if getattr(s, "group_id", None) == group
        ]
        await consumer.stop()  # the consumer stalls; the service and its sampler go on

        async def page_with_lag_at_least(count: int) -> str | None:
            page = (await client.get("/metrics")).text
            return page if _lag(page, group) >= count else None

        await _produce_records(kafka_bootstrap, 300)
        first = await eventually(lambda: page_with_lag_at_least(300), timeout=60, interval=1)
        await _produce_records(kafka_bootstrap, 900)
        second = await eventually(lambda: page_with_lag_at_least(1200), timeout=60, interval=1)

    assert _lag(second, group) > _lag(first, group)
    lag_now = _lag(second, group)
    alert = rule("ConsumerLagHigh")
    labels = f'{{group="{group}", topic="{topics.EMPLOYEE_RECORDS}"}}'
    result = run_promtool_test(
        tmp_path,
        [s for s in input_series([first, second], [LAG]) if f'group="{group}"' in s["series"]],
        "15s",
        expr_tests=[
            {"expr": alert["expr"], "eval_time": "0s", "exp_samples": []}
            if _lag(first, group) <= 1000
            else {"expr": "vector(0) < 1", "eval_time": "0s", "exp_samples": []},
            {
                "expr": alert["expr"],
                "eval_time": "15s",
                "exp_samples": [{"labels": labels, "value": lag_now}],
            },
        ],
    )
    assert result.returncode == 0, result.stdout + result.stderr


async def test_the_metrics_page_answers_while_kafka_lag_cannot_be_read() -> None:
    """A service whose Kafka is away still serves /metrics (the sampler retries quietly)."""
    from tests.integration.otp.conftest import otp_settings as settings_of

    app = create_app(
        settings_of("127.0.0.1:1", "mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=200")
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://otp") as client:
        response = await client.get("/metrics")
    assert response.status_code == 200
    assert f"# TYPE {LAG} gauge" in response.text
