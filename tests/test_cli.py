"""The command line as an organizer meets it."""
from __future__ import annotations

from conftest import run_cli


def test_each_command_has_help():
    for verb in ("build", "serve", "check", "new"):
        result = run_cli(verb, "--help")
        assert result.returncode == 0 and f"usage: votepact {verb}" in result.stdout
    for verb in ("build", "check"):
        assert "--site" in run_cli(verb, "--help").stdout and "--out" in run_cli(verb, "--help").stdout
    assert "--out" not in run_cli("serve", "--help").stdout  # serve never writes the output folder


def test_build_then_check_passes_and_a_broken_link_fails(tmp_path):
    out = tmp_path / "site"
    result = run_cli("build", "--out", out)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Built ") and "pages" in result.stdout
    result = run_cli("check", "--out", out)
    assert result.returncode == 0, result.stderr
    assert "all good" in result.stdout
    about = out / "about" / "index.html"
    about.write_text(about.read_text("utf-8").replace('href="/faq/"', 'href="/fqa/"', 1), "utf-8")
    result = run_cli("check", "--out", out)
    assert result.returncode == 1
    assert "about/index.html:" in result.stderr and "broken link: /fqa/" in result.stderr


def test_check_without_a_built_site(tmp_path):
    result = run_cli("check", "--out", tmp_path / "nothing")
    assert result.returncode == 1 and "no built site here" in result.stderr


def test_a_site_folder_without_templates_or_static_uses_the_projects(scratch_site, tmp_path):
    assert not (scratch_site / "templates").exists() and not (scratch_site / "static").exists()
    result = run_cli("build", "--site", scratch_site, "--out", tmp_path / "o")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "o" / "faq" / "index.html").is_file()
    # a site's own file hides the project's one of the same name
    (scratch_site / "templates").mkdir()
    (scratch_site / "templates" / "404.html").write_text(
        '{% extends "base.html" %}{% block main %}<h1>Our own lost page</h1>{% endblock %}', "utf-8")
    assert run_cli("build", "--site", scratch_site, "--out", tmp_path / "o").returncode == 0
    assert "Our own lost page" in (tmp_path / "o" / "404.html").read_text("utf-8")


def test_new_scaffolds_another_race_in_two_languages(tmp_path):
    """`votepact new` for a mayor's race by district, in English and Spanish, as an organizer
    runs it: the data says the race's words in each language, the site builds and passes check,
    and its pages speak of districts, in the right language on each side."""
    import re

    import yaml
    from test_i18n_site import english_on_spanish_pages, lang_of, pages, presidential_words, visible_text

    help_text = run_cli("new", "--help").stdout
    for option in ("--languages", "--jurisdiction", "--office", "--running-mates", "--electoral-votes"):
        assert option in help_text, option
    result = run_cli("new", "mysite", "--jurisdiction", "district/districts", "--languages", "en,es", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "all good" in result.stdout and "content/es/" in result.stdout
    site, out = tmp_path / "mysite", tmp_path / "mysite" / "output"

    def data(name):
        return yaml.safe_load((site / "data" / name).read_text("utf-8"))
    race, words = data("candidates.yaml"), data("es/candidates.yaml")
    assert race["race"]["jurisdiction"] == {"one": "district", "other": "districts"}
    assert words["race"]["jurisdiction"] == {"one": "distrito", "other": "distritos"}
    assert (race["election"]["office"], words["election"]["office"]) == ("Mayor", "Alcalde")
    assert race["race"]["running_mates"] is False and race["race"]["electoral_votes"] is False
    assert not any("running_mate" in c for c in race["majors"] + race["alternatives"])
    assert not any("electoral_votes" in s for s in data("states.yaml")["states"].values())
    assert data("site.yaml")["languages"] == ["en", "es"]
    assert (site / "content/es/guides/first-conversation.md").is_file()

    assert not presidential_words(out)
    assert not english_on_spanish_pages(out)
    got = pages(out)
    en, es = visible_text(got["/candidates/cy/index.html"]), visible_text(got["/es/candidates/cy/index.html"])
    assert "Map of 3 districts" in en and "Mapa de 3 distritos" in es
    assert "/districts/sl/index.html" in got and lang_of(got["/es/districts/sl/index.html"]) == "es"
    for url, page in got.items():
        assert not re.search(r"\b1 (districts|distritos)\b", visible_text(page)), url
        # the switcher leads to the same page in the other language, and hreflang pairs them both ways
        other = url.removeprefix("/es") if url.startswith("/es/") else "/es" + url
        href = other.removesuffix("index.html")
        assert re.search(rf'<a href="{re.escape(href)}" hreflang="(en|es)" lang="(en|es)">(English|Español)</a>',
                         page), url
        alternates = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="https://example.org([^"]+)">', page))
        assert alternates and alternates == dict(re.findall(
            r'<link rel="alternate" hreflang="([^"]+)" href="https://example.org([^"]+)">', got[other])), url
        assert set(alternates) == {"en", "es", "x-default"} and href in alternates.values(), url


def test_new_says_which_option_to_add_and_writes_nothing(tmp_path):
    for args, said in ((["--languages", "en,fr"], "not 'fr'"),
                       (["--jurisdiction", "ward"], "as district/districts"),
                       (["--jurisdiction", "sector/sectors", "--languages", "en,es"], "--jurisdiction WORD/WORDS"),
                       (["--office", "Sheriff", "--languages", "en,es"], "--office NAME")):
        result = run_cli("new", tmp_path / "s", *args)
        assert result.returncode == 2 and said in result.stderr, (args, result.stderr)
        assert result.stderr.count("\n") == 1 and not (tmp_path / "s").exists(), args
