"""The fields the HTTP gateway adapter sends a gateway on a loopback port: the account and
DLT fields as a form in a POST, or in the query of a GET, with the Hindi template's id and
the Unicode service type for a Hindi text, and a text answer read as the message id."""

from __future__ import annotations

from aiohttp import web

from notify.adapters.gateway import HttpSmsGateway
from notify.ports import OutgoingSms
from tests.unit.notify.loopback import SMS, Gateway, settings


async def test_a_post_sends_the_account_and_dlt_fields_as_a_form(gateway: Gateway) -> None:
    sms_gateway = HttpSmsGateway(settings(gateway.url))
    try:
        result = await sms_gateway.send(SMS)
    finally:
        await sms_gateway.close()

    assert (result.ok, result.message_id) == (True, "m1")
    assert gateway.agents == ["seva-suraksha-notify/1.0"], "a gateway's firewall may want one"
    assert gateway.seen == [
        {
            "method": "POST",
            "username": "hrygov",
            "password": "gateway-secret",
            "senderid": "HRYGOV",
            "mobileno": "919876543210",
            "content": "Your OTP is 482913",
            "smsservicetype": "otpmsg",
            "dlt_entity_id": "1101000000000000001",
            "dlt_template_id": "1107000000000000001",
            "msgid": "ch-1:1",
        }
    ]


async def test_a_get_gateway_gets_them_in_the_query_and_a_text_answer_is_its_id(
    gateway: Gateway,
) -> None:
    async def text(_: web.Request) -> web.StreamResponse:
        return web.Response(text="  402,MsgID = 150620201830  \n")

    gateway.answer = text
    sms_gateway = HttpSmsGateway(settings(gateway.url, gateway_method="GET"))
    try:
        result = await sms_gateway.send(
            OutgoingSms("9876543210", "आपका ओटीपी 482913", True, "t", "ch-2:1", "hi")
        )
    finally:
        await sms_gateway.close()

    assert (result.ok, result.message_id) == (True, "402,MsgID = 150620201830")
    sent = gateway.seen[0]
    assert (sent["method"], sent["content"]) == ("GET", "आपका ओटीपी 482913")
    assert sent["smsservicetype"] == "unicodemsg"
    assert sent["dlt_template_id"] == "1107000000000000002", "the Hindi template's id"
