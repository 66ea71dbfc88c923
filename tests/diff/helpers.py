"""Run `plivo-connector diff` in-process and read its JSON report."""

from __future__ import annotations

import json

from scripts.cli import main


def run_diff(capsys, *args: str) -> tuple[int, dict]:
    """Exit code and the parsed JSON report of ``plivo-connector diff --format json ARGS``."""
    capsys.readouterr()
    code = main(["diff", "--format", "json", *args])
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip().startswith("{") else {}


def classes(report: dict) -> dict[str, list[str]]:
    """The change classes of a report, by verdict: breaking (blocking), versioned, safe."""
    changes = report["changes"]
    return {
        "breaking": sorted({c["class"] for c in changes if c["blocks"]}),
        "versioned": sorted({c["class"] for c in changes if c["versioned"]}),
        "safe": sorted({c["class"] for c in changes if c["severity"] == "safe" and not c["versioned"]}),
    }


def run_diff_error(capsys, *args: str) -> tuple[int, str]:
    """Exit code and stderr of ``plivo-connector diff ARGS``."""
    capsys.readouterr()
    code = main(["diff", *args])
    return code, capsys.readouterr().err
