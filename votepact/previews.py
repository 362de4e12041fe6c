"""Link-preview images: one 1200x630 PNG per page, drawn at build time with Pillow.

A preview is what a messenger or social network shows when someone shares a page. The left
two-thirds carry the site's mark and name, the kind of page, the page's title (as large as it
fits whole: smaller and then wrapped, never cut) and one line of context (never ending with one
word alone); the right third is a picture of the page's own, drawn from its data or its words:
the pact's arithmetic (the major candidates' votes before and after one pact) on the home page
and pages of no known kind, a candidate's ballot status state by state on a candidate's page,
the two marked ballots on a pact pairing's page, where every alternative stands on a
jurisdiction's page, the blank pact card on the card maker's page, the essay's pull quote, a
guide's cover with its first numbered steps, a pocket card with its first questions, a
section's pages numbered on a stack of sheets, a page's first questions, a page's timeline.
Every word in an image comes from the site's data, settings, catalogs or pages.

The fonts are the site's own static/fonts files (the project ships DejaVu Sans), never the
machine's, so an image comes out the same everywhere. Images are kept in the build cache under
a hash of everything drawn, so a rebuild with no changes draws nothing; many images are drawn
on every core.
"""
from __future__ import annotations

import io
import os
import re
import unicodedata
import zlib
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache

from PIL import Image, ImageColor, ImageDraw, ImageFont, features

from .cache import BuildCache
from .hashing import digest
from .errors import Location

WIDTH, HEIGHT = 1200, 630
DRAWING_VERSION = "13"
"""Change this whenever a change to the code below changes what the images look like."""

# --- The brand: every colour an image can have, in one place --------------------------------
# The site's colour roles (static/css/site.css) and its mark (static/icons/logo.svg); change them together.
INK, MUTED, PAPER, WHITE = "#1b1a2e", "#52546a", "#fbf9f4", "#ffffff"
BRAND, ON_BRAND_MUTED, ACTION = "#2a2260", "#d5d1f3", "#ffcf3f"    # the panel, quiet text on it, what a pact gains
MAJOR_A, MAJOR_B = "#8fb0ff", "#ff8f8f"                            # the mark's two rings: the two majors, on the panel
BALLOT, LINE = "#17603d", "#dedacd"                                # on the ballot, rules
RULE = "#4b35a8"                                                   # a write-in rule's tiles and legend (static/css/data.css --rule)
STATUS_FILL = {"ballot": BALLOT, "write-in": "#e9a21f", "none": "#e4e0d6", "unknown": WHITE, "here": ACTION,
               "area": ON_BRAND_MUTED}
"""Ballot status as the site's map shows it: a colour, and stripes for a write-in, so that it
reads in greyscale and for colour-blind readers; "here" and "area" light one jurisdiction among
the others (its page's preview), in the brand's gold among its lavender."""
INK_ON_GROUND = [  # (colour, what it is drawn on): the smooth edges of letters, discs and the mark
    (INK, PAPER), (MUTED, PAPER), (BRAND, PAPER), (WHITE, BRAND), (ON_BRAND_MUTED, BRAND), (ACTION, BRAND),
    (MAJOR_A, BRAND), (MAJOR_B, BRAND), (INK, WHITE), (BRAND, WHITE), (MUTED, WHITE), (BALLOT, WHITE),
    (INK, ACTION), (ACTION, WHITE), (ACTION, PAPER), (INK, STATUS_FILL["none"]), (RULE, WHITE), (WHITE, RULE)]
SOLID = [*STATUS_FILL.values(), LINE]                             # drawn only in straight-edged shapes

# --- Where things go --------------------------------------------------------------------------
MARGIN = 64
PANEL = (736, 0, WIDTH, HEIGHT)                 # the picture's coloured panel: left, top, right, bottom
PICTURE = (776, 60, WIDTH - 40, HEIGHT - 60)    # the picture inside it
RULE_TOP = HEIGHT - 92                          # the short gold rule over the address
TEXT = (MARGIN, 128, PANEL[0] - 56, RULE_TOP - 38)  # kicker, title and cue: the last line's letters end 40 px or more above the rule
MARK_TOP, MARK_SIZE, NAME_SIZE, ADDRESS_SIZE = 44, 52, 32, 24
KICKER_SIZE = 26
KICKER_SIZES = (KICKER_SIZE, 24, 22)
TITLE_SIZES = (76, 72, 68, 64, 60, 56, 52, 48, 44, 40, 36, 32, 30, 28, 26, 24, 22, 20, 18, 16)
SMALLEST_READABLE = 28                          # below this the cue gives way to the title
FONT_FILES = {"regular": "fonts/DejaVuSans.ttf", "bold": "fonts/DejaVuSans-Bold.ttf"}
"""The project's fonts: many scripts, and the fallback for the site's own."""
SITE_FONT_FILES = {"regular": "fonts/inter-regular.woff2", "bold": "fonts/inter-display-extrabold.woff2"}
"""The site's typeface, as its stylesheet loads it (subsets of the characters the site can show)."""
LAYOUT = ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC
"""Raqm shapes Arabic and orders right-to-left text; without it (rare) those come out unshaped."""


# --- What an image shows ------------------------------------------------------------------------

@dataclass(frozen=True)
class Bars:
    """The pact's arithmetic: votes per candidate before one pact and after it, as two groups of
    bars; the last bar of each group is every other candidate together."""
    names: tuple                   # the two majors' family names, then "Others"
    before: tuple                  # (10, 10, 0)
    after: tuple                   # (9, 9, 2)
    said: str = "Votes before one pact: %(before)s; after it: %(after)s"  # in the page's language

    @property
    def alt(self) -> str:
        counts = lambda values: ", ".join(f"{n} {v}" for n, v in zip(self.names, values))
        return self.said % {"before": counts(self.before), "after": counts(self.after)}


@dataclass(frozen=True)
class TileMap:
    """A candidate's ballot status in every jurisdiction, one tile each at its place on the map,
    with the count of each status under it."""
    tiles: tuple                   # ((row, column, status), ...)
    legend: tuple                  # ((status, label, count), ...) for the statuses that occur
    said: tuple = ("Map: %(legend)s", "%(label)s: %(count)s")  # in the page's language

    @property
    def alt(self) -> str:
        return self.said[0] % {"legend": "; ".join(self.said[1] % {"label": label, "count": count}
                                                   for _, label, count in self.legend)}


@dataclass(frozen=True)
class Ballots:
    """A pact pairing: two ballots side by side, each marked for the ticket one partner votes for."""
    tickets: tuple                 # ((name, running mate, party), (name, running mate, party))
    said: tuple = ("Two ballots: %(tickets)s", "%(first)s and %(last)s")  # in the page's language

    @property
    def alt(self) -> str:
        names = [f"{n}{' / ' + m if m else ''} ({p})" for n, m, p in self.tickets]
        return self.said[0] % {"tickets": self.said[1] % {"first": names[0], "last": names[1]}}


@dataclass(frozen=True)
class Standing:
    """A jurisdiction's page: its tile lit on the map, and each alternative's status there."""
    tiles: tuple                   # ((row, column), ...) of every jurisdiction
    here: tuple                    # (row, column) of this one
    rows: tuple                    # ((candidate, status, status label), ...)

    @property
    def alt(self) -> str:
        return "; ".join(f"{name}: {label}" for name, _, label in self.rows)


@dataclass(frozen=True)
class PactCard:
    """The pact card maker's card before anyone fills it in, in the card's own design: its
    title, and for each partner a placeholder name, the major candidate they would otherwise
    vote for and an empty line for the one they will vote for."""
    site_name: str
    election: str
    title: str                     # "Our vote pact"
    partners: tuple                # (("Partner 1", the first major candidate's name), ("Partner 2", the second's))
    labels: tuple                  # ("Would otherwise vote for", "Will vote for")

    @property
    def alt(self) -> str:
        return f"{self.title}: " + "; ".join(f"{name}, {self.labels[0].lower()} {major}, {self.labels[1].lower()} …"
                                             for name, major in self.partners)


@dataclass(frozen=True)
class Quote:
    """An essay's pull quote, word for word, with its author's name, set large."""
    text: str
    by: str

    @property
    def alt(self) -> str:
        return f"\u201c{self.text}\u201d \u2014 {self.by}"


@dataclass(frozen=True)
class GuideCover:
    """A guide's cover: its title over the first of its numbered steps."""
    title: str
    heading: str                   # the heading above the steps: "Steps"
    steps: tuple

    @property
    def alt(self) -> str:
        return f"{self.heading}: " + " ".join(f"{i}. {s}" for i, s in enumerate(self.steps, 1))  # the title is the card's


@dataclass(frozen=True)
class PocketCard:
    """A guide's pocket card: a small card with cut marks, the guide's title and its questions."""
    title: str
    kind: str                      # "Pocket card"
    questions: tuple

    @property
    def alt(self) -> str:
        return f"{self.kind}: " + " ".join(f"{i}. {q}" for i, q in enumerate(self.questions, 1))  # the title is the card's


@dataclass(frozen=True)
class Contents:
    """A section's index: the titles of its pages, numbered, on a stack of covers."""
    titles: tuple

    @property
    def alt(self) -> str:
        return " ".join(f"{i}. {t}" for i, t in enumerate(self.titles, 1))


@dataclass(frozen=True)
class Questions:
    """A page of questions and answers: its first questions."""
    questions: tuple

    @property
    def alt(self) -> str:
        return " ".join(self.questions)


@dataclass(frozen=True)
class Timeline:
    """A page's timeline: each date and what happened then."""
    events: tuple                  # ((when, what), ...)

    @property
    def alt(self) -> str:
        return "; ".join(f"{when}: {what}" for when, what in self.events)


@dataclass(frozen=True)
class Reach:
    """The list of candidates: how many jurisdictions each alternative was on the ballot in, and
    where votes written in for them were recorded, as one bar each out of all jurisdictions."""
    rows: tuple                    # ((name, on the ballot, written in), ...)
    total: int                     # every jurisdiction
    legend: tuple                  # (("ballot", "On the ballot"), ("write-in", "Write-in votes recorded"))

    @property
    def alt(self) -> str:
        return "; ".join(f"{name}: {self.legend[0][1]} {n}/{self.total}" + (f", {self.legend[1][1]} {w}" if w else "")
                         for name, n, w in self.rows)


@dataclass(frozen=True)
class Picker:
    """The list of jurisdictions: every one's tile at its place on the map, with its code, marked
    by its write-in rule as the site's states map marks it, in indigo (solid: write-ins for anyone
    counted; striped: only for candidates who filed in advance; pale with a small ×: never counted;
    dotted: not confirmed), and a legend of the rules that occur, in the site legend's words."""
    tiles: tuple                   # ((row, column, code, write-in rule), ...)
    legend: tuple = ()             # ((write-in rule, label), ...) in the site legend's order

    @property
    def alt(self) -> str:
        if not self.legend:
            return " ".join(code for _, _, code, _ in self.tiles)
        return "; ".join(f"{label}: " + " ".join(code for _, _, code, r in self.tiles if r == rule)
                         for rule, label in self.legend)


@dataclass(frozen=True)
class Card:
    """Everything one preview image shows, and nothing else: its hash is the image's cache key."""
    title: str
    site_name: str
    address: str                   # the site's address without the scheme: "votepact.org"
    kicker: str = ""               # the kind of page, above the title
    cue: tuple = ()                # short lines under the title
    picture: object = None         # one of PICTURES' kinds (Bars, TileMap, Quote, ...) or None
    title_lines: int = 0           # the most lines the title may take (0: as many as fit); smaller type rather than more

    @property
    def alt(self) -> str:
        """The image in words, for og:image:alt."""
        parts = [self.kicker, self.title, *self.cue, self.picture.alt if self.picture else "", self.site_name]
        return ". ".join(p.rstrip(".") for p in parts if p) + "."


@dataclass(frozen=True)
class Preview:
    path: str                      # site path of the image: "/previews/faq.png"
    card: Card
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def alt(self) -> str:
        return self.card.alt


def image_path(url: str) -> str:
    """Where a page's preview lives: '/' -> /previews/index.png, '/faq/' -> /previews/faq.png."""
    name = url.strip("/").removesuffix(".html") or "index"
    return f"/previews/{name}.png"


def plan(pages, data, words) -> dict:
    """A Preview for every page, by page URL: each page's card in its own language, from that
    language's data (data.SiteData) and catalogs (words, an i18n.Localizer)."""
    from .i18n import language_of
    by_url = {p.url: p for p in pages}
    planned = {}
    for p in pages:
        lang = language_of(p.url, data.settings.languages)
        here = data.language(lang.code)
        words.use(lang)
        planned[p.url] = Preview(image_path(p.url), card_for(p, here.settings, here.election, by_url, words.gettext))
    return planned


def _same(text: str) -> str:
    return text


def card_for(page, settings, election, pages: dict, _=None) -> Card:
    """What the page's preview shows, by the kind of page, each with a picture of its own drawn
    from its own content: a candidate's, a pairing's or a jurisdiction's page (known by what the
    page carries in its context), a pocket card, the pact card maker, an essay (its pull quote),
    a guide (its first numbered steps), the home page (the pact's arithmetic), the lists of
    candidates (where each was on the ballot) and of jurisdictions (the picker's map), a
    section's index (its pages, numbered), a page of questions (the first of them), a page with
    a timeline. A translation without an essay's front matter of its own (the Spanish page that
    presents the English essay) quotes the default language's essay, word for word.
    `pages` is every page of the site by URL (for a section's title and pages, and for the
    default language's page of a translation). Any other page, of a kind this function does not
    know, gets the general card: its title, its description and the pact's arithmetic."""
    from .election import BALLOT_STATUSES, State, WRITE_IN_RULES

    _ = _ or _same  # gettext of the page's language
    card = Card(title=page.title, site_name=settings.title, address=site_address(settings.base_url),
                picture=pact_bars(settings, election, _))
    meta, ctx = page.meta, page.context
    jurisdiction = next((v for v in ctx.values() if isinstance(v, State)), None)
    if "candidate" in ctx:
        c = ctx["candidate"]
        legend = tuple((s, _(label), c.count(s)) for s, label in BALLOT_STATUSES.items() if c.count(s))
        tiles = tuple((b.state.tile[0], b.state.tile[1], b.status) for b in c.ballot.values())
        on_ballot = _("On the ballot in %(n)s of %(total)s") % {"n": c.count("ballot"), "total": len(election.states)}
        return replace(card, title=c.ticket, kicker=f"{c.party} · {election.name}", cue=(on_ballot,),
                       picture=TileMap(tiles, legend, (_("Map: %(legend)s"), _("%(label)s: %(count)s"))))
    if "pairing" in ctx:
        a, b = ctx["pairing"]
        return replace(card, kicker=election.name, cue=(sentence(settings.tagline),) if settings.tagline else (),
                       picture=Ballots(tuple((c.name, c.running_mate, c.party) for c in (a, b)),
                                       (_("Two ballots: %(tickets)s"), _("%(first)s and %(last)s"))))
    if jurisdiction is not None:
        rows = tuple((c.name, c.ballot[jurisdiction.code].status, _(BALLOT_STATUSES[c.ballot[jurisdiction.code].status]))
                     for c in election.alternatives if jurisdiction.code in c.ballot)
        # a headline of its own, short enough for two lines (the page's title names every alternative)
        return replace(card, title=_("What’s on %(place)s’s ballot?") % {"place": jurisdiction.name}, title_lines=2,
                       kicker=f"{jurisdiction.name} · {election.short_name}",
                       cue=(_(WRITE_IN_RULES[jurisdiction.write_ins]),) if jurisdiction.write_ins in WRITE_IN_RULES else (),
                       picture=Standing(tuple(s.tile for s in election.states.values()), jurisdiction.tile, rows))
    if "pocket_card_of" in ctx:
        guide, count = ctx["pocket_card_of"], ctx["pocket_items"]
        questions = tuple(q for q, _answer in pocket_questions(guide.markdown))[:POCKET_QUESTIONS]
        return replace(card, title=guide.title, kicker=_("Pocket card to print"),
                       cue=(_("%(count)s questions with short answers, on a card for your pocket") % {"count": count},),
                       picture=PocketCard(guide.title, _("Pocket card"), questions) if questions else card.picture)
    if page.template.removesuffix(".html") == "pact":
        return replace(card, kicker=election.name, cue=(page.description or settings.description,),
                       picture=blank_pact_card(settings, election, _))
    essay = meta if meta.get("author") else _original(page, settings, pages).meta
    if essay.get("author"):
        when = essay.get("date").year if essay.get("date") else essay.get("year", "")
        quote = next((q for q in essay.get("pull_quotes") or () if isinstance(q, dict) and q.get("text")), None)
        return replace(card, kicker=_("Essay"), cue=(_("By %(author)s") % {"author": essay["author"]}
                                                     + (f", {when}" if when else ""),),
                       picture=Quote(quote["text"], quote.get("by") or essay["author"]) if quote else card.picture)
    section = _section(page, settings, pages)
    if meta.get("audience") or meta.get("duration"):
        kicker = " · ".join(x for x in (section.title if section else _("Guide"), meta.get("duration", "")) if x)
        heading, steps = numbered_steps(page.markdown)
        return replace(card, kicker=kicker,
                       cue=(_("For: %(audience)s") % {"audience": meta["audience"]},) if meta.get("audience") else (),
                       picture=GuideCover(page.title, heading, steps) if steps else card.picture)
    if page.url == "/" or page.title == settings.title:
        # The site's name is already at the top of every image: the home page shows its promise.
        title = settings.tagline or page.description or settings.description
        more = page.description or settings.description
        return replace(card, title=title, kicker=election.name, cue=(more,) if more != title else ())
    card = replace(card, kicker=section.title if section else "", cue=(page.description or settings.description,))
    if page.template == "candidates.html" and election.alternatives:
        return replace(card, picture=Reach(tuple((c.name, c.count("ballot"), c.count("write-in"))
                                                 for c in election.alternatives), len(election.states),
                                           tuple((s, _(BALLOT_STATUSES[s])) for s in ("ballot", "write-in"))))
    if page.template == "states.html" and election.states:
        rules = [r for r in WRITE_IN_RULES if any(s.write_ins == r for s in election.states.values())]
        return replace(card, picture=Picker(tuple((*s.tile, s.code, s.write_ins) for s in election.states.values()),
                                            tuple((r, _(WRITE_IN_RULES[r])) for r in rules)))
    if page.is_section_index:
        inside = sorted((p for p in pages.values() if _parent(p.url) == page.url),
                        key=lambda p: (p.order, p.title))
        if inside:
            return replace(card, picture=Contents(tuple(p.title for p in inside)))
    questions = page_questions(page.markdown)
    if len(questions) >= 3:
        return replace(card, picture=Questions(questions[:QUESTIONS]))
    events = timeline(page.markdown)
    if len(events) >= 3:
        # the front matter's short lines (preview_timeline, one a date, in order) stand for the
        # definitions, which are sentences for the page and too long for a picture
        short = tuple(meta.get("preview_timeline") or ())
        events = tuple((when, short[i] if i < len(short) else what) for i, (when, what) in enumerate(events))
        return replace(card, picture=Timeline(events))
    return card


def sentence(text: str) -> str:
    """A tagline set as a subtitle, ended like the subtitles under the other titles: with a full
    stop when it ends in a letter or digit ('。' in Chinese and Japanese); any ending it has is kept."""
    text = text.rstrip()
    if not text or not unicodedata.category(text[-1])[0] in "LN":
        return text
    return text + ("\u3002" if unicodedata.east_asian_width(text[-1]) in "WF" else ".")


QUESTIONS, POCKET_QUESTIONS = 5, 5
"""How many of a page's questions its picture shows, and of a pocket card's."""


def _parent(url: str) -> str:
    """The folder a page is in: '/guides/x/' -> '/guides/', '/faq/' -> '/'."""
    return url[:url.rstrip("/").rfind("/") + 1]


def _section(page, settings, pages: dict):
    """The page of the section a page is in ('/guides/' for /guides/x/ and /es/guides/ for
    /es/guides/x/), or None on a language's top level."""
    from .i18n import neutral_path
    parent = pages.get(_parent(page.url))
    if parent is None or parent is page or neutral_path(parent.url, settings.languages) == "/":
        return None
    return parent


def _original(page, settings, pages: dict):
    """The default language's page of a translation (the page itself when there is none)."""
    from .i18n import neutral_path
    return pages.get(neutral_path(page.url, settings.languages), page)


# --- What a page says, for its picture: read from its Markdown ---------------------------------

_ATTRS = re.compile(r"\s*\{[#.:][^}]*\}")           # {#id} and {.class} after a heading or a link
_FOOTNOTE = re.compile(r"\[\^[^\]]+\]")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|`)")


def plain(markdown: str) -> str:
    """A line of Markdown as the reader sees its words: no links' addresses, footnote marks,
    attributes, emphasis marks or HTML tags."""
    text = _FOOTNOTE.sub("", _ATTRS.sub("", markdown))
    text = _LINK.sub(r"\1", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r'"([^"]*)"', "\u201c\\1\u201d", text).replace("'", "\u2019")  # as the site's typography sets them
    return " ".join(_EMPHASIS.sub("", text).split())


def numbered_steps(markdown: str, most: int = 4) -> tuple[str, tuple]:
    """(the heading above it, its items) of the first numbered list: each item's words in bold
    at its start where it has them ('**Listen.** Let the other...' -> 'Listen.'), else the item
    whole; at most `most` items."""
    heading, steps = "", []
    for line in markdown.splitlines():
        if steps and not re.match(r"\d+\.\s|\s|$", line):
            break
        if line.startswith("#") and not steps:
            heading = plain(line.lstrip("#"))
        item = re.match(r"\d+\.\s+(.*)", line)
        if item and len(steps) < most:
            lead = re.match(r"\*\*(.+?)\*\*", item.group(1))
            steps.append(plain(lead.group(1) if lead else item.group(1)).rstrip(",:;"))
    return heading, tuple(steps)


def pocket_questions(markdown: str) -> list[tuple[str, str]]:
    """A pocket card's questions and answers (pdfs.pocket_items), as the card shows them."""
    from .pdfs import pocket_items
    return [(plain(q), plain(a)) for q, a in pocket_items(markdown)]


def page_questions(markdown: str) -> tuple:
    """The page's headings that are questions ('## Can I trust my partner? {#trust}'), in order."""
    found = (plain(m.group(1)) for m in re.finditer(r"^##\s+(.+)$", markdown, re.M))
    return tuple(q for q in found if q.endswith("?"))


def timeline(markdown: str) -> tuple:
    """(term, definition) of each entry of the page's definition lists ('2004' then ':   In
    October, ...'), the definition's first paragraph in plain words."""
    events, lines = [], markdown.splitlines()
    for term, definition in zip(lines, lines[1:]):
        if term.strip() and not term.startswith((" ", ":", "#", "-", "*", ">")) and definition.startswith(":"):
            events.append((plain(term), plain(definition[1:])))
    return tuple(events)


def pact_bars(settings, election, _=None) -> Bars:
    """The home page's picture: each major candidate starts with `illustration_voters` votes;
    one pact moves one from each to the others."""
    n = settings.illustration_voters
    majors = election.majors[:2]
    names = tuple(c.name.split()[-1] for c in majors)
    if len(set(names)) < len(names):  # two of one family name: their full names
        names = tuple(c.name for c in majors)
    _ = _ or _same
    names += (_("Others"),)
    return Bars(names, (n, n, 0), (n - 1, n - 1, 2), _("Votes before one pact: %(before)s; after it: %(after)s"))


def blank_pact_card(settings, election, _=None) -> PactCard:
    """The pact card maker's picture: the card as the maker shows it before anything is typed
    (its words from the maker's catalog), one partner for each major candidate."""
    _ = _ or _same
    majors = election.majors[:2]
    return PactCard(settings.title, election.name, _("Our vote pact"),
                    tuple((_("Partner %(i)s") % {"i": i}, c.name) for i, c in enumerate(majors, 1)),
                    (_("Would otherwise vote for"), _("Will vote for")))


def site_address(base_url: str) -> str:
    return base_url.split("://", 1)[-1].rstrip("/")


# --- Fonts ----------------------------------------------------------------------------------------

class Fonts:
    """Two font files (regular and bold), their sizes on demand, and the fonts to draw a card
    with instead when these lack a glyph for its text (`fallback`, or None)."""

    def __init__(self, regular: bytes, bold: bytes, fallback: "Fonts | None" = None):
        self.data = {"regular": regular, "bold": bold}
        self.fallback = fallback
        self.digest = digest(regular, bold, str(LAYOUT), fallback.digest if fallback else "")

    @classmethod
    def from_assets(cls, assets: dict) -> "Fonts":
        """The site's own typeface where its static files have it (the web fonts site.css loads),
        with the project's DejaVu behind it for the scripts it lacks; else DejaVu alone."""
        fallback = cls(*(assets[name].data for name in FONT_FILES.values()))
        if all(name in assets for name in SITE_FONT_FILES.values()):
            return cls(*(assets[name].data for name in SITE_FONT_FILES.values()), fallback=fallback)
        return fallback

    @property
    def chain(self) -> list["Fonts"]:
        return [self] + (self.fallback.chain if self.fallback else [])

    def for_text(self, text: str) -> "Fonts":
        """These fonts, or the first fallback that draws every character of `text` (these if none does)."""
        chars = set(text)
        for fonts in self.chain:
            if all(fonts.draws(ch) for ch in chars if _visible(ch)):
                return fonts
        return self

    def draws(self, ch: str) -> bool:
        return ord(ch) in self.characters

    @cached_property
    def characters(self) -> frozenset:
        """The code points both fonts have a glyph for (their character maps, read by fontTools)."""
        from fontTools.ttLib import TTFont
        maps = [TTFont(io.BytesIO(data), lazy=True).getBestCmap() for data in self.data.values()]
        return frozenset(maps[0]).intersection(*maps[1:])

    def get(self, weight: str, size: int) -> ImageFont.FreeTypeFont:
        return _font(self.data[weight], size)


def _visible(ch: str) -> bool:
    return not ch.isspace() and unicodedata.category(ch)[0] != "C"


@lru_cache(maxsize=64)
def _font(data: bytes, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(io.BytesIO(data), size, layout_engine=LAYOUT)


def check_fonts(pages, previews: dict, fonts: Fonts, report) -> None:
    """Warn where a preview would show empty boxes: text none of the fonts has glyphs for (DejaVu
    has none for Chinese, Japanese or Korean)."""
    for page in pages:
        if page.url not in previews:
            continue
        text = card_text(previews[page.url].card)
        drawing = fonts.for_text(text)
        missing = "".join(dict.fromkeys(ch for ch in text if _visible(ch) and not drawing.draws(ch)))
        if missing:
            report.warn(Location(page.source, page.line), f"the preview image of {page.url} cannot show {missing[:20]}: "
                        f"the fonts have no glyphs for them", f"replace static/fonts/{FONT_FILES['regular'][6:]} and "
                        f"{FONT_FILES['bold'][6:]} with fonts that have them, under the same names")


def card_text(card: Card) -> str:
    """Every character a card draws."""
    return "".join([card.title, card.kicker, card.site_name, card.address, *card.cue,
                    card.picture.alt if card.picture else ""])


@dataclass
class Text:
    """One line of text placed on the image."""
    text: str
    font: ImageFont.FreeTypeFont
    xy: tuple
    fill: str
    frame: bool = False            # part of the frame every image of the site shares (name, address)

    @property
    def bbox(self) -> tuple:
        """The pixels the line covers: (left, top, right, bottom)."""
        left, top, right, bottom = self.font.getbbox(self.text)
        return (self.xy[0] + left, self.xy[1] + top, self.xy[0] + right, self.xy[1] + bottom)


@dataclass
class Layout:
    """The lines of text of one image, and the size and lines the title was given."""
    texts: list = field(default_factory=list)
    title_size: int = 0
    title_lines: list = field(default_factory=list)


def layout(card: Card, fonts: Fonts) -> Layout:
    """Where every line of text goes: the site's name beside its mark at the top, its address at
    the bottom, and between them the kicker, the title and the cue, at the largest title size at
    which the whole title fits (the cue gives way first: shorter, then left out)."""
    out = Layout()
    left, top, right, bottom = TEXT
    width = right - left
    name_font, address_font = fonts.get("bold", NAME_SIZE), fonts.get("regular", ADDRESS_SIZE)
    name_left = MARGIN + MARK_SIZE + 18
    out.texts.append(_middle(fit(card.site_name, name_font, right - name_left), name_font, name_left,
                             MARK_TOP + MARK_SIZE / 2, INK, frame=True))
    out.texts.append(_middle(fit(card.address, address_font, width), address_font, MARGIN, HEIGHT - 58, MUTED,
                             frame=True))

    kicker_font = fit_size(card.kicker, fonts, "bold", KICKER_SIZES, width)
    kicker = fit(card.kicker, kicker_font, width) if card.kicker else ""
    kicker_height = round(KICKER_SIZE * 1.25) + 18 if kicker else 0
    size, lines, cue_font, cue_lines = _fit_block(card, fonts, width, bottom - top - kicker_height)
    leading = round(size * 1.16)
    cue_leading = round(cue_font.size * 1.3) if cue_font else 0
    block = kicker_height + leading * len(lines) + (22 + cue_leading * len(cue_lines) if cue_lines else 0)
    y = top + max(0, (bottom - top - block) // 3)  # a third of the room above, two below: the eye's middle is above the middle
    if kicker:
        out.texts.append(_line(kicker, kicker_font, left, y, BRAND, right))
        y += kicker_height
    title_font = fonts.get("bold", size)
    for line in lines:
        out.texts.append(_line(line, title_font, left, y, INK, right))
        y += leading
    y += 22
    for line in cue_lines:
        out.texts.append(_line(line, cue_font, left, y, MUTED, right))
        y += cue_leading
    out.title_size, out.title_lines = size, lines
    return out


def _fit_block(card: Card, fonts: Fonts, width: int, height: int) -> tuple:
    """(title size, title lines, cue font, cue lines): the largest title that fits whole with the
    whole cue under it (the cue in a smaller size if need be); failing that, with the cue cut
    to two lines; failing that, without the cue. Only a title of a thousand characters or more
    is ever cut (with an ellipsis)."""
    leading = lambda size: round(size * 1.16)
    for whole, cue_lines_max, smallest in ((True, 4, 40), (False, 2, SMALLEST_READABLE), (False, 0, 0)):
        for size in (s for s in TITLE_SIZES if s >= smallest):
            if size > TITLE_SIZES[-1] and _widest_word(card.title, fonts, size) > width:
                continue           # smaller, rather than a word broken in two
            lines = quick_wrap(card.title, fonts, "bold", size, width)
            if leading(size) * len(lines) > height or (card.title_lines and len(lines) > card.title_lines):
                continue
            lines = no_widow(exact(lines, card.title, fonts.get("bold", size), width), fonts.get("bold", size), width)
            room = height - leading(size) * len(lines)
            if room < 0 or (card.title_lines and len(lines) > card.title_lines):
                continue
            if not card.cue or not cue_lines_max:
                return size, lines, None, []
            for cue_size in range(max(22, min(30, round(size * 0.5))), 19, -2):
                cue_font = fonts.get("regular", cue_size)
                fits = lambda lines: len(lines) <= cue_lines_max and 22 + round(cue_size * 1.3) * len(lines) <= room
                if whole:
                    guess = [quick_wrap(cue, fonts, "regular", cue_size, width) for cue in card.cue]
                    if not fits([line for lines in guess for line in lines]):
                        continue
                    cue_lines = [line for cue, lines in zip(card.cue, guess)
                                 for line in no_widow(exact(lines, cue, cue_font, width), cue_font, width)]
                else:
                    cue_lines = [line for cue in card.cue for line in wrap(cue, cue_font, width, max_lines=2)][:2]
                if fits(cue_lines):
                    return size, lines, cue_font, cue_lines
    size = TITLE_SIZES[-1]
    lines = wrap(card.title, fonts.get("bold", size), width, max_lines=max(1, height // leading(size)))
    return size, lines, None, []


def _middle(text: str, font, left: float, middle: float, fill: str, frame: bool = False) -> Text:
    """A line whose letters are centred on the height `middle`."""
    top, bottom = font.getbbox("Hg")[1::2]
    return Text(text, font, (left, round(middle - (top + bottom) / 2)), fill, frame)


def _line(text: str, font, left: float, top: float, fill: str, right: float) -> Text:
    """A line from the left edge of its column, or from the right one when the text reads right to left."""
    if is_rtl(text):
        left = right - font.getlength(text)
    return Text(text, font, (left, top), fill)


def is_rtl(text: str) -> bool:
    """True when the first letter with a direction reads right to left (Arabic, Hebrew)."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def wrap(text: str, font, width: float, max_lines: int = 0) -> list[str]:
    """Lines no wider than `width`, broken between words; a word too long for a line (a URL,
    Chinese or Japanese text without spaces) is broken between characters. With `max_lines`,
    what does not fit ends in an ellipsis."""
    lines: list[str] = []
    line = ""
    for word in _words(text):
        for piece in _pieces(word, font, width):
            candidate = f"{line} {piece}" if line else piece
            if font.getlength(candidate) <= width:
                line = candidate
            else:
                lines.append(line)
                line = piece
    if line:
        lines.append(line)
    if max_lines and len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = fit(lines[-1] + " …", font, width, force=True)
    return lines


def no_widow(lines: list[str], font, width: float) -> list[str]:
    """The lines with no short last line: never one word alone, nor two words under a text of six
    or more when that can be avoided. Words come down from the line above when they fit there;
    else the text is wrapped narrower, as long as that takes no more lines (a line cut short with
    an ellipsis is left as it is)."""
    if len(lines) < 2 or lines[-1].endswith("…"):
        return lines
    words = len(" ".join(lines).split(" "))
    for fewest in ((3, 2) if words >= 6 else (2,)):
        if len(lines[-1].split(" ")) >= fewest:
            return lines
        kept = _longer_last_line(lines, font, width, fewest)
        if kept:
            return kept
    return lines


def _longer_last_line(lines: list[str], font, width: float, fewest: int) -> list[str] | None:
    """The same text in as many lines with at least `fewest` words on the last, or None: wrapped
    a little narrower (an even rag) if that does it, else with words brought down from above."""
    text = " ".join(lines)
    for narrower in (0.95, 0.9, 0.85, 0.8, 0.75, 0.7):
        tried = wrap(text, font, width * narrower)
        if len(tried) == len(lines) and " ".join(tried) == text and len(tried[-1].split(" ")) >= fewest:
            return tried           # (the same words: none broken to fit the narrower column)
    last, above = lines[-1].split(" "), lines[-2].split(" ")
    down = fewest - len(last)
    if len(above) > down:
        moved = [*lines[:-2], " ".join(above[:-down]), " ".join(above[-down:] + last)]
        if font.getlength(moved[-1]) <= width and len(moved[-2].split(" ")) >= min(2, len(above)):
            return moved
    return None


def lines_of(text: str, font, width: float, max_lines: int = 0) -> list[str]:
    """`wrap`'s lines with no word alone on the last one: for the words inside a picture."""
    return no_widow(wrap(text, font, width, max_lines), font, width)


def quick_wrap(text: str, fonts: Fonts, weight: str, size: int, width: float) -> list[str]:
    """About the lines of `wrap`, found from the width of each word measured once at one size
    and scaled (measuring is most of the cost of trying sizes one after another); `exact`
    checks the lines chosen at their own size."""
    words = _words(text)
    measured = _word_widths(fonts, weight, tuple(words))
    scale = size / REFERENCE_SIZE * 1.01
    space = measured[" "] * scale
    lines, line, line_width = [], [], 0.0
    for word in words:
        w = measured[word] * scale
        if w > width:
            return wrap(text, fonts.get(weight, size), width)
        if line and line_width + space + w > width:
            lines.append(" ".join(line))
            line, line_width = [], 0.0
        line_width += (space if line else 0) + w
        line.append(word)
    if line:
        lines.append(" ".join(line))
    return lines


def exact(lines: list[str], text: str, font, width: float) -> list[str]:
    """The lines of `quick_wrap` if each, measured at its own size, is within `width`; else `wrap`'s."""
    if any(font.getlength(line) > width for line in lines):
        return wrap(text, font, width)
    return lines


def _widest_word(text: str, fonts: Fonts, size: int) -> float:
    widths = _word_widths(fonts, "bold", tuple(_words(text)))
    return max(widths.values()) * size / REFERENCE_SIZE


REFERENCE_SIZE = 100
_WIDTHS: dict[tuple, float] = {}


def _word_widths(fonts: Fonts, weight: str, words: tuple) -> dict:
    """The width of each word (and of a space) at REFERENCE_SIZE, each measured once a build."""
    font = None
    widths = {}
    for word in (*words, " "):
        key = (fonts.digest, weight, word)
        if key not in _WIDTHS:
            font = font or fonts.get(weight, REFERENCE_SIZE)
            _WIDTHS[key] = font.getlength(word)
        widths[word] = _WIDTHS[key]
    return widths


def _words(text: str) -> list[str]:
    """Words, with a lone sign (the '/' between a candidate and a running mate, a '·', a '–')
    kept with the word before it, so that no line starts with it; a sign that opens the text
    goes with the word after it."""
    words: list[str] = []
    for word in re.split(r"[ \t\r\n]+", text.strip()):
        if not word:
            continue
        if words and _lone_sign(word):
            words[-1] += "\u00a0" + word
        elif len(words) == 1 and _lone_sign(words[0]):
            words[0] += "\u00a0" + word
        else:
            words.append(word)
    return words


def _lone_sign(word: str) -> bool:
    return len(word) == 1 and not word.isalnum()


def _pieces(word: str, font, width: float) -> list[str]:
    if font.getlength(word) <= width:
        return [word]
    pieces, piece = [], ""
    for ch in word:
        if piece and font.getlength(piece + ch) > width:
            pieces.append(piece)
            piece = ""
        piece += ch
    return pieces + [piece]


def fit(text: str, font, width: float, force: bool = False) -> str:
    """The text, cut short with an ellipsis if it is wider than `width` (for names and labels in
    the frame and the picture; a title is never cut this way)."""
    if not force and font.getlength(text) <= width:
        return text
    text = text.removesuffix(" …").rstrip()
    while text and font.getlength(text + "…") > width:
        text = text[:-1]
    return text.rstrip(" ,;:·–") + "…"


def fit_size(text: str, fonts: Fonts, weight: str, sizes: tuple, width: float) -> ImageFont.FreeTypeFont:
    """The largest of `sizes` at which the text fits `width` (the smallest if none does)."""
    for size in sizes:
        font = fonts.get(weight, size)
        if font.getlength(text) <= width:
            return font
    return font


# --- Drawing ----------------------------------------------------------------------------------------

def draw(card: Card, fonts: Fonts) -> bytes:
    """The preview as PNG bytes: the same card and fonts always give the same bytes.

    The frame (paper, mark, name, address, picture) is drawn once per picture and kept in
    palette form. Each card's kicker, title and cue are drawn as ink coverage (one byte a
    pixel), and each line's coverage becomes the palette's blend of its colour into the paper:
    a third of the work of drawing in colour and matching every pixel to the palette after."""
    fonts = fonts.for_text(card_text(card))
    placed = layout(card, fonts)
    image = _frame(card.picture, card.site_name, card.address, fonts).copy()
    left, top, right, bottom = TEXT[0], TEXT[1] - 8, TEXT[2], TEXT[3] + 8
    column = Image.new("L", (right - left, bottom - top), 0)
    pen = ImageDraw.Draw(column)
    lines = [t for t in placed.texts if not t.frame]
    for t in lines:
        pen.text((t.xy[0] - left, t.xy[1] - top), t.text, font=t.font, fill=255)
    bands: dict[str, list] = {}    # colour -> the rows its lines cover (lines of one colour are stacked together)
    for t in lines:
        ascent, descent = t.font.getmetrics()
        rows = bands.setdefault(t.fill, [t.xy[1], t.xy[1]])
        rows[0], rows[1] = min(rows[0], t.xy[1]), max(rows[1], t.xy[1] + ascent + descent)
    for colour, (first, last) in bands.items():
        band = (0, max(0, int(first) - top - 4), right - left, min(bottom - top, int(last) - top + 4))
        column.paste(column.crop(band).point(_blend_into_paper(colour)), band[:2])
    column.putpalette(_palette().getpalette())
    image.paste(column, (left, top))
    buf = io.BytesIO()
    image.save(buf, format="PNG", compress_level=PNG_LEVEL, compress_type=zlib.Z_RLE)
    return buf.getvalue()


@lru_cache(maxsize=8)
def _blend_into_paper(colour: str) -> list[int]:
    """For each ink coverage 0-255, the palette index of `colour` laid that thickly on the paper."""
    index = {c: i for i, c in enumerate(_palette_colours())}
    ink, paper = ImageColor.getrgb(colour), ImageColor.getrgb(PAPER)
    steps = _steps()
    return [index[_blend(ink, paper, round(v / 255 * (steps - 1)), steps)] for v in range(256)]


PNG_LEVEL = 6
"""With zlib's run-length strategy (rows of one colour are most of an image) the level hardly
matters: 2 to 3 ms and about 23 KB an image, against 9 ms and 20 KB for the default strategy."""


@lru_cache(maxsize=16)
def _frame(picture, site_name: str, address: str, fonts: Fonts) -> Image.Image:
    """Everything but the kicker, title and cue, in palette form (kept: most pages share it)."""
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    pen = ImageDraw.Draw(image)
    pen.rectangle(PANEL, fill=BRAND)
    mark = _mark(MARK_SIZE)
    image.paste(mark, (MARGIN, MARK_TOP), mark)
    for t in layout(Card(title="", site_name=site_name, address=address), fonts).texts:
        if t.frame:
            pen.text(t.xy, t.text, font=t.font, fill=t.fill)
    pen.rectangle((MARGIN, RULE_TOP, MARGIN + 56, RULE_TOP + 6), fill=ACTION)
    if picture is not None:
        PICTURES[type(picture)](picture, image, pen, fonts, PICTURE)
    return image.quantize(palette=_palette(), dither=Image.Dither.NONE)


@lru_cache(maxsize=4)
def _mark(size: int) -> Image.Image:
    """The site's mark (static/icons/logo.svg: two rings, one for each side, and a tick), drawn four
    times larger and scaled down for smooth edges."""
    s = size * 4
    u = s / 40                                      # the logo's 40-unit grid
    mark = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    pen = ImageDraw.Draw(mark)
    pen.rounded_rectangle((0, 0, s - 1, s - 1), radius=round(9 * u), fill=BRAND)
    for cx, colour in ((15, MAJOR_A), (25, MAJOR_B)):
        pen.ellipse(((cx - 10.75) * u, 9.25 * u, (cx + 10.75) * u, 30.75 * u), outline=colour, width=round(3.5 * u))
    _stroke(pen, [(14.5 * u, 20.5 * u), (18.5 * u, 24.5 * u), (27 * u, 15 * u)], ACTION, round(4 * u))
    return mark.resize((size, size), Image.Resampling.LANCZOS)


def _stroke(pen, points: list, colour: str, width: int) -> None:
    """A tick's line through `points`, with round ends."""
    pen.line(points, fill=colour, width=width, joint="curve")
    r = width / 2 - 0.5
    for x, y in (points[0], points[-1]):
        pen.ellipse((x - r, y - r, x + r, y + r), fill=colour)


@lru_cache(maxsize=4)
def _ticked_box(size: int, colour: str, ground: str) -> Image.Image:
    """A ballot's box with a tick in it, smooth-edged like the mark."""
    s = size * 4
    box = Image.new("RGB", (s, s), ground)
    pen = ImageDraw.Draw(box)
    pen.rectangle((0, 0, s - 1, s - 1), outline=colour, width=s // 12)
    _stroke(pen, [(0.25 * s, 0.52 * s), (0.43 * s, 0.70 * s), (0.77 * s, 0.31 * s)], colour, max(2, round(0.13 * s)))
    return box.resize((size, size), Image.Resampling.LANCZOS)


TILE_LOOK = {"ballot": ("solid", BALLOT), "write-in": ("striped", STATUS_FILL["write-in"]),
             "printed-not-counted": ("crossed", INK), "none": ("not counted", ""), "unknown": ("dotted", INK),
             "here": ("solid", ACTION), "area": ("solid", ON_BRAND_MUTED)}
"""A ballot status's tile as a ticket's map draws it (templates/_facts.html, static/css/data.css):
solid counts, striped counts with a condition, pale with a small × not counted, dotted not known."""
RULE_LOOK = {"any": ("solid", RULE), "registered": ("striped", RULE), "none": ("not counted", ""),
             "unknown": ("dotted", INK)}
"""A write-in rule's tile as the states' map draws it: the same language in the rule's indigo."""


def _tile(image, pen, box, status: str, outline: str = "", look: dict = TILE_LOOK) -> None:
    """One jurisdiction's tile in `box` (left, top, right, bottom, px), as the site's maps draw it:
    a square with corners rounded 7/44 of its side, solid, striped, crossed, dotted, or pale with
    a small ink × inside its top right corner (`look`: status -> (pattern, colour)); an unknown
    status is dotted. Light tiles get a thin rule round them so they stand out on white."""
    left, top, right, bottom = (round(v) for v in box)
    size = right - left
    radius = max(2, round(size * 7 / 44))
    pattern, colour = look.get(status, ("dotted", INK))
    if pattern == "solid":
        pen.rounded_rectangle((left, top, right, bottom), radius, fill=colour)
    elif pattern == "not counted":
        pen.rounded_rectangle((left, top, right, bottom), radius, fill=STATUS_FILL["none"])
        u = size / 44                         # the site's × at 34..39 of 44, a little larger: it must read small
        arm, width, inset = max(6, 8 * u), max(2, round(3 * u)), max(3, 5 * u)
        x1, y1 = right - inset - arm, top + inset
        _stroke(pen, [(x1, y1), (x1 + arm, y1 + arm)], INK, width)
        _stroke(pen, [(x1 + arm, y1), (x1, y1 + arm)], INK, width)
    else:
        mask = Image.new("L", (size + 1, bottom - top + 1), 0)
        ImageDraw.Draw(mask).rounded_rectangle((0, 0, size, bottom - top), radius, fill=255)
        image.paste(_pattern(pattern, colour, size, bottom - top), (left, top), mask)
    if outline or pattern != "solid":
        pen.rounded_rectangle((left, top, right, bottom), radius, outline=outline or LINE, width=1)


@lru_cache(maxsize=64)
def _pattern(pattern: str, colour: str, width: int, height: int) -> Image.Image:
    """A tile's pattern in a `width` x `height` px block: diagonal stripes of `colour` on white,
    ink cross-hatching on the pale grey, or ink dots on white (about six across the tile)."""
    ground = STATUS_FILL["none"] if pattern == "crossed" else WHITE
    block = Image.new("RGB", (width + 1, height + 1), ground)
    pen = ImageDraw.Draw(block)
    if pattern == "dotted":
        step = max(5, width / 6)
        r = max(1.2, width / 40)
        for i in range(int(height / step) + 1):
            for j in range(int(width / step) + 1):
                x, y = (j + 0.5) * step, (i + 0.5) * step
                pen.ellipse((x - r, y - r, x + r, y + r), fill=colour)
    elif pattern == "crossed":
        step = max(6, width // 5)
        for x in range(-height, width + height, step):
            pen.line([(x, height), (x + height, 0)], fill=INK, width=max(1, width // 22))
            pen.line([(x, 0), (x + height, height)], fill=INK, width=max(1, width // 22))
    else:
        block.paste(_stripes(width, height, colour), (0, 0))
    return block


@lru_cache(maxsize=16)
def _stripes(width: int, height: int, colour: str = STATUS_FILL["write-in"]) -> Image.Image:
    """Diagonal stripes of `colour` on white, about four across `width` px (five px apart at least)."""
    stripes = Image.new("RGB", (width + 1, height + 1), WHITE)
    pen = ImageDraw.Draw(stripes)
    step = max(6, width // 4)
    for x in range(-height, width + height, step):
        pen.polygon([(x, height + 1), (x + step // 2, height + 1), (x + step // 2 + height + 1, 0), (x + height + 1, 0)],
                    fill=colour)
    return stripes


def draw_bars(bars: Bars, image, pen, fonts: Fonts, box) -> None:
    """Two groups of three bars, before and after one pact, with an arrow between them: the two
    majors in the colours of the mark's rings, the others in the colour of action."""
    left, top, right, bottom = box
    label_font, value_font = fonts.get("bold", 24), fonts.get("bold", 26)
    label_width = min(max(label_font.getlength(n) for n in bars.names), 150)
    bar_left = left + label_width + 16
    bar_room = right - bar_left - 48
    peak = max(*bars.before, *bars.after, 1)
    row, gap, between = 34, 12, 100
    group = 3 * row + 2 * gap
    colours = (MAJOR_A, MAJOR_B, ACTION)
    y = top + (bottom - top - 2 * group - between) // 2
    for values in (bars.before, bars.after):
        for i, (name, value) in enumerate(zip(bars.names, values)):
            name = fit(name, label_font, label_width)
            pen.text((bar_left - 16 - label_font.getlength(name), y + row / 2), name, font=label_font,
                     fill=WHITE, anchor="lm")
            length = max(6, round(bar_room * value / peak))
            pen.rectangle((bar_left, y, bar_left + length, y + row), fill=colours[min(i, 2)])
            pen.text((bar_left + length + 12, y + row / 2), str(value), font=value_font, fill=WHITE, anchor="lm")
            y += row + gap
        if values is bars.before:
            middle, centre = y - gap + between / 2, bar_left + bar_room / 2
            pen.rectangle((centre - 7, middle - 30, centre + 7, middle + 4), fill=ACTION)
            pen.polygon([(centre - 26, middle), (centre + 26, middle), (centre, middle + 28)], fill=ACTION)
            y += between - gap


def draw_tile_map(tile_map: TileMap, image, pen, fonts: Fonts, box) -> None:
    """Every jurisdiction's tile in the colour of the candidate's ballot status there, on a white
    card as on the site, and a legend with the counts."""
    left, top, right, bottom = box
    legend_row, line = 42, 27
    count_font = fonts.get("bold", 26)
    count_width = max((count_font.getlength(str(n)) for _, _, n in tile_map.legend), default=0)
    label_font, labels = legend_lines([label for _, label, _ in tile_map.legend], fonts,
                                      right - left - 58 - count_width)
    map_bottom = bottom - sum(legend_row + line * (len(lines) - 1) for lines in labels) - 40
    pen.rounded_rectangle((left - 16, top - 16, right + 16, bottom + 8), radius=14, fill=WHITE)
    _tiles(image, pen, [(r, c, s) for r, c, s in tile_map.tiles], (left, top, right, map_bottom))
    y = map_bottom + 32
    for (status, _, count), lines in zip(tile_map.legend, labels):
        _tile(image, pen, (left, y + 5, left + 26, y + 31), status)
        pen.text((left + 44 + count_width, y + 18), str(count), font=count_font, fill=INK, anchor="rm")
        for i, text in enumerate(lines):
            pen.text((left + 58 + count_width, y + 18 + line * i), text, font=label_font, fill=INK, anchor="lm")
        y += legend_row + line * (len(lines) - 1)


def legend_lines(labels: list[str], fonts: Fonts, width: float) -> tuple:
    """(font, lines per label) for a map's legend: a label too long for one line takes two, in
    smaller type (24, 22 or 20 px) when two lines at a larger size are not enough, so a longer
    language's words come whole; only at 20 px is a third line's worth cut with an ellipsis."""
    for size in (24, 22, 20):
        font = fonts.get("regular", size)
        if all(len(wrap(label, font, width)) <= 2 for label in labels):
            break
    return font, [wrap(label, font, width, max_lines=2) for label in labels]


def _tiles(image, pen, tiles: list, box, outline: dict | None = None) -> None:
    """Tiles (row, column, status) scaled to fill `box`, centred in it; `outline` gives a status
    another outline than ink (a status: a colour)."""
    left, top, right, bottom = box
    rows = max(r for r, _, _ in tiles) + 1
    cols = max(c for _, c, _ in tiles) + 1
    step = min((right - left) / cols, (bottom - top) / rows, 64)   # a map of three is still a map
    gap = max(2, round(step * 0.1))
    x0 = left + (right - left - cols * step + gap) / 2
    y0 = top + (bottom - top - rows * step + gap) / 2
    for r, c, status in tiles:
        x, y = round(x0 + c * step), round(y0 + r * step)
        _tile(image, pen, (x, y, x + round(step) - gap, y + round(step) - gap), status, (outline or {}).get(status, ""))


def draw_ballots(ballots: Ballots, image, pen, fonts: Fonts, box) -> None:
    """Two paper ballots side by side, each ticked for one partner's ticket."""
    left, top, right, bottom = box
    gap, pad = 20, 18
    count = len(ballots.tickets)
    card_width = (right - left - gap * (count - 1)) // count
    height = 380
    y0 = top + (bottom - top - height) // 2
    inner = card_width - 2 * pad
    text_top = y0 + pad + 68
    rows_top = y0 + height - pad - 28 - 46  # the upper of the two choices not made
    for i, (name, mate, party) in enumerate(ballots.tickets):
        x0 = left + i * (card_width + gap)
        pen.rounded_rectangle((x0, y0, x0 + card_width, y0 + height), radius=10, fill=WHITE)
        image.paste(_ticked_box(40, BRAND, WHITE), (x0 + pad, y0 + pad + 8))
        for line, font, fill, dy in ballot_lines(name, mate, party, fonts, inner, rows_top - 12 - text_top):
            pen.text((x0 + pad, text_top + dy), line, font=font, fill=fill)
        for k in range(2):  # the choices not made: an empty box and a blank line
            ly = y0 + height - pad - 28 - k * 46
            pen.rectangle((x0 + pad, ly, x0 + pad + 28, ly + 28), outline=STATUS_FILL["none"], width=3)
            pen.rectangle((x0 + pad + 44, ly + 10, x0 + card_width - pad, ly + 18), fill=STATUS_FILL["none"])


def ballot_lines(name: str, mate: str, party: str, fonts: Fonts, width: float, room: float) -> list[tuple]:
    """The words on one ballot of a pairing's preview, as (line, font, colour, top) with top in px
    below the first line: the name in bold, the running mate, the party in the brand colour. Every
    line is at most `width` px wide and every glyph ends within `room` px: the mate and the party
    get smaller (20 px down to 14 px) until they fit, then the party loses lines to an ellipsis."""
    name_font = fit_size(max(name.split(), key=len), fonts, "bold", (28, 26, 24, 22, 20, 18), width)
    sizes = (20, 18, 16, 14)
    for size in sizes:
        for party_lines in ((3, 2, 1) if size == sizes[-1] else (3,)):
            out, y = [], 0
            for line in wrap(name, name_font, width, max_lines=2):
                out.append((line, name_font, INK, y))
                y += round(name_font.size * 1.2)
            step = round(size * 1.3)
            small, bold = fonts.get("regular", size), fonts.get("bold", size)
            for line in wrap(mate, small, width, max_lines=2) if mate else ():
                out.append((line, small, INK, y + 4))
                y += step
            for line in wrap(party, bold, width, max_lines=party_lines):
                out.append((line, bold, BRAND, y + 12))
                y += step
            if max(top + font.getbbox(line)[3] for line, font, _, top in out) <= room:
                return out
    return out


def draw_standing(standing: Standing, image, pen, fonts: Fonts, box) -> None:
    """The map with this jurisdiction lit, on a white card, then each alternative with its status there."""
    left, top, right, bottom = box
    room = bottom - top
    row = max(22, min(48, (room * 3 // 5) // max(1, len(standing.rows))))
    map_bottom = bottom - row * len(standing.rows) - 40
    pen.rounded_rectangle((left - 16, top - 16, right + 16, map_bottom + 12), radius=14, fill=WHITE)
    _tiles(image, pen, [(r, c, "here" if (r, c) == standing.here else "area") for r, c in standing.tiles],
           (left, top, right, map_bottom), outline={"area": WHITE})
    name_font = fonts.get("bold", min(22, row - 10))
    label_font = fonts.get("regular", min(19, row - 12))
    y = map_bottom + 36
    swatch = min(26, row - 12)
    for name, status, label in standing.rows:
        middle = y + row // 2
        _tile(image, pen, (left, middle - swatch // 2, left + swatch, middle + swatch - swatch // 2), status,
              outline=WHITE)
        name_width = min(name_font.getlength(name), (right - left) // 2 - swatch)
        room = right - left - swatch - 30 - name_width
        if label_font.getlength(label) > room and row >= 44:      # a long status under the name, whole
            two = fonts.get("regular", min(17, row - 28))
            pen.text((left + swatch + 14, middle - 1), fit(name, name_font, right - left - swatch - 14),
                     font=name_font, fill=WHITE, anchor="ls")
            pen.text((left + swatch + 14, middle + 3), fit(label, two, right - left - swatch - 14),
                     font=two, fill=ON_BRAND_MUTED, anchor="lt")
        else:
            label = fit(label, label_font, room)
            label_width = label_font.getlength(label)
            pen.text((right, middle), label, font=label_font, fill=ON_BRAND_MUTED, anchor="rm")
            pen.text((left + swatch + 14, middle), fit(name, name_font, right - left - swatch - 30 - label_width),
                     font=name_font, fill=WHITE, anchor="lm")
        y += row


@lru_cache(maxsize=16)
def _disc(size: int, colour: str) -> Image.Image:
    """A round badge, smooth-edged (drawn four times larger, scaled down), to paste with its mask."""
    s = size * 4
    disc = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    ImageDraw.Draw(disc).ellipse((0, 0, s - 1, s - 1), fill=colour)
    return disc.resize((size, size), Image.Resampling.LANCZOS)


def _badge(image, pen, centre: tuple, size: int, colour: str, label: str, font, ink: str = INK) -> None:
    """A disc centred on `centre` with a short label (a number, '&', '?') in its middle."""
    disc = _disc(size, colour)
    image.paste(disc, (round(centre[0] - size / 2), round(centre[1] - size / 2)), disc)
    pen.text(centre, label, font=font, fill=ink, anchor="mm")


def _centred(pen, lines: list, font, middle: float, top: float, fill: str, leading: float) -> float:
    """Lines centred on the column `middle` from `top`; returns the top of what comes next."""
    for line in lines:
        pen.text((middle, top), line, font=font, fill=fill, anchor="ma")
        top += leading
    return top


def _largest(text: str, fonts: Fonts, weight: str, sizes: tuple, width: float, height: float,
             max_lines: int = 0, leading: float = 1.2) -> tuple:
    """(font, lines) at the largest of `sizes` at which `text` fits `width` and `height` whole,
    no word broken (the smallest, with an ellipsis, when none does)."""
    for size in sizes:
        font = fonts.get(weight, size)
        if max(font.getlength(w) for w in _words(text)) > width:
            continue
        lines = lines_of(text, font, width)
        if (not max_lines or len(lines) <= max_lines) and len(lines) * size * leading <= height:
            return font, lines
    font = fonts.get(weight, sizes[-1])
    return font, lines_of(text, font, width, max(1, max_lines or int(height // (sizes[-1] * leading))))


def draw_pact_card(card: PactCard, image, pen, fonts: Fonts, box) -> None:
    """The maker's card before it is filled in, as the site draws it: the site's band (the
    election beside the name, or under it when it is long), the title, two white panels (a
    placeholder name, the label and the major candidate, the label and an empty line where the
    choice goes, a rule in the brand's indigo under each, as "will vote for" is) and the '&' between them."""
    left, top, right, bottom = box
    x0, x1 = left - 16, right + 16
    site_font, election_font = fonts.get("bold", 20), fonts.get("regular", 15)
    beside = x1 - x0 - 56 - site_font.getlength(card.site_name)
    one_line = election_font.getlength(card.election) <= beside
    band = 46 if one_line else 68
    title_font = fit_size(card.title, fonts, "bold", (34, 30, 26, 22), x1 - x0 - 40)
    gap, pad = 22, 14
    width = (x1 - x0 - 2 * pad - gap) // 2
    inner = width - 24
    label_font, major_font = fonts.get("bold", 14), fonts.get("regular", 20)
    partners = []
    for name, major in card.partners[:2]:
        name_font = fit_size(name, fonts, "bold", (28, 26, 24, 22, 20), inner)
        partners.append((fit(name, name_font, inner), name_font, lines_of(card.labels[0].upper(), label_font, inner, 2),
                         lines_of(major, major_font, inner, 2), lines_of(card.labels[1].upper(), label_font, inner, 2)))
    panel_height = max(18 + 44 + 18 * len(a) + 6 + 25 * len(m) + 12 + 18 * len(b) + 8 + 18 + 22
                       for _, _, a, m, b in partners)
    height = 6 + band + 76 + panel_height + 16
    y0 = top + (bottom - top - height) // 2
    pen.rounded_rectangle((x0, y0, x1, y0 + height), radius=16, fill=PAPER)
    pen.rounded_rectangle((x0 + 6, y0 + 6, x1 - 6, y0 + 6 + band), radius=11, fill=BRAND)
    if one_line:
        pen.text((x0 + 20, y0 + 6 + band / 2), card.site_name, font=site_font, fill=WHITE, anchor="lm")
        pen.text((x1 - 20, y0 + 6 + band / 2), card.election, font=election_font, fill=ON_BRAND_MUTED, anchor="rm")
    else:
        pen.text((x0 + 20, y0 + 18), card.site_name, font=site_font, fill=WHITE)
        pen.text((x0 + 20, y0 + 46), fit(card.election, election_font, x1 - x0 - 40), font=election_font,
                 fill=ON_BRAND_MUTED)
    pen.text(((x0 + x1) / 2, y0 + 6 + band + 38), card.title, font=title_font, fill=INK, anchor="mm")
    panel_top = y0 + 6 + band + 76
    panel_bottom = panel_top + panel_height
    for i, (name, name_font, from_label, major, to_label) in enumerate(partners):
        px = x0 + pad + i * (width + gap)
        pen.rounded_rectangle((px, panel_top, px + width, panel_bottom), radius=10, fill=BRAND)
        pen.rounded_rectangle((px, panel_top, px + width, panel_bottom - 6), radius=10, fill=WHITE, outline=LINE)
        middle = px + width / 2
        y = _centred(pen, [name], name_font, middle, panel_top + 18, INK, 44)
        y = _centred(pen, from_label, label_font, middle, y, MUTED, 18)
        y = _centred(pen, major, major_font, middle, y + 6, INK, 25)
        y = _centred(pen, to_label, label_font, middle, y + 12, BRAND, 18)
        pen.rounded_rectangle((middle - inner * 0.36, y + 8, middle + inner * 0.36, y + 26), radius=4,
                              fill=STATUS_FILL["none"])
    middle = ((x0 + x1) / 2, (panel_top + panel_bottom) / 2)
    _badge(image, pen, middle, 48, PAPER, "", title_font)
    _badge(image, pen, middle, 40, ACTION, "&", fonts.get("bold", 22))


def draw_quote(quote: Quote, image, pen, fonts: Fonts, box) -> None:
    """The pull quote as the essay sets it: a gold rule above, the words large and bold between
    curly quotation marks, a thin rule below, then a dash and the author's name."""
    left, top, right, bottom = box
    by_font = fonts.get("bold", 24)
    words = f"\u201c{quote.text}\u201d"
    font, lines = _largest(words, fonts, "bold", (60, 56, 52, 48, 44, 40, 36, 32, 28, 24, 20), right - left,
                           bottom - top - 140, leading=1.18)
    leading = round(font.size * 1.18)
    block = 30 + leading * len(lines) + 32 + 40
    y = top + (bottom - top - block) // 2
    pen.rectangle((left, y, right, y + 5), fill=ACTION)
    y += 30
    for line in lines:
        pen.text((left, y), line, font=font, fill=WHITE)
        y += leading
    y += 24
    pen.rectangle((left, y, right, y), fill=ON_BRAND_MUTED)
    pen.text((left, y + 14), fit(f"\u2014\u00a0{quote.by}", by_font, right - left), font=by_font, fill=ON_BRAND_MUTED)


def _sheet(pen, box, behind: int = 0) -> tuple:
    """A white sheet of paper (with `behind` more peeking out under it); returns its box."""
    left, top, right, bottom = box
    for k, colour in ((2, LINE), (1, ON_BRAND_MUTED))[2 - behind:]:
        pen.rounded_rectangle((left + 12 * k, top + 12 * k, right + 12 * k, bottom + 12 * k), radius=10, fill=colour)
    pen.rounded_rectangle(box, radius=10, fill=WHITE)
    return box


@dataclass
class NumberedList:
    """Numbered items laid out in a column: their font, the lines of each and its top and
    height in px from the list's top."""
    font: ImageFont.FreeTypeFont
    leading: int
    gap: int
    placed: list                   # [(lines, top, height), ...]
    badge: int

    @property
    def height(self) -> int:
        return self.placed[-1][1] + self.placed[-1][2] if self.placed else 0


def numbered_list(items: tuple, fonts: Fonts, width: float, room: float, sizes: tuple, badge: int) -> NumberedList:
    """Items with a gold numbered disc each (at most three lines each), at the largest of
    `sizes` at which all of them fit `width` and `room` (px); at the smallest, as many as fit."""
    text_width = width - badge - 16
    for size in sizes:
        font = fonts.get("bold", size)
        leading, gap = round(size * 1.22), round(size * 0.8)
        placed, y = [], 0
        for item in items:
            lines = lines_of(item, font, text_width, 3)
            height = max(badge, leading * len(lines))
            if y + height > room:
                break
            placed.append((lines, y, height))
            y += height + gap
        if len(placed) == len(items):
            break
    return NumberedList(font, leading, gap, placed, badge)


def _draw_numbered(image, pen, numbered: NumberedList, fonts: Fonts, left: float, top: float, right: float,
                   rule: bool = False) -> None:
    """A numbered list at (left, top), each item's text centred on its disc; thin rules between
    the items if asked."""
    badge, leading = numbered.badge, numbered.leading
    number_font = fonts.get("bold", round(badge * 0.5))
    for i, (lines, y, height) in enumerate(numbered.placed, 1):
        y += top
        _badge(image, pen, (left + badge / 2, y + (badge / 2 if len(lines) > 1 else height / 2)), badge, ACTION, str(i),
               number_font)
        for k, line in enumerate(lines):
            pen.text((left + badge + 16, y + k * leading + (height - leading * len(lines)) / 2), line,
                     font=numbered.font, fill=INK)
        if rule and i < len(numbered.placed):
            middle = y + height + numbered.gap // 2
            pen.rectangle((left + badge + 16, middle, right, middle), fill=LINE)


def draw_guide_cover(cover: GuideCover, image, pen, fonts: Fonts, box) -> None:
    """A guide's cover: a sheet of paper (as tall as it needs, centred) with the guide's title,
    a gold rule, the heading of its steps, and the first steps numbered."""
    left, top, right, bottom = box[0] - 16, box[1] - 12, box[2] - 4, box[3]
    inner_left, inner_right = left + 28, right - 28
    title_font, title_lines = _largest(cover.title, fonts, "bold", (34, 30, 28, 26, 24, 22), inner_right - inner_left,
                                       130, max_lines=3, leading=1.15)
    title_leading = round(title_font.size * 1.15)
    head = title_leading * len(title_lines) + 34 + (34 if cover.heading else 0)
    steps = numbered_list(cover.steps, fonts, inner_right - inner_left, bottom - top - 60 - head,
                          (28, 26, 24, 22, 20, 18), 36)
    height = 28 + head + steps.height + 32
    top += (bottom - top - height) // 2
    _sheet(pen, (left, top, right, top + height), behind=1)
    y = _lines(pen, title_lines, title_font, inner_left, top + 28, INK, title_leading)
    pen.rectangle((inner_left, y + 10, inner_left + 56, y + 16), fill=ACTION)
    y += 34
    if cover.heading:
        label_font = fonts.get("bold", 16)
        pen.text((inner_left, y), fit(cover.heading.upper(), label_font, inner_right - inner_left), font=label_font,
                 fill=BRAND)
        y += 34
    _draw_numbered(image, pen, steps, fonts, inner_left, y, inner_right)


def _lines(pen, lines: list, font, left: float, top: float, fill: str, leading: float) -> float:
    for line in lines:
        pen.text((left, top), line, font=font, fill=fill)
        top += leading
    return top


def draw_pocket_card(pocket: PocketCard, image, pen, fonts: Fonts, box) -> None:
    """A pocket card (A6's shape, upright) with cut marks at its corners: the guide's title,
    'Pocket card', and the first of its questions numbered."""
    left, top, right, bottom = box
    height = bottom - top - 20
    width = round(height * 105 / 148)
    x0, y0 = left + (right - left - width) // 2, top + 10
    x1, y1 = x0 + width, y0 + height
    for x, y, dx, dy in ((x0, y0, -1, -1), (x1, y0, 1, -1), (x0, y1, -1, 1), (x1, y1, 1, 1)):
        pen.line([(x, y + dy * 8), (x, y + dy * 28)], fill=ON_BRAND_MUTED, width=2)
        pen.line([(x + dx * 8, y), (x + dx * 28, y)], fill=ON_BRAND_MUTED, width=2)
    pen.rectangle((x0, y0, x1, y1), fill=WHITE)
    pen.rectangle((x0, y0, x1, y0 + 10), fill=BRAND)
    inner = (x0 + 24, y0 + 32, x1 - 24, y1 - 20)
    title_font, title_lines = _largest(pocket.title, fonts, "bold", (30, 28, 26, 24, 22, 20), inner[2] - inner[0], 76,
                                       max_lines=2, leading=1.15)
    y = _lines(pen, title_lines, title_font, inner[0], inner[1], BRAND, round(title_font.size * 1.15))
    kind_font = fonts.get("bold", 14)
    pen.text((inner[0], y + 6), fit(pocket.kind.upper(), kind_font, inner[2] - inner[0]), font=kind_font, fill=INK)
    y += 36
    pen.rectangle((inner[0], y, inner[2], y + 1), fill=LINE)
    questions = numbered_list(pocket.questions, fonts, inner[2] - inner[0], inner[3] - y - 16, (19, 18, 17, 16), 26)
    _draw_numbered(image, pen, questions, fonts, inner[0], y + 16, inner[2])


def draw_contents(contents: Contents, image, pen, fonts: Fonts, box) -> None:
    """A section's pages on a stack of sheets (as tall as they need, centred): the front one
    lists their titles, numbered, with thin rules between them."""
    left, top, right, bottom = box[0] - 16, box[1] - 16, box[2] - 16, box[3] - 8
    titles = numbered_list(contents.titles, fonts, right - left - 46, bottom - top - 48, (26, 24, 22, 20, 19, 18, 17), 36)
    height = 26 + titles.height + 26
    top += (bottom - top - height) // 2
    _sheet(pen, (left, top, right, top + height), behind=2)
    _draw_numbered(image, pen, titles, fonts, left + 24, top + 26, right - 22, rule=True)


def draw_questions(questions: Questions, image, pen, fonts: Fonts, box) -> None:
    """The page's first questions, one under another, each after a gold disc with its number:
    marked once, by the disc (the question's own question mark stays in the words' colour)."""
    left, top, right, bottom = box
    badge, gap = 44, 30
    width = right - left - badge - 18
    for size in (28, 26, 24, 22, 20, 18):
        font = fonts.get("bold", size)
        leading = round(size * 1.2)
        rows = [lines_of(q, font, width, 3) for q in questions.questions]
        heights = [max(badge, leading * len(r)) for r in rows]
        while rows and sum(heights) + gap * (len(rows) - 1) > bottom - top:
            rows, heights = rows[:-1], heights[:-1]
        if len(rows) == len(questions.questions):
            break
    y = top + (bottom - top - sum(heights) - gap * (len(rows) - 1)) // 2
    mark_font = fonts.get("bold", 26)
    for number, (lines, height) in enumerate(zip(rows, heights), 1):
        _badge(image, pen, (left + badge / 2, y + height / 2), badge, ACTION, str(number), mark_font)
        ty = y + (height - leading * len(lines)) / 2
        for line in lines:
            pen.text((left + badge + 18, ty), line, font=font, fill=WHITE)
            ty += leading
        y += height + gap


def draw_timeline(events: Timeline, image, pen, fonts: Fonts, box) -> None:
    """The page's timeline: a gold line with a disc at each date, the date in gold beside it and
    what happened then: whole where every entry fits whole, else in two lines at most."""
    left, top, right, bottom = box
    when_font = fonts.get("bold", 26)
    when_width = max(when_font.getlength(w) for w, _ in events.events) + 18
    width = right - left - 30 - when_width
    for size, leading, gap, most in ((19, 23, 16, 3), (18, 22, 14, 3), (17, 21, 12, 3), (19, 24, 18, 2)):
        what_font = fonts.get("regular", size)
        rows, y = [], 0
        for when, what in events.events:
            lines = lines_of(what, what_font, width, most)
            height = max(32, leading * len(lines))
            if y + height > bottom - top:
                break
            rows.append((when, lines, y, height))
            y += height + gap
        if len(rows) == len(events.events) and not any(lines[-1].endswith("…") for _, lines, _, _ in rows):
            break
    y0 = top + (bottom - top - (y - gap)) // 2
    pen.rectangle((left + 8, y0 + 16, left + 11, y0 + rows[-1][2] + 16), fill=ACTION)
    for when, lines, y, height in rows:
        _badge(image, pen, (left + 10, y0 + y + 16), 22, ACTION, "", when_font)
        pen.text((left + 30, y0 + y + 16), when, font=when_font, fill=ACTION, anchor="lm")
        _lines(pen, lines, what_font, left + 30 + when_width, y0 + y + 4, WHITE, leading)


def draw_reach(reach: Reach, image, pen, fonts: Fonts, box) -> None:
    """On a white card, each alternative's name over a bar of all jurisdictions: green for those
    whose ballot had them, stripes for those that recorded votes written in for them, with the
    count of the first; a legend under it."""
    left, top, right, bottom = box
    legend_height = 40 * len(reach.legend) + 8
    rows = max(1, len(reach.rows))
    row = min(66, (bottom - top - legend_height - 24) // rows)
    name_font, count_font = fonts.get("bold", min(22, row // 3)), fonts.get("bold", min(24, row // 3 + 2))
    height = row * rows + legend_height + 24
    top += (bottom - top - height) // 2
    pen.rounded_rectangle((left - 16, top - 16, right + 16, top + height + 8), radius=14, fill=WHITE)
    count_width = count_font.getlength(str(reach.total)) + 12
    for i, (name, on, written) in enumerate(reach.rows):
        y = top + i * row
        pen.text((left, y), fit(name, name_font, right - left), font=name_font, fill=INK)
        bar_top, bar_bottom = y + name_font.size + 8, y + row - 14
        width = right - left - count_width
        pen.rectangle((left, bar_top, left + width, bar_bottom), fill=STATUS_FILL["none"])
        ballot = round(width * on / reach.total)
        if ballot:
            pen.rectangle((left, bar_top, left + ballot, bar_bottom), fill=STATUS_FILL["ballot"])
        striped = round(width * written / reach.total)
        if striped > 1:
            image.paste(_stripes(striped - 1, bar_bottom - bar_top - 1), (left + ballot, bar_top))
        pen.text((right, (bar_top + bar_bottom) / 2), str(on), font=count_font, fill=INK, anchor="rm")
    y = top + rows * row + 16
    label_font = fonts.get("regular", 20)
    for status, label in reach.legend:
        _tile(image, pen, (left, y + 6, left + 24, y + 30), status)
        pen.text((left + 36, y + 18), fit(label, label_font, right - left - 36), font=label_font, fill=INK, anchor="lm")
        y += 40


def draw_picker(picker: Picker, image, pen, fonts: Fonts, box) -> None:
    """Every jurisdiction's tile at its place on the map, on a white card, with its code, marked
    by its write-in rule as the site's picker map is (`_rule_mark`), and under the map a legend
    of the rules that occur, each label in two lines at most: the page's picker as a picture."""
    left, top, right, bottom = box
    label_font = fonts.get("regular", 18)
    legend = [(rule, lines_of(label, label_font, right - left - 40, 2)) for rule, label in picker.legend]
    legend_height = sum(10 + 22 * max(1, len(lines)) for _, lines in legend) + (14 if legend else 0)
    rows = max(t[0] for t in picker.tiles) + 1
    cols = max(t[1] for t in picker.tiles) + 1
    step = min((right - left) / cols, (bottom - top - legend_height) / rows, 72)
    gap = max(2, round(step * 0.08))
    width, height = cols * step - gap, rows * step - gap
    x0 = left + (right - left - width) / 2
    y0 = top + (bottom - top - height - legend_height) / 2
    pen.rounded_rectangle((min(x0, left) - 14, y0 - 14, max(x0 + width, right) + 14, y0 + height + legend_height + 14),
                          radius=14, fill=WHITE)
    longest = max(picker.tiles, key=lambda t: len(t[2]))[2]
    font = fit_size(longest, fonts, "bold", tuple(range(max(8, round(step * 0.36)), 7, -1)), step - gap - 10)
    size = round(step) - gap
    for r, c, code, *rule in picker.tiles:
        x, y = round(x0 + c * step), round(y0 + r * step)
        rule = rule[0] if rule else ""
        _rule_mark(image, pen, (x, y), size, rule)
        solid = RULE_LOOK.get(rule, ("",))[0] == "solid"
        pen.text((x + size / 2, y + size * 0.6), code, font=font, fill=WHITE if solid else INK, anchor="mm",
                 stroke_width=0 if solid else max(2, round(size / 16)), stroke_fill=WHITE)
    y = y0 + height + 14 + 8
    for rule, lines in legend:
        _rule_mark(image, pen, (left, round(y - 1)), 26, rule)
        _lines(pen, lines, label_font, left + 38, y, INK, 22)
        y += 10 + 22 * max(1, len(lines))


def _rule_mark(image, pen, xy: tuple, size: int, rule: str) -> None:
    """A jurisdiction's write-in rule as the states' map draws it (RULE_LOOK): a tile of `size`
    px whose top left is `xy`; a jurisdiction of no known rule is dotted, as "not confirmed"."""
    x, y = xy
    _tile(image, pen, (x, y, x + size, y + size), rule, look=RULE_LOOK)


PICTURES = {Bars: draw_bars, TileMap: draw_tile_map, Ballots: draw_ballots, Standing: draw_standing,
            PactCard: draw_pact_card, Quote: draw_quote, GuideCover: draw_guide_cover, PocketCard: draw_pocket_card,
            Contents: draw_contents, Questions: draw_questions, Timeline: draw_timeline, Reach: draw_reach,
            Picker: draw_picker}


def _steps() -> int:
    return (256 - 1 - len(SOLID)) // len(INK_ON_GROUND)


def _blend(ink: tuple, ground: tuple, step: int, steps: int) -> tuple:
    return tuple(round(ground[k] + (ink[k] - ground[k]) * step / (steps - 1)) for k in range(3))


@lru_cache(maxsize=1)
def _palette_colours() -> list[tuple]:
    """Every colour a preview can have: each colour blended into each ground it is drawn on, in
    even steps (the edges of smooth letters), the paper first. An image in these 250-odd colours
    looks the same as in millions, and its PNG is a third the size and several times faster to make."""
    colours = [ImageColor.getrgb(PAPER)]
    for ink, ground in INK_ON_GROUND:
        a, b = ImageColor.getrgb(ink), ImageColor.getrgb(ground)
        colours += [_blend(a, b, i, _steps()) for i in range(_steps())]
    colours += [ImageColor.getrgb(c) for c in SOLID]
    return list(dict.fromkeys(colours))[:256]


@lru_cache(maxsize=1)
def _palette() -> Image.Image:
    flat = [v for colour in _palette_colours() for v in colour]
    palette = Image.new("P", (1, 1))
    palette.putpalette(flat + [0] * (768 - len(flat)))
    return palette


def cache_key(card: Card, fonts: Fonts) -> str:
    return digest(DRAWING_VERSION, f"{WIDTH}x{HEIGHT}", fonts.digest, repr(card))


# --- Many images: every core -------------------------------------------------------------------

PARALLEL_FROM = 150
"""Fewer images than this are drawn in this process alone. Measured on 2 cores: a second process
(forkserver or spawn) hands back its first image 0.2 to 0.35 s after it is asked for, about the
time this process takes to draw 40 to 70 images; above 150 the second core clearly pays."""


CHUNK = 16
"""Images handed to a process at a time: few enough that the work evens out at the end."""


def draw_all(previews: dict, fonts: Fonts, cache: BuildCache) -> tuple[dict, int]:
    """Every preview as {output path: PNG bytes}, from the cache where it has them; and how
    many had to be drawn."""
    images, missing = {}, {}
    for url, preview in sorted(previews.items()):
        key = cache_key(preview.card, fonts) + ".png"
        data = cache.get(key)
        if data is None:
            missing[preview.path.lstrip("/")] = (key, preview.card)
        images[preview.path.lstrip("/")] = data
    drawn = draw_many([card for _, card in missing.values()], fonts)
    for (path, (key, _)), data in zip(missing.items(), drawn):
        cache.put(key, data)
        images[path] = data
    return images, len(missing)


def draw_many(cards: list, fonts: Fonts) -> list[bytes]:
    """The PNG of every card, in order: in this process when there are few, else shared among
    processes (one per core; this one draws too while they start)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    workers = min(cores, 8) - 1
    if workers < 1 or len(cards) < PARALLEL_FROM:
        return [draw(card, fonts) for card in cards]
    from .rendering import pool_context  # safe on every platform (fork is not on macOS)
    chunks = [cards[i:i + CHUNK] for i in range(0, len(cards), CHUNK)]
    with ProcessPoolExecutor(workers, mp_context=pool_context(),
                             initializer=_start_worker, initargs=(fonts,)) as pool:
        # Workers take chunks from the end while this process draws from the start, until they meet.
        futures = {}
        for i in range(len(chunks) - 1, 0, -1):
            futures[i] = pool.submit(_draw_chunk, chunks[i])
        done = {0: [draw(card, fonts) for card in chunks[0]]}
        for i in range(1, len(chunks)):
            if futures[i].cancel():
                done[i] = [draw(card, fonts) for card in chunks[i]]
            else:
                break
        for i, future in futures.items():
            if i not in done:
                done[i] = future.result()
    return [data for i in range(len(chunks)) for data in done[i]]


_WORKER_FONTS: Fonts | None = None


def _start_worker(fonts: Fonts) -> None:
    global _WORKER_FONTS
    _WORKER_FONTS = fonts


def _draw_chunk(cards: list) -> list[bytes]:
    return [draw(card, _WORKER_FONTS) for card in cards]
