"""Check the resources of an ARM template against an ARM resource schema (a maintainer's check).

  python -m scripts.package.arm_check SCHEMA TEMPLATE

SCHEMA is a resource-provider schema with ``resourceDefinitions`` (such as Microsoft.Web's
2016-06-01 schema, from Azure/bicep-types-az or azure-resource-manager-schemas); every resource
of TEMPLATE whose type it defines is validated against it (draft-04). ARM expressions
(``[...]``) are accepted wherever the schema allows one, as Azure's common definitions say.
The schema is not part of the project, so the tests check the template's structure instead.
Exit status: 0 valid, 1 errors, 2 unreadable input.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

COMMON = "https://schema.management.azure.com/schemas/common/definitions.json"
# Azure's common definitions.json: an expression is a string wrapped in [ ] (not an escaped [[).
EXPRESSION = {"type": "string", "pattern": "^\\[([^\\[].*)?\\]$"}


def check(schema: dict, template: dict) -> list[str]:
    from jsonschema import Draft4Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    common = {"id": COMMON, "definitions": {"expression": EXPRESSION}}
    registry = Registry().with_resources([
        (COMMON, Resource.from_contents(common, default_specification=DRAFT4)),
        (schema.get("id", "urn:arm-schema"), Resource.from_contents(schema, default_specification=DRAFT4)),
    ])
    errors = []
    known = schema.get("resourceDefinitions", {})
    for index, resource in enumerate(template.get("resources", [])):
        kind = resource.get("type", "")
        name = kind.split("/", 1)[-1]
        definition = known.get(name)
        if definition is None:
            errors.append(f"resources[{index}] ({kind}): the schema defines no such resource type")
            continue
        wrapped = dict(definition, definitions=schema.get("definitions", {}), id=schema.get("id", "urn:arm-schema"))
        validator = Draft4Validator(wrapped, registry=registry)
        for error in sorted(validator.iter_errors(resource), key=lambda e: list(e.absolute_path)):
            where = "/".join(str(p) for p in error.absolute_path)
            errors.append(f"resources[{index}] ({kind}) /{where}: {error.message[:300]}")
    return errors


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    try:
        schema, template = (json.loads(Path(p).read_text("utf-8")) for p in argv)
    except (OSError, ValueError) as error:
        print(f"arm_check: {error}", file=sys.stderr)
        return 2
    errors = check(schema, template)
    for line in errors:
        print(line)
    print(f"{argv[1]}: {len(errors)} error(s) in {len(template.get('resources', []))} resource(s) against {argv[0]}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
