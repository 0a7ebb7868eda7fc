"""The load generator keeps why each request failed, not only how many did."""

import asyncio
import socket

from bench.load import Job, Outcome, Run, _drive


def test_error_kinds_count_each_reason_and_leave_out_successes() -> None:
    run = Run(
        [
            Outcome(0.1, 202, {}, 1.0),
            Outcome(0.2, 503, None, 2.0, "503 database unavailable"),
            Outcome(0.3, 503, None, 3.0, "503 database unavailable"),
            Outcome(0.4, 0, None, 4.0, "no answer: ReadTimeout"),
        ],
        4.0,
    )
    assert run.errors == 3
    assert run.error_kinds() == {"503 database unavailable": 2, "no answer: ReadTimeout": 1}


def test_a_request_nobody_answers_is_an_error_that_says_so() -> None:
    with socket.socket() as unused:  # a loopback port with nothing listening on it
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    outcomes = asyncio.run(_drive([Job("POST", f"http://127.0.0.1:{port}/x", json={})], 1))
    assert [o.status for o in outcomes] == [0]
    assert outcomes[0].error.startswith("no answer: ConnectError")
