"""A state directory keeps its data when the servers come up on other ports (a bench or
test run of another port base, `--base`): mongod's stored one-node replica set named the
old port, and mongod waited for that host until `servers.py up` gave up after 120 s."""

from __future__ import annotations

import subprocess
from pathlib import Path

from pymongo import MongoClient

from tests.helpers import free_port, local_servers


def _servers(state: Path, port: int, *args: str) -> subprocess.CompletedProcess[str]:
    # this test's own mongod (MONGODB_URI empty), given up on after 60 s
    return local_servers(
        state,
        *args,
        timeout=100,
        SEVA_MONGO_PORT=str(port),
        MONGODB_URI="",
        SEVA_SERVER_TIMEOUT="60",
    )


def test_mongod_comes_up_on_another_port_with_its_data(tmp_path: Path) -> None:
    first, second = free_port(), free_port()
    try:
        up = _servers(tmp_path, first, "up", "mongod")
        assert up.returncode == 0, up.stderr
        with MongoClient(f"mongodb://127.0.0.1:{first}/?replicaSet=rs0") as client:
            client.kept.things.insert_one({"_id": "before the move"})
        _servers(tmp_path, first, "down", "mongod")

        moved = _servers(tmp_path, second, "up", "mongod")

        assert moved.returncode == 0, moved.stdout + moved.stderr
        uri = f"mongodb://127.0.0.1:{second}/?replicaSet=rs0&serverSelectionTimeoutMS=20000"
        with MongoClient(uri) as client:
            assert client.kept.things.find_one({"_id": "before the move"}) is not None
            hello = client.admin.command("hello")
            assert hello["isWritablePrimary"]
            assert hello["hosts"] == [f"127.0.0.1:{second}"]
    finally:
        _servers(tmp_path, second, "down", "mongod")
        _servers(tmp_path, first, "down", "mongod")
