"""A site with hundreds of pages is built by two processes side by side; it must come out exactly
as one process alone would build it, and a mistake in one page must still stop it cleanly."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from conftest import REPO, run_cli
from votepact import parallel
from votepact.build import BuildOptions, build
from votepact.parallel import can_fork

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
        if i % 3 == 0:   # plain prose: the quick Markdown path
            body = f"Post {i} says \"hello\" -- see [the next](/posts/post-{i + 1:03d}/).\n\n## Part {i}\n\nRun `x`.\n"
        else:            # lists, emphasis and a footnote: Python-Markdown
            body = f"Post {i} has *emphasis*.\n\n- one\n- two\n\nA note.[^1]\n\n[^1]: Footnote {i}.\n"
        (posts / f"post-{i:03d}.md").write_text(f"---\ntitle: Post number {i}\n---\n{body}", "utf-8")
    return site


@pytest.mark.skipif(not can_fork(), reason="one core or no fork: there is no second process to compare")
def test_two_processes_build_what_one_builds(big_site, tmp_path, monkeypatch):
    result = run_cli("build", "--site", big_site, "--out", tmp_path / "two")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Built ")
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 10**9)
    monkeypatch.setattr("votepact.build.PARALLEL_FROM", 10**9)
    build(BuildOptions(big_site, tmp_path / "one", cache_dir=tmp_path / "cache-one"))
    two, one = tree(tmp_path / "two"), tree(tmp_path / "one")
    assert len(two) > PAGES and two == one
    page = (tmp_path / "two/posts/post-003/index.html").read_text("utf-8")
    assert "\u201chello\u201d" in page and 'href="/pacts/posts/post-004/"' in page


def test_a_mistake_in_one_of_many_pages_stops_the_build_cleanly(big_site, tmp_path):
    out = tmp_path / "out"
    assert run_cli("build", "--site", big_site, "--out", out).returncode == 0
    before = tree(out)
    bad = big_site / "content/posts/post-150.md"
    bad.write_text(bad.read_text("utf-8").replace("title: Post number 150", "title: [unclosed"), "utf-8")
    shutil.rmtree(big_site / ".cache")  # a cold build: the second process reads every page
    result = run_cli("build", "--site", big_site, "--out", out)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("content/posts/post-150.md:") and "YAML syntax error" in result.stderr
    assert result.stderr.count("\n") == 2  # the one error, then the summary
    assert tree(out) == before
