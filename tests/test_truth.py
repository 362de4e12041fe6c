"""The content's truth (issue 16), read from the built default site as a visitor meets it.

Safe advice about ballots, the law said plainly, the pact's claim said where it holds, corrected
facts with their marks, campaign phrases attributed, and sources from original publishers.
"""
from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from conftest import REPO
from test_site import Text, read, squash

# Hosts that copy, proxy or repost someone else's pages, and law text from unofficial sites.
WEAK_HOSTS = (
    "fgks.org", "lynx.net.ru", "alchetron.com", "mgwiki.top", "wikisum.wiki", "ipfs", "wikimili.com",
    "wikimodern.com", "docsbay.net", "chanrobles.com", "lexbuild.dev", "blog.josephscott.org",
    "bscrittersitter.blogspot.com", "vote-socialist.blogspot.com", "dailypaul.com", "teapartynation.com",
    "prn.live", "thevotingnews.com", "aworldunderfire.com", "jcshepard.com", "theodysseyonline.com",
)
RISKY = [
    (re.compile(r"\bmail(ing)? (your|our|the|their) ballots together", re.I), "mailing ballots together"),
    (re.compile(r"fill in and mail", re.I), "filling in and mailing ballots together"),
    (re.compile(r"nothing is given in return", re.I), "'nothing is given in return'"),
    (re.compile(r"\b51 of 51 states\b"), "'51 of 51 states' (DC is not a state)"),
    (re.compile(r"Registered write-in"), "'Registered write-in' for 'write-in votes were recorded'"),
    (re.compile(r"copy of unknown origin", re.I), "a source 'of unknown origin'"),
]
# A sentence that says a pact helps neither side must say when that holds.
NEITHER = re.compile(r"\bneither\b[^.!?]*\bhelp(s|ed)?\b", re.I)
QUALIFIED = re.compile(r"same state|both vote (in|here)|in your state", re.I)


@pytest.fixture(scope="module")
def data():
    return {name: yaml.safe_load((REPO / "data" / f"{name}.yaml").read_text("utf-8"))
            for name in ("candidates", "states", "sources", "site")}


def pages(built_site: Path):
    """(url, html source, visible text) of every built page."""
    for path in sorted(built_site.rglob("*.html")):
        source = path.read_text("utf-8")
        parsed = Text()
        parsed.feed(source)
        yield "/" + path.relative_to(built_site).as_posix(), source, squash(parsed.text)


def sentences(text: str) -> list[str]:
    return re.split(r"(?<=[.!?])\s+", text)


def state_text(built_site: Path, code: str) -> str:
    """What a visitor reads about one state: its own page where there is one, else its row."""
    own = built_site / "states" / code.lower() / "index.html"
    if own.exists():
        return squash(read(built_site, f"/states/{code.lower()}/")[1].text)
    source = (built_site / "states" / "index.html").read_text("utf-8")
    row = re.search(rf'<tr id="state-{code.lower()}">(.*?)</tr>', source, re.S)
    assert row, code
    return squash(html.unescape(re.sub(r"<[^>]+>", " ", row.group(1))))


def section(source: str, anchor: str) -> str:
    """The visible text of a Markdown page's section, from its heading to the next h2."""
    start = source.index(f'id="{anchor}"')
    end = source.find("<h2", start)
    return squash(html.unescape(re.sub(r"<[^>]+>", " ", source[start:end if end > 0 else None])))


def test_no_page_says_anything_risky_or_over_broad(built_site):
    found, unqualified = [], []
    for url, source, text in pages(built_site):
        for pattern, what in RISKY:
            if pattern.search(text):
                found.append((url, what))
        for s in sentences(text):
            if NEITHER.search(s) and not QUALIFIED.search(s):
                unqualified.append((url, s))
    assert not found, found[:5]
    assert not unqualified, unqualified[:5]


def test_no_weak_source_is_linked_or_listed(built_site, data):
    for url, source, _ in pages(built_site):
        hrefs = re.findall(r'href="([^"]+)"', source)
        weak = [h for h in hrefs if any(w in (urlsplit(html.unescape(h)).hostname or "") for w in WEAK_HOSTS)]
        assert not weak, (url, weak)
    listed = [u for s in data["sources"].values() for u in s["urls"]]
    assert listed and not [u for u in listed if any(w in urlsplit(u).hostname for w in WEAK_HOSTS)]
    for md in (REPO / "content").rglob("*.md"):
        text = md.read_text("utf-8")
        assert not [w for w in WEAK_HOSTS if w in text], md


def test_each_partner_marks_and_returns_their_own_ballot(built_site):
    for url, anchor in (("/faq/", "trust"), ("/guides/keeping-the-pact/", "steps"),
                        ("/guides/answering-objections/", "trust")):
        source, _ = read(built_site, url)
        words = section(source, anchor)
        assert "own ballot" in words, url
        assert "drop box" in words, url
        assert re.search(r"photograph", words), url
        assert re.search(r"differ (from state to state|by state)", words), url


def test_the_law_is_said_plainly(built_site):
    source, _ = read(built_site, "/faq/")
    legal = section(source, "legal")
    for words in ("mutual promise about votes", "California", "Ninth Circuit", "dissented",
                  "No other federal appeals court has ruled", "not legal advice"):
        assert words in legal, words
    _, page = read(built_site, "/guides/answering-objections/")
    assert "no other federal appeals court has ruled" in page.text and "not legal advice" in page.text


def test_pages_say_where_the_pact_leaves_the_margin_unchanged(built_site, data):
    source, _ = read(built_site, "/faq/")
    same = section(source, "same-state")
    assert "national popular-vote margin" in same and "opposite directions" in same
    assert "304 to 227" in same
    _, home = read(built_site, "/")
    assert "national gap" in home.text and "same state" in home.text
    assert "neither" not in data["site"]["tagline"].lower()
    assert "national" in data["site"]["tagline"] and data["site"]["tagline"] in home.text


def test_mississippi_counts_no_write_ins_and_derived_rules_are_unverified(built_site, data):
    states = data["states"]["states"]
    assert states["MS"]["write_ins"] == "none"
    ms = state_text(built_site, "MS")
    assert "Write-ins are not counted" in ms and "died or withdrawn" in ms
    derived = [code for code, s in states.items() if "by elimination" in s.get("note", "")
               or s.get("note", "").startswith("Derived")]
    assert {"DC", "OR", "WY"} <= set(derived)
    for code, s in states.items():
        text = state_text(built_site, code)
        if code in derived:
            assert s.get("verification") == "unverified", code
        mark = {"unverified": "(unverified)", "partly": "(partly verified)"}.get(s.get("verification"))
        if mark:
            assert mark in text, (code, mark)
    # a candidate page's state-by-state list shows the state's rule with the same mark wherever
    # the rule matters (the ticket is not printed on that ballot): a tag after the state's name
    checked = 0
    for cand in data["candidates"]["alternatives"]:
        source, _ = read(built_site, f"/candidates/{cand['id']}/")
        for code, entry in cand["ballot"]["states"].items():
            status = entry if isinstance(entry, str) else entry["status"]
            if status in ("ballot", "printed-not-counted") or states[code].get("verification") != "unverified":
                continue
            tag = re.search(rf'<a href="/states/{code.lower()}/">[^<]+</a> <span class="vt vt-([a-z]+)">unverified</span>', source)
            assert tag and tag.group(1) == "unverified", (cand["id"], code)
            checked += 1
    assert checked


def test_write_in_status_and_counts_say_what_the_data_means(built_site, data):
    states = data["states"]["states"]
    for cand in data["candidates"]["alternatives"]:
        _, page = read(built_site, f"/candidates/{cand['id']}/")
        onballot = sum(1 for v in cand["ballot"]["states"].values() if (v if isinstance(v, str) else v["status"]) == "ballot")
        assert f"{onballot} of {len(states)} jurisdictions (the 50 states and DC)" in page.text, cand["id"]
        if any((v if isinstance(v, str) else v["status"]) == "write-in" for v in cand["ballot"]["states"].values()):
            assert "Write-in votes recorded" in page.text, cand["id"]


def test_public_funding_names_the_tickets_on_too_few_ballots(built_site, data):
    source, _ = read(built_site, "/faq/")
    funding = section(source, "public-funding")
    assert "at least 10 states" in funding and "5%" in funding
    named = next(s for s in sentences(funding) if "could not have qualified" in s)
    for cand in data["candidates"]["alternatives"]:
        onballot = sum(1 for v in cand["ballot"]["states"].values()
                       if (v if isinstance(v, str) else v["status"]) == "ballot")
        if onballot < 10:
            assert re.search(rf"{cand['name']} [^.,]*\b{onballot}\b", named), cand["id"]
        else:
            assert cand["name"] not in named, cand["id"]


def test_alaska_answer_is_about_2016_only(built_site):
    source, _ = read(built_site, "/faq/")
    lines = section(source, "ballot-lines")
    table = source[source.index('id="ballot-lines"'):source.index('id="groups"')]
    assert "<td>Alaska</td>" not in table
    assert "2020" in lines and "left out" in lines  # said why, not mixed in


def test_about_does_not_claim_more_sourcing_than_the_data_has(built_site, data):
    _, page = read(built_site, "/about/")
    unsourced = [c for c in data["candidates"]["alternatives"] if c.get("website") and not c["website"]["sources"]]
    assert unsourced, "the check below needs a case to look at"
    for c in unsourced:
        assert c["website"]["verification"] == "unverified"
        _, cpage = read(built_site, f"/candidates/{c['id']}/")
        assert "(unverified)" in cpage.text
    assert "unverified" in page.text and "dailypaul" not in page.text


def test_essay_says_where_it_first_appeared_and_whose_bio_it_ends_with(built_site):
    source, page = read(built_site, "/bernie-and-boom/")
    text = squash(page.text)
    assert "First published in CounterPunch on June 10, 2016" in text
    assert 'href="https://www.counterpunch.org/2016/06/10/bernieandboom/"' in source
    bio = "Sam Husseini is an independent journalist."
    assert text.index("About the author") < text.index("current bio") < text.index(bio)
    assert text.index("The dissent within the Democratic Party") < text.index("About the author")


def test_campaign_phrases_are_quoted_and_positions_share_one_pattern(built_site, data):
    seen = {}
    for cand in data["candidates"]["alternatives"]:
        _, page = read(built_site, f"/candidates/{cand['id']}/")
        text = html.unescape(page.text)
        seen[cand["id"]] = text
        for p in cand["positions"]:
            first = p["text"].split()[0]
            # every position is a proposal: a verb, as "End", "Oppose", "Make"; no "Firmly against"
            assert first[0].isupper() and not first.startswith(("Firmly", "Against", "For", "Calls", "A", "An")), p["text"]
            assert p["text"].replace('"', "") in text.replace('"', "").replace("“", "").replace("”", ""), p["text"]
    assert 'cannot be made "green"' in seen["soltysik"]
    assert 'called "wars of aggression"' in seen["stein"]
    assert 'called "double taxation"' in seen["johnson"] and "twice" not in seen["johnson"]


def test_every_ticket_gives_its_nomination_with_marks(built_site, data):
    for cand in data["candidates"]["alternatives"]:
        nomination = cand.get("nomination")
        assert nomination, cand["id"]
        _, page = read(built_site, f"/candidates/{cand['id']}/")
        text = html.unescape(page.text)
        assert "Nominated" in text and nomination["text"] in text, cand["id"]
        mark = {"unverified": "(unverified)", "partly": "(partly verified)"}.get(nomination.get("verification"))
        if mark:
            assert mark in text.split(nomination["text"], 1)[1][:80], cand["id"]


def test_featured_pairings_and_order_are_explained(built_site, data):
    source, pact = read(built_site, "/pact/")
    assert "because those are the two pacts" in pact.text
    for a, b in data["candidates"]["featured_pairings"]:
        assert f'href="/pact/{a}-{b}/"' in source and (built_site / "pact" / f"{a}-{b}" / "index.html").exists()
    _, overview = read(built_site, "/candidates/")
    assert data["candidates"]["alternatives_note"].split(".")[0] in squash(html.unescape(overview.text))
    counts = [sum(1 for v in c["ballot"]["states"].values() if (v if isinstance(v, str) else v["status"]) == "ballot")
              for c in data["candidates"]["alternatives"]]
    assert counts == sorted(counts, reverse=True), "the note says tickets are listed by ballots, most first"


def test_election_offices_link_from_their_state(built_site, data):
    offices = {code: s["election_office"] for code, s in data["states"]["states"].items() if s.get("election_office")}
    assert offices
    for code, office in offices.items():
        assert office["sources"] and office.get("as_of"), code
        own = built_site / "states" / code.lower() / "index.html"
        source = own.read_text("utf-8") if own.exists() else (built_site / "states" / "index.html").read_text("utf-8")
        assert f'href="{html.escape(office["url"])}"' in source, code
        assert office["name"] in html.unescape(source), code
