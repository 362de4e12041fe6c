"""`serve` learns of every change to the input files (saves, new files and folders, removals)
through watchfiles, and rebuilds with what is there now; hidden files are not inputs."""
from __future__ import annotations

import asyncio
import os
import threading
from concurrent.futures import ThreadPoolExecutor

from votepact.inputs import scan
from votepact.serve import is_input, watch


def test_every_kind_of_change_reaches_the_rebuild_with_every_file(tmp_path):
    root = tmp_path / "content"
    (root / "guides").mkdir(parents=True)
    (root / "faq.md").write_text("one", "utf-8")
    (root / "guides/a.md").write_text("a", "utf-8")
    builds: list[dict] = []
    arrived = threading.Event()

    async def rebuild(stamps, paths):
        assert paths and all(p.startswith(str(root)) for p in paths)
        builds.append(stamps)
        arrived.set()

    async def run(stop: asyncio.Event, ready: threading.Event):
        loop = asyncio.get_running_loop()
        loop.call_later(0.3, ready.set)  # watchfiles is watching by then
        await watch([root], scan([root]), rebuild, stop)

    def change(action):
        arrived.clear()
        before = len(builds)
        action()
        assert arrived.wait(10), "the change was not seen"
        assert len(builds) == before + 1
        assert builds[-1] == scan([root]), "the rebuild got other files than are there"

    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    ready = threading.Event()
    with ThreadPoolExecutor(max_workers=1) as thread:
        done = thread.submit(loop.run_until_complete, run(stop, ready))
        assert ready.wait(10)
        change(lambda: (root / "faq.md").write_text("one, edited", "utf-8"))   # saved in place
        change(lambda: (root / "new.md").write_text("new", "utf-8"))            # a new file
        change(lambda: (root / "states/ohio").mkdir(parents=True) or (root / "states/ohio/x.md").write_text("x"))
        change(lambda: (root / "guides/a.md").unlink())                         # removed
        tmp = root / ".faq.md.swp"                                                     # an editor's atomic save
        change(lambda: (tmp.write_text("one, saved whole", "utf-8"), os.replace(tmp, root / "faq.md")))
        change(lambda: os.rename(root / "states", tmp_path / "elsewhere"))      # a folder moved away
        arrived.clear()
        (root / ".hidden.md").write_text("ignored", "utf-8")
        assert not arrived.wait(1), "a hidden file is not an input"
        loop.call_soon_threadsafe(stop.set)
        done.result(timeout=10)
    loop.close()
    assert len(builds) == 6


def test_only_visible_files_under_an_input_folder_are_inputs(tmp_path):
    roots = [tmp_path / "content", tmp_path / "static"]
    assert is_input(str(tmp_path / "content" / "faq.md"), roots)
    assert is_input(str(tmp_path / "static" / "css" / "site.css"), roots)
    assert not is_input(str(tmp_path / "content" / ".faq.md.swp"), roots)
    assert not is_input(str(tmp_path / "content" / ".git" / "HEAD"), roots)
    assert not is_input(str(tmp_path / "output" / "index.html"), roots)
    assert not is_input(str(tmp_path / ".cache" / "serve" / "index.html"), roots)
