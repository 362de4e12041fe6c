"""What a build is asked to do, what it knows after reading, and what it tells at the end.

Both the recipe (build.py) and its stages import these; none of them imports build.py.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .data import SiteData


@dataclass
class BuildOptions:
    """What a build is asked to do: which site, into which folder, and how."""
    site_dir: Path
    out_dir: Path
    base_url: str | None = None
    drafts: bool = False
    strict: bool = False
    cache_dir: Path | None = None
    """Where preview images, PDFs and what earlier builds learned are kept; default .cache/ in the site folder."""

    @property
    def cache(self) -> Path:
        return self.cache_dir or self.site_dir.resolve() / ".cache"


@dataclass
class BuildResult:
    """What a build did, for the command line to tell."""
    pages: int
    files: int
    seconds: float
    warnings: list = field(default_factory=list)
    drawn: int = 0        # preview images drawn by this build (the rest came from the cache)
    printed: int = 0      # PDFs made by this build (the rest came from the cache)
    rendered: int = 0     # pages rendered (the rest had not changed)
    written: int = 0      # files written (the rest already held these bytes)
    unchanged: bool = False  # nothing had changed since the last build: nothing was done


@dataclass
class Site:
    """Everything a build knows after reading, before writing."""
    data: SiteData
    pages: list                                   # every Page, sorted by URL, each with its template
    assets: dict                                  # static files by name (assets.Asset)
    previews: dict = field(default_factory=dict)  # page URL -> previews.Preview
    pdfs: dict = field(default_factory=dict)      # page URL -> pdfs.Pdf, for the PDFs this build makes

    @property
    def settings(self):
        return self.data.settings
