"""`check`: read a built site and verify what a visitor's browser would need.

Every internal link and #anchor resolves, every referenced file exists, every page has a title,
a description and a canonical URL, and nothing is loaded from another host.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from .errors import Location, Report, SiteError

# Attributes that make the browser fetch something (as opposed to links a person follows).
FETCHING = {"script": ("src",), "img": ("src",), "iframe": ("src",), "source": ("src",), "video": ("src", "poster"),
            "audio": ("src",), "track": ("src",), "embed": ("src",), "object": ("data",), "input": ("src",)}
FETCHING_RELS = {"stylesheet", "icon", "preload", "modulepreload", "prefetch", "manifest", "apple-touch-icon",
                 "preconnect", "dns-prefetch"}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")


@dataclass
class PageFacts:
    ids: set = field(default_factory=set)
    links: list = field(default_factory=list)      # (href, line)
    fetches: list = field(default_factory=list)    # (url, line, what)
    title: str = ""
    description: str | None = None
    canonical: str | None = None
    meta_urls: list = field(default_factory=list)  # (url, line) from og:image etc.


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.facts = PageFacts()
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        line = self.getpos()[0]
        for key in ("id", "name") if tag == "a" else ("id",):
            if a.get(key):
                self.facts.ids.add(a[key])
        if tag == "a" and a.get("href") is not None:
            self.facts.links.append((a["href"], line))
        if tag == "title":
            self._in_title = True
        if tag == "link":
            rels = set((a.get("rel") or "").lower().split())
            if "canonical" in rels:
                self.facts.canonical = a.get("href")
            if rels & FETCHING_RELS and a.get("href"):
                self.facts.fetches.append((a["href"], line, f"<link rel={a.get('rel')}>"))
        if tag == "meta":
            if a.get("name") == "description":
                self.facts.description = a.get("content") or ""
            prop = a.get("property") or a.get("name") or ""
            if prop in ("og:image", "twitter:image", "og:url") and a.get("content"):
                self.facts.meta_urls.append((a["content"], line))
        for attr in FETCHING.get(tag, ()):
            if a.get(attr):
                self.facts.fetches.append((a[attr], line, f"<{tag} {attr}>"))
        if a.get("srcset"):
            for part in a["srcset"].split(","):
                if part.strip():
                    self.facts.fetches.append((part.strip().split()[0], line, f"<{tag} srcset>"))
        if a.get("style") and "url(" in a["style"]:
            for m in CSS_URL.finditer(a["style"]):
                self.facts.fetches.append((m.group(1) or m.group(2), line, "style attribute"))

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.facts.title += data


class SiteCheck:
    def __init__(self, out: Path, base_url: str):
        self.out = out
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        parts = urlsplit(self.base_url)
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.base_path = parts.path or "/"
        self.pages: dict[str, PageFacts] = {}
        self.problems: list[SiteError] = []
        self.counts = {"pages": 0, "links": 0, "anchors": 0, "files": 0}

    def run(self) -> list[SiteError]:
        for path in sorted(self.out.rglob("*.html")):
            reader = _Reader()
            reader.feed(path.read_text("utf-8", errors="replace"))
            self.pages[path.relative_to(self.out).as_posix()] = reader.facts
        for rel, facts in self.pages.items():
            self._check_page(rel, facts)
        for css in sorted(self.out.rglob("*.css")):
            self._check_css(css)
        return self.problems

    # -- one page -------------------------------------------------------------------------
    def _check_page(self, rel: str, facts: PageFacts) -> None:
        self.counts["pages"] += 1
        page_url = self.origin + self.base_path + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)
        if not facts.title.strip():
            self._problem(rel, 0, "page has no <title>")
        if not facts.description:
            self._problem(rel, 0, 'page has no <meta name="description">')
        if not facts.canonical:
            self._problem(rel, 0, 'page has no <link rel="canonical">')
        elif not facts.canonical.startswith(self.base_url):
            self._problem(rel, 0, f"canonical URL {facts.canonical} is not under {self.base_url}")
        for href, line in facts.links:
            self._check_link(rel, line, page_url, href)
        for url, line, what in facts.fetches:
            self._check_fetch(rel, line, page_url, url, what)
        for url, line in facts.meta_urls:
            if url.startswith(self.origin + self.base_path):
                self._check_internal(rel, line, page_url, url, "preview tag")

    def _check_link(self, rel, line, page_url, href):
        href = href.strip()
        if not href or href.startswith(("mailto:", "tel:", "sms:")):
            return
        if href.lower().startswith("javascript:"):
            self._problem(rel, line, f"link uses a javascript: URL ({href[:40]})")
            return
        target = urljoin(page_url, href)
        if urlsplit(target).netloc != urlsplit(self.origin).netloc:
            return  # a link to another site: followed by a person, not fetched
        self.counts["links"] += 1
        self._check_internal(rel, line, page_url, target, "link")

    def _check_fetch(self, rel, line, page_url, url, what):
        if url.startswith(("data:", "blob:")):
            return
        target = urljoin(page_url, url)
        if urlsplit(target).netloc != urlsplit(self.origin).netloc:
            self._problem(rel, line, f"{what} loads {url} from another host")
            return
        self.counts["files"] += 1
        self._check_internal(rel, line, page_url, target, what)

    def _check_internal(self, rel, line, page_url, target, what):
        parts = urlsplit(target)
        path = unquote(parts.path)
        if not path.startswith(self.base_path):
            self._problem(rel, line, f"{what} to {target} leaves the site's base path {self.base_path}")
            return
        file_rel = self._file_for(path[len(self.base_path):])
        if file_rel is None:
            self._problem(rel, line, f"broken {what}: {parts.path} (no such file in the built site)")
            return
        if parts.fragment:
            self.counts["anchors"] += 1
            facts = self.pages.get(file_rel)
            if facts is not None and unquote(parts.fragment) not in facts.ids and parts.fragment not in ("top",):
                self._problem(rel, line, f"broken anchor: {parts.path}#{parts.fragment} (no element with that id)")

    def _problem(self, rel: str, line: int, message: str) -> None:
        self.problems.append(SiteError(Location(rel, line), message))

    def _file_for(self, rel_path: str) -> str | None:
        candidates = [rel_path + "index.html"] if rel_path.endswith("/") or rel_path == "" else [rel_path, rel_path + "/index.html"]
        for c in candidates:
            if (self.out / c).is_file():
                return c
        return None

    def _check_css(self, css: Path) -> None:
        rel = css.relative_to(self.out).as_posix()
        for n, line in enumerate(css.read_text("utf-8", errors="replace").splitlines(), 1):
            for m in CSS_URL.finditer(line):
                url = (m.group(1) or m.group(2)).strip()
                if url.startswith(("data:", "#")):
                    continue
                css_url = self.origin + self.base_path + rel
                self._check_fetch(rel, n, css_url, url, "stylesheet url()")


def check_site(site_dir: Path, out: Path, base_url: str | None = None) -> int:
    """Check the built site in `out` against the address it is published at: `base_url` (checked
    by the caller), else base_url in the site's data/site.yaml, never what the pages say (a site
    built for another address must fail). Prints each problem; returns the exit status."""
    if not out.is_dir():
        print(f"{out}: no built site here (run 'votepact build' first)", file=sys.stderr)
        return 1
    if not base_url:
        from .data import published_base_url

        report = Report()
        base_url = published_base_url(site_dir.resolve(), report)
        if base_url is None:
            for error in report.errors:
                print(error, file=sys.stderr)
            return 1
    check = SiteCheck(out, base_url)
    problems = check.run()
    for problem in problems:
        print(f"{out.name}/{problem}", file=sys.stderr)
    c = check.counts
    summary = (f"Checked {c['pages']} pages: {c['links']} internal links, {c['anchors']} anchors, "
               f"{c['files']} files loaded")
    if problems:
        print(f"{summary}: {len(problems)} problem(s).", file=sys.stderr)
        return 1
    print(f"{summary}: all good.")
    return 0
