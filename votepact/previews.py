"""Link-preview images: one 1200x630 PNG per page, drawn at build time with Pillow.

A preview shows what a messenger or social network should show when someone shares the page:
its title (wrapped, and smaller the longer it is), the site's name and address, and a cue for
the kind of page (the ticket and party on a candidate's page, the two tickets on a pact
pairing's page, the author of the essay, who a guide is for). The fonts are the site's own
static/fonts files (the project ships DejaVu Sans), never the machine's, so an image comes out
the same everywhere. Images are kept in the build cache under a hash of everything drawn, so
a rebuild with no changes draws nothing.
"""
from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from PIL import Image, ImageColor, ImageDraw, ImageFont, features

from .cache import BuildCache
from .hashing import digest
from .errors import Location

WIDTH, HEIGHT = 1200, 630
DRAWING_VERSION = "2"
"""Change this whenever a change to the code below changes what the images look like."""

INK, PAPER, ACCENT, GREEN, MUTED, ON_ACCENT = "#1b1f24", "#fffdf8", "#1d3557", "#1d6b45", "#4a5360", "#c9d6e6"
MARGIN = 72
TOP_BAR = 12                       # the green rule along the top edge
BAND = 96                          # the accent band along the bottom with the site's name
KICKER_SIZE, CUE_SIZE, CHIP_SIZE = 30, 32, 30
TITLE_SIZES = tuple(range(84, 28, -4))
FONT_FILES = {"regular": "fonts/DejaVuSans.ttf", "bold": "fonts/DejaVuSans-Bold.ttf"}
LAYOUT = ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC
"""Raqm shapes Arabic and orders right-to-left text; without it (rare) those come out unshaped."""


@dataclass(frozen=True)
class Card:
    """Everything one preview image shows, and nothing else: its hash is the image's cache key."""
    title: str
    site_name: str
    address: str                   # the site's address without the scheme: "votepact.org"
    kicker: str = ""               # the kind of page, above the title
    cue: tuple = ()                # short lines under the title
    pair: tuple = ()               # pairing pages: ((ticket, party), ...), one or two

    @property
    def alt(self) -> str:
        """The image in words, for og:image:alt."""
        parts = [self.kicker, self.title, *self.cue, *(" – ".join(t) for t in self.pair), self.site_name]
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


def plan(pages, settings, election) -> dict:
    """A Preview for every page, by page URL."""
    section_titles = {p.url.strip("/"): p.title for p in pages if p.url.count("/") == 2 and p.url.endswith("/")}
    return {p.url: Preview(image_path(p.url), card_for(p, settings, election, section_titles)) for p in pages}


def card_for(page, settings, election, section_titles: dict) -> Card:
    """What the page's preview shows: the cue depends on the kind of page."""
    card = Card(title=page.title, site_name=settings.title, address=site_address(settings.base_url))
    meta, ctx = page.meta, page.context
    if "candidate" in ctx:
        c = ctx["candidate"]
        on_ballot = f"on the ballot in {c.count('ballot')} of {len(election.states)} states"
        return _with(card, title=c.ticket, kicker=f"Alternative candidate · {election.name}",
                     cue=(f"{c.party} · {on_ballot}",))
    if "pairing" in ctx:
        a, b = ctx["pairing"]
        if a is b:
            return _with(card, kicker=f"Vote pact · {election.name}", pair=((a.ticket, a.party),),
                         cue=("Both partners vote for the same ticket.",))
        return _with(card, kicker=f"Vote pact · {election.name}", pair=((a.ticket, a.party), (b.ticket, b.party)))
    if "pocket_card_of" in ctx:
        guide, count = ctx["pocket_card_of"], ctx["pocket_items"]
        return _with(card, title=guide.title, kicker="Pocket card to print",
                     cue=(f"{count} questions with short answers, on one page",))
    if meta.get("author"):
        when = meta.get("date").year if meta.get("date") else meta.get("year", "")
        return _with(card, kicker="Essay", cue=(f"By {meta['author']}" + (f", {when}" if when else ""),))
    section = section_titles.get(page.section, "") if page.url.strip("/") != page.section else ""
    if meta.get("audience") or meta.get("duration"):
        kicker = " · ".join(x for x in (section or "Guide", meta.get("duration", "")) if x)
        return _with(card, kicker=kicker, cue=(f"For: {meta['audience']}",) if meta.get("audience") else ())
    if page.url == "/":
        n = settings.illustration_voters
        return _with(card, kicker=election.name, cue=(settings.tagline or page.description or settings.description,
                                                       f"One pact turns {n} / {n} / 0 into {n - 1} / {n - 1} / 2."))
    return _with(card, kicker=section, cue=(page.description or settings.description,))


def _with(card: Card, **changes) -> Card:
    return Card(**{**card.__dict__, **changes})


def site_address(base_url: str) -> str:
    return base_url.split("://", 1)[-1].rstrip("/")


# --- Drawing -------------------------------------------------------------------------------

class Fonts:
    """The two font files, read from the site's static files, and their sizes on demand."""

    def __init__(self, regular: bytes, bold: bytes):
        self.data = {"regular": regular, "bold": bold}
        self.digest = digest(regular, bold, str(LAYOUT))

    @classmethod
    def from_assets(cls, assets: dict) -> "Fonts":
        return cls(*(assets[name].data for name in FONT_FILES.values()))

    def get(self, weight: str, size: int) -> ImageFont.FreeTypeFont:
        return _font(self.data[weight], size)


@lru_cache(maxsize=64)
def _font(data: bytes, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(io.BytesIO(data), size, layout_engine=LAYOUT)


NO_GLYPH = "\U0010fffd"  # a private-use character no font draws: what a missing glyph looks like


def check_fonts(pages, previews: dict, fonts: Fonts, report) -> None:
    """Warn where a preview would show empty boxes: text the fonts have no glyphs for (DejaVu
    has none for Chinese, Japanese or Korean)."""
    for page in pages:
        if page.url not in previews:
            continue
        card = previews[page.url].card
        text = "".join([card.title, card.kicker, card.site_name, card.address, *card.cue, *(x for t in card.pair for x in t)])
        missing = "".join(dict.fromkeys(ch for ch in text if not ch.isspace() and unicodedata.category(ch)[0] != "C"
                                        and not all(_has_glyph(data, ch) for data in fonts.data.values())))
        if missing:
            report.warn(Location(page.source, page.line), f"the preview image of {page.url} cannot show {missing[:20]}: "
                        f"the fonts have no glyphs for them", f"replace static/fonts/{FONT_FILES['regular'][6:]} and "
                        f"{FONT_FILES['bold'][6:]} with fonts that have them, under the same names")


_GLYPHS: dict[tuple, bool] = {}


def _has_glyph(data: bytes, ch: str) -> bool:
    # Remembered by the font's hash, not its bytes: comparing 700 KB of font on every lookup
    # cost more than half a second a build. (A bytes object computes its hash only once.)
    key = (hash(data), len(data), ch)
    if key not in _GLYPHS:
        _GLYPHS[key] = _draws(data, ch)
    return _GLYPHS[key]


def _draws(data: bytes, ch: str) -> bool:
    font = _font(data, 24)

    def shape(text: str) -> bytes:
        image = Image.new("L", (48, 48))
        ImageDraw.Draw(image).text((8, 4), text, font=font, fill=255)
        return image.tobytes()

    return shape(ch) != shape(NO_GLYPH)


@dataclass
class Text:
    """One line of text placed on the image."""
    text: str
    font: ImageFont.FreeTypeFont
    xy: tuple
    fill: str

    @property
    def bbox(self) -> tuple:
        """The pixels the line covers: (left, top, right, bottom)."""
        left, top, right, bottom = self.font.getbbox(self.text)
        return (self.xy[0] + left, self.xy[1] + top, self.xy[0] + right, self.xy[1] + bottom)


@dataclass
class Layout:
    texts: list = field(default_factory=list)
    boxes: list = field(default_factory=list)      # chip outlines: (left, top, right, bottom)


def layout(card: Card, fonts: Fonts) -> Layout:
    """Where every line goes: the band and the ticket boxes at the bottom, then the title at the
    largest size that leaves room for the kind of page above it and the cue below."""
    out = Layout()
    width = WIDTH - 2 * MARGIN
    band_top = HEIGHT - BAND
    name_font, address_font = fonts.get("bold", 34), fonts.get("regular", 26)
    name = fit(card.site_name, name_font, width * 0.55)
    out.texts.append(_line(name, name_font, MARGIN, band_top + (BAND - 40) // 2, "#ffffff"))
    address = fit(card.address, address_font, width * 0.42)
    out.texts.append(Text(address, address_font, (WIDTH - MARGIN - address_font.getlength(address),
                                                   band_top + (BAND - 30) // 2), ON_ACCENT))

    top, bottom = TOP_BAR + 44, band_top - 44
    if card.pair:
        bottom = _layout_pair(card.pair, fonts, bottom, out) - 32
    kicker_font, cue_font = fonts.get("bold", KICKER_SIZE), fonts.get("regular", CUE_SIZE)
    kicker = fit(card.kicker, kicker_font, width) if card.kicker else ""
    cue_lines = [line for cue in card.cue for line in wrap(cue, cue_font, width, max_lines=2)][:3]
    kicker_height = round(KICKER_SIZE * 1.3) + 18 if kicker else 0
    cue_height = round(CUE_SIZE * 1.3) * len(cue_lines) + (24 if cue_lines else 0)
    size, lines = fit_title(card.title, fonts, width, bottom - top - kicker_height - cue_height)
    title_height = round(size * 1.2) * len(lines)
    # Short titles leave room: the text block sits in the middle of it.
    y = top + max(0, (bottom - top - kicker_height - title_height - cue_height) // 2)
    if kicker:
        out.texts.append(_line(kicker, kicker_font, MARGIN, y, GREEN))
        y += kicker_height
    title_font = fonts.get("bold", size)
    for line in lines:
        out.texts.append(_line(line, title_font, MARGIN, y, INK))
        y += round(size * 1.2)
    y += 24
    for line in cue_lines:
        out.texts.append(_line(line, cue_font, MARGIN, y, MUTED))
        y += round(CUE_SIZE * 1.3)
    return out


def _layout_pair(pair: tuple, fonts: Fonts, bottom: int, out: Layout) -> int:
    """One box per ticket, side by side above the band; returns the boxes' top edge."""
    gap, pad, height = 56, 22, 118
    count = len(pair)
    box_width = (WIDTH - 2 * MARGIN - gap * (count - 1)) // count
    top = bottom - height
    inner = box_width - 2 * pad
    for i, (ticket, party) in enumerate(pair):
        left = MARGIN + i * (box_width + gap)
        out.boxes.append((left, top, left + box_width, bottom))
        size = next((s for s in (CHIP_SIZE, 26, 22) if fonts.get("bold", s).getlength(ticket) <= inner), 22)
        ticket_font, party_font = fonts.get("bold", size), fonts.get("regular", 24)
        out.texts.append(_line(fit(ticket, ticket_font, inner), ticket_font, left + pad, top + 20, INK))
        out.texts.append(_line(fit(party, party_font, inner), party_font, left + pad, top + 68, GREEN))
        if i:
            plus = fonts.get("bold", 44)
            out.texts.append(Text("+", plus, (left - gap / 2 - plus.getlength("+") / 2, top + 30), ACCENT))
    return top


def _line(text: str, font, left: float, top: float, fill: str) -> Text:
    """A line at the left margin, or at the right one when the text reads right to left."""
    if is_rtl(text):
        left = WIDTH - MARGIN - font.getlength(text) - (left - MARGIN)
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


def fit_title(title: str, fonts: Fonts, width: int, height: int) -> tuple[int, list[str]]:
    """The largest size at which the wrapped title fits the box; at the smallest size the
    lines that do not fit are cut with an ellipsis."""
    for size in TITLE_SIZES:
        lines = wrap(title, fonts.get("bold", size), width)
        if len(lines) * round(size * 1.2) <= height:
            return size, lines
    size = TITLE_SIZES[-1]
    max_lines = max(1, height // round(size * 1.2))
    return size, wrap(title, fonts.get("bold", size), width, max_lines=max_lines)


def wrap(text: str, font, width: float, max_lines: int = 0) -> list[str]:
    """Lines no wider than `width`, broken between words; a word too long for a line (a URL,
    Chinese or Japanese text without spaces) is broken between characters."""
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
    """The text, cut short with an ellipsis if it is wider than `width`."""
    if not force and font.getlength(text) <= width:
        return text
    text = text.removesuffix(" …").rstrip()
    while text and font.getlength(text + "…") > width:
        text = text[:-1]
    return text.rstrip(" ,;:·–") + "…"


def draw(card: Card, fonts: Fonts) -> bytes:
    """The preview as PNG bytes: the same card and fonts always give the same bytes."""
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    pen = ImageDraw.Draw(image)
    pen.rectangle((0, 0, WIDTH, TOP_BAR), fill=GREEN)
    pen.rectangle((0, HEIGHT - BAND, WIDTH, HEIGHT), fill=ACCENT)
    placed = layout(card, fonts)
    for box in placed.boxes:
        pen.rounded_rectangle(box, radius=14, fill="#ffffff", outline=GREEN, width=3)
    for t in placed.texts:
        pen.text(t.xy, t.text, font=t.font, fill=t.fill)
    buf = io.BytesIO()
    image.quantize(palette=_palette(), dither=Image.Dither.NONE).save(buf, format="PNG", compress_level=6)
    return buf.getvalue()


@lru_cache(maxsize=1)
def _palette() -> Image.Image:
    """Every colour a preview can have: each text colour blended into each background it is drawn
    on, in 28 steps (the edges of smooth letters). An image in these 210-odd colours looks the
    same as in millions, and its PNG is a third the size and three times faster to make."""
    pairs = [(INK, PAPER), (MUTED, PAPER), (GREEN, PAPER), (ACCENT, PAPER), ("#ffffff", ACCENT),
             (ON_ACCENT, ACCENT), (INK, "#ffffff"), (GREEN, "#ffffff")]
    colours = []
    for ink, ground in pairs:
        a, b = ImageColor.getrgb(ink), ImageColor.getrgb(ground)
        colours += [tuple(round(b[k] + (a[k] - b[k]) * i / 27) for k in range(3)) for i in range(28)]
    flat = [v for colour in dict.fromkeys(colours) for v in colour]
    palette = Image.new("P", (1, 1))
    palette.putpalette(flat + [0] * (768 - len(flat)))
    return palette


def cache_key(card: Card, fonts: Fonts) -> str:
    return digest(DRAWING_VERSION, f"{WIDTH}x{HEIGHT}", fonts.digest, repr(card))


def draw_all(previews: dict, fonts: Fonts, cache: BuildCache) -> tuple[dict, int]:
    """Every preview as {output path: PNG bytes}, from the cache where it has them; and how
    many had to be drawn."""
    images, drawn = {}, 0
    for url, preview in sorted(previews.items()):
        key = cache_key(preview.card, fonts) + ".png"
        data = cache.get(key)
        if data is None:
            data = draw(preview.card, fonts)
            cache.put(key, data)
            drawn += 1
        images[preview.path.lstrip("/")] = data
    return images, drawn
