"""What the pact card's script is given: pact-data.json, the pact page's form and words, and the
pairing share pages, all computed from data/ (unit tests, no browser)."""
from __future__ import annotations

import gzip
import json
import re
from dataclasses import astuple
from html.parser import HTMLParser
from itertools import combinations_with_replacement

import pytest

from votepact import ballot
from votepact.assets import collect
from votepact.ballot import verdict, written_in_verdict
from votepact.data import load_data
from votepact.election import BALLOT_STATUSES, WRITE_IN_RULES
from votepact.pact import pact_data
from votepact.schema import schema
from votepact.templates import make_environment
from votepact.errors import Report
from votepact.pages import generated_pages, pairing_slug

from conftest import REPO


@pytest.fixture(scope="module")
def data():
    report = Report()
    loaded = load_data(REPO, report)
    assert not report.errors
    return loaded


@pytest.fixture(scope="module")
def pact(data):
    return json.loads(pact_data(data))


class Tags(HTMLParser):
    """Every start tag as (name, attributes), and the text inside each <script>."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags, self.scripts, self._in_script = [], [], None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = dict(attrs)
            self.scripts.append([self._in_script, ""])

    def handle_data(self, text):
        if self._in_script is not None:
            self.scripts[-1][1] += text

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None

    def find(self, tag, **attrs):
        return [a for t, a in self.tags if t == tag and all(a.get(k.rstrip("_")) == v for k, v in attrs.items())]


def page_html(built_site, url: str) -> str:
    return (built_site / url.strip("/") / "index.html").read_text(encoding="utf-8")


# ---- pact_data()


def test_election_and_site(pact, data):
    e = data.election
    assert pact["version"] == 2
    assert pact["election"] == {"id": e.id, "name": e.name, "short_name": e.short_name,
                                "date": e.date.isoformat(), "office": e.office}
    assert pact["site"] == {"title": data.settings.title, "url": data.settings.base_url}


def test_majors_and_alternatives_in_file_order(pact, data):
    e = data.election
    assert [m["id"] for m in pact["majors"]] == [c.id for c in e.majors]
    assert len(pact["majors"]) == 2
    for got, cand in zip(pact["majors"] + pact["alternatives"], e.majors + e.alternatives):
        assert (got["id"], got["name"], got["party"], got["running_mate"]) == \
            (cand.id, cand.name, cand.party, cand.running_mate)
    assert [a["id"] for a in pact["alternatives"]] == [c.id for c in e.alternatives]


def test_ballot_status_of_every_alternative_in_every_state(pact, data):
    e = data.election
    for got, cand in zip(pact["alternatives"], e.alternatives):
        assert got["ballot"] == {code: b.status for code, b in cand.ballot.items()}
        assert set(got["ballot"]) == set(e.states)
        assert set(got["ballot"].values()) <= set(BALLOT_STATUSES)
        assert got["verdicts"] == {code: [b.verdict.level, b.verdict.key] for code, b in cand.ballot.items()}
        assert got["ballot_note"] == cand.ballot_note
        assert got["notes"] == {code: b.note for code, b in cand.ballot.items() if b.note}
    assert "ballot" not in pact["majors"][0], "the majors need no ballot status"


def test_states_and_write_in_rules(pact, data):
    states = data.election.states
    assert list(pact["states"]) == sorted(states)
    assert pact["states"] == {code: {"name": s.name, "write_ins": s.write_ins, "note": s.note,
                                     "written_in": list(astuple(written_in_verdict(s.write_ins)))}
                              for code, s in states.items()}
    assert len(pact["states"]) == 51


def test_pairings_name_every_share_page(pact, data):
    e = data.election
    alternatives = list(e.alternatives)
    expected = {f"{a.id} {b.id}": pairing_slug(a, b) for a, b in combinations_with_replacement(alternatives, 2)}
    assert pact["pairings"] == expected
    n = len(alternatives)
    assert len(pact["pairings"]) == n * (n + 1) // 2
    pages = {p.url for p in generated_pages(e)}
    assert {f"/pact/{slug}/" for slug in pact["pairings"].values()} <= pages
    for a in alternatives:
        assert pact["pairings"][f"{a.id} {a.id}"] == a.id


def test_pact_data_is_deterministic_and_compact(data):
    assert pact_data(data) == pact_data(data)
    text = pact_data(data)
    assert "\n" not in text
    assert len(text.encode("utf-8")) < 40_000
    assert len(gzip.compress(text.encode("utf-8"), 9)) < 8_000  # the maker's words included


# ---- the built site


def test_the_page_loads_the_same_data_file(built_site, data):
    html = Tags(page_html(built_site, "/pact/"))
    article = html.find("article", id="pact")[0]
    path = built_site / article["data-src"].lstrip("/")
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads(pact_data(data))
    assert article["data-pact-url"] == "/pact/"


def test_the_form_offers_what_the_data_holds(built_site, data):
    e = data.election
    html = Tags(page_html(built_site, "/pact/"))
    options = [a["value"] for t, a in html.tags if t == "option"]
    for i in (1, 2):
        for major in e.majors:
            assert html.find("input", id=f"m{i}-{major.id}", value=major.id, type="radio", name=f"m{i}")
        assert html.find("input", id=f"n{i}", name=f"n{i}")
        assert html.find("label", for_=f"n{i}") and html.find("label", for_=f"a{i}") and html.find("label", for_=f"s{i}")
    assert options.count("_write-in") == 2
    for cand in e.alternatives:
        assert options.count(cand.id) == 2
    for code in e.states:
        assert options.count(code) == 2
    assert html.find("form", id="pact-form")
    assert "hidden" in html.find("section", id="pact-maker")[0], "no form without JavaScript"
    assert "disabled" in html.find("button", id="pact-make")[0], "nothing to submit until the script runs"


def test_words_come_from_the_template_and_the_data(built_site, data):
    html = Tags(page_html(built_site, "/pact/"))
    assert not [attrs for attrs, _ in html.scripts if attrs.get("id") == "pact-words"], "the words travel in the data file"
    article = html.find("article", id="pact")[0]
    words = json.loads((built_site / article["data-src"].lstrip("/")).read_text(encoding="utf-8"))["words"]
    assert data.election.office.lower() in words["sentences"]["none_none"]
    keys = {key for _, key in ballot.RULES.values()} | {key for _, key in ballot.WRITTEN_IN.values()}
    assert keys == set(words["sentences"]), "a sentence for every key votepact/ballot.py can give, and no other"
    assert set(words["levels"]) == set(words["symbols"]) == set(ballot.LEVELS)
    for claim in ("claim_national", "claim_same", "claim_cross"):
        assert claim in words["ui"] and claim + "_short" in words["ui"]
    assert "{state1}" in words["ui"]["claim_cross"] and "{state}" in words["ui"]["claim_same"]
    assert "fear" not in words["ui"]["claim_national"], "with no states given, only what always holds"


# ---- the ballot rules (votepact/ballot.py)


def schema_enum(name, *path):
    node = schema(name)
    for key in path:
        node = node[key]
    return set(node["enum"])


def test_the_rules_cover_every_status_and_write_in_rule():
    statuses = schema_enum("candidates", "properties", "alternatives", "items", "properties", "ballot", "properties",
                           "states", "additionalProperties", "anyOf", 0)
    rules = schema_enum("states", "properties", "states", "additionalProperties", "properties", "write_ins")
    assert statuses == set(BALLOT_STATUSES) and "printed-not-counted" in statuses
    assert rules == set(WRITE_IN_RULES)
    assert set(ballot.RULES) == {(s, r) for s in statuses for r in rules}
    assert set(ballot.WRITTEN_IN) == rules
    assert {level for level, _ in ballot.RULES.values()} == set(ballot.LEVELS)


@pytest.mark.parametrize("status, rule, level", [
    ("ballot", "none", "counts"),
    ("printed-not-counted", "any", "uncounted"),
    ("none", "any", "counts"),            # no write-in filing, but the state counts any name
    ("none", "registered", "uncounted"),  # filing needed, not filed
    ("none", "none", "uncounted"),
    ("write-in", "registered", "care"),
    ("unknown", "registered", "care"),
])
def test_levels(status, rule, level):
    assert verdict(status, rule).level == level


def test_a_name_written_in_depends_on_the_state_alone():
    assert [written_in_verdict(r).level for r in ("any", "registered", "none", "unknown")] == \
        ["counts", "care", "uncounted", "care"]


def test_stein_in_nevada_will_not_be_counted(data):
    stein = next(c for c in data.election.alternatives if c.id == "stein")
    assert stein.ballot["NV"].verdict.level == "uncounted"


def test_the_candidate_page_shows_levels_and_notes(built_site, data):
    for cand in data.election.alternatives:
        html = page_html(built_site, f"/candidates/{cand.id}/")
        for b in cand.ballot.values():
            assert f"level-{b.verdict.level}" in html
        if cand.ballot_note:
            assert cand.ballot_note.replace("'", "&#39;") in html


def test_ballot_words_name_the_office(data):
    env = make_environment(REPO, data.settings, collect(REPO))
    module = env.get_template("_ballot_words.html").make_module({"election": data.election})
    assert "write-in votes for president" in module.sentences["none_none"]


@pytest.mark.parametrize("url", ["/pact/", "/pact/johnson-stein/", "/pact/stein/"])
def test_no_inline_code_or_style(built_site, url):
    html = Tags(page_html(built_site, url))
    for attrs, text in html.scripts:
        assert attrs.get("src") or (attrs.get("type") == "application/json" and text.strip()), attrs
    for tag, attrs in html.tags:
        assert "style" not in attrs and not any(k.startswith("on") for k in attrs), (tag, attrs)
    assert html.find("script", type="module") and any("/pact." in a.get("src", "") for a in html.find("script"))
    assert any("/pact." in a.get("href", "") for a in html.find("link", rel="stylesheet"))


def test_pact_css_only_on_pact_pages(built_site):
    for url in ("/", "/faq/", "/candidates/"):
        assert "css/pact." not in page_html(built_site, url)
        assert "js/pact." not in page_html(built_site, url)


def test_every_pairing_has_a_share_page(built_site, data):
    e = data.election
    for a, b in e.pairings():
        slug = pairing_slug(a, b)
        html = page_html(built_site, f"/pact/{slug}/")
        names = a.name if a is b else f"{a.name} and {b.name}"
        title = re.search(r"<title>(.*?)</title>", html).group(1)
        assert title.startswith(f"A vote pact: {names}")
        tags = Tags(html)
        assert tags.find("meta", property="og:title")[0]["content"] == f"A vote pact: {names}"
        assert tags.find("meta", property="og:url")[0]["content"].endswith(f"/pact/{slug}/")
        assert tags.find("link", rel="canonical")[0]["href"].endswith(f"/pact/{slug}/")
        assert tags.find("meta", name="twitter:card")[0]["content"] == "summary_large_image"
        assert a.ticket in html and b.ticket in html and "/pact/" in html
        assert tags.find("article", id="pact"), "the script finds its card here"
    count = len(list((built_site / "pact").glob("*/index.html")))
    assert count == len(e.pairings()) == len(e.alternatives) * (len(e.alternatives) + 1) // 2


# ---- the JavaScript budget (docs/quality.md)

JS_BUDGET = {"page": 3 * 1024, "pact_on_load": 20 * 1024, "pact_on_make": 5 * 1024}  # gzip -9 bytes


def script_bytes(built_site, address: str) -> int:
    return len(gzip.compress((built_site / address.lstrip("/")).read_bytes(), 9))


def test_javascript_stays_within_its_budget(built_site):
    pages = sorted(built_site.rglob("index.html"))
    assert len(pages) > 20
    for path in pages:
        tags = Tags(path.read_text(encoding="utf-8"))
        loaded = {a["src"] for t, a in tags.tags if t == "script" and a.get("src")}
        loaded |= {a["href"] for t, a in tags.tags if t == "link" and a.get("rel") == "modulepreload"}
        article = tags.find("article", id="pact")
        if article:
            attrs = article[0]
            loaded |= {attrs["data-src"]} | {v for k, v in attrs.items() if k.endswith("-module") and k != "data-drawing-module"}
            assert script_bytes(built_site, attrs["data-drawing-module"]) <= JS_BUDGET["pact_on_make"]
        total = sum(script_bytes(built_site, address) for address in loaded)
        budget = JS_BUDGET["pact_on_load" if article else "page"]
        assert 0 < total <= budget, f"{path.relative_to(built_site)}: {total} bytes of JavaScript gzipped, budget {budget}"


def test_the_policy_requires_trusted_types(built_site):
    headers = (built_site / "_headers").read_text(encoding="utf-8")
    assert "require-trusted-types-for 'script'" in headers
    assert "require-trusted-types-for &#39;script&#39;" in page_html(built_site, "/pact/")
