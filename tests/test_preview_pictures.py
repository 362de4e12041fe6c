"""Each kind of page has a link-preview picture of its own, drawn from its own content: checked
in the PNGs the build wrote, in both languages, as someone shown them would see them (what the
right-hand panel holds, the ink where the words go), against what the test reads itself from
the pages' Markdown."""
from __future__ import annotations

import re
from collections import Counter
from itertools import combinations
from pathlib import Path

import pytest
import yaml
from PIL import Image, ImageChops, ImageColor, ImageDraw

from votepact import previews
from votepact.previews import PANEL, PICTURE, Card, Fonts, Quote

REPO = Path(__file__).resolve().parent.parent
LANGS = ("", "es/")

KINDS = {  # a kind of page -> its page's preview, under previews/ (and previews/es/)
    "home": "index", "pact card maker": "pact", "essay": "bernie-and-boom",
    "a guide": "guides/finding-a-partner", "another guide": "guides/keeping-the-pact",
    "a guide with a pocket card": "guides/answering-objections", "guides": "guides",
    "pocket card": "guides/answering-objections/pocket-card", "FAQ": "faq", "about": "about",
    "candidates": "candidates", "states": "states"}


def preview(site: Path, lang: str, name: str) -> Image.Image:
    """The PNG the build wrote for a page (as previews.image_path names it), opened."""
    url = "/" + lang + ("" if name == "index" else name + "/")
    return Image.open(site / previews.image_path(url).lstrip("/")).convert("RGB")


def front_matter(path: str) -> dict:
    return yaml.safe_load((REPO / "content" / path).read_text("utf-8").split("---\n")[1])


def markdown(path: str) -> str:
    return (REPO / "content" / path).read_text("utf-8").split("---\n", 2)[2]


def alt(site: Path, lang: str, url: str) -> str:
    html = (site / lang / url / "index.html").read_text("utf-8")
    import html as entities
    return entities.unescape(re.search(r'<meta property="og:image:alt" content="([^"]*)"', html).group(1))


def site_fonts(site: Path) -> Fonts:
    """The fonts the build drew with: the site's own web fonts as it wrote them, DejaVu behind."""
    read = lambda name: (site / "static" / name).read_bytes()
    fallback = Fonts(*(read(previews.FONT_FILES[w]) for w in ("regular", "bold")))
    return Fonts(*(read(previews.SITE_FONT_FILES[w]) for w in ("regular", "bold")), fallback=fallback)


def share_differing(a: Image.Image, b: Image.Image) -> float:
    """The share of pixels that differ clearly between two images of one size."""
    diff = ImageChops.difference(a, b).convert("L").point(lambda v: 255 if v > 40 else 0)
    return diff.histogram()[255] / (a.width * a.height)


def gold_discs(image: Image.Image, left: int, width: int = 60) -> int:
    """How many gold discs are stacked in the column band from `left`: the runs of the action
    colour at least 10 px tall (a disc, not a thin rule) met going down a pixel column, in most
    of the columns that meet any (a column through a disc's number meets it twice)."""
    gold = ImageColor.getrgb(previews.ACTION)
    counts = Counter()
    for x in range(left, left + width):
        column = "".join("g" if image.getpixel((x, y)) == gold else " " for y in range(PICTURE[1] - 20, PICTURE[3] + 20))
        counts[sum(len(run) >= 10 for run in column.split())] += 1
    del counts[0]
    return counts.most_common(1)[0][0] if counts else 0


@pytest.mark.parametrize("lang", LANGS)
def test_no_two_kinds_of_page_share_a_picture(built_site, lang):
    """The pact maker, the essay, each guide, the guides, the pocket card, the FAQ and About each
    differ from the home page's bars, and from each other, where the picture sits."""
    pictures = {kind: preview(built_site, lang, name).crop(PICTURE) for kind, name in KINDS.items()}
    for a, b in combinations(pictures, 2):
        least = 0.02 if "guide" in a and "guide" in b else 0.1  # two guides: one cover, other words
        share = share_differing(pictures[a], pictures[b])
        assert share > least, f"{lang}: the {a} and {b} previews look alike ({share:.1%} of the picture differs)"


@pytest.mark.parametrize("lang", LANGS)
def test_the_essay_preview_sets_its_pull_quote_large(built_site, lang):
    """Its first pull quote, word for word from the essay's front matter, with the author's name
    (the Spanish page presents the English essay, so its picture quotes the English words)."""
    essay = front_matter("bernie-and-boom.md")
    words, author = essay["pull_quotes"][0]["text"], essay["author"]
    built = preview(built_site, lang, "bernie-and-boom").crop(PANEL)
    fonts = site_fonts(built_site)
    draw = lambda text: previews.draw(Card(title="", site_name="VotePact", address="votepact.org",
                                           picture=Quote(text, author)), fonts)
    expected = Image.open(__import__("io").BytesIO(draw(words))).convert("RGB").crop(PANEL)
    assert ImageChops.difference(built, expected).getbbox() is None, "the panel does not show the essay's quote"
    changed = Image.open(__import__("io").BytesIO(draw(words.replace("freedom", "fredom")))).convert("RGB").crop(PANEL)
    assert ImageChops.difference(built, changed).getbbox(), "one letter less leaves the same picture"
    # Large: the white letters stand in rows of ink at least 40 px tall.
    white = built.convert("L").point(lambda v: 255 if v > 230 else 0)
    rows = [any(white.getpixel((x, y)) for x in range(40, PANEL[2] - PANEL[0] - 30, 2)) for y in range(white.height)]
    tallest = max(len(run) for run in "".join("x" if r else " " for r in rows).split())
    assert tallest >= 40, f"the quote's letters are {tallest} px tall"
    assert words in alt(built_site, lang, "bernie-and-boom") and author in alt(built_site, lang, "bernie-and-boom")


@pytest.mark.parametrize("lang, partner, label", [("", "Partner", "would otherwise vote for"),
                                                 ("es/", "Persona", "sin el pacto, votaría por")])
def test_the_pact_makers_preview_is_its_blank_card(built_site, lang, partner, label):
    """The card as the maker shows it before anything is typed: the placeholder partners of the
    maker's own words, each with the major candidate they would otherwise vote for, on a card
    (paper and white panels filling the picture) with the gold '&' between them."""
    said = alt(built_site, lang, "pact")
    assert f"{partner} 1, {label} Hillary Clinton" in said and f"{partner} 2, {label} Donald Trump" in said
    picture = preview(built_site, lang, "pact").crop(PICTURE)
    colours = dict((c, n) for n, c in picture.getcolors(1 << 16))
    light = sum(colours.get(ImageColor.getrgb(c), 0) for c in (previews.PAPER, previews.WHITE))
    assert light > 0.35 * picture.width * picture.height, "no card in the picture"
    assert gold_discs(preview(built_site, lang, "pact"), (PICTURE[0] + PICTURE[2]) // 2 - 22, 44) == 1


GUIDES = ["finding-a-partner", "keeping-the-pact", "answering-objections", "talking-across-the-aisle-from-the-left",
          "talking-across-the-aisle-from-the-right"]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("guide", GUIDES)
def test_a_guides_preview_is_a_cover_with_its_first_steps(built_site, lang, guide):
    """Its first four steps, numbered (a gold disc each), their words in bold from the Markdown,
    under its own section's name in its own language."""
    source = f"{lang}guides/{guide}.md"
    steps = [re.sub(r"\*\*(.+?)\*\*.*", r"\1", item).replace("'", "\u2019")
             for item in re.findall(r"^\d+\. (.*)$", markdown(source), re.M)][:4]
    said = alt(built_site, lang, f"guides/{guide}")
    for i, step in enumerate(steps, 1):
        assert f"{i}. {step.rstrip(',')}" in said, f"step {i} of {source} is not on its cover"
    assert gold_discs(preview(built_site, lang, f"guides/{guide}"), PICTURE[0]) == len(steps)
    section = front_matter(f"{lang}guides/index.md")["title"]
    assert said.startswith(f"{section} · {front_matter(source)['duration']}.")


@pytest.mark.parametrize("lang", LANGS)
def test_the_guides_preview_numbers_every_guide(built_site, lang):
    titles = [front_matter(f"{lang}guides/{g}.md") for g in GUIDES]
    ordered = [t["title"] for t in sorted(titles, key=lambda t: t["order"])]
    said = alt(built_site, lang, "guides")
    assert " ".join(f"{i}. {t}" for i, t in enumerate(ordered, 1)) in said
    assert gold_discs(preview(built_site, lang, "guides"), PICTURE[0]) == len(ordered)


@pytest.mark.parametrize("lang", LANGS)
def test_the_pocket_cards_preview_is_a_card_with_its_first_questions(built_site, lang):
    questions = re.findall(r'^### "(.+?)"', markdown(f"{lang}guides/answering-objections.md"), re.M)[:5]
    said = alt(built_site, lang, "guides/answering-objections/pocket-card")
    for q in questions:
        assert q.replace("'", "\u2019") in said
    image = preview(built_site, lang, "guides/answering-objections/pocket-card")
    assert gold_discs(image, PICTURE[0], 100) == len(questions)
    # Cut marks: light lines beyond the card's corners, on the panel.
    corner = image.crop((PICTURE[0], PICTURE[1] - 20, PICTURE[0] + 60, PICTURE[1] + 6)).convert("L")
    assert corner.getextrema()[1] > 180, "no cut marks at the card's corner"


@pytest.mark.parametrize("lang", LANGS)
def test_the_faq_preview_lists_its_first_questions_each_marked_once(built_site, lang):
    """One gold disc (numbered) per question; the questions' own question marks are the words' white, not gold."""
    questions = [re.sub(r"\s*\{#.*\}$", "", q) for q in re.findall(r"^## (.+)$", markdown(f"{lang}faq.md"), re.M)][:5]
    said = alt(built_site, lang, "faq")
    assert " ".join(questions) in said
    image = preview(built_site, lang, "faq")
    assert gold_discs(image, PICTURE[0]) == len(questions)
    text = image.crop((PICTURE[0] + 60, PICTURE[1], PANEL[2], PICTURE[3]))
    gold = sum(n for n, c in text.getcolors(1 << 16) if c == ImageColor.getrgb(previews.ACTION))
    white = sum(n for n, c in text.getcolors(1 << 16) if c == ImageColor.getrgb(previews.WHITE))
    assert gold == 0 and white > 1000, f"questions marked twice: {gold} gold pixels among the words"


@pytest.mark.parametrize("lang", LANGS)
def test_the_about_preview_is_its_timeline(built_site, lang):
    years = re.findall(r"^(\d{4})\n:", markdown(f"{lang}about.md"), re.M)
    said = alt(built_site, lang, "about")
    assert all(f"{y}: " in said for y in years) and len(years) >= 3
    assert gold_discs(preview(built_site, lang, "about"), PICTURE[0]) == len(years)


@pytest.mark.parametrize("lang", LANGS)
def test_the_candidates_preview_counts_where_each_alternative_was_on_the_ballot(built_site, lang):
    """Counted by the test from data/candidates.yaml: one bar each, the count of ballots beside it."""
    data = yaml.safe_load((REPO / "data" / "candidates.yaml").read_text("utf-8"))
    states = yaml.safe_load((REPO / "data" / "states.yaml").read_text("utf-8"))["states"]
    said = alt(built_site, lang, "candidates")
    for c in data["alternatives"]:
        status = lambda v: v if isinstance(v, str) else v["status"]
        on = sum(1 for v in c["ballot"]["states"].values() if status(v) == "ballot")
        assert re.search(rf"{re.escape(c['name'])}: [^;]* {on}/{len(states)}\b", said), f"{c['name']}: {on} not in {said}"
    image = preview(built_site, lang, "candidates").crop(PICTURE)
    green = sum(n for n, colour in image.getcolors(1 << 16) if colour == ImageColor.getrgb(previews.BALLOT))
    assert green > 2000, "no bars of ballots"


@pytest.mark.parametrize("lang", LANGS)
def test_the_states_preview_marks_every_state_by_its_write_in_rule(built_site, lang):
    """As the states page's map does: the alt text groups the codes by rule (read by the test from
    data/states.yaml), and the image has a solid violet tile for every state that counts any write-in, a striped one
    for every state that counts them only for those who filed, a pale one for each that never does."""
    states = yaml.safe_load((REPO / "data" / "states.yaml").read_text("utf-8"))["states"]
    by_rule = {}
    for code, s in states.items():
        by_rule.setdefault(s.get("write_ins", "unknown"), []).append(code)
    said = alt(built_site, lang, "states")
    groups = [g.split(": ", 1) for g in said.split(". ")[-2].split("; ")]
    assert len(groups) == len(by_rule) and len(by_rule) >= 3, groups
    assert sorted(sorted(codes.split()) for _, codes in groups) == sorted(sorted(c) for c in by_rule.values())
    image = preview(built_site, lang, "states").crop(PICTURE)
    violet = sum(n for n, colour in image.getcolors(1 << 16) if colour == ImageColor.getrgb(previews.RULE))
    pale = sum(n for n, colour in image.getcolors(1 << 16) if colour == ImageColor.getrgb(previews.STATUS_FILL["none"]))
    assert violet > 400 * len(by_rule["any"]) + 200 * len(by_rule["registered"]), f"{violet} violet pixels"
    assert 300 * len(by_rule.get("none", [])) < pale < 1200 * len(by_rule.get("none", [])) + 50, f"{pale} pale pixels"
    css = (REPO / "static" / "css" / "data.css").read_text("utf-8")
    assert re.search(r"--rule:\s*(#[0-9a-f]{6})", css).group(1) == previews.RULE, "the site's violet and the image's differ"


def tile_box(image: Image.Image) -> tuple:
    """The box (left, top, right, bottom) of the one tile drawn on the picture's white card: every
    pixel that is neither the card's white nor the panel's indigo."""
    picture = image.crop(PICTURE)
    unlike = [ImageChops.difference(picture, Image.new("RGB", picture.size, ground)).convert("L").point(lambda v: 255 * (v > 0))
              for ground in (previews.WHITE, previews.BRAND)]
    left, top, right, bottom = ImageChops.multiply(*unlike).getbbox()
    return PICTURE[0] + left, PICTURE[1] + top, PICTURE[0] + right, PICTURE[1] + bottom


def one_tile(fonts, picture) -> tuple:
    """A picture of one tile drawn as a preview draws it: the image and the tile's box."""
    image = Image.new("RGB", (previews.WIDTH, previews.HEIGHT), previews.BRAND)
    previews.PICTURES[type(picture)](picture, image, ImageDraw.Draw(image), fonts, PICTURE)
    return image, tile_box(image)


def share(image: Image.Image, box: tuple, colour: str) -> float:
    colours = image.crop(box).getcolors(1 << 16)
    return sum(n for n, c in colours if c == ImageColor.getrgb(colour)) / sum(n for n, _ in colours)


def crossings(image: Image.Image, box: tuple, colour: str) -> int:
    """How many runs of `colour` a line across the tile's middle meets: stripes meet several."""
    y = (box[1] + box[3]) // 2
    line = "".join("c" if image.getpixel((x, y)) == ImageColor.getrgb(colour) else " " for x in range(box[0], box[2]))
    return len(line.split())


MAPS = {"states": (lambda s: previews.Picker(((0, 0, "", s),)), previews.RULE,
                   {"solid": "any", "striped": "registered", "not counted": "none", "dotted": "unknown"}),
        "a ticket's": (lambda s: previews.TileMap(((0, 0, s),), ()), previews.STATUS_FILL["write-in"],
                       {"solid": "ballot", "striped": "write-in", "not counted": "none", "dotted": "unknown"})}


@pytest.mark.parametrize("which", MAPS)
def test_every_preview_map_speaks_the_sites_tile_language(fonts, which):
    """As templates/_facts.html draws both maps: a rounded square; solid counts (the map's hue),
    striped counts with a condition (the hue in stripes on white), pale with a small ink × inside
    its top right corner not counted, white with ink dots not known."""
    make, hue, kinds = MAPS[which]
    solid = previews.BALLOT if which != "states" else previews.RULE
    image, box = one_tile(fonts, make(kinds["solid"]))
    assert box[2] - box[0] >= 40 and share(image, box, solid) > 0.9, "the solid tile is not filled"
    assert image.getpixel((box[0], box[1])) != ImageColor.getrgb(solid), "the tile's corners are not rounded"

    image, box = one_tile(fonts, make(kinds["striped"]))
    assert 0.25 < share(image, box, hue) < 0.75 and share(image, box, previews.WHITE) > 0.25
    assert crossings(image, box, hue) >= 3, "the tile is not striped"

    image, box = one_tile(fonts, make(kinds["not counted"]))
    assert share(image, box, previews.STATUS_FILL["none"]) > 0.7, "the tile is not pale"
    ink = [(x, y) for x in range(box[0], box[2]) for y in range(box[1], box[3])
           if image.getpixel((x, y)) == ImageColor.getrgb(previews.INK)]
    middle_x, middle_y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    assert len(ink) > 20 and all(x > middle_x and y < middle_y for x, y in ink), "no × inside the top right corner"
    xs, ys = [x for x, _ in ink], [y for _, y in ink]
    assert max(xs) < box[2] - 2 and min(ys) > box[1] + 2, "the × touches the tile's edge"
    assert image.getpixel((round((min(xs) + max(xs)) / 2), round((min(ys) + max(ys)) / 2))) == ImageColor.getrgb(previews.INK), \
        "the mark's middle is not ink: not a ×"

    image, box = one_tile(fonts, make(kinds["dotted"]))
    assert share(image, box, previews.WHITE) > 0.6, "the tile is not white"
    dots = [(x, y) for x in range(box[0], box[2]) for y in range(box[1], box[3])
            if image.getpixel((x, y)) == ImageColor.getrgb(previews.INK)]
    quarters = {(x > middle_x, y > middle_y) for x, y in dots}
    assert len(dots) > 20 and len(quarters) == 4, "the tile is not dotted all over"


@pytest.mark.parametrize("lang", LANGS)
def test_a_tickets_preview_names_its_groups_as_its_pages_legend_does(built_site, lang):
    """The words under the map in the image (and in its alt) are the web legend's, one by one."""
    html = (built_site / lang / "candidates" / "stein" / "index.html").read_text("utf-8")
    legend = re.findall(r'<span class="status status-[a-z-]+">([^<]+)</span>', html.split('<ul class="legend">', 1)[1].split("</ul>")[0])
    said = alt(built_site, lang, "candidates/stein")
    assert len(legend) >= 3 and all(label in said for label in legend), (legend, said)


def test_no_word_is_left_alone_on_the_last_line_of_a_subtitle(fonts):
    font = fonts.get("regular", 30)
    lines = previews.wrap("Make a card for your pact: both names, both choices, to download, print, sign and share. "
                          "Nothing you type leaves your browser.", font, 640)
    assert " " not in lines[-1], "the example no longer ends with one word alone; choose another"
    kept = previews.no_widow(lines, font, 640)
    assert " " in kept[-1] and len(kept) == len(lines) and " ".join(kept) == " ".join(lines)
    assert all(font.getlength(line) <= 640 for line in kept)


@pytest.fixture(scope="module")
def fonts() -> Fonts:
    read = lambda name: (REPO / "static" / name).read_bytes()
    return Fonts(read(previews.FONT_FILES["regular"]), read(previews.FONT_FILES["bold"]))


# --- review 4, defects 12 and 21 -------------------------------------------------------------------

def ink_bands(image: Image.Image, colour: str, box: tuple) -> list[tuple[int, int]]:
    """The runs of rows (top, bottom) of `box` that hold at least six pixels of exactly `colour`:
    each a line of letters in that colour."""
    want, rows = ImageColor.getrgb(colour), []
    region = image.crop(box)
    pixels = region.load()
    for y in range(region.height):
        rows.append(sum(pixels[x, y] == want for x in range(region.width)) >= 6)
    bands, start = [], None
    for y, inked in enumerate(rows + [False]):
        if inked and start is None:
            start = y
        elif not inked and start is not None:
            bands.append((start, y))
            start = None
    return bands


@pytest.mark.parametrize("lang", LANGS)
def test_the_about_previews_timeline_says_the_front_matters_short_lines_whole(built_site, lang):
    """Defect 21: not the page's sentences cut with "…", but the short line written for each date."""
    short = front_matter(f"{lang}about.md")["preview_timeline"]
    years = re.findall(r"^(\d{4})\n:", markdown(f"{lang}about.md"), re.M)
    said = alt(built_site, lang, "about")
    assert len(short) == len(years) and "…" not in said
    for year, line in zip(years, short):
        assert f"{year}: {line}" in said
    fonts = site_fonts(built_site)
    when = max(fonts.get("bold", 26).getlength(y) for y in years) + 18
    width = PICTURE[2] - PICTURE[0] - 30 - when
    for line in short:
        assert not previews.lines_of(line, fonts.get("regular", 19), width, 3)[-1].endswith("…"), line


@pytest.mark.parametrize("lang, code, place", [("", "nv", "Nevada"), ("", "dc", "District of Columbia"),
                                               ("es/", "nc", "Carolina del Norte")])
def test_a_jurisdictions_preview_asks_whats_on_its_ballot_in_two_lines_over_a_map_in_colour(built_site, lang, code, place):
    """Defect 21: a short headline built from the place's name (never the list of every
    alternative), in two lines at most; the map's tiles in the brand's lavender, the place in gold."""
    said = alt(built_site, lang, f"states/{code}")
    assert place in said and ("What’s on" in said if not lang else "¿Qué hay en la boleta" in said)
    assert "McMullin" not in said.split(". ")[1], "the headline lists the alternatives"
    image = preview(built_site, lang, f"states/{code}")
    title_lines = [b for b in ink_bands(image, previews.INK, (previews.MARGIN, 110, PANEL[0] - 40, previews.RULE_TOP))
                   if b[1] - b[0] >= 20]
    assert 1 <= len(title_lines) <= 2, f"the headline takes {len(title_lines)} lines"
    picture = preview(built_site, lang, f"states/{code}").crop(PICTURE)
    colours = {c: n for n, c in picture.getcolors(1 << 16)}
    assert colours.get(ImageColor.getrgb(previews.STATUS_FILL["area"]), 0) > 3000, "the map's tiles are not in colour"
    assert colours.get(ImageColor.getrgb(previews.ACTION), 0) > 50, "the place is not lit"


@pytest.mark.parametrize("lang", LANGS)
def test_the_pact_makers_preview_says_will_vote_for_in_the_brands_indigo_not_green(built_site, lang):
    """Defect 12: one colour for "will vote for" everywhere, the brand's indigo; no green on the card."""
    picture = preview(built_site, lang, "pact").crop(PICTURE)
    colours = {c: n for n, c in picture.getcolors(1 << 16)}
    assert colours.get(ImageColor.getrgb(previews.BALLOT), 0) == 0, "green on the pact card"
    # the labels' letters: the smooth edges of indigo drawn on the white panels (blends of the two)
    brand, white = ImageColor.getrgb(previews.BRAND), ImageColor.getrgb(previews.WHITE)
    steps = previews._steps()
    edges = {previews._blend(brand, white, i, steps) for i in range(1, steps - 1)}
    lower = picture.crop((0, picture.height // 2, picture.width, picture.height))
    inside = sum(n for n, c in lower.getcolors(1 << 16) if c in edges)
    assert inside > 40, f"no indigo letters on the card's panels ({inside} edge pixels)"


def test_a_long_legend_label_comes_whole_in_two_lines(fonts):
    """A map legend's label (a longer language's words for a ballot status) takes two lines, in
    smaller type when needed, rather than losing its end; only what cannot fit in two lines at
    the smallest size is cut, with an ellipsis."""
    label = "No está en la boleta ni inscrita para el voto por escrito"
    width = fonts.get("regular", 24).getlength(label) * 0.48   # two lines at 24 px cannot hold it, at 20 px they can
    font, (lines,) = previews.legend_lines([label], fonts, width)
    assert font.size < 24 and len(lines) == 2 and " ".join(lines) == label
    assert all(font.getlength(line) <= width for line in lines)
    short_font, (short,) = previews.legend_lines(["En la boleta"], fonts, width)
    assert short_font.size == 24 and short == ["En la boleta"]
    _, (cut,) = previews.legend_lines([label * 3], fonts, width)
    assert len(cut) == 2 and cut[-1].endswith("…")
