"""The fast schema checker against jsonschema, and the imports a build no longer pays for.

`schema.check` trusts `schema._fast` when it says a value is valid and asks jsonschema otherwise,
so the one thing that must never happen is the fast checker calling valid what jsonschema calls
invalid. Every value below (the real data files and front matter, and systematic mutations of
them) is checked both ways.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from votepact import schema
from votepact.errors import Report
from votepact.yamlsource import Positions, load_yaml

REPO = Path(__file__).resolve().parent.parent
SITES = [REPO, REPO / "tests" / "golden" / "site"]
DATA_SCHEMAS = ("site", "candidates", "states", "sources")
DROP = object()


def _front_matter(path: Path):
    lines = path.read_text("utf-8").lstrip("\ufeff").splitlines(keepends=True)
    end = next(i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "..."))
    return load_yaml("".join(lines[1:end]), str(path), 1)[0]


def real_values(name: str) -> list:
    if name == "page":
        return [_front_matter(p) for site in SITES for p in sorted((site / "content").rglob("*.md"))]
    return [load_yaml((site / "data" / f"{name}.yaml").read_text("utf-8"), name)[0] for site in SITES]


def jsonschema_valid(name: str, instance) -> bool:
    return schema._validator(name).is_valid(instance)


# -- mutations -------------------------------------------------------------------------------
POOL = ["", " ", "a", "A", "GA", "ga", "Georgia", "x" * 300, "é", "2020-01-01", "2020-02-30", "2020-1-1",
        "2020-01-01\n", "2020-01-01T00:00:00", "not a date", "name@example.org", "no-at-sign", "https://example.org/",
        "http://localhost/", "/faq/", "faq/", "S5", "5S", "ballot", "Ballot", "guide", "guide.html", "Guide",
        "en", "es-US", "EN", 0, 1, -1, 2, 3.0, 2.5, -0.5, 10**20, float("nan"), True, False, None,
        [], [""], ["a"], ["S5"], [1], [None], [True], [{}], {}, {"a": 1}, {"status": "ballot"}, {"status": "nope"}]


def _at(value, path):
    for part in path:
        value = value[part]
    return value


def replaced(root, path, new):
    """A copy of root with the value at path replaced by new (or removed, for DROP); only the
    containers along the path are copied."""
    if not path:
        return new
    head, rest = path[0], path[1:]
    copy = dict(root) if isinstance(root, dict) else list(root)
    if rest:
        copy[head] = replaced(root[head], rest, new)
    elif new is DROP:
        del copy[head]
    else:
        copy[head] = new
    return copy


def _paths(value, sub, seen: dict, path=(), shape=()):
    """Key paths of value, at most two per shape (list items and keys that the schema does not
    name taken as '*'), over all the values of one schema, so that big files stay quick."""
    seen[shape] = seen.get(shape, 0) + 1
    if seen[shape] > 2:
        return
    yield path
    named = sub.get("properties", {}) if isinstance(sub, dict) else {}
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, _subschema(sub, (k,)), seen, path + (k,), shape + (k if k in named else "*",))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, _subschema(sub, (i,)), seen, path + (i,), shape + ("*",))


def _schema_samples(sub) -> list:
    """Values a subschema invites: its enum and const, mangled."""
    if not isinstance(sub, dict):
        return []
    out = []
    for option in sub.get("enum", []) + ([sub["const"]] if "const" in sub else []):
        out += [option, str(option).upper(), str(option) + "x", [option]]
    for key in ("anyOf", "oneOf", "allOf"):
        for branch in sub.get(key, []):
            out += _schema_samples(branch)
    return out


def _subschema(s, path):
    """The subschema that applies at path, following properties / additionalProperties / items
    (the first branch of anyOf that leads somewhere); None when unclear."""
    for part in path:
        if not isinstance(s, dict):
            return None
        if isinstance(part, int):
            s = s.get("items")
        elif part in s.get("properties", {}):
            s = s["properties"][part]
        else:
            s = s.get("additionalProperties")
        if isinstance(s, dict) and "anyOf" in s:
            s = next((b for b in s["anyOf"] if "properties" in b or "items" in b), s)
    return s


def _trimmed(value, sub):
    """value with at most three items in each list and three of the keys that the schema does
    not name in each mapping: still valid, and quick for jsonschema to check thousands of times."""
    if isinstance(value, list):
        return [_trimmed(v, _subschema(sub, (i,))) for i, v in enumerate(value[:3])]
    if isinstance(value, dict):
        named = sub.get("properties", {}) if isinstance(sub, dict) else {}
        keep = [k for k in value if k in named] + [k for k in value if k not in named][:3]
        return {k: _trimmed(value[k], _subschema(sub, (k,))) for k in keep}
    return value


def mutations(name: str, value, seen: dict | None = None):
    s = schema.schema(name)
    instance = _trimmed(schema.jsonable(value), s)
    yield instance
    for path in list(_paths(instance, s, {} if seen is None else seen)):
        here = _at(instance, path)
        sub = _subschema(s, path)
        candidates = POOL + _schema_samples(sub)
        if isinstance(here, str):
            candidates += [here.upper(), here.lower(), here + "!", " " + here, here + "\n", here[:1]]
        if isinstance(here, list):
            candidates += [here[:1], here[:2], here + here[:1], here + [12345], here + [None]]
        if isinstance(here, dict):
            candidates += [{**here, "zz_extra": "x"}, {**here, 7: "x"}] + [replaced(here, (k,), DROP) for k in here]
            for k in list(here)[:2]:  # the same value under another key
                candidates += [{**replaced(here, (k,), DROP), other: here[k]} for other in (k.lower(), "x" + k, "")]
        for new in candidates:
            yield replaced(instance, path, new)
        # optional properties this value does not have yet, with every pool value
        if isinstance(here, dict) and isinstance(sub, dict):
            for key, prop in sub.get("properties", {}).items():
                if key not in here:
                    for new in POOL + _schema_samples(prop):
                        yield replaced(instance, path + (key,), new)


@pytest.mark.parametrize("name", schema.SCHEMA_NAMES)
def test_fast_checker_accepts_the_real_files(name):
    values = real_values(name)
    assert values
    fast = schema._fast(name)
    assert fast is not None
    for value in values:
        instance = schema.jsonable(value)
        assert jsonschema_valid(name, instance)
        assert fast(instance), f"the fast checker refuses a valid {name} value, so every build pays for jsonschema"


@pytest.mark.parametrize("name", schema.SCHEMA_NAMES)
def test_fast_checker_never_passes_what_jsonschema_refuses(name):
    fast = schema._fast(name)
    counts = {"valid": 0, "invalid": 0}
    disagree = []
    seen: dict = {}
    for value in real_values(name):
        assert jsonschema_valid(name, _trimmed(schema.jsonable(value), schema.schema(name)))
        for instance in mutations(name, value, seen):
            slow_ok = jsonschema_valid(name, schema.jsonable(instance))
            fast_ok = fast(schema.jsonable(instance))
            assert slow_ok or not fast_ok, f"fast checker says valid, jsonschema does not: {instance!r}"
            counts["valid" if slow_ok else "invalid"] += 1
            if slow_ok != fast_ok:
                disagree.append(instance)
    assert counts["valid"] > 20 and counts["invalid"] > 50, counts
    # Every keyword the schemas use today is handled, so the two agree exactly; a keyword the fast
    # checker leaves to jsonschema would show up here as valid values sent the slow way.
    assert not disagree, f"{len(disagree)} valid values go the slow way, e.g. {disagree[0]!r}"


def _check_with_jsonschema(name, value, positions, report) -> bool:
    """schema.check as it was before the fast path: jsonschema for every value."""
    before = len(report.errors)
    validator = schema._validator(name)
    for error in sorted(validator.iter_errors(schema.jsonable(value)), key=lambda e: list(map(str, e.absolute_path))):
        schema._report(error, positions, report)
    return len(report.errors) == before


@pytest.mark.parametrize("strict", [False, True])
def test_check_reports_exactly_what_jsonschema_alone_reported(strict):
    for name in schema.SCHEMA_NAMES:
        for n, instance in enumerate(mutations(name, real_values(name)[-1])):
            if n % 7:
                continue
            positions = Positions(f"{name}.yaml", 0, {(): (1, 1)})
            got, want = Report(strict=strict), Report(strict=strict)
            assert schema.check(name, instance, positions, got) == _check_with_jsonschema(name, instance, positions, want)
            assert [str(e) for e in got.errors] == [str(e) for e in want.errors]
            assert [str(w) for w in got.warnings] == [str(w) for w in want.warnings]


def test_fast_checker_details():
    page = schema._fast("page")
    assert page({"title": "Five Words Title Here Now"})
    assert page({"title": "T", "order": 3}) and page({"title": "T", "order": 3.0})  # jsonschema: 3.0 is an integer
    assert not page({"title": "T", "order": True}) and not page({"title": "T", "order": 2.5})
    assert not page({"title": ""}) and not page({}) and not page({"title": "T", "tilte": "T"})
    assert page({"title": "T", "date": "2016-02-29"}) and not page({"title": "T", "date": "2015-02-29"})
    assert not page({"title": "T", "date": "2016-02-29\n"})  # the pattern lets it through; format does not
    assert page({"title": "é" * 1}) and not page({"title": "T", "slug": "Bad"})
    assert not page([]) and not page("title")
    assert schema._compile({"type": "string", "oneOf": [{"minLength": 1}]})("x") is False  # unknown: jsonschema decides
    assert schema._compile({"format": "uri"})("x") is False
    assert schema._compile({"type": ["string", "null"]})(None)


# -- imports ---------------------------------------------------------------------------------
def test_a_build_with_valid_input_does_not_import_jsonschema():
    code = ("import sys, votepact.build\n"
            "print('jsonschema' in sys.modules)\n"
            "from pathlib import Path\n"
            "from votepact import schema\n"
            "from votepact.errors import Report\n"
            "from votepact.yamlsource import load_yaml\n"
            "for name in ('site', 'candidates', 'states', 'sources'):\n"
            "    value, pos = load_yaml(Path('data', name + '.yaml').read_text('utf-8'), name)\n"
            "    assert schema.check(name, value, pos, Report())\n"
            "value, pos = load_yaml('title: Five Words Title Here Now', 'p.md')\n"
            "assert schema.check('page', value, pos, Report())\n"
            "print('jsonschema' in sys.modules)\n")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_an_invalid_value_still_gets_jsonschema_messages():
    code = ("import sys\n"
            "from votepact import schema\n"
            "from votepact.errors import Report\n"
            "from votepact.yamlsource import load_yaml\n"
            "value, pos = load_yaml('title: T\\norder: first\\n', 'p.md')\n"
            "report = Report()\n"
            "assert not schema.check('page', value, pos, report)\n"
            "print([str(e) for e in report.errors], 'jsonschema' in sys.modules)\n")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ("[\"p.md:2:1: 'order' should be an integer, not str (position among its siblings)\"] True")
