"""The official Plivo Python SDK against a running mock, pointed at it the way the fact sheet says."""

from __future__ import annotations

import plivo
import pytest
from mock_helpers import ACCOUNT_A, ACCOUNT_B
from plivo import exceptions

from tests.support import point_sdk_at


@pytest.fixture
def sdk(live_url, monkeypatch):
    point_sdk_at(monkeypatch, live_url)
    with plivo.RestClient(*ACCOUNT_A) as client:
        yield client


def test_sdk_send_single(sdk):
    response = sdk.messages.create(src="+14155550100", dst="+14155550123", text="hello from the SDK")
    assert response.message == "message(s) queued"
    assert len(response.message_uuid) == 1
    assert "invalid_number" not in response


def test_sdk_send_bulk_with_invalid_number(sdk):
    response = sdk.messages.create(src="14155550100", dst="14155550001<14155550002<oops", text="bulk")
    assert len(response.message_uuid) == 2
    assert response.invalid_number == ["oops"]


def test_sdk_get_message(sdk, app):
    uuid = sdk.messages.create(src="14155550100", dst="14155550123", text="x" * 200).message_uuid[0]
    app.clock.advance(5)
    message = sdk.messages.get(uuid)
    assert message.message_uuid == uuid
    assert message.message_state == "delivered"
    assert message.error_code == "000"
    assert message.units == 2
    assert message.total_amount == "0.01000"


def test_sdk_list_with_filters_and_paging(sdk, app):
    for i in range(7):
        sdk.messages.create(src="14155550100", dst=f"1415555020{i}", text=f"m{i}")
    app.clock.advance(2)
    first = sdk.messages.list(limit=5, offset=0, message_direction="outbound", message_state="sent")
    assert first.meta.total_count == 7
    assert len(first.objects) == 5
    assert first.meta.next == (f"/v1/Account/{ACCOUNT_A[0]}/Message/"
                               "?limit=5&offset=5&message_direction=outbound&message_state=sent")
    second = sdk.messages.list(limit=5, offset=5, message_direction="outbound", message_state="sent")
    assert len(second.objects) == 2 and second.meta.next is None
    tos = [m.to_number for m in list(first) + list(second)]
    assert tos == [f"1415555020{i}" for i in reversed(range(7))]
    assert sdk.messages.list(to_number="14155550203").meta.total_count == 1
    assert sdk.messages.list(message_time__gte="2000-01-01 00:00:00", message_type="mms").meta.total_count == 0


def test_sdk_make_get_list_and_hang_up_call(sdk, app):
    fired = sdk.calls.create(from_="+14155550100", to_="14155550123", answer_url="https://example.com/answer",
                             answer_method="GET")
    assert fired.message == "call fired"
    call = sdk.calls.get(fired.request_uuid)
    assert call.call_uuid == fired.request_uuid
    assert call.to_number == "14155550123"
    listed = sdk.calls.list()
    assert [c["call_uuid"] for c in listed.objects] == [fired.request_uuid]
    assert sdk.live_calls.list_ids().calls == [fired.request_uuid]  # GET Call/?status=live
    app.clock.advance(10)
    assert sdk.calls.delete(fired.request_uuid) is None
    assert sdk.calls.get(fired.request_uuid).bill_duration == 8


def test_sdk_account_details(sdk):
    account = sdk.account.get()
    assert account.auth_id == ACCOUNT_A[0]


def test_sdk_bad_credentials_raise_authentication_error(live_url, sdk):
    with plivo.RestClient(ACCOUNT_A[0], "wrong-token") as bad, \
            pytest.raises(exceptions.AuthenticationError, match="incorrect authentication credentials"):
        bad.messages.create(src="14155550100", dst="14155550123", text="x")
    # (Not messages.list: the SDK itself fails with a TypeError on any error body of a list call.)
    with plivo.RestClient(ACCOUNT_B[0], "token-a") as other, pytest.raises(exceptions.AuthenticationError):
        other.account.get()


def test_sdk_unknown_ids_raise_resource_not_found(sdk):
    with pytest.raises(exceptions.ResourceNotFoundError, match="not found"):
        sdk.messages.get("00000000-0000-0000-0000-000000000000")
    with pytest.raises(exceptions.ResourceNotFoundError):
        sdk.calls.get("00000000-0000-0000-0000-000000000000")


def test_sdk_bad_input_raises_validation_error(sdk):
    with pytest.raises(exceptions.ValidationError, match="is not a valid phone number"):
        sdk.messages.create(src="14155550100", dst="12ab", text="x")
    with pytest.raises(exceptions.ValidationError, match="message_expiry"):
        sdk.messages.create(src="14155550100", dst="14155550123", text="x", message_expiry=1)
    with pytest.raises(exceptions.ValidationError, match="to"):
        sdk.calls.create(from_="14155550100", to_="not-a-number", answer_url="https://example.com/a")
