"""The mock under two kinds of hostile traffic, with figures.

1. Memory: 80 requests, each with a JSON body just under the 1 MiB limit made of many small values,
   all rejected with 400 after parsing. Prints the process's RSS growth and the size of the request
   log as JSON (the log once kept every parsed body whole).
2. Lost 413s: N requests with a 2 MiB body sent by Python's http.client, which writes the whole body
   before reading; prints how many read their 413 and how many ended in a broken pipe or reset.

    python benchmarks/mock_hostile.py [--sends 100]
"""

from __future__ import annotations

import argparse
import base64
import http.client
import io
import json
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.mock import create_app
from scripts.mock.server import make_server

AUTH_ID, TOKEN = "MABENCHMARK000000000", "benchmark-token-0000"
AUTH = "Basic " + base64.b64encode(f"{AUTH_ID}:{TOKEN}".encode()).decode()
PATH = f"/v1/Account/{AUTH_ID}/Message/"


def rss_mib() -> int:
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmRSS:")[1].split()[0]) // 1024


def log_memory() -> None:
    app = create_app({AUTH_ID: TOKEN}, throttle=None)
    body = json.dumps({"src": "14155550100", "dst": "14155550123", "text": "x", "type": "sms",
                       "media_urls": list(range(140_000))}).encode()
    start = rss_mib()
    statuses = set()
    for _ in range(80):
        environ = {"REQUEST_METHOD": "POST", "PATH_INFO": PATH, "QUERY_STRING": "",
                   "CONTENT_TYPE": "application/json", "CONTENT_LENGTH": str(len(body)),
                   "REMOTE_ADDR": "127.0.0.1", "wsgi.input": io.BytesIO(body), "HTTP_AUTHORIZATION": AUTH}
        b"".join(app(environ, lambda status, headers: statuses.add(status)))
    print(f"80 rejected bodies of {len(body):,} bytes ({', '.join(sorted(statuses))}): RSS growth "
          f"{rss_mib() - start} MiB, request log {len(json.dumps(app.request_log)) // 1024:,} KiB as JSON")
    app.close()


def lost_413s(sends: int) -> None:
    app = create_app({AUTH_ID: TOKEN}, throttle=None)
    server = make_server(app, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    body = b"x" * (2 * 1024 * 1024)
    read = lost = 0
    for _ in range(sends):
        connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
        try:
            connection.request("POST", PATH, body=body,
                               headers={"Content-Type": "application/json", "Authorization": AUTH})
            response = connection.getresponse()
            response.read()
            read += response.status == 413
        except OSError:
            lost += 1
        finally:
            connection.close()
    server.shutdown()
    server.server_close()
    app.close()
    print(f"{sends} sends of a 2 MiB body with http.client: {read} read the 413, {lost} lost (broken pipe/reset)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sends", type=int, default=100)
    args = parser.parse_args()
    log_memory()
    lost_413s(args.sends)


if __name__ == "__main__":
    main()
