"""Writing the built site so that it is replaced whole or not at all.

Everything is written into a fresh folder beside the output; only when that succeeded is the
old output moved aside and the new one renamed into its place. A failure at any point leaves
the previous output exactly as it was. When only a few files of a finished output change, each
is replaced whole (`write_atomic`).
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
        self.dir = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.new-", dir=self.out.parent))  # private until commit
        self.made: set = set()  # folders made in it so far

    def write(self, rel: str, data: bytes | str) -> tuple[int, int]:
        """Write one new file; returns its size and modification time, for the build's manifest."""
        folder = rel.rpartition("/")[0]
        if folder and folder not in self.made:
            os.makedirs(self.dir / folder, exist_ok=True)
            self.made.add(folder)
        with open(self.dir / rel, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            fh.flush()
            st = os.fstat(fh.fileno())
        return st.st_size, st.st_mtime_ns

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
        self.out.chmod(0o755)  # it was made private; a published site is readable
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    def discard(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


def write_atomic(target: Path, data: bytes) -> tuple[int, int]:
    """Replace one file whole: a reader sees the old bytes or the new, never half of each.
    Used for the files of a finished output, the cache and the build's memory; returns the new
    file's size and modification time."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".new-{os.getpid()}-{target.name}"
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    st = os.stat(target)
    return st.st_size, st.st_mtime_ns
