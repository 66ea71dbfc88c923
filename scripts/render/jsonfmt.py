"""The one JSON format of every rendered file: 2-space indent, UTF-8 without BOM, LF, final newline.

Keys keep the order in which the renderer built them (the order of Microsoft's templates), so the
output is byte-identical on every run and machine.
"""

from __future__ import annotations

import json
from typing import Any


def dump_json(document: Any) -> bytes:
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
