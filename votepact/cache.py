"""Finished images and PDFs kept between builds, under `.cache/` in the site folder.

Each file is stored under a hash of everything that went into it (texts, fonts, size, the
version of the code that makes it), so a rebuild with no changes makes nothing new, and a
change anywhere makes a new entry. The folder can be deleted at any time; the next build
only takes longer.
"""
from __future__ import annotations

from pathlib import Path

from .output import write_atomic


class BuildCache:
    """One kind of product ('previews', 'pdfs') in the cache folder, by file name."""

    def __init__(self, root: Path | None, kind: str):
        self.dir = root / kind if root is not None else None

    def get(self, name: str) -> bytes | None:
        if self.dir is None:
            return None
        try:
            return (self.dir / name).read_bytes()
        except OSError:
            return None

    def put(self, name: str, data: bytes) -> None:
        """Store, written whole or not at all; a cache that cannot be written is only slower."""
        if self.dir is None:
            return
        try:
            write_atomic(self.dir / name, data)
        except OSError:
            pass
