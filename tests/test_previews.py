"""Link previews: every page has its 1200x630 image, the tags point at it, titles of any length
and script fit, and a rebuild with no changes draws nothing."""
from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageStat

from votepact import previews
from votepact.build import BuildOptions, build
from votepact.previews import BAND, HEIGHT, MARGIN, WIDTH, Card, Fonts

REPO = Path(__file__).resolve().parent.parent
BASE = "https://votepact.org/"


class _Meta(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and (a.get("property") or a.get("name")):
            self.meta[a.get("property") or a.get("name")] = a.get("content", "")


def meta_tags(file: Path) -> dict[str, str]:
    parser = _Meta()
    parser.feed(file.read_text("utf-8"))
    return parser.meta


def html_pages(root: Path) -> list[Path]:
    return sorted(root.rglob("*.html"))


def site_file(root: Path, url: str) -> Path:
    assert url.startswith(BASE), f"{url} is not an absolute address on {BASE}"
    return root / urlsplit(url).path.removeprefix(urlsplit(BASE).path)


@pytest.fixture(scope="module")
def fonts() -> Fonts:
    read = lambda name: (REPO / "static" / name).read_bytes()
    return Fonts(read(previews.FONT_FILES["regular"]), read(previews.FONT_FILES["bold"]))


def card(title: str, **more) -> Card:
    return Card(title=title, site_name="VotePact", address="votepact.org", **more)


def image(data: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(data))
    img.load()
    return img


# --- The built site -----------------------------------------------------------------------------

def test_every_page_has_a_preview_image_that_its_tags_point_to(built_site):
    pages = html_pages(built_site)
    assert len(pages) > 30
    for file in pages:
        meta = meta_tags(file)
        where = file.relative_to(built_site).as_posix()
        assert meta.get("og:image"), f"{where}: no og:image"
        assert meta["twitter:image"] == meta["og:image"], where
        assert meta["twitter:card"] == "summary_large_image", where
        assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630"), where
        assert meta.get("og:image:alt") and meta.get("twitter:image:alt"), f"{where}: no alt text for the image"
        png = site_file(built_site, meta["og:image"])
        assert png.is_file(), f"{where}: og:image {meta['og:image']} is not in the output"
        img = image(png.read_bytes())
        assert img.format == "PNG" and img.size == (1200, 630), where


def test_every_page_has_its_own_image_and_none_is_blank(built_site):
    images = {meta_tags(f)["og:image"] for f in html_pages(built_site)}
    assert len(images) == len(html_pages(built_site)), "two pages share a preview image"
    for url in images:
        img = image(site_file(built_site, url).read_bytes()).convert("L")
        title_area = img.crop((MARGIN, 40, WIDTH - MARGIN, HEIGHT - BAND - 20))
        assert ImageStat.Stat(title_area).stddev[0] > 20, f"{url}: nothing drawn in the title area"
        assert len(img.getcolors(1 << 16) or range(1 << 16)) > 16, f"{url}: looks blank"


def test_open_graph_tags_use_absolute_addresses_from_the_base_url(built_site):
    for file in html_pages(built_site):
        meta = meta_tags(file)
        for key in ("og:url", "og:image", "twitter:image"):
            assert meta[key].startswith(BASE), f"{file}: {key} = {meta[key]}"
        assert meta["og:title"] and meta["og:description"] and meta["og:site_name"] == "VotePact"


def test_previews_show_the_kind_of_page(built_site):
    """The cue: the ticket and party on a candidate's page, both tickets on a pairing page, the
    author on the essay, the time a guide takes; checked through the image's alt text, which says
    what was drawn."""
    alt = lambda path: meta_tags(built_site / path)["og:image:alt"]
    candidate = alt("candidates/stein/index.html")
    assert "Jill Stein / Ajamu Baraka" in candidate and "Green" in candidate
    pairing = alt("pact/johnson-stein/index.html")
    assert "Gary Johnson / Bill Weld" in pairing and "Jill Stein / Ajamu Baraka" in pairing
    assert "Libertarian" in pairing and "Green" in pairing
    essay = alt("bernie-and-boom/index.html")
    assert "Essay" in essay and "Sam Husseini" in essay and "2016" in essay
    assert "15 minutes" in alt("guides/answering-objections/index.html")
    assert "Pocket card" in alt("guides/answering-objections/pocket-card/index.html")


def test_the_preview_of_a_pairing_page_differs_from_another_pairing(built_site):
    a = (built_site / "previews/pact/johnson-stein.png").read_bytes()
    b = (built_site / "previews/pact/stein-castle.png").read_bytes()
    assert a != b


# --- Drawing ------------------------------------------------------------------------------------

def inside_margins(layout) -> list[str]:
    """Lines whose pixels leave the image's margins or run into the band at the bottom."""
    wrong = []
    for t in layout.texts:
        left, top, right, bottom = t.bbox
        in_band = top >= HEIGHT - BAND
        limit = HEIGHT if in_band else HEIGHT - BAND
        if left < MARGIN - 2 or right > WIDTH - MARGIN + 2 or top < 0 or bottom > limit:
            wrong.append(f"{t.text!r} at {t.bbox}")
    return wrong


TITLE_200 = ("A very long page title that somebody wrote without thinking about link previews at all, "
             "going on and on about vote pacts, ballots, write-ins and swing states until it reaches "
             "two hundred characters.")[:200]


@pytest.mark.parametrize("title", [
    TITLE_200,
    "W" * 200,                                                                   # one word, the widest letter
    "Переговоры о голосовании: как договориться с соседом, который голосует иначе, и не поссориться " * 2,
    "https://example.org/" + "a-very-long-address-without-spaces/" * 5,
])
def test_a_200_character_title_fits_inside_the_margins(fonts, title):
    title = title[:200]
    for extra in ({}, {"kicker": "Conversation guides · 20 minutes", "cue": ("For: " + "someone " * 40,)},
                  {"kicker": "Vote pact", "pair": (("A Long Candidate Name / Another Long Name", "Party " * 12),
                                                   ("Second Candidate / Running Mate", "Independent"))}):
        placed = previews.layout(card(title, **extra), fonts)
        assert not inside_margins(placed), inside_margins(placed)
        drawn = "".join(t.text for t in placed.texts).replace("\u00a0", " ").replace(" ", "")
        assert title.replace(" ", "")[:40] in drawn, "the start of the title is not drawn"
        # Nothing overlaps: lines are stacked top to bottom.
        boxes = sorted((t.bbox for t in placed.texts if t.bbox[3] < HEIGHT - BAND and t.text != "+"),
                       key=lambda b: b[1])
        for upper, lower in zip(boxes, boxes[1:]):
            if upper[0] < lower[2] and lower[0] < upper[2]:  # same column
                assert upper[3] <= lower[1] + 2, f"lines overlap: {upper} and {lower}"


def test_a_short_title_is_drawn_large_and_a_long_one_smaller(fonts):
    size = lambda title: max(t.font.size for t in previews.layout(card(title), fonts).texts)
    assert size("Short") >= 80
    assert size(TITLE_200) < size("Short")


@pytest.mark.parametrize("title", ["Голосуйте по совести", "Ψηφίστε με τη συνείδησή σας",
                                   "صوّت بضميرك", "הצביעו לפי מצפונכם"])
def test_non_latin_titles_render_with_real_glyphs(fonts, title):
    blank = image(previews.draw(card(""), fonts))
    drawn = image(previews.draw(card(title), fonts))
    assert ImageChops.difference(blank, drawn).getbbox(), "the title left no mark"
    font = fonts.get("bold", 60)

    def glyph(ch: str) -> bytes:
        img = Image.new("L", (120, 120))
        ImageDraw.Draw(img).text((20, 10), ch, font=font, fill=255)
        return img.tobytes()

    missing = glyph("\U0010fffd")                          # what a character without a glyph looks like
    for ch in set(title) - {" "}:
        assert glyph(ch) != missing, f"{ch!r} has no glyph in the font"


def test_right_to_left_titles_are_set_from_the_right_margin(fonts):
    placed = previews.layout(card("صوّت بضميرك"), fonts)
    title = next(t for t in placed.texts if "صوّت" in t.text)
    assert abs(title.bbox[2] - (WIDTH - MARGIN)) < 12


def test_the_same_card_gives_the_same_bytes(fonts):
    c = card("Same input, same PNG", kicker="Essay", cue=("By someone",))
    first = previews.draw(c, fonts)
    assert previews.draw(c, fonts) == first
    assert b"tIME" not in first and b"tEXt" not in first, "no timestamp or text chunk in the PNG"


def test_image_paths():
    assert previews.image_path("/") == "/previews/index.png"
    assert previews.image_path("/faq/") == "/previews/faq.png"
    assert previews.image_path("/candidates/stein/") == "/previews/candidates/stein.png"
    assert previews.image_path("/404.html") == "/previews/404.png"


# --- The cache ----------------------------------------------------------------------------------

def test_a_rebuild_with_no_changes_draws_nothing(scratch_site, tmp_path):
    cache = tmp_path / "cache"
    first = build(BuildOptions(scratch_site, tmp_path / "a", cache_dir=cache))
    assert first.drawn == first.pages, "a cold build draws every preview"
    second = build(BuildOptions(scratch_site, tmp_path / "b", cache_dir=cache))
    assert (second.drawn, second.printed) == (0, 0)
    pngs = sorted((tmp_path / "a").rglob("*.png"))
    assert pngs and all(p.read_bytes() == (tmp_path / "b" / p.relative_to(tmp_path / "a")).read_bytes() for p in pngs)

    # One page's title changes: only its own image is drawn again, and no PDF is made again.
    faq = scratch_site / "content" / "faq.md"
    faq.write_text(re.sub(r"^title: .*$", "title: Questions, and short answers", faq.read_text("utf-8"),
                          count=1, flags=re.M), "utf-8")
    third = build(BuildOptions(scratch_site, tmp_path / "c", cache_dir=cache))
    assert (third.drawn, third.printed) == (1, 0)


def test_the_cache_can_be_deleted_with_no_effect_but_time(scratch_site, tmp_path):
    build(BuildOptions(scratch_site, tmp_path / "a", cache_dir=tmp_path / "cache"))
    again = build(BuildOptions(scratch_site, tmp_path / "b", cache_dir=tmp_path / "other-cache"))
    assert again.drawn == again.pages
    a, b = tmp_path / "a", tmp_path / "b"
    for file in sorted(a.rglob("*")):
        if file.is_file():
            assert file.read_bytes() == (b / file.relative_to(a)).read_bytes(), file


def test_the_default_cache_is_in_the_site_folder(scratch_site, tmp_path):
    build(BuildOptions(scratch_site, tmp_path / "out"))
    assert list((scratch_site / ".cache" / "previews").glob("*.png"))


def test_text_the_fonts_cannot_draw_is_reported(fonts):
    from votepact.errors import Report

    class Page:
        url, source, line = "/ja/", "content/ja.md", 1

    report = Report()
    cards = {"/ja/": previews.Preview("/previews/ja.png", card("投票の約束 Голос ψῆφος صوت"))}
    previews.check_fonts([Page], cards, fonts, report)
    assert len(report.warnings) == 1
    message = str(report.warnings[0])
    assert message.startswith("content/ja.md:1:") and "投票の約束" in message
    assert "Голос" not in message and "صوت" not in message
    report = Report()
    previews.check_fonts([Page], {"/ja/": previews.Preview("/previews/ja.png", card("Голос ψῆφος صوت"))}, fonts, report)
    assert not report.warnings


def test_the_build_warns_of_a_title_the_fonts_cannot_draw(scratch_site, tmp_path):
    about = scratch_site / "content" / "about.md"
    about.write_text(re.sub(r"^title: .*$", "title: 投票の約束について", about.read_text("utf-8"), count=1, flags=re.M),
                     "utf-8")
    result = build(BuildOptions(scratch_site, tmp_path / "out", cache_dir=tmp_path / "cache"))
    warned = [str(w) for w in result.warnings if "cannot show" in str(w)]
    assert warned and warned[0].startswith("content/about.md:1:") and "投票の約束" in warned[0]
