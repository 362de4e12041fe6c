"""The dev server: serves the build, rebuilds and reloads on change, shows errors, recovers."""
from __future__ import annotations

import asyncio
import io
import json
import os
import subprocess
import re
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from tornado.websocket import websocket_connect

from conftest import REPO, free_port, make_own_cache, make_scratch_site


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8", errors="replace")


def start_serve(site, cache, *args, ready=lambda status: status == 200):
    """Start `serve` on a free port; returns (process, base URL, port) once the home page answers.
    What it prints (both streams) collects in `proc.lines`."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--site", str(site),
                             "--cache", str(cache), "--port", str(port), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    proc.lines = []
    threading.Thread(target=lambda: proc.lines.extend(proc.stdout), daemon=True).start()
    base = f"http://127.0.0.1:{port}/"
    deadline = time.time() + 420  # a whole first build: minutes on a machine busy with other work
    while time.time() < deadline:
        try:
            if ready(fetch(base)[0]):
                break
        except OSError:
            time.sleep(0.1)
    else:
        proc.kill()
        pytest.fail(f"serve did not start: {''.join(proc.lines)}")
    return proc, base, port


def stop(proc) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="module")
def dev_server(tmp_path_factory, shared_cache):
    """One `serve` of a scratch copy of the default site, started once for the tests of this
    module that can share it (each start is a whole build): the ones that only read, and the
    edit test, which leaves the site good again. The site has a published output/ of its own,
    which serve must never touch. (base URL, port, site folder, serve's cache folder)"""
    root = tmp_path_factory.mktemp("serve")
    site, cache = make_scratch_site(root / "site", shared_cache), make_own_cache(root / "cache", shared_cache)
    (site / "output").mkdir()
    (site / "output/index.html").write_text("the published site", "utf-8")
    proc, base, port = start_serve(site, cache)
    yield base, port, site, cache
    stop(proc)


async def _reload_after(port: int, action, done, timeout: float = 15.0) -> dict:
    """Connect as the browser's reload script does, do `action`, and return the first reload
    message after which `done()` holds (a reload caused by some other change may come first)."""
    ws = await websocket_connect(f"ws://127.0.0.1:{port}/livereload")
    await ws.write_message(json.dumps({"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}))
    assert json.loads(await ws.read_message())["command"] == "hello"
    await ws.write_message(json.dumps({"command": "info", "url": f"http://127.0.0.1:{port}/faq/", "plugins": {}}))
    await asyncio.sleep(0.3)
    action()
    deadline = time.monotonic() + timeout
    try:
        while True:
            left = deadline - time.monotonic()
            message = json.loads(await asyncio.wait_for(ws.read_message(), max(left, 0.01)))
            if message.get("command") == "reload" and done():
                return message
    finally:
        ws.close()


def reload_after(port, action, done, timeout: float = 15.0):
    # In a thread of its own: browser tests in the same session leave an event loop running here.
    with ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(asyncio.run, _reload_after(port, action, done, timeout)).result()


def test_serve_binds_to_localhost_and_injects_the_reload_script(dev_server):
    base, port, _, _ = dev_server
    status, body = fetch(base + "faq/")
    assert status == 200
    assert f'<script src="/livereload.js?port={port}" defer></script></head>' in body
    assert 'id="votepact-build-error"' not in body
    # canonical links point at the dev server, so every link works locally
    assert f'<link rel="canonical" href="{base}faq/">' in body


def test_serve_builds_in_the_cache_and_never_touches_the_output(dev_server):
    """The preview has the dev server's address in every page; the published site must never."""
    base, port, site, cache = dev_server
    output = site / "output"
    assert f'<link rel="canonical" href="{base}faq/">' in (cache / "serve/faq/index.html").read_text("utf-8")
    assert [p.name for p in output.iterdir()] == ["index.html"]
    assert (output / "index.html").read_text("utf-8") == "the published site"


def test_a_first_build_that_fails_shows_the_error_in_the_browser(scratch_site, own_cache):
    faq = scratch_site / "content/faq.md"
    original = faq.read_text("utf-8")
    faq.write_text(original.replace("title:", "title: [broken", 1), "utf-8")
    proc, base, port = start_serve(scratch_site, own_cache, ready=lambda status: status != 0)
    try:
        for path in ("", "faq/", "no/such/page/"):
            status, body = fetch(base + path)
            assert 'id="votepact-build-error"' in body and "content/faq.md:" in body and "YAML syntax error" in body
            assert "The build failed; fix this and the site appears here." in body
            assert f'<script src="/livereload.js?port={port}" defer></script>' in body  # reloads once fixed
        # the first good build draws every preview image and PDF: give it time on a busy machine
        reload_after(port, lambda: save(faq, original), lambda: fetch(base + "faq/")[0] == 200, timeout=180)
        status, body = fetch(base + "faq/")
        assert status == 200 and 'id="votepact-build-error"' not in body
    finally:
        stop(proc)


def test_serve_never_serves_files_outside_the_site(dev_server):
    base, port, site, _ = dev_server
    for path in ("../pyproject.toml", "%2e%2e/pyproject.toml", "..%2fdata/site.yaml", "static/../../data/site.yaml"):
        status, body = fetch(base + path)
        assert status in (403, 404), path
        assert "base_url" not in body
    status, body = fetch(base + "no/such/page/")
    assert status == 404 and "Page not found" in body


def save(path, text: str) -> None:
    """Save as editors do: the new text replaces the file whole."""
    tmp = path.with_name("." + path.name + ".saving")  # hidden: the watcher skips it
    tmp.write_text(text, "utf-8")
    os.replace(tmp, path)


def test_edit_rebuild_reload_error_and_recovery(dev_server):
    base, port, site, _ = dev_server
    faq = site / "content/faq.md"
    original = faq.read_text("utf-8")
    seen = {}

    def shows(*needles):
        def check():
            seen["body"] = fetch(base + "faq/")[1]
            return all(n in seen["body"] for n in needles)
        return check

    # 1. a change is rebuilt and the browser told to reload
    message = reload_after(port, lambda: save(faq, original.replace("\n---\n", "\n---\n\nFreshly edited line.\n", 1)),
                           shows("Freshly edited line."))
    assert message["command"] == "reload"

    # 2. a broken file: the last good site stays, with the error shown over it
    reload_after(port, lambda: save(faq, original.replace("title:", "title: [broken", 1)),
                 shows('id="votepact-build-error"', "content/faq.md:", "YAML syntax error"))
    assert "Freshly edited line." in seen["body"]  # still the last good build
    assert 'id="votepact-build-error"' in fetch(base + "about/")[1]  # on every page

    # 3. fixed again: the error is gone and the new text is there
    reload_after(port, lambda: save(faq, original.replace("\n---\n", "\n---\n\nFixed now.\n", 1)), shows("Fixed now."))
    assert 'id="votepact-build-error"' not in seen["body"]


def served_glyphs(base: str) -> set[int]:
    """The characters of the web font the home page preloads, as a browser would fetch it."""
    from fontTools.ttLib import TTFont
    font = re.search(r'href="/(static/fonts/inter-regular[^"]*\.woff2)"', fetch(base)[1]).group(1)
    with urllib.request.urlopen(base + font, timeout=5) as response:
        return set(TTFont(io.BytesIO(response.read())).getBestCmap())


def wait_for(check, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "waited in vain"
        time.sleep(0.05)


def test_a_saved_page_is_shown_first_and_the_whole_build_follows(scratch_site, own_cache):
    """Serve's fast render: a page whose text alone changed is rendered, served and reloaded
    before the whole build; the whole build then brings the site-wide files up to date, and a
    mistake only it finds takes the page back to the last good build, with the error shown."""
    proc, base, port = start_serve(scratch_site, own_cache, "--strict")
    faq, guide = scratch_site / "content/faq.md", scratch_site / "content/guides/keeping-the-pact.md"
    original = faq.read_text("utf-8")
    built = lambda: sum(line.startswith("[build") for line in proc.lines)  # noqa: E731
    try:
        assert 0x174 not in served_glyphs(base)
        # 1. A new letter in the text: the page shows it at once, from a render of that page alone...
        before = built()
        edited = original.replace("\n---\n", "\n---\n\nŴales has voters too.\n", 1)
        message = reload_after(port, lambda: save(faq, edited), lambda: "Ŵales has voters" in fetch(base + "faq/")[1])
        assert message["command"] == "reload"
        wait_for(lambda: built() > before)
        said = "".join(proc.lines)
        assert said.index("[fast render] faq/index.html") < said.index(f"[build {before + 1}]")
        # ...and the whole build that follows cuts the web font again, so the letter is drawn in it.
        assert 0x174 in served_glyphs(base)
        assert "Ŵales has voters" in fetch(base + "faq/")[1]

        # 2. A title is front matter, which listings show: the whole build alone, nothing stale.
        fast = said.count("[fast render]")
        title = guide.read_text("utf-8").split("\n")[1]
        reload_after(port, lambda: save(guide, guide.read_text("utf-8").replace(title, "title: Keeping it, renamed")),
                     lambda: "Keeping it, renamed" in fetch(base + "guides/")[1])
        assert "".join(proc.lines).count("[fast render]") == fast

        # 3. A broken link (an error under --strict) is found by the whole build only: the fast
        # render showed it for that long, then the page is the last good build's, under the error.
        broken = edited.replace("Ŵales has voters too.", "See [the map](/no-such-page/).")
        reload_after(port, lambda: save(faq, broken),
                     lambda: "links to /no-such-page/" in fetch(base + "faq/")[1], timeout=60)
        status, body = fetch(base + "faq/")
        assert 'id="votepact-build-error"' in body and "content/faq.md:" in body
        assert "Ŵales has voters" in body and "the map" not in body
    finally:
        stop(proc)
