"""Hosting: the site built for a sub-path (https://example.org/votepact/) works when served there.

The site is built with --base-url http://127.0.0.1:PORT/votepact/ into HOST/votepact/, and HOST
is served on PORT as a static host would (its `_headers`, the nearest 404.html for missing
addresses), so the site lives under /votepact/ and nothing exists above it.
"""
from __future__ import annotations

import re
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest

from browsing import RECORD_CSP_VIOLATIONS, check_404_page, visit
from conftest import free_port, run_cli
from static_host import HostLikeServer, html_files, page_kinds, url_path

SUB_PATH = "/votepact/"


@pytest.fixture(scope="module")
def sub_path_site(tmp_path_factory):
    host_root = tmp_path_factory.mktemp("host")
    out = host_root / SUB_PATH.strip("/")
    port = free_port()
    base = f"http://127.0.0.1:{port}{SUB_PATH}"
    built = run_cli("build", "--out", out, "--base-url", base)
    assert built.returncode == 0, built.stderr
    with HostLikeServer(host_root, port, headers_from=out / "_headers") as server:
        assert server.url + SUB_PATH.lstrip("/") == base
        yield SimpleNamespace(out=out, base=base, origin=server.url)


def test_check_passes_on_the_default_build(built_site):
    result = run_cli("check", "--out", built_site)
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_passes_on_the_sub_path_build(sub_path_site):
    result = run_cli("check", "--out", sub_path_site.out, "--base-url", sub_path_site.base)
    assert result.returncode == 0, result.stdout + result.stderr


def test_sub_path_pages_point_only_into_the_sub_path(sub_path_site):
    """Every canonical address is under the base URL; every root-relative address in the HTML
    starts with the sub-path."""
    wrong = []
    for file in html_files(sub_path_site.out):
        html = file.read_text("utf-8")
        url = url_path(sub_path_site.out, file)
        for value in re.findall(r'(?:href|src|action|content)="(/[^"]*)"', html):
            if not value.startswith(SUB_PATH) and not value.startswith("//"):
                wrong.append(f"{url}: {value}")
        canonical = re.search(r'<link rel="canonical" href="([^"]*)"', html)
        if not canonical or not canonical.group(1).startswith(sub_path_site.base):
            wrong.append(f"{url}: canonical {canonical and canonical.group(1)}")
    assert not wrong, "\n".join(wrong)


def test_every_kind_of_page_loads_under_the_sub_path(page, sub_path_site):
    """In Chromium, every request succeeds, stays on the host and inside the sub-path."""
    page.add_init_script(RECORD_CSP_VIOLATIONS)
    problems = []
    kinds = page_kinds(sub_path_site.out)
    for path in kinds:
        seen = visit(page, sub_path_site.base + path.lstrip("/"))
        if seen.status != 200:
            problems.append(f"{path}: status {seen.status}")
        problems += [f"{path}: {f}" for f in seen.failed]
        problems += [f"{path}: left the sub-path: {u}" for u in seen.requests
                     if urlsplit(u).scheme not in ("data", "blob") and not u.startswith(sub_path_site.base)]
        problems += [f"{path}: {v}" for v in seen.csp_events + seen.console_csp + seen.page_errors]
    assert len(kinds) >= 10
    assert not problems, "\n".join(problems)


def test_404_page_works_from_any_depth_under_the_sub_path(page, sub_path_site):
    problems = check_404_page(page, sub_path_site.base, "a/b/c/missing")
    assert not problems, "\n".join(problems)
