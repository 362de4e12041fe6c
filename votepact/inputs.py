"""The input scan: every file that can change the built site, with its size and modification time.

Comparing one scan with the last build's tells at a glance that nothing changed; `serve` passes
the scan its watcher made, so a save is not followed by a second walk of the folders.
"""
from __future__ import annotations

import os
from pathlib import Path

from .hashing import digest

CODE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = CODE_DIR / "theme" if (CODE_DIR / "theme").is_dir() else CODE_DIR.parent
"""Where the default theme's templates/ and static/ are: the repository, or the installed package."""


def scan(roots: list[Path]) -> dict[str, tuple[int, int]]:
    """path -> (size, mtime_ns) of every file under the roots (hidden files skipped). A linked
    folder is followed once (sitefolder.outside_links refuses those that lead out of the site)."""
    found: dict[str, tuple[int, int]] = {}
    stack = [str(r) for r in roots if r.is_dir()]
    linked: set[str] = set()
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith((".", "__pycache__")):
                continue
            if entry.is_dir():
                real = os.path.realpath(entry.path) if entry.is_symlink() else None
                if real is None or not (real in linked or entry.path.startswith(real + os.sep) or linked.add(real)):
                    stack.append(entry.path)
            elif entry.is_file():
                st = entry.stat()
                found[entry.path] = (st.st_size, st.st_mtime_ns)
    return found


def input_roots(site_dir: Path) -> list[Path]:
    """Every folder whose files can change the built site, the generator's own code included."""
    roots = [site_dir / name for name in ("content", "data", "templates", "static", "locale")]
    return distinct(roots + [PROJECT_DIR / "templates", PROJECT_DIR / "static", CODE_DIR])


def distinct(folders: list[Path]) -> list[Path]:
    """The folders in order, each once however it is named (a site folder that is the project
    folder has the project's templates and static files for its own)."""
    kept: dict[Path, Path] = {}
    for folder in folders:
        kept.setdefault(folder.resolve(), folder)
    return list(kept.values())


def input_digest(stamps: dict, *options) -> str:
    """One hash of a scan and the build options: equal means the same build."""
    return digest(sorted(stamps.items()), *options)


def under(stamps: dict, folders) -> list:
    """The (path, stamp) pairs of the scan inside any of `folders` (str or Path), sorted."""
    prefixes = tuple(str(f) + os.sep for f in folders)
    return sorted((p, s) for p, s in stamps.items() if p.startswith(prefixes))
