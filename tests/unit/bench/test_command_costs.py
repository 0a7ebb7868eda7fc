"""Which mongod `python -m bench.command_costs` reads the CPU time of: the one on the
port of the URI's first host, found as the process listening on it."""

import os
import socket

import pytest

from bench.command_costs import first_port
from bench.stack import listening_pid


@pytest.mark.parametrize(
    ("uri", "port"),
    [
        ("mongodb://127.0.0.1:27018/?replicaSet=rs0", 27018),
        ("mongodb://127.0.0.1:27800/?directConnection=true", 27800),
        ("mongodb://user:p%40ss@db.local:27019/seva?authSource=admin", 27019),
        ("mongodb://a.local:27021,b.local:27022/?replicaSet=rs0", 27021),
        ("mongodb://a.local,b.local:27022", 27017),
        ("mongodb://localhost", 27017),
    ],
)
def test_the_port_is_the_first_hosts(uri: str, port: int) -> None:
    assert first_port(uri) == port


def test_the_process_listening_on_a_port_is_found() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        assert listening_pid(port) == os.getpid()
    assert listening_pid(port) is None  # closed: nobody listens there
