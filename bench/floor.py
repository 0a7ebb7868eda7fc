"""The floor: a bare FastAPI endpoint doing one MongoDB `find_one` and one upsert, served by
uvicorn with the OTP service's worker count and the services' collector settings
(`servicekit.runtime.tune_collector`). Nothing else: no auth, no rules, no Kafka.

    uvicorn bench.floor:create_app --factory --workers 2 --port P   (MONGODB_URI in env)
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel
from pymongo import AsyncMongoClient

from servicekit.runtime import tune_collector


class Body(BaseModel):
    key: str


def create_app() -> FastAPI:
    mongo: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(os.environ["MONGODB_URI"])
    collection = mongo["bench_floor"]["docs"]

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        tune_collector()
        yield
        await mongo.close()

    app = FastAPI(lifespan=lifespan)

    @app.post("/floor", status_code=202)
    async def floor(body: Body) -> dict[str, Any]:
        found = await collection.find_one({"_id": body.key})
        await collection.update_one(
            {"_id": body.key},
            {"$set": {"seen_at": datetime.now(UTC)}, "$inc": {"hits": 1}},
            upsert=True,
        )
        return {"key": body.key, "hits": (found or {}).get("hits", 0) + 1}

    return app
