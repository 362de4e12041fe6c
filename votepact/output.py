"""Writing the built site so that it is replaced whole or not at all.

Everything is written into a fresh folder beside the output; only when that succeeded is the
old output moved aside and the new one renamed into its place. A failure at any point leaves
the previous output exactly as it was.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


class Staging:
    """A fresh folder beside `out` that becomes `out` on commit()."""

    def __init__(self, out: Path):
        self.out = out.resolve()
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.dir = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.new-", dir=self.out.parent))
        self.made: set = set()  # folders made in it so far

    def write(self, rel: str, data: bytes | str) -> tuple[int, int]:
        """Write one file; returns its size and modification time, for the build's manifest."""
        return write_file(self.dir, rel, data.encode("utf-8") if isinstance(data, str) else data, self.made)

    def commit(self) -> None:
        old = None
        if self.out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.old-", dir=self.out.parent))
            os.rmdir(old)
            os.rename(self.out, old)
        try:
            os.rename(self.dir, self.out)
        except OSError:
            if old is not None:
                os.rename(old, self.out)
            raise
        self.out.chmod(0o755)  # mkdtemp made it private; a published site is readable
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    def discard(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


def write_file(root: Path, rel: str, data: bytes, made: set | None = None) -> tuple[int, int]:
    """Write a new file under `root` (used while the folder is not yet the output);
    returns its size and modification time. `made` remembers the folders already made."""
    folder = rel.rpartition("/")[0]
    if folder and (made is None or folder not in made):
        os.makedirs(os.path.join(root, folder), exist_ok=True)
        if made is not None:
            made.add(folder)
    fd = os.open(os.path.join(root, rel), os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        st = os.fstat(fd)
    finally:
        os.close(fd)
    return st.st_size, st.st_mtime_ns


def write_in_place(out: Path, rel: str, data: bytes) -> tuple[int, int]:
    """Replace one file of an existing output whole: a reader sees the old bytes or the new,
    never half of each. Used when only a few files of a finished output change."""
    target = out / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".new-", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    st = os.stat(target)
    return st.st_size, st.st_mtime_ns
