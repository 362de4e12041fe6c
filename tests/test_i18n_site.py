"""A race that is not a presidential one, in two languages (tests/i18n-site/), built and read page
by page: none of a presidential race's words, no English on its Spanish pages, each language at its
addresses with hreflang pairs and a switcher, a missing page falling back visibly."""
from __future__ import annotations

import html as htmlmod
import json
import re
from pathlib import Path

import pytest

from conftest import REPO, run_cli
from votepact.build import BuildOptions, build

SITE = Path(__file__).parent / "i18n-site"
# The words of a presidential race, in each UI language: none may appear where the race's data
# does not ask for them.
FORBIDDEN = {
    "en": re.compile(r"\b(states?|presidential|president|nationally|national|tickets?|electoral)\b", re.I),
    "es": re.compile(r"\b(estados?|presidencial(es)?|presidente|nacional(mente)?|fórmulas?|votos? electoral(es)?|colegio electoral)\b", re.I),
}


@pytest.fixture(scope="module")
def race_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("race") / "output"
    build(BuildOptions(SITE, out, cache_dir=out.parent / "cache"))
    return out


def pages(out: Path) -> dict[str, str]:
    return {"/" + p.relative_to(out).as_posix(): p.read_text("utf-8") for p in sorted(out.rglob("*.html"))}


def visible_text(page: str) -> str:
    """What a visitor reads or hears: the text, the words in attributes a browser shows or reads
    aloud, and the words the pact card's script shows (its JSON)."""
    # the script's words, without their {placeholders} (the script fills those in)
    words = [re.sub(r"\{\w+\}", " ", json.dumps(list(_strings(json.loads(m))), ensure_ascii=False))
             for m in re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', page, re.S)]
    words += re.findall(r'\s(?:aria-label|alt|title|placeholder|data-[a-z-]+)="([^"]*)"', page)
    words += re.findall(r'<meta (?:name|property)="(?:description|og:[a-z:]+|twitter:[a-z:]+)" content="([^"]*)"', page)
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    words.append(re.sub(r"<[^>]+>", " ", body))
    return htmlmod.unescape(" ".join(words))


def _strings(value):
    """Every string value in a JSON value (keys are the script's names, not words)."""
    if isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, str):
        yield value


def lang_of(page: str) -> str:
    return re.search(r'<html lang="([^"]+)"', page).group(1)


def test_the_race_builds_from_content_and_data_alone_and_passes_check(race_site):
    assert not (SITE / "templates").exists() and not (SITE / "static").exists() and not (SITE / "locale").exists()
    done = run_cli("check", "--site", SITE, "--out", race_site)
    assert done.returncode == 0, done.stdout + done.stderr


def test_no_page_speaks_of_a_presidential_race(race_site):
    found = presidential_words(race_site)
    assert not found, found


def english_ui_words() -> set[str]:
    """The literal words of every message of the project's catalog, between its placeholders
    and tags, that are long enough to be English prose and not a name ("Write-in votes")."""
    from babel.messages.pofile import read_po
    with open(REPO / "votepact" / "locale" / "es" / "LC_MESSAGES" / "messages.po", "rb") as fh:
        catalog = read_po(fh)
    english = set()
    for message in catalog:
        for msgid in (message.id if isinstance(message.id, tuple) else (message.id,)):
            for part in re.split(r"%\(\w+\)s|\{\w+\}|<[^>]+>", msgid or ""):
                part = part.strip(" .,:;()")
                if len(part) >= 12 and " " in part:
                    english.add(part)
    return english


def english_on_spanish_pages(out: Path) -> dict[str, list[str]]:
    """Each Spanish page of a built site that shows an English message, with those messages."""
    english, found = english_ui_words(), {}
    for url, page in pages(out).items():
        if lang_of(page).startswith("es"):
            text = re.sub(r"\s+", " ", visible_text(page))
            hits = sorted(e for e in english if e in text)
            if hits:
                found[url] = hits
    return found


def presidential_words(out: Path) -> dict[str, list[str]]:
    """Each page of a built site that says a presidential race's word, in its own language."""
    found = {}
    for url, page in pages(out).items():
        hits = sorted({m.group(0).lower() for m in FORBIDDEN[lang_of(page).split("-")[0]].finditer(visible_text(page))})
        if hits:
            found[url] = hits
    return found


def test_spanish_pages_show_no_english_ui_words(race_site):
    found = english_on_spanish_pages(race_site)
    assert not found, found


def test_each_language_has_its_addresses_lang_and_switcher(race_site):
    got = pages(race_site)
    assert lang_of(got["/index.html"]) == "es" and lang_of(got["/en/index.html"]) == "en"
    assert lang_of(got["/distritos/sur/index.html"]) == "es" and lang_of(got["/en/distritos/sur/index.html"]) == "en"
    for url, page in got.items():
        if url.endswith("404.html"):
            continue
        other = "/villa/en/" if not url.startswith("/en/") else "/villa/"
        assert re.search(rf'<a href="{other}[^"]*" hreflang="(en|es)" lang="(en|es)">(English|Español)</a>', page), url


def test_hreflang_pairs_are_complete_and_reciprocal(race_site):
    got = pages(race_site)
    links = {}
    for url, page in got.items():
        found = {h: u for h, u in re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', page)}
        if found:
            links[url] = found
    assert "/index.html" in links and "/en/pact/index.html" in links
    for url, found in links.items():
        assert set(found) == {"es", "en", "x-default"}, url
        assert found["x-default"] == found["es"]
        for lang, target in found.items():
            path = target.removeprefix("https://example.org/villa")
            path += "index.html" if path.endswith("/") else ""
            assert links[path] == found, (url, path)
    sitemap = (race_site / "sitemap.xml").read_text("utf-8")
    assert 'hreflang="en" href="https://example.org/villa/en/pact/"' in sitemap
    assert "/en/acerca/" not in sitemap  # a fallback notice is no translation


def test_a_page_missing_in_english_falls_back_visibly(race_site):
    page = (race_site / "en" / "acerca" / "index.html").read_text("utf-8")
    assert lang_of(page) == "en"
    assert "This page is not available in English yet." in page
    assert '<a href="/villa/acerca/" hreflang="es" lang="es">Acerca de este sitio</a>' in page


def test_counts_dates_and_sections_follow_the_language_and_the_site(race_site):
    got = pages(race_site)
    es, en = visible_text(got["/candidates/index.html"]), visible_text(got["/en/candidates/index.html"])
    assert "Mapa de 3 distritos" in visible_text(got["/candidates/lucia/index.html"])
    assert "Map of 3 districts" in visible_text(got["/en/candidates/lucia/index.html"])
    assert "1 distritos" not in es and "1 districts" not in en
    assert "2 de noviembre de 2027" in visible_text(got["/pact/index.html"])
    assert "November 2, 2027" in visible_text(got["/en/pact/index.html"])
    for url, page in got.items():
        assert "/guides/" not in page, url  # the site has no guides: nothing links there
