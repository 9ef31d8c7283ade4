"""Stopgap: check source YAML files against the JSON Schemas (until `coursepack validate` exists)."""
import json, sys, pathlib, yaml, jsonschema
root = pathlib.Path(__file__).resolve().parent.parent
for f in sys.argv[1:]:
    p = pathlib.Path(f)
    kind = "course" if p.name == "course.yaml" else "glossary" if p.name == "glossary.yaml" else p.stem
    schema = json.loads((root / "schemas" / f"{kind}.schema.json").read_text())
    data = yaml.safe_load(p.read_text(encoding="utf-8"))
    errs = sorted(jsonschema.Draft202012Validator(schema).iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    for e in errs:
        print(f"{f}: {'/'.join(map(str, e.absolute_path))}: {e.message}")
    print(f"{f}: {len(errs)} schema errors")
