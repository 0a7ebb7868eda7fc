"""`/healthz`, `/readyz` and `/metrics`, the same on every service."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from prometheus_client import CollectorRegistry

from servicekit.observability import metrics_page

Check = Callable[[], Awaitable[None]]


async def _run(check: Check, timeout: float) -> str | None:
    """None when the dependency answers; otherwise why not."""
    try:
        await asyncio.wait_for(check(), timeout)
    except TimeoutError:
        return f"no answer within {timeout:g}s"
    except Exception as error:
        return f"{type(error).__name__}: {error}"[:300]
    return None


def health_router(
    checks: Mapping[str, Check], registry: CollectorRegistry, timeout: float = 2.0
) -> APIRouter:
    """Liveness (process up), readiness (every dependency answers) and metrics."""
    router = APIRouter(tags=["operations"])

    @router.get("/healthz", summary="The process is alive")
    async def healthz() -> dict[str, str]:
        return {"status": "alive"}

    @router.get("/readyz", summary="Kafka and MongoDB are reachable; 503 names what is not")
    async def readyz() -> JSONResponse:
        names = list(checks)
        results = await asyncio.gather(*(_run(checks[name], timeout) for name in names))
        failing = {name: why for name, why in zip(names, results, strict=True) if why}
        body = {
            "status": "unavailable" if failing else "ready",
            "checks": {name: failing.get(name, "ok") for name in names},
            "failing": sorted(failing),
        }
        return JSONResponse(body, status_code=503 if failing else 200)

    @router.get("/metrics", summary="Prometheus metrics", response_class=Response)
    async def metrics() -> Response:
        body, media_type = metrics_page(registry)
        return Response(body, media_type=media_type)

    return router
