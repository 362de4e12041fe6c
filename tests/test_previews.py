"""Link previews: every page has its 1200x630 image with a picture drawn from the data, the tags
point at it, titles of any length and script fit whole, the images are the same bytes from one
build to the next (drawn here or by other processes), and a rebuild with no changes draws nothing."""
from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from PIL import Image, ImageChops, ImageColor, ImageDraw, ImageStat

from votepact import previews
from votepact.build import BuildOptions, build
from votepact.content import read_page
from votepact.data import load_data
from votepact.errors import Report
from votepact.pages import generated_pages
from votepact.previews import HEIGHT, MARGIN, PICTURE, TEXT, WIDTH, Ballots, Bars, Card, Fonts, Standing, TileMap

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
        img = image(site_file(built_site, url).read_bytes())
        assert img.mode == "P", f"{url}: not a palette image"
        grey = img.convert("L")
        assert ImageStat.Stat(grey.crop(TEXT)).stddev[0] > 20, f"{url}: nothing drawn in the title area"
        assert ImageStat.Stat(grey.crop(PICTURE)).stddev[0] > 20, f"{url}: no picture"
        assert len(img.convert("RGB").getcolors(1 << 16) or range(1 << 16)) > 16, f"{url}: looks blank"


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
    assert "15-minute talk" in alt("guides/answering-objections/index.html")
    assert "Pocket card" in alt("guides/answering-objections/pocket-card/index.html")
    assert "Votes before one pact: Clinton 10, Trump 10, Others 0; after it: Clinton 9, Trump 9, Others 2" in alt("index.html")
    assert "On the ballot in 45" in candidate and "Map: On the ballot: 45; Write-in votes recorded: 3; " \
        "Not on the ballot, no write-in status: 3." in candidate
    assert alt("index.html").count("VotePact") == 1, "the home preview names the site twice"


def default_site_pages() -> tuple:
    """The default site's Markdown and generated pages, its settings and election, as the build reads them."""
    report = Report()
    data = load_data(REPO, report)
    pages = [read_page(p, REPO / "content", REPO, report) for p in sorted((REPO / "content").rglob("*.md"))]
    assert not report.errors
    return pages + generated_pages(data.election), data.settings, data.election


def test_every_preview_of_the_default_site_draws_its_title_and_cue_whole_and_the_name_once(fonts):
    pages, settings, election = default_site_pages()
    by_url = {p.url: p for p in pages}
    for page in pages:
        c = previews.card_for(page, settings, election, by_url)
        placed = previews.layout(c, fonts)
        assert placed.title_lines and "…" not in "".join(placed.title_lines), f"{page.url}: title cut"
        assert " ".join(placed.title_lines).replace("\u00a0", " ") == " ".join(c.title.split()), page.url
        drawn = " ".join(t.text for t in placed.texts if not t.frame).replace("\u00a0", " ")
        for cue in c.cue:
            assert " ".join(cue.split()) in drawn, f"{page.url}: the cue {cue!r} is not drawn whole"
        assert c.title != settings.title, f"{page.url}: the title repeats the site's name at the top"
        assert [t.text for t in placed.texts if t.frame] == [settings.title, previews.site_address(settings.base_url)]
        assert c.picture is not None, f"{page.url}: no picture"
        kind = type(c.picture)
        if "candidate" in page.context:
            assert kind is TileMap and len(c.picture.tiles) == len(election.states)
        elif "pairing" in page.context:
            assert kind is Ballots and len(c.picture.tickets) == 2
        elif "state" in page.context:  # a jurisdiction's page: its tile lit on the map
            assert kind is previews.Standing
        else:
            assert kind is PICTURE_OF.get(page.url.replace("/es/", "/", 1), Bars), f"{page.url}: {kind.__name__}"
        cue_lines = [t.text for t in placed.texts if t.fill == previews.MUTED and not t.frame]
        if len(cue_lines) > 1:  # the subtitle never leaves one word alone on its last line
            assert " " in cue_lines[-1].replace("\u00a0", " "), f"{page.url}: one word alone under {cue_lines}"
        for lines in (placed.title_lines, cue_lines):
            assert not any(line[:1] in SEPARATORS for line in lines[1:]), f"{page.url}: a line starts with a sign: {lines}"


SEPARATORS = "/·–—|"


@pytest.mark.parametrize("sign", list(SEPARATORS))
def test_a_separator_ends_a_line_and_never_starts_one(fonts, sign):
    """Whatever the width, a lone '/' (or '·', '–', ...) stays at the end of the line before it."""
    font = fonts.get("bold", 60)
    text = f"Jill Stein {sign} Ajamu Baraka {sign} Green Party"
    broken_at_sign = 0
    widest = max(font.getlength(w) for w in (f"Stein {sign}", f"Baraka {sign}", "Party"))  # narrower breaks words
    for width in range(round(widest) + 1, 900, 10):
        lines = previews.wrap(text, font, width)
        assert not any(line[:1] == sign for line in lines[1:]), f"{width} px: {lines}"
        broken_at_sign += any(line.endswith(sign) for line in lines[:-1])
    assert broken_at_sign, "no width broke the text next to the sign: the test shows nothing"
    title = previews.layout(Card(title=f"Jill Stein {sign} Ajamu Baraka", site_name="S", address="s.org"), fonts)
    assert title.title_lines[0].endswith(sign) and title.title_lines[1] == "Ajamu Baraka", title.title_lines
    assert previews.wrap(f"{sign} Sam Husseini", font, 250)[0].startswith(sign), "an opening sign leaves its word"


def test_a_subtitle_does_not_end_with_two_words_when_three_fit(fonts):
    """The pairing pages' subtitle (the site's tagline) once ended with 'it was' alone, and no full stop."""
    font = fonts.get("regular", 30)
    text = "Two votes freed, the national margin left as it was."
    width = next(w for w in range(400, 900, 5) if previews.wrap(text, font, w)[-1] == "it was.")
    lines = previews.wrap(text, font, width)
    kept = previews.no_widow(lines, font, width)
    assert len(kept) == len(lines) and len(kept[-1].split(" ")) >= 3 and " ".join(kept) == text, kept
    assert all(font.getlength(line) <= width for line in kept)
    assert previews.no_widow(["Questions", "and answers"], font, 540) == ["Questions", "and answers"]
    assert previews.no_widow(["Conversation", "guides"], fonts.get("bold", 76), 600) == ["Conversation", "guides"], \
        "a word was broken to lengthen the last line"


def test_a_tagline_under_a_title_ends_like_a_sentence():
    assert previews.sentence("the national margin left as it was") == "the national margin left as it was."
    assert previews.sentence("Left as it was!") == "Left as it was!"
    assert previews.sentence("Left as it was.") == "Left as it was."
    assert previews.sentence("二票") == "二票\u3002"


def test_the_words_end_40_px_above_the_gold_rule_and_never_sit_low_on_any_preview(fonts):
    pages, settings, election = default_site_pages()
    by_url = {p.url: p for p in pages}
    for page in pages:
        placed = previews.layout(previews.card_for(page, settings, election, by_url), fonts)
        lowest = max(t.bbox[3] for t in placed.texts if not t.frame)
        highest = min(t.bbox[1] for t in placed.texts if not t.frame)
        below, above = previews.RULE_TOP - lowest, highest - (previews.MARK_TOP + previews.MARK_SIZE)
        assert below >= 36, f"{page.url}: the words end {below} px above the rule"
        assert above <= below + 8, f"{page.url}: the words sit low: {above} px under the mark, {below} px over the rule"


PICTURE_OF = {"/pact/": previews.PactCard, "/bernie-and-boom/": previews.Quote, "/faq/": previews.Questions,
              "/about/": previews.Timeline, "/guides/": previews.Contents, "/candidates/": previews.Reach,
              "/states/": previews.Picker,
              **{f"/guides/{g}/": previews.GuideCover for g in (
                  "finding-a-partner", "answering-objections", "keeping-the-pact",
                  "talking-across-the-aisle-from-the-left", "talking-across-the-aisle-from-the-right")}}
"""The picture each page of the default site that is not a candidate's, a pairing's or a state's
shows; every other page shows the pact's arithmetic (Bars): the home page and the 404 page."""


def test_a_page_of_a_kind_the_previews_do_not_know_gets_the_general_card(fonts):
    from votepact.content import Page
    pages, settings, election = default_site_pages()
    odd = Page(url="/maps/", title="A page of a new kind", template="maps.html", source="templates/maps.html",
               line=1, description="Something new.", context={"map": object(), "candidate_ids": ("stein",)})
    c = previews.card_for(odd, settings, election, {})
    assert c.title == "A page of a new kind" and c.cue == ("Something new.",) and isinstance(c.picture, Bars)
    assert previews.draw(c, fonts)


def test_a_jurisdictions_page_shows_where_each_alternative_stands_there(fonts):
    """A page that carries a jurisdiction (a State) in its context, under whatever name."""
    from votepact.content import Page
    pages, settings, election = default_site_pages()
    nevada = election.states["NV"]
    for key in ("state", "jurisdiction"):
        page = Page(url="/states/nv/", title=f"{nevada.name}", template="state.html", source="data/states.yaml",
                    line=1, context={key: nevada})
        c = previews.card_for(page, settings, election, {})
        assert isinstance(c.picture, Standing) and c.picture.here == nevada.tile
        assert [name for name, _, _ in c.picture.rows] == [a.name for a in election.alternatives]
        assert [status for _, status, _ in c.picture.rows] == [a.ballot["NV"].status for a in election.alternatives]
        assert nevada.name in c.kicker and c.cue == (nevada.write_in_label,)
    lit = image(previews.draw(c, fonts)).convert("RGB")
    gold = sum(n for n, colour in lit.crop(PICTURE).getcolors(1 << 16) if colour == ImageColor.getrgb(previews.ACTION))
    assert gold > 200, "neither the jurisdiction's tile nor a ticket on its ballot is lit"


def test_each_picture_is_drawn_inside_its_panel_and_is_not_blank(fonts):
    pictures = [Bars(("Clinton", "Trump", "Others"), (10, 10, 0), (9, 9, 2)),
                TileMap(((0, 0, "ballot"), (0, 1, "write-in"), (1, 0, "none"), (1, 1, "unknown")),
                        (("ballot", "On the ballot", 1), ("write-in", "Registered write-in", 1))),
                Ballots((("A Very Long Candidate Name", "Running Mate", "Party of Something"), ("B", "", "Other"))),
                Standing(((0, 0), (0, 1), (1, 1)), (0, 1), (("Someone", "ballot", "On the ballot"),) * 9)]
    plain = image(previews.draw(card("Same title"), fonts)).convert("RGB")
    for picture in pictures:
        drawn = image(previews.draw(card("Same title", picture=picture), fonts)).convert("RGB")
        changed = ImageChops.difference(plain, drawn).getbbox()
        assert changed, f"{type(picture).__name__}: nothing drawn"
        left, top, right, bottom = changed
        assert left >= previews.PANEL[0] and top >= 0, f"{type(picture).__name__} leaves its panel: {changed}"
        assert ImageStat.Stat(drawn.convert("L").crop(PICTURE)).stddev[0] > 20


def test_the_preview_of_a_pairing_page_differs_from_another_pairing(built_site):
    a = (built_site / "previews/pact/johnson-stein.png").read_bytes()
    b = (built_site / "previews/pact/stein-castle.png").read_bytes()
    assert a != b


# --- Drawing ------------------------------------------------------------------------------------

def inside_margins(layout) -> list[str]:
    """Lines whose pixels leave the text column (left of the picture) or the image."""
    wrong = []
    for t in layout.texts:
        left, top, right, bottom = t.bbox
        if left < MARGIN - 2 or right > TEXT[2] + 2 or top < 0 or bottom > HEIGHT - 20:
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
                  {"kicker": "Vote pact", "picture": Ballots((("A Long Candidate Name", "Another Long Name", "Party " * 12),
                                                              ("Second Candidate", "Running Mate", "Independent")))}):
        placed = previews.layout(card(title, **extra), fonts)
        assert not inside_margins(placed), inside_margins(placed)
        assert "".join(placed.title_lines).replace("\u00a0", "").replace(" ", "") == title.replace(" ", ""), \
            "the title is not drawn whole"
        # Nothing overlaps: lines are stacked top to bottom.
        boxes = sorted((t.bbox for t in placed.texts), key=lambda b: b[1])
        for upper, lower in zip(boxes, boxes[1:]):
            if upper[0] < lower[2] and lower[0] < upper[2]:  # same column
                assert upper[3] <= lower[1] + 2, f"lines overlap: {upper} and {lower}"


def test_a_short_title_is_drawn_large_and_a_long_one_smaller(fonts):
    size = lambda title: previews.layout(card(title), fonts).title_size
    assert size("Short") == previews.TITLE_SIZES[0]
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


def test_a_title_shrinks_before_it_breaks_a_word(fonts):
    placed = previews.layout(card("#BernieAndBoom"), fonts)
    assert placed.title_lines == ["#BernieAndBoom"]


def test_right_to_left_titles_are_set_from_the_right_edge_of_their_column(fonts):
    placed = previews.layout(card("صوّت بضميرك"), fonts)
    title = next(t for t in placed.texts if "صوّت" in t.text)
    assert abs(title.bbox[2] - TEXT[2]) < 12


def test_the_same_card_gives_the_same_bytes(fonts):
    c = card("Same input, same PNG", kicker="Essay", cue=("By someone",))
    first = previews.draw(c, fonts)
    assert previews.draw(c, fonts) == first
    assert b"tIME" not in first and b"tEXt" not in first, "no timestamp or text chunk in the PNG"


def test_many_images_drawn_by_other_processes_are_the_same_bytes(fonts, monkeypatch):
    bars = Bars(("Clinton", "Trump", "Others"), (10, 10, 0), (9, 9, 2))
    cards = [card(f"Page number {i}", kicker="Posts", cue=(f"Cue {i}",), picture=bars) for i in range(40)]
    alone = [previews.draw(c, fonts) for c in cards]
    monkeypatch.setattr(previews, "PARALLEL_FROM", 2)
    monkeypatch.setattr(previews, "CHUNK", 4)
    assert previews.draw_many(cards, fonts) == alone


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
    build(BuildOptions(scratch_site, tmp_path / "a"))  # the session's cache (drawn by earlier builds, or now)
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
    result = build(BuildOptions(scratch_site, tmp_path / "out"))
    warned = [str(w) for w in result.warnings if "cannot show" in str(w)]
    assert warned and warned[0].startswith("content/about.md:1:") and "投票の約束" in warned[0]


def latin_only(font: bytes) -> bytes:
    """The font cut down to ASCII, as a site's web-font subset might be."""
    from fontTools import subset as ft_subset
    from fontTools.ttLib import TTFont
    tt = TTFont(io.BytesIO(font))
    subsetter = ft_subset.Subsetter(ft_subset.Options())
    subsetter.populate(text="".join(chr(c) for c in range(0x20, 0x7F)))
    subsetter.subset(tt)
    out = io.BytesIO()
    tt.save(out)
    return out.getvalue()


def test_the_sites_own_typeface_is_used_and_the_projects_draws_what_it_lacks(fonts):
    from types import SimpleNamespace
    regular, bold = fonts.data["regular"], fonts.data["bold"]
    site_regular, site_bold = latin_only(regular), latin_only(bold)
    assets = {name: SimpleNamespace(data=data) for name, data in (
        (previews.FONT_FILES["regular"], regular), (previews.FONT_FILES["bold"], bold))}
    assert previews.Fonts.from_assets(assets).data["bold"] == bold, "without the site's fonts: the project's"
    assets.update({previews.SITE_FONT_FILES["regular"]: SimpleNamespace(data=site_regular),
                   previews.SITE_FONT_FILES["bold"]: SimpleNamespace(data=site_bold)})
    chosen = previews.Fonts.from_assets(assets)
    assert chosen.data["bold"] == site_bold and chosen.fallback.data["bold"] == bold
    assert chosen.for_text("Vote your conscience") is chosen
    assert chosen.for_text("Голосуйте по совести") is chosen.fallback
    russian = image(previews.draw(card("Голосуйте по совести"), chosen))
    assert russian.tobytes() == image(previews.draw(card("Голосуйте по совести"), chosen.fallback)).tobytes()
    from votepact.errors import Report

    class Page:
        url, source, line = "/ru/", "content/ru.md", 1

    report = Report()
    previews.check_fonts([Page], {"/ru/": previews.Preview("/previews/ru.png", card("Голосуйте"))}, chosen, report)
    assert not report.warnings, "the project's fonts draw what the site's lack: nothing to warn of"


# --- One palette ------------------------------------------------------------------------------

def test_the_site_and_the_preview_images_draw_charts_in_one_palette():
    """The two majors, the others (what a pact gains) and the write-in hatching are the same
    colours in the site's CSS (the last value of each custom property wins) and in the images."""
    css = (Path(__file__).resolve().parent.parent / "static" / "css" / "site.css").read_text("utf-8")

    def role(name):
        return re.findall(rf"--{name}:\s*(#[0-9a-fA-F]{{3,6}})", css)[-1].lower()

    assert role("major-a") == previews.MAJOR_A.lower()
    assert role("major-b") == previews.MAJOR_B.lower()
    home = (Path(__file__).resolve().parent.parent / "static" / "css" / "home.css").read_text("utf-8")
    others = re.search(r"\.bar-3\s*\{\s*fill:\s*var\(--([a-z-]+)\)", home).group(1)  # the home chart's third bar
    assert role(others) == previews.ACTION.lower() == role("action")
    assert role("st-write") == previews.STATUS_FILL["write-in"].lower()
    assert role("st-ballot") == previews.STATUS_FILL["ballot"].lower()
    assert role("st-none") == previews.STATUS_FILL["none"].lower()


@pytest.mark.parametrize("party", ["Party for Socialism and Liberation",
                                   "The Very Long Named Independent Party for Socialism, Liberation and Everything Else"])
def test_a_long_party_name_on_a_ballot_stays_inside_its_box(fonts, party):
    """The party's words shrink (then lose lines) rather than run into the two empty choice rows:
    measured in the drawn image, nothing dark lies in the band of those rows, and each line
    measured with Pillow fits the ballot's width."""
    ballots = Ballots((("Darrell Castle", "Scott Bradley", "Constitution"), ("Gloria La Riva", "Eugene Puryear", party)))
    drawn = image(previews.draw(card("A vote pact", picture=ballots), fonts)).convert("L")
    left, top, right, bottom = PICTURE
    y0 = top + (bottom - top - 380) // 2            # the ballots are 380 px tall, centred in the picture
    width = (right - left - 20) // 2                # two ballots, 20 px apart
    for x in (left, left + width + 20):             # on each white ballot: its choice rows and 6 px above them
        rows = (x + 4, y0 + 380 - 18 - 74 - 6, x + width - 4, y0 + 380 - 18)
        assert drawn.crop(rows).getextrema()[0] > 150, "text runs into the choice rows"
    lines = previews.ballot_lines("Gloria La Riva", "Eugene Puryear", party, fonts, 148, 190)
    assert any(party.split()[0] in line for line, *_ in lines)
    for line, font, _, y in lines:
        assert font.getlength(line) <= 148 and y + font.getbbox(line)[3] <= 190, line
