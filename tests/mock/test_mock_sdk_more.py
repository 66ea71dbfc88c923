"""The official Python SDK on the newer resources: live call get, account, media, lookup, verify."""

from __future__ import annotations

import plivo
import pytest
from mock_helpers import ACCOUNT_A
from plivo import exceptions

from tests.support import point_sdk_at


@pytest.fixture
def sdk(live_url, monkeypatch):
    point_sdk_at(monkeypatch, live_url)
    from plivo.resources import lookup

    monkeypatch.setattr(lookup, "LOOKUP_API_ENDPOINT", live_url + "/v1/Number")
    with plivo.RestClient(*ACCOUNT_A) as client:
        yield client


def test_sdk_live_calls_get(sdk, app):
    uuid = sdk.calls.create(from_="14155550100", to_="14155550123", answer_url="https://example.com/a").request_uuid
    app.clock.advance(10)  # ringing, then answered: live
    live = sdk.live_calls.get(uuid)
    assert live.call_uuid == uuid and live.call_status == "in-progress"


def test_sdk_account_get(sdk):
    account = sdk.account.get()
    assert account.auth_id == ACCOUNT_A[0] and account.cash_credits == "100.00000"


def test_sdk_list_media(sdk):
    uuid = sdk.messages.create(src="14155550100", dst="14155550123", type_="mms",
                               media_urls=["https://example.com/x.jpg"]).message_uuid[0]
    media = sdk.messages.get(uuid).listMedia()
    assert [m.content_type for m in media.objects] == ["image/jpeg"]


def test_sdk_lookup(sdk):
    number = sdk.lookup.get("+14154305555")
    assert number.country.iso2 == "US" and number.carrier.type in ("mobile", "fixed")


def test_sdk_verify_session(sdk):
    started = sdk.verify_session.create(recipient="14155550123", channel="sms")
    with pytest.raises(exceptions.ValidationError):
        sdk.verify_session.validate(started.session_uuid, otp="999999")
    assert sdk.verify_session.validate(started.session_uuid, otp="123456").message == \
        "session validated successfully."
    assert sdk.verify_session.get(started.session_uuid).status == "verified"
