"""Knowing at once when an input file changes, for `serve`.

On Linux the kernel reports each file saved, moved or removed under the watched folders
(inotify), so a save is seen the moment the editor closes the file and nothing is looked at in
between. Elsewhere, and if the kernel cannot watch that many folders, every folder is looked at
every POLL_MS with one directory read and one stat per file.
"""
from __future__ import annotations

import ctypes
import os
import struct
import sys
from pathlib import Path

from livereload.watcher import Watcher
from tornado import ioloop

from .inputs import scan

POLL_MS = 50
SAFETY_LOOK_MS = 5000  # with the kernel's reports, a full look now and then all the same

# inotify(7) event bits. A file written in place is reported when it is closed (complete).
IN_ATTRIB, IN_CLOSE_WRITE, IN_MOVED_FROM, IN_MOVED_TO = 0x4, 0x8, 0x40, 0x80
IN_CREATE, IN_DELETE, IN_Q_OVERFLOW, IN_ISDIR = 0x100, 0x200, 0x4000, 0x40000000
WATCHED = IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE | IN_DELETE
GONE = IN_DELETE | IN_MOVED_FROM


def watcher_for(roots: list[Path], rebuild) -> PollingWatcher:
    """The kernel's reports where there are any, else a look every POLL_MS.
    `rebuild(stamps)` gets path -> (size, mtime_ns) of every input file after each change."""
    if sys.platform.startswith("linux"):
        try:
            return KernelWatcher(roots, rebuild)
        except (OSError, AttributeError):  # no inotify here, or more folders than the system allows
            pass
    return PollingWatcher(roots, rebuild)


class PollingWatcher(Watcher):
    """Looks at every watched folder every POLL_MS; rebuilds when any file's size or time changed."""

    def __init__(self, roots: list[Path], rebuild):
        super().__init__()
        self.roots, self.rebuild = roots, rebuild
        self.seen = scan(roots)

    def start(self, callback):
        ioloop.PeriodicCallback(callback, POLL_MS).start()
        return True

    def examine(self):
        return self._compare(scan(self.roots))

    def _compare(self, now: dict):
        if now == self.seen:
            return None, None
        changed = sorted(p for p in set(now) | set(self.seen) if now.get(p) != self.seen.get(p))
        self.seen = now
        self.filepath = changed[0]
        self.rebuild(dict(now))
        return self.filepath, None


class KernelWatcher(PollingWatcher):
    """Rebuilds as soon as the kernel reports a change, from the reported files alone."""

    def __init__(self, roots: list[Path], rebuild):
        super().__init__(roots, rebuild)
        self.libc = ctypes.CDLL(None, use_errno=True)
        self.fd = self.libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if self.fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1 failed")
        self.folders: dict[int, str] = {}
        self.full_look = False
        for root in roots:
            if root.is_dir():
                self._watch_tree(str(root))

    def start(self, callback):
        ioloop.IOLoop.current().add_handler(self.fd, lambda fd, events: callback(), ioloop.IOLoop.READ)
        ioloop.PeriodicCallback(self._safety_look(callback), SAFETY_LOOK_MS).start()
        return True

    def _safety_look(self, callback):
        def look():
            self.full_look = True
            callback()
        return look

    def examine(self):
        if self.full_look:
            self.full_look = False
            self._read_reports(dict(self.seen))  # reports now covered by the full look
            return self._compare(scan(self.roots))
        now = dict(self.seen)
        if not self._read_reports(now):
            return self._compare(scan(self.roots))  # the kernel dropped reports: look at everything
        return self._compare(now)

    def _read_reports(self, now: dict) -> bool:
        """Apply every pending report to `now`; False if the kernel had to drop some."""
        complete = True
        while True:
            try:
                data = os.read(self.fd, 1 << 16)
            except BlockingIOError:
                return complete
            at = 0
            while at + 16 <= len(data):
                wd, mask, _cookie, size = struct.unpack_from("iIII", data, at)
                name = os.fsdecode(data[at + 16: at + 16 + size].rstrip(b"\0"))
                at += 16 + size
                if mask & IN_Q_OVERFLOW:
                    complete = False
                folder = self.folders.get(wd)
                if folder is None or not name or name.startswith((".", "__pycache__")):
                    continue
                path = os.path.join(folder, name)
                if mask & IN_ISDIR:
                    if mask & GONE:
                        prefix = path + os.sep
                        for known in [p for p in now if p.startswith(prefix)]:
                            del now[known]
                    elif mask & (IN_CREATE | IN_MOVED_TO):
                        try:
                            self._watch_tree(path)
                        except OSError:
                            complete = False
                        now.update(scan([Path(path)]))
                elif mask & GONE:
                    now.pop(path, None)
                else:
                    try:
                        st = os.stat(path)
                        now[path] = (st.st_size, st.st_mtime_ns)
                    except OSError:
                        now.pop(path, None)

    def _watch_tree(self, top: str) -> None:
        for folder, subfolders, _files in os.walk(top):
            subfolders[:] = [d for d in subfolders if not d.startswith((".", "__pycache__"))]
            wd = self.libc.inotify_add_watch(self.fd, os.fsencode(folder), WATCHED)
            if wd < 0:
                raise OSError(ctypes.get_errno(), f"cannot watch {folder}")
            self.folders[wd] = folder
