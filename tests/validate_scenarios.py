#!/usr/bin/env python3
"""Validates every scenario file against docs/scenario.schema.json (Debian's python3-jsonschema)."""
import json
import pathlib
import sys

import jsonschema

root = pathlib.Path(sys.argv[1])
schema = json.loads((root / "docs" / "scenario.schema.json").read_text())
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
failed = 0
files = sorted((root / "scenarios").glob("*.json"))
for path in files:
    for error in validator.iter_errors(json.loads(path.read_text())):
        where = "/" + "/".join(str(p) for p in error.absolute_path)
        print(f"{path.name}: {where}: {error.message}")
        failed += 1
print(f"{len(files)} scenario files checked against the schema, {failed} problem(s)")
sys.exit(1 if failed or not files else 0)
