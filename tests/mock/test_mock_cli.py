"""The command line: arguments, startup output, demo account, exit codes, signals."""

from __future__ import annotations

import argparse
import json
import re
import signal
import urllib.error
import urllib.request

import pytest
from mock_helpers import ACCOUNT_A, MockProcess, basic

from scripts.mock.cli import add_arguments


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="mock")
    add_arguments(p)
    return p


def get(url: str, auth: tuple[str, str]) -> tuple[int, dict]:
    req = urllib.request.Request(url, headers={"Authorization": basic(*auth)})
    try:
        with urllib.request.urlopen(req, timeout=5) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        with err:
            return err.code, json.loads(err.read())


def test_defaults():
    args = parser().parse_args([])
    assert (args.host, args.port, args.account, args.db, args.no_throttle) == ("127.0.0.1", 8765, [], None, False)


def test_accounts_are_repeatable_and_parsed():
    args = parser().parse_args(["--account", "MAAAAAAAAAAAAAAAAAAA:tok:with:colons",
                                "--account", "SA0123456789ABCDEFGH:t2", "--no-throttle", "--port", "0"])
    assert args.account == [("MAAAAAAAAAAAAAAAAAAA", "tok:with:colons"), ("SA0123456789ABCDEFGH", "t2")]
    assert args.no_throttle is True and args.port == 0


@pytest.mark.parametrize("value", ["MAAAAAAAAAAAAAAAAAAA", "MAAAAAAAAAAAAAAAAAAA:", "XA0123456789ABCDEFGH:t",
                                   "maaaaaaaaaaaaaaaaaaa:t", "MA123:t", ":t"])
def test_bad_account_is_exit_2_naming_flag_and_value(value, capsys):
    with pytest.raises(SystemExit) as exc:
        parser().parse_args(["--account", value])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "--account" in err and repr(value) in err


def test_module_bad_account_exits_2():
    proc = MockProcess("--account", "nonsense", "--port", "0")
    assert proc.proc.wait(timeout=10) == 2
    assert "argument --account: invalid value 'nonsense'" in proc.proc.stderr.read()
    proc.stop()


def test_demo_account_is_printed_and_works_then_sigterm_stops():
    proc = MockProcess("--port", "0")
    try:
        url = proc.wait_listening()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", url)
        demo = re.fullmatch(r"Demo account: auth_id=(MA[A-Z0-9]{18}) auth_token=([A-Za-z0-9]{40})", proc.line())
        assert demo
        status, body = get(f"{url}/v1/Account/{demo[1]}/", (demo[1], demo[2]))
        assert status == 200 and body["auth_id"] == demo[1]
        proc.proc.send_signal(signal.SIGTERM)
        assert proc.proc.wait(timeout=10) == 0
        assert proc.line() == "Plivo mock stopped"
    finally:
        proc.stop()


def test_given_account_no_demo_and_sigint_stops():
    proc = MockProcess("--port", "0", "--account", f"{ACCOUNT_A[0]}:{ACCOUNT_A[1]}")
    try:
        url = proc.wait_listening()
        assert get(f"{url}/v1/Account/{ACCOUNT_A[0]}/", ACCOUNT_A)[0] == 200
        proc.proc.send_signal(signal.SIGINT)
        assert proc.proc.wait(timeout=10) == 0
        assert proc.line() == "Plivo mock stopped"  # no demo line came before it
    finally:
        proc.stop()


def test_module_uses_the_default_throttle_100_per_60s():
    proc = MockProcess("--port", "0", "--account", f"{ACCOUNT_A[0]}:{ACCOUNT_A[1]}")
    try:
        url = proc.wait_listening()
        statuses = [get(f"{url}/v1/Account/{ACCOUNT_A[0]}/", ACCOUNT_A)[0] for _ in range(101)]
        assert statuses == [200] * 100 + [429]
    finally:
        proc.stop()


def test_port_in_use_is_a_clear_error():
    first = MockProcess("--port", "0", "--account", f"{ACCOUNT_A[0]}:{ACCOUNT_A[1]}")
    try:
        port = first.wait_listening().rsplit(":", 1)[1]
        second = MockProcess("--port", port)
        assert second.proc.wait(timeout=10) == 1
        assert "cannot listen on 127.0.0.1:" + port in second.proc.stderr.read()
        second.stop()
    finally:
        first.stop()


@pytest.mark.parametrize("value", ["-1", "65536", "http", "80.5"])
def test_bad_port_is_exit_2_naming_flag_and_value(value, capsys):
    with pytest.raises(SystemExit) as exc:
        parser().parse_args(["--port", value])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "--port" in err and repr(value) in err


def test_unusable_db_file_is_a_clear_error(tmp_path):
    proc = MockProcess("--port", "0", "--db", str(tmp_path / "missing-dir" / "x.sqlite"))
    assert proc.proc.wait(timeout=10) == 1
    assert "cannot use --db" in proc.proc.stderr.read()
    proc.stop()


def test_timezone_flag_is_checked(capsys):
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    assert parser.parse_args(["--timezone", "Asia/Kolkata"]).timezone == "Asia/Kolkata"
    with pytest.raises(SystemExit):
        parser.parse_args(["--timezone", "Mars/Olympus"])
    assert "expected an IANA time zone name" in capsys.readouterr().err
