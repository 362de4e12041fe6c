"""Shared fixtures: a scratch site, the default site built once, a local web server, Chromium."""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from votepact.build import BuildOptions, build

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


def run_cli(*args, cwd=REPO):
    """Run `python build.py ...` as an organizer would; returns the CompletedProcess."""
    return subprocess.run([sys.executable, str(REPO / "build.py"), *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=600)  # a guard against a hang, not a speed test


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The default site, built once per test session. Tests only read it.

    With pytest-xdist (scripts/test.sh runs two workers), the first worker to need it builds it
    into the run's common temporary folder while the other waits, then both read that one build."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        out = tmp_path_factory.mktemp("site") / "output"
        build(BuildOptions(REPO, out))
        return out
    import fcntl  # only here: workers run on POSIX systems (scripts/test.sh)
    common = tmp_path_factory.getbasetemp().parent  # the same for every worker of this run
    out = common / "default-site"
    with open(common / "default-site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not out.is_dir():
            staging = common / "default-site.building"
            shutil.rmtree(staging, ignore_errors=True)
            build(BuildOptions(REPO, staging))
            staging.rename(out)
    return out


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def serve_dir():
    """Start a static server for a folder; returns its base URL. Servers stop at session end."""
    servers = []

    def start(root: Path, prefix: str = "") -> str:
        handler = functools.partial(_QuietHandler, directory=str(root))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()


@pytest.fixture(scope="session")
def site_url(built_site, serve_dir) -> str:
    return serve_dir(built_site)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright cannot find Debian's Chromium by itself."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


CACHED_KINDS = ("previews", "pdfs", "fonts", "templates")


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory, built_site) -> Path:
    """One build cache for all scratch sites: its entries are keyed by what went into them,
    so sharing it is safe, and images and PDFs are drawn once per test session, not per test.
    It starts with what the default site's build (built_site) drew, linked, not copied: a
    scratch site differs from the default one by a file or two, so it draws only what those
    change (on a fresh checkout this spares a second drawing of every image and PDF)."""
    cache = tmp_path_factory.mktemp("cache")
    drawn = REPO / ".cache"
    for kind in CACHED_KINDS:
        if (drawn / kind).is_dir():
            shutil.copytree(drawn / kind, cache / kind, copy_function=_link_or_copy)
    return cache


def _link_or_copy(src, dst):
    """Cache entries are replaced whole, never written into, so a hard link is as good as a copy."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


@pytest.fixture()
def own_cache(tmp_path, shared_cache) -> Path:
    """A cache folder of the test's own (what a build remembers, serve's output), whose preview
    images, PDFs, font subsets and compiled templates are the session's shared ones: those are
    kept by what went into them, so they are made once per session, not once per test."""
    return make_own_cache(tmp_path / "cache", shared_cache)


def make_own_cache(cache: Path, shared_cache: Path) -> Path:
    """What `own_cache` gives, at `cache` (for fixtures of a wider scope)."""
    cache.mkdir()
    for kind in CACHED_KINDS:
        (shared_cache / kind).mkdir(exist_ok=True)
        (cache / kind).symlink_to(shared_cache / kind, target_is_directory=True)
    return cache


@pytest.fixture()
def scratch_site(tmp_path, shared_cache) -> Path:
    """A copy of the default site's content and data in a temporary folder (templates and static
    come from the project), for tests that break or change files."""
    return make_scratch_site(tmp_path / "site", shared_cache)


def make_scratch_site(site: Path, shared_cache: Path) -> Path:
    """What `scratch_site` gives, at `site` (for fixtures of a wider scope)."""
    for name in ("content", "data"):
        shutil.copytree(REPO / name, site / name)
    (site / ".cache").symlink_to(shared_cache, target_is_directory=True)
    return site
