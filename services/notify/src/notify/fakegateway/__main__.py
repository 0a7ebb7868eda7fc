"""python -m notify.fakegateway: the fake SMS gateway on SMS_GATEWAY_PORT (8005), for
development only: on loopback (SMS_GATEWAY_HOST must be a loopback address unless
SMS_GATEWAY_ALLOW_NON_LOOPBACK=1), its control routes behind SMS_GATEWAY_CONTROL_TOKEN."""

import os
import sys

import uvicorn

from notify.fakegateway.app import GatewayConfigError, app_from_env, bind_host

if __name__ == "__main__":
    try:
        host = bind_host(
            os.environ.get("SMS_GATEWAY_HOST"),
            os.environ.get("SMS_GATEWAY_ALLOW_NON_LOOPBACK") == "1",
        )
        app = app_from_env()
    except GatewayConfigError as error:
        sys.exit(f"fake SMS gateway: {error}")
    uvicorn.run(
        app,
        host=host,
        port=int(os.environ.get("SMS_GATEWAY_PORT", "8005")),
        access_log=False,
    )
