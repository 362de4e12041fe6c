"""Checking data and front matter against the project's published JSON Schemas.

The schemas live in `votepact/schema/*.schema.json` so that editors can validate and complete
the YAML files too. Errors point at the line of the offending key; unknown keys are warnings
(errors with --strict) with a "did you mean"; one error is reported per value.

JSON Schema patterns are ECMA-262 regular expressions, where `$` matches only at the very end
and `\\d` only ASCII digits; `ecma_pattern` turns each into the Python expression that means the
same before jsonschema sees the schema. jsonschema checks a page's front matter in about 70 µs
(0.3 s of processor time for 4000 pages, once each: `serve` checks only the pages that change).
"""
from __future__ import annotations

import datetime
import json
import re
from functools import lru_cache
from pathlib import Path

from .errors import Report, did_you_mean
from .yamlsource import Positions, read_as

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
SCHEMA_NAMES = ("site", "candidates", "states", "sources", "page")

# An ECMA-262 escape or end anchor, and what it means in Python's `re` (outside a [...] set).
_ECMA = {"$": r"\Z", r"\d": "[0-9]", r"\D": "[^0-9]", r"\w": "[A-Za-z0-9_]", r"\W": "[^A-Za-z0-9_]"}
_ECMA_IN_SET = {"$": "$", r"\d": "0-9", r"\w": "A-Za-z0-9_"}
_ECMA_TOKEN = re.compile(r"\\.|\[|\]|\$")


def ecma_pattern(pattern: str) -> str:
    """The Python regular expression that matches what the ECMA-262 `pattern` matches (as JSON
    Schema's `pattern` keyword defines it): `$` only at the end, not before a final newline;
    `\\d` and `\\w` only ASCII. `^[a-z]+$` becomes `^[a-z]+\\Z`, which refuses "faq\\n"."""
    in_set = False

    def swap(m: re.Match) -> str:
        nonlocal in_set
        token = m.group(0)
        if token == "[" and not in_set:
            in_set = True
        elif token == "]" and in_set:
            in_set = False
        table = _ECMA_IN_SET if in_set else _ECMA
        return table.get(token, token)

    return _ECMA_TOKEN.sub(swap, pattern)


def _python_patterns(value):
    if isinstance(value, dict):
        return {k: (ecma_pattern(v) if k == "pattern" and isinstance(v, str) else
                    {ecma_pattern(p): _python_patterns(s) for p, s in v.items()} if k == "patternProperties"
                    else _python_patterns(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_python_patterns(v) for v in value]
    return value


@lru_cache(maxsize=None)
def schema(name: str) -> dict:
    """The published schema `name`, as written (for editors and tests)."""
    return json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text("utf-8"))


@lru_cache(maxsize=None)
def _checked_schema(name: str) -> dict:
    """The schema with its patterns in Python's dialect, as jsonschema checks with it."""
    return _python_patterns(schema(name))


@lru_cache(maxsize=None)
def _validator(name: str):
    import jsonschema

    cls = jsonschema.validators.validator_for(schema(name))
    return cls(_checked_schema(name), format_checker=cls.FORMAT_CHECKER)


_PLAIN = frozenset({str, int, float, bool, type(None)})


def jsonable(value):
    """YAML gives dates as date objects; the schema sees them as ISO strings."""
    if type(value) in _PLAIN:
        return value
    if isinstance(value, dict):
        return {k if isinstance(k, str) else str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def check(name: str, value, positions: Positions, report: Report) -> bool:
    """Report the schema errors of `value`, one per value (the most telling), at their lines.
    Returns True when there was no error (warnings such as unknown keys may have been given)."""
    instance = jsonable(value)
    from jsonschema.exceptions import best_match

    before = len(report.errors)
    by_value: dict[tuple, list] = {}
    for error in _validator(name).iter_errors(instance):
        by_value.setdefault(tuple(error.absolute_path), []).append(error)
    for path in sorted(by_value, key=lambda p: list(map(str, p))):
        errors = by_value[path]
        for error in [e for e in errors if e.validator == "additionalProperties"]:
            _report(error, positions, report)
        others = [e for e in errors if e.validator != "additionalProperties"]
        if others:  # `date: 11/08/2016` breaks both its format and its pattern: one mistake, said once
            _report(best_match(others), positions, report)
    return len(report.errors) == before


def _report(error, positions: Positions, report: Report) -> None:
    path = tuple(error.absolute_path)
    if error.validator == "additionalProperties":
        known = list(error.schema.get("properties", {}))
        for key in error.instance:
            if key not in known:
                report.warn(positions.at(path + (key,)), f"unknown key '{key}'",
                            did_you_mean(key, known) or f"known keys: {', '.join(known)}")
        return
    if error.validator in ("anyOf", "oneOf") and error.context:
        from jsonschema.exceptions import best_match

        deepest = best_match(error.context)
        error = deepest
        path = path + tuple(deepest.relative_path)
    written = positions.plain.get(path)
    if written is not None and not isinstance(error.instance, str) and _wants_text(error.schema):
        report.error(positions.at(path), f"'{_name(path)}' is '{written}', which YAML reads as "
                     f"{read_as(error.instance)}, not as text",
                     f"put it in quotes: \"{written}\"")
        return
    message, hint = _describe(error, path)
    report.error(positions.at(path), message, hint)


def _wants_text(schema_: dict) -> bool:
    kinds = schema_.get("type", ())
    return "string" in ([kinds] if isinstance(kinds, str) else kinds) or any(
        isinstance(o, str) for o in schema_.get("enum", ()))


def _name(path) -> str:
    for part in reversed(path):
        if isinstance(part, str):
            return part
    return "value"


def _describe(error, path):
    schema_ = error.schema
    described = schema_.get("description", "")
    where = _name(path)
    v = error.validator
    if v == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        sub = schema_.get("properties", {}).get(missing, {})
        return f"missing required field '{missing}'", sub.get("description", "add it")
    if v == "enum":
        options = ", ".join(map(str, schema_["enum"]))
        hint = did_you_mean(error.instance, schema_["enum"]) or f"use one of: {options}"
        return f"{_shown(error.instance)} is not an allowed {where} value", hint
    if v == "type":
        wanted = schema_["type"] if isinstance(schema_["type"], str) else " or ".join(schema_["type"])
        article = "an" if wanted[0] in "aeiou" else "a"
        return f"'{where}' should be {article} {wanted}, not {type(error.instance).__name__}", described
    if v == "format":
        return f"{_shown(error.instance)} is not a valid {schema_['format']} for '{where}'", described or _format_hint(schema_["format"])
    if v == "pattern":
        return f"{_shown(error.instance)} is not a valid '{where}'", described
    return f"'{where}': {error.message}", described


def _shown(value) -> str:
    """A value quoted for a one-line message; invisible characters (a newline) written as escapes."""
    text = str(value)
    return f"'{text}'" if text.isprintable() else repr(text).replace('"', "'")


def _format_hint(fmt: str) -> str:
    return {"date": "write dates as YYYY-MM-DD", "email": "write an e-mail address like name@example.org"}.get(fmt, "")
