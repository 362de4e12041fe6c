"""Typographic quotes, dashes and ellipses, for both Markdown paths (never inside code)."""
from __future__ import annotations

import re

VERBATIM = {"code", "pre", "kbd", "samp", "script", "style", "math"}
_AFTER_OPENING = "\\s([{\u2014\u2013\u201c\u2018/-"
_OPEN_DOUBLE = re.compile(f'(?<=[{_AFTER_OPENING}])"')
_OPEN_SINGLE = re.compile(f"(?<=[{_AFTER_OPENING}])'")


def smarten(text: str, before: str = " ") -> str:
    """Typographic quotes, dashes and ellipses for one run of text; `before` is the character
    that precedes it in the document (a quote after a space opens, after a letter closes)."""
    s = before + text
    s = s.replace("---", "\u2014").replace("--", "\u2013").replace("...", "\u2026")
    s = _OPEN_DOUBLE.sub("\u201c", s).replace('"', "\u201d")
    s = _OPEN_SINGLE.sub("\u2018", s).replace("'", "\u2019")
    return s[len(before):]


class Typographer:
    """Smartens the runs of text of one document in order, remembering the character before each."""

    def __init__(self):
        self.before = " "

    def fix(self, text: str) -> str:
        fixed = smarten(text, self.before) if ("'" in text or '"' in text or "--" in text or "..." in text) else text
        self.before = text[-1]
        return fixed

    def skip_verbatim(self) -> None:
        """Code and the like are left alone; a quote just after one closes."""
        self.before = "x"
