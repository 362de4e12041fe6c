"""Unit tests, one group per module of the generator."""
from __future__ import annotations

import datetime
import os
from pathlib import Path

import pytest

from votepact import schema
from votepact.check import SiteCheck
from votepact.config import Settings
from votepact.content import Page, split_front_matter, url_for_file
from votepact.errors import Location, Report, SiteError, did_you_mean
from votepact.markup import Renderer
from votepact.output import Staging
from votepact.templates import make_environment, render
from votepact.yamlsource import load_yaml


# -- yamlsource ---------------------------------------------------------------------------
def test_yaml_positions_point_at_keys_and_items():
    value, pos = load_yaml("a: 1\nlist:\n  - x: 2\n    y: 3\n", "f.yaml")
    assert value == {"a": 1, "list": [{"x": 2, "y": 3}]}
    assert str(pos.at(("list", 0, "y"))) == "f.yaml:4:5"
    assert str(pos.at(("list", 0, "nope", "deeper"))) == "f.yaml:3:5"  # nearest known ancestor


def test_yaml_front_matter_offset_and_duplicates():
    with pytest.raises(SiteError) as err:
        load_yaml("title: a\ntitle: b\n", "p.md", line_offset=1)
    assert str(err.value) == "p.md:3:1: key 'title' appears twice (remove or rename one of them)"


def test_yaml_impossible_date_stays_text():
    value, _ = load_yaml("date: 2016-02-30\nok: 2016-02-28\n", "f.yaml")
    assert value == {"date": "2016-02-30", "ok": datetime.date(2016, 2, 28)}


# -- schema --------------------------------------------------------------------------------
def test_schema_reports_type_enum_and_unknown_keys():
    text = "title: T\norder: first\ndraftt: true\n"
    value, pos = load_yaml(text, "p.md")
    report = Report()
    assert not schema.check("page", value, pos, report)
    assert [str(e) for e in report.errors] == ["p.md:2:1: 'order' should be an integer, not str (position among its siblings)"]
    assert [str(w) for w in report.warnings] == ["p.md:3:1: unknown key 'draftt' (did you mean 'draft'?)"]


def test_published_schemas_are_valid_json_schema():
    import jsonschema
    for name in schema.SCHEMA_NAMES:
        jsonschema.validators.validator_for(schema.schema(name)).check_schema(schema.schema(name))


def test_did_you_mean():
    assert did_you_mean("stien", ["stein", "johnson"]) == "did you mean 'stein'?"
    assert did_you_mean("zzz", ["stein"]) == ""


# -- content -------------------------------------------------------------------------------
@pytest.mark.parametrize("path,url", [
    ("index.md", "/"), ("faq.md", "/faq/"), ("guides/index.md", "/guides/"),
    ("guides/finding-a-partner.md", "/guides/finding-a-partner/"), ("notes/v1.2.md", "/notes/v1-2/"),
    ("a/b/c/index.md", "/a/b/c/"), ("Vote Early.md", "/vote-early/"), ("guides/state-index.md", "/guides/state-index/"),
    ("Guías/Élection Day.md", "/guias/election-day/"),
])
def test_url_comes_from_the_path(path, url):
    assert url_for_file(Path(path)) == url_for_file(path) == url


def test_front_matter_is_required():
    with pytest.raises(SiteError, match="no front matter found"):
        split_front_matter("# Just a heading\n", "x.md")
    with pytest.raises(SiteError, match="front matter is not closed"):
        split_front_matter("---\ntitle: x\n", "x.md")
    assert split_front_matter("---\ntitle: x\n---\nBody\n", "x.md") == ("title: x\n", "Body\n", 4)


def test_page_output_path():
    assert Page(url="/", title="", template="", source="").output_path == "index.html"
    assert Page(url="/faq/", title="", template="", source="").output_path == "faq/index.html"
    assert Page(url="/404.html", title="", template="", source="").output_path == "404.html"


# -- markup --------------------------------------------------------------------------------
def test_markdown_features_and_sub_path_links():
    from votepact.links import place
    html, toc = Renderer().render(
        "## Why? {#why}\n\n\"Quoted\" -- [faq](/faq/#why), [ext](https://example.org)[^1]\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n[^1]: Note.\n")
    assert "<h2 id=\"why\">Why?" in html and "\u201cQuoted\u201d \u2013" in html
    html, targets, twins = place(html, "/sub/")
    assert 'href="/sub/faq/#why"' in html and targets == ["/faq/"] and twins == []
    assert 'href="https://example.org" rel="noopener"' in html
    assert "<table>" in html and 'class="footnote"' in html
    assert toc[0]["id"] == "why"


# -- templates -----------------------------------------------------------------------------
def test_url_helpers_work_under_a_sub_path(tmp_path):
    settings = Settings.from_yaml({"title": "T", "base_url": "https://example.org/votepact", "description": "d"})
    env = make_environment(tmp_path, settings, {"css/site.css": "css/site.0123456789.css"})
    out = env.from_string("{{ url('/faq/') }} {{ absolute_url('/faq/') }} {{ asset('css/site.css') }}").render()
    assert out == "/votepact/faq/ https://example.org/votepact/faq/ /votepact/static/css/site.0123456789.css"


def test_templates_escape_text_and_reject_undefined_names(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "t.html").write_text("<p>{{ text }}</p>\n{{ missing }}\n")
    settings = Settings.from_yaml({"title": "T", "base_url": "https://e.org/", "description": "d"})
    env = make_environment(tmp_path, settings, {})
    with pytest.raises(SiteError) as err:
        render(env, "t.html", {"text": "<script>"}, Location("content/x.md", 1))
    assert "templates/t.html:2" in str(err.value) and "'missing' is undefined" in str(err.value)
    assert env.from_string("{{ t }}").render(t="<b>") == "&lt;b&gt;"


# -- output --------------------------------------------------------------------------------
def test_staging_replaces_the_output_only_on_commit(tmp_path):
    out = tmp_path / "output"
    out.mkdir()
    (out / "old.html").write_text("old")
    staging = Staging(out)
    staging.write("new/index.html", "new")
    assert (out / "old.html").exists() and not (out / "new").exists()
    staging.discard()
    assert sorted(os.listdir(tmp_path)) == ["output"]
    staging = Staging(out)
    staging.write("new/index.html", "new")
    staging.commit()
    assert (out / "new/index.html").read_text() == "new" and not (out / "old.html").exists()
    assert sorted(os.listdir(tmp_path)) == ["output"]


# -- check ---------------------------------------------------------------------------------
def test_check_finds_broken_links_anchors_and_other_hosts(tmp_path):
    head = ('<head><title>t</title><meta name="description" content="d">'
            '<link rel="canonical" href="https://e.org/x/"></head>')
    (tmp_path / "index.html").write_text(
        f"<html>{head}<body><h2 id='here'>h</h2><a href='#here'>ok</a><a href='/gone/'>x</a>"
        "<a href='/#nowhere'>y</a><a href='https://other.org/'>fine</a>"
        "<script src='https://cdn.other.org/x.js'></script></body></html>")
    problems = [str(p) for p in SiteCheck(tmp_path, "https://e.org/").run()]
    assert any("broken link: /gone/" in p for p in problems)
    assert any("broken anchor: /#nowhere" in p for p in problems)
    assert any("loads https://cdn.other.org/x.js from another host" in p for p in problems)
    assert not any("other.org/'" in p for p in problems)
    assert len(problems) == 3


def test_smart_typography_never_touches_code():
    from votepact.markup import smarten
    assert smarten('"Yes," it\'s -- done...') == "\u201cYes,\u201d it\u2019s \u2013 done\u2026"
    assert smarten("'quoted' --- dash") == "\u2018quoted\u2019 \u2014 dash"
    html, _ = Renderer().render('Say "hi" to `"code" --x` and \\"this\\".')
    assert "\u201chi\u201d" in html and '<code>"code" --x</code>' in html and '"this"' in html


def test_urlquote_filter_encodes_every_reserved_character(tmp_path):
    env = make_environment(tmp_path, Settings("T", "https://e.org/", "D"), {})
    assert env.filters["urlquote"]("Vote Pact #2016 & more/") == "Vote%20Pact%20%232016%20%26%20more%2F"
    assert env.filters["urlquote"]("é") == "%C3%A9"
