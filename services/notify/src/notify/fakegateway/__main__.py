"""python -m notify.fakegateway: the fake SMS gateway on SMS_GATEWAY_PORT (8005), bound to
SMS_GATEWAY_HOST (127.0.0.1; 0.0.0.0 in a container)."""

import os

import uvicorn

from notify.fakegateway.app import app_from_env

if __name__ == "__main__":
    uvicorn.run(
        app_from_env(),
        host=os.environ.get("SMS_GATEWAY_HOST", "127.0.0.1"),
        port=int(os.environ.get("SMS_GATEWAY_PORT", "8005")),
        access_log=False,
    )
