"""Python-Markdown, set up for the site: tables, footnotes, heading anchors, smart quotes and
site-relative links. Every page that is not plain prose (see markdown_quick) goes through here."""
from __future__ import annotations

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from .markdown_quick import PERMALINK_TITLE, TOC_DEPTH
from .typography import VERBATIM, Typographer

# Tables, footnotes, {#anchor} attributes, definition lists and fenced code: the parts of
# "extra" the content uses (abbr and md_in_html cost 8% of the conversion and are not used).
EXTENSIONS = ["tables", "footnotes", "attr_list", "def_list", "fenced_code", "sane_lists"]


class _Typography(Treeprocessor):
    """Smart quotes, dashes and ellipses in the text of the page (never inside code).

    Python-Markdown's own `smarty` does the same with inline patterns and costs more than the
    rest of the conversion together; one pass over the finished tree's text costs little."""

    def run(self, root):
        self.typographer = Typographer()
        self._walk(root)
        return None

    def _walk(self, el):
        if el.tag in VERBATIM:
            self.typographer.skip_verbatim()
            return
        if el.text:
            el.text = self.typographer.fix(el.text)
        for child in el:
            self._walk(child)
            if child.tail:
                child.tail = self.typographer.fix(child.tail)


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


class FullRenderer:
    """One Python-Markdown converter reused for every page of a build (reset between pages)."""

    def __init__(self, base_path: str = "/"):
        self.md = markdown.Markdown(
            extensions=EXTENSIONS + ["toc", _SitePathsExtension(base_path)],
            extension_configs={
                "toc": {"permalink": "#", "permalink_class": "anchor",
                        "permalink_title": PERMALINK_TITLE, "toc_depth": "%d-%d" % TOC_DEPTH},
                "footnotes": {"BACKLINK_TITLE": "Back to the text of note %d"},
            },
            output_format="html",
        )

    def render(self, text: str) -> tuple[str, list]:
        self.md.reset()
        html = self.md.convert(text)
        return html, list(getattr(self.md, "toc_tokens", []))
