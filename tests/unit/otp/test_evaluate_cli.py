"""The evaluate CLI decides JSON lines offline, and says which line it could not read."""

from __future__ import annotations

import io
import json
import subprocess
import sys

from otp.cli import evaluate
from otp.domain.decision import decide
from tests.factories.otp import certification, record


def test_each_line_gets_the_same_decision_as_the_rules_and_bad_lines_are_named() -> None:
    plain = record(object_codes=("87",))
    certified = record(object_codes=("87",))
    cert = certification(certified.employee_id)
    lines = [
        plain.model_dump_json(),
        json.dumps(
            {
                "record": certified.model_dump(mode="json"),
                "certifications": [cert.model_dump(mode="json")],
            }
        ),
        '{"employee_id": "x"}',
        "not json",
    ]
    out, err = io.StringIO(), io.StringIO()
    code = evaluate(io.StringIO("\n".join(lines) + "\n"), out, err)
    results = [json.loads(line) for line in out.getvalue().splitlines()]

    assert code == 1
    assert results[0] == json.loads(decide(plain.employee_id, plain, []).model_dump_json())
    assert results[0]["gate"]["open"] is False
    assert results[1]["gate"]["open"] is True
    assert results[2]["line"] == 3
    assert "Field required" in results[2]["error"]
    assert results[3]["line"] == 4
    assert err.getvalue() == "decided 2, failed 2\n"


def test_python_dash_m_otp_evaluate_runs_without_any_server() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "otp", "evaluate"],
        input=record().model_dump_json() + "\n",
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "", "SEVA_KAFKA_PORT": "1", "SEVA_MONGO_PORT": "1"},
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["eligibility"]["status"] == "eligible"


def test_contact_fields_are_checked_as_ingest_checks_them() -> None:
    spelled = record(mobile="9876543210", family_id="ABCD1234")
    spelled = spelled.model_copy(update={"mobile": "+91 98765-43210", "family_id": "abcd1234"})
    broken = record().model_copy(update={"mobile": "12345", "family_id": "AB!"})
    out, err = io.StringIO(), io.StringIO()
    lines = [spelled.model_dump_json(), broken.model_dump_json()]

    code = evaluate(io.StringIO("\n".join(lines) + "\n"), out, err)
    first, second = (json.loads(line) for line in out.getvalue().splitlines())

    assert code == 0
    assert first["gate"]["open"] is True
    assert second["gate"]["open"] is False
    reasons = {r["code"]: r["evidence"]["issues"] for r in second["gate"]["reasons"]}
    assert reasons == {
        "mobile_missing": ["mobile: is not a 10-digit Indian mobile starting 6-9"],
        "family_id_missing": ["family_id: is not 8 or 9 letters and digits"],
    }
