"""The jurisdiction and candidate pages as a visitor meets them: two maps in one tile language, each
in its own hue, lists that say each sentence once, tiles a thumb can hit, a layout that uses a desktop's
width, and a next step. Built HTML is read for what the markup says; Chromium for what is drawn."""
from __future__ import annotations

import html
import io
import re
from itertools import combinations
from statistics import mean, pstdev

import pytest
import yaml

from conftest import REPO
from test_site import read, squash


@pytest.fixture(scope="module")
def data():
    return {name: yaml.safe_load((REPO / "data" / f"{name}.yaml").read_text("utf-8"))
            for name in ("site", "candidates", "states")}


def alternatives(data) -> list[dict]:
    return data["candidates"]["alternatives"]


def status_of(entry) -> str:
    return entry if isinstance(entry, str) else entry["status"]


def map_svg(source: str) -> str:
    return re.search(r'<figure class="tile-map[^"]*">(.*?)</figure>', source, re.S).group(1)


# --- two maps, one tile language ----------------------------------------------------------------

CROSSED = {"status-none", "rule-none"}  # not counted: a pale tile with a small x inside


def test_both_maps_draw_every_jurisdiction_as_a_rounded_square_in_one_language(built_site, data):
    """/states/ draws write-in rules (rule-* classes), a candidate's map ballot statuses (status-*),
    both as rounded squares: solid, striped, dotted, or (not counted) pale with a small x drawn
    inside the tile. Each legend lists exactly what its map shows, as the same swatches."""
    def tiles_of(svg):
        return re.findall(r'<a class="tile ([a-z-]+)"[^>]*>(<rect width="44" height="44" rx="7"[^>]*/>)(<path d="([^"]+)"/>)?<text', svg)

    rules_map = map_svg(read(built_site, "/states/")[0])
    assert "<circle" not in rules_map.split("</defs>")[1]
    rule_tiles = tiles_of(rules_map)
    assert len(rule_tiles) == len(data["states"]["states"])
    assert all(k.startswith("rule-") for k, *_ in rule_tiles)
    rule_fills = set(re.findall(r'fill="url\(#([a-z]+)-', rules_map))
    assert rule_fills <= {"rhatch", "dots"}, rule_fills
    rule_swatches = set(re.findall(r'<span class="(rule-mark rule-[a-z]+|status status-[a-z-]+)"', rules_map))
    assert {s.removeprefix("rule-mark ") for s in rule_swatches} == {k for k, *_ in rule_tiles}
    assert "Whether write-in votes are counted" in html.unescape(rules_map)
    for cand in alternatives(data):
        ballot_map = map_svg(read(built_site, f"/candidates/{cand['id']}/")[0])
        tiles = tiles_of(ballot_map)
        assert len(tiles) == len(data["states"]["states"]), cand["id"]
        assert "<circle" not in ballot_map.split("</defs>")[1]
        assert all(k.startswith("status-") for k, *_ in tiles), cand["id"]
        fills = set(re.findall(r'fill="url\(#([a-z]+)-', ballot_map))
        assert fills <= {"hatch", "cross", "dots"}, (cand["id"], fills)
        swatches = set(re.findall(r'<span class="(rule-mark rule-[a-z]+|status status-[a-z-]+)"', ballot_map))
        assert swatches and all(s.startswith("status ") for s in swatches), cand["id"]
        # the legend lists exactly the statuses the map shows
        shown = {k.removeprefix("status-") for k, *_ in tiles}
        assert {s.removeprefix("status status-") for s in swatches} == shown, cand["id"]
        rule_tiles += tiles
    # the x marks exactly the tiles that are not counted, and stays inside the tile's 44 units,
    # away from its edges (clear of its neighbours)
    for kind, _, mark, d in rule_tiles:
        assert bool(mark) == (kind in CROSSED), (kind, mark)
        if mark:
            numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", d)]
            x, y = numbers[0], numbers[1]
            assert 4 <= x and 4 <= y and x + 5 <= 40 and y + 5 <= 40, d
    # the picker list beside the map uses the rule's swatch, never a ballot status's
    picker = re.search(r'<ul class="picker">(.*?)</ul>', read(built_site, "/states/")[0], re.S).group(1)
    assert "status-" not in picker and picker.count('class="rule-mark rule-') == len(data["states"]["states"])


def drawn(page, selector: str) -> dict:
    """For each tile kind (its second class) in the map at `selector`: the painted colours of its
    shape (fill, or the colours of the pattern or gradient it is filled with) and of any mark drawn
    over it (an X's stroke)."""
    return page.evaluate("""(selector) => {
        const kinds = {};
        for (const a of document.querySelectorAll(selector + ' a.tile')) {
            const kind = a.classList[1], shape = a.querySelector('rect, circle');
            const fill = getComputedStyle(shape).fill;
            const colours = new Set();
            const ref = fill.match(/url\\("?#([^")]+)"?\\)/);
            if (ref) {
                for (const part of document.getElementById(ref[1]).querySelectorAll('rect, circle, stop')) {
                    const style = getComputedStyle(part);
                    colours.add(part.tagName === 'stop' ? style.stopColor : style.fill);
                }
            } else colours.add(fill);
            for (const mark of a.querySelectorAll('path')) colours.add(getComputedStyle(mark).stroke);
            kinds[kind] = [...new Set([...(kinds[kind] || []), ...colours])];
        }
        return kinds;
    }""", selector)


NEUTRAL = {"rgb(255, 255, 255)"}  # white grounds behind patterns may be shared


def test_the_two_maps_are_painted_in_different_hues(page, site_url, data):
    """The maps share one language, not one hue: apart from a white ground and the look of "not
    counted" (the same pale tile and x on both), no colour painted on the rule map is painted on
    any ballot map, so neither map is read as the other."""
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(site_url + "states/")
    rules = drawn(page, ".picker-map")
    assert set(rules) == {f"rule-{s.get('write_ins', 'unknown')}" for s in data["states"]["states"].values()}
    crossed = set(rules.pop("rule-none", []))
    rule_colours = {c for colours in rules.values() for c in colours} - NEUTRAL
    for cand in alternatives(data):
        page.goto(site_url + f"candidates/{cand['id']}/")
        ballot = drawn(page, ".tile-map")
        if "status-none" in ballot:
            assert not crossed or set(ballot["status-none"]) == crossed, (cand["id"], ballot["status-none"], crossed)
        shared = NEUTRAL | set(ballot.pop("status-none", [])) | crossed
        ballot_colours = {c for colours in ballot.values() for c in colours} - shared
        assert ballot_colours and not ballot_colours & (rule_colours - shared), (cand["id"], ballot_colours & rule_colours)


def grey_look(png: bytes) -> tuple[float, float]:
    """Mean grey and its spread (texture) over the middle of a shot of a tile (away from its edges
    and from the small x in its top right corner), after turning it to greyscale."""
    from PIL import Image, ImageOps
    grey = ImageOps.grayscale(Image.open(io.BytesIO(png)))
    w, h = grey.size
    values = list(grey.crop((round(w * .2), round(h * .35), round(w * .8), round(h * .8))).getdata())
    return mean(values), pstdev(values)


@pytest.mark.parametrize("path", ["states/", "candidates/castle/"])
def test_every_kind_of_tile_reads_apart_in_greyscale(page, site_url, path):
    """One tile of each kind, its label hidden, shot and turned grey: any two kinds differ in
    brightness or in texture (a pattern's spread), so colour is never the only difference."""
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(site_url + path)
    kinds = page.evaluate("[...new Set([...document.querySelectorAll('a.tile')].map(a => a.classList[1]))]")
    assert len(kinds) >= 3, kinds
    page.evaluate("document.querySelectorAll('a.tile text').forEach(t => { t.style.visibility = 'hidden'; })")
    looks = {kind: grey_look(page.locator(f"a.tile.{kind}").first.locator("rect").first.screenshot())
             for kind in kinds}
    for a, b in combinations(kinds, 2):
        (ma, sa), (mb, sb) = looks[a], looks[b]
        assert abs(ma - mb) >= 30 or abs(sa - sb) >= 20, (path, a, looks[a], b, looks[b])


def shape_of(png: bytes) -> str:
    """What a shot of one tile or swatch (its square box, nothing around it) shows, read in grey:
    'solid' (a dark middle), 'striped' (a middle of light and dark), 'crossed' (a light, even
    middle with ink in the top right corner: the small x), or what was seen when none fits."""
    from PIL import Image, ImageOps
    grey = ImageOps.grayscale(Image.open(io.BytesIO(png)))
    w, h = grey.size
    middle = list(grey.crop((round(w * .25), round(h * .5), round(w * .75), round(h * .9))).getdata())
    corner = list(grey.crop((round(w * .7), round(h * .05), round(w * .95), round(h * .3))).getdata())
    if mean(middle) < 130 and pstdev(middle) < 25:
        return "solid"
    if pstdev(middle) >= 35:
        return "striped"
    if mean(middle) >= 190 and pstdev(middle) < 20 and min(corner) < 110:
        return "crossed"
    return f"middle={mean(middle):.0f}±{pstdev(middle):.0f} corner={min(corner)}"


def in_view(page, selector: str, swatch: bool = False) -> dict:
    """The box of the first element matching `selector`, scrolled into view, as a screenshot clip
    (CSS px of the viewport); with `swatch`, the square of its ::before at the start of its line."""
    return page.evaluate("""([selector, swatch]) => {
        const e = document.querySelector(selector);
        e.scrollIntoView({block: 'center'});
        const r = e.getBoundingClientRect(), size = swatch ? parseFloat(getComputedStyle(e, '::before').width) : 0;
        return swatch ? {x: r.left, y: r.top + (r.height - size) / 2, width: size, height: size}
                      : {x: r.left, y: r.top, width: r.width, height: r.height};
    }""", [selector, swatch])


RULE_SHAPES = {"rule-any": "solid", "rule-registered": "striped", "rule-none": "crossed"}


@pytest.mark.parametrize("width", [360, 1280])
def test_each_write_in_rule_reads_apart_in_grey_on_the_map_in_the_legend_and_in_the_list(browser, site_url, width):
    """Counted for anyone is a solid tile, only if filed in advance a striped one, not counted a
    pale one with a small x, told apart in grey (not by hue) on the map, in its legend and beside
    each name in the list; and on the map no label's ink comes near the x."""
    context = browser.new_context(viewport={"width": width, "height": 900}, device_scale_factor=2)
    page = context.new_page()
    for path in ("states/", "es/states/"):
        page.goto(site_url + path)
        kinds = page.evaluate("[...new Set([...document.querySelectorAll('a.tile')].map(a => a.classList[1]))]")
        assert set(kinds) == set(RULE_SHAPES), kinds
        page.evaluate("document.fonts.ready")
        covered = page.evaluate(CROSSED_LABELS_TOO_CLOSE)
        assert not covered, (path, covered)
        page.evaluate("document.querySelectorAll('a.tile text').forEach(t => { t.style.visibility = 'hidden'; })")
        on_map = {kind: shape_of(page.screenshot(clip=in_view(page, f"a.tile.{kind} rect"))) for kind in kinds}
        assert on_map == RULE_SHAPES, (path, width, on_map)
        # a swatch is its span's ::before, at the start of the line: shoot a square of its size there
        for where in (".picker-map .legend", ".picker"):
            for kind, shape in RULE_SHAPES.items():
                seen = shape_of(page.screenshot(clip=in_view(page, f"{where} .rule-mark.{kind}", swatch=True)))
                assert seen == shape, (path, width, where, kind, seen)
    context.close()


# The labels of crossed tiles whose letters' ink (as the page's font measures it) comes within
# 1 unit, plus half the stroke, of the x; and those whose x leaves its tile's rounded square.
CROSSED_LABELS_TOO_CLOSE = """[...document.querySelectorAll('a.tile.rule-none, a.tile.status-none')].filter(a => {
    const path = a.querySelector('path'), t = a.querySelector('text'), cs = getComputedStyle(t);
    if (!path) return true;
    const pen = document.createElement('canvas').getContext('2d');
    pen.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
    pen.textAlign = 'center';
    const m = pen.measureText(t.textContent), x = +t.getAttribute('x'), y = +t.getAttribute('y');
    const box = [x - m.actualBoundingBoxLeft, y - m.actualBoundingBoxAscent, x + m.actualBoundingBoxRight, y + m.actualBoundingBoxDescent];
    const half = parseFloat(getComputedStyle(path).strokeWidth) / 2, clear = half + 1, rx = 7;
    for (let l = 0, n = path.getTotalLength(); l <= n; l += 0.25) {
        const p = path.getPointAtLength(l);
        const dx = Math.max(box[0] - p.x, 0, p.x - box[2]), dy = Math.max(box[1] - p.y, 0, p.y - box[3]);
        if (Math.hypot(dx, dy) < clear) return true;
        // inside the rounded square, stroke and all (the corner's arc centre is (37, 7))
        if (p.x + half > 44 || p.y - half < 0 || (p.x > 37 && p.y < 7 && Math.hypot(p.x - 37, p.y - 7) + half > rx)) return true;
    }
    return false;
}).map(a => a.getAttribute('aria-label'))"""


def test_the_caption_points_to_the_list_before_the_map(built_site):
    """On a phone the list is the easier way in: before the map, a line says to pick from the list
    below (a link to it) or tap the map, in both languages."""
    for prefix, words in (("", "Pick your state from"), ("/es", "Elige tu estado en")):
        source, _ = read(built_site, f"{prefix}/states/")
        caption = source.index(html.escape(words, quote=False) if "&" in words else words)
        assert caption < source.index('<figure class="tile-map picker-map">'), prefix
        assert source.index('<a href="#picker-heading">', caption) < source.index("<figure", caption), prefix
        assert 'id="picker-heading"' in source


def test_the_legends_print_with_their_swatches(page, site_url):
    """In print, each legend's swatches keep their paint (a ground or a pattern), not empty boxes."""
    page.emulate_media(media="print")
    for path, selector in (("states/", ".legend .rule-mark"), ("candidates/stein/", ".legend .status")):
        page.goto(site_url + path)
        assert page.locator(".tile-map .legend").first.is_visible()
        swatches = page.evaluate(f"""[...document.querySelectorAll('{selector}')].map(s => {{
            const b = getComputedStyle(s, '::before');
            return [b.backgroundColor, b.backgroundImage, b.printColorAdjust || b.webkitPrintColorAdjust];
        }})""")
        assert len(swatches) >= 3, path
        for colour, image, adjust in swatches:
            assert colour != "rgba(0, 0, 0, 0)" or image != "none", (path, colour, image)
            assert adjust == "exact", path


# --- each sentence once --------------------------------------------------------------------------

def row_words(row: str) -> str:
    """A list row's words beyond its states' names and their verification tags."""
    row = re.sub(r' <span class="vt vt-[a-z]+">[^<]*</span>', "", row.strip())
    return squash(html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r'^(<a href="[^"]+">[^<]+</a>(, )?)+', "", row))))


def test_candidate_rows_carry_only_their_own_words(built_site, data):
    """On every candidate page, behind "By state", the status, the verdict and the write-in rule
    are said once per group, never in a row; no two rows share a sentence; how sure a state's rule
    is shows as a tag after its name (explained once), never as a repeated sub-heading."""
    states = data["states"]["states"]
    for cand in alternatives(data):
        source, _ = read(built_site, f"/candidates/{cand['id']}/")
        by_state = re.search(r'<details class="by-state">(.*?)</details>', source, re.S).group(1)
        rows = re.findall(r"<li>(.*?)</li>", by_state, re.S)
        assert len(re.findall(r'<a href="[^"]*/states/[a-z]{2}/">', by_state)) == len(states), cand["id"]
        words = [w for w in map(row_words, rows) if w]
        assert len(words) == len(set(words)), (cand["id"], [w for w in words if words.count(w) > 1][:3])
        for row in rows:
            assert "ballot-level" not in row and "Write-ins there" not in row, (cand["id"], row)
            assert not re.search(r'class="status ', row), (cand["id"], row)
        assert 'class="sure' not in by_state and "Where this rule" not in by_state
        # a tag for each state off the ballot whose write-in rule is not verified, with its words
        off = [code for code, entry in cand["ballot"]["states"].items() if status_of(entry) not in ("ballot", "printed-not-counted")]
        tagged = [code for code in off if states[code].get("verification", "verified") != "verified"]
        tags = re.findall(r'<a href="[^"]*/states/([a-z]{2})/">[^<]+</a> <span class="vt vt-([a-z]+)">([^<]+)</span>', by_state)
        assert sorted(code.upper() for code, _, _ in tags) == sorted(tagged), cand["id"]
        for code, level, said in tags:
            assert level == states[code.upper()]["verification"] and said == {"partly": "partly verified", "unverified": "unverified"}[level]
        assert (by_state.count("A tag after a name") == 1) == bool(tagged), cand["id"]
        for group in re.findall(r'<section class="status-group".*?</section>', by_state, re.S):
            says = [squash(html.unescape(re.sub(r"<[^>]+>", " ", s))) for s in re.findall(r'<p class="says">(.*?)</p>', group, re.S)]
            assert says and len(says) == len(set(says)), (cand["id"], says)


def test_a_verdict_and_its_words_never_contradict_each_other(built_site, data):
    """"Will not be counted" is never followed by words saying write-ins are counted, and a
    status off the ballot is never called "Not available" (which the verdict can contradict)."""
    for cand in alternatives(data):
        for prefix in ("", "/es"):
            source, _ = read(built_site, f"{prefix}/candidates/{cand['id']}/")
            body = source[source.index("<body"):]
            assert "Not available" not in body and "No disponible" not in body, (prefix, cand["id"])
        source, _ = read(built_site, f"/candidates/{cand['id']}/")
        for says in re.findall(r'<p class="says">(.*?)</p>', source, re.S):
            text = squash(html.unescape(re.sub(r"<[^>]+>", " ", says)))
            if "Will not be counted" in text:
                assert ("aren’t counted" in text or "aren't counted" in text) or "are not counted" in text, (cand["id"], text)
    source, _ = read(built_site, "/states/ak/")  # a write-in where the rule needs filing: both said, tied
    text = squash(html.unescape(re.sub(r"<[^>]+>", " ", source)))
    assert "were recorded here, and the rule below counts write-ins only for candidates who filed in advance" in text
    assert "(unverified)" in text


def test_state_pages_say_each_status_once_per_verdict(built_site, data):
    """On a state's page the tickets that share a status sit under one line naming it."""
    for code in data["states"]["states"]:
        source, _ = read(built_site, f"/states/{code.lower()}/")
        for card in re.findall(r'<section class="verdict level-.*?</section>', source, re.S):
            lines = re.findall(r'<p class="verdict-status"><span class="status status-([a-z-]+)">', card)
            assert len(lines) == len(set(lines)) >= 1, (code, lines)
            items = re.findall(r"<li>(.*?)</li>", card, re.S)
            assert items and not any('class="status ' in item for item in items), code


# --- tiles a thumb can hit, a page that never scrolls sideways -----------------------------------

@pytest.mark.parametrize("path", ["states/", "candidates/stein/", "es/states/", "es/candidates/mcmullin/"])
def test_tiles_are_at_least_29_px_on_a_phone_inside_the_margins_and_the_page_never_scrolls_sideways(page, site_url, path):
    """Every tile keeps the page's side margin (none touches the screen's edge) and is still a
    target of at least 29 px (an 11-cell grid as wide as the text column: WCAG 2.5.8 asks 24;
    under the 32 px a thumb likes, so /states/ offers its list of names first)."""
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(site_url + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
    heading = page.locator("h1").bounding_box()
    boxes = page.evaluate("[...document.querySelectorAll('a.tile')].map(a => { const r = a.getBoundingClientRect(); return [r.width, r.height, r.left, r.right]; })")
    assert len(boxes) >= 50
    assert min(min(w, h) for w, h, _, _ in boxes) >= 29 - 0.01, min(boxes)
    left, right = min(b[2] for b in boxes), max(b[3] for b in boxes)
    assert left >= heading["x"] - 0.5 >= 12 and right <= 360 - heading["x"] + 0.5, ("a tile leaves the margins", left, right)
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('a.tile text')).fontSize) * "
                         "document.querySelector('.tile-map svg').getBoundingClientRect().width / "
                         "document.querySelector('.tile-map svg').viewBox.baseVal.width")
    assert size >= 12, f"tile labels drawn at {size:.1f} px"


@pytest.mark.parametrize("path", ["states/", "es/states/", "candidates/castle/"])
def test_the_x_of_a_tile_not_counted_stays_inside_it_clear_of_its_label_on_a_phone(page, site_url, path):
    """At 360 px the small x of a "not counted" tile keeps clear of the tile's label and of its
    rounded edge (so never of a neighbour), and is still drawn at least 3 px wide; tiles leave a
    visible gap (their paper-coloured outline) between them."""
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(site_url + path)
    page.evaluate("document.fonts.ready")
    assert page.locator("a.tile path").count() >= 1
    assert not page.evaluate(CROSSED_LABELS_TOO_CLOSE)
    width = page.evaluate("document.querySelector('a.tile path').getBoundingClientRect().width")
    assert width >= 3, width
    gap = page.evaluate("""(() => { const r = document.querySelector('a.tile rect');
        const k = r.ownerSVGElement.getBoundingClientRect().width / r.ownerSVGElement.viewBox.baseVal.width;
        return parseFloat(getComputedStyle(r).strokeWidth) * k; })()""")
    assert gap >= 1.5, gap


def test_a_tile_is_a_plain_link_without_javascript(browser, site_url):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(site_url + "states/")
    page.locator('a.tile[href$="/nv/"]').click()
    page.wait_for_url("**/states/nv/")
    assert page.locator("h1").inner_text() == "Nevada"
    context.close()


# --- the width of a desktop ------------------------------------------------------------------------

@pytest.mark.parametrize("cand", ["johnson", "stein", "castle", "mcmullin", "la-riva", "soltysik"])
def test_a_candidate_page_leads_with_counts_and_map_side_by_side_at_1280(page, site_url, cand):
    """At 1280 px the three counts and the next step sit beside the map, neither column left mostly
    empty; "By state" follows, closed, the whole width; the page's prose keeps a reading measure."""
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(site_url + f"candidates/{cand}/")
    words, step, drawn_map = (page.locator(s).bounding_box() for s in (".board-words", ".ballot-board .next-step", ".ballot-board .tile-map"))
    assert drawn_map["x"] >= words["x"] + words["width"], "the map is not beside the counts"
    assert abs(drawn_map["y"] - words["y"]) < 40
    left = step["y"] + step["height"] - words["y"]
    shorter, taller = sorted((left, drawn_map["height"]))
    assert shorter >= 0.6 * taller, (cand, left, drawn_map["height"])
    assert page.locator(".tally li").count() >= 3 and words["y"] < 800, "the counts are not on the first screen"
    by_state = page.locator("details.by-state")
    assert by_state.get_attribute("open") is None and by_state.bounding_box()["width"] > 0.9 * (drawn_map["x"] + drawn_map["width"] - words["x"])
    lede = page.locator(".page-head .lede").bounding_box()
    assert lede["width"] <= 46 * 17, "the lede runs wider than a reading measure"


# --- the next step --------------------------------------------------------------------------------

def test_candidate_and_state_pages_end_their_answer_with_a_next_step(built_site, data):
    """Each candidate page asks "Prefer <name>?" and each state page "Voting in <state>?", both
    with the maker's button, in English and in Spanish; the words come from data and catalog."""
    for cand in alternatives(data):
        for prefix, question in (("", f"Prefer {cand['name']}?"), ("/es", f"¿Prefieres a {cand['name']}?")):
            source, _ = read(built_site, f"{prefix}/candidates/{cand['id']}/")
            aside = re.search(r'<aside class="next-step".*?</aside>', source, re.S)
            assert aside and question in html.unescape(aside.group(0)), (prefix, cand["id"])
            assert f'href="{prefix}/pact/"' in aside.group(0)
    for code, state in data["states"]["states"].items():
        source, _ = read(built_site, f"/states/{code.lower()}/")
        aside = re.search(r'<aside class="next-step".*?</aside>', source, re.S)
        assert aside and f"Voting in {state['name']}?" in html.unescape(aside.group(0)), code
        assert 'class="button action" href="/pact/"' in aside.group(0)
    source, _ = read(built_site, "/es/states/nv/")
    assert "¿Votas en Nevada?" in html.unescape(source)


# --- the gates, on every candidate page (the page kinds test sees only one) -----------------------

@pytest.mark.parametrize("width", [360, 1280])
def test_no_wcag_22_aa_violation_on_the_data_pages(page, site_url, data, width):
    from axe_playwright_python.sync_playwright import Axe
    from test_quality import AXE_WCAG_22_AA

    page.set_viewport_size({"width": width, "height": 800})
    paths = ["states/", "es/states/", "states/nv/", "es/states/ms/", "candidates/"]
    paths += [f"{lang}candidates/{c['id']}/" for c in alternatives(data) for lang in ("", "es/")]
    axe, report = Axe(), []
    for path in paths:
        page.goto(site_url + path, wait_until="networkidle")
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
        results = axe.run(page, options=AXE_WCAG_22_AA)
        if results.violations_count:
            report.append(f"--- {path} ({width}px)\n{results.generate_report()}")
    assert not report, "\n".join(report)


# --- source marks stay with their words; groups in the legend's order ---------------------------

@pytest.mark.parametrize("path", ["states/", "candidates/castle/", "es/candidates/mcmullin/", "candidates/"])
def test_no_source_mark_starts_a_line_on_a_phone(page, site_url, path):
    """At 360 px every mark sits on the line of the word before it: its top is never left of that
    word's end on a new line (a mark wrapping alone, or stranding the full stop after it)."""
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(site_url + path)
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    stranded = page.evaluate("""[...document.querySelectorAll('a.cite')].filter(a => {
        const r = document.createRange(); r.setStartBefore(a); r.setEndBefore(a);
        const before = a.previousSibling && a.previousSibling.nodeType === 3 && a.previousSibling.textContent.trim()
            ? a.previousSibling : a.previousElementSibling;
        if (!before) return false;
        const b = (before.nodeType === 3 ? (() => { const t = document.createRange(); t.selectNodeContents(before); return t; })() : before).getClientRects();
        const last = b[b.length - 1], mine = a.getBoundingClientRect();
        return last && mine.top > last.bottom - 2;
    }).map(a => a.parentElement.textContent.slice(0, 60))""")
    assert not stranded, stranded


def test_by_state_groups_follow_the_tallies_order(built_site):
    """The groups under "By state" run as the tallies and the legend: on the ballot first."""
    source, _ = read(built_site, "/candidates/castle/")
    tallies = re.findall(r'<li class="tally-([a-z-]+)"><span class="tally-n">([0-9,]+)<', source)
    assert {"ballot", "write-in", "none"} <= {st for st, _ in tallies}, tallies  # the three, even at 0
    tallies = [st for st, n in tallies if n != "0"]
    groups = re.findall(r'<h3 class="group-head" id="st-([a-z-]+)">', source)
    assert groups == tallies and groups[0] == "ballot", (groups, tallies)
    source, _ = read(built_site, "/candidates/")
    # The method note follows the cards, behind "How we count": a phone opens on the first card.
    assert source.index('class="cards tickets"') < source.index('<details class="key"><summary>How we count</summary>')


def test_pages_with_a_next_step_have_no_closing_band_and_spanish_sources_are_spanish(built_site, data):
    """A candidate or state page offers the maker once (its next step), not again in the site's
    closing band; the Spanish pages list their sources in Spanish (data/es/sources.yaml), and a
    title ending in "?" takes no colon after it."""
    for url in ("/candidates/castle/", "/es/candidates/mcmullin/", "/states/ak/", "/es/states/nv/"):
        source, _ = read(built_site, url)
        assert source.count('class="button action"') == 1 and 'class="closing"' not in source, url
    source, _ = read(built_site, "/es/candidates/castle/")
    sources = html.unescape(re.search(r'<ol class="source-list">.*?</ol>', source, re.S).group(0))
    assert "compruebe" not in sources and "comprueba cada cifra en el informe" in sources
    assert "read in a derived table" not in sources
    source, _ = read(built_site, "/states/")
    assert "for president?:" not in html.unescape(source) and "for president?" in html.unescape(source)
