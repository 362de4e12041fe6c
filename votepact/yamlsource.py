"""YAML that remembers where each value came from.

`load_yaml` returns the plain Python value together with a `Positions` map from a key path
(such as `("alternatives", 2, "ballot", "states", "GA")`) to the line and column where that key
or item starts, so that schema and reference errors can point at the offending line.

YAML 1.1 (PyYAML's dialect) reads some unquoted words as something other than text: `ON`, `no`
and `yes` as booleans, `1.5` as a number, `2030-11-05` as a date. A key read that way is an error
at its line; a value is remembered in `Positions.plain` so that a schema expecting text can say
"put it in quotes" at the value's own line.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import lru_cache

from .errors import Location, SiteError


@dataclass
class Positions:
    path: str
    line_offset: int = 0  # lines before the YAML text in its file (front matter)
    marks: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    plain: dict[tuple, str] = field(default_factory=dict)
    """key path -> the text of an unquoted value that YAML read as a boolean, number, date or null"""
    warnings: list = field(default_factory=list)
    """SiteErrors to report as warnings (a value cut short by a '#' comment)"""

    def at(self, keypath=()) -> Location:
        """The location of the nearest recorded ancestor of keypath."""
        keypath = tuple(keypath)
        while keypath and keypath not in self.marks:
            keypath = keypath[:-1]
        line, col = self.marks.get(keypath, (1, 1))
        return Location(self.path, line + self.line_offset, col)


@lru_cache(maxsize=None)
def _loader_class():
    """PyYAML's safe loader (libyaml's parser where PyYAML has it: much faster), leaving an
    impossible date (2016-11-31) as text for the schema to report. PyYAML loads on first use:
    a build process that only renders never needs it."""
    import yaml

    class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        def construct_yaml_timestamp(self, node):
            try:
                return super().construct_yaml_timestamp(node)
            except ValueError:
                return self.construct_scalar(node)

    Loader.add_constructor("tag:yaml.org,2002:timestamp", Loader.construct_yaml_timestamp)
    return Loader


def load_yaml(text: str, path: str, line_offset: int = 0):
    """Parse one YAML document: (value, Positions). Raise SiteError with the file position on a
    syntax error, a key written twice, or a key YAML reads as something other than text."""
    import yaml

    loader = _loader_class()(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, Positions(path, line_offset, {(): (1, 1)})
        value = loader.construct_document(node)
        positions = Positions(path, line_offset)
        problems: list[SiteError] = []
        _record(loader, node, (), positions, problems, text.split("\n"))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + line_offset) if mark else line_offset + 1
        col = (mark.column + 1) if mark else 1
        problem = exc.problem or exc.context or "invalid YAML"
        lines = text.split("\n")
        marked = lines[mark.line] if mark and mark.line < len(lines) else ""
        if "\t" in marked[: len(marked) - len(marked.lstrip())]:
            raise SiteError(Location(path, line, 1), "YAML syntax error: this line is indented with a tab",
                            "YAML does not allow tabs for indentation: indent with spaces") from None
        raise SiteError(Location(path, line, col), f"YAML syntax error: {problem}",
                        _syntax_hint(problem)) from None
    finally:
        loader.dispose()
    if problems:
        raise problems[0]
    return value, positions


def read_as(value) -> str:
    """How YAML read an unquoted word, for messages: 'the boolean true', 'a number', 'a date'."""
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    return ("a number" if isinstance(value, (int, float)) else "nothing (null)" if value is None
            else "a date" if isinstance(value, datetime.date) else "something other than text")


def _syntax_hint(problem: str) -> str:
    if "mapping values are not allowed" in problem:
        return "a value containing ': ' needs quotes around it"
    if "found character '\\t'" in problem or "tab" in problem:
        return "indent with spaces, not tabs"
    if "expected <block end>" in problem:
        return "check the indentation of this line and the one before"
    return "check quotes, colons and indentation on this line"


_TEXT = "tag:yaml.org,2002:str"


def _record(loader, node, keypath, positions, problems, lines):
    marks = positions.marks
    if keypath not in marks:
        marks[keypath] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if node.id == "mapping":
        seen = set()
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            line, col = key_node.start_mark.line + 1, key_node.start_mark.column + 1
            where = Location(positions.path, line + positions.line_offset, col)
            if not isinstance(key, str):  # JSON, and so every schema, has only text keys
                written = key_node.value if isinstance(key_node.value, str) else str(key)
                problems.append(SiteError(where, f"key '{written}' is read by YAML as {read_as(key)}",
                                          f"put it in quotes: '{written}':"))
                key = str(key)
            if key in seen:
                problems.append(SiteError(where, f"key '{key}' appears twice", "remove or rename one of them"))
            seen.add(key)
            marks[keypath + (key,)] = (line, col)
            _record(loader, value_node, keypath + (key,), positions, problems, lines)
    elif node.id == "sequence":
        for index, item in enumerate(node.value):
            _record(loader, item, keypath + (index,), positions, problems, lines)
    elif not node.style:  # an unquoted scalar (libyaml says "", PyYAML None)
        if node.tag != _TEXT:
            positions.plain[keypath] = node.value
        end = node.end_mark
        rest = lines[end.line][end.column:] if end.line < len(lines) else ""
        if rest.startswith(" #") and rest[2:3].strip():  # `About #1 pact`, not `about   # a comment`
            positions.warnings.append(SiteError(
                Location(positions.path, end.line + 1 + positions.line_offset, end.column + 2),
                f"'#' starts a comment here, so the value is only '{node.value}'",
                f"put the whole value in quotes if '{rest[1:].strip()}' belongs to it"))
