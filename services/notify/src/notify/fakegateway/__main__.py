"""python -m notify.fakegateway: the fake SMS gateway on SMS_GATEWAY_PORT (8005)."""

import os

import uvicorn

from notify.fakegateway.app import app_from_env

if __name__ == "__main__":
    uvicorn.run(
        app_from_env(),
        host="127.0.0.1",
        port=int(os.environ.get("SMS_GATEWAY_PORT", "8005")),
        access_log=False,
    )
