"""`serve` learns of every change to the input files: saves, new files and folders, removals."""
from __future__ import annotations

import os
import sys

import pytest

from votepact.inputs import scan
from votepact.watching import KernelWatcher, PollingWatcher, watcher_for

KINDS = [PollingWatcher] + ([KernelWatcher] if sys.platform.startswith("linux") else [])


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.__name__)
def test_every_kind_of_change_reaches_the_rebuild_with_every_file(tmp_path, kind):
    root = tmp_path / "content"
    (root / "guides").mkdir(parents=True)
    (root / "faq.md").write_text("one", "utf-8")
    (root / "guides/a.md").write_text("a", "utf-8")
    builds = []
    watcher = kind([root], builds.append)

    def change(action):
        before = len(builds)
        action()
        watcher.examine()
        assert len(builds) == before + 1, "the change was not seen"
        assert builds[-1] == scan([root]), "the rebuild got other files than are there"

    change(lambda: (root / "faq.md").write_text("one, edited", "utf-8"))       # saved in place
    change(lambda: (root / "new.md").write_text("new", "utf-8"))                # a new file
    change(lambda: (root / "states/ohio").mkdir(parents=True) or (root / "states/ohio/x.md").write_text("x"))
    change(lambda: (root / "states/ohio/y.md").write_text("y", "utf-8"))        # inside the new folder
    change(lambda: (root / "guides/a.md").unlink())                             # removed
    tmp = root / ".faq.md.swp"                                                  # an editor's atomic save
    change(lambda: (tmp.write_text("one, saved whole", "utf-8"), os.replace(tmp, root / "faq.md")))
    change(lambda: os.rename(root / "states", tmp_path / "elsewhere"))          # a folder moved away
    watcher.examine()
    assert len(builds) == 7, "a rebuild without a change"
    (root / ".hidden.md").write_text("ignored", "utf-8")
    watcher.examine()
    assert len(builds) == 7, "a hidden file is not an input"


def test_linux_uses_the_kernels_reports(tmp_path):
    watcher = watcher_for([tmp_path], lambda stamps: None)
    expected = KernelWatcher if sys.platform.startswith("linux") else PollingWatcher
    assert type(watcher) is expected
