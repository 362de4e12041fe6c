"""Front matter of plain `key: text` lines is read without the YAML parser; it must read
exactly as the parser would (values and positions), or leave the text to the parser."""
from __future__ import annotations

import random

from votepact.errors import SiteError
from votepact.yamlsource import _simple_mapping, parse_yaml

KEYS = ["title", "description", "template", "order", "draft", "date", "lang", "slug", "on", "Yes", "x_1", "a-b",
        "2x", "_k", "title"]
VALUES = ["Hello world", "A page about it.", "yes", "No", "TRUE", "off", "null", "Null", "~", "12", "3.5", "1e3",
          "2016-11-08", "0x1F", ".inf", "É lan", "naïve café", "it's fine", 'a "quoted" word', "a: b", "a #c",
          "a, b [c] {d}", "a - b", "a | b > c", "a % b @ c ` d", "a\tb", "trailing ", "x\u2028y", "x\u0085y",
          "x\ufeffy", "&anchor", "*alias", "!tag x", "'single'", '"double"', "[list]", "{map}", "- item", "? q",
          "a  b", "Ok!", "end:", "x:y", "y", "n", "NaN", "=", "<<"]


def text_of(rng: random.Random) -> str:
    lines = []
    for _ in range(rng.randint(1, 3)):
        if rng.random() < 0.05:
            lines.append(rng.choice(["", "# comment", "  indented: x", "key:", "key:  two spaces", "- item"]))
        else:
            lines.append(f"{rng.choice(KEYS)}: {rng.choice(VALUES)}")
    return "\n".join(lines) + rng.choice(["\n", "", "\n\n"])


def test_plain_front_matter_reads_as_the_yaml_parser_reads_it():
    rng = random.Random(11)
    taken = 0
    for _ in range(4000):
        text = text_of(rng)
        quick = _simple_mapping(text, "content/x.md", 1)
        if quick is None:
            continue
        taken += 1
        try:
            value, positions = parse_yaml(text, "content/x.md", 1)
        except SiteError as err:
            raise AssertionError(f"the parser rejects {text!r} ({err}) but the quick path read it")
        assert quick[0] == value and type(quick[0]) is type(value), text
        assert all(type(v) is str for v in value.values()), text
        assert quick[1].marks == positions.marks, text
    assert taken > 150, taken
    assert _simple_mapping("title: yes\n", "x", 0) is None  # YAML reads it as true
    assert _simple_mapping("title: A: B\n", "x", 0) is None
    assert _simple_mapping("title: One\ntitle: Two\n", "x", 0) is None  # the parser reports the duplicate
