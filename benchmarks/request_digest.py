"""Every request a contract run sends and every answer it gets, as one digest a line, in order.

    python benchmarks/request_digest.py OUT [contract options...]     # e.g. --workers 1
    python benchmarks/request_digest.py --compare A B

A change meant only to make the run faster (the transport, the platform shim, the mock, the
collector) must not change what is tested: record a run on main and one on the branch with the same
seed, then compare ("N vs N, 0 differ"). Each line is the SHA-256 of one call's request (method,
URL, headers, body) and its response (status, headers, body), taken where schemathesis calls a case
(``Case.call``, which every phase goes through), and the operation's label to make a difference
readable; schemathesis' random case id header is left out. Only one process is watched: give
``--workers 1`` to see every request.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


# schemathesis names each case with a random id of its own (not drawn from the seed) in this header.
CASE_ID = "x-schemathesis-testcaseid"


def digest(response) -> str:
    request = response.request
    body = request.body if isinstance(request.body, bytes) else (request.body or "").encode()
    headers = sorted((k, v) for k, v in request.headers.items() if k.lower() != CASE_ID)
    text = json.dumps([request.method, request.url, headers, body.hex(),
                       response.status_code, sorted((k, v) for k, v in response.headers.items()),
                       response.content.hex()])
    return hashlib.sha256(text.encode()).hexdigest()


def record(out: Path, args: list[str]) -> int:
    sys.path.insert(0, str(ROOT))
    from schemathesis.generation.case import Case

    from scripts.cli import main

    lines: list[str] = []
    original = Case.call

    def call(self, *a, **kw):
        response = original(self, *a, **kw)
        lines.append(f"{digest(response)} {self.operation.label}")
        return response

    Case.call = call
    try:
        code = main(["contract", *args])
    finally:
        Case.call = original
        out.write_text("".join(f"{line}\n" for line in lines))
    print(f"{len(lines)} calls recorded in {out} (exit {code})", file=sys.stderr)
    return code


def compare(a: Path, b: Path) -> int:
    left, right = a.read_text().splitlines(), b.read_text().splitlines()
    differ = sum(x != y for x, y in zip(left, right, strict=False)) + abs(len(left) - len(right))
    print(f"{len(left)} vs {len(right)}, {differ} differ")
    first = next((i for i, (x, y) in enumerate(zip(left, right, strict=False)) if x != y), None)
    if first is not None:
        print(f"first difference at call {first + 1}: {left[first]} / {right[first]}")
    return 1 if differ else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--compare"] and len(sys.argv) == 4:
        sys.exit(compare(Path(sys.argv[2]), Path(sys.argv[3])))
    if len(sys.argv) < 2 or sys.argv[1].startswith("-"):
        sys.exit(__doc__)
    sys.exit(record(Path(sys.argv[1]), sys.argv[2:]))
