"""The one render function: YAML sources in, every artifact's bytes out, validated.

``render_artifacts`` feeds the writer (``build``), the staleness check (``build --check``) and the
tests, so all three see exactly the same bytes.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..cache import Cache
from ..findings import Finding, SourceError
from ..rules import ICON, PROPERTIES, SWAGGER, Connector
from ..sources.load import Sources, load_sources
from ..sources.origins import Origins
from .jsonfmt import dump_json
from .properties import render_properties
from .stamp import STAMP, render_stamp
from .swagger import render_swagger

README = "README.md"
CATALOGUE = "docs/rules.md"  # the rule catalogue, rendered from scripts/rules (see rules_catalogue.py)
# Files that paconn / pac take from a connector folder. The build owns them: one that exists but is
# no longer produced (say a settings.json or script.csx from an earlier design) is reported stale.
OWNED = (SWAGGER, PROPERTIES, ICON, "settings.json", "script.csx")


# A plain class, not a @dataclass: this is all it needs, and @dataclass spends ~0.6 ms of every start-up
# compiling methods (equality, repr) that nothing here uses.
class Rendered:
    def __init__(self, sources: Sources, files: dict[str, bytes], swagger: dict, properties: dict,
                 origins: Origins):
        self.sources = sources
        self.files = files  # path relative to the root -> exact bytes
        self.swagger = swagger
        self.properties = properties
        self.origins = origins

    def retired(self, root: Path) -> list[str]:
        """Owned files present under ``root`` that the build no longer produces."""
        return [name for name in OWNED if name not in self.files and (root / name).exists()]


def render_definition(sources: Sources) -> tuple[dict, dict, Origins]:
    """The definition and apiProperties data, unvalidated: the first step of ``render_artifacts``,
    and all that the quick staleness check of ``run`` and ``contract`` needs."""
    origins = Origins()
    return render_swagger(sources, origins), render_properties(sources, origins), origins


def stale_definition(root: Path) -> list[str] | None:
    """The definition files under ``root`` that differ from a render of its sources; None when
    ``root`` has no sources. Cheap (no validation, icon or pages); raises SourceError on bad sources."""
    if not (root / "connector").is_dir():
        return None
    swagger, properties, _ = render_definition(load_sources(root, Cache.under(root)))
    rendered = {SWAGGER: dump_json(swagger), PROPERTIES: dump_json(properties)}
    return [name for name, data in rendered.items()
            if not (root / name).is_file() or (root / name).read_bytes() != data]


def render_artifacts(root: Path, cache: Cache | None = None) -> Rendered:
    """Render and validate everything; raise SourceError (nothing rendered) on any finding.

    ``cache`` (default: the project's cache folder) keeps the results that are pure functions of
    their inputs (source checks, validation, icon, README section, docs); the bytes are the same
    either way.
    """
    # Imported here: the validator, Jinja2 and the icon are not needed by stale_definition.
    from ..validation.connector import validate_connector
    from .readme import splice_section

    cache = Cache.under(root) if cache is None else cache
    sources = load_sources(root, cache)
    swagger, properties, origins = render_definition(sources)
    findings: list[Finding] = []
    try:
        icon = _icon(sources.connector.data["brandColor"], cache)
    except ValueError as error:
        icon = None
        findings.append(Finding(sources.connector.display, sources.connector.line(("brandColor",)),
                                "BrandColor", str(error)))
    files = {SWAGGER: dump_json(swagger), PROPERTIES: dump_json(properties)}
    connector = Connector(swagger=swagger, properties=properties, icon=icon,
                          sizes={name: len(data) for name, data in files.items()})
    found = validate_connector(connector, origins, sources.connector, files=files, cache=cache)
    # Without an icon the colour finding above already says what is wrong: no second one.
    findings += [f for f in found if icon is not None or f.rule not in ("BrandColor", "IconFormat")]
    if findings:  # before the README: its renderer reads the definition and assumes it valid
        raise SourceError(findings)
    readme_path = root / README
    if readme_path.exists() and not readme_path.resolve().is_relative_to(root.resolve()):
        # Its text would be spliced into the rendered README, printed in a diff and committed.
        raise SourceError([Finding(README, None, "SourceOutsideRepository",
                                   "is a symlink to a file outside the repository; make it a file")])
    readme = readme_path.read_text(encoding="utf-8") if readme_path.exists() else ""
    section, docs = _pages(swagger, properties, sources.throttling, files, cache)
    files[README] = splice_section(readme, section).encode("utf-8")
    files.update(docs)
    files[ICON] = icon  # type: ignore[assignment]
    files[CATALOGUE] = _catalogue(cache)
    files[STAMP] = render_stamp(sources, files)  # what run and contract check the definition against
    return Rendered(sources, files, swagger, properties, origins)


def _catalogue(cache: Cache) -> bytes:
    """docs/rules.md, rendered only when the code (the rules) changed: the key is the code fingerprint."""
    key = cache.key("rules-catalogue")
    page = cache.get(key)
    if page is None:
        from .rules_catalogue import render_catalogue

        page = render_catalogue()
        cache.put(key, page)
    return page


def _icon(color: str, cache: Cache) -> bytes:
    """The icon, rendered only when its input (the brand colour) or the renderer changed."""
    key = cache.key("icon", color)
    icon = cache.get(key)
    if icon is None or not icon.startswith(b"\x89PNG"):
        from .icon import render_icon

        icon = render_icon(color)  # ValueError for a bad colour: never cached
        cache.put(key, icon)
    return icon


def _pages(swagger: dict, properties: dict, throttling: dict, files: dict[str, bytes],
           cache: Cache) -> tuple[str, dict[str, bytes]]:
    """The README section and the generated docs: Jinja2 runs only when the definition changed."""
    key = cache.key("pages", files[SWAGGER], files[PROPERTIES], json.dumps(throttling, sort_keys=True))
    cached = cache.get(key)
    if cached is not None:
        try:
            entry = json.loads(cached)
            return entry["section"], {name: text.encode("utf-8") for name, text in entry["docs"].items()}
        except (ValueError, KeyError, TypeError, AttributeError):
            pass  # a damaged entry is a miss
    from ..docs.model import wire_paths
    from ..docs.render import render_docs
    from ..runtime.definition import Connector
    from .readme import render_section

    # Both pages read the definition the same way: read it once, and without a private copy (the
    # renderers only read; swagger and properties are rendered already, their bytes in ``files``).
    connector = Connector.from_dicts(swagger, properties, private_copy=False)
    wire = wire_paths(swagger, properties)
    section = render_section(swagger, properties, throttling, connector, wire)
    docs = render_docs(swagger, properties, throttling, connector, wire)
    cache.put(key, json.dumps({"section": section,
                               "docs": {name: data.decode("utf-8") for name, data in docs.items()}}).encode("utf-8"))
    return section, docs
