"""Links and Markdown as organizers write them (issue 12, items 3, 4, 5, 16 and 17): every
site-internal address follows the base path whatever wrote it, links to pages that do not exist
and ids used twice are reported at their file and line, lists nest by two spaces, and
apostrophes are apostrophes."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import REPO, run_cli

GOLDEN = REPO / "tests/golden/site"


def small_site(tmp_path: Path, pages: dict[str, str], base_url: str = "https://example.net/votepact/",
               nav: bool = False) -> Path:
    """The golden test's data, no menu unless asked, and these pages under content/."""
    site = tmp_path / "site"
    shutil.copytree(GOLDEN / "data", site / "data")
    settings = (GOLDEN / "data/site.yaml").read_text("utf-8").replace("https://example.org/pacts/", base_url)
    if not nav:
        settings = settings[: settings.index("nav:")]
    (site / "data/site.yaml").write_text(settings + "previews: false\n", "utf-8")
    for rel, text in pages.items():
        (site / "content" / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / "content" / rel).write_text(text, "utf-8")
    return site


def build(site: Path, *args) -> tuple[int, str, Path]:
    out = site.parent / "out"
    result = run_cli("--site", site, "--out", out, *args)
    return result.returncode, result.stderr, out


HOME = "---\ntitle: Home\ntemplate: home\n---\nHello.\n"


def test_links_written_as_html_follow_the_base_path(tmp_path):
    site = small_site(tmp_path, {
        "index.md": HOME,
        "about.md": '---\ntitle: About\n---\n[as Markdown](/candidates/) and <a href="/candidates/">as HTML</a>, '
                    "<img src='/static/icons/favicon.svg' alt=''> and [away](https://example.org/x/).\n",
    })
    (site / "templates").mkdir()
    (site / "templates/page.html").write_text(
        '{% extends "base.html" %}{% block main %}{{ page.body | safe }}<a href="/states/">states</a>'
        '<a href="{{ url(\'/states/\') }}">states again</a>{% endblock %}', "utf-8")
    code, stderr, out = build(site)
    assert code == 0, stderr
    html = (out / "about/index.html").read_text("utf-8")
    assert html.count('href="/votepact/candidates/"') == 2 and 'href="/candidates/"' not in html
    assert "src='/votepact/static/icons/favicon.svg'" in html
    assert html.count('href="/votepact/states/"') == 2 and 'href="/votepact/votepact/' not in html
    assert 'href="https://example.org/x/"' in html


def test_a_link_to_a_page_that_does_not_exist_is_reported_at_its_line(tmp_path):
    site = small_site(tmp_path, {
        "index.md": HOME,
        "about.md": "---\ntitle: About\n---\nFine: [candidates](/candidates/).\n\nGone: <a href=\"/nowhere/\">x</a>\n"
                    "\nAlso [gone](/nowhere/#part) and [a file](/static/none.pdf).\n",
    })
    code, stderr, out = build(site)
    assert code == 0, stderr
    assert "content/about.md:6: links to /nowhere/, which this site does not have" in stderr
    assert "content/about.md:8: links to /static/none.pdf" in stderr
    assert "/candidates/" not in stderr and stderr.count("/nowhere/") == 1
    code, stderr, _ = build(site, "--strict")
    assert code == 1 and "content/about.md:6: links to /nowhere/" in stderr


def test_a_broken_link_in_a_template_is_reported_at_the_template_line(tmp_path):
    site = small_site(tmp_path, {"index.md": HOME, "about.md": "---\ntitle: About\n---\nText.\n"})
    (site / "templates").mkdir()
    (site / "templates/page.html").write_text(
        '{% extends "base.html" %}\n{% block main %}\n{{ page.body | safe }}\n'
        '<a href="{{ url(\'/volunteer/\') }}">help</a>\n{% endblock %}\n', "utf-8")
    code, stderr, _ = build(site)
    assert code == 0, stderr
    assert "templates/page.html:4: links to /volunteer/, which this site does not have" in stderr


def test_a_minimal_site_links_only_to_sections_it_has(tmp_path):
    site = small_site(tmp_path, {"index.md": HOME})
    code, stderr, out = build(site, "--strict")
    assert code == 0, stderr
    home = (out / "index.html").read_text("utf-8")
    assert 'href="/votepact/pact/"' not in home and 'href="/votepact/guides/"' not in home
    check = run_cli("check", "--site", site, "--out", out)
    assert check.returncode == 0, check.stdout + check.stderr


def test_an_id_used_twice_in_a_page_is_reported_at_the_second(tmp_path):
    site = small_site(tmp_path, {
        "index.md": HOME,
        "about.md": "---\ntitle: About\n---\n## Why {#why}\n\nOne.\n\n## Why again {#why}\n\nTwo.\n",
    })
    code, stderr, _ = build(site)
    assert code == 0, stderr
    assert "content/about.md:8: the id 'why' is used twice in /about/" in stderr
    assert build(site, "--strict")[0] == 1


def test_lists_nest_by_two_spaces(tmp_path):
    site = small_site(tmp_path, {
        "index.md": HOME,
        "about.md": "---\ntitle: About\n---\n- first\n  - nested\n  - nested too\n    - deeper\n- second\n",
    })
    code, stderr, out = build(site)
    assert code == 0, stderr
    html = (out / "about/index.html").read_text("utf-8")
    assert "<li>first<ul>\n<li>nested</li>\n<li>nested too<ul>\n<li>deeper</li>" in html
    assert "- nested" not in html


@pytest.mark.parametrize("text, expected", [
    ("In the '16 race, as in the '90s, rock 'n' roll played 'til dawn.",
     "In the \u201916 race, as in the \u201990s, rock \u2019n\u2019 roll played \u2019til dawn."),
    ("She said 'yes' -- and 'em all came 'round.", "She said \u2018yes\u2019 \u2013 and \u2019em all came \u2018round."),
])
def test_apostrophes_before_years_and_elisions(text, expected):
    from votepact.markup import Renderer
    html, _ = Renderer().render(text)
    assert html == f"<p>{expected}</p>"
