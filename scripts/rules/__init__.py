"""The Power Platform rules, written as this project's own checks.

Each rule has an id (Microsoft's validator name where one is known), a one-line summary, and a
function that yields Problems for a rendered connector. Rules see only the rendered documents, so
the same checks run on the build output and on any connector folder (``plivo-connector validate``).
Adding a rule: write a function in the module of its topic, decorate it with ``@rule``, and add a
case to tests/test_rules.py that breaks it on purpose.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

SWAGGER = "apiDefinition.swagger.json"
PROPERTIES = "apiProperties.json"
ICON = "icon.png"


@dataclass(frozen=True)
class Problem:
    document: str
    pointer: tuple
    message: str


@dataclass
class Connector:
    """The rendered files as the platform would import them."""

    swagger: dict
    properties: dict
    icon: bytes | None = None
    sizes: dict[str, int] = field(default_factory=dict)  # file name -> bytes


@dataclass(frozen=True)
class Rule:
    id: str
    summary: str
    check: Callable[[Connector], Iterable[Problem]]


RULES: dict[str, Rule] = {}


def rule(rule_id: str, summary: str):
    def register(check: Callable[[Connector], Iterable[Problem]]):
        if rule_id in RULES:
            raise ValueError(f"rule id {rule_id} registered twice")
        RULES[rule_id] = Rule(rule_id, summary, check)
        return check

    return register


def run_rules(connector: Connector) -> list[tuple[Rule, Problem]]:
    _load_rule_modules()
    found = []
    for registered in RULES.values():
        try:
            problems = list(registered.check(connector))
        except (AttributeError, TypeError, KeyError, IndexError, ValueError) as error:
            # A folder given to `validate` may be valid JSON of the wrong shape: say so, no traceback.
            problems = [Problem(SWAGGER, (), f"could not be checked: the files are not shaped as a connector "
                                             f"definition ({type(error).__name__}: {error}); fix the other "
                                             "findings first")]
        found.extend((registered, problem) for problem in problems)
    return found


def all_rules() -> dict[str, Rule]:
    _load_rule_modules()
    return RULES


def _load_rule_modules() -> None:
    # Imported for their @rule registrations.
    from . import connection, icon_rules, info, limits, operations, parameters, policies, schemas  # noqa: F401
