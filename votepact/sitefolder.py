"""The site folder: finding it, and keeping a build inside it.

A build reads only what lies in the site folder (and the generator's own theme). A symbolic link
in content/, data/, templates/ or static/ whose target resolves inside the site folder is
followed, so a shared folder can be linked in; one that leads out of it is an error, because a
build that runs on contributed changes (CI, a hosting service) would otherwise publish files it
was never meant to read (the "arbitrary file read through a symlink" flaw other generators fixed).
"""
from __future__ import annotations

import os
from pathlib import Path

from .errors import Location, SiteError

INPUT_FOLDERS = ("content", "data", "templates", "static")
SETTINGS = Path("data") / "site.yaml"


def find_site(given: Path | None, here: Path) -> Path:
    """The site folder: `given` (--site), else `here` if it holds data/site.yaml. Raises
    SiteError saying where it looked when there is none."""
    if given is not None:
        if not given.is_dir():
            raise SiteError(Location(str(given)), "no such folder", "pass the folder that holds content/ and data/")
        return given
    if (here / SETTINGS).is_file():
        return here
    raise SiteError(Location(str(here / SETTINGS)), "no site here: this file is missing",
                    "run this in a site folder, pass --site DIR, or start a site with 'votepact new DIR'")


def outside_links(site_dir: Path) -> list[SiteError]:
    """A SiteError for every link in the site's input folders that leads out of `site_dir`, or
    into a folder that holds the link (which would never end). Links inside are followed."""
    root = site_dir.resolve()
    errors: list[SiteError] = []
    seen: set[str] = set()
    stack = [root / name for name in INPUT_FOLDERS]
    while stack:
        folder = stack.pop()
        if folder.is_symlink() and not _check_link(folder, root, errors):
            continue
        real = os.path.realpath(folder)
        if real in seen or not os.path.isdir(real):
            continue
        seen.add(real)
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir():
                    stack.append(Path(entry.path))
                elif entry.is_symlink():
                    _check_link(Path(entry.path), root, errors)
    return sorted(errors, key=lambda e: e.where.path)


def _check_link(link: Path, root: Path, errors: list) -> bool:
    """True when `link` may be followed; else a SiteError naming it and where it points."""
    target = Path(os.path.realpath(link))
    shown = link.relative_to(root).as_posix() if link.is_relative_to(root) else str(link)
    if not target.is_relative_to(root):
        errors.append(SiteError(Location(shown), f"is a link to {target}, outside the site folder",
                                "a build reads only the site folder: copy what it needs into it"))
        return False
    if link.is_relative_to(target) and target.is_dir():
        errors.append(SiteError(Location(shown), f"is a link to {target}, a folder that holds the link itself",
                                "remove the link: it would lead round in a circle"))
        return False
    return True
