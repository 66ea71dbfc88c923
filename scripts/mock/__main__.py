"""``python -m scripts.mock``: the mock on its own, with the throttle of the connector's sources.

``plivo-connector mock`` is the same with ``--root``; this entry point reads the sources of the
checkout it lives in, so the limit is still declared only once (connector/connector.yaml).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..findings import SourceError
from ..sources.load import load_sources
from .cli import add_arguments, run

ROOT = Path(__file__).resolve().parents[2]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.mock", description="Local mock of Plivo's REST API.")
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        throttling = load_sources(ROOT).throttling
    except SourceError as error:
        print(f"error: the throttling policy comes from the connector's sources:\n{error}", file=sys.stderr)
        return 2
    return run(args, (throttling["calls"], float(throttling["renewalPeriodSeconds"])))


if __name__ == "__main__":
    sys.exit(main())
