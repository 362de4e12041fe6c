"""Markdown to HTML: tables, footnotes, heading anchors, smart quotes, site-relative links."""
from __future__ import annotations

import re

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

# Tables, footnotes, {#anchor} attributes, definition lists and fenced code: the parts of
# "extra" the content uses (abbr and md_in_html cost 8% of the conversion and are not used).
EXTENSIONS = ["tables", "footnotes", "attr_list", "def_list", "fenced_code", "sane_lists"]
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


class _Typography(Treeprocessor):
    """Smart quotes, dashes and ellipses in the text of the page (never inside code).

    Python-Markdown's own `smarty` does the same with inline patterns and costs more than the
    rest of the conversion together; one pass over the finished tree's text costs little."""

    def run(self, root):
        self.before = " "
        self._walk(root)
        return None

    def _walk(self, el):
        if el.tag in VERBATIM:
            self.before = "x"
            return
        if el.text:
            el.text = self._fix(el.text)
        for child in el:
            self._walk(child)
            if child.tail:
                child.tail = self._fix(child.tail)

    def _fix(self, text: str) -> str:
        fixed = smarten(text, self.before) if ("'" in text or '"' in text or "--" in text or "..." in text) else text
        self.before = text[-1]
        return fixed


class _SitePaths(Treeprocessor):
    """Root-relative links (`/pact/`) get the base path, so the site works under a sub-path."""

    def __init__(self, md, base_path: str):
        super().__init__(md)
        self.base_path = base_path

    def run(self, root):
        for el in root.iter():
            for attr in ("href", "src"):
                value = el.get(attr)
                if value and value.startswith("/") and not value.startswith("//"):
                    el.set(attr, self.base_path + value[1:])
            if el.tag == "a" and (el.get("href") or "").startswith(("http://", "https://")):
                el.set("rel", "noopener")
        return None


class _SitePathsExtension(Extension):
    def __init__(self, base_path: str):
        super().__init__()
        self.base_path = base_path

    def extendMarkdown(self, md):
        md.treeprocessors.register(_SitePaths(md, self.base_path), "site_paths", 0)
        md.treeprocessors.register(_Typography(md), "typography", 7)
        md.ESCAPED_CHARS.extend(['"', "'"])  # \" keeps a straight quote


class Renderer:
    """One Markdown converter reused for every page of a build (reset between pages)."""

    def __init__(self, base_path: str = "/"):
        self.md = markdown.Markdown(
            extensions=EXTENSIONS + ["toc", _SitePathsExtension(base_path)],
            extension_configs={
                "toc": {"permalink": "#", "permalink_class": "anchor",
                        "permalink_title": "Link to this section", "toc_depth": "2-3"},
                "footnotes": {"BACKLINK_TITLE": "Back to the text of note %d"},
            },
            output_format="html",
        )

    def render(self, text: str) -> tuple[str, list]:
        """HTML and the table of contents (a list of {id, name, level, children})."""
        self.md.reset()
        html = self.md.convert(text)
        return html, list(getattr(self.md, "toc_tokens", []))
