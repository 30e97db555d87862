#!/usr/bin/env python3
"""Validates one JSON document on stdin against the JSON Schema file named by argv[1].

Exit 0 when valid; 1 with the reasons on stdout otherwise. Used by the C++ tests so that every
--json output is checked against the committed schema, not against the test's own idea of it.
"""
import json
import sys

import jsonschema


def main() -> int:
    with open(sys.argv[1], encoding="utf-8") as handle:
        schema = json.load(handle)
    jsonschema.Draft202012Validator.check_schema(schema)
    try:
        document = json.loads(sys.stdin.read())
    except json.JSONDecodeError as error:
        print(f"not JSON: {error}")
        return 1
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(document), key=str)
    for error in errors:
        location = "/".join(str(p) for p in error.absolute_path) or "(root)"
        print(f"{location}: {error.message}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
