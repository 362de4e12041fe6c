"""Generate a benchmark site of N pages in the shape of the 2022 Markdown build benchmark."""
from __future__ import annotations

import random
import shutil
from pathlib import Path

WORDS = ("vote pact ballot friend state partner choice fear neighbor pledge honest talk trust count reason "
         "table kitchen letter promise morning evening county school river market field window garden").split()


def sentence(rng: random.Random, n: int = 12) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng, rng.randint(8, 16)) for _ in range(4))


def page_body(rng: random.Random, i: int, n: int) -> str:
    other = (i * 7 + 3) % n
    return (f"{paragraph(rng)}\n\n## {sentence(rng, 4)[:-1]}\n\n{paragraph(rng)} "
            f"See [page {other}](/posts/post-{other:05d}/) and run `build --fast`.\n\n{paragraph(rng)}\n")


def write_markdown_pages(folder: Path, n: int, front_matter) -> None:
    """n Markdown files; front_matter(i, title) returns the header for each generator."""
    rng = random.Random(2022)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        title = " ".join(rng.choice(WORDS) for _ in range(5)).title()
        (folder / f"post-{i:05d}.md").write_text(front_matter(i, title) + "\n" + page_body(rng, i, n), "utf-8")


def votepact_site(root: Path, n: int, repo: Path) -> Path:
    """A VotePact site folder: the golden test's small data, previews and PDFs off, n posts."""
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(repo / "tests/golden/site/data", root / "data")
    site_yaml = root / "data/site.yaml"
    text = site_yaml.read_text("utf-8").replace("pdf: false", "pdf: false\npreviews: false")
    site_yaml.write_text(text, "utf-8")
    (root / "content").mkdir()
    (root / "content/index.md").write_text("---\ntitle: Benchmark\ntemplate: home\n---\nHello.\n", "utf-8")
    (root / "content/pact.md").write_text("---\ntitle: Pact\ntemplate: pact\n---\nPact.\n", "utf-8")
    (root / "content/guides").mkdir()
    (root / "content/guides/index.md").write_text("---\ntitle: Guides\n---\nGuides.\n", "utf-8")
    write_markdown_pages(root / "content/posts", n, lambda i, t: f"---\ntitle: {t}\n---\n")
    return root
