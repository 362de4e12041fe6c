"""Content pages: Markdown files with YAML front matter under content/.

A file's address comes from its path, each part made a slug (lower-case ASCII letters, digits
and '-', by python-slugify): `content/guides/Finding a Partner.md` is `/guides/finding-a-partner/`,
and a file named exactly `index.md` is its folder's page. `slug:` in the front matter replaces
the last part.
"""
from __future__ import annotations

import datetime
import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from . import schema
from .errors import Location, Report, SiteError
from .yamlsource import load_yaml


@dataclass
class Page:
    """One page of the built site, from a Markdown file or generated from data."""
    url: str                      # site path: "/", "/faq/", "/404.html"
    title: str
    template: str                 # "" picks the default for the page's place in the site
    source: str                   # file the page comes from, relative to the site folder
    line: int = 1                 # where in `source` the page is defined
    description: str = ""
    meta: dict = field(default_factory=dict)
    markdown: str = ""
    body: str = ""                # rendered HTML
    toc: list = field(default_factory=list)
    context: dict = field(default_factory=dict)  # extra template variables for generated pages

    @cached_property
    def source_digest(self) -> str:
        """What the page's own file says (front matter and Markdown), as one hash; a page's
        output is rendered again only when this, its templates or what they read change."""
        from .hashing import digest
        return digest(self.url, self.title, self.description, self.template, sorted(self.meta.items()), self.markdown)

    @cached_property
    def index_entry(self) -> str:
        """What listings of pages (menus, a section's index) can show of this page."""
        return f"{self.url}\0{self.title}\0{self.description}\0{sorted(self.meta.items())!r}"

    @property
    def order(self) -> int:
        return self.meta.get("order", 1000)

    @property
    def section(self) -> str:
        """The first folder of the address: 'guides' for /guides/x/."""
        parts = self.url.strip("/").split("/")
        return parts[0] if len(parts) > 1 or self.url.endswith("/") and parts[0] else ""

    @property
    def is_section_index(self) -> bool:
        """A folder's own page: from a file named exactly index.md (not state-index.md)."""
        return self.source.rpartition("/")[2] == "index.md"

    @property
    def output_path(self) -> str:
        return self.url.lstrip("/") + ("index.html" if self.url.endswith("/") else "")


# Characters the HTML standard forbids in a document: controls other than tab, newline, form feed
# and carriage return, and the Unicode noncharacters (https://html.spec.whatwg.org/#preprocessing-the-input-stream).
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff"
                       + "".join(f"\\U{p:08x}\\U{p + 1:08x}" for p in range(0x1fffe, 0x110000, 0x10000)) + "]")


def read_text(path: Path | str, rel: str) -> str:
    """File text as UTF-8. A byte that is not UTF-8, or a character HTML forbids (such as a
    vertical tab pasted from a word processor), is a SiteError at its line and column."""
    with open(path, "rb") as fh:
        data = fh.read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _line_col(data, exc.start, b"\n")
        raise SiteError(Location(rel, line, col), f"this file is not UTF-8 (byte 0x{data[exc.start]:02x})",
                        "save it as UTF-8 in your editor") from None
    bad = FORBIDDEN.search(text)
    if bad is not None:
        line, col = _line_col(text, bad.start(), "\n")
        raise SiteError(Location(rel, line, col), f"character U+{ord(bad.group()):04X} is not allowed in a web page",
                        "delete it: it is invisible, and often comes with text pasted from another program")
    return text


def _line_col(text, at: int, newline) -> tuple[int, int]:
    before = text[:at]
    return before.count(newline) + 1, at - (before.rfind(newline) + 1) + 1


def split_front_matter(text: str, rel: str) -> tuple[str, str, int]:
    """(front matter YAML, Markdown body, line where the body starts)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        raise SiteError(Location(rel, 1, 1), "no front matter found",
                        "start the file with a line '---', then 'title: ...', then another '---'")
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return "".join(lines[1:i]), "".join(lines[i + 1:]), i + 2
    raise SiteError(Location(rel, 1, 1), "front matter is not closed",
                    "add a line '---' after the last front-matter line")


def url_for_file(rel_to_content: Path | str, slug: str | None = None) -> str:
    """The address of a content file, from its path below content/: each folder and the file's
    name (without its extension) as a slug, '/' after each; `slug` replaces the name's.
    `Vote Early.md` is /vote-early/, `guides/index.md` /guides/. Raises ValueError for a name
    that has no letter or digit to make a slug of."""
    folder, _, name = str(rel_to_content).replace(os.sep, "/").rpartition("/")
    stem = name.rsplit(".", 1)[0] if "." in name[1:] else name  # without its extension
    parts = [_slug(p) for p in folder.split("/")] if folder else []
    if name != "index.md":
        parts.append(slug or _slug(stem))
    return "/" + "".join(p + "/" for p in parts)


_SLUGS: dict[str, str] = {}


def _slug(part: str) -> str:
    if part not in _SLUGS:
        from slugify import slugify  # loads its transliteration tables: only for a new name

        made = part if re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", part) else slugify(part)
        if not made:
            raise ValueError(part)
        _SLUGS[part] = made
    return _SLUGS[part]


def read_page(path: Path | str, content_dir: Path, site_dir: Path, report: Report) -> Page | None:
    rel = _relative(path, site_dir)
    try:
        text = read_text(path, rel)
        fm_text, body, body_line = split_front_matter(text, rel)
        meta, positions = load_yaml(fm_text, rel, line_offset=1)
    except SiteError as err:
        report.add(err)
        return None
    if not isinstance(meta, dict):
        report.error(Location(rel, 2, 1), "front matter must be 'key: value' lines",
                     "write at least 'title: Your page title'")
        return None
    for warning in positions.warnings:
        report.warn(warning.where, warning.message, warning.hint)
    if not schema.check("page", meta, positions, report):
        return None
    meta = {k: _as_date(v) if k == "date" else v for k, v in meta.items()}
    try:
        url = url_for_file(_relative(path, content_dir), meta.get("slug"))
    except ValueError as exc:
        report.error(Location(rel, 1, 1), f"the name '{exc}' has no letter or digit to make an address of",
                     "rename the file or folder, or set 'slug: some-name' in the front matter")
        return None
    return Page(url=url, title=meta["title"],
                template=_template_name(meta["template"]) if "template" in meta else "", source=rel, line=1,
                description=meta.get("description", ""), meta=meta, markdown=body)


def _relative(path: Path | str, root: Path) -> str:
    """`path` below `root`, with '/' between parts (cheaper than Path.relative_to, which shows
    when a site has thousands of pages)."""
    text, prefix = str(path), str(root) + os.sep
    if text.startswith(prefix):
        return text[len(prefix):].replace(os.sep, "/")
    return Path(path).relative_to(root).as_posix()


def _template_name(name: str) -> str:
    return name if name.endswith(".html") else name + ".html"


def _as_date(value):
    if isinstance(value, str):
        return datetime.date.fromisoformat(value)
    return value


def content_files(content_dir: Path, stamps: dict) -> list[str]:
    """Every Markdown file under content/ in the input scan (`stamps`, inputs.scan), sorted,
    as strings (making 4000 Path objects costs more than the rest of a rebuild); a file or
    folder whose name starts with '.' or '_' is left out."""
    prefix = str(content_dir) + os.sep
    return sorted(p for p in stamps if p.startswith(prefix) and p.endswith(".md")
                  and not any(part.startswith((".", "_")) for part in p[len(prefix):].split(os.sep)))
