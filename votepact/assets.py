"""Static files: the site's own over the project's, with content-hashed names for CSS and JS.

A hashed name (`site.3f9a1c2e.css`) changes whenever the file does, so a CDN can keep every
asset forever and a visitor never gets a stale stylesheet after an update.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import rcssmin

from .errors import Location, Report, relpath
from .inputs import PROJECT_DIR, distinct

HASHED = {".css", ".js", ".mjs", ".json"}
LARGE = 5 * 1024 * 1024
"""Bytes above which a static file gets a warning: more than a page should ever make a visitor load."""


@dataclass(frozen=True)
class Asset:
    name: str        # as templates ask for it: "css/site.css"
    output: str      # under static/ in the output: "css/site.3f9a1c2e.css"
    data: bytes


def static_dirs(site_dir: Path) -> list[Path]:
    """The site's static folder, then the project's."""
    return distinct([d for d in (site_dir / "static", PROJECT_DIR / "static") if d.is_dir()])


def collect(site_dir: Path, report: Report | None = None) -> dict[str, Asset]:
    """Every static file by name; a file in the site's static/ hides the project's of that name.
    A file larger than LARGE is reported as a warning."""
    found: dict[str, Asset] = {}
    for root in static_dirs(site_dir):
        for path in sorted(root.rglob("*")):
            if not path.is_file() or any(p.startswith(".") for p in path.relative_to(root).parts):
                continue
            name = path.relative_to(root).as_posix()
            if name in found:
                continue
            data = published(name, path.read_bytes())
            if len(data) > LARGE and report is not None:
                report.warn(Location(relpath(path, site_dir)), f"is {len(data) / 1024 / 1024:.0f} MB, more than a "
                            f"visitor on a phone should load", "make it smaller (an image: resize it, save it as WebP or JPEG)")
            found[name] = Asset(name, hashed_name(name, data), data)
    return dict(sorted(found.items()))


def published(name: str, data: bytes) -> bytes:
    """A static file as the site serves it: a stylesheet loses its comments and spare whitespace
    (rcssmin, a kept minifier that leaves values and `@` rules as written), every other file is
    unchanged. Stylesheets are written to be read, with comments; visitors need only the rules,
    and the page budget (14 KB gzip of HTML and CSS) counts what they download."""
    if not name.endswith(".css"):
        return data
    return rcssmin.cssmin(data.decode("utf-8")).encode("utf-8")


def hashed_name(name: str, data: bytes) -> str:
    path = Path(name)
    if path.suffix not in HASHED:
        return name
    digest = hashlib.sha256(data).hexdigest()[:10]
    return str(path.with_name(f"{path.stem}.{digest}{path.suffix}").as_posix())


def add_generated(assets: dict[str, Asset], name: str, data: bytes) -> None:
    """A file the build makes (such as the pact card's data) joins the static files."""
    assets[name] = Asset(name, hashed_name(name, data), data)
