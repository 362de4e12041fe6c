"""What the pact card's script is given: pact-data.json, the pact page's form and words, and the
pairing share pages, all computed from data/ (unit tests, no browser)."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from itertools import combinations_with_replacement

import pytest

from votepact.pact import pact_data
from votepact.data import load_data
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
    assert pact["version"] == 1
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
        assert set(got["ballot"].values()) <= {"ballot", "write-in", "none", "unknown"}
    assert "ballot" not in pact["majors"][0], "the majors need no ballot status"


def test_states_and_write_in_rules(pact, data):
    states = data.election.states
    assert list(pact["states"]) == sorted(states)
    assert pact["states"] == {code: {"name": s.name, "write_ins": s.write_ins} for code, s in states.items()}
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
    assert len(text.encode("utf-8")) < 16_000


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
    words = [text for attrs, text in html.scripts if attrs.get("id") == "pact-words"]
    assert len(words) == 1
    words = json.loads(words[0])
    assert data.election.office.lower() in words["wi_none"]
    for key in ("ballot", "write-in", "none", "unknown", "wi_any", "wi_registered", "wi_none", "wi_unknown"):
        assert key in words


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
