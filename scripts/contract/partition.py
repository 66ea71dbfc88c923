"""Which worker process tests which operations: a static split, the same for the same definition.

The unit phases (examples, coverage, fuzzing) test each operation on its own, so their operations
are shared out among the workers, each operation to one worker for all three phases (what one phase
learns about an operation, e.g. error feedback, stays with the next). The stateful phase links
operations: it runs in worker 0 with every selected operation, alongside the other workers'
fuzzing (it waits only for their examples and coverage: workers.observed_phase), so worker 0 takes
fewer unit operations. The split depends only on the definition, the selection and the worker count (never on
timing), so a seed and a worker count give the same requests on every run.

A run's time per operation grows with the size of its inputs. Fitted to each operation's CPU time
over the three unit phases (100 examples) in two default runs with 2 workers: about 0.82 s +
0.165 s per parameter outside the body (path, query, header: each gets coverage scenarios of its
own) + 0.10 s per body property (at any depth) or array item. The stateful phase took 9.4-10.1 s
whether it linked 34 operations or 4 (it runs a fixed number of scenarios), so it counts as a fixed
cost. With the former model (one unit per input of either kind, the stateful phase at 85) the
worker that finished first waited 2.1 s and 4.8 s of CPU for the other in those two runs; with
this one 0.9 s and 0.5 s. Costs are in units of one body property.
"""

from __future__ import annotations

from collections.abc import Sequence

BASE_COST = 8  # an operation without inputs (0.82 s / 0.10 s)
PARAMETER_COST = 1.65  # a parameter outside the body (0.165 s / 0.10 s)
STATEFUL_COST = 100  # the stateful phase (about 10 s)


def input_counts(operation: dict, definition: dict) -> tuple[int, int]:
    """(parameters outside the body, nodes of the body's schema: itself, its properties at any depth
    and its array items, $refs followed)."""

    def resolve(node: object, seen: frozenset[str]) -> tuple[object, frozenset[str]]:
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if ref in seen or not ref.startswith("#/"):
                return {}, seen
            seen = seen | {ref}
            target: object = definition
            for part in ref[2:].split("/"):
                target = target.get(part.replace("~1", "/").replace("~0", "~")) if isinstance(target, dict) else None
            node = target
        return node, seen

    def count(node: object, seen: frozenset[str]) -> int:
        node, seen = resolve(node, seen)
        if not isinstance(node, dict):
            return 0
        properties = node.get("properties")
        total = 1 + sum(count(p, seen) for p in properties.values()) if isinstance(properties, dict) else 1
        return total + (count(node["items"], seen) if "items" in node else 0)

    parameters = body = 0
    for parameter in operation.get("parameters") or []:
        parameter, seen = resolve(parameter, frozenset())
        if isinstance(parameter, dict):
            if parameter.get("in") == "body":
                body += count(parameter.get("schema"), seen)
            else:
                parameters += 1
    return parameters, body


def operation_cost(operation: dict, definition: dict) -> float:
    parameters, body = input_counts(operation, definition)
    return BASE_COST + PARAMETER_COST * parameters + body


def split(costs: Sequence[tuple[str, float]], workers: int, *, stateful: bool) -> list[list[str]]:
    """Share out (label, cost) pairs, given in run order, among ``workers``: the longest first, each to
    the least loaded worker (ties: the lower worker), worker 0 starting with the stateful phase's
    estimate when it runs. Each share keeps the run order."""
    if workers < 1:
        raise ValueError("at least one worker")
    loads = [float(STATEFUL_COST) if stateful else 0.0] + [0.0] * (workers - 1)
    owner: dict[str, int] = {}
    position = {label: index for index, (label, _) in enumerate(costs)}
    for label, cost in sorted(costs, key=lambda item: (-item[1], position[item[0]])):
        worker = min(range(workers), key=lambda w: (loads[w], w))
        owner[label] = worker
        loads[worker] += cost
    return [[label for label, _ in costs if owner[label] == worker] for worker in range(workers)]
