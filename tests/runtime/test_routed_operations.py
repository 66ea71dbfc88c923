"""Operations that policies limited to them send elsewhere: LookupNumber to lookup.plivo.com (its own
dynamichosturl), SendMMS to POST /Message/ (routerequesttoendpoint); and the connection test."""

from __future__ import annotations

import json

from scripts.mock import create_app
from scripts.runtime import Connector, Runtime
from scripts.runtime.transport import WsgiTransport
from tests.runtime.helpers import ACCOUNT_URL, AUTH_ID, CONNECTION, TOKEN, committed


def _runtime():
    app = create_app({AUTH_ID: TOKEN}, throttle=None)
    return Runtime(Connector.from_dicts(*committed()), CONNECTION, WsgiTransport(app)), app


def test_lookup_goes_to_its_own_host_without_the_account():
    runtime, app = _runtime()
    result = runtime.call("LookupNumber", {"phone_number": "+14154305556"})
    assert result.body["country"]["iso2"] == "US"
    assert result.request.url == "https://lookup.plivo.com/v1/Number/%2B14154305556?type=carrier"
    assert [e["path"] for e in app.request_log] == ["/v1/Number/+14154305556"]


def test_send_mms_is_sent_to_the_message_endpoint_with_type_mms():
    runtime, _ = _runtime()
    result = runtime.call("SendMMS", {"src": "14155550100", "dst": "14155550123",
                                      "media_urls": ["https://example.com/a.png"], "text": "Receipt"})
    assert result.request.url == f"{ACCOUNT_URL}/Message/" and result.request.method == "POST"
    assert json.loads(result.request.data())["type"] == "mms"
    uuid = result.body["message_uuid"][0]
    media = runtime.call("ListMessageMedia", {"message_uuid": uuid}).body["objects"]
    assert [m["content_type"] for m in media] == ["image/png"]


def test_the_connection_test_reads_the_account():
    swagger, _ = committed()
    assert swagger["x-ms-capabilities"] == {"testConnection": {"operationId": "GetAccount", "parameters": {}}}
    runtime, _ = _runtime()
    result = runtime.call("GetAccount")
    assert result.request.url == f"{ACCOUNT_URL}/" and result.body["auth_id"] == AUTH_ID


def test_a_verification_from_start_to_verified():
    runtime, _ = _runtime()
    uuid = runtime.call("StartVerification", {"recipient": "14155550123"}).body["session_uuid"]
    assert runtime.call("CheckVerificationCode", {"session_uuid": uuid, "otp": "123456"}).status == 200
    assert runtime.call("GetVerification", {"session_uuid": uuid}).body["status"] == "verified"


def test_a_powerpack_send_goes_to_the_message_endpoint_without_src():
    runtime, _ = _runtime()
    result = runtime.call("SendPowerpackSMS", {"powerpack_uuid": "pp-1", "dst": "14155550123", "text": "Hi"})
    assert result.request.url == f"{ACCOUNT_URL}/Message/"
    assert json.loads(result.request.data()) == {"powerpack_uuid": "pp-1", "dst": "14155550123", "text": "Hi"}
    record = runtime.call("GetMessage", {"message_uuid": result.body["message_uuid"][0]}).body
    assert record["powerpack_id"] == "pp-1"
