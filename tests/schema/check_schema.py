#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Checks the job file's JSON Schema: it is a valid draft 2020-12 schema,
every key it names is documented (description, type, examples), every job
file under the folders given is valid against it, and job files with a
mistake in them are not.

Usage: check_schema.py SCHEMA FOLDER...
Needs Debian's python3-jsonschema; TOML is read with tomllib."""

import json
import pathlib
import sys
import tomllib

import jsonschema

# Job files each with one mistake, which the schema must refuse.
BAD_FILES = {
    "a typo in a job's key": '[[job]]\nname = "unit"\ncmd = "make test"\ntimout = "5s"\n',
    "a typo in [defaults]": '[defaults]\ngrce = "1s"\n\n[[job]]\ncmd = "true"\n',
    "a typo in ready": '[[job]]\ncmd = "srv"\ndaemon = true\nready = { lgo = "^up" }\n',
    "a typo in for_each": '[[job]]\ncmd = "gzip {}"\nfor_each = { glb = "*.log" }\n',
    "an unknown table": '[default]\ntimeout = "1s"\n\n[[job]]\ncmd = "true"\n',
    "a duration in words": '[[job]]\ncmd = "true"\ntimeout = "5 minutes"\n',
    "units out of order": '[[job]]\ncmd = "true"\ntimeout = "30s1m"\n',
    "cmd and argv both": '[[job]]\ncmd = "true"\nargv = ["true"]\n',
    "no command": '[[job]]\nname = "idle"\n',
    "no job": '[defaults]\ntimeout = "1s"\n',
    "args without call": '[[job]]\ncmd = "true"\nargs = ["x"]\n',
    "ready without daemon": '[[job]]\ncmd = "srv"\nready = { tcp = "127.0.0.1:80" }\n',
    "for_each and matrix": '[[job]]\ncmd = "t {} {a}"\nfor_each = { values = [1] }\n'
    'matrix = { a = [1] }\n',
    "two sources": '[[job]]\ncmd = "t {}"\nfor_each = { values = [1], range = [1, 2] }\n',
    "the console pool defined": '[pools]\nconsole = 2\n\n[[job]]\ncmd = "true"\n',
    "retries out of range": '[[job]]\ncmd = "true"\nretries = 1001\n',
    "too many jobs on a host": '[hosts]\n"me@build1" = 9\n\n[[job]]\ncmd = "true"\n',
}


def undocumented(schema):
    """'where: what is missing' for each key the schema names without a
    description, a type or valid examples. A key's schema holds them itself:
    Taplo ignores what stands beside a $ref, so a shared definition is
    reached through allOf."""
    problems = []
    stack = [("", schema)]
    while stack:
        where, node = stack.pop()
        for key, value in node.get("properties", {}).items():
            path = f"{where}.{key}" if where else key
            for needed in ("description", "type", "examples"):
                if needed not in value:
                    problems.append(f"{path}: no {needed}")
            if "$ref" in value:
                problems.append(f"{path}: a $ref beside the key's own keywords")
            # The examples must be valid values of the key.
            check_value = jsonschema.Draft202012Validator({**value, "$defs": schema["$defs"]})
            for example in value.get("examples", []):
                for error in check_value.iter_errors(example):
                    problems.append(f"{path}: example {example!r}: {error.message}")
            stack.append((path, value))
        if isinstance(node.get("items"), dict):
            stack.append((where, node["items"]))
    return problems


def first_error(validator, document):
    """The validator's best message for `document`, or None when valid."""
    error = jsonschema.exceptions.best_match(validator.iter_errors(document))
    if error is None:
        return None
    where = "/".join(str(part) for part in error.absolute_path) or "(top)"
    return f"{where}: {error.message}"


def main():
    schema_path, *folders = sys.argv[1:]
    schema = json.loads(pathlib.Path(schema_path).read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    passed, failed = 0, 0

    def check(ok, what):
        nonlocal passed, failed
        passed, failed = passed + ok, failed + (not ok)
        print(("ok     " if ok else "FAILED ") + what)

    problems = undocumented(schema)
    check(not problems, "every key has a description, a type and valid examples")
    for problem in problems:
        print("  " + problem)
    files = sorted(p for folder in folders for p in pathlib.Path(folder).rglob("*.toml"))
    check(bool(files), f"job files found: {len(files)}")
    for path in files:
        message = first_error(validator, tomllib.loads(path.read_text()))
        check(message is None, f"valid: {path}" + (f": {message}" if message else ""))
    for what, text in BAD_FILES.items():
        message = first_error(validator, tomllib.loads(text))
        check(message is not None, f"refused, {what}: {message}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
