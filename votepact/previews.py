"""Link-preview images: one 1200x630 PNG per page, drawn at build time with Pillow.

A preview is what a messenger or social network shows when someone shares a page. The left
two-thirds carry the site's mark and name, the kind of page, the page's title (as large as it
fits whole: smaller and then wrapped, never cut) and one line of context; the right third is a
picture drawn from the site's data: the pact's arithmetic (the major candidates' votes before
and after one pact) on most pages, a candidate's ballot status state by state on a candidate's
page, the two marked ballots on a pact pairing's page, and where every alternative stands on a
jurisdiction's page. Every word in an image comes from the site's data, settings or pages.

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
DRAWING_VERSION = "5"
"""Change this whenever a change to the code below changes what the images look like."""

# --- The brand: every colour an image can have, in one place --------------------------------
# The site's colour roles (static/css/site.css) and its mark (static/icons/logo.svg); change them together.
INK, MUTED, PAPER, WHITE = "#1b1a2e", "#52546a", "#fbf9f4", "#ffffff"
BRAND, ON_BRAND_MUTED, ACTION = "#2a2260", "#d5d1f3", "#ffcf3f"    # the panel, quiet text on it, what a pact gains
MAJOR_A, MAJOR_B = "#8fb0ff", "#ff8f8f"                            # the mark's two rings: the two majors, on the panel
STATUS_FILL = {"ballot": "#17603d", "write-in": "#e9a21f", "none": "#e4e0d6", "unknown": WHITE, "here": ACTION}
"""Ballot status as the site's map shows it: a colour, and stripes for a write-in, so that it
reads in greyscale and for colour-blind readers."""
INK_ON_GROUND = [  # (colour, what it is drawn on): the smooth edges of letters and of the mark
    (INK, PAPER), (MUTED, PAPER), (BRAND, PAPER), (WHITE, BRAND), (ON_BRAND_MUTED, BRAND), (ACTION, BRAND),
    (MAJOR_A, BRAND), (MAJOR_B, BRAND), (INK, WHITE), (BRAND, WHITE)]
SOLID = [*STATUS_FILL.values()]                                    # drawn only in straight-edged shapes

# --- Where things go --------------------------------------------------------------------------
MARGIN = 64
PANEL = (736, 0, WIDTH, HEIGHT)                 # the picture's coloured panel: left, top, right, bottom
PICTURE = (776, 60, WIDTH - 40, HEIGHT - 60)    # the picture inside it
TEXT = (MARGIN, 128, PANEL[0] - 56, HEIGHT - 110)  # kicker, title and cue
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
    said: tuple = ("Map: %(legend)s", "%(label)s in %(count)s")  # in the page's language

    @property
    def alt(self) -> str:
        return self.said[0] % {"legend": ", ".join(self.said[1] % {"label": label, "count": count}
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
class Card:
    """Everything one preview image shows, and nothing else: its hash is the image's cache key."""
    title: str
    site_name: str
    address: str                   # the site's address without the scheme: "votepact.org"
    kicker: str = ""               # the kind of page, above the title
    cue: tuple = ()                # short lines under the title
    picture: object = None         # Bars, TileMap, Ballots, Standing or None

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
    section_titles = {p.url.strip("/"): p.title for p in pages if p.url.count("/") == 2 and p.url.endswith("/")}
    planned = {}
    for p in pages:
        lang = language_of(p.url, data.settings.languages)
        here = data.language(lang.code)
        words.use(lang)
        planned[p.url] = Preview(image_path(p.url), card_for(p, here.settings, here.election, section_titles,
                                                              words.gettext))
    return planned


def _same(text: str) -> str:
    return text


def card_for(page, settings, election, section_titles: dict, _=None) -> Card:
    """What the page's preview shows, by the kind of page: a candidate's, a pairing's or a
    jurisdiction's page (known by what the page carries in its context), a pocket card, an essay,
    a guide, the home page; any other page, of a kind this function does not know, gets the
    general card: its title, its description and the pact's arithmetic."""
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
                       picture=TileMap(tiles, legend, (_("Map: %(legend)s"), _("%(label)s in %(count)s"))))
    if "pairing" in ctx:
        a, b = ctx["pairing"]
        return replace(card, kicker=election.name, cue=(settings.tagline,) if settings.tagline else (),
                       picture=Ballots(tuple((c.name, c.running_mate, c.party) for c in (a, b)),
                                       (_("Two ballots: %(tickets)s"), _("%(first)s and %(last)s"))))
    if jurisdiction is not None:
        rows = tuple((c.name, c.ballot[jurisdiction.code].status, _(BALLOT_STATUSES[c.ballot[jurisdiction.code].status]))
                     for c in election.alternatives if jurisdiction.code in c.ballot)
        return replace(card, kicker=f"{jurisdiction.name} · {election.short_name}",
                       cue=(_(WRITE_IN_RULES[jurisdiction.write_ins]),) if jurisdiction.write_ins in WRITE_IN_RULES else (),
                       picture=Standing(tuple(s.tile for s in election.states.values()), jurisdiction.tile, rows))
    if "pocket_card_of" in ctx:
        guide, count = ctx["pocket_card_of"], ctx["pocket_items"]
        return replace(card, title=guide.title, kicker=_("Pocket card to print"),
                       cue=(_("%(count)s questions with short answers, on a card for your pocket") % {"count": count},))
    if meta.get("author"):
        when = meta.get("date").year if meta.get("date") else meta.get("year", "")
        return replace(card, kicker=_("Essay"), cue=(_("By %(author)s") % {"author": meta["author"]}
                                                     + (f", {when}" if when else ""),))
    section = section_titles.get(page.section, "") if page.url.strip("/") != page.section else ""
    if meta.get("audience") or meta.get("duration"):
        kicker = " · ".join(x for x in (section or _("Guide"), meta.get("duration", "")) if x)
        return replace(card, kicker=kicker,
                       cue=(_("For: %(audience)s") % {"audience": meta["audience"]},) if meta.get("audience") else ())
    if page.url == "/" or page.title == settings.title:
        # The site's name is already at the top of every image: the home page shows its promise.
        title = settings.tagline or page.description or settings.description
        more = page.description or settings.description
        return replace(card, title=title, kicker=election.name, cue=(more,) if more != title else ())
    return replace(card, kicker=section, cue=(page.description or settings.description,))


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
    y = top + max(0, (bottom - top - block) // 2)
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
            if leading(size) * len(lines) > height:
                continue
            lines = exact(lines, card.title, fonts.get("bold", size), width)
            room = height - leading(size) * len(lines)
            if room < 0:
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
                    cue_lines = [line for cue, lines in zip(card.cue, guess) for line in exact(lines, cue, cue_font, width)]
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
    """Words, with a lone sign such as the '/' between a candidate and a running mate kept
    with the word after it, so that no line ends with it."""
    words: list[str] = []
    for word in re.split(r"[ \t\r\n]+", text.strip()):
        if words and len(words[-1]) == 1 and not words[-1].isalnum():
            words[-1] += "\u00a0" + word
        else:
            words.append(word)
    return words


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
    pen.rectangle((MARGIN, HEIGHT - 92, MARGIN + 56, HEIGHT - 86), fill=ACTION)
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


def _tile(image, pen, box, status: str, outline: str = INK) -> None:
    """One jurisdiction's square, in the colour of its ballot status (stripes for a write-in)."""
    left, top, right, bottom = (round(v) for v in box)
    if status == "write-in":
        image.paste(_stripes(right - left, bottom - top), (left, top))
    else:
        pen.rectangle((left, top, right, bottom), fill=STATUS_FILL.get(status, WHITE))
    pen.rectangle((left, top, right, bottom), outline=outline, width=max(1, round((right - left) / 16)))


@lru_cache(maxsize=16)
def _stripes(width: int, height: int) -> Image.Image:
    stripes = Image.new("RGB", (width + 1, height + 1), WHITE)
    pen = ImageDraw.Draw(stripes)
    step = max(5, width // 4)
    for x in range(-height, width + height, step):
        pen.polygon([(x, height + 1), (x + step // 2, height + 1), (x + step // 2 + height + 1, 0), (x + height + 1, 0)],
                    fill=STATUS_FILL["write-in"])
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
    legend_row = 42
    map_bottom = bottom - legend_row * len(tile_map.legend) - 40
    pen.rounded_rectangle((left - 16, top - 16, right + 16, bottom + 8), radius=14, fill=WHITE)
    _tiles(image, pen, [(r, c, s) for r, c, s in tile_map.tiles], (left, top, right, map_bottom))
    count_font, label_font = fonts.get("bold", 26), fonts.get("regular", 24)
    count_width = max(count_font.getlength(str(n)) for _, _, n in tile_map.legend)
    y = map_bottom + 32
    for status, label, count in tile_map.legend:
        _tile(image, pen, (left, y + 5, left + 26, y + 31), status)
        pen.text((left + 44 + count_width, y + 18), str(count), font=count_font, fill=INK, anchor="rm")
        pen.text((left + 58 + count_width, y + 18), fit(label, label_font, right - left - 58 - count_width),
                 font=label_font, fill=INK, anchor="lm")
        y += legend_row


def _tiles(image, pen, tiles: list, box) -> None:
    """Tiles (row, column, status) scaled to fill `box`, centred in it."""
    left, top, right, bottom = box
    rows = max(r for r, _, _ in tiles) + 1
    cols = max(c for _, c, _ in tiles) + 1
    step = min((right - left) / cols, (bottom - top) / rows, 64)   # a map of three is still a map
    gap = max(2, round(step * 0.1))
    x0 = left + (right - left - cols * step + gap) / 2
    y0 = top + (bottom - top - rows * step + gap) / 2
    for r, c, status in tiles:
        x, y = round(x0 + c * step), round(y0 + r * step)
        _tile(image, pen, (x, y, x + round(step) - gap, y + round(step) - gap), status)


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
    _tiles(image, pen, [(r, c, "here" if (r, c) == standing.here else "none") for r, c in standing.tiles],
           (left, top, right, map_bottom))
    name_font = fonts.get("bold", min(22, row - 10))
    label_font = fonts.get("regular", min(19, row - 12))
    y = map_bottom + 36
    swatch = min(26, row - 12)
    for name, status, label in standing.rows:
        middle = y + row // 2
        _tile(image, pen, (left, middle - swatch // 2, left + swatch, middle + swatch - swatch // 2), status,
              outline=WHITE)
        label = fit(label, label_font, (right - left) // 2 - 8)
        label_width = label_font.getlength(label)
        pen.text((right, middle), label, font=label_font, fill=ON_BRAND_MUTED, anchor="rm")
        pen.text((left + swatch + 14, middle), fit(name, name_font, right - left - swatch - 30 - label_width),
                 font=name_font, fill=WHITE, anchor="lm")
        y += row


PICTURES = {Bars: draw_bars, TileMap: draw_tile_map, Ballots: draw_ballots, Standing: draw_standing}


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
