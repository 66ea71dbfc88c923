"""Worker processes for the contract run: the operations shared out, one run's output.

The run is CPU-bound pure Python (Hypothesis' generation above all), so threads gain nothing (and
schemathesis' own thread workers crash intermittently on CPython 3.11.7); processes use every core.

- Each worker builds the run itself from the same inputs (runner.prepare_schema) with its own copy
  of the target (an embedded mock built from the seed, ContractTarget.factory; a server is shared)
  and runs schemathesis' engine on its share of the operations (partition.py): the unit phases on
  its share, worker 0 also the stateful phase, which links operations, on all of them: it infers
  the links from what every worker's examples and coverage observed (observed_phase), sent by the
  parent, and then runs alongside the others' fuzzing.
- It sends every engine event, pickled (wire.py), through a pipe. The parent reads them as events
  of its own schema and feeds schemathesis' CLI machinery one run: one start, per phase one start,
  every worker's scenarios in the one-process run's operation order (so the output and the JUnit
  report list them the same way on every run), one finish with the worst status, one engine finish.
  API probing and schema analysis (every worker does them, on identical targets) are shown once.
- Run-wide checks (``after_run``) see every worker's responses: each worker sends its check
  objects and the parent merges them (a check's ``merge``) before running ``after_run`` once.
- A worker that dies or fails stops the run: the others are stopped and the run ends with an
  error (exit 2), never a hang or a pass. So does one that is alive but sends nothing for
  ``RunOptions.stall_timeout`` seconds (a stuck worker would otherwise hang the run for ever): the
  error names it and the phase and operation of its last event. The stateful worker waiting for
  the others' observations is not stuck; nor is a worker while the parent is not reading.
  Ctrl-C reaches every process of the terminal's group: the workers ignore it and the parent
  stops them.

What differs from one process: each worker's mock sees only its own operations' requests (a list
shows fewer items), what schemathesis carries from one operation to another (values captured
from responses for later requests, error feedback) stays within a worker, and the stateful phase's
links come from the observations of examples and coverage (one process also has fuzzing's). The
output shows the stateful phase's time as the time its events took to show: they wait until the
other workers' fuzzing is shown. Each operation's
generated inputs depend only on the seed and the operation, so a seed and a worker count give the
same requests on every run; another worker count gives other (as many) requests.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
import traceback
from collections import deque
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from . import wire
from .partition import operation_cost, split

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from .runner import ContractTarget, RunOptions

START_METHOD: str | None = None  # None: start_method() decides


def start_method() -> str:
    """fork where the platform has it safely (Linux) and this process runs one thread; else spawn.

    A fork copies only the forking thread: a lock another thread held at that moment stays held in
    the worker for ever (and Python 3.12 warns of it). The CLI runs one thread; a caller that embeds
    the run beside threads of its own gets spawn, slower to start but safe."""
    if START_METHOD:
        return START_METHOD
    return "fork" if sys.platform == "linux" and threading.active_count() == 1 else "spawn"
UNIT_PHASES = ("examples", "coverage", "fuzzing")


def available_cpus() -> int:
    """The CPUs this process may run on (its affinity where the platform tells it)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


class WorkerFailed(Exception):
    """A worker process died, failed or broke the protocol: the run is incomplete."""


@dataclass(frozen=True)
class WorkerJob:
    """Everything a worker needs to make its part of the run (picklable: spawn sends it)."""

    index: int
    count: int
    swagger: dict
    properties: dict
    target: ContractTarget | None              # a shared server
    factory: Callable[[], ContractTarget] | None  # or how to build the worker's own target
    seed: int
    max_examples: int
    phases: tuple[str, ...]
    options: RunOptions
    share: tuple[str, ...]                      # labels of the operations of its unit phases
    stateful: bool                              # runs the stateful phase (on every operation)
    hypothesis_home: str


def run_order(schema, operations: list) -> list[str]:
    """Labels in the order one process tests them: by dependency layers (producers first) unless
    the config keeps the schema's order (as schemathesis' unit phases schedule them)."""
    from schemathesis.config import OperationOrdering

    if schema.config.phases.fuzzing.operation_ordering != OperationOrdering.NONE:
        layers = schema.get_operation_layers(operations)
        if layers:
            return [op.label for layer in layers for op in layer]
    return [op.label for op in operations]


def _rate_share(rate_limit: str | None, workers: int) -> str | None:
    if rate_limit is None:
        return None
    count, unit = rate_limit.split("/")
    share = int(count) // workers
    if share < 1:
        raise ValueError(f"--rate-limit {rate_limit} is less than one request per {unit} for each of "
                         f"{workers} workers; give fewer workers or a longer unit")
    return f"{share}/{unit}"


def _mergeable(config) -> bool:
    """Whether every run-wide check can merge what several workers saw."""
    from schemathesis.checks import RunChecks

    return all(callable(getattr(instance, "merge", None))
               for _, instance in RunChecks.from_registry(config=config.checks_config_for()).for_run())


def start_workers(swagger: dict, properties: dict, target: ContractTarget, schema, *, seed: int,
                  max_examples: int, phases: tuple[str, ...], options: RunOptions) -> WorkerPool | None:
    """Start the workers of a run on ``schema`` (the parent's); None when one process is all there
    can be: nothing to share out, a target that cannot be copied, operations the schema could not
    load (reported by one process as ever), or a run-wide check that cannot merge."""
    import multiprocessing

    from hypothesis.configuration import storage_directory
    from schemathesis.core.result import Ok

    if target.app is not None and target.factory is None:
        return None
    results = list(schema.get_all_operations())
    if not all(isinstance(r, Ok) for r in results) or not any(p in UNIT_PHASES for p in phases):
        return None
    operations = [r.ok() for r in results]
    order = run_order(schema, operations)
    workers = min(options.workers, len(order))
    if workers < 2 or not _mergeable(schema.config):
        return None
    by_label = {op.label: op for op in operations}
    costs = [(label, operation_cost(by_label[label].definition.raw, schema.raw_schema)) for label in order]
    stateful = "stateful" in phases
    observed_after = observed_phase(phases)
    # The stateful phase overlaps the other workers' fuzzing when it waits only for coverage.
    shares = split(costs, workers, stateful=stateful and observed_after != "fuzzing")
    try:
        child_options = replace(options, workers=1, rate_limit=_rate_share(options.rate_limit, workers))
    except ValueError as error:
        from .runner import ContractError

        raise ContractError(str(error)) from None
    home = str(storage_directory(intent_to_write=False).home_directory)
    method = start_method()
    context = multiprocessing.get_context(method)
    sys.stdout.flush()  # a forked worker would write the parent's unwritten output again when it exits
    sys.stderr.flush()
    children = []
    try:
        for index, share in enumerate(shares):
            job = WorkerJob(index=index, count=workers, swagger=swagger, properties=properties,
                            target=None if target.factory else target, factory=target.factory, seed=seed,
                            max_examples=max_examples, phases=phases, options=child_options, share=tuple(share),
                            stateful=stateful and index == 0, hypothesis_home=home)
            reader, writer = context.Pipe(duplex=False)
            # The stateful worker waits for what every worker's unit phases observed (see _unit_phase).
            observed_reader, observed_writer = context.Pipe(duplex=False) if job.stateful else (None, None)
            # A forked worker holds a copy of every pipe end the parent has open: its own pipe's read
            # end, the observations' write end, earlier workers' read ends. It closes them first, or a
            # killed parent would never show as the end of its pipes (the worker would block for ever).
            inherited = [] if method != "fork" else \
                [end for c in children for end in (c.reader, c.observed) if end is not None] + \
                [end for end in (reader, observed_writer) if end is not None]
            process = context.Process(target=worker_main, args=(writer, job, observed_reader, inherited), daemon=True,
                                      name=f"contract-worker-{index + 1}")
            process.start()
            writer.close()
            if observed_reader is not None:
                observed_reader.close()
            children.append(_Child(index, workers, process, reader, share, observed_writer))
    except BaseException:
        for child in children:
            child.stop()
        raise
    return WorkerPool(children, order, schema, target, observed_after, stall_timeout=options.stall_timeout)


def observed_phase(phases: tuple[str, ...]) -> str:
    """After which unit phase the stateful worker gets the run's observations to infer links from.

    One process infers them after all unit phases. Waiting for every worker's fuzzing would leave
    the stateful phase alone at the end (it cannot overlap the others' fuzzing), so the observations
    of examples and coverage are sent instead: coverage's positive cases reach every operation's
    success responses, which carry the Location headers and URLs the links come from (on this
    connector the same links as in one process). Without coverage, fuzzing's are waited for."""
    return "coverage" if "coverage" in phases else "fuzzing"


# -- in a worker ---------------------------------------------------------------------------------
def worker_main(connection, job: WorkerJob, observed=None, inherited=()) -> None:
    """A worker process: run its share, send the events, then its checks, its request log, done.
    ``inherited``: the parent's pipe ends a fork copied into this process, closed first."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops the workers on Ctrl-C
    from .collector import tune_worker

    tune_worker()  # as the parent's run (inherited already when forked)
    for end in inherited:
        end.close()
    try:
        _run_share(connection, job, observed)
    except BaseException:  # whatever stops a worker is reported to the parent
        try:
            connection.send_bytes(b"X" + traceback.format_exc().encode("utf-8", "replace"))
        finally:
            connection.close()
            os._exit(1)
    connection.close()


def _run_share(connection, job: WorkerJob, observed) -> None:
    import pickle

    import schemathesis.engine.core as engine_core
    from hypothesis.configuration import set_hypothesis_home_dir

    from . import memo
    from .repeatable import seed_only
    from .runner import prepare_schema

    set_hypothesis_home_dir(job.hypothesis_home)
    target = job.factory() if job.factory is not None else job.target
    schema, _ = prepare_schema(job.swagger, job.properties, target, seed=job.seed, max_examples=job.max_examples,
                               junit=None, phases=job.phases, options=job.options)
    memo.register(schema.config)
    # Run-wide checks run once in the parent, on what every worker saw: here they are only kept.
    kept: list = []

    def keep_run_checks(ctx) -> list:
        kept.extend(ctx.checks.for_run())
        return []

    engine_core.run_after_run_checks = keep_run_checks  # this process runs only this share
    writer = wire.EventWriter(schema)
    # The one writer to the parent: two threads writing at once interleave their frames' bytes,
    # and the parent then unpickles garbage ("invalid load key").
    sender = _Sender(connection)

    def before_stateful(engine) -> None:
        """The stateful phase infers its links from what the unit phases observed (Location
        headers, URLs in bodies) on *every* operation: take the parent's observations of the whole
        run, in the run's order, instead of this worker's own."""
        sender(b"W")  # waiting for the parent, not stuck (see WorkerPool._stalled)
        data = observed.recv_bytes()
        with wire.reading(schema):
            observations = wire.loads(data)
        if engine.observations is not None:
            engine.observations = observations

    engine = _share_engine(schema, frozenset(job.share), job.stateful, before_stateful)
    with sender as send, seed_only():
        for event in engine.execute():
            send(b"E" + writer.dumps(event))
        send(b"C" + writer.dumps(kept))
        log = getattr(target.app, "request_log", None) if target.app is not None else None
        send(b"L" + pickle.dumps(log))
        send(b"D")


class _Sender:
    """Sends from a thread of its own: a pipe holds only so much (a fuzzing scenario's event is
    hundreds of KB), and the run must not wait while the parent, on a busy machine, is slow to read."""

    def __init__(self, connection) -> None:
        import queue
        import threading

        self.connection = connection
        self.queue: queue.SimpleQueue = queue.SimpleQueue()
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="contract-sender", daemon=True)

    def _run(self) -> None:
        while (data := self.queue.get()) is not None:
            if self.error is None:
                try:
                    self.connection.send_bytes(data)
                except BaseException as error:  # the parent is gone: the worker stops at the next event
                    self.error = error

    def __call__(self, data: bytes) -> None:
        if self.error is not None:
            raise WorkerFailed(f"cannot send to the parent: {self.error}")
        self.queue.put(data)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.queue.put(None)
        self.thread.join()
        if self.error is not None and exc_info[0] is None:
            raise WorkerFailed(f"cannot send to the parent: {self.error}")


_SHARE_ENGINE: list[type] = []  # made on first use: schemathesis is imported only where it runs


def _share_engine(schema, share: frozenset[str], stateful: bool, before_stateful):
    """schemathesis' engine, with the unit phases limited to ``share`` and the stateful phase only
    where ``stateful``; the rest (probing, analysis, event order) is schemathesis' own."""
    if not _SHARE_ENGINE:
        from schemathesis.engine.core import Engine, ExecutionPlan
        from schemathesis.engine.run import UNIT_PHASES as UNIT
        from schemathesis.engine.run import PhaseName

        class SharePlan(ExecutionPlan):
            __slots__ = ("before_stateful", "share")

            def __init__(self, phases, share: frozenset[str], before_stateful) -> None:
                super().__init__(phases)
                self.share = share
                self.before_stateful = before_stateful

            def _run_phase(self, engine, phase, *, only=None):
                if phase.name in UNIT:
                    only = self.share if only is None else only & self.share
                elif phase.name == PhaseName.STATEFUL_TESTING:
                    self.before_stateful(engine)
                return super()._run_phase(engine, phase, only=only)

        class ShareEngine(Engine):
            __slots__ = ("before_stateful", "share", "stateful")

            def __init__(self, schema, share: frozenset[str], stateful: bool, before_stateful) -> None:
                super().__init__(schema)
                self.share = share
                self.stateful = stateful
                self.before_stateful = before_stateful

            def _create_execution_plan(self):
                plan = super()._create_execution_plan()
                return SharePlan([p for p in plan.phases if self.stateful or p.name != PhaseName.STATEFUL_TESTING],
                                 self.share, self.before_stateful)

        _SHARE_ENGINE.append(ShareEngine)
    return _SHARE_ENGINE[0](schema, share, stateful, before_stateful)


# -- in the parent -------------------------------------------------------------------------------
class _Child:
    def __init__(self, index: int, count: int, process, reader, share: list[str], observed=None) -> None:
        self.index, self.count, self.process, self.reader, self.share = index, count, process, reader, share
        self.observed = observed  # the stateful worker's: where the run's observations go
        self.sending = None       # the thread sending them
        self.events: deque = deque()
        self.closed = False   # its pipe is at its end
        self.done = False     # it said so: everything was sent
        self.checks: list = []
        self.log: list | None = None
        self.finished = None  # its EngineFinished
        self.last_seen = time.monotonic()  # when the parent last read something of it
        self.waiting = False  # it waits for the run's observations (sent by the parent)
        self.observations_sent = False
        self.phase: str | None = None      # of its last event, for the stall error
        self.operation: str | None = None

    @property
    def name(self) -> str:
        return f"worker {self.index + 1} of {self.count} ({len(self.share)} operations" + \
            (" and the stateful phase)" if self.index == 0 else ")")

    def stop(self) -> None:
        if self.done:  # it sent everything and is exiting by itself
            self.process.join(5)
        if self.process.is_alive():
            self.process.terminate()
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(5)
        self.reader.close()
        if self.sending is not None:  # the process is gone, so its send ends (EPIPE) rather than block
            self.sending.join(5)
        if self.observed is not None and (self.sending is None or not self.sending.is_alive()):
            self.observed.close()

    def send_observations(self, data: bytes) -> None:
        """Sent by a thread: the worker reads them only when its stateful phase starts, and the
        parent must go on reading its events meanwhile (a pipe holds only so much). ``stop`` waits
        for it before closing the pipe: closed under a send, the connection's handle becomes None
        between the length and the data (a TypeError in the thread) or its number names a file
        opened since."""
        import threading

        def send() -> None:
            with contextlib.suppress(OSError):  # the worker is gone: its events' pipe tells the rest
                self.observed.send_bytes(data)

        self.sending = threading.Thread(target=send, name="contract-observations", daemon=True)
        self.observations_sent, self.waiting, self.last_seen = True, False, time.monotonic()
        self.sending.start()

    def died(self) -> WorkerFailed:
        self.process.join(5)
        code = self.process.exitcode
        how = "is still running" if code is None else f"exited with code {code}"
        if code is not None and code < 0:
            try:
                how = f"was killed by {signal.Signals(-code).name}"
            except ValueError:
                how = f"was killed by signal {-code}"
        return WorkerFailed(f"{self.name} {how} before it finished; the run is incomplete")


class WorkerPool:
    """The parent's side: reads every worker's events, merges them into one run's events."""

    def __init__(self, children: list[_Child], order: list[str], schema, target: ContractTarget,
                 observed_after: str = "fuzzing", *, stall_timeout: float | None = None) -> None:
        self.children = children
        self.stall_timeout = stall_timeout
        self._left_pump = time.monotonic()  # when the parent last stopped reading (see _pump)
        self.observed_after = observed_after
        self.order = order
        self.owner = {label: child.index for child in children for label in child.share}
        self.schema = schema
        self.target = target
        self.failure: str | None = None
        self.started = time.monotonic()
        self._open_phase = None  # the Phase of a PhaseStarted sent without its PhaseFinished
        self._open_suite = None  # the same for SuiteStarted
        from schemathesis.engine.observations import Observations

        self.observations = Observations()  # of every unit scenario, in the run's order (for stateful links)

    # reading --------------------------------------------------------------------------------
    def _pump(self) -> None:
        """Wait until some worker sent something; read all that is there. A worker silent for the
        stall timeout (while the parent waited to read) stops the run."""
        from multiprocessing.connection import wait

        from schemathesis.engine import events

        open_children = {child.reader: child for child in self.children if not child.closed}
        if not open_children:
            raise WorkerFailed("every worker has ended, yet the run is not complete")
        # Time the parent spent elsewhere (merging, showing events, its output blocked) is no
        # worker's silence: a worker that could not send meanwhile is not stuck.
        away = time.monotonic() - self._left_pump
        for child in open_children.values():
            child.last_seen += away
        try:
            ready = wait(list(open_children), self._wait_timeout(open_children.values()))
            self._read(ready, open_children, events)
            self._stalled(open_children.values())
        finally:
            self._left_pump = time.monotonic()

    def _watched(self, children) -> list[_Child]:
        """The workers that should be sending: not finished, not waiting for the parent."""
        return [child for child in children if not child.done and not child.waiting]

    def _wait_timeout(self, children) -> float | None:
        watched = self._watched(children)
        if self.stall_timeout is None or not watched:
            return None
        return max(0.0, min(child.last_seen for child in watched) + self.stall_timeout - time.monotonic())

    def _stalled(self, children) -> None:
        if self.stall_timeout is None:
            return
        now = time.monotonic()
        for child in self._watched(children):
            if now - child.last_seen >= self.stall_timeout:
                where = f"the {child.phase} phase" if child.phase else "its start"
                if child.operation:
                    where += f", {child.operation}"
                raise WorkerFailed(f"{child.name} sent nothing for {self.stall_timeout:g} s (its last event: "
                                   f"{where}); it is stuck or far slower than expected, so the run is stopped. "
                                   "--stall-timeout sets how long a worker may be silent (0: for ever)")

    def _read(self, ready, open_children, events) -> None:
        for reader in ready:
            child = open_children[reader]
            child.last_seen = time.monotonic()
            try:
                data = reader.recv_bytes()
            except EOFError:
                child.closed = True
                if not child.done:
                    raise child.died() from None
                continue
            kind, body = data[:1], data[1:]
            if kind == b"E":
                event = wire.loads(body)
                child.events.append(event)
                if type(event) is events.ScenarioStarted:
                    child.operation = event.label
                elif type(event) is events.PhaseStarted:
                    child.phase, child.operation = event.phase.name.value, None
            elif kind == b"W":
                child.waiting = not child.observations_sent
            elif kind == b"C":
                child.checks = wire.loads(body)
            elif kind == b"L":
                child.log = wire.loads(body)
            elif kind == b"D":
                child.done = True
            elif kind == b"X":
                text = body.decode("utf-8", "replace").rstrip()
                raise WorkerFailed(f"{child.name} failed:\n{text}")
            else:
                raise WorkerFailed(f"{child.name} sent a message of unknown kind {kind!r}")

    def _next(self, child: _Child):
        while not child.events:
            if child.done:
                raise WorkerFailed(f"{child.name} ended its events before the run's end")
            self._pump()
        return child.events.popleft()

    # merging --------------------------------------------------------------------------------
    def events(self) -> Iterator:
        from schemathesis.engine import Status, StopReason, events

        with wire.reading(self.schema):
            try:
                yield from self._tracked(self._merged())
            except WorkerFailed as error:
                self.failure = str(error)
                self.close()
                yield events.NonFatalError(error=error, phase=self._open_phase.name if self._open_phase else None,
                                           label="contract workers", related_to_operation=False)
                yield from self._close_open(Status.ERROR)
                yield events.EngineFinished(running_time=time.monotonic() - self.started,
                                            stop_reason=StopReason.COMPLETED)
            except KeyboardInterrupt:
                self.close()
                yield events.Interrupted(phase=self._open_phase.name if self._open_phase else None)
                yield from self._close_open(Status.INTERRUPTED)
                yield events.EngineFinished(running_time=time.monotonic() - self.started,
                                            stop_reason=StopReason.INTERRUPTED)

    def _tracked(self, stream):
        from schemathesis.engine import events

        for event in stream:
            if isinstance(event, events.PhaseStarted):
                self._open_phase = event.phase
            elif isinstance(event, events.PhaseFinished):
                self._open_phase = None
            elif isinstance(event, events.SuiteStarted):
                self._open_suite = event
            elif isinstance(event, events.SuiteFinished):
                self._open_suite = None
            yield event

    def _close_open(self, status):
        from schemathesis.engine import events

        if self._open_suite is not None:
            yield events.SuiteFinished(id=self._open_suite.id, phase=self._open_suite.phase, status=status)
            self._open_suite = None
        if self._open_phase is not None:
            yield events.PhaseFinished(phase=self._open_phase, status=status, payload=None)
            self._open_phase = None

    def _merged(self):
        from schemathesis.engine import events

        first = self.children[0]
        while True:  # worker 0's events lead: its API probing, schema analysis and stateful phase
            event = self._next(first)
            if isinstance(event, events.PhaseStarted) and event.phase.name.value in UNIT_PHASES:
                yield from self._unit_phase(event)
                if event.phase.name.value == self.observed_after and first.observed is not None:
                    self._send_observations(first)
            elif isinstance(event, events.EngineFinished):
                first.finished = event
                break
            else:
                yield event
        for child in self.children[1:]:
            while child.finished is None:
                event = self._next(child)
                if isinstance(event, events.EngineFinished):
                    child.finished = event
                elif isinstance(event, (events.ScenarioStarted, events.ScenarioFinished)):
                    raise WorkerFailed(f"{child.name} tested outside the unit phases")
        while not all(child.done for child in self.children):
            self._pump()
        self.target.worker_request_logs = [child.log or [] for child in self.children]
        yield self._engine_finished()

    def _unit_phase(self, started):
        """One unit phase: every worker's scenarios, in the run's operation order."""
        from schemathesis.engine import Status, events
        from schemathesis.engine.run import Phase, PhaseSkipReason

        name = started.phase.name
        phase = Phase(name, started.phase.is_enabled, started.phase.skip_reason)
        yield events.PhaseStarted(phase=phase, payload=started.payload)
        runs = [_PhaseRun(name) for _ in self.children]
        runs[0].started = True

        def advance() -> None:
            """Move what the workers sent into their runs of this phase; wait for more if nothing moved."""
            moved = False
            for child, run in zip(self.children, runs, strict=True):
                while child.events and run.finished is None:
                    run.feed(child.events.popleft(), child)
                    moved = True
            if not moved:
                self._pump()

        while not any(run.suite_seen for run in runs) and not all(run.finished is not None for run in runs):
            advance()
        suite = None
        if any(run.suite_seen for run in runs):  # none when the phase is off: a start and a finish only
            suite = events.SuiteStarted(phase=name)
            yield suite
        if suite is not None:
            for label in self.order:
                run = runs[self.owner[label]]
                sent = 0
                while True:
                    segment = run.segments.get(label, [])
                    for event in segment[sent:]:
                        event.suite_id = suite.id
                        if isinstance(event, events.ScenarioFinished):
                            self.observations.extract_observations_from(event.recorder)
                        yield event
                    sent = len(segment)
                    if label in run.complete or run.finished is not None:
                        break
                    advance()
        while any(run.finished is None for run in runs):
            advance()
        for run in runs:  # what belongs to no operation of the order, in worker order
            for event in run.loose:
                if hasattr(event, "suite_id"):
                    event.suite_id = suite.id
                yield event
            for label, segment in run.segments.items():
                if label not in self.owner:
                    for event in segment:
                        event.suite_id = suite.id
                        if isinstance(event, events.ScenarioFinished):
                            self.observations.extract_observations_from(event.recorder)
                        yield event
        statuses = [run.finished.status for run in runs]
        tested = [status for status in statuses if status != Status.SKIP]
        if tested:
            status, phase.skip_reason = tested[0], None
            for other in tested[1:]:  # as schemathesis folds them (Status orders by __lt__ only)
                if status < other:
                    status = other
        else:
            reasons = [run.finished.phase.skip_reason for run in runs]
            status = Status.SKIP
            phase.skip_reason = PhaseSkipReason.NO_CHECKS_RAN if PhaseSkipReason.NO_CHECKS_RAN in reasons \
                else reasons[0]
        if suite is not None:
            yield events.SuiteFinished(id=suite.id, phase=name, status=status)
        yield events.PhaseFinished(phase=phase, status=status, payload=None)

    def _send_observations(self, child: _Child) -> None:
        child.send_observations(wire.EventWriter(self.schema).dumps(self.observations))

    def _engine_finished(self):
        from schemathesis.checks import RunChecks, collect_after_run_failures
        from schemathesis.engine import StopReason, events

        reasons = [child.finished.stop_reason for child in self.children]
        stop_reason = next((r for r in reasons if r != StopReason.COMPLETED), StopReason.COMPLETED)
        summaries = [child.finished.payload for child in self.children if child.finished.payload is not None]
        payload = None
        if summaries:
            payload = events.RunSummary(
                cache=events.CacheRunMetrics(observations_total=sum(s.cache.observations_total for s in summaries)),
                reauth_count=sum(s.reauth_count for s in summaries),
                reauth_broke=any(s.reauth_broke for s in summaries))
        failures = []
        if stop_reason in (StopReason.COMPLETED, StopReason.MAX_TIME):
            config = self.schema.config
            merged = RunChecks.from_registry(config=config.checks_config_for()).for_run()
            for name, instance in merged:
                for child in self.children:
                    for other_name, other in child.checks:
                        if other_name == name:
                            instance.merge(other)
            failures = collect_after_run_failures(config, merged, None)
        return events.EngineFinished(running_time=time.monotonic() - self.started, stop_reason=stop_reason,
                                     payload=payload, failures=failures)

    def close(self) -> None:
        for child in self.children:
            child.stop()


class _PhaseRun:
    """One worker's events of one unit phase, cut into runs of events per operation."""

    def __init__(self, name) -> None:
        self.name = name
        self.started = False          # its PhaseStarted for this phase was seen
        self.suite_seen = False
        self.segments: dict[str, list] = {}
        self.complete: set[str] = set()
        self.current: str | None = None
        self.loose: list = []         # events of the phase outside any operation's scenarios
        self.finished = None          # its PhaseFinished

    def feed(self, event, child: _Child) -> None:
        from schemathesis.engine import events

        if not self.started:  # what comes before this phase (probing, analysis) was shown once already
            if isinstance(event, events.PhaseStarted):
                if event.phase.name != self.name:
                    if event.phase.name.value in UNIT_PHASES:
                        raise WorkerFailed(f"{child.name} is out of step: {event.phase.name.value} before "
                                           f"{self.name.value}")
                    return
                self.started = True
            elif isinstance(event, (events.ScenarioStarted, events.EngineFinished)):
                raise WorkerFailed(f"{child.name} is out of step before {self.name.value}")
            return
        if isinstance(event, events.SuiteStarted):
            self.suite_seen = True
        elif isinstance(event, events.ScenarioStarted) and event.label is not None:
            if event.label != self.current:
                self._complete()
                self.current = event.label
            self.segments.setdefault(event.label, []).append(event)
        elif isinstance(event, events.SuiteFinished):
            self._complete()
        elif isinstance(event, events.PhaseFinished):
            self._complete()
            self.finished = event
        elif self.current is not None:
            self.segments[self.current].append(event)
        else:
            self.loose.append(event)

    def _complete(self) -> None:
        if self.current is not None:
            self.complete.add(self.current)
            self.current = None
