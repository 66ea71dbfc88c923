"""Read a connector folder (the files paconn imports) for validation without sources."""

from __future__ import annotations

import json
from pathlib import Path

from ..findings import Finding, SourceError
from ..rules import ICON, PROPERTIES, SWAGGER, Connector
from .strict_json import JsonTooDeep, load_strict_json


def load_connector_folder(folder: Path, raw_files: dict[str, bytes] | None = None) -> Connector:
    """The folder's documents; ``raw_files``, if given, receives the bytes each was read from."""
    if not folder.is_dir():
        what = "is a file, not a connector folder: give the folder that holds it" if folder.exists() \
            else "does not exist"
        raise SourceError([Finding(str(folder), None, "ConnectorFolder", what)])
    documents = {}
    findings = []
    real_folder = folder.resolve()
    for name in (SWAGGER, PROPERTIES):
        path = folder / name
        if not path.resolve().is_relative_to(real_folder):  # e.g. a link to a credentials file
            findings.append(Finding(name, None, "FileOutsideFolder", f"{path} is a symlink to a file outside "
                                                                     "the folder; it is not read"))
            continue
        try:
            raw = path.read_bytes()
            if raw_files is not None:
                raw_files[name] = raw
            if raw.startswith(b"\xef\xbb\xbf"):
                findings.append(Finding(name, 1, "FileEncoding", "starts with a UTF-8 byte-order mark, "
                                                                 "which paconn cannot read; save without BOM"))
                raw = raw[3:]
            document, problems = load_strict_json(raw.decode("utf-8"), name)
            findings += problems
            documents[name] = (document, len(raw))
        except FileNotFoundError:
            findings.append(Finding(name, None, "FileMissing", f"{path} does not exist"))
        except IsADirectoryError:
            findings.append(Finding(name, None, "FileShape", "is a directory, not a file"))
        except JsonTooDeep as error:
            findings.append(Finding(name, error.line, "JsonTooDeep", str(error)))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            line = getattr(error, "lineno", None)
            findings.append(Finding(name, line, "FileEncoding", f"not valid UTF-8 JSON: {error}"))
    if (folder / ".plivo-build.journal").exists():  # see scripts/render/writer.py
        findings.append(Finding(".plivo-build.journal", None, "InterruptedBuild",
                                "a killed build left the files half-switched; run `plivo-connector build`"))
    if findings:
        raise SourceError(findings)
    icon_path = folder / ICON
    icon_inside = icon_path.resolve().is_relative_to(real_folder)
    return Connector(
        swagger=documents[SWAGGER][0], properties=documents[PROPERTIES][0],
        icon=icon_path.read_bytes() if icon_inside and icon_path.is_file() else None,
        sizes={name: size for name, (_, size) in documents.items()},
    )
