"""`votepact new`: a small working site to start from, built and checked at once.

The example (votepact/new_site/) has one race, two major and two alternative candidates, three
places that vote, a home page, a pact page and a guide, with a comment on every key. Its data
files are Jinja templates filled in from the organizer's choices (what the places are called,
the office, running mates, electoral votes) and from the example's words in each language
(new_site/words/<language>.yaml); its pages are written per language in new_site/content/<language>/.
The default language's pages go to content/, every other language's to content/<short name>/,
and the words of its data to data/<short name>/ (the layout docs/i18n.md describes).

Copies of the JSON Schemas go into DIR/schema/, which the data files name on their first line,
so an editor with a YAML language server validates them wherever the site folder is moved.
"""
from __future__ import annotations

import json
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from .i18n import Language, site_languages
from .schema import SCHEMA_DIR

EXAMPLE = Path(__file__).resolve().parent / "new_site"
IGNORED = "# Made by every build; never edit or commit them.\n/output/\n/.cache/\n"
DATA_FILES = ("site.yaml", "candidates.yaml", "sources.yaml", "states.yaml")
TRANSLATED_DATA = ("site.yaml", "candidates.yaml", "sources.yaml")  # states.yaml holds names and facts only


class ScaffoldError(Exception):
    """A choice `votepact new` cannot make a site from; its text is the one line to print."""


@dataclass(frozen=True)
class RaceChoice:
    """What the organizer asked for: languages as written (the default first), and per language
    the jurisdictions' words ("district/districts") and the office, in the same order; a
    language given no words gets the example's own for the same word. None flags follow the office."""
    languages: tuple[str, ...] = ("en",)
    jurisdictions: tuple[str, ...] = ()
    offices: tuple[str, ...] = ()
    running_mates: bool | None = None
    electoral_votes: bool | None = None


@dataclass(frozen=True)
class LanguagePlan:
    """One language of the new site and the words its data gets."""
    language: Language
    words: dict           # new_site/words/<short>.yaml
    jurisdiction: tuple[str, str]
    office: str
    scope: str
    presidential: bool    # the office is the example's "president": running mates and electoral votes by default


def example_languages() -> list[str]:
    """The short names of the languages the example is written in: ["en", "es"]."""
    return sorted(p.stem for p in (EXAMPLE / "words").glob("*.yaml"))


def _words(language: Language) -> dict:
    short = language.code.split("-")[0].lower()
    path = EXAMPLE / "words" / f"{short}.yaml"
    if not path.is_file():
        raise ScaffoldError(f"the example site is written in {', '.join(example_languages())}, not "
                            f"'{language.code}' (start with those, then add {language.code} as docs/i18n.md says)")
    return yaml.safe_load(path.read_text("utf-8"))


def _pair(text: str) -> tuple[str, str]:
    one, sep, other = text.partition("/")
    if not sep or not one.strip() or not other.strip() or "/" in other:
        raise ScaffoldError(f"--jurisdiction '{text}': write the singular and the plural, as district/districts")
    return one.strip(), other.strip()


def _key(table: dict, word: str) -> str | None:
    """The key (the English word) of `word` in one language's table of common words."""
    for key, value in table.items():
        if (value[0] if isinstance(value, list) else value).casefold() == word.casefold():
            return key
    return None


def plan(choice: RaceChoice) -> list[LanguagePlan]:
    """Each language's words for the new site, the default first, or raises ScaffoldError
    saying which option to add (a language the example is not written in, a jurisdiction or an
    office word with no translation in a language given none)."""
    try:
        languages = site_languages({"languages": list(choice.languages)})
    except ValueError as err:
        raise ScaffoldError(f"--languages: {err}") from None
    if len(set(choice.languages)) != len(choice.languages):
        raise ScaffoldError("--languages: list each language once")
    from babel import Locale, UnknownLocaleError
    for code in choice.languages:
        try:
            Locale.parse(code.replace("-", "_"))
        except (UnknownLocaleError, ValueError):
            raise ScaffoldError(f"--languages: '{code}' is not a language tag (use tags such as en, es, es-US)") from None
    for flag, given in (("--jurisdiction", choice.jurisdictions), ("--office", choice.offices)):
        if len(given) > len(languages):
            raise ScaffoldError(f"{flag} is given {len(given)} times for {len(languages)} language(s): give it "
                                "once per language, in the order of --languages")
    words = [_words(lang) for lang in languages]
    pairs = [_pair(j) for j in choice.jurisdictions]
    place = _key(words[0]["jurisdictions"], pairs[0][0]) if pairs else "state"
    office_key = _key(words[0]["offices"], choice.offices[0]) if choice.offices else (
        "president" if place == "state" else "mayor")
    made = []
    for i, (lang, w) in enumerate(zip(languages, words)):
        if i < len(pairs):
            jurisdiction = pairs[i]
        elif place in w["jurisdictions"]:
            jurisdiction = tuple(w["jurisdictions"][place])
        else:
            raise ScaffoldError(f"say what '{pairs[0][0]}' is called in {lang.code}: add --jurisdiction "
                                "WORD/WORDS for it (once per language, in the order of --languages)")
        if i < len(choice.offices):
            office = choice.offices[i].strip()
        elif office_key in w["offices"]:
            office = w["offices"][office_key]
        else:
            raise ScaffoldError(f"say what the office '{choice.offices[0]}' is called in {lang.code}: add "
                                "--office NAME for it (once per language, in the order of --languages)")
        scope = w["scope"]["state" if office_key == "president" else "other"]
        made.append(LanguagePlan(lang, w, jurisdiction, office, scope, office_key == "president"))
    return made


def _english_name(language: Language) -> str:
    from babel import Locale
    return Locale.parse(language.locale).get_language_name("en") or language.code


def _render(template: str, values: dict) -> str:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    def scalar(value) -> str:
        """A YAML scalar that reads the same inside a flow mapping ({note: ...}): plain words as
        they are, anything else (commas, colons, a word YAML would read as true) quoted."""
        if isinstance(value, str):
            plain = re.fullmatch(r"\w[\w .'()-]*", value, re.U) and yaml.safe_load(value) == value
            return value if plain else json.dumps(value, ensure_ascii=False)
        return json.dumps(value)

    env = Environment(loader=FileSystemLoader(EXAMPLE), keep_trailing_newline=True, undefined=StrictUndefined,
                      autoescape=False)
    env.filters["y"] = scalar
    return env.get_template(template).render(values)


def write_example(folder: Path, choice: RaceChoice) -> list[LanguagePlan]:
    """Write the example site for `choice` into `folder` (its data, pages and schema copies).
    Raises ScaffoldError, before writing anything, for a choice it cannot make a site from."""
    languages = plan(choice)
    presidential = languages[0].presidential
    running_mates = presidential if choice.running_mates is None else choice.running_mates
    electoral_votes = presidential if choice.electoral_votes is None else choice.electoral_votes
    race = {"running_mates": running_mates, "electoral_votes": electoral_votes,
            "pick": "ticket" if running_mates else "candidate", "languages": [p.language for p in languages]}
    path = re.sub(r"[^a-z0-9]+", "-", languages[0].jurisdiction[1].lower()).strip("-")
    files: dict[str, str] = {}
    for n, p in enumerate(languages):
        values = {**race, "w": p.words, "jurisdiction": p.jurisdiction, "office": p.office, "scope": p.scope,
                  "path": path, "language_name": _english_name(p.language)}
        if n == 0:
            for name in DATA_FILES:
                files[f"data/{name}"] = _render(f"data/{name}", values)
        else:
            for name in TRANSLATED_DATA:
                files[f"data/{p.language.folder}/{name}"] = _render(f"translation/{name}", values)
        source = EXAMPLE / "content" / p.language.code.split("-")[0].lower()
        for page in sorted(source.rglob("*.md")):
            text = page.read_text("utf-8")
            if p.language.prefix:  # links inside the site lead to this language's pages
                text = text.replace("](/", f"](/{p.language.prefix}")
            files[f"content/{p.language.prefix}{page.relative_to(source).as_posix()}"] = text
    folder.mkdir(parents=True, exist_ok=True)
    for rel, text in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text, "utf-8")
    shutil.copytree(SCHEMA_DIR, folder / "schema", ignore=shutil.ignore_patterns("__pycache__"))
    (folder / ".gitignore").write_text(IGNORED, "utf-8")
    return languages


def new_site(folder: Path, choice: RaceChoice = RaceChoice()) -> int:
    """Write the example site into `folder` (which must not exist, or be empty), then build and
    check it. Returns the exit status: 2 if the folder is in use or the choice cannot be made
    (one line says which option to change), else that of build or check."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        print(f"votepact new: {folder} already exists and is not empty (name a new folder)", file=sys.stderr)
        return 2
    try:
        languages = write_example(folder, choice)
    except ScaffoldError as err:
        print(f"votepact new: {err}", file=sys.stderr)
        return 2
    others = [p.language for p in languages[1:]]
    print(f"Wrote a new site into {folder}: content/ holds its pages, data/ its settings and candidates"
          + "".join(f"; content/{lang.folder}/ and data/{lang.folder}/ hold its {_english_name(lang)} pages and words"
                    for lang in others) + ".")
    from .cli import main

    code = main(["build", "--site", str(folder)]) or main(["check", "--site", str(folder)])
    if code == 0:
        print(f"Next: cd {folder} && votepact serve   (a live preview on http://127.0.0.1:8000/ as you edit)")
    return code
