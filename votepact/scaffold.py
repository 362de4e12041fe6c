"""`votepact new DIR`: a small working site to start from, built and checked at once.

The example (votepact/new_site/) has one race, two major and two alternative candidates, three
states, a home page, a pact page and a guide, with a comment on every key. Copies of the JSON
Schemas go into DIR/schema/, which the data files name on their first line, so an editor with a
YAML language server validates them wherever the site folder is moved.
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

from .schema import SCHEMA_DIR

EXAMPLE = Path(__file__).resolve().parent / "new_site"
IGNORED = "# Made by every build; never edit or commit them.\n/output/\n/.cache/\n"


def new_site(folder: Path) -> int:
    """Write the example site into `folder` (which must not exist, or be empty), then build and
    check it. Returns the exit status: 2 if the folder is in use, else that of build or check."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        print(f"votepact new: {folder} already exists and is not empty (name a new folder)", file=sys.stderr)
        return 2
    shutil.copytree(EXAMPLE, folder, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(SCHEMA_DIR, folder / "schema", ignore=shutil.ignore_patterns("__pycache__"))
    (folder / ".gitignore").write_text(IGNORED, "utf-8")
    print(f"Wrote a new site into {folder}: content/ holds its pages, data/ its settings and candidates.")
    from .cli import main

    code = main(["build", "--site", str(folder)]) or main(["check", "--site", str(folder)])
    if code == 0:
        print(f"Next: cd {folder} && votepact serve   (a live preview on http://127.0.0.1:8000/ as you edit)")
    return code
