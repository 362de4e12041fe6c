"""The manifest of the last build, and what a long-running process keeps between its builds.

Kept in the cache folder, never in the output, and safe to delete at any time:
- the `Manifest` of the last build into an output folder: the scan of its inputs, and for every
  file it wrote, the key of what went into it and the size and time it was written with;
- the Markdown bodies already rendered, by a hash of their text (in a file of their own).

`serve` keeps one `Memory` for its whole run, so a save re-reads only the files that changed.
"""
from __future__ import annotations

import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path

from .hashing import digest
from .output import write_atomic

FORMAT = 2  # bump when what is stored changes shape


@dataclass
class Written:
    """One file of the output as the last build wrote it."""
    key: str      # what went into the file (for pages: the page and everything its templates use)
    hash: str     # of its bytes
    size: int
    mtime_ns: int


@dataclass
class Manifest:
    """What the last build into one output folder read and wrote."""
    out_dir: str = ""
    inputs: str = ""                      # digest of the input scan and the build options
    files: dict = field(default_factory=dict)   # output path -> Written
    links: dict = field(default_factory=dict)   # page URL -> the site paths its HTML links to
    pages: int = 0
    warnings: list = field(default_factory=list)

    def intact(self, out: Path) -> bool:
        """Is the output folder still exactly what this manifest says was written?"""
        if not self.files or self.out_dir != str(out.resolve()):
            return False
        for rel, w in self.files.items():
            try:
                st = os.stat(os.path.join(self.out_dir, rel))  # a Path per file would double the time
            except OSError:
                return False
            if st.st_size != w.size or st.st_mtime_ns != w.mtime_ns:
                return False
        return True


@dataclass
class Memory:
    """Everything kept between builds. `load`/`save` keep it in the cache folder."""
    path: Path | None = None
    manifest: Manifest = field(default_factory=Manifest)
    # Only in a long-running process (serve): parsed files by path, reused while unchanged.
    parsed: dict = field(default_factory=dict)       # path -> ((size, mtime_ns), value)
    environment: tuple | None = None                 # (key, jinja environment, (asset names, template facts))
    site: object = None  # the Site of the last build that succeeded (serve's fast render starts from it)
    wrote: str = ""  # the output folder this process wrote last: as it left it, no need to look again
    used_markdown: set = field(default_factory=set)
    _markdown: dict | None = None

    @property
    def markdown(self) -> dict:
        """Markdown already rendered: (version, text digest) -> (html, toc). Kept in a file of its
        own, read only by a build that renders, not by one that finds nothing changed."""
        if self._markdown is None:
            self._markdown = (_unpickle(self._markdown_path()) if self.path is not None else None) or {}
        return self._markdown

    def _markdown_path(self) -> Path:
        return self.path.with_name(self.path.stem + "-markdown.pickle")

    @classmethod
    def load(cls, cache_dir: Path | None, out: Path) -> "Memory":
        """What the last build into `out` left in `cache_dir`; empty if nothing readable is there."""
        if cache_dir is None:
            return cls()
        path = cache_dir / f"build-{digest(str(out.resolve()))[:12]}.pickle"
        return cls(path=path, manifest=_unpickle(path) or Manifest())

    def save(self) -> None:
        """Into the cache folder, keeping only the Markdown the last build used."""
        if self.path is None:
            return
        try:
            if self._markdown is not None:
                self._markdown = {k: v for k, v in self._markdown.items() if k in self.used_markdown}
                self.used_markdown = set()
                write_atomic(self._markdown_path(), pickle.dumps((FORMAT, self._markdown), pickle.HIGHEST_PROTOCOL))
            write_atomic(self.path, pickle.dumps((FORMAT, self.manifest), pickle.HIGHEST_PROTOCOL))
        except OSError:
            pass  # a cache that cannot be written only makes builds slower

    def output_intact(self, out: Path) -> bool:
        return (self.wrote == str(out.resolve()) and self.manifest.out_dir == self.wrote) or self.manifest.intact(out)

    def up_to_date(self, out: Path, inputs: str) -> bool:
        """Nothing changed since the last build, and its output is still as it left it."""
        return self.manifest.inputs == inputs and self.output_intact(out)

    def recall(self, path: str, stamp):
        """A file parsed by an earlier build of this process, if it has not changed since."""
        hit = self.parsed.get(path)
        return hit[1] if hit is not None and hit[0] == stamp else None

    def keep(self, path: str, stamp, value) -> None:
        self.parsed[path] = (stamp, value)


def _unpickle(path: Path):
    """What `save` kept at `path`, or None when there is nothing readable of this FORMAT there:
    the build then just does all the work."""
    try:
        with open(path, "rb") as fh:
            fmt, value = pickle.load(fh)
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError):
        return None
    return value if fmt == FORMAT else None
