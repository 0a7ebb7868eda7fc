"""`make bench` (`python -m bench`): the services against the floor, on real servers.

Starts a private stack (tests/stack.py: its own Kafka, mongod and the services as processes
on ports 19000+base, 27000+base, 8000+base..; the floor on 8000+base+10), measures, prints
one line per figure and writes bench/results.json. Everything it started is stopped after.
The roles: bench/stack.py (the stack), bench/load.py (the load generator), bench/otp.py,
bench/surge.py, bench/roundtrip.py and bench/pipeline.py (the measurements), bench/figures.py
and bench/stats.py (what is recorded). `python -m bench.command_costs` measures, on its own,
what each MongoDB and Kafka command of an OTP send costs.

    python -m bench [--quick] [--only ingest|otp|pipeline|floor] [--employees N] [--base B]
                    [--open-seconds S] [--round-trips N] [--backlog N] [--pause-notify]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from bench import drain, gateway_client, pipeline, surge
from bench.figures import Recorder
from bench.otp import OtpBench
from bench.stack import BenchStack
from tests.stack import ROOT

RESULTS = Path(__file__).with_name("results.json")


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--only", choices=("ingest", "otp", "pipeline", "floor"))
    parser.add_argument(
        "--employees", type=int, help="people generated: default 260000 (--quick 12000)"
    )
    parser.add_argument("--requests", type=int, help="per concurrency (default 2000, quick 200)")
    parser.add_argument("--certifications", type=int, help="default 30 (quick 5)")
    parser.add_argument(
        "--open-seconds", type=float, help="each open-loop rate lasts this (default 30, quick 5)"
    )
    parser.add_argument("--round-trips", type=int, help="at c=32 (default 1000, quick 100)")
    parser.add_argument(
        "--backlog", type=int, help="SMS requests queued for the drain (default 10000, quick 2000)"
    )
    parser.add_argument("--base", type=int, default=int(os.environ.get("SEVA_BENCH_BASE", 500)))
    parser.add_argument("--state", type=Path, default=ROOT / ".local" / "bench")
    parser.add_argument("--results", type=Path, default=RESULTS, help="where to write results")
    parser.add_argument(
        "--pause-notify",
        action="store_true",
        help="diagnostic: stop notify while each OTP request burst lasts (no targets; "
        "no open-loop or round-trip figures)",
    )
    args = parser.parse_args(argv)
    # 260,000 people hold about 120,000 e-Billing (Part-II) employees.
    args.employees = args.employees or (12_000 if args.quick else 260_000)
    args.requests = args.requests or (200 if args.quick else 2000)
    args.certifications = args.certifications or (5 if args.quick else 30)
    args.open_seconds = args.open_seconds or (5.0 if args.quick else 30.0)
    args.round_trips = args.round_trips or (100 if args.quick else 1000)
    args.backlog = args.backlog or (2000 if args.quick else 10_000)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    bench, rec = BenchStack(args.state, args.base), Recorder()
    try:
        bench.start()
        if args.only == "floor":
            pipeline.floor_only(bench, rec, args)
        else:
            data = pipeline.ingest(bench, rec, args, report=args.only in (None, "ingest"))
            if args.only in (None, "otp", "pipeline"):
                gateway_client.measure(rec)
                otp = OtpBench(bench, rec, args, data)
                otp.closed_loop()
                if not args.pause_notify:  # a diagnostic of the bursts alone
                    drain.backlog(bench, rec, args.backlog, otp.rates.get(32))
                    # Set aside first: an open loop offered more than the data holds
                    # must not leave the round trips nobody to ask.
                    trips = otp.take(args.round_trips, "round trips c=32")
                    surge.open_loop(otp, args.open_seconds)
                    surge.round_trips(otp, trips)
            if args.only in (None, "pipeline"):
                pipeline.certification(bench, rec, args, data)
        results = rec.results(args, bench.mongo_uri)
    finally:
        bench.stop()
    args.results.write_text(json.dumps(results, indent=1, default=str) + "\n")
    met, targeted = rec.targets_met()
    print(f"targets met: {met}/{targeted}; results in {args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
