"""Markdown to HTML: tables, footnotes, heading anchors, smart quotes, site-relative links.

Plain prose (paragraphs, headings, links and inline code: most pages of a big site) takes a
quick path written for exactly that; anything else goes through Python-Markdown. Both give the
same bytes for the pages the quick path takes (tests/test_markdown_quick.py compares them).
"""
from __future__ import annotations

from . import markdown_quick
from .typography import smarten

__all__ = ["MARKDOWN_VERSION", "Renderer", "cache_key", "smarten"]

MARKDOWN_VERSION = "1"  # bump when the HTML made from the same Markdown changes


def cache_key(base_path: str, source_digest: str) -> tuple:
    """What a page's rendered Markdown is remembered under between builds."""
    return (MARKDOWN_VERSION, base_path, source_digest)


class Renderer:
    """Renders every page of a build; Python-Markdown is loaded only if a page needs it."""

    def __init__(self, base_path: str = "/"):
        self.base_path = base_path
        self._full = None

    def render(self, text: str) -> tuple[str, list]:
        """HTML and the table of contents (a list of {level, id, name, html, data-toc-label, children})."""
        quick = markdown_quick.render(text, self.base_path)
        return quick if quick is not None else self.render_full(text)

    def render_full(self, text: str) -> tuple[str, list]:
        if self._full is None:
            from .markdown_full import FullRenderer
            self._full = FullRenderer(self.base_path)
        return self._full.render(text)
