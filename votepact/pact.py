"""What the pact card maker knows, written at build time from data/ into `js/pact-data.json` (and
`js/pact-data.<folder>.json` for each other language): the election's facts, and the words the
maker's script shows (`words`, from templates/_pact_words.html in that language), so that no page
carries them inline.

The browser gets facts and verdicts, never rules: each ticket's ballot status in each state comes
with its level and wording key from votepact/ballot.py, so static/js/ never decides whether a vote
counts. Notes (a state's, a ticket's whole ballot, one ticket in one state) travel as plain text.
"""
from __future__ import annotations

import json
from . import ballot
from .data import SiteData
from .i18n import Language
from .inputs import PROJECT_DIR
from .pages import pairing_slug

WORDS_TEMPLATE = "_pact_words.html"


def pact_words(data: SiteData, env, lang: Language | None = None) -> dict:
    """The maker's words in `lang` (default: the site's first language), from WORDS_TEMPLATE in
    `env` (the build's Jinja environment, templates.make_environment): {"ui": key -> sentence
    with {placeholders}, "levels", "symbols", "sentences": the ballot words of
    _ballot_words.html}. `data` is the site's data in that language (SiteData.language). Jinja
    errors propagate (a template the build has not checked yet is checked again when the pages
    are rendered)."""
    env.words.use(lang or env.words.languages[0])
    module = env.get_template(WORDS_TEMPLATE).make_module({"election": data.election})
    plain = lambda words: {key: str(text) for key, text in words.items()}  # noqa: E731 (Markup -> str)
    return {"ui": plain(module.words), "levels": plain(module.levels), "symbols": plain(module.symbols),
            "sentences": plain(module.sentences)}


def pact_data(data: SiteData, env=None, lang: Language | None = None) -> str:
    """The pact card's data in one language as compact, key-sorted JSON (the same bytes for the
    same data and templates): `data` in that language, `lang` its Language (default: the first),
    the words from the templates of `env` (default: the project's own)."""
    if env is None:
        from .templates import make_environment  # Jinja loads only when the site is built
        env = make_environment(PROJECT_DIR, data.settings, {})
    e = data.election
    verdicts = ballot.table(e)

    def person(c):
        return {"id": c.id, "name": c.name, "running_mate": c.running_mate, "party": c.party}

    def alternative(c):
        notes = {code: b.note for code, b in c.ballot.items() if b.note}
        return dict(person(c), ballot={code: b.status for code, b in c.ballot.items()},
                    verdicts=verdicts["tickets"][c.id], ballot_note=c.ballot_note, notes=notes)

    return json.dumps({
        "version": 2,
        "site": {"title": data.settings.title, "url": data.settings.base_url},
        "election": {"id": e.id, "name": e.name, "short_name": e.short_name, "date": e.date.isoformat(),
                     "office": e.office},
        "majors": [person(c) for c in e.majors],
        "alternatives": [alternative(c) for c in e.alternatives],
        "states": {code: {"name": s.name, "write_ins": s.write_ins, "note": s.note,
                          "written_in": verdicts["written_in"][code]} for code, s in e.states.items()},
        "pairings": {f"{a.id} {b.id}": pairing_slug(a, b) for a, b in e.pairings()},
        "words": pact_words(data, env, lang),
    }, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
