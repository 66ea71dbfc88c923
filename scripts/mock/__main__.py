"""``python -m scripts.mock``: the mock on its own, with the connector's default throttle."""

from __future__ import annotations

import argparse
import sys

from .cli import add_arguments, run

DEFAULT_THROTTLE = (100, 60.0)  # the connector's 100 calls per 60 s per connection


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.mock", description="Local mock of Plivo's REST API.")
    add_arguments(parser)
    return run(parser.parse_args(argv), DEFAULT_THROTTLE)


if __name__ == "__main__":
    sys.exit(main())
