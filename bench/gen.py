"""Benchmark pages in two shapes, N of them, the same bytes on every run (a fixed seed).

- `realistic`: what organizers write: emphasis, links, inline code, bulleted and nested lists,
  a footnote, a small table, headings with anchors and a quote.
- `synthetic`: the 2022 Markdown build benchmark's shape: a five-word title and three
  paragraphs of plain prose, with a heading, a link and inline code.
"""
from __future__ import annotations

import random
import shutil
from pathlib import Path

SHAPES = ("realistic", "synthetic")
WORDS = ("vote pact ballot friend state partner choice fear neighbor pledge honest talk trust count reason "
         "table kitchen letter promise morning evening county school river market field window garden").split()


def sentence(rng: random.Random, n: int = 12) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng, rng.randint(8, 16)) for _ in range(4))


def synthetic_body(rng: random.Random, i: int, n: int) -> str:
    other = (i * 7 + 3) % n
    return (f"{paragraph(rng)}\n\n## {sentence(rng, 4)[:-1]}\n\n{paragraph(rng)} "
            f"See [page {other}](/posts/post-{other:05d}/) and run `build --fast`.\n\n{paragraph(rng)}\n")


def realistic_body(rng: random.Random, i: int, n: int) -> str:
    other, third = (i * 7 + 3) % n, (i * 13 + 5) % n

    def words(k: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(k))

    return f"""{sentence(rng)} It is *{words(2)}*, and **{words(3)}** "for {words(2)}" \
with [a neighbor](/posts/post-{other:05d}/).[^1] {sentence(rng)}

## Why it {words(2)} {{#why}}

{paragraph(rng)} Type `votepact build` and see the [guide](/posts/post-{third:05d}/#how).

- {words(5)}, *{words(1)}*
- {words(4)}:
  - {words(3)}
  - {words(6)} with `code`
- {words(4)} and [more](https://example.org/{i})

> {sentence(rng)} {sentence(rng, 6)}

## How to {words(2)} {{#how}}

1. {words(4)}
2. **{words(2)}** {words(3)}

| State | Write-ins | Note |
|---|---|---|
| {words(1)} | yes | {words(3)} |
| {words(1)} | no | {words(2)} |

{paragraph(rng)} It's the voter's choice -- don't wait...

[^1]: {sentence(rng, 8)}
"""


def write_markdown_pages(folder: Path, n: int, front_matter, shape: str = "realistic") -> None:
    """n Markdown files; front_matter(i, title) returns the header for each generator."""
    body = realistic_body if shape == "realistic" else synthetic_body
    rng = random.Random(2022)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        title = " ".join(rng.choice(WORDS) for _ in range(5)).title()
        (folder / f"post-{i:05d}.md").write_text(front_matter(i, title) + "\n" + body(rng, i, n), "utf-8")


def votepact_site(root: Path, n: int, repo: Path, shape: str = "realistic", previews: bool = False) -> Path:
    """A VotePact site folder: the golden test's small data, PDFs off (previews off unless asked), n posts."""
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(repo / "tests/golden/site/data", root / "data")
    site_yaml = root / "data/site.yaml"
    text = site_yaml.read_text("utf-8")
    if not previews:
        text = text.replace("pdf: false", "pdf: false\npreviews: false")
    site_yaml.write_text(text, "utf-8")
    (root / "content").mkdir()
    (root / "content/index.md").write_text("---\ntitle: Benchmark\ntemplate: home\n---\nHello.\n", "utf-8")
    (root / "content/pact.md").write_text("---\ntitle: Pact\ntemplate: pact\n---\nPact.\n", "utf-8")
    (root / "content/guides").mkdir()
    (root / "content/guides/index.md").write_text("---\ntitle: Guides\n---\nGuides.\n", "utf-8")
    write_markdown_pages(root / "content/posts", n, lambda i, t: f"---\ntitle: {t}\n---\n", shape)
    return root
