"""`python -m ingest upload` and `completeness` against the service on a real socket."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import uvicorn

from ingest.app import create_app
from ingest.cli import main
from ingest.settings import IngestSettings
from tests.factories.ingest import TOKENS
from tests.helpers import eventually, free_port


@pytest.fixture
async def service_url(settings: IngestSettings) -> AsyncIterator[str]:
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_config=None)
    )
    task = asyncio.create_task(server.serve())

    async def started() -> bool:
        return server.started

    await eventually(started)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    await task


@pytest.fixture
def tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    for source, token in TOKENS.items():
        monkeypatch.setenv(f"INGEST_{source.upper()}_TOKEN", token)


@pytest.mark.usefixtures("tokens")
async def test_the_cli_uploads_a_file_and_prints_its_batch_report(
    service_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    master = tmp_path / "master.csv"
    master.write_text("entity_type,code,name\nddo,DDO-CLI-1,Treasury Officer Hisar\n")

    code = await asyncio.to_thread(
        main, ["upload", "--source", "master", str(master), "--url", service_url]
    )

    report = json.loads(capsys.readouterr().out)
    assert code == 0
    assert report["file_name"] == "master.csv"
    assert report["received"] == report["accepted"] + report["rejected"]
    assert report["rejections_url"].endswith("/rejections")


@pytest.mark.usefixtures("tokens")
async def test_the_cli_uploads_a_file_that_is_not_utf8_with_its_declared_charset(
    service_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    master = tmp_path / "master-latin1.csv"
    master.write_bytes("entity_type,code,name\nddo,DDO-CLI-2,Trésorerie Hisar\n".encode("latin-1"))
    args = ["upload", "--source", "master", str(master), "--url", service_url]

    refused = await asyncio.to_thread(main, args)
    refusal = json.loads(capsys.readouterr().out)
    declared = await asyncio.to_thread(main, [*args, "--charset", "latin-1"])
    report = json.loads(capsys.readouterr().out)

    assert refused == 1
    assert "not UTF-8: byte 0xE9 on line 2" in refusal["detail"]
    assert (declared, report["accepted"]) == (0, 1)


@pytest.mark.usefixtures("tokens")
async def test_the_cli_prints_the_completeness_report(
    service_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = await asyncio.to_thread(main, ["completeness", "--url", service_url])

    assert code == 0
    assert "gaps" in json.loads(capsys.readouterr().out)


async def test_the_cli_refuses_to_upload_without_a_token(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("INGEST_EBILLING_TOKEN", raising=False)
    path = tmp_path / "e.csv"
    path.write_text("x\n")
    with pytest.raises(SystemExit, match="INGEST_EBILLING_TOKEN"):
        main(["upload", "--source", "ebilling", str(path), "--url", "http://127.0.0.1:9"])
