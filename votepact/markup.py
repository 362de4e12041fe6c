"""Markdown to HTML, configured once for every page: Python-Markdown with tables, footnotes,
definition lists, fenced code, `{#anchor}` attributes, heading anchors, lists nested by two spaces
as GitHub and most editors show them (mdx_truly_sane_lists; each level is two spaces deeper), and
typographic quotes, dashes and ellipses.

Site-relative links are written as the author wrote them (`/pact/`); the finished page's HTML
is moved under the site's base path afterwards (links.py), whatever wrote the link.
"""
from __future__ import annotations

import re

import markdown
from markdown.extensions import Extension
from markdown.extensions.footnotes import FootnoteExtension
from markdown.treeprocessors import Treeprocessor

MARKDOWN_VERSION = "3"  # bump when the HTML made from the same Markdown changes
TOC_DEPTH = (2, 3)  # heading levels listed in a page's table of contents
EXTENSIONS = ["tables", "footnotes", "attr_list", "def_list", "fenced_code", "mdx_truly_sane_lists", "toc"]
EXTENSION_CONFIGS = {
    # A heading's "#" link has no title: one title for every page would be in one language on all
    # of them, and the link shows only on hover and keyboard focus, where its heading says enough.
    "toc": {"permalink": "#", "permalink_class": "anchor", "permalink_title": "",
            "toc_depth": "%d-%d" % TOC_DEPTH},
    # The back-link's title (its name for a screen reader) is the page's language's: render() sets it.
    "footnotes": {"BACKLINK_TITLE": "Back to the text of note %d"},
    "mdx_truly_sane_lists": {"nested_indent": 2, "truly_sane": False},  # loose lists stay one list
}

# Typography, as SmartyPants does it, with the apostrophes it misses: an apostrophe that begins
# a year or a decade ('16, '90s) or a common elision ('n', 'til, 'tis, 'em) is never an opening
# quote. Python-Markdown's own `smarty` does this with inline patterns and more than doubles the
# time of a page (measured on bench/gen.py's pages); one pass over the finished tree's text costs
# a few percent.
VERBATIM = {"code", "pre", "kbd", "samp", "script", "style", "math"}
_AFTER_OPENING = "\\s([{\u2014\u2013\u201c\u2018/-"
_APOSTROPHE = re.compile(r"'(?=\d\d(?:s|\b)|n'(?!\w)|(?:til|tis|twas|em|cause|bout)\b)", re.IGNORECASE)
_OPEN_DOUBLE = re.compile(f'(?<=[{_AFTER_OPENING}])"')
_OPEN_SINGLE = re.compile(f"(?<=[{_AFTER_OPENING}])'")


def N_(message: str) -> str:
    """Marks a message for the catalog (pybabel extract -k N_) without translating it here."""
    return message


BACKLINK_TITLE = N_("Back to the text of note %(n)s")  # the caller gives it in the page's language


def cache_key(source_digest: str) -> tuple:
    """What a page's rendered Markdown is remembered under between builds."""
    return (MARKDOWN_VERSION, source_digest)


def smarten(text: str, before: str = " ") -> str:
    """Typographic quotes, dashes and ellipses for one run of text; `before` is the character
    that precedes it in the document (a quote after a space opens, after a letter closes)."""
    s = before + text
    s = s.replace("---", "\u2014").replace("--", "\u2013").replace("...", "\u2026")
    s = _OPEN_DOUBLE.sub("\u201c", s).replace('"', "\u201d")
    s = _APOSTROPHE.sub("\u2019", s)
    s = _OPEN_SINGLE.sub("\u2018", s).replace("'", "\u2019")
    return s[len(before):]


class _Typography(Treeprocessor):
    """Smartens every run of text of the page in document order, never inside code."""

    def run(self, root):
        self.before = " "
        self._walk(root)

    def _fix(self, text: str) -> str:
        fixed = smarten(text, self.before) if ("'" in text or '"' in text or "--" in text or "..." in text) else text
        self.before = text[-1]
        return fixed

    def _walk(self, el):
        if el.tag in VERBATIM:
            self.before = "x"  # a quote just after code closes
            return
        if el.text:
            el.text = self._fix(el.text)
        for child in el:
            self._walk(child)
            if child.tail:
                child.tail = self._fix(child.tail)


class _ExternalLinks(Treeprocessor):
    """Links to other hosts carry rel="noopener"."""

    def run(self, root):
        for el in root.iter("a"):
            if (el.get("href") or "").startswith(("http://", "https://")):
                el.set("rel", "noopener")


class _SiteExtension(Extension):
    def extendMarkdown(self, md):
        md.treeprocessors.register(_ExternalLinks(md), "external_links", 0)
        md.treeprocessors.register(_Typography(md), "typography", 7)
        md.ESCAPED_CHARS.extend(['"', "'"])  # \" keeps a straight quote


class Renderer:
    """One Python-Markdown converter, reused for every page of a build (reset between pages)."""

    def __init__(self):
        self.md = markdown.Markdown(extensions=EXTENSIONS + [_SiteExtension()],
                                    extension_configs=EXTENSION_CONFIGS, output_format="html")
        self.footnotes = next(e for e in self.md.registeredExtensions if isinstance(e, FootnoteExtension))

    def render(self, text: str, backlink_title: str = BACKLINK_TITLE) -> tuple[str, list]:
        """HTML and the table of contents (a list of {level, id, name, html, data-toc-label, children}).
        `backlink_title` is BACKLINK_TITLE in the page's language, `%(n)s` the note's number: the
        title of each footnote's way back."""
        self.md.reset()
        self.footnotes.setConfig("BACKLINK_TITLE", backlink_title.replace("%(n)s", "{}"))
        html = self.md.convert(text)
        return html, list(getattr(self.md, "toc_tokens", []))
