"""Record every request of a contract run and its answer, to show that a change sends the same ones.

    python benchmarks/contract_requests.py --out FILE [contract options...]
    python benchmarks/contract_requests.py --compare BEFORE AFTER

The first form runs `plivo-connector contract --workers 1 [options]` in this process, against the
embedded mock, and writes one line per request that reaches the platform shim (what schemathesis
sends), in order: its number, method and URL, a digest of its headers and body, the answer's status
and a digest of the answer's headers and body; then a last line with the count and a digest of all.
The second form compares two such files: "N vs N requests, K differ", and the first differences.

Run it from two checkouts (e.g. main's files exported with `git archive main | tar -x -C /tmp/base`,
and this branch) with the same options: a change that only makes generation cheaper must give
0 differences. Two random things are left out, as they differ between any two runs: the
X-Schemathesis-TestCaseId header (schemathesis draws it from an unseeded random generator) and the
multipart boundary werkzeug makes from the time and a random number (replaced by "BOUNDARY" in the
Content-Type and the body, the Content-Length counted again). One process only (``--workers 1``):
with worker processes the requests are made elsewhere.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RANDOM_HEADERS = {"HTTP_X_SCHEMATHESIS_TESTCASEID"}  # environ keys left out of a request's digest
BOUNDARY = re.compile(r'boundary="?([^";]+)"?')


def _digest(*parts: bytes) -> str:
    hashed = hashlib.sha256()
    for part in parts:
        hashed.update(len(part).to_bytes(8, "big"))
        hashed.update(part)
    return hashed.hexdigest()[:16]


def record(out: Path, contract_args: list[str], details_file: Path | None = None) -> int:
    sys.path.insert(0, str(ROOT))  # this checkout's scripts/, whichever virtualenv runs it
    from scripts import cli
    from scripts.contract.platform import PlatformShim

    lines: list[str] = []
    details: list[str] | None = [] if details_file else None
    everything = hashlib.sha256()
    original = PlatformShim.__call__

    def recording(self, environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        url = f"{environ.get('wsgi.url_scheme')}://{environ.get('HTTP_HOST', '')}{environ.get('SCRIPT_NAME', '')}" \
              f"{environ.get('PATH_INFO', '')}?{environ.get('QUERY_STRING', '')}"
        headers = sorted((k, str(v)) for k, v in environ.items() if k not in RANDOM_HEADERS
                         and (k.startswith("HTTP_") or k in ("CONTENT_TYPE", "CONTENT_LENGTH")))
        boundary = BOUNDARY.search(environ.get("CONTENT_TYPE") or "")
        if boundary:  # werkzeug's multipart boundary has the time and a random number in it
            body = body.replace(boundary.group(1).encode(), b"BOUNDARY")
            headers = [(k, str(len(body)) if k == "CONTENT_LENGTH" else v.replace(boundary.group(1), "BOUNDARY"))
                       for k, v in headers]  # its length varies with the time's digits
        request = _digest(repr(headers).encode(), body)
        if details is not None:
            details.append(f"{len(lines) + 1} {headers!r} {body!r}")
        answer: list = []

        def capture(status, response_headers, *exc_info):
            answer.append((status, sorted(response_headers)))
            return start_response(status, response_headers, *exc_info)

        content = b"".join(original(self, environ, capture))
        status, response_headers = answer[0]
        line = (f"{len(lines) + 1} {environ.get('REQUEST_METHOD')} {url} req={request} "
                f"resp={status.split()[0]} {_digest(repr(response_headers).encode(), content)}")
        lines.append(line)
        everything.update(line.encode() + b"\n")
        return [content]

    PlatformShim.__call__ = recording
    try:
        code = cli.main(["contract", *contract_args, "--workers", "1"])
    finally:
        PlatformShim.__call__ = original
    lines.append(f"{len(lines)} requests, digest {everything.hexdigest()[:16]}, exit code {code}")
    out.write_text("\n".join(lines) + "\n")
    if details_file is not None:
        details_file.write_text("\n".join(details) + "\n")
    print(lines[-1], file=sys.stderr)
    return 0


def compare(before: Path, after: Path) -> int:
    a, b = before.read_text().splitlines(), after.read_text().splitlines()
    a_requests, b_requests = a[:-1], b[:-1]
    differ = [i for i in range(max(len(a_requests), len(b_requests)))
              if i >= len(a_requests) or i >= len(b_requests) or a_requests[i] != b_requests[i]]
    print(f"{len(a_requests)} vs {len(b_requests)} requests, {len(differ)} differ")
    print(f"before: {a[-1]}\nafter:  {b[-1]}")
    for i in differ[:5]:
        print(f"  before: {a_requests[i] if i < len(a_requests) else '(none)'}")
        print(f"  after:  {b_requests[i] if i < len(b_requests) else '(none)'}")
    return 1 if differ else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--out", type=Path, help="write the run's requests to this file")
    group.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"))
    parser.add_argument("--details", type=Path, help="with --out: also write each request's headers and body here")
    args, contract_args = parser.parse_known_args()
    if args.compare:
        return compare(*args.compare)
    return record(args.out, contract_args, args.details)


if __name__ == "__main__":
    sys.exit(main())
