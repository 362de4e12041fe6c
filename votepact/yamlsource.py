"""YAML that remembers where each value came from.

`load_yaml` returns the plain Python value together with a `Positions` map from a key path
(such as `("alternatives", 2, "ballot", "states", "GA")`) to the line and column where that key
or item starts, so that schema and reference errors can point at the offending line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .errors import Location, SiteError


@dataclass
class Positions:
    path: str
    line_offset: int = 0  # lines before the YAML text in its file (front matter)
    marks: dict[tuple, tuple[int, int]] = field(default_factory=dict)

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


# Front matter is mostly lines of `key: plain text`. Those are read here without the YAML
# parser, when every line is one whose meaning is certain: a key of letters, digits and
# underscores, and a value that starts with a letter, holds no ':' or '#' (YAML marks), and is
# not one of the words YAML reads as true, false or null. Anything else goes to the parser.
_SIMPLE_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*): ([^\W\d_][^:#]*)")
_NOT_TEXT = {word for w in ("yes", "no", "true", "false", "on", "off", "null")
             for word in (w, w.capitalize(), w.upper())}


def _simple_mapping(text: str, path: str, line_offset: int):
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()  # after the last line's end
    value, marks = {}, {(): (1, 1)}
    for number, line in enumerate(lines, 1):
        match = _SIMPLE_LINE.fullmatch(line)
        if match is None:
            return None
        key, item = match.groups()
        if key in value or key in _NOT_TEXT or item in _NOT_TEXT or item[-1] == " " or not item.isprintable():
            return None
        value[key] = item
        marks[(key,)] = (number, 1)
    return (value, Positions(path, line_offset, marks)) if value else None


def load_yaml(text: str, path: str, line_offset: int = 0):
    """Parse one YAML document; raise SiteError with the file position on any syntax error."""
    simple = _simple_mapping(text, path, line_offset)
    return simple if simple is not None else parse_yaml(text, path, line_offset)


def parse_yaml(text: str, path: str, line_offset: int = 0):
    """load_yaml, always with the YAML parser."""
    import yaml

    loader = _loader_class()(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, Positions(path, line_offset, {(): (1, 1)})
        value = loader.construct_document(node)
        positions = Positions(path, line_offset)
        duplicates: list[SiteError] = []
        _record(loader, node, (), positions, duplicates)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + line_offset) if mark else line_offset + 1
        col = (mark.column + 1) if mark else 1
        problem = exc.problem or exc.context or "invalid YAML"
        raise SiteError(Location(path, line, col), f"YAML syntax error: {problem}",
                        _syntax_hint(problem)) from None
    finally:
        loader.dispose()
    if duplicates:
        raise duplicates[0]
    return value, positions


def _syntax_hint(problem: str) -> str:
    if "mapping values are not allowed" in problem:
        return "a value containing ': ' needs quotes around it"
    if "found character '\\t'" in problem or "tab" in problem:
        return "indent with spaces, not tabs"
    if "expected <block end>" in problem:
        return "check the indentation of this line and the one before"
    return "check quotes, colons and indentation on this line"


def _record(loader, node, keypath, positions, duplicates):
    marks = positions.marks
    if keypath not in marks:
        marks[keypath] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if node.id == "mapping":
        seen = set()
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                key = repr(key)
            line, col = key_node.start_mark.line + 1, key_node.start_mark.column + 1
            if key in seen:
                duplicates.append(SiteError(Location(positions.path, line + positions.line_offset, col),
                                            f"key '{key}' appears twice", "remove or rename one of them"))
            seen.add(key)
            marks[keypath + (key,)] = (line, col)
            _record(loader, value_node, keypath + (key,), positions, duplicates)
    elif node.id == "sequence":
        for index, item in enumerate(node.value):
            _record(loader, item, keypath + (index,), positions, duplicates)
