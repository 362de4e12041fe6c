"""The default site as a visitor reads it: every page's HTML, read from a fresh build."""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from conftest import REPO

SEED = Path("/work/shared/seed/bernie-and-boom.txt")
if not SEED.exists():
    SEED = REPO.parent / "shared" / "seed" / "bernie-and-boom.txt"


class Text(HTMLParser):
    """The visible text of a page (no head, scripts or styles), and every element's id."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.ids, self._skip = [], [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("head", "script", "style", "title"):
            self._skip += 1
        for k, v in attrs:
            if k == "id":
                self.ids.append(v)

    def handle_endtag(self, tag):
        if tag in ("head", "script", "style", "title"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)

    @property
    def text(self):
        return re.sub(r"\s+", " ", " ".join(self.parts)).strip()


def read(built_site: Path, url: str) -> tuple[str, Text]:
    path = built_site / url.strip("/") / "index.html" if url.endswith("/") else built_site / url
    source = path.read_text("utf-8")
    parsed = Text()
    parsed.feed(source)
    return source, parsed


def squash(s: str) -> str:
    return re.sub(r"\s+", " ", s.replace("\u00a0", " ")).strip()


@pytest.fixture(scope="module")
def data():
    return {name: yaml.safe_load((REPO / "data" / f"{name}.yaml").read_text("utf-8"))
            for name in ("candidates", "states", "sources", "site")}


def test_essay_is_published_whole_with_author_and_year(built_site):
    source, page = read(built_site, "/bernie-and-boom/")
    text = squash(page.text)
    seed = SEED.read_text("utf-8")
    paragraphs = [squash(p) for p in seed.split("\n\n") if p.strip()]
    sentences = [s for p in paragraphs[1:] for s in re.split(r"(?<=[.!?])\s+", p) if s]
    missing = [s for s in sentences if s not in text]
    assert len(sentences) > 40
    assert not missing, f"{len(missing)} sentences of the essay are missing, e.g. {missing[:2]}"
    for p in paragraphs[1:]:
        assert p in text  # whole paragraphs, in the seed's words
    assert "<h1>#BernieAndBoom</h1>" in source
    assert "By Sam Husseini, 2016" in text
    assert 'href="/pact/"' in source
    # paragraph order is kept
    positions = [text.index(p) for p in paragraphs[1:]]
    assert positions == sorted(positions)


def test_home_shows_the_pact_picture_with_a_text_equivalent(built_site, data):
    source, page = read(built_site, "/")
    majors = [m["name"] for m in data["candidates"]["majors"]]
    n = data["site"]["illustration"]["voters"]
    assert f"Before: {n} / {n} / 0" in page.text and f"After one pact: {n - 1} / {n - 1} / 2" in page.text
    assert source.count('role="img"') >= 2
    assert f"<title id=\"after-title\">{majors[0]} {n - 1}, {majors[1]} {n - 1}, other candidates 2</title>" in source
    for path in ("/bernie-and-boom/", "/guides/", "/pact/"):
        assert f'href="{path}"' in source


def test_faq_has_at_least_twelve_questions_each_with_an_anchor(built_site):
    source, page = read(built_site, "/faq/")
    questions = re.findall(r'<h2 id="([a-z0-9-]+)">([^<]+\?)', source)
    assert len(questions) >= 12, questions
    ids = [q[0] for q in questions]
    assert len(set(ids)) == len(ids)
    for topic in ("Porter v. Bowen", "5%", "write-in", "swing", "cookies"):
        assert topic.lower() in page.text.lower(), topic
    assert source.count('class="footnote-ref"') >= 8  # facts cite their sources


def test_every_alternative_has_a_page_with_all_states(built_site, data):
    states = data["states"]["states"]
    assert len(states) == 51
    for cand in data["candidates"]["alternatives"]:
        source, page = read(built_site, f"/candidates/{cand['id']}/")
        assert set(cand["ballot"]["states"]) == set(states), cand["id"]
        rows = re.findall(r'<tr class="status-row-(ballot|write-in|none|unknown)">\s*<th scope="row">([^<]+)</th>', source)
        assert [name for _, name in rows] == [html.escape(s["name"]) for s in states.values()]
        tiles = re.findall(r'<g class="tile status-([a-z-]+)">', source)
        assert len(tiles) == 51
        statuses = [v if isinstance(v, str) else v["status"] for v in cand["ballot"]["states"].values()]
        assert sorted(tiles) == sorted(statuses)
        assert f"On the ballot in {statuses.count('ballot')} of 51 jurisdictions (the 50 states and DC)" in page.text
        for position in cand["positions"]:
            assert squash(position["text"]) in squash(html.unescape(page.text))
        assert "Facts as of" in page.text and "Sources" in page.text
        cited = set(re.findall(r'href="#src-([A-Za-z0-9_-]+)"', source))
        listed = set(re.findall(r'<li id="src-([A-Za-z0-9_-]+)">', source))
        assert cited and cited <= listed, cand["id"]


def test_unverified_facts_are_marked_on_the_page(built_site, data):
    for cand in data["candidates"]["alternatives"]:
        source, page = read(built_site, f"/candidates/{cand['id']}/")
        marks = [p for p in cand["positions"] if p.get("verification") == "unverified"]
        if cand.get("website", {}).get("verification") == "unverified":
            marks.append(cand["website"])
        for _ in marks:
            assert "(unverified)" in page.text, cand["id"]


def test_candidates_overview_compares_every_ticket(built_site, data):
    source, page = read(built_site, "/candidates/")
    for cand in data["candidates"]["alternatives"]:
        assert f'href="/candidates/{cand["id"]}/"' in source
        assert cand["party"] in html.unescape(page.text)


def test_states_page_lists_write_in_rules(built_site, data):
    source, page = read(built_site, "/states/")
    for code, state in data["states"]["states"].items():
        assert f'id="state-{code.lower()}"' in source
    assert "Write-ins are not counted" in page.text


def test_guides_are_listed_and_each_has_audience_time_and_steps(built_site):
    source, page = read(built_site, "/guides/")
    guides = sorted((REPO / "content/guides").glob("*.md"))
    guides = [g for g in guides if g.name != "index.md"]
    assert len(guides) >= 4
    for g in guides:
        url = f"/guides/{g.stem}/"
        assert f'href="{url}"' in source
        gsource, gpage = read(built_site, url)
        assert "For" in gpage.text and "Takes" in gpage.text
        for heading in ("Before you start", "Steps", "What to avoid"):
            assert f">{heading}" in gsource, (g.name, heading)


def test_about_tells_where_votepact_came_from(built_site):
    _, page = read(built_site, "/about/")
    for fact in ("2004", "VotePact.com", "VotePact.org", "2008", "Sam Husseini"):
        assert fact in page.text


def test_every_page_has_title_description_and_canonical(built_site):
    for path in built_site.rglob("*.html"):
        source = path.read_text("utf-8")
        assert re.search(r"<title>[^<]+</title>", source), path
        assert re.search(r'<meta name="description" content="[^"]+">', source), path
        assert re.search(r'<link rel="canonical" href="https://votepact\.org/[^"]*">', source), path


def test_nothing_about_the_election_is_hard_coded(data):
    """Names, parties and dates of the election appear only in data/ and content/."""
    words = {data["candidates"]["election"]["name"], str(data["candidates"]["election"]["date"])}
    for c in data["candidates"]["majors"] + data["candidates"]["alternatives"]:
        words |= {c["name"], c["name"].split()[-1], c["party"]}
        if c.get("running_mate"):
            words.add(c["running_mate"])
    words |= {s["name"] for s in data["states"]["states"].values() if len(s["name"]) > 4}
    words -= {"Independent"}  # also an ordinary English word
    code = [p for d in ("votepact", "templates", "static/js", "static/css") for p in (REPO / d).rglob("*")
            if p.is_file() and p.suffix in (".py", ".html", ".js", ".css", ".json")]
    assert code
    found = [(p.relative_to(REPO).as_posix(), w) for p in code for w in words
             if re.search(rf"\b{re.escape(w)}\b", p.read_text("utf-8", errors="replace"))]
    assert not found, found
