"""Writing the built site so that it is replaced whole or not at all.

Everything is written into a fresh folder beside the output; only when that succeeded is the
old output moved aside and the new one renamed into its place. A failure at any point leaves
the previous output exactly as it was. When only a few files of a finished output change, each
is replaced whole (`write_atomic`).
"""
from __future__ import annotations

import os
from pathlib import Path


class Staging:
    """A fresh folder beside `out` that becomes `out` on commit()."""

    def __init__(self, out: Path):
        self.out = out.resolve()
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.dir = fresh_folder(self.out.parent, f".{self.out.name}.new-")
        self.made: set = set()  # folders made in it so far

    def write(self, rel: str, data: bytes | str) -> tuple[int, int]:
        """Write one file; returns its size and modification time, for the build's manifest."""
        return write_file(self.dir, rel, data.encode("utf-8") if isinstance(data, str) else data, self.made)

    def commit(self) -> None:
        old = None
        if self.out.exists():
            old = fresh_folder(self.out.parent, f".{self.out.name}.old-")
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
            import shutil
            shutil.rmtree(old, ignore_errors=True)

    def discard(self) -> None:
        import shutil
        shutil.rmtree(self.dir, ignore_errors=True)


def fresh_folder(parent: Path, prefix: str) -> Path:
    """A new empty folder, readable only by its owner, named `prefix` and something unique."""
    for attempt in range(1000):
        path = parent / f"{prefix}{os.getpid()}-{attempt}"
        try:
            os.mkdir(path, 0o700)
            return path
        except FileExistsError:
            continue
    raise FileExistsError(f"no free name for {prefix}* in {parent}")


def write_file(root: Path, rel: str, data: bytes, made: set | None = None) -> tuple[int, int]:
    """Write a new file under `root` (used while the folder is not yet the output);
    returns its size and modification time. `made` remembers the folders already made."""
    folder = rel.rpartition("/")[0]
    if folder and (made is None or folder not in made):
        os.makedirs(os.path.join(root, folder), exist_ok=True)
        if made is not None:
            made.add(folder)
    with open(os.path.join(root, rel), "wb") as fh:
        fh.write(data)
        fh.flush()
        st = os.fstat(fh.fileno())
    return st.st_size, st.st_mtime_ns


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
