"""The site-wide files: sitemap.xml, robots.txt and the hosting headers (_headers)."""
from __future__ import annotations

from html import escape

from . import security


def site_files(settings, pages) -> dict[str, bytes]:
    """Output path -> bytes of the files that describe the whole site rather than one page."""
    return {"sitemap.xml": sitemap_xml(settings, pages).encode("utf-8"),
            "robots.txt": robots_txt(settings).encode("utf-8"),
            "_headers": security.headers_file(settings.base_path).encode("utf-8")}


def sitemap_xml(settings, pages) -> str:
    """Every page's full address, except pages with `sitemap: false` and plain .html files (404)."""
    from .i18n import sitemap_links
    languages = settings.languages
    several = len(languages) > 1
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
             + (' xmlns:xhtml="http://www.w3.org/1999/xhtml">' if several else '>')]
    absolute = lambda path: settings.origin + settings.base_path + path.lstrip("/")  # noqa: E731
    translated = {p.url for p in pages if not p.meta.get("fallback")}
    for page in sorted(pages, key=lambda p: p.url):
        if page.meta.get("sitemap", True) is False or page.url.endswith(".html"):
            continue
        alternates = "".join(sitemap_links(page.url, languages, translated, absolute)) if several else ""
        lines.append(f"  <url><loc>{escape(absolute(page.url), quote=False)}</loc>{alternates}</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots_txt(settings) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {settings.origin}{settings.base_path}sitemap.xml\n"
