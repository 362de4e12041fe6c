"""A site with hundreds of pages is rendered by a pool of processes; it must come out exactly as
one process alone would build it, and a mistake in one page must still stop it cleanly."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from conftest import REPO, make_own_cache, run_cli
import os

from votepact import rendering
from votepact.build import BuildOptions, build

PAGES = 300


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture()
def big_site(tmp_path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(REPO / "tests/golden/site", site, ignore=shutil.ignore_patterns("output", ".cache"))
    posts = site / "content/posts"
    posts.mkdir(parents=True)
    for i in range(PAGES):
        if i % 3 == 0:   # plain prose
            body = f"Post {i} says \"hello\" -- see [the next](/posts/post-{i + 1:03d}/).\n\n## Part {i}\n\nRun `x`.\n"
        else:            # lists, emphasis and a footnote
            body = f"Post {i} has *emphasis*.\n\n- one\n- two\n\nA note.[^1]\n\n[^1]: Footnote {i}.\n"
        (posts / f"post-{i:03d}.md").write_text(f"---\ntitle: Post number {i}\n---\n{body}", "utf-8")
    return site


@pytest.fixture(scope="module")
def big_site_drawn(tmp_path_factory) -> Path:
    """Images and PDFs of the big site, drawn by the first build of this module that needs
    them, for the builds here that are not about drawing (every big site here is the same)."""
    return tmp_path_factory.mktemp("big-site-drawn")


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: the build never starts a pool")
def test_a_pool_builds_what_one_process_builds(big_site, tmp_path, monkeypatch, big_site_drawn):
    started = []
    monkeypatch.setattr(rendering, "POOL_FROM", 100)
    monkeypatch.setattr(rendering, "_render_in_pool", lambda *a: started.append(1) or pool(*a))
    # The pool's build may take its images from the module's cache; the one-process build draws
    # its own, so the two trees compared are still made independently, images included.
    build(BuildOptions(big_site, tmp_path / "two", cache_dir=make_own_cache(tmp_path / "cache-two", big_site_drawn)))
    assert started, "the pool was not used"
    monkeypatch.setattr(rendering, "POOL_FROM", 10**9)
    build(BuildOptions(big_site, tmp_path / "one", cache_dir=tmp_path / "cache-one"))
    two, one = tree(tmp_path / "two"), tree(tmp_path / "one")
    assert len(two) > PAGES and two == one
    page = (tmp_path / "two/posts/post-003/index.html").read_text("utf-8")
    assert "\u201chello\u201d" in page and 'href="/pacts/posts/post-004/"' in page


pool = rendering._render_in_pool


def test_a_small_site_never_starts_a_pool(tmp_path, monkeypatch, shared_cache):
    monkeypatch.setattr(rendering, "_render_in_pool", lambda *a: pytest.fail("a pool for the default site"))
    assert build(BuildOptions(REPO, tmp_path / "out", cache_dir=shared_cache)).rendered >= 40


def test_a_mistake_in_one_of_many_pages_stops_the_build_cleanly(big_site, tmp_path, big_site_drawn):
    out = tmp_path / "out"
    warm = make_own_cache(tmp_path / "warm-cache", big_site_drawn)  # the good build only needs to be there
    assert run_cli("build", "--site", big_site, "--out", out, "--cache", warm).returncode == 0
    before = tree(out)
    bad = big_site / "content/posts/post-150.md"
    bad.write_text(bad.read_text("utf-8").replace("title: Post number 150", "title: [unclosed"), "utf-8")
    assert not (big_site / ".cache").exists()  # a cold build: the second process reads every page
    result = run_cli("build", "--site", big_site, "--out", out)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("content/posts/post-150.md:") and "YAML syntax error" in result.stderr
    assert result.stderr.count("\n") == 2  # the one error, then the summary
    assert tree(out) == before
