"""``python -m scripts.mock``: the mock on its own, with the throttle of the connector's sources.

``plivo-connector mock`` is the same with ``--root``; this entry point reads the sources of the
checkout it lives in, so the limit is still declared only once (connector/connector.yaml).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .cli import add_arguments, run

ROOT = Path(__file__).resolve().parents[2]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.mock", description="Local mock of Plivo's REST API.")
    add_arguments(parser)
    args = parser.parse_args(argv)
    # Imported after parsing: --help needs none of it. load_throttling, as `plivo-connector mock`
    # does: the policy from the cache while no source changed, without parsing YAML.
    from ..cache import Cache
    from ..findings import SourceError
    from ..sources.throttling import load_throttling

    try:
        throttling = load_throttling(ROOT, Cache.under(ROOT))
    except SourceError as error:
        print(f"error: the throttling policy comes from the connector's sources:\n{error}", file=sys.stderr)
        return 2
    return run(args, (throttling["calls"], float(throttling["renewalPeriodSeconds"])))


if __name__ == "__main__":
    sys.exit(main())
