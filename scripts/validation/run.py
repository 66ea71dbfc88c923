"""Validate one connector given on the command line: find its files and settings, run the rules,
and place every finding at a file, line and column."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..cache import Cache
from ..findings import WARNING, Finding, SourceError
from ..rules import CERTIFICATION, PROFILES, PROPERTIES, all_rules
from .config import load_settings
from .connector import validate_connector
from .folder import ConnectorFiles, folder_files, load_files
from .positions import TextPositions
from .report import Target


@dataclass
class Validated:
    result: Target
    profile: str


def connector_files(path: Path, properties: Path | None, icon: Path | None) -> ConnectorFiles:
    if path.is_dir():
        return folder_files(path)
    if not path.is_file():
        raise SourceError([Finding(str(path), None, "FileMissing", f"{path} does not exist")])
    properties = properties if properties is not None else path.parent / PROPERTIES
    if icon is None and (path.parent / "icon.png").is_file():
        icon = path.parent / "icon.png"
    return ConnectorFiles(path, properties, icon)


def validate_target(path: Path, properties: Path | None, icon: Path | None, profile: str | None,
                    disabled: set[str]) -> Validated:
    name = str(path)
    try:
        files = connector_files(path, properties, icon)
        settings = load_settings(files.folder, set(all_rules()), PROFILES)
        loaded = load_files(files)
    except SourceError as error:
        return Validated(Target(name, list(error.findings), unreadable=True), profile or CERTIFICATION)
    profile = profile or settings.profile or CERTIFICATION
    # Like ruff's and mypy's, the cache sits in the folder the command runs from.
    found = validate_connector(loaded.connector, profile=profile, disabled=disabled, files=loaded.raw,
                               cache=Cache.under(Path.cwd()))
    used: set[str] = set()
    kept = []
    for finding in found:
        if finding.rule in settings.disabled:
            used.add(finding.rule)
        else:
            kept.append(finding)
    for rule_id, (reason, file) in settings.disabled.items():
        if rule_id not in used and rule_id not in disabled and all_rules()[rule_id].in_profile(profile):
            kept.append(Finding(file, None, "UnusedSuppression", f"{rule_id} is switched off ({reason!r}) but "
                                                                 "finds nothing here; remove the entry", WARNING))
    wanted: dict[str, list[tuple]] = {}
    for finding in kept:
        wanted.setdefault(finding.file or "", []).append(finding.pointer or ())
    # One walk per document places every finding in it (the walk skips what leads to none).
    positions = {document: TextPositions(text, wanted.get(document, ())) for document, text in loaded.texts.items()}
    placed = []
    for finding in kept:
        document_path = loaded.path_of(finding.file)
        if document_path is None:
            placed.append(finding)
            continue
        line = column = None
        if finding.file in positions:
            line, column = positions[finding.file].locate(finding.pointer or ())
        placed.append(finding._replace(file=str(document_path), line=line, column=column))
    return Validated(Target(name, sorted(placed, key=_order)), profile)


def _order(finding: Finding) -> tuple:
    return (finding.file or "", finding.line or 0, finding.column or 0, finding.rule, finding.message)
