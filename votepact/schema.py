"""Checking data and front matter against the project's published JSON Schemas.

The schemas live in `votepact/schema/*.schema.json` so that editors can validate and complete
the YAML files too. Errors point at the line of the offending key; unknown keys are warnings
(errors with --strict) with a "did you mean".

Almost every value is valid, so `check` first asks a small checker compiled from the schema
(`_fast`), which says True only when it is sure the value is valid. Anything else (an error, or
a keyword it does not know) goes to jsonschema, which is imported only then (it costs some
50 ms of start-up) and words the messages.
"""
from __future__ import annotations

import datetime
import json
import numbers
import re
from functools import lru_cache
from pathlib import Path

from .errors import Report, did_you_mean
from .yamlsource import Positions

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
SCHEMA_NAMES = ("site", "candidates", "states", "sources", "page")


@lru_cache(maxsize=None)
def schema(name: str) -> dict:
    text = (SCHEMA_DIR / f"{name}.schema.json").read_text("utf-8")
    return json.loads(text)


@lru_cache(maxsize=None)
def _validator(name: str):
    import jsonschema

    cls = jsonschema.validators.validator_for(schema(name))
    return cls(schema(name), format_checker=cls.FORMAT_CHECKER)


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


def check(name: str, value, positions: Positions, report: Report, what: str = "") -> bool:
    """Report every schema error of `value`; return True when there was no error."""
    instance = jsonable(value)
    fast = _fast(name)
    if fast is not None and fast(instance):
        return True
    before = len(report.errors)
    for error in sorted(_validator(name).iter_errors(instance), key=lambda e: list(map(str, e.absolute_path))):
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
        from jsonschema.exceptions import best_match

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


# -- the fast checker ------------------------------------------------------------------------
# Each (sub)schema compiles to a function value -> bool that is True only when jsonschema (draft
# 2020-12, with its FORMAT_CHECKER) would find no error; False means "invalid, or not sure".
# The type tests are jsonschema's own; a keyword not handled here makes its schema say False.

_DRAFTS = (None, "https://json-schema.org/draft/2020-12/schema")
_NOTES = frozenset({"$schema", "$id", "$comment", "$defs", "title", "description", "default", "examples",
                    "deprecated", "readOnly", "writeOnly"})
_RE_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)  # as jsonschema's is_date


def _is_number(v) -> bool:
    return isinstance(v, numbers.Number) and not isinstance(v, bool)


def _is_date(v: str) -> bool:
    try:
        return _RE_DATE.fullmatch(v) is not None and bool(datetime.date.fromisoformat(v))
    except ValueError:
        return False


_TYPES = {
    "string": lambda v: isinstance(v, str),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "number": _is_number,
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer()),
}
_FORMATS = {"date": _is_date, "email": lambda v: "@" in v, "idn-email": lambda v: "@" in v}
_SIZES = {  # keyword -> (the type it applies to, True when the size is within the bound)
    "minLength": (str, lambda n, b: n >= b), "maxLength": (str, lambda n, b: n <= b),
    "minItems": (list, lambda n, b: n >= b), "maxItems": (list, lambda n, b: n <= b),
    "minProperties": (dict, lambda n, b: n >= b), "maxProperties": (dict, lambda n, b: n <= b),
}
_OBJECT = ("properties", "required", "additionalProperties", "propertyNames")


def _never(v) -> bool:
    return False


def _always(v) -> bool:
    return True


@lru_cache(maxsize=None)
def _fast(name: str):
    """The fast checker of schema `name`, or None when the schema is for another draft."""
    s = schema(name)
    return _compile(s) if s.get("$schema") in _DRAFTS else None


def _compile(s):
    if s is True or s is False:
        return _always if s else _never
    if not isinstance(s, dict):
        return _never
    tests = []
    for key, arg in s.items():
        if key in _NOTES or key in _OBJECT:
            continue
        if key == "type":
            kinds = [arg] if isinstance(arg, str) else arg
            if not isinstance(kinds, list) or any(k not in _TYPES for k in kinds):
                return _never
            preds = tuple(_TYPES[k] for k in kinds)
            tests.append(preds[0] if len(preds) == 1 else (lambda v, preds=preds: any(p(v) for p in preds)))
        elif key in ("enum", "const"):
            options = arg if key == "enum" else [arg]
            if not isinstance(options, list):
                return _never
            # jsonschema's equal(): a string equals only an equal string; other values are left to it
            texts = frozenset(o for o in options if isinstance(o, str))
            tests.append(lambda v, texts=texts: isinstance(v, str) and v in texts)
        elif key == "pattern" and isinstance(arg, str):
            tests.append(lambda v, search=re.compile(arg).search: not isinstance(v, str) or search(v) is not None)
        elif key == "format" and isinstance(arg, str) and arg in _FORMATS:
            tests.append(lambda v, ok=_FORMATS[arg]: not isinstance(v, str) or ok(v))
        elif key in _SIZES and isinstance(arg, int) and not isinstance(arg, bool):
            kind, within = _SIZES[key]
            tests.append(lambda v, kind=kind, within=within, b=arg: not isinstance(v, kind) or within(len(v), b))
        elif key in ("minimum", "maximum") and _is_number(arg):
            tests.append((lambda v, b=arg: not _is_number(v) or not v < b) if key == "minimum"
                         else (lambda v, b=arg: not _is_number(v) or not v > b))
        elif key == "items" and "prefixItems" not in s:
            tests.append(lambda v, item=_compile(arg): not isinstance(v, list) or all(item(x) for x in v))
        elif key in ("anyOf", "allOf") and isinstance(arg, list) and arg:
            subs = tuple(_compile(sub) for sub in arg)
            tests.append((lambda v, subs=subs: any(c(v) for c in subs)) if key == "anyOf"
                         else (lambda v, subs=subs: all(c(v) for c in subs)))
        else:
            return _never  # oneOf, not, $ref, if, patternProperties, an unknown format...: jsonschema decides
    if any(key in s for key in _OBJECT):
        props = s.get("properties", {})
        if not isinstance(props, dict) or not isinstance(s.get("required", []), list):
            return _never
        tests.append(_object({k: _compile(sub) for k, sub in props.items()}, tuple(s.get("required", ())),
                             s.get("additionalProperties", True), _compile(s.get("propertyNames", True))))
    if not tests:
        return _always
    if len(tests) == 1:
        return tests[0]
    tests = tuple(tests)

    def every(v) -> bool:
        for t in tests:
            if not t(v):
                return False
        return True

    return every


def _object(props: dict, required: tuple, extra, names):
    extra = None if extra is True else _compile(extra)
    names = None if names is _always else names

    def test(v) -> bool:
        if not isinstance(v, dict):
            return True
        for key in required:
            if key not in v:
                return False
        for key, item in v.items():
            sub = props.get(key)
            if sub is not None:
                if not sub(item):
                    return False
            elif extra is not None and not extra(item):
                return False
            if names is not None and not names(key):
                return False
        return True

    return test
