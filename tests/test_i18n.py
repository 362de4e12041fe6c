"""Languages and the race's own vocabulary: votepact/i18n.py and `race:` in the election model."""
from __future__ import annotations

import datetime
import textwrap
from pathlib import Path

import jinja2
import pytest

from votepact import i18n
from votepact.content import Page
from votepact.data import load_data
from votepact.errors import Report
from votepact.yamlsource import load_yaml

HERE = Path(__file__).parent
RACE_SITE = HERE / "i18n-site"
EN_ES = i18n.site_languages({"languages": ["en", "es-US"]})


def po(path: Path, locale: str, entries: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(f'''\
        msgid ""
        msgstr ""
        "Language: {locale}\\n"
        "Content-Type: text/plain; charset=UTF-8\\n"
        "Plural-Forms: nplurals=2; plural=(n != 1);\\n"

        ''') + textwrap.dedent(entries), "utf-8")


# The site's languages and their addresses

def test_languages_default_first_and_short_folders():
    assert [(l.code, l.prefix) for l in EN_ES] == [("en", ""), ("es-US", "es/")]
    assert [l.name for l in EN_ES] == ["English", "Español"]
    chosen = i18n.site_languages({"languages": ["en", "es"], "default_language": "es"})
    assert [(l.code, l.prefix) for l in chosen] == [("es", ""), ("en", "en/")]
    # two variants of one language keep their whole tags as folders
    both = i18n.site_languages({"languages": ["en", "pt-BR", "pt-PT"]})
    assert [l.prefix for l in both] == ["", "pt-br/", "pt-pt/"]


def test_one_language_without_a_list():
    assert i18n.site_languages({"language": "en-GB"}) == (i18n.Language("en-GB"),)
    assert i18n.site_languages({}) == (i18n.Language("en"),)


def test_language_mistakes_are_reported_at_their_key():
    report = Report()
    where = lambda keypath: ".".join(map(str, keypath))
    i18n.check_languages({"languages": ["en", "xx-Nowhere", "en"], "default_language": "es"}, where, report)
    said = [f"{e.where}: {e.message}" for e in report.errors]
    assert "default_language: default language 'es' is not in 'languages'" in said
    assert "languages.2: language 'en' is listed twice" in said
    assert any(s.startswith("languages.1: 'xx-Nowhere' is not a language tag") for s in said)


def test_paths_between_languages():
    es = EN_ES[1]
    assert i18n.localized_path("/faq/#trust", es) == "/es/faq/#trust"
    assert i18n.localized_path("/", es) == "/es/"
    assert i18n.localized_path("/es/faq/", es) == "/es/faq/"  # already there
    assert i18n.localized_path("/static/css/site.css", es) == "/static/css/site.css"
    assert i18n.localized_path("https://example.org/", es) == "https://example.org/"
    assert i18n.localized_path("/faq/", EN_ES[0]) == "/faq/"
    assert i18n.neutral_path("/es/faq/", EN_ES) == "/faq/"
    assert i18n.neutral_path("/es/", EN_ES) == "/"
    assert i18n.neutral_path("/essay/", EN_ES) == "/essay/"  # starts with "es" but is not Spanish
    assert i18n.language_of("/essay/", EN_ES).code == "en"
    assert i18n.is_page_path("/faq/#x") and not i18n.is_page_path("/guides/talking.pdf")


def test_alternates_pair_pages_both_ways_with_x_default():
    urls = {"/faq/", "/es/faq/", "/about/"}
    for url in ("/faq/", "/es/faq/"):
        got = [(a.hreflang, a.url) for a in i18n.alternates(url, EN_ES, urls)]
        assert got == [("en", "/faq/"), ("es-US", "/es/faq/"), ("x-default", "/faq/")]
    assert i18n.alternates("/about/", EN_ES, urls) == []  # no translation: nothing to pair
    assert i18n.alternates("/faq/", EN_ES[:1], urls) == []


def test_a_page_missing_in_one_language_falls_back_visibly():
    langs = i18n.site_languages({"languages": ["es", "en"]})
    pages = [Page("/", "Inicio", "home", "content/index.md"), Page("/en/", "Home", "home", "content/en/index.md"),
             Page("/acerca/", "Acerca", "", "content/acerca.md"), Page("/en/extra/", "Extra", "", "content/en/extra.md")]
    made = {p.url: p for p in i18n.fallback_pages(pages, langs)}
    assert sorted(made) == ["/en/acerca/", "/extra/"]
    assert made["/en/acerca/"].context["original"].url == "/acerca/"
    assert made["/en/acerca/"].meta == {"sitemap": False, "lang": "en", "fallback": True}
    assert made["/extra/"].context["original_language"].code == "en"
    assert i18n.fallback_pages(pages, langs[:1]) == []


# Catalogs, words and formats

def test_site_catalog_overrides_project_catalog(tmp_path, monkeypatch):
    project = tmp_path / "project-locale"
    po(project / "es" / "LC_MESSAGES" / "messages.po", "es", '''\
        msgid "Ballot"
        msgstr "Boleta"

        msgid "Write-in"
        msgstr "Voto por escrito"

        msgid "%(n)s district"
        msgid_plural "%(n)s districts"
        msgstr[0] "%(n)s distrito"
        msgstr[1] "%(n)s distritos"

        #, fuzzy
        msgid "Unsure"
        msgstr "Dudoso"
        ''')
    site = tmp_path / "site"
    po(site / "locale" / "es_US" / "LC_MESSAGES" / "messages.po", "es_US", '''\
        msgid "Ballot"
        msgstr "Papeleta de la villa"
        ''')
    monkeypatch.setattr(i18n, "PROJECT_LOCALE_DIR", project)
    words = i18n.Localizer(EN_ES, site)
    words.use(EN_ES[1])
    assert words.gettext("Ballot") == "Papeleta de la villa"  # the site's own, from es_US
    assert words.gettext("Write-in") == "Voto por escrito"  # the project's, from es
    assert words.gettext("Unsure") == "Unsure"  # a fuzzy entry is not used
    assert words.ngettext("%(n)s district", "%(n)s districts", 1) == "%(n)s distrito"
    assert words.ngettext("%(n)s district", "%(n)s districts", 3) == "%(n)s distritos"
    words.use(EN_ES[0])
    assert words.gettext("Ballot") == "Ballot"


def test_templates_translate_with_plurals_in_the_page_language(tmp_path, monkeypatch):
    project = tmp_path / "locale"
    po(project / "es" / "LC_MESSAGES" / "messages.po", "es", '''\
        msgid "%(num)s district"
        msgid_plural "%(num)s districts"
        msgstr[0] "%(num)s distrito"
        msgstr[1] "%(num)s distritos"

        msgid "Election day: %(day)s"
        msgstr "Día de la elección: %(day)s"
        ''')
    monkeypatch.setattr(i18n, "PROJECT_LOCALE_DIR", project)
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    words = i18n.Localizer(EN_ES)
    words.install(env)
    template = env.from_string("{% trans num=n %}{{ num }} district{% pluralize %}{{ num }} districts{% endtrans %}"
                               " | {{ _('Election day: %(day)s', day=d | format_date) }}"
                               " | {{ v | format_number }} | {{ p | format_percent }}")
    values = dict(d=datetime.date(2016, 11, 8), v=4489233, p=3.28)
    assert template.render(n=1, **values) == "1 district | Election day: November 8, 2016 | 4,489,233 | 3.28%"
    words.use(EN_ES[1])
    assert template.render(n=1, **values) == "1 distrito | Día de la elección: 8 de noviembre de 2016 | 4,489,233 | 3.28%"
    assert template.render(n=3, **values).startswith("3 distritos")


def test_formats_follow_the_locale():
    langs = i18n.site_languages({"languages": ["en-GB", "es"]})
    words = i18n.Localizer(langs)
    assert words.format_date(datetime.date(2016, 11, 8)) == "8 November 2016"
    words.use(langs[1])
    assert words.format_date("2016-11-08") == "8 de noviembre de 2016"
    assert words.format_number(4489233) == "4.489.233"
    assert words.format_percent(3.28) == "3,28\xa0%"
    assert words.format_percent(0.5, of_hundred=False) == "50\xa0%"


def test_messages_for_the_browser_carry_plural_categories(tmp_path, monkeypatch):
    project = tmp_path / "locale"
    po(project / "es" / "LC_MESSAGES" / "messages.po", "es", '''\
        msgid "Make the card"
        msgstr "Hacer la tarjeta"

        msgid "{n} vote"
        msgid_plural "{n} votes"
        msgstr[0] "{n} voto"
        msgstr[1] "{n} votos"
        ''')
    monkeypatch.setattr(i18n, "PROJECT_LOCALE_DIR", project)
    words = i18n.Localizer(EN_ES, current=EN_ES[1])
    got = words.messages(["Make the card"], [("{n} vote", "{n} votes")])
    assert got["Make the card"] == "Hacer la tarjeta"
    assert got["{n} vote"]["one"] == "{n} voto" and got["{n} vote"]["other"] == "{n} votos"


def test_script_messages_are_found_by_babel():
    singles, plurals = i18n.script_msgids('el.textContent = _("Make the card"); say(ngettext("{n} vote", "{n} votes", n));')
    assert singles == ["Make the card"]
    assert plurals == [("{n} vote", "{n} votes")]


# Translated data

def test_translated_data_gives_words_and_never_facts(tmp_path):
    base, _ = load_yaml((RACE_SITE / "data" / "states.yaml").read_text("utf-8"), "data/states.yaml")
    en = i18n.site_languages({"languages": ["es", "en"]})[1]
    report = Report()
    merged = i18n.read_translation(RACE_SITE, en, "states.yaml", base, report)
    assert not report.errors
    assert merged["states"]["sur"]["name"] == "South District"
    assert merged["states"]["sur"]["write_ins"] == "none"  # the rule is the original's
    assert base["states"]["sur"]["name"] == "Distrito Sur"  # the original is left as it was
    (tmp_path / "data" / "en").mkdir(parents=True)
    (tmp_path / "data" / "en" / "states.yaml").write_text(
        "states:\n  sur:\n    write_ins: any\n", "utf-8")
    report = Report()
    assert i18n.read_translation(tmp_path, en, "states.yaml", base, report) is base
    assert [str(e) for e in report.errors] == [
        "data/en/states.yaml:3:5: only words can be translated here "
        "(leave facts such as dates, numbers, statuses and codes to the untranslated file)"]
    (tmp_path / "data" / "en" / "states.yaml").write_text("states:\n  oeste:\n    name: West\n", "utf-8")
    report = Report()
    i18n.read_translation(tmp_path, en, "states.yaml", base, report)
    assert str(report.errors[0]).startswith("data/en/states.yaml:2:3: 'oeste' is not in the untranslated file")


def test_lists_are_translated_by_id_or_by_place():
    base = {"alternatives": [{"id": "a", "summary": "uno", "positions": [{"text": "x", "sources": ["V1"]}]},
                             {"id": "b", "summary": "dos"}],
            "nav": [{"label": "Inicio", "path": "/"}, {"label": "Acerca", "path": "/acerca/"}]}
    words = {"alternatives": [{"id": "b", "summary": "two"}, {"id": "a", "positions": [{"text": "ex"}]}],
             "nav": [{"label": "Home"}]}
    merged = i18n.overlay(base, words)
    assert [a["summary"] for a in merged["alternatives"]] == ["uno", "two"]
    assert merged["alternatives"][0]["positions"] == [{"text": "ex", "sources": ["V1"]}]
    assert merged["nav"] == [{"label": "Home", "path": "/"}, {"label": "Acerca", "path": "/acerca/"}]
    left_out = []
    assert i18n.overlay(base, {"alternatives": [{"id": "z", "summary": "?"}]}, left_out=left_out) == base
    assert left_out == [(("alternatives", 0, "id"), "id 'z' is not in the untranslated file, so its words are not used",
                         "remove it here too, or fix the id")]
    # menu items by their path: one the original no longer has is left out, the others keep their words
    menu = i18n.overlay(base, {"nav": [{"path": "/gone/", "label": "Ido"}, {"path": "/", "label": "Home"}]}, left_out=[])
    assert menu["nav"] == [{"label": "Home", "path": "/"}, {"label": "Acerca", "path": "/acerca/"}]
    with pytest.raises(i18n.OverlayError):
        i18n.overlay(base, {"nav": [{"path": "/", "label": "Home", "order": 1}]})


# The race's vocabulary

def test_a_district_race_with_its_own_codes_and_words():
    report = Report()
    data = load_data(RACE_SITE, report)
    assert not report.errors and not report.warnings, report.errors + report.warnings
    race = data.election.race
    assert (race.one, race.other, race.path) == ("distrito", "distritos", "distritos")
    assert (race.running_mates, race.electoral_votes, race.write_ins) == (False, False, True)
    assert list(data.election.states) == ["norte", "centro", "sur"]


def test_the_presidential_race_keeps_its_words():
    from conftest import REPO
    report = Report()
    race = load_data(REPO, report).election.race
    assert (race.one, race.other, race.path, race.running_mates, race.electoral_votes) == (
        "state", "states", "states", True, True)


def test_race_defaults_follow_the_data():
    from votepact.election import Candidate, State, build_race, url_segment
    race = build_race(None, {"A": State(code="A")}, (Candidate(id="x"),))
    assert (race.one, race.running_mates, race.electoral_votes, race.path) == ("state", False, False, "states")
    race = build_race({"jurisdiction": {"one": "ward", "other": "Wards"}}, {"A": State(code="A", electoral_votes=3)},
                      (Candidate(id="x", running_mate="y"),))
    assert (race.running_mates, race.electoral_votes, race.path) == (True, True, "wards")
    assert url_segment("circonscriptions électorales") == "circonscriptions-electorales"


def test_codes_that_differ_only_in_capitals_are_refused(tmp_path):
    import shutil
    shutil.copytree(RACE_SITE, tmp_path / "site")
    states = tmp_path / "site" / "data" / "states.yaml"
    states.write_text(states.read_text("utf-8") + "  Sur:\n    name: Otro Sur\n    tile: [3, 1]\n    write_ins: any\n",
                      "utf-8")
    report = Report()
    load_data(tmp_path / "site", report)
    assert any("code 'Sur' differs from 'sur' only in capital letters" in str(e) for e in report.errors)


def test_switcher_links_lead_to_the_same_page_in_each_other_language():
    links = i18n.language_links("/es/faq/", EN_ES)
    assert [(l.language.code, l.url) for l in links] == [("en", "/faq/")]
    links = i18n.language_links("/", EN_ES)
    assert [(l.language.code, l.url) for l in links] == [("es-US", "/es/")]
    got = i18n.sitemap_links("/faq/", EN_ES, {"/faq/", "/es/faq/"}, lambda p: "https://example.org" + p)
    assert got == ['<xhtml:link rel="alternate" hreflang="en" href="https://example.org/faq/"/>',
                   '<xhtml:link rel="alternate" hreflang="es-US" href="https://example.org/es/faq/"/>',
                   '<xhtml:link rel="alternate" hreflang="x-default" href="https://example.org/faq/"/>']


def test_vocabulary_counts_in_the_singular_and_says_ticket_only_with_running_mates():
    report = Report()
    data = load_data(RACE_SITE, report)
    langs = i18n.site_languages({"languages": ["es", "en"]})
    words = i18n.Localizer(langs)
    v = words.vocabulary(data.election)
    assert (v.count(1), v.count(3), v.count(1234)) == ("1 distrito", "3 distritos", "1.234 distritos")
    words.use(langs[1])
    assert (words.vocabulary(data.election).ticket, words.vocabulary(data.election).tickets) == (
        "candidate", "candidates")
    from conftest import REPO
    presidential = load_data(REPO, Report()).election
    assert words.vocabulary(presidential).ticket == "ticket"


def test_template_links_lead_to_the_page_in_the_current_language():
    env = jinja2.Environment(autoescape=True)
    env.globals.update(url=lambda path: "/v" + path, absolute_url=lambda path: "https://x.org/v" + path)
    words = i18n.Localizer(EN_ES)
    words.install(env)
    template = env.from_string("{{ url('/faq/') }} {{ url('/faq/', languages[0]) }} {{ url('/static/a.css') }} "
                               "{{ url('/guides/talking.pdf') }} {{ absolute_url('/es/') }}")
    assert template.render() == "/v/faq/ /v/faq/ /v/static/a.css /v/guides/talking.pdf https://x.org/v/es/"
    words.use(EN_ES[1])
    assert template.render() == "/v/es/faq/ /v/faq/ /v/static/a.css /v/guides/talking.pdf https://x.org/v/es/"


def test_a_translation_that_names_a_value_its_message_lacks_is_reported_at_its_line(tmp_path, monkeypatch):
    from votepact.errors import SiteError
    site = tmp_path / "site"
    po(site / "locale" / "es" / "LC_MESSAGES" / "messages.po", "es", '''\
        msgid "Check another %(one)s"
        msgstr "Ver la lista de %(other)s"
        ''')
    monkeypatch.setattr(i18n, "PROJECT_LOCALE_DIR", tmp_path / "none")
    words = i18n.Localizer(EN_ES, site, current=EN_ES[1])
    with pytest.raises(SiteError) as caught:
        words.gettext("Check another %(one)s")
    assert caught.value.where.line == 7 and "uses other, which the message does not give" in caught.value.message


def test_english_dates_numbers_and_percentages_are_as_babel_formats_them():
    from babel.dates import format_date
    from babel.numbers import format_decimal, format_percent
    words = i18n.Localizer(EN_ES)
    for day in (datetime.date(2016, 11, 8), datetime.date(2030, 1, 21)):
        assert words.format_date(day) == format_date(day, "long", locale="en")
    for n in (0, 7, 1234, 4489233):
        assert words.format_number(n) == format_decimal(n, locale="en")
    for p in (3.28, 1.5, 0.05, 48.18):
        from decimal import Decimal
        assert words.format_percent(p) == format_percent(Decimal(str(p)) / 100, locale="en", decimal_quantization=False)


def test_the_catalogs_are_current_and_the_spanish_one_complete(tmp_path):
    """The README's commands, run as a translator runs them: `pybabel extract` finds exactly the
    messages of the committed messages.pot, `pybabel update` then leaves the Spanish catalog's
    translations as they are, with no entry fuzzy or untranslated, and `pybabel compile` reads it."""
    import shutil
    import subprocess
    import sys

    from babel.messages.pofile import read_po

    repo = HERE.parent
    pybabel = [sys.executable, "-m", "babel.messages.frontend"]
    locale = repo / "votepact" / "locale"

    def read(path):
        with open(path, "rb") as fh:
            return {(m.id, m.context): m for m in read_po(fh) if m.id}

    fresh = tmp_path / "messages.pot"
    subprocess.run([*pybabel, "-q", "extract", "-F", "babel.cfg", "-k", "N_", "-w", "100", "--project", "VotePact",
                    "--version", "1", "-o", str(fresh), "."], cwd=repo, check=True, capture_output=True)
    missing = set(read(fresh)) ^ set(read(locale / "messages.pot"))
    assert not missing, ("messages.pot is not current: run the extract command in the README "
                         f"(README.md, 'Translate a new string'); differs by {sorted(map(str, missing))}")
    shutil.copytree(locale, tmp_path / "locale")
    subprocess.run([*pybabel, "-q", "update", "-w", "100", "-i", str(fresh), "-d", str(tmp_path / "locale")],
                   check=True, capture_output=True)
    po_file = "es/LC_MESSAGES/messages.po"
    before, after = read(locale / po_file), read(tmp_path / "locale" / po_file)
    assert {k: m.string for k, m in before.items()} == {k: m.string for k, m in after.items()}
    assert not [k for k, m in after.items() if m.fuzzy or not all(m.string if isinstance(m.string, tuple) else [m.string])]
    done = subprocess.run([*pybabel, "compile", "--statistics", "-l", "es", "-i", str(locale / po_file),
                           "-o", str(tmp_path / "messages.mo")], capture_output=True, text=True)
    assert done.returncode == 0 and "(100%) translated" in done.stderr, done.stderr
