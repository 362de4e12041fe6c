"""Markdown to HTML: tables, footnotes, heading anchors, smart quotes, site-relative links."""
from __future__ import annotations

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

EXTENSIONS = ["extra", "smarty", "sane_lists"]


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


class Renderer:
    """One Markdown converter reused for every page of a build (reset between pages)."""

    def __init__(self, base_path: str = "/"):
        self.md = markdown.Markdown(
            extensions=EXTENSIONS + ["toc", _SitePathsExtension(base_path)],
            extension_configs={
                "toc": {"permalink": "#", "permalink_class": "anchor",
                        "permalink_title": "Link to this section", "toc_depth": "2-3"},
                "footnotes": {"BACKLINK_TITLE": "Back to the text of note %d"},
                "smarty": {"smart_angled_quotes": False},
            },
            output_format="html",
        )

    def render(self, text: str) -> tuple[str, list]:
        """HTML and the table of contents (a list of {id, name, level, children})."""
        self.md.reset()
        html = self.md.convert(text)
        return html, list(getattr(self.md, "toc_tokens", []))
