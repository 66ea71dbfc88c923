"""The From drop-downs list the account's numbers (ListNumbers) while a typed number or sender ID
still works; GetNumber and GetApplication on the committed definition."""

from __future__ import annotations

import pytest

from scripts.mock import applications, numbers
from scripts.runtime import options
from tests.runtime.helpers import AUTH_ID


@pytest.fixture
def rented(app):
    app_id = applications.add(app, AUTH_ID, "Support line")
    numbers.rent(app, AUTH_ID, "14155550100", app_id=app_id, alias="Support")
    numbers.rent(app, AUTH_ID, "14155550101", services="voice")
    numbers.rent(app, AUTH_ID, "14155550102", services="sms,mms")
    app.accounts["MAOTHERACCOUNT000001"] = "t"
    numbers.rent(app, "MAOTHERACCOUNT000001", "14155550199")
    return app_id


@pytest.mark.parametrize(("operation_id", "key", "expected"), [
    ("SendSMS", "src", ["14155550100", "14155550102"]),     # numbers that can send SMS
    ("MakeCall", "from", ["14155550100", "14155550101"]),   # numbers that can call
    ("OnMessageFailed", "from_number", ["14155550100", "14155550102"]),
    ("GetNumber", "number", ["14155550100", "14155550101", "14155550102"]),
])
def test_from_dropdowns_list_the_accounts_numbers(runtime, rented, operation_id, key, expected):
    assert [o.value for o in options(runtime, operation_id, key)] == expected


def test_every_number_input_has_a_dropdown(connector):
    for operation in connector.operations.values():
        for inp in operation.inputs:
            if inp.key in ("src", "from", "from_number", "number") and not inp.internal:
                assert (inp.dynamic_values or {}).get("operationId") == "ListNumbers", (operation.id, inp.key)


@pytest.mark.parametrize("src", ["14155550177", "+14155550177", "MyShop"])
def test_a_typed_number_or_sender_id_still_works(runtime, rented, src):
    """A drop-down does not restrict the value: Power Automate lets the maker enter a custom value,
    and the definition's pattern still takes any number or alphanumeric sender ID."""
    body = runtime.call("SendSMS", {"src": src, "dst": "14155550123", "text": "hello"}).body
    assert len(body["message_uuid"]) == 1


def test_get_number_and_its_application(runtime, rented):
    number = runtime.call("GetNumber", {"number": "14155550100"}).body
    assert number["alias"] == "Support" and number["application"].endswith(f"/Application/{rented}/")
    application = runtime.call("GetApplication", {"app_id": rented}).body
    assert application["app_name"] == "Support line" and application["message_url"] == ""


def test_search_phone_numbers(runtime):
    page = runtime.call("SearchPhoneNumbers", {"country_iso": "GB", "limit": 5}).body
    assert page["meta"]["total_count"] == 12 and len(page["objects"]) == 5
    assert all(n["number"].startswith("4420") for n in page["objects"])
