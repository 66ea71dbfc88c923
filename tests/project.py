"""Paths of the project under test, and throwaway copies of it."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PROJECT_FILES = ("connector", "README.md", "docs", "apiDefinition.swagger.json", "apiProperties.json", "icon.png",
                 "build-stamp.json")


def copy_project(target: Path) -> Path:
    """Copy the sources and rendered files (not the tooling) to ``target``; return it."""
    target.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        else:
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target
