"""The same benchmark pages for Hugo, Pelican and MkDocs, each configured to render everything
the realistic pages use (tables, footnotes, `{#id}` attributes, heading anchors)."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

from gen import write_markdown_pages

HUGO_CONFIG = """baseURL = "https://example.org/"
title = "Benchmark"
disableKinds = ["taxonomy", "term"]
"""
HUGO_LAYOUT = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main><h1>{{ .Title }}</h1>{{ .Content }}</main></body></html>
"""
HUGO_LIST = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></body></html>
"""
PELICAN_CONFIG = """AUTHOR = "Benchmark"
SITENAME = "Benchmark"
SITEURL = ""
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_DATE = (2022, 1, 1)
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
DEFAULT_PAGINATION = False
MARKDOWN = {"extension_configs": {"markdown.extensions.codehilite": {"css_class": "highlight"},
                                  "markdown.extensions.extra": {}, "markdown.extensions.meta": {},
                                  "markdown.extensions.toc": {"permalink": True}},
            "output_format": "html5"}
"""
MKDOCS_CONFIG = """site_name: Benchmark
nav:
  - Home: index.md
markdown_extensions:
  - tables
  - footnotes
  - attr_list
  - toc:
      permalink: true
"""


def hugo_site(root: Path, n: int, shape: str) -> Path:
    _fresh(root)
    (root / "hugo.toml").write_text(HUGO_CONFIG)
    for name, text in (("single.html", HUGO_LAYOUT), ("list.html", HUGO_LIST)):
        (root / "layouts/_default").mkdir(parents=True, exist_ok=True)
        (root / "layouts/_default" / name).write_text(text)
    (root / "layouts/index.html").write_text(HUGO_LIST)
    write_markdown_pages(root / "content/posts", n, lambda i, t: f"---\ntitle: {t}\n---\n", shape)
    return root


def pelican_site(root: Path, n: int, shape: str) -> Path:
    _fresh(root)
    (root / "pelicanconf.py").write_text(PELICAN_CONFIG)
    write_markdown_pages(root / "content", n, lambda i, t: f"Title: {t}\nSlug: post-{i:05d}\n", shape)
    return root


def mkdocs_site(root: Path, n: int, shape: str) -> Path:
    _fresh(root)
    (root / "mkdocs.yml").write_text(MKDOCS_CONFIG)
    write_markdown_pages(root / "docs/posts", n, lambda i, t: f"---\ntitle: {t}\n---\n", shape)
    (root / "docs/index.md").write_text("# Benchmark\n")
    return root


def _fresh(root: Path) -> None:
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)


def hugo_binary(venv: Path) -> Path:
    found = sorted(venv.glob("lib/python3*/site-packages/hugo/binaries/hugo*"))
    if not found:
        sys.exit(f"no Hugo binary under {venv}; run bench/run.py --setup")
    return found[0]
