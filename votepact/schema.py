"""Checking data and front matter against the project's published JSON Schemas.

The schemas live in `votepact/schema/*.schema.json` so that editors can validate and complete
the YAML files too. Errors point at the line of the offending key; unknown keys are warnings
(errors with --strict) with a "did you mean".
"""
from __future__ import annotations

import datetime
import json
from functools import lru_cache
from importlib import resources

import jsonschema
from jsonschema.exceptions import best_match

from .errors import Report, did_you_mean
from .yamlsource import Positions

SCHEMA_NAMES = ("site", "candidates", "states", "sources", "page")


@lru_cache(maxsize=None)
def schema(name: str) -> dict:
    text = resources.files(__package__).joinpath(f"schema/{name}.schema.json").read_text("utf-8")
    return json.loads(text)


@lru_cache(maxsize=None)
def _validator(name: str):
    cls = jsonschema.validators.validator_for(schema(name))
    return cls(schema(name), format_checker=cls.FORMAT_CHECKER)


def jsonable(value):
    """YAML gives dates as date objects; the schema sees them as ISO strings."""
    if isinstance(value, dict):
        return {k if isinstance(k, str) else str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def check(name: str, value, positions: Positions, report: Report, what: str = "") -> bool:
    """Report every schema error of `value`; return True when there was no error."""
    before = len(report.errors)
    for error in sorted(_validator(name).iter_errors(jsonable(value)), key=lambda e: list(map(str, e.absolute_path))):
        _report(error, positions, report)
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
        deepest = best_match(error.context)
        error = deepest
        path = path + tuple(deepest.relative_path)
    message, hint = _describe(error, path)
    report.error(positions.at(path), message, hint)


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
        return f"'{error.instance}' is not an allowed {where} value", hint
    if v == "type":
        wanted = schema_["type"] if isinstance(schema_["type"], str) else " or ".join(schema_["type"])
        article = "an" if wanted[0] in "aeiou" else "a"
        return f"'{where}' should be {article} {wanted}, not {type(error.instance).__name__}", described
    if v == "format":
        return f"'{error.instance}' is not a valid {schema_['format']} for '{where}'", described or _format_hint(schema_["format"])
    if v == "pattern":
        return f"'{error.instance}' is not a valid '{where}'", described
    if v in ("minItems", "maxItems", "minLength", "maxLength", "minimum", "maximum", "minProperties"):
        return f"'{where}': {error.message}", described
    return f"'{where}': {error.message}", described


def _format_hint(fmt: str) -> str:
    return {"date": "write dates as YYYY-MM-DD", "email": "write an e-mail address like name@example.org"}.get(fmt, "")
