"""The Power Platform rules, written as this project's own checks.

Each rule has an id (Microsoft's validator name where one is known), a profile, a severity, a
one-line rationale with its source, a fix hint, and a function that yields Problems for a rendered
connector. Rules see only the rendered documents, so the same checks run on the build output and on
any connector folder (``plivo-connector validate``).

Profiles say whose rule it is, and each includes the ones before it:
- ``platform``: the import (paconn / pac / the maker portal) rejects the connector;
- ``certification``: Microsoft's certification review asks for it;
- ``house``: this project's own standard for the Plivo connector (basic auth named ``basic_auth``,
  an icon rendered on the brand colour, every input with a visibility...). Only the build applies it.

Adding a rule: write a function in the module of its topic, decorate it with ``@rule``, and add a
case to tests/test_rules.py that breaks it on purpose; `plivo-connector build` regenerates the
catalogue in docs/rules.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NamedTuple

SWAGGER = "apiDefinition.swagger.json"
PROPERTIES = "apiProperties.json"
ICON = "icon.png"

PLATFORM, CERTIFICATION, HOUSE = "platform", "certification", "house"
PROFILES = (PLATFORM, CERTIFICATION, HOUSE)  # each profile includes the ones before it
ERROR, WARNING = "error", "warning"
SEVERITIES = (ERROR, WARNING)

# Where the rationales come from (named in each rule's `source`).
SWAGGER_SPEC = "https://swagger.io/specification/v2/"
VALIDATOR_DOC = "https://learn.microsoft.com/connectors/custom-connectors/certification-swagger-validator-rules"
CERTIFICATION_DOC = "https://learn.microsoft.com/connectors/custom-connectors/certification-submission"
EXTENSIONS_DOC = "https://learn.microsoft.com/connectors/custom-connectors/openapi-extensions"
POLICIES_DOC = "https://learn.microsoft.com/connectors/custom-connectors/policy-templates"
LIMITS_DOC = "https://learn.microsoft.com/connectors/custom-connectors/faq"
HOUSE_DOC = "README.md of this repository (the Plivo connector's own standard)"


# An immutable record as a NamedTuple, not a frozen dataclass: the same fields, defaults, equality,
# hash and repr, without the ~1 ms @dataclass spends at every start-up compiling its methods.
class Problem(NamedTuple):
    document: str
    pointer: tuple
    message: str


# A plain class, not a @dataclass: this is all it needs, and @dataclass spends ~0.6 ms of every start-up
# compiling methods (equality, repr) that nothing here uses.
class Connector:
    """The rendered files as the platform would import them."""

    def __init__(self, swagger: dict, properties: dict, icon: bytes | None = None,
                 sizes: dict[str, int] | None = None):
        self.swagger = swagger
        self.properties = properties
        self.icon = icon
        self.sizes: dict[str, int] = {} if sizes is None else sizes  # file name -> bytes
        # Results that several rules share (the Swagger 2.0 validation), computed once per connector.
        self.cache: dict = {}


# An immutable record as a NamedTuple, not a frozen dataclass: the same fields, defaults, equality,
# hash and repr, without the ~1 ms @dataclass spends at every start-up compiling its methods.
class Rule(NamedTuple):
    id: str
    summary: str
    check: Callable[[Connector], Iterable[Problem]]
    profile: str = CERTIFICATION
    severity: str = ERROR
    rationale: str = ""
    source: str = ""
    fix: str = ""

    def in_profile(self, profile: str) -> bool:
        return PROFILES.index(self.profile) <= PROFILES.index(profile)


# An immutable record as a NamedTuple, not a frozen dataclass: the same fields, defaults, equality,
# hash and repr, without the ~1 ms @dataclass spends at every start-up compiling its methods.
class InternalError(NamedTuple):
    """A rule that raised: a bug in this tool, never a finding about the connector."""

    rule: Rule
    error: str  # the exception, one line
    where: str  # the innermost frame of the rule's code


RULES: dict[str, Rule] = {}


def rule(rule_id: str, summary: str, *, profile: str, rationale: str, source: str, fix: str,
         severity: str = ERROR):
    if profile not in PROFILES or severity not in SEVERITIES:
        raise ValueError(f"rule {rule_id}: unknown profile {profile!r} or severity {severity!r}")

    def register(check: Callable[[Connector], Iterable[Problem]]):
        if rule_id in RULES:
            raise ValueError(f"rule id {rule_id} registered twice")
        RULES[rule_id] = Rule(rule_id, summary, check, profile, severity, rationale, source, fix)
        return check

    return register


def run_rules(connector: Connector, rules: Iterable[Rule] | None = None
              ) -> tuple[list[tuple[Rule, Problem]], list[InternalError]]:
    """Every problem the rules find, and every rule that crashed (each rule runs on its own, so one
    crash never hides another rule's findings)."""
    found, crashed = [], []
    for registered in all_rules().values() if rules is None else rules:
        try:
            problems = list(registered.check(connector))
        except Exception as error:  # a bug in the rule: reported as such, never as a connector finding
            import traceback  # only for a crashed rule (textwrap, linecache: not on a clean run's path)

            frame = traceback.extract_tb(error.__traceback__)[-1]
            crashed.append(InternalError(registered, f"{type(error).__name__}: {error}",
                                         f"{frame.filename}:{frame.lineno}"))
            continue
        found.extend((registered, problem) for problem in problems)
    return found, crashed


def all_rules() -> dict[str, Rule]:
    _load_rule_modules()
    return RULES


def rules_for(profile: str, disabled: Iterable[str] = ()) -> list[Rule]:
    disabled = set(disabled)
    return [r for r in all_rules().values() if r.in_profile(profile) and r.id not in disabled]


def _load_rule_modules() -> None:
    # Imported for their @rule registrations.
    from . import (  # noqa: F401
        connection,
        dynamic,
        icon_rules,
        info,
        limits,
        operations,
        parameters,
        policies,
        schemas,
        swagger20,
        triggers,
    )
