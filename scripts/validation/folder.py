"""Read a connector (the files paconn / pac import) for validation without sources.

A connector is given as a folder, or as its files (``--api-def``, ``--api-prop``, ``--icon`` as
paconn names them). In a folder the definition is ``apiDefinition.swagger.json`` or
``apiDefinition.json`` (any letter case); the icon is optional, as it is for paconn and pac.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..findings import Finding, SourceError
from ..rules import ICON, PROPERTIES, SWAGGER, Connector
from .strict_json import JsonTooDeep, load_strict_json

DEFINITION_NAMES = ("apiDefinition.swagger.json", "apiDefinition.json")


@dataclass(frozen=True)
class ConnectorFiles:
    definition: Path
    properties: Path
    icon: Path | None = None

    @property
    def folder(self) -> Path:
        return self.definition.parent


@dataclass
class LoadedConnector:
    files: ConnectorFiles
    connector: Connector
    texts: dict[str, str]  # document name (SWAGGER, PROPERTIES) -> its text, to turn pointers into lines
    raw: dict[str, bytes]  # document name -> the exact bytes read: the key of cached validation results

    def path_of(self, document: str | None) -> Path | None:
        return {SWAGGER: self.files.definition, PROPERTIES: self.files.properties,
                ICON: self.files.icon}.get(document or "")


def _find(folder: Path, names: tuple[str, ...]) -> Path | None:
    for name in names:
        if (folder / name).is_file():
            return folder / name
    wanted = {name.lower() for name in names}  # a checkout on a case-sensitive disk: apidefinition.swagger.json
    matches = sorted(p for p in folder.iterdir() if p.name.lower() in wanted and p.is_file()) \
        if folder.is_dir() else []
    return matches[0] if matches else None


def folder_files(folder: Path) -> ConnectorFiles:
    """The connector files in ``folder``; a SourceError when the definition or properties are missing."""
    if not folder.is_dir():
        what = "is a file, not a connector folder: give the folder that holds it" if folder.exists() \
            else "does not exist"
        raise SourceError([Finding(str(folder), None, "ConnectorFolder", what)])
    definition = _find(folder, DEFINITION_NAMES)
    properties = _find(folder, (PROPERTIES,))
    missing = [Finding(str(folder / name), None, "FileShape", "is a directory, not a file")
               if (folder / name).is_dir() else
               Finding(str(folder / name), None, "FileMissing",
                       f"{folder} has no {name}" + (" (or apiDefinition.json)" if name == SWAGGER else ""))
               for name, found in ((SWAGGER, definition), (PROPERTIES, properties)) if found is None]
    if missing:
        raise SourceError(missing)
    return ConnectorFiles(definition, properties, _find(folder, (ICON,)))  # type: ignore[arg-type]


def _outside(path: Path) -> bool:
    """A symlink that leads out of its folder (to a credentials file, say): never read."""
    return not path.resolve().is_relative_to(path.parent.resolve())


def load_files(files: ConnectorFiles) -> LoadedConnector:
    documents, texts, raw_files, findings = {}, {}, {}, []
    for name, path in ((SWAGGER, files.definition), (PROPERTIES, files.properties)):
        if _outside(path):
            findings.append(Finding(str(path), None, "FileOutsideFolder", f"{path} is a symlink to a file outside "
                                                                          "the folder; it is not read"))
            continue
        try:
            raw = path.read_bytes()
            raw_files[name] = raw
            if raw.startswith(b"\xef\xbb\xbf"):
                findings.append(Finding(str(path), 1, "FileEncoding", "starts with a UTF-8 byte-order mark, "
                                                                      "which paconn cannot read; save without BOM"))
                raw = raw[3:]
            texts[name] = raw.decode("utf-8")
            document, problems = load_strict_json(texts[name], str(path))
            findings += problems
            documents[name] = (document, len(raw))
        except FileNotFoundError:
            findings.append(Finding(str(path), None, "FileMissing", f"{path} does not exist"))
        except IsADirectoryError:
            findings.append(Finding(str(path), None, "FileShape", "is a directory, not a file"))
        except JsonTooDeep as error:
            findings.append(Finding(str(path), error.line, "JsonTooDeep", str(error)))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            line, column = getattr(error, "lineno", None), getattr(error, "colno", None)
            findings.append(Finding(str(path), line, "FileEncoding", f"not valid UTF-8 JSON: {error}",
                                    column=column))
    if (files.folder / ".plivo-build.journal").exists():  # see scripts/render/writer.py
        findings.append(Finding(str(files.folder / ".plivo-build.journal"), None, "InterruptedBuild",
                                "a killed build left the files half-switched; run `plivo-connector build`"))
    if findings:
        raise SourceError(findings)
    icon = files.icon.read_bytes() if files.icon is not None and files.icon.is_file() \
        and not _outside(files.icon) else None
    connector = Connector(swagger=documents[SWAGGER][0], properties=documents[PROPERTIES][0], icon=icon,
                          sizes={name: size for name, (_, size) in documents.items()})
    return LoadedConnector(files, connector, texts, raw_files)


def load_connector_folder(folder: Path) -> Connector:
    return load_files(folder_files(folder)).connector
