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
    assert "<h1>#Bernie<wbr>AndBoom</h1>" in source
    assert "By Sam Husseini, 2016" in text
    assert 'href="/pact/"' in source
    # paragraph order is kept
    positions = [text.index(p) for p in paragraphs[1:]]
    assert positions == sorted(positions)


def test_home_shows_the_pact_picture_with_a_text_equivalent(built_site, data):
    source, page = read(built_site, "/")
    majors = [m["name"] for m in data["candidates"]["majors"]]
    n = data["site"]["illustration"]["voters"]
    # each panel says its counts once, on its bars (the "10 / 10 / 0" headline above them is gone: issue 13, defect 20)
    assert "Before:" in page.text and "After one pact:" in page.text and f"{n} / {n} / 0" not in page.text
    counts = re.findall(r'<text class="count"[^>]*>(\d+)</text>', source)
    assert counts == [str(n), str(n), "0", str(n - 1), str(n - 1), "2"], counts
    assert source.count('role="img"') >= 2
    assert f"<title id=\"before-title\">{majors[0]} {n}, {majors[1]} {n}, other candidates 0</title>" in source
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
        # The state-by-state list: one group per status under its mark, its lists sorted by name (not
        # by postal code), each row a link to the state's page; together they hold every state once
        groups = re.findall(r'<section class="status-group" aria-labelledby="st-([a-z-]+)">(.*?)</section>', source, re.S)
        seen = []
        for status, rows in groups:
            # each list in the group (one per write-in rule and how sure it is) sorted by name
            for one_list in re.findall(r'<ul class="ballot-list[^"]*">(.*?)</ul>', rows, re.S):
                listed = re.findall(r'<a href="/states/[a-z]{2}/">([^<]+)</a>', one_list)
                assert listed == sorted(listed), (cand["id"], status)
            names = re.findall(r'<a href="/states/[a-z]{2}/">([^<]+)</a>', rows)
            expected = [html.escape(s["name"]) for code, s in states.items()
                        if (lambda e: e if isinstance(e, str) else e["status"])(cand["ballot"]["states"][code]) == status]
            assert sorted(names) == sorted(expected), (cand["id"], status)
            seen += names
        assert sorted(seen) == sorted(html.escape(s["name"]) for s in states.values())
        tiles = re.findall(r'<a class="tile status-([a-z-]+)" href="/states/([a-z]{2})/"', source)
        assert sorted(code for _, code in tiles) == sorted(c.lower() for c in states)
        tiles = [status for status, _ in tiles]
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


def test_state_picker_links_every_state_by_name_and_its_map_does_too(built_site, data):
    """"Check your state": a plain list of links (works without a script), sorted by name, and a
    map whose tiles are links to the same pages."""
    source, page = read(built_site, "/states/")
    states = data["states"]["states"]
    picker = re.search(r'<ul class="picker">(.*?)</ul>', source, re.S).group(1)
    links = re.findall(r'<a href="/states/([a-z]{2})/"><span class="rule-mark rule-[a-z-]+" aria-hidden="true"></span>([^<]+)</a>', picker)
    assert [name for _, name in links] == sorted(html.escape(s["name"]) for s in states.values())
    assert {code for code, _ in links} == {c.lower() for c in states}
    # The map draws each state's write-in rule (as a circle, never as a ballot status) and says it in words
    tiles = dict((code, rule) for rule, code in re.findall(r'<a class="tile rule-([a-z-]+)" href="/states/([a-z]{2})/"', source))
    assert tiles == {c.lower(): s.get("write_ins", "unknown") for c, s in states.items()}
    assert re.search(r'aria-label="Nevada: write-ins are not counted"', source)


def test_every_state_has_a_page_saying_who_can_be_voted_for_and_how(built_site, data):
    from votepact.election import BALLOT_STATUSES, WRITE_IN_RULES as rules
    # the data pages name "none" in the data's own words (templates/_ballot_words.html)
    labels = {**BALLOT_STATUSES, "none": "Not on the ballot, no write-in status"}

    states, alts = data["states"]["states"], data["candidates"]["alternatives"]
    for code, state in states.items():
        source, page = read(built_site, f"/states/{code.lower()}/")
        title = re.search(r"<title>([^<]+)</title>", source).group(1)
        assert title.startswith("Can I vote for ") and f" in {html.escape(state['name'])}?" in title, title
        assert f"<h1>{html.escape(state['name'])}</h1>" in source
        assert rules[state.get("write_ins", "unknown")] in page.text, code
        if state.get("note"):
            assert squash(state["note"]) in squash(html.unescape(page.text)), code
        for cand in alts:
            entry = cand["ballot"]["states"][code]
            status = entry if isinstance(entry, str) else entry["status"]
            # under the line that names its status (said once for the tickets that share it)
            group = re.search(rf'<p class="verdict-status"><span class="status status-([a-z-]+)">([^<]+)</span>(?:(?!verdict-status).)*?<a class="ticket" href="/candidates/{cand["id"]}/">', source, re.S)
            assert group and group.groups() == (status, labels[status]), (code, cand["id"])
        # The answer first: one card per verdict, in the order counts, care, not counted, then write-ins
        levels = re.findall(r'<section class="verdict (?:rule )?level-([a-z]+)"', source)
        assert levels[-1] in {"counts", "care", "uncounted"} and 'id="write-ins"' in source
        cards = levels[:-1]
        assert cards == sorted(set(cards), key=["counts", "care", "uncounted"].index), (code, cards)
        assert source.index('class="verdict-board"') < source.index('id="more"')
        assert 'href="/pact/"' in source and '<details class="sources"' in source
        office = state.get("election_office")
        if office:
            assert office["name"] in html.unescape(source) and office["url"] in html.unescape(source)


def test_sources_sit_behind_a_disclosure_on_data_pages(built_site, data):
    for url in ["/candidates/", "/states/", "/states/nv/"] + [f"/candidates/{c['id']}/" for c in data["candidates"]["alternatives"]]:
        source, _ = read(built_site, url)
        assert re.search(r'<details class="sources" id="sources">\s*<summary>Sources \(\d+\)</summary>', source), url
        assert "[S" not in source, url  # chips say S35, not [S35]


def test_home_first_screen_has_a_promise_how_and_the_button_and_no_logo_heading(built_site, data):
    source, page = read(built_site, "/")
    hero = re.search(r'<section class="hero".*?</section>', source, re.S).group(0)
    front = yaml.safe_load((REPO / "content" / "index.md").read_text(encoding="utf-8").split("---")[1])
    assert f'<h1 id="promise">{html.escape(front["headline"])}</h1>' in hero, "the promise from the page's front matter"
    assert f'<p class="how">{html.escape(front["description"])}</p>' in hero
    assert source.count("<h1") == 1 and f"<h1>{data['site']['title']}" not in source
    assert re.search(r'<a class="button action" href="/pact/">Make a pact card</a>', hero)


def test_footer_says_who_runs_the_site_and_when_facts_were_checked(built_site, data):
    """Every page says who runs the site; pages that show facts say when they were last checked
    (the latest "as of" in the data; pages without facts do not depend on the data)."""
    for url in ["/", "/candidates/", "/states/", "/states/nv/", "/faq/"]:
        _, page = read(built_site, url)
        assert re.search(rf"Run by {re.escape(data['site']['author'])} ?\.", page.text), url  # the name may be a link
    for url in ["/", "/candidates/", "/states/", "/states/nv/"]:
        _, page = read(built_site, url)
        assert re.search(r"Facts last checked [A-Z][a-z]+ \d{1,2}, \d{4} ?\.", page.text), url


def test_404_page_offers_no_share_links(built_site):
    source, _ = read(built_site, "404.html")
    assert "Share this page" not in source and 'class="share"' not in source


def test_guides_are_listed_and_each_has_audience_time_and_steps(built_site):
    source, page = read(built_site, "/guides/")
    guides = sorted((REPO / "content/guides").glob("*.md"))
    guides = [g for g in guides if g.name != "index.md"]
    assert len(guides) >= 4
    for g in guides:
        url = f"/guides/{g.stem}/"
        assert f'href="{url}"' in source
        gsource, gpage = read(built_site, url)
        assert "For" in gpage.text and "Length" in gpage.text
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


def test_a_contact_shows_only_when_the_site_has_one(scratch_site):
    """The footer never promises an address the site lacks; with contact_email it shows it, and a
    jurisdiction_path moves the state pages."""
    from votepact.build import BuildOptions, build

    site_yaml = scratch_site / "data" / "site.yaml"
    text = re.sub(r"(?m)^contact_email:.*\n", "", site_yaml.read_text("utf-8"))
    site_yaml.write_text(text, "utf-8")
    build(BuildOptions(scratch_site, scratch_site / "out1"))
    source, page = read(scratch_site / "out1", "/about/")
    assert not re.search(r'mailto:[^?"]*@', source) and "Corrections" not in page.text
    site_yaml.write_text(text + "contact_email: team@example.org\njurisdiction_path: where\n", "utf-8")
    build(BuildOptions(scratch_site, scratch_site / "out2"))
    source, page = read(scratch_site / "out2", "/about/")
    assert 'Corrections: <a href="mailto:team@example.org">team@example.org</a>' in source
    assert (scratch_site / "out2" / "where" / "nv" / "index.html").is_file()
    assert not (scratch_site / "out2" / "states").exists()
    cand, _ = read(scratch_site / "out2", "/candidates/")
    assert 'href="/where/"' in cand


def test_fonts_are_subsets_small_and_never_block_text(built_site):
    """The web fonts: WOFF2 subsets (the source fonts are not published), 80 KB in all, declared
    with font-display: swap, and holding a glyph for every character of every page's text."""
    from fontTools.ttLib import TTFont

    fonts = sorted((built_site / "static" / "fonts").glob("*.woff2"))
    assert len(fonts) == 3 and sum(f.stat().st_size for f in fonts) <= 80 * 1024
    assert not list((built_site / "static" / "fonts").glob("Inter*.otf"))
    css = next((built_site / "static" / "css").glob("site.*.css")).read_text("utf-8")
    faces = re.findall(r"@font-face\s*\{[^}]*\}", css)  # the published stylesheet is minified
    assert len(faces) == 3 and all(re.search(r"font-display:\s*swap", f) for f in faces)
    covered = set(TTFont(fonts[-1]).getBestCmap())  # inter-regular.woff2
    has = set(TTFont(REPO / "static" / "fonts" / "Inter-Regular.otf").getBestCmap())
    missing = set()
    for page in built_site.rglob("*.html"):
        _, parsed = read(built_site, page.relative_to(built_site).as_posix())
        missing |= {c for c in parsed.text if ord(c) in has and ord(c) not in covered}
    assert not missing, f"glyphs Inter has but the subset dropped: {sorted(missing)}"


def test_data_pages_mark_sources_with_small_numbers_that_lead_into_the_list(built_site, data):
    """No "S27" chips on the rows: each fact carries one pill of numbers (1, 2...) in the order of
    the page's Sources list, a link to its first entry there, its label saying them all."""
    for url in ["/candidates/", "/states/nv/"] + [f"/candidates/{c['id']}/" for c in data["candidates"]["alternatives"]]:
        source, _ = read(built_site, url)
        listed = re.findall(r'<li id="src-([A-Za-z0-9_-]+)"><span class="source-id">(\d+)</span>', source)
        number = {ident: int(n) for ident, n in listed}
        assert [n for _, n in listed] == [str(i) for i in range(1, len(listed) + 1)], url
        # one pill per group of sources ("1, 3"), a link to the group's first entry
        marks = re.findall(r'<a class="cite" href="#src-([A-Za-z0-9_-]+)" aria-label="sources? ([0-9, ]+)">([0-9, ]+)</a>', source)
        assert marks and len(marks) == source.count('class="cite"'), url
        for ident, said, shown in marks:
            numbers = [int(n) for n in shown.split(", ")]
            assert said == shown and numbers[0] == number[ident] and numbers == sorted(set(numbers)), (url, ident, shown)
            assert all(1 <= n <= len(listed) for n in numbers), (url, shown)


def test_jurisdiction_list_and_map_fit_a_phone(page, site_url):
    """/states/ at 360 px: the map first, the width of the text inside the side margins, with tiles of at least 24 px; then every
    name in two columns; nothing scrolls sideways and the page stays a few screens tall."""
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(site_url + "states/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.evaluate("document.documentElement.scrollHeight") < 740 * 5
    tile = page.locator("a.tile :is(rect, circle)").first.bounding_box()
    assert tile["width"] >= 24 and tile["height"] >= 24
    svg = page.locator(".tile-map svg").bounding_box()
    assert svg["width"] >= 360 - 2 * svg["x"] - 1 and svg["x"] >= 12, "the map does not fill the text's width inside the margins"
    picker = page.locator(".picker").bounding_box()
    assert picker["y"] > svg["y"], "the list comes after the map"
    lefts = set(round(b["x"]) for b in (page.locator(".picker li").nth(i).bounding_box() for i in range(page.locator(".picker li").count())))
    assert len(lefts) == 2, lefts
