"""Live calls on the mock: the live view (GET Call/{uuid}/?status=live) and speak, play, DTMF and
record on a call in progress, which fail with Plivo's 404 while it rings and after it ends."""

from __future__ import annotations

import pytest
from mock_helpers import ACCOUNT_A, WsgiClient

from scripts.mock import create_app
from scripts.mock.calls import RING_SECONDS

ACTIONS = [
    ("POST", "Speak", {"text": "Hello"}, "speak started"),
    ("POST", "Play", {"urls": "https://example.com/a.mp3"}, "play started"),
    ("POST", "DTMF", {"digits": "1w2#"}, "digits sent"),
    ("POST", "Record", {}, "call recording started"),
    ("DELETE", "Speak", None, None),
    ("DELETE", "Play", None, None),
    ("DELETE", "Record", None, None),
]
IDS = [f"{method} {name}" for method, name, _, _ in ACTIONS]


def _call(client, **fields) -> str:
    r = client.call(**fields)
    assert r.status == 201, r
    return r.json["request_uuid"]


def _act(client, uuid, method, name, body):
    return client.request(method, client.uri(f"Call/{uuid}/{name}/"), json_body=body)


def _live(client, uuid):
    return client.request("GET", client.uri(f"Call/{uuid}/"), query={"status": "live"})


def test_live_view_follows_the_call_from_ringing_to_its_end(client, app):
    uuid = _call(client, caller_name="Shop", to="+14155550123")
    ringing = _live(client, uuid)
    assert ringing.status == 200
    assert ringing.json["call_status"] == "ringing"
    assert {k: ringing.json[k] for k in ("call_uuid", "request_uuid", "caller_name", "direction", "from", "to")} \
        == {"call_uuid": uuid, "request_uuid": uuid, "caller_name": "Shop", "direction": "outbound",
            "from": "+14155550100", "to": "14155550123"}
    assert len(ringing.json["session_start"]) == len("2017-05-22 13:17:49.050872")
    app.clock.advance(RING_SECONDS)
    assert _live(client, uuid).json["call_status"] == "in-progress"
    assert client.request("DELETE", client.uri(f"Call/{uuid}/")).status == 204
    gone = _live(client, uuid)
    assert (gone.status, gone.json["error"]) == (404, "not found")


def test_live_view_rejects_other_status_values(client):
    uuid = _call(client)
    r = client.request("GET", client.uri(f"Call/{uuid}/"), query={"status": "queued"})
    assert r.status == 400 and "status" in r.json["error"]


@pytest.mark.parametrize(("method", "name", "body", "message"), ACTIONS, ids=IDS)
def test_action_needs_a_call_in_progress(client, app, method, name, body, message):
    uuid = _call(client, time_limit=60)
    assert _act(client, uuid, method, name, body).status == 404  # still ringing
    app.clock.advance(RING_SECONDS)
    r = _act(client, uuid, method, name, body)
    if message is None:
        assert (r.status, r.body) == (204, b"")
        assert "Content-Type" not in r.headers
    else:
        assert r.status == 202, r
        assert r.json["message"] == message and r.json["api_id"]
    app.clock.advance(60)  # the time limit ends the call
    ended = _act(client, uuid, method, name, body)
    assert (ended.status, ended.json["error"]) == (404, "not found")


@pytest.mark.parametrize(("method", "name", "body", "message"), ACTIONS, ids=IDS)
def test_action_on_another_accounts_or_an_unknown_call_is_404(client, client_b, app, method, name, body, message):
    uuid = _call(client)
    app.clock.advance(RING_SECONDS)
    assert _act(client_b, uuid, method, name, body).status == 404
    assert _act(client, "00000000-0000-0000-0000-000000000000", method, name, body).status == 404


@pytest.mark.parametrize(("method", "name", "body", "message"), ACTIONS, ids=IDS)
def test_action_without_credentials_is_401(client, method, name, body, message):
    r = client.request(method, client.uri(f"Call/x/{name}/"), json_body=body, auth=False)
    assert r.status == 401


@pytest.mark.parametrize(("name", "body", "field"), [
    ("Speak", {}, "text"),
    ("Speak", {"text": ""}, "text"),
    ("Speak", {"text": "x" * 3001}, "text"),
    ("Speak", {"text": "a", "voice": "ROBOT"}, "voice"),
    ("Speak", {"text": "a", "language": "english"}, "language"),
    ("Speak", {"text": "a", "legs": "cleg"}, "legs"),
    ("Speak", {"text": "a", "loop": "true"}, "loop"),  # a JSON string is not a boolean
    ("Speak", {"text": "a", "mix": 1}, "mix"),
    ("Speak", {"text": "a", "pitch": 3}, "pitch"),
    ("Speak", {"text": "a", "call_uuid": "someone-else"}, "call_uuid"),
    ("Play", {}, "urls"),
    ("Play", {"urls": "ftp://example.com/a.mp3"}, "urls"),
    ("Play", {"urls": "https://example.com/a.mp3,"}, "urls"),
    ("Play", {"urls": ["https://example.com/a.mp3"]}, "urls"),
    ("Play", {"urls": "https://example.com/a.mp3", "length": 0}, "length"),
    ("DTMF", {}, "digits"),
    ("DTMF", {"digits": "12a"}, "digits"),
    ("DTMF", {"digits": "1", "leg": "both"}, "leg"),
    ("Record", {"time_limit": 0}, "time_limit"),
    ("Record", {"file_format": "ogg"}, "file_format"),
    ("Record", {"callback_url": "example.com"}, "callback_url"),
    ("Record", {"callback_method": "PUT"}, "callback_method"),
    ("Record", {"record_channel_type": "quad"}, "record_channel_type"),
])
def test_invalid_fields_are_400_naming_them(client, app, name, body, field):
    uuid = _call(client)
    app.clock.advance(RING_SECONDS)
    r = _act(client, uuid, "POST", name, body)
    assert r.status == 400, r
    assert field in r.json["error"]


def test_stop_requests_take_only_callback_fields(client, app):
    uuid = _call(client)
    app.clock.advance(RING_SECONDS)
    assert _act(client, uuid, "DELETE", "Speak", {"text": "x"}).status == 400
    assert _act(client, uuid, "DELETE", "Play", {"call_uuid": uuid, "callback_url": "https://e.com/c"}).status == 204


def test_form_bodies_spell_booleans_as_strings(client, app):
    uuid = _call(client)
    app.clock.advance(RING_SECONDS)
    r = client.request("POST", client.uri(f"Call/{uuid}/Speak/"), data=b"text=Hi&loop=true&mix=false",
                       content_type="application/x-www-form-urlencoded")
    assert r.status == 202, r


def test_several_urls_play_in_one_request(client, app):
    uuid = _call(client)
    app.clock.advance(RING_SECONDS)
    assert _act(client, uuid, "POST", "Play", {"urls": "https://a.example/1.mp3,http://b.example/2.wav",
                                               "legs": "both", "loop": True, "length": 30}).status == 202


def test_live_actions_count_towards_the_throttle():
    app = create_app(dict([ACCOUNT_A]), throttle=(3, 60.0))
    client = WsgiClient(app)
    uuid = _call(client)
    app.clock.advance(RING_SECONDS)
    assert _act(client, uuid, "POST", "DTMF", {"digits": "1"}).status == 202
    assert _act(client, uuid, "DELETE", "Speak", None).status == 204
    r = _act(client, uuid, "POST", "DTMF", {"digits": "1"})
    assert r.status == 429 and r.headers["Retry-After"]
    app.close()
