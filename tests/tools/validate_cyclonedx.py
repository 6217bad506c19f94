#!/usr/bin/python3
"""Validates CycloneDX 1.5 JSON documents against the schema vendored in tests/data/cyclonedx/.

usage: validate_cyclonedx.py SCHEMA_DIR FILE...

Offline: the schema's references to spdx.schema.json and jsf-0.82.schema.json resolve to the
vendored copies. Prints each error with its JSON path and exits 1 when a document is invalid,
2 on a usage error. Uses Debian's python3-jsonschema (4.10 and later).
"""
import json
import pathlib
import sys

import jsonschema


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    schema_dir = pathlib.Path(sys.argv[1])
    store = {}
    for name in ("bom-1.5.schema.json", "spdx.schema.json", "jsf-0.82.schema.json"):
        schema = json.loads((schema_dir / name).read_text(encoding="utf-8"))
        store[schema["$id"]] = schema
    bom = store["http://cyclonedx.org/schema/bom-1.5.schema.json"]
    resolver = jsonschema.RefResolver.from_schema(bom, store=store)
    validator = jsonschema.Draft7Validator(bom, resolver=resolver, format_checker=jsonschema.FormatChecker())
    failed = False
    for name in sys.argv[2:]:
        document = json.loads(pathlib.Path(name).read_text(encoding="utf-8"))
        errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
        for error in errors:
            where = "/".join(str(p) for p in error.absolute_path) or "(root)"
            print(f"{name}: {where}: {error.message}", file=sys.stderr)
        failed = failed or bool(errors)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
