"""Per-connector validation settings: rules switched off with a written reason.

Read from ``.plivo-connector.toml`` beside the connector files, and from the ``[tool.plivo-connector]``
table of a ``pyproject.toml`` there:

    [[disable]]                      # in pyproject.toml: [[tool.plivo-connector.disable]]
    rule = "OperationIdFormat"
    reason = "Published with hyphenated ids; renaming them would break every flow."

A rule switched off this way that finds nothing is reported, so stale entries do not pile up.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..findings import Finding, SourceError

CONFIG_FILE = ".plivo-connector.toml"
MIN_REASON = 10  # characters: a reason a reviewer can read, not "legacy"
KEYS = {"disable", "profile"}


@dataclass
class Settings:
    disabled: dict[str, tuple[str, str]] = field(default_factory=dict)  # rule id -> (reason, file)
    profile: str | None = None
    profile_file: str | None = None


def load_settings(folder: Path, known_rules: set[str], profiles: tuple[str, ...]) -> Settings:
    settings, problems = Settings(), []
    for path, table in _tables(folder, problems):
        unknown = sorted(set(table) - KEYS)
        if unknown:
            problems.append(Finding(str(path), None, "Config", f"unknown setting(s) {', '.join(unknown)}; "
                                                               f"known: {', '.join(sorted(KEYS))}"))
        if "profile" in table:
            if table["profile"] not in profiles:
                problems.append(Finding(str(path), None, "Config", f"profile {table['profile']!r} must be one "
                                                                   f"of {', '.join(profiles)}"))
            else:
                settings.profile, settings.profile_file = table["profile"], str(path)
        entries = table.get("disable", [])
        if not isinstance(entries, list):
            problems.append(Finding(str(path), None, "Config", "'disable' must be an array of tables "
                                                               "([[disable]] with rule and reason)"))
            continue
        for index, entry in enumerate(entries):
            where = f"disable[{index}]"
            if not isinstance(entry, dict) or set(entry) - {"rule", "reason"}:
                problems.append(Finding(str(path), None, "Config", f"{where} takes exactly 'rule' and 'reason'"))
                continue
            rule, reason = entry.get("rule"), entry.get("reason")
            if rule not in known_rules:
                problems.append(Finding(str(path), None, "Config", f"{where}: unknown rule {rule!r}; see "
                                                                   "docs/rules.md for the rule ids"))
            elif not isinstance(reason, str) or len(reason.strip()) < MIN_REASON:
                problems.append(Finding(str(path), None, "Config", f"{where}: switching off {rule} needs a "
                                                                   f"written reason (at least {MIN_REASON} "
                                                                   "characters)"))
            else:
                settings.disabled[rule] = (reason.strip(), str(path))
    if problems:
        raise SourceError(problems)
    return settings


def _tables(folder: Path, problems: list[Finding]):
    for name in (CONFIG_FILE, "pyproject.toml"):
        path = folder / name
        if not path.is_file():
            continue
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            problems.append(Finding(str(path), None, "Config", f"not valid TOML: {error}"))
            continue
        if name == "pyproject.toml":
            data = data.get("tool", {}).get("plivo-connector")
            if data is None:
                continue
        if not isinstance(data, dict):
            problems.append(Finding(str(path), None, "Config", "[tool.plivo-connector] must be a table"))
            continue
        yield path, data
