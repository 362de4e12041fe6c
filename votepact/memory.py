"""What earlier builds know, so the next one does only the work that changed.

Kept in the cache folder, never in the output, and safe to delete at any time:
- `InputScan`: size and modification time of every input file (content, data, templates,
  static, and the generator's own code), to tell at a glance that nothing changed;
- `Markdown` bodies already rendered, by a hash of their text;
- the `Manifest` of the last build into an output folder: for every file it wrote, the key of
  what went into it and the size and time it was written with, to write only what changed.

`serve` keeps one `Memory` for its whole run, so a save re-reads only the files that changed.
"""
from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path

CODE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = CODE_DIR / "theme" if (CODE_DIR / "theme").is_dir() else CODE_DIR.parent
"""Where the default theme's templates/ and static/ are: the repository, or the installed package."""
FORMAT = 1  # bump when what is stored changes shape


def digest(*parts) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part if isinstance(part, bytes) else str(part).encode("utf-8")
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def quick_digest(*parts: str) -> str:
    """A hash of a few strings that cannot contain NUL (keys made of other digests and names)."""
    return hashlib.blake2b("\0".join(parts).encode("utf-8"), digest_size=16).hexdigest()


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
    roots = [site_dir / name for name in ("content", "data", "templates", "static")]
    roots += [PROJECT_DIR / "templates", PROJECT_DIR / "static", CODE_DIR]
    unique = []
    for root in roots:
        if root.resolve() not in [u.resolve() for u in unique]:
            unique.append(root)
    return unique


def input_digest(stamps: dict, *options) -> str:
    return digest(sorted(stamps.items()), *options)


@dataclass
class Written:
    key: str      # what went into the file (for pages: the page and everything its templates use)
    hash: str     # of its bytes
    size: int
    mtime_ns: int


@dataclass
class Manifest:
    out_dir: str = ""
    inputs: str = ""                      # digest of the InputScan and the build options
    files: dict = field(default_factory=dict)   # output path -> Written
    pages: int = 0
    warnings: list = field(default_factory=list)

    def intact(self, out: Path) -> bool:
        """Is the output folder still exactly what this manifest says was written?"""
        if not self.files or self.out_dir != str(out.resolve()):
            return False
        for rel, w in self.files.items():
            try:
                st = os.stat(out / rel)
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
    markdown: dict = field(default_factory=dict)     # text digest -> (html, toc)
    # Only in a long-running process (serve): parsed files by path, reused while unchanged.
    parsed: dict = field(default_factory=dict)       # path -> ((size, mtime_ns), value)
    environment: tuple | None = None                 # (key, jinja environment, template facts)
    wrote: str = ""  # the output folder this process wrote last: as it left it, no need to look again
    used_markdown: set = field(default_factory=set)

    @classmethod
    def load(cls, cache_dir: Path | None, out: Path) -> "Memory":
        if cache_dir is None:
            return cls()
        path = cache_dir / f"build-{digest(str(out.resolve()))[:12]}.pickle"
        try:
            with open(path, "rb") as fh:
                fmt, manifest, markdown = pickle.load(fh)
            if fmt == FORMAT:
                return cls(path=path, manifest=manifest, markdown=markdown)
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError):
            pass  # no memory, or an unreadable one: this build just does all the work
        return cls(path=path)

    def save(self) -> None:
        if self.path is None:
            return
        kept = {k: v for k, v in self.markdown.items() if k in self.used_markdown}
        self.markdown = kept
        self.used_markdown = set()
        tmp = self.path.with_name(self.path.name + f".{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(tmp, "wb") as fh:
                pickle.dump((FORMAT, self.manifest, kept), fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
        except OSError:
            tmp.unlink(missing_ok=True)  # a cache that cannot be written only makes builds slower

    def output_intact(self, out: Path) -> bool:
        return (self.wrote == str(out.resolve()) and self.manifest.out_dir == self.wrote) or self.manifest.intact(out)

    def up_to_date(self, out: Path, inputs: str) -> bool:
        """Nothing changed since the last build, and its output is still as it left it."""
        return self.manifest.inputs == inputs and self.output_intact(out)

    def remember_output(self, key, make):
        """Bytes made from `key` alone, made again only when the key changes (in this process)."""
        hit = self.parsed.get(("output",) + key[:1])
        if hit is None or hit[0] != key:
            hit = (key, make())
            self.parsed[("output",) + key[:1]] = hit
        return hit[1]

    def recall(self, path: str, stamp: tuple):
        """A file parsed by an earlier build of this process, if it has not changed since."""
        hit = self.parsed.get(path)
        return hit[1] if hit is not None and hit[0] == stamp else None

    def keep(self, path: str, stamp: tuple, value) -> None:
        self.parsed[path] = (stamp, value)
