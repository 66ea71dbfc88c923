"""Render docs/rules.md, the catalogue of validation rules, from the rules themselves.

One table per profile (platform, certification, house) with each rule's id, severity, summary,
rationale, source and fix hint; `build` writes it and `build --check` fails when it is stale, so the
catalogue can never describe rules that the validator does not run.
"""

from __future__ import annotations

from ..rules import PROFILES, all_rules

CATALOGUE = "docs/rules.md"


def render_catalogue() -> bytes:
    from .templating import environment

    env = environment(__package__, filters={"cell": lambda text: str(text).replace("|", "\\|").replace("\n", " ")})
    rules = sorted(all_rules().values(), key=lambda r: (PROFILES.index(r.profile), r.id))
    by_profile = {profile: [r for r in rules if r.profile == profile] for profile in PROFILES}
    text = env.get_template("rules_catalogue.md.j2").render(by_profile=by_profile, total=len(rules))
    return text.encode("utf-8")
