"""A registration surge: the OTP request path at fixed offered rates (open loop, 50 % and
80 % of the closed-loop c=32 rate of the same run) with the SMS time counted from each
request's intended send time, and end-to-end round trips (request, SMS at the gateway,
verification with its code) at c=32."""

from __future__ import annotations

from typing import Any

from bench import load, roundtrip
from bench.otp import OtpBench
from bench.stats import Figure, Target, percentile, summary

OPEN_LOOP = {50: Target(at_most=1000, absolute=True), 80: Target(at_most=3000, absolute=True)}
ROUND_TRIP_TARGET = Target(at_least=48, absolute=True)  # 4 x the 12/s of issue 18's run


def open_loop(otp: OtpBench, seconds: float) -> None:
    """At each share of the c=32 rate: the offered and answered rates, request latency and
    the SMS accepted->gateway time, both from the intended send time."""
    base = otp.rates.get(32)
    if not base:
        otp.rec.note("open loop: no c=32 request rate measured, nothing offered")
        return
    for percent, sms_target in OPEN_LOOP.items():
        rate = base * percent / 100
        label = f"open {percent}%"
        chosen = otp.take(max(1, round(rate * seconds)), f"otp requests {label}")
        cpu_before = otp.bench.cpu()
        run = load.run_at_rate([otp.request_job(p) for p in chosen], rate)
        intended = {
            o.body["challenge_id"]: o.intended_at
            for o in run.outcomes
            if o.status == 202 and o.body
        }
        got = summary(run.latencies, run.errors, run.seconds)
        lags = [o.lag * 1000 for o in run.outcomes]
        otp.rec.raw[f"otp requests {label}"] = {
            "offered_rps": rate,
            "requests": len(chosen),
            "service": got,
            "errors": run.error_kinds(),
            "send_lag_p99_ms": percentile(lags, 99),
        }
        name = f"otp requests {label}"
        otp.rec.add(Figure(f"{name} offered rps", rate, "req/s"))
        otp.rec.add(Figure(f"{name} rps", got["rps"], "req/s"))
        for key, unit in (("p50_ms", "ms"), ("p99_ms", "ms"), ("errors", "count")):
            otp.rec.add(Figure(f"{name} {key}", got[key], unit))
        otp.load_cpu(name, run, report=False)
        _, sms_latency, _ = otp.sms(intended, since=intended)
        otp.cpu_figures(label, cpu_before, len(intended), report=False)
        otp.rec.raw[f"sms {label}"] = sms_latency
        sms = "sms accepted->gateway"
        otp.rec.add(Figure(f"{sms} p50 {label}", percentile(sms_latency, 50), "ms"))
        otp.rec.add(
            Figure(f"{sms} p99 {label}", percentile(sms_latency, 99), "ms", target=sms_target)
        )


def round_trips(otp: OtpBench, chosen: list[dict[str, Any]], c: int = 32) -> None:
    """OTP round trips per second at concurrency c for the people `chosen` (taken before
    the open loop, which may run out of people), and the SMS wait inside them."""
    trips = [
        roundtrip.RoundTrip(otp.request_job(p), f"{otp.otp_url}/v1/otp/verifications", otp.headers)
        for p in chosen
    ]
    cpu_before = otp.bench.cpu()
    run = roundtrip.run(trips, c, otp.stack.url("sms-gateway"), otp.bench.gateway_control)
    otp.cpu_figures(f"round trips c={c}", cpu_before, len(chosen), report=False)
    got = summary(run.latencies, run.errors, run.seconds)
    waits = [o.waited * 1000 for o in run.outcomes if 200 <= o.status < 300]
    name = f"otp round trips c={c}"
    otp.rec.raw[name] = {"service": got, "errors": run.error_kinds()}
    otp.load_cpu(name, run, report=False)
    otp.rec.add(Figure(f"{name} rps", got["rps"], "trips/s", target=ROUND_TRIP_TARGET))
    for key, unit in (("p50_ms", "ms"), ("p99_ms", "ms"), ("errors", "count")):
        otp.rec.add(Figure(f"{name} {key}", got[key], unit))
    otp.rec.add(Figure(f"{name} sms wait p50", percentile(waits, 50), "ms"))
