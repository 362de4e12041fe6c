"""Languages: the site's list of them, their URLs, their message catalogs, and words by locale.

A site lists its languages in data/site.yaml (`languages: [en, es-US]`, the first, or
`default_language:`, being the default; without the list, the one `language:` is the site's only
language). The default language lives at the site's root; every other one under a folder named
by its short name (`/es/` for es-US), and its pages are written under `content/es/`, mirroring the
default language's tree (Hugo's "translation by content directory"). The same page in two
languages is the same path below each language's root.

Every word a template shows comes from a gettext catalog: the project's
`votepact/locale/<locale>/LC_MESSAGES/messages.po`, over which a site folder's own
`locale/<locale>/LC_MESSAGES/messages.po` may replace any message (as its templates replace the
project's). Catalogs are read as `.po` at build time, never from compiled `.mo` files: an
organizer who corrects a word in a `.po` sees it at the next build with no compile step, and no
compiled file can fall out of step with its source. Reading a catalog of a few hundred messages
takes a few milliseconds, and a build reads each once.

Dates, numbers and percentages are formatted with Babel for the page's locale; the browser's
`Intl` formats them the same way (the same locale tag, the same "long" date style).
"""
from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"


@dataclass(frozen=True)
class Language:
    """One language of the site.

    `code` is its BCP 47 tag as data/site.yaml writes it ("en", "es-US"): the pages' `lang` and
    `hreflang`, and the locale Babel and `Intl` format with. `prefix` is the folder its pages live
    under, "" for the default language and "es/" for es-US (its short name, or the whole tag in
    lower case when two languages of the site share a short name)."""
    code: str
    prefix: str = ""

    @property
    def default(self) -> bool:
        return self.prefix == ""

    @property
    def folder(self) -> str:
        """The folder below content/ (and below the site's root URL) that holds this language: "es"."""
        return self.prefix.rstrip("/")

    @property
    def locale(self) -> str:
        """The Babel locale identifier: "es_US" for es-US."""
        return self.code.replace("-", "_")

    @property
    def name(self) -> str:
        """The language's own name for itself, as a switcher shows it: "English", "Español"."""
        from babel import Locale
        found = Locale.parse(self.locale)
        name = found.language_name or found.get_language_name(found) or self.code
        return name[:1].upper() + name[1:]


def site_languages(raw_site: dict) -> tuple[Language, ...]:
    """The languages of a site from data/site.yaml's checked values, the default first.

    `languages` lists BCP 47 tags; `default_language` (one of them) is the default, else the
    first. Without `languages`, the site has one language, `language` (default "en")."""
    codes = list(raw_site.get("languages") or [raw_site.get("language", "en")])
    default = raw_site.get("default_language") or codes[0]
    if default in codes:
        codes.remove(default)
    codes.insert(0, default)
    shorts = [c.split("-")[0].lower() for c in codes]
    result = [Language(default, "")]
    for code, short in zip(codes[1:], shorts[1:]):
        folder = short if shorts.count(short) == 1 else code.lower()
        result.append(Language(code, folder + "/"))
    return tuple(result)


def check_languages(raw_site: dict, where, report) -> None:
    """Report a `default_language` that `languages` does not list, a tag Babel has no locale for,
    and a language listed twice. `where(keypath)` gives the Location of a key of data/site.yaml."""
    codes = list(raw_site.get("languages") or [])
    default = raw_site.get("default_language")
    if default and codes and default not in codes:
        report.error(where(("default_language",)), f"default language '{default}' is not in 'languages'",
                     f"add it to 'languages' or use one of: {', '.join(codes)}")
    for i, code in enumerate(codes):
        if codes.index(code) != i:
            report.error(where(("languages", i)), f"language '{code}' is listed twice", "list each language once")
    from babel import Locale, UnknownLocaleError
    for i, code in enumerate(codes or [raw_site.get("language", "en")]):
        try:
            Locale.parse(code.replace("-", "_"))
        except (UnknownLocaleError, ValueError):
            key = ("languages", i) if codes else ("language",)
            report.error(where(key), f"'{code}' is not a language tag Babel knows",
                         "use a tag such as en, es, fr-CA or es-US")


# Addresses -------------------------------------------------------------------------------------

def language_of(url: str, languages: tuple[Language, ...]) -> Language:
    """The language a site path belongs to: "/es/faq/" is Spanish when es is a language."""
    for lang in languages[1:]:
        if url.startswith("/" + lang.prefix) or url == "/" + lang.folder:
            return lang
    return languages[0]


def neutral_path(url: str, languages: tuple[Language, ...]) -> str:
    """The path that pairs a page with its translations: "/es/faq/" and "/faq/" are both "/faq/"."""
    lang = language_of(url, languages)
    return "/" + url[1 + len(lang.prefix):] if lang.prefix else url


def localized_path(path: str, lang: Language) -> str:
    """The same site path in `lang`: "/faq/" becomes "/es/faq/"; a path already in that
    language, a static file and an address elsewhere are left as they are."""
    if (not path.startswith("/") or path.startswith("//") or not lang.prefix
            or path.startswith(("/" + lang.prefix, "/static/"))):
        return path
    return "/" + lang.prefix + path.lstrip("/")


def is_page_path(path: str) -> bool:
    """True for a path that names a page ("/faq/", "/faq/#trust", "/"), not a file ("/guides/x.pdf")."""
    bare = path.split("#", 1)[0].split("?", 1)[0]
    return bare.endswith("/")


@dataclass(frozen=True)
class Alternate:
    """The same page in another language: a `<link rel="alternate" hreflang>` of a page (hreflang is
    a language tag or "x-default"), or a link of the language switcher."""
    hreflang: str
    url: str          # site path
    language: Language | None = None


def alternates(url: str, languages: tuple[Language, ...], urls) -> list[Alternate]:
    """The page at `url` in every language that has it (`urls`: every page's path), in the
    site's order of languages, then x-default (the default language's page). A page in one
    language only has no alternates: hreflang pairs only pages that have translations."""
    if len(languages) < 2:
        return []
    neutral = neutral_path(url, languages)
    found = [Alternate(lang.code, localized_path(neutral, lang), lang) for lang in languages
             if localized_path(neutral, lang) in urls]
    if len(found) < 2:
        return []
    default = localized_path(neutral, languages[0])
    if default in urls:
        found.append(Alternate("x-default", default))
    return found


def language_links(url: str, languages: tuple[Language, ...]) -> list[Alternate]:
    """The links of the language switcher: the page at `url` in each of the site's other
    languages, in the site's order. Every page exists in every language (a translation, or its
    fallback notice), so each link leads somewhere."""
    here = language_of(url, languages)
    neutral = neutral_path(url, languages)
    return [Alternate(lang.code, localized_path(neutral, lang), lang) for lang in languages if lang != here]


def sitemap_links(url: str, languages: tuple[Language, ...], urls, absolute) -> list[str]:
    """The `<xhtml:link rel="alternate">` elements of one sitemap entry (none for a page with no
    translation); `absolute(path)` gives a site path's full address."""
    from html import escape
    return [f'<xhtml:link rel="alternate" hreflang="{a.hreflang}" href="{escape(absolute(a.url))}"/>'
            for a in alternates(url, languages, urls)]


# Catalogs ---------------------------------------------------------------------------------------

def catalog_paths(locale_dir: Path, lang: Language) -> list[Path]:
    """Where a locale folder may keep this language's catalog, most specific first:
    es_US, then es."""
    names = [lang.locale]
    if "_" in lang.locale:
        names.append(lang.locale.split("_")[0])
    return [locale_dir / name / "LC_MESSAGES" / f"{DOMAIN}.po" for name in names]


def read_catalog(path: Path, locale: str):
    """A gettext Translations from one `.po` file (fuzzy and empty entries left out), or raises
    babel's error with the file's line when the file cannot be read."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations
    with open(path, "rb") as fh:
        catalog = read_po(fh, locale=locale, abort_invalid=True)
    check_placeholders(catalog, path)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


_PLACEHOLDER = re.compile(r"%\((\w+)\)s|\{(\w+)\}")


def check_placeholders(catalog, path: Path) -> None:
    """Raise a SiteError at the first translation that uses a named value its message does not
    give (`%(n)s`, or `{name}` for the pact card's script): it would stop the page that shows it."""
    from .errors import Location, SiteError, relpath
    for message in catalog:
        if not message.id or not message.string:
            continue
        given = {a or b for msgid in _as_tuple(message.id) for a, b in _PLACEHOLDER.findall(msgid)}
        for string in _as_tuple(message.string):
            unknown = sorted({a or b for a, b in _PLACEHOLDER.findall(string or "")} - given)
            if unknown:
                raise SiteError(Location(relpath(path, Path.cwd()), message.lineno),
                                f"the translation of '{_as_tuple(message.id)[0][:60]}' uses {', '.join(unknown)}, "
                                "which the message does not give", "use only the names in the msgid")


def _as_tuple(value) -> tuple:
    return value if isinstance(value, (tuple, list)) else (value,)


def translations(lang: Language, site_dir: Path | None = None):
    """This language's messages: the site's `locale/` first, then the project's; for the
    language the templates are written in (English, the default), no catalog is needed, but a
    site's own catalog may still reword any message."""
    from babel.support import NullTranslations
    found = []
    dirs = ([site_dir / "locale"] if site_dir is not None else []) + [PROJECT_LOCALE_DIR]
    for folder in dirs:
        for path in catalog_paths(folder, lang):
            if path.is_file():
                found.append(read_catalog(path, lang.locale))
                break
    if not found:
        return NullTranslations()
    first = found[0]
    for more in found[1:]:
        first.add_fallback(more)
    return first


# Words by locale -------------------------------------------------------------------------------

@dataclass
class Localizer:
    """What templates call for words, dates and numbers, in the language of the page being
    rendered. One compiled set of templates serves every language: the build calls `use(lang)`
    before rendering a page, and `gettext`, `ngettext` and the format filters follow it (also
    inside imported macros, which see only the environment's globals, not the page's context).
    Pages are rendered one at a time in each process, so one current language per process holds."""
    languages: tuple
    site_dir: Path | None = None
    current: Language | None = None
    _catalogs: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.current is None:
            self.current = self.languages[0]

    def catalog(self, lang: Language | None = None):
        lang = lang or self.current
        if lang.code not in self._catalogs:
            self._catalogs[lang.code] = translations(lang, self.site_dir)
        return self._catalogs[lang.code]

    def use(self, lang: Language) -> None:
        self.current = lang

    def language_name(self, lang: Language) -> str:
        """What the current language calls `lang`, as within a sentence: "inglés" in Spanish."""
        from babel import Locale
        return Locale.parse(lang.locale).get_language_name(self.current.locale) or lang.code

    def gettext(self, message: str) -> str:
        return self.catalog().gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.catalog().ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        return self.catalog().pgettext(context, message)

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        return self.catalog().npgettext(context, singular, plural, n)

    # Babel formats (loaded on first use: about 30 ms of processor time).
    def format_date(self, value, format: str = "long") -> str:
        """A date as the page's locale writes it ("November 8, 2016", "8 de noviembre de 2016");
        `format="day"` leaves the year out ("November 8", "8 de noviembre"), for text that already
        names it (Unicode skeleton MMMMd)."""
        if isinstance(value, str):
            value = datetime.date.fromisoformat(value)
        from babel.dates import format_date, format_skeleton
        if format == "day":
            return format_skeleton("MMMMd", value, locale=self.current.locale)
        return format_date(value, format=format, locale=self.current.locale)

    def format_number(self, value) -> str:
        """A whole or decimal number with the locale's grouping ("4,489,233")."""
        from babel.numbers import format_decimal
        return format_decimal(value, locale=self.current.locale)

    def format_percent(self, value, of_hundred: bool = True) -> str:
        """A percentage: 3.28 (of 100, as data/ writes it) is "3.28%" in English and "3,28 %" in
        Spanish; with `of_hundred=False`, 0.0328 is the same. Decimals given are kept."""
        from decimal import Decimal

        from babel.numbers import format_percent
        ratio = Decimal(str(value)) / 100 if of_hundred else Decimal(str(value))  # 3.28 / 100 exactly
        return format_percent(ratio, locale=self.current.locale, decimal_quantization=False)

    def vocabulary(self, election) -> "Vocabulary":
        """The race's words in the current language, for templates: `election` is the one built
        from this language's data, so its jurisdiction words are already this language's; the word
        for what a voter picks is "ticket" where candidates have running mates, else "candidate"."""
        race = election.race
        if race.running_mates:
            ticket, tickets = self.pgettext("race", "ticket"), self.pgettext("race", "tickets")
        else:
            ticket, tickets = self.pgettext("race", "candidate"), self.pgettext("race", "candidates")
        return Vocabulary(race.one, race.other, ticket, tickets, self)

    def plural_category(self, n) -> str:
        """The CLDR plural category of `n` in the current language: "one", "few", "other"..."""
        from babel import Locale
        return Locale.parse(self.current.locale).plural_form(n)

    def localize(self, path: str, lang: Language | None = None) -> str:
        """A page's site path in `lang` (default: the current language); other paths unchanged."""
        return localized_path(path, lang or self.current) if is_page_path(path) else path

    def install(self, env) -> None:
        """Add Jinja's i18n extension to `env` with this localizer's gettext and ngettext (new
        style: `{{ _('%(n)s districts', n=3) }}` formats and escapes), and the format filters.
        `url(path)` and `absolute_url(path)` (already in `env`) then lead to the page in the
        current language, or in the one given: `url('/faq/', lang)`."""
        env.add_extension("jinja2.ext.i18n")
        site_url, site_absolute_url = env.globals.get("url"), env.globals.get("absolute_url")
        if site_url is not None:
            env.globals.update(url=lambda path, lang=None: site_url(self.localize(path, lang)),
                               absolute_url=lambda path, lang=None: site_absolute_url(self.localize(path, lang)))
        env.install_gettext_callables(self.gettext, self.ngettext, newstyle=True,
                                      pgettext=self.pgettext, npgettext=self.npgettext)
        env.filters.update(format_date=self.format_date, format_number=self.format_number,
                           format_percent=self.format_percent)
        env.globals.update(languages=self.languages, language=lambda: self.current,
                           language_name=self.language_name, vocab=self.vocabulary)

    def messages(self, msgids, plurals=()) -> dict:
        """Messages for the browser, in the current language: msgid -> text for each of `msgids`,
        and for each (singular, plural) of `plurals` "singular" -> {CLDR plural category -> text}
        (the script picks the category with `Intl.PluralRules`)."""
        from babel import Locale
        out = {m: self.gettext(m) for m in msgids}
        locale = Locale.parse(self.current.locale)
        samples = plural_samples(locale)
        for singular, plural in plurals:
            out[singular] = {cat: self.ngettext(singular, plural, n) for cat, n in samples.items()}
        return out


@dataclass(frozen=True)
class Vocabulary:
    """What templates call the race's jurisdictions and what a voter picks, in one language."""
    one: str       # "state", "distrito"
    other: str     # "states", "distritos"
    ticket: str    # "ticket" (with running mates) or "candidate", translated
    tickets: str
    words: Localizer

    def count(self, n: int) -> str:
        """n jurisdictions, the number as the locale writes it and the word in the right form:
        "1 district", "3 districts", "1.234 distritos"."""
        word = self.one if self.words.plural_category(n) == "one" else self.other
        return f"{self.words.format_number(n)} {word}"


def plural_samples(locale) -> dict:
    """One number for each CLDR plural category the locale uses, for cardinals: en -> {one: 1,
    other: 2}."""
    samples = {}
    for n in (1, 2, 0, 3, 5, 11, 21, 100, 1000000):
        samples.setdefault(locale.plural_form(n), n)
    return samples


# Script strings ----------------------------------------------------------------------------------

def script_msgids(source: str) -> tuple[list, list]:
    """The messages a script asks for: `_("...")` calls and `ngettext("...", "...", n)` calls,
    found by Babel's JavaScript extractor, as (msgids, (singular, plural) pairs)."""
    from babel.messages.extract import extract_javascript
    singles, plurals = [], []
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2)}
    for _line, func, message, _comments in extract_javascript(io.BytesIO(source.encode("utf-8")), keywords, [], {}):
        if func == "ngettext" and isinstance(message, tuple) and len(message) >= 2 and all(message[:2]):
            plurals.append(tuple(message[:2]))
        elif isinstance(message, str) and message:
            singles.append(message)
    return list(dict.fromkeys(singles)), list(dict.fromkeys(plurals))


# Translated data ----------------------------------------------------------------------------------

# The keys whose values are words a visitor reads; everything else (ids, codes, statuses, rules,
# addresses, dates, numbers) is a fact, the same in every language.
TRANSLATABLE = frozenset({
    "title", "tagline", "description", "name", "short_name", "office", "party", "summary", "text", "note",
    "label", "jurisdictions", "one", "other", "scope", "running_mate_note", "alternatives_note", "author",
})


class OverlayError(ValueError):
    """A translated data file that does more than give other words: (keypath, message, hint)."""

    def __init__(self, keypath: tuple, message: str, hint: str = ""):
        super().__init__(message)
        self.keypath, self.message, self.hint = keypath, message, hint


def overlay(base, words, keypath: tuple = (), left_out: list | None = None):
    """`base` (checked data) with the strings of `words` (the same file under data/<lang>/) put in
    place: mappings are merged key by key; lists of mappings are matched by their `id` (candidates)
    or `path` (menu items), other lists item by item. Only words can be translated: a value whose
    key is not in TRANSLATABLE, a value that is not a string where `base` has a string, or a key
    `base` does not have, raises OverlayError, so a translation can never change a fact (a status,
    a date, a number, a code). A list item the original no longer has is left out, and said in
    `left_out` as (keypath, message, hint), so that removing a menu item or a candidate from the
    original does not stop the build."""
    left_out = left_out if left_out is not None else []
    if isinstance(words, dict) and isinstance(base, dict):
        merged = dict(base)
        for key, value in words.items():
            if key not in base:
                raise OverlayError(keypath + (key,), f"'{key}' is not in the untranslated file",
                                   "a translation gives other words for keys the original has")
            merged[key] = overlay(base[key], value, keypath + (key,), left_out)
        return merged
    if isinstance(words, list) and isinstance(base, list):
        by = next((k for k in ("id", "path") if words and all(isinstance(w, dict) and k in w for w in words)), None)
        if by and all(isinstance(b, dict) for b in base):
            where = {b.get(by): i for i, b in enumerate(base)}
            merged = list(base)
            for j, item in enumerate(words):
                if item[by] not in where:
                    left_out.append((keypath + (j, by), f"{by} '{item[by]}' is not in the untranslated file, so its "
                                     "words are not used", "remove it here too, or fix the " + by))
                    continue
                i = where[item[by]]
                merged[i] = overlay(base[i], {k: v for k, v in item.items() if k != by}, keypath + (j,), left_out)
            return merged
        if len(words) > len(base):
            left_out.append((keypath + (len(base),), "the translation has more items than the original; the last "
                             "ones are not used", "translate each item in the original's order"))
        return [overlay(b, w, keypath + (i,), left_out) for i, (b, w) in enumerate(zip(base, words))] + base[len(words):]
    if isinstance(words, str) and isinstance(base, str) and keypath and keypath[-1] in TRANSLATABLE:
        return words
    raise OverlayError(keypath, "only words can be translated here",
                       "leave facts such as dates, numbers, statuses and codes to the untranslated file")


def read_translation(site_dir: Path, lang: Language, name: str, base, report):
    """`base` (the checked values of data/<name>) with the words of data/<lang folder>/<name>,
    or `base` itself when there is no such file (or after reporting, at its line, what is wrong
    with it). The default language's words are data/<name>'s own."""
    from .content import read_text
    from .errors import SiteError
    from .yamlsource import load_yaml
    rel = f"data/{lang.folder}/{name}"
    path = site_dir / "data" / lang.folder / name
    if lang.default or not path.is_file():
        return base
    try:
        words, positions = load_yaml(read_text(path, rel), rel)
    except SiteError as err:
        report.add(err)
        return base
    if not words:
        return base
    left_out: list = []
    try:
        merged = overlay(base, words, left_out=left_out)
    except OverlayError as err:
        report.error(positions.at(err.keypath), err.message, err.hint)
        return base
    for keypath, message, hint in left_out:
        report.warn(positions.at(keypath), message, hint)
    return merged


# Pages missing in a language ---------------------------------------------------------------------

def fallback_pages(pages: list, languages: tuple[Language, ...]) -> list:
    """For every page some language lacks, a page at that language's address that says, in that
    language, that the page is not written in it, and links the page that exists (in the first
    of the site's languages that has it). Template `fallback.html`; left out of the sitemap and
    of hreflang alternates, since it is not a translation."""
    from .content import Page
    if len(languages) < 2:
        return []
    found: dict[str, dict] = {}
    for page in pages:
        found.setdefault(neutral_path(page.url, languages), {})[language_of(page.url, languages).code] = page
    made = []
    for neutral, have in sorted(found.items()):
        original = next(have[lang.code] for lang in languages if lang.code in have)
        for lang in languages:
            if lang.code not in have:
                made.append(Page(url=localized_path(neutral, lang), title=original.title, template="fallback.html",
                                 source=original.source, line=original.line, description=original.description,
                                 meta={"sitemap": False, "lang": lang.code, "fallback": True},
                                 context={"original": original,
                                          "original_language": language_of(original.url, languages)}))
    return made
