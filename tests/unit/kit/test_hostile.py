"""What only hostile input can raise is answered 422, not 500."""

from __future__ import annotations

from typing import Annotated

import httpx
from fastapi import FastAPI, Form
from pydantic import BaseModel

from servicekit.hostile import add_hostile_input_handlers


class Body(BaseModel):
    name: str


def _app() -> FastAPI:
    app = FastAPI()
    add_hostile_input_handlers(app)

    @app.post("/encode")
    async def encode(body: Body) -> dict[str, int]:
        return {"bytes": len(body.name.encode())}  # what a MongoDB or Kafka write does

    @app.post("/form")
    async def form(name: Annotated[str, Form()]) -> dict[str, str]:
        return {"name": name}

    @app.post("/walk")
    async def walk(body: Body) -> dict[str, int]:
        def down(n: int) -> int:
            return n if n > 10**6 else down(n + 1)

        return {"depth": down(0)}

    return app


async def _post(path: str, content: bytes) -> httpx.Response:
    transport = httpx.ASGITransport(app=_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.post(
            path, content=content, headers={"content-type": "application/json"}
        )


async def test_a_lone_surrogate_reaching_an_encoder_is_422() -> None:
    response = await _post("/encode", b'{"name": "a\\ud800"}')
    assert response.status_code == 422
    assert "not valid Unicode" in response.json()["detail"]


async def test_recursion_past_the_limit_is_422() -> None:
    response = await _post("/walk", b'{"name": "x"}')
    assert response.status_code == 422
    assert "nests too deeply" in response.json()["detail"]


async def test_a_number_json_cannot_carry_is_a_422_naming_it() -> None:
    for number in (b"NaN", b"Infinity", b"-Infinity", b"1e999"):
        response = await _post("/encode", b'{"name": ' + number + b"}")
        assert response.status_code == 422, number
        [problem] = response.json()["detail"]
        assert problem["loc"] == ["body", "name"]
        assert problem["input"] in {"nan", "inf", "-inf"}


async def test_a_form_part_that_is_not_utf8_is_a_400_not_latin1() -> None:
    body = b'--b\r\nContent-Disposition: form-data; name="name"\r\n\r\n\xff\xfeRam\r\n--b--\r\n'
    transport = httpx.ASGITransport(app=_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        refused = await client.post(
            "/form", content=body, headers={"content-type": "multipart/form-data; boundary=b"}
        )
        read = await client.post("/form", data={"name": "राम José"})
    assert refused.status_code == 400
    assert "not utf-8 text" in refused.json()["detail"]
    assert read.json() == {"name": "राम José"}
