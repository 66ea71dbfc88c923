"""The contract run in worker processes: one run's output, the same verdicts, no silent failures."""

from __future__ import annotations

import collections
import copy
import os
import re
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from scripts.cli import main
from scripts.contract import run_contract
from scripts.contract.cli import embedded_mock_target
from scripts.contract.partition import input_counts, split
from scripts.contract.runner import RunOptions
from tests.project import ROOT

# Operations of no common resource (no value of one is used by another), and a few that share messages.
APART = ("GetAccount", "LookupNumber", "ListApplications")
MESSAGES = ("SendSMS", "ListMessages", "GetMessage", "GetAccount")
fork_only = pytest.mark.skipif(sys.platform != "linux", reason="the planted faults reach the workers by fork")


def _run(swagger, api_properties, workers: int, ops, *, phases=("examples", "coverage", "fuzzing", "stateful"),
         max_examples=5, monkeypatch=None, seed=20261127):
    """(exit code, cases per phase, failed (operation, check) pairs, operations per phase, target)."""
    import schemathesis.cli.executor as executor

    counts: collections.Counter = collections.Counter()
    failed, tested = set(), collections.defaultdict(list)
    original = getattr(executor.execute_event_loop, "unwatched", executor.execute_event_loop)

    def counting(stream, **kwargs):
        def watched():
            for event in stream:
                if type(event).__name__ == "ScenarioFinished":
                    counts[event.phase.value] += len(event.recorder.cases)
                    if event.label:
                        tested[event.phase.value].append(event.label)
                    for case_id, checks in event.recorder.checks.items():
                        label = event.recorder.cases[case_id].value.operation.label
                        failed.update((label, c.name) for c in checks if c.status.value == "failure")
                yield event
        return original(watched(), **kwargs)

    counting.unwatched = original
    monkeypatch.setattr(executor, "execute_event_loop", counting)
    target = embedded_mock_target(swagger, api_properties, seed=seed)
    code = run_contract(swagger, api_properties, target, seed=seed, max_examples=max_examples, phases=phases,
                        options=RunOptions(include=tuple(ops), workers=workers, color=False))
    return code, dict(counts), failed, dict(tested), target


def test_two_workers_report_what_one_process_reports(swagger, api_properties, monkeypatch, capsys):
    one = _run(swagger, api_properties, 1, APART, monkeypatch=monkeypatch)
    first = capsys.readouterr().out
    two = _run(swagger, api_properties, 2, APART, monkeypatch=monkeypatch)
    second = capsys.readouterr().out
    assert one[0] == two[0] == 0
    assert one[1] == two[1] and set(one[1]) >= {"examples", "coverage", "fuzzing"}  # cases per phase
    assert one[3] == two[3]  # the same operations, in the same order, in every phase

    def without_times(text: str) -> str:
        return re.sub(r"\d+\.\d+s", "T", text)

    assert without_times(first) == without_times(second)  # the same output, line for line
    assert two[4].worker_request_logs and len(two[4].worker_request_logs) == 2


def test_the_junit_report_lists_the_same_test_cases(tmp_path, capsys):
    names = []
    for workers in ("1", "2"):
        report = tmp_path / f"junit-{workers}.xml"
        args = ["contract", "--workers", workers, "--max-examples", "3", "--phases", "examples,fuzzing",
                "--junit", str(report), "--no-color"]
        for op in (*MESSAGES, *APART[1:]):
            args += ["--include-operation-id", op]
        assert main(args) == 0, capsys.readouterr().out
        last = capsys.readouterr().out.rstrip().splitlines()[-1]
        # With more than one worker the seed alone does not repeat the run: the output says how.
        assert (last == "Workers: 2 (to repeat this run: --seed 20261127 --workers 2)") == (workers == "2")
        cases = ET.parse(report).getroot().iter("testcase")
        names.append([(case.get("name"), [child.tag for child in case]) for case in cases])
    assert names[0] == names[1] and len(names[0]) == 6


def test_stateful_links_are_inferred_from_every_workers_observations(swagger, api_properties, monkeypatch,
                                                                     capsys):
    one = _run(swagger, api_properties, 1, MESSAGES, monkeypatch=monkeypatch)
    first = capsys.readouterr().out
    two = _run(swagger, api_properties, 2, MESSAGES, monkeypatch=monkeypatch)
    second = capsys.readouterr().out
    assert one[0] == two[0] == 0
    links = [re.search(r"API Links: +(.*)", out).group(1) for out in (first, second)]
    assert links[0] == links[1] and not links[0].startswith("0 covered")
    assert one[3] == two[3]


def test_a_planted_failure_is_reported_with_two_workers_as_with_one(swagger, api_properties, monkeypatch, capsys):
    broken = copy.deepcopy(swagger)
    broken["definitions"]["Message"]["properties"]["units"]["type"] = "string"
    one = _run(broken, api_properties, 1, MESSAGES, phases=("coverage", "fuzzing"), monkeypatch=monkeypatch)
    first = capsys.readouterr().out
    two = _run(broken, api_properties, 2, MESSAGES, phases=("coverage", "fuzzing"), monkeypatch=monkeypatch)
    second = capsys.readouterr().out
    assert one[0] == two[0] == 1
    assert one[2] == two[2] and ("GET /Message/", "response_schema_conformance") in one[2]
    for out in (first, second):
        assert "Response violates schema" in out and "GET /Message/" in out


def test_the_same_seed_and_workers_send_the_same_requests(swagger, api_properties, monkeypatch, capsys):
    def requests(seed):
        target = _run(swagger, api_properties, 2, MESSAGES, phases=("coverage", "fuzzing", "stateful"),
                      monkeypatch=monkeypatch, seed=seed)[4]
        return [[(e["method"], e["path"], e["query"], e["json"], e["status"]) for e in log]
                for log in target.worker_request_logs]

    first = requests(7)
    assert len(first) == 2 and all(first)
    assert first == requests(7)
    assert first != requests(8)


def test_spawned_workers_do_what_forked_ones_do(swagger, api_properties, monkeypatch, capsys):
    from scripts.contract import workers

    forked = _run(swagger, api_properties, 2, APART, phases=("examples", "fuzzing"), monkeypatch=monkeypatch)
    monkeypatch.setattr(workers, "START_METHOD", "spawn")
    spawned = _run(swagger, api_properties, 2, APART, phases=("examples", "fuzzing"), monkeypatch=monkeypatch)
    assert forked[:4] == spawned[:4]
    assert forked[4].worker_request_logs == spawned[4].worker_request_logs


def _cli(code: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """plivo-connector contract in a process of its own, after ``code`` (a planted fault)."""
    script = f"{code}\nfrom scripts.cli import main\nraise SystemExit(main({['contract', *args]!r}))"
    return subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=timeout)


@fork_only
def test_a_worker_that_dies_fails_the_run_clearly(tmp_path):
    report = tmp_path / "junit.xml"
    plant = """
import os, signal
from scripts.contract import wire
parent, sent, original = os.getpid(), [0], wire.EventWriter.dumps
def dumps(self, obj):
    sent[0] += 1
    if os.getpid() != parent and sent[0] == 40:
        os.kill(os.getpid(), signal.SIGKILL)
    return original(self, obj)
wire.EventWriter.dumps = dumps
"""
    done = _cli(plant, "--workers", "2", "--max-examples", "5", "--no-color", "--junit", str(report),
                *[a for op in MESSAGES for a in ("--include-operation-id", op)])
    assert done.returncode == 2, done.stdout[-2000:] + done.stderr[-2000:]
    assert re.search(r"worker \d of 2 \(.*\) was killed by SIGKILL before it finished; the run is incomplete",
                     done.stderr), done.stderr
    assert "No issues found" not in done.stdout
    assert ET.parse(report).getroot().find(".//error") is not None  # the report does not pass either


@fork_only
def test_a_stuck_worker_stops_the_run_naming_its_phase_and_operation():
    plant = """
import os, time
from scripts.contract import wire
parent, original = os.getpid(), wire.EventWriter.dumps
def dumps(self, obj):
    if os.getpid() != parent and type(obj).__name__ == "ScenarioStarted" and obj.phase.value == "fuzzing":
        time.sleep(3600)  # alive, and no progress ever again
    return original(self, obj)
wire.EventWriter.dumps = dumps
"""
    started = time.monotonic()
    done = _cli(plant, "--workers", "2", "--max-examples", "3", "--phases", "examples,fuzzing", "--no-color",
                "--stall-timeout", "2", *[a for op in APART for a in ("--include-operation-id", op)], timeout=60)
    assert done.returncode == 2, done.stdout[-2000:] + done.stderr[-2000:]
    assert re.search(r"worker \d of 2 \(.*\) sent nothing for 2 s \(its last event: the fuzzing phase\); it is "
                     r"stuck", done.stderr), done.stderr
    assert "No issues found" not in done.stdout
    assert time.monotonic() - started < 50


@fork_only
def test_the_stateful_worker_waiting_for_the_others_is_not_taken_for_stuck():
    # Worker 2 (all four operations: worker 1 has the stateful phase) takes 1 s more a scenario in
    # examples and coverage: worker 1 waits longer than the stall timeout for the observations its
    # stateful phase starts from (one per scenario of worker 2), without being taken for stuck.
    plant = """
import time
from scripts.contract import wire, workers
original_share = workers._run_share
def run_share(connection, job, observed):
    if job.index == 1:
        original = wire.EventWriter.dumps
        def dumps(self, obj):
            if type(obj).__name__ == "ScenarioFinished" and obj.phase.value in ("examples", "coverage"):
                time.sleep(1)
            return original(self, obj)
        wire.EventWriter.dumps = dumps
    return original_share(connection, job, observed)
workers._run_share = run_share
"""
    done = _cli(plant, "--workers", "2", "--max-examples", "3", "--phases", "examples,coverage,fuzzing,stateful",
                "--no-color", "--stall-timeout", "3.5", *[a for op in MESSAGES for a in ("--include-operation-id", op)],
                timeout=120)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "sent nothing" not in done.stderr


@fork_only
def test_only_one_thread_of_a_worker_writes_to_the_parent():
    # Two threads writing to the pipe at once interleave their frames, and the parent unpickles
    # garbage. The planted pipe is slow, so the sending thread is mid-write nearly all the time (as
    # on a busy machine), and it refuses a second writer instead of corrupting the stream.
    plant = """
import threading, time
from scripts.contract import workers
original_share = workers._run_share
class OneWriter:
    def __init__(self, connection):
        self.connection, self.busy = connection, threading.Lock()
    def send_bytes(self, data):
        if not self.busy.acquire(blocking=False):
            raise RuntimeError("two threads wrote to the parent at once")
        try:
            time.sleep(0.05)
            self.connection.send_bytes(data)
        finally:
            self.busy.release()
    def __getattr__(self, name):
        return getattr(self.connection, name)
def run_share(connection, job, observed):
    return original_share(OneWriter(connection), job, observed)
workers._run_share = run_share
"""
    done = _cli(plant, "--workers", "2", "--max-examples", "3", "--phases", "examples,stateful", "--no-color",
                *[a for op in MESSAGES for a in ("--include-operation-id", op)], timeout=120)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "two threads wrote" not in done.stderr


def test_a_bad_stall_timeout_is_refused(capsys):
    for value in ("-1", "soon", "inf"):
        with pytest.raises(SystemExit):
            main(["contract", "--stall-timeout", value])
        assert "--stall-timeout" in capsys.readouterr().err


def test_the_stall_timeout_defaults_and_turns_off(monkeypatch):
    from scripts.contract import cli

    seen = []
    monkeypatch.setattr(cli, "run_contract", lambda *a, **kwargs: seen.append(kwargs["options"].stall_timeout) or 0)
    for extra in ([], ["--stall-timeout", "0"], ["--stall-timeout", "30"], ["--rate-limit", "100/m", "--workers", "2"]):
        assert main(["contract", "--max-examples", "1", *extra]) == 0
    assert seen == [cli.STALL_TIMEOUT, None, 30.0, None]


@fork_only
def test_a_worker_that_fails_reports_its_error(tmp_path):
    plant = """
from scripts.contract import runner, workers
original_prepare, original_start = runner.prepare_schema, workers.start_workers
def broken(*args, **kwargs):
    raise RuntimeError("planted worker failure")
def start(*args, **kwargs):  # the workers, forked meanwhile, cannot make their run
    runner.prepare_schema = broken
    try:
        return original_start(*args, **kwargs)
    finally:
        runner.prepare_schema = original_prepare
workers.start_workers = start
"""
    done = _cli(plant, "--workers", "2", "--max-examples", "3", "--phases", "examples", "--no-color",
                *[a for op in APART for a in ("--include-operation-id", op)])
    assert done.returncode == 2, done.stdout[-2000:] + done.stderr[-2000:]
    assert "failed:" in done.stderr and "RuntimeError: planted worker failure" in done.stderr


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads child processes from /proc")
def test_ctrl_c_stops_every_worker():
    with subprocess.Popen([sys.executable, "-m", "scripts.cli", "contract", "--workers", "2", "--no-color",
                           "--max-examples", "1000"], cwd=ROOT, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True) as process:  # pipes closed, process reaped
        try:
            deadline = time.monotonic() + 60
            children: list[int] = []
            while len(children) < 2 and time.monotonic() < deadline:
                time.sleep(0.2)
                children = _children(process.pid)
            assert len(children) == 2
            time.sleep(1)
            process.send_signal(signal.SIGINT)
            out, err = process.communicate(timeout=60)
        finally:
            process.kill()
    assert process.returncode == 130, out[-2000:] + err[-2000:]
    for pid in children:
        assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]


@fork_only
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads child processes from /proc")
def test_workers_stop_when_the_parent_is_killed():
    """A parent killed outright (SIGKILL, a CI job's timeout) runs no clean-up: its workers must see
    their pipes end and stop. A forked worker that kept its own pipe's read end (or a sibling's)
    would never see that: it would run its whole share, then block on the full pipe for ever."""
    process = subprocess.Popen([sys.executable, "-m", "scripts.cli", "contract", "--workers", "2", "--no-color",
                                "--max-examples", "1000"], cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    children: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while len(children) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
            children = _children(process.pid)
        assert len(children) == 2
        time.sleep(2)
        process.kill()
        process.wait(timeout=60)
        deadline = time.monotonic() + 120  # each worker notices at its next event; generous for a loaded CI
        while time.monotonic() < deadline and any(_alive(pid) for pid in children):
            time.sleep(0.5)
        assert not [pid for pid in children if _alive(pid)], "workers outlived their killed parent"
    finally:
        process.kill()
        process.wait(timeout=60)
        for pid in children:  # clean up after a failure: these are this test's own grandchildren
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_stopping_a_worker_lets_the_observations_send_end_first():
    """The observations go to the stateful worker from a thread; a worker stopped meanwhile (a failed
    run) must not have that pipe closed under the send."""
    import multiprocessing
    import threading

    from scripts.contract.workers import _Child

    class Gone:  # the worker process, already ended
        exitcode = 0

        def is_alive(self) -> bool:
            return False

        def join(self, timeout=None) -> None:
            pass

    events_reader, events_writer = multiprocessing.Pipe(duplex=False)
    observed_reader, observed_writer = multiprocessing.Pipe(duplex=False)
    child = _Child(0, 2, Gone(), events_reader, [], observed_writer)
    child.send_observations(b"o" * 4_000_000)  # more than a pipe holds: the send waits for a reader
    ending = threading.Timer(0.5, observed_reader.close)  # the worker's end goes as the process ends
    ending.start()
    try:
        child.stop()
        assert not child.sending.is_alive()
        assert observed_writer.closed and events_reader.closed
    finally:
        ending.join()
        events_writer.close()


def _alive(pid: int) -> bool:
    """A contract worker of this test still running (not a zombie, not another process with its pid)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        return state != "Z" and b"scripts.cli" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


@pytest.mark.parametrize("value", ["0", "-1", "two", ""])
def test_a_bad_worker_count_is_refused_naming_the_option(value, capsys):
    with pytest.raises(SystemExit) as done:
        main(["contract", "--workers", value])
    assert done.value.code == 2
    assert "argument --workers:" in capsys.readouterr().err


def test_a_rate_limit_below_one_request_per_worker_is_refused(capsys):
    assert main(["contract", "--workers", "3", "--rate-limit", "2/s"]) == 2
    assert "--rate-limit 2/s is less than one request per s for each of 3 workers" in capsys.readouterr().err


def test_the_split_is_static_balanced_and_keeps_the_run_order():
    costs = [(f"op{i}", float(cost)) for i, cost in enumerate([17, 16, 8, 7, 7, 9, 12, 8])]
    shares = split(costs, 2, stateful=True)
    assert shares == split(costs, 2, stateful=True)
    assert sorted(label for share in shares for label in share) == sorted(label for label, _ in costs)
    order = [label for label, _ in costs]
    assert all(share == sorted(share, key=order.index) for share in shares)
    load = [sum(dict(costs)[label] for label in share) for share in shares]
    assert load[0] < load[1]  # worker 0 also runs the stateful phase
    assert split(costs, 2, stateful=False) != shares
    assert split(costs, 1, stateful=True) == [order]


def test_input_size_counts_parameters_and_body_properties():
    definition = {"definitions": {"Body": {"type": "object", "properties": {
        "a": {"type": "string"}, "b": {"type": "array", "items": {"$ref": "#/definitions/Item"}}}},
        "Item": {"type": "object", "properties": {"c": {"type": "integer"}}}}}
    operation = {"parameters": [{"in": "query", "name": "q"},
                                {"in": "body", "name": "body", "schema": {"$ref": "#/definitions/Body"}}]}
    assert sum(input_counts(operation, definition)) == 1 + (1 + 1 + (1 + (1 + 1)))
    looped = {"definitions": {"Node": {"type": "object", "properties": {"next": {"$ref": "#/definitions/Node"}}}}}
    assert sum(input_counts({"parameters": [{"in": "body", "schema": {"$ref": "#/definitions/Node"}}]}, looped)) == 2


def test_a_parameter_outside_the_body_costs_more_than_a_body_property():
    """Each query, path or header parameter gets coverage scenarios of its own (partition.py)."""
    from scripts.contract.partition import BASE_COST, input_counts, operation_cost

    definition = {"definitions": {}}
    query = {"parameters": [{"in": "query", "name": "q"}, {"in": "path", "name": "p"}]}
    body = {"parameters": [{"in": "body", "name": "body", "schema": {"type": "object", "properties": {
        "a": {"type": "string"}}}}]}
    assert input_counts(query, definition) == (2, 0) and input_counts(body, definition) == (0, 2)
    assert operation_cost(query, definition) > operation_cost(body, definition) > operation_cost({}, definition)
    assert operation_cost({}, definition) == BASE_COST


def test_auto_by_default_is_one_worker_per_usable_cpu(monkeypatch):
    seen = {}

    def fake_run(swagger, properties, target, **kwargs):
        seen["workers"] = kwargs["options"].workers
        return 0

    monkeypatch.setattr("scripts.contract.cli.run_contract", fake_run)
    monkeypatch.setattr("scripts.contract.workers.available_cpus", lambda: 3)
    assert main(["contract"]) == 0 and seen["workers"] == 3
    assert main(["contract", "--workers", "auto"]) == 0 and seen["workers"] == 3
    assert main(["contract", "--workers", "1"]) == 0 and seen["workers"] == 1
    assert main(["contract", "--workers", "auto", "--rate-limit", "100/m"]) == 0 and seen["workers"] == 1
    assert main(["contract", "--rate-limit", "100/m", "--workers", "2"]) == 0 and seen["workers"] == 2
    for name in ("known_message", "known_session", "seed_calls"):
        monkeypatch.setattr(f"scripts.contract.cli.{name}", lambda *args, **kwargs: [])
    monkeypatch.setattr("scripts.contract.cli.known_resources", lambda *args: {})
    assert main(["contract", "--workers", "auto", "--url", "http://127.0.0.1:1", "--auth-id",
                 "MAXXXXXXXXXXXXXXXXXX", "--auth-token", "t"]) == 0 and seen["workers"] == 1


def test_a_process_with_threads_of_its_own_starts_workers_by_spawn(monkeypatch):
    import threading

    from scripts.contract import workers

    monkeypatch.setattr(workers, "START_METHOD", None)
    alone = workers.start_method()
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        beside = workers.start_method()
    finally:
        release.set()
        other.join()
    assert beside == "spawn"  # a fork would copy only this thread, and any lock the other held
    assert alone == ("fork" if sys.platform == "linux" and threading.active_count() == 1 else "spawn")


def test_the_auth_token_is_never_in_a_printed_target():
    from scripts.contract.runner import ContractTarget

    target = ContractTarget("MAXXXXXXXXXXXXXXXXXX", "s3cr3t-token")
    assert "s3cr3t-token" not in repr(target) and "MAXXXXXXXXXXXXXXXXXX" in repr(target)
