"""POST Message/: validation of the send body, bulk destinations, units and prices."""

from __future__ import annotations

import json

import pytest


def test_bulk_dst_makes_one_message_per_valid_number(client):
    r = client.send(dst="14155550001<+14155550002<jsgf3dsjh28372<123")
    assert r.status == 202
    assert len(r.json["message_uuid"]) == 2
    assert len(set(r.json["message_uuid"])) == 2
    assert r.json["invalid_number"] == ["jsgf3dsjh28372", "123"]
    tos = sorted(m["to_number"] for m in client.list_messages().json["objects"])
    assert tos == ["14155550001", "14155550002"]


def test_invalid_number_key_only_when_some_were_invalid(client):
    assert "invalid_number" not in client.send(dst="14155550001<14155550002").json


def test_single_invalid_dst_is_400_with_plivo_text(client):
    r = client.send(dst="1111111x")
    assert r.status == 400
    assert r.json["error"] == "'1111111x' is not a valid phone number."
    assert "api_id" in r.json


def test_all_invalid_dsts_are_400(client):
    r = client.send(dst="abc<123")
    assert r.status == 400
    assert "dst" in r.json["error"]
    assert client.list_messages().json["meta"]["total_count"] == 0


def test_too_many_destinations_are_400(client):
    r = client.send(dst="<".join(str(14155500000 + i) for i in range(1001)))
    assert r.status == 400
    assert "dst" in r.json["error"]


@pytest.mark.parametrize("name", ["dst", "src", "text"])
def test_required_fields_are_400_naming_them(client, name):
    r = client.send(**{name: None})
    assert r.status == 400
    assert r.json["error"].startswith(f"{name} parameter is missing")


def test_empty_text_counts_as_missing(client):
    r = client.send(text="")
    assert r.status == 400
    assert r.json["error"] == "text parameter is missing"


def test_blank_text_is_text(client):
    # Exactly what the definition's minLength 1 allows is accepted; nothing is trimmed.
    assert client.send(text="  ").status == 202


def test_callback_method_is_exact(client):
    r = client.send(url="https://example.com/status", method="post")
    assert r.status == 400
    assert r.json["error"] == "method must be GET or POST"


def test_powerpack_uuid_replaces_src(client):
    r = client.send(src=None, powerpack_uuid="d0e0c8ba-1111-2222-3333-444455556666")
    assert r.status == 202
    record = client.list_messages().json["objects"][0]
    assert record["powerpack_id"] == "d0e0c8ba-1111-2222-3333-444455556666"
    assert record["from_number"] == "14155550100"


def test_src_and_powerpack_together_are_400(client):
    r = client.send(powerpack_uuid="d0e0c8ba-1111-2222-3333-444455556666")
    assert r.status == 400
    assert "powerpack_uuid" in r.json["error"] and "src" in r.json["error"]


def test_alphanumeric_sender_id_is_accepted_for_sms(client):
    assert client.send(src="INSID").status == 202
    assert client.list_messages().json["objects"][0]["from_number"] == "INSID"


@pytest.mark.parametrize("src", ["+0123", "hello world 123", "1-415-555"])
def test_invalid_src_is_400(client, src):
    r = client.send(src=src)
    assert r.status == 400
    assert "src" in r.json["error"]


def test_unknown_field_is_400_naming_it(client):
    r = client.send(colour="blue", zeta=1)
    assert r.status == 400
    assert r.json["error"] == "unknown parameter(s): colour, zeta"


def test_malformed_json_is_400(client):
    r = client.request("POST", client.uri("Message/"), data=b'{"src": "1415', content_type="application/json")
    assert r.status == 400
    assert r.json["error"].startswith("malformed JSON body")


@pytest.mark.parametrize("raw", [b'["src"]', b'"text"', b"42", b"null"])
def test_json_that_is_not_an_object_is_400(client, raw):
    r = client.request("POST", client.uri("Message/"), data=raw, content_type="application/json")
    assert r.status == 400
    assert r.json["error"] == "the JSON body must be an object"


@pytest.mark.parametrize("raw", [b'{"message_expiry": NaN}', b'{"a": Infinity}', b"\xff\xfe{}", b"[" * 100000])
def test_non_json_values_and_bad_encodings_are_400(client, raw):
    r = client.request("POST", client.uri("Message/"), data=raw, content_type="application/json")
    assert r.status == 400
    assert r.json["error"].startswith("malformed JSON body")


def test_wrong_content_type_is_400_naming_it(client):
    r = client.request("POST", client.uri("Message/"), data=b"src=1", content_type="text/plain")
    assert r.status == 400
    assert r.json["error"] == "unsupported Content-Type 'text/plain': use application/json"


def test_missing_content_type_with_a_body_is_400(client):
    r = client.request("POST", client.uri("Message/"), data=b'{"src": "14155550100"}')
    assert r.status == 400
    assert "Content-Type" in r.json["error"]


def test_json_with_charset_is_accepted(client):
    r = client.request("POST", client.uri("Message/"), content_type="application/json; charset=utf-8",
                       data=json.dumps({"src": "14155550100", "dst": "14155550123", "text": "x"}).encode())
    assert r.status == 202


def test_form_encoded_body_is_accepted_like_plivo(client):
    r = client.request("POST", client.uri("Message/"), content_type="application/x-www-form-urlencoded",
                       data=b"src=14155550100&dst=14155550123&text=hello+there&log=false&message_expiry=60")
    assert r.status == 202
    assert client.list_messages().json["objects"][0]["to_number"] == "14155550123"


def test_body_over_one_mib_is_413_without_reading(client):
    class Unreadable:
        def read(self, *args):
            raise AssertionError("the body must not be read")

    r = client.request("POST", client.uri("Message/"), content_type="application/json",
                       headers={"Content-Length": str(1024 * 1024 + 1)})
    assert r.status == 413
    environ_body = Unreadable()
    # Same request, with a wsgi.input that fails if touched.
    captured = {}
    env = {"REQUEST_METHOD": "POST", "PATH_INFO": client.uri("Message/"), "CONTENT_TYPE": "application/json",
           "CONTENT_LENGTH": str(5 * 1024 * 1024), "wsgi.input": environ_body, "REMOTE_ADDR": "127.0.0.1"}
    body = b"".join(client.app(env, lambda s, h: captured.update(status=s)))
    assert captured["status"].startswith("413")
    assert b"too large" in body


def test_body_of_exactly_one_mib_is_read(client):
    padding = " " * (1024 * 1024 - 60)
    raw = ('{"src": "14155550100", "dst": "14155550123", "text": "x"' + padding + "}").encode()
    assert len(raw) <= 1024 * 1024
    assert client.request("POST", client.uri("Message/"), data=raw, content_type="application/json").status == 202


def test_invalid_content_length_is_400(client):
    r = client.request("POST", client.uri("Message/"), headers={"Content-Length": "12abc"})
    assert r.status == 400
    assert "Content-Length" in r.json["error"]


@pytest.mark.parametrize(("fields", "name"), [
    ({"type": "fax"}, "type"),
    ({"url": "ftp://example.com/cb"}, "url"),
    ({"url": "not a url"}, "url"),
    ({"method": "PUT"}, "method"),
    ({"log": "maybe"}, "log"),
    ({"trackable": 1}, "trackable"),
    ({"message_expiry": 4}, "message_expiry"),
    ({"message_expiry": 10801}, "message_expiry"),
    ({"message_expiry": True}, "message_expiry"),
    ({"message_expiry": "60"}, "message_expiry"),
    ({"text": 5}, "text"),
    ({"dst": ["14155550123"]}, "dst"),
    ({"media_urls": ["https://example.com/a.png"]}, "media_urls"),
    ({"type": "mms", "media_urls": "https://example.com/a.png"}, "media_urls"),
    ({"type": "mms", "media_urls": ["nope"]}, "media_urls"),
    ({"type": "mms", "media_urls": [f"https://e.com/{i}" for i in range(11)]}, "media_urls"),
    ({"type": "whatsapp", "media_ids": ["m1"]}, "media_ids"),
    ({"template": {"name": "t"}}, "template"),
    ({"type": "whatsapp", "template": "t"}, "template"),
])
def test_invalid_optional_fields_are_400_naming_them(client, fields, name):
    r = client.send(**fields)
    assert r.status == 400, r
    assert name in r.json["error"]


@pytest.mark.parametrize("fields", [
    {"url": "https://example.com/status", "method": "GET", "log": False, "trackable": True},
    {"log": "true", "method": "POST"},  # the Python SDK sends log as the string "true"
    {"message_expiry": 5}, {"message_expiry": 10800},
    {"type": "mms", "text": None, "media_urls": ["https://example.com/a.png"]},
    {"type": "mms", "text": None, "media_ids": ["801c2056-33ab-499c-80ef-58b574a462a2"]},
    {"type": "whatsapp", "message_expiry": 86400},
    {"type": "whatsapp", "text": None, "template": {"name": "hello", "language": "en"}},
    {"dlt_entity_id": "1", "dlt_template_id": "2", "dlt_template_category": "service_implicit"},
])
def test_valid_optional_fields_are_accepted(client, fields):
    r = client.send(**fields)
    assert r.status == 202, r


def test_mms_needs_text_or_media(client):
    r = client.send(type="mms", text=None)
    assert r.status == 400
    assert "mms" in r.json["error"]


def test_whatsapp_needs_a_phone_number_src(client):
    assert client.send(type="whatsapp", src="INSID").status == 400
    assert client.send(type="whatsapp", src=None, powerpack_uuid="p").json["error"] == "src parameter is missing"


@pytest.mark.parametrize(("text", "units", "amount"), [
    # GSM 03.38 text: 160 characters in one unit, then 153 per unit (the rest is the UDH header).
    ("x", 1, "0.00500"), ("x" * 160, 1, "0.00500"), ("x" * 161, 2, "0.01000"), ("x" * 306, 2, "0.01000"),
    ("x" * 307, 3, "0.01500"), ("x" * 1600, 11, "0.05500"),
    # The extension characters (here "{") take two places.
    ("{" * 80, 1, "0.00500"), ("{" * 81, 2, "0.01000"),
    # Anything outside GSM makes the whole text UCS-2: 70 in one unit, then 67 per unit.
    ("ж" * 70, 1, "0.00500"), ("ж" * 71, 2, "0.01000"), ("ж" * 134, 2, "0.01000"), ("x" * 100 + "ж", 2, "0.01000"),
    # An emoji is two UTF-16 code units.
    ("\U0001F600" * 35, 1, "0.00500"), ("\U0001F600" * 36, 2, "0.01000"),
])
def test_units_follow_plivos_gsm_and_ucs2_rules(client, text, units, amount):
    client.send(text=text)
    record = client.list_messages().json["objects"][0]
    assert record["units"] == units
    assert record["total_rate"] == "0.00500"
    assert record["total_amount"] == amount


def test_mms_is_one_unit_at_mms_rate(client):
    client.send(type="mms", media_urls=["https://example.com/a.png"], text="x" * 500)
    record = client.list_messages().json["objects"][0]
    assert (record["message_type"], record["units"], record["total_rate"]) == ("mms", 1, "0.02000")


def test_lone_surrogate_in_json_is_400(client):
    raw = b'{"src": "14155550100", "dst": "14155550123", "text": "\\ud800"}'
    r = client.request("POST", client.uri("Message/"), data=raw, content_type="application/json")
    assert r.status == 400
    assert "surrogate" in r.json["error"]


@pytest.mark.parametrize("dst", [" ", "+", "0014155550123", "1415555012345678", "1415555x123"])
def test_destinations_must_be_e164_like(client, dst):
    assert client.send(dst=dst).status == 400


def test_trailing_newline_does_not_pass_a_number_check(client):
    # "$" would match before a trailing newline; the patterns end in \Z.
    assert client.send(src="14155550100\n").status == 400


@pytest.mark.parametrize("name", ["method", "text", "url"])
def test_explicit_null_is_400_naming_the_field(client, name):
    body = {"src": "14155550100", "dst": "14155550123", "text": "x", name: None}
    r = client.request("POST", client.uri("Message/"), json_body=body)
    assert r.status == 400
    assert r.json["error"] == f"{name} may not be null"
