"""The quick Markdown path must give exactly what Python-Markdown gives, or step aside.

Thousands of generated documents (plain prose mixed with every kind of Markdown the quick path
does not handle) go through both; wherever the quick path answers, its HTML and table of
contents must equal Python-Markdown's, and it must answer for plain pages.
"""
from __future__ import annotations

import random

import pytest

from votepact import markdown_quick
from votepact.markdown_full import FullRenderer
from votepact.markup import Renderer

WORDS = ("pact ballot Partner état Straße 日本 vote🙂 I a x 2016 C# it's can't "
         "county kitchen \u00a0gap").split(" ")
MARKS = [".", ",", ";", ":", "!", "?", "'", '"', "(", ")", "-", "--", "---", "...", "/", "%", "+", "=", "#", "~",
         "$", "@", "\u2014", "\u201c", "' ", ' "', "(\"", "'s", "\u2028", "\u3000", "a@b.org", "50%", "?!"]
TRAPS = ["*", "_", "**b**", "_i_", "<b>", "&amp;", "&", "\\", "{#id}", "|", "^", "[", "]", "`", "``x``",
         "![alt](/i.png)", "[^1]", "[TOC]", "[x][y]", "<https://a.org>", "<!-- c -->", "\t", "  \n", "\r\n"]
LINE_STARTS = ["1. ", "- ", "* ", "+ ", "> ", "    ", "| a |", ": ", "[x]: /y", "[^1]: n", "#", "####### ", "===",
               "---", "```", "~~~", " ", "2016. ", "<div>", "_"]
URLS = ["/posts/post-1/", "/faq/#why", "https://example.org/a?b=c", "http://example.org", "#here", "relative/page",
        "//cdn.example.org/x", "/a_b/", "mailto:someone", "/", "/x(y)", "/a b", "/a\"b"]
CODES = ["build --fast", "x", '"q" --y', "[l](/u)", "*s*", " lead", "trail ", "<t>", "a_b", "'", "{x}", "a&b"]


def inline(rng: random.Random, n: int, traps: bool) -> str:
    parts = []
    for _ in range(n):
        r = rng.random()
        if r < 0.55:
            parts.append(rng.choice(WORDS))
        elif r < 0.75:
            parts.append(rng.choice(MARKS))
        elif r < 0.83:
            parts.append("`" + rng.choice(CODES) + "`")
        elif r < 0.92:
            parts.append("[" + inline(rng, rng.randint(0, 3), traps).strip() + "](" + rng.choice(URLS) + ")")
        elif r < 0.96 and traps:
            parts.append(rng.choice(TRAPS))
        else:
            parts.append("\n")
    return "".join(p + rng.choice([" ", " ", " ", "", "  "]) for p in parts)


def document(rng: random.Random, traps: bool) -> str:
    blocks = []
    for _ in range(rng.randint(0, 6)):
        text = inline(rng, rng.randint(1, 12), traps).strip()
        if rng.random() < 0.25:
            text = rng.choice(["# ", "## ", "### ", "#### ", "## ?"]) + " ".join(text.split()).rstrip("#")
        elif traps and rng.random() < 0.2:
            text = rng.choice(LINE_STARTS) + text
        elif text[:1].isalpha() is False and rng.random() < 0.7:
            text = rng.choice(["Plain ", '"Quoted" ', "(Aside) "]) + text
        blocks.append(text)
    return "".join(b + rng.choice(["\n\n", "\n\n", "\n", "\n\n\n"]) for b in blocks).rstrip(" ")


@pytest.mark.parametrize("traps", [False, True], ids=["prose", "prose-with-traps"])
def test_the_quick_path_gives_python_markdowns_bytes_or_steps_aside(traps):
    rng = random.Random(2024 + traps)
    full = FullRenderer("/sub/")
    taken, differ = 0, []
    for _ in range(3000):
        text = document(rng, traps)
        quick = markdown_quick.render(text, "/sub/")
        if quick is None:
            continue
        taken += 1
        if quick != full.render(text):
            differ.append(text)
    assert not differ, f"{len(differ)} documents differ, the first: {differ[0]!r}"
    assert taken > 400, f"the quick path took only {taken} of 3000 documents"


def test_a_plain_page_takes_the_quick_path_with_the_same_result():
    text = ('Neighbors who "cancel out" can talk -- and vote... honestly.\n'
            "See [the guide](/guides/finding-a-partner/) or [this](https://example.org/x), "
            "then run `build --fast`.\n\n## Why it's fair\n\nBoth partners gain.\n\n### In short\n\nThat's all.\n")
    quick = markdown_quick.render(text, "/campaign/")
    assert quick is not None
    assert quick == FullRenderer("/campaign/").render(text)
    html, toc = quick
    assert '<a href="/campaign/guides/finding-a-partner/">' in html
    assert '<a href="https://example.org/x" rel="noopener">' in html
    assert "\u201ccancel out\u201d" in html and "\u2013" in html and "\u2026" in html
    assert [t["id"] for t in toc] == ["why-its-fair"] and toc[0]["children"][0]["id"] == "in-short"


@pytest.mark.parametrize("text", [
    "Some *emphasis* here.", "A footnote[^1].\n\n[^1]: The note.", "- a list\n- of two",
    "| a | b |\n|---|---|\n| 1 | 2 |", "An <b>inline</b> tag.", "Two spaces  \nbreak the line.",
    "## Heading {#own-id}", "    indented code", "> a quote", "An ![image](/i.png).", "Tom & Jerry",
    "Term\n: definition", "```\ncode\n```", "1. first", "A line\n===",
])
def test_other_markdown_goes_through_python_markdown(text):
    assert markdown_quick.render(text) is None
    html, _ = Renderer("/").render(text)
    assert html == FullRenderer("/").render(text)[0]
