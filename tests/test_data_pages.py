"""The jurisdiction and candidate pages as a visitor meets them: two maps that cannot be read as one
another, lists that say each sentence once, tiles a thumb can hit, a layout that uses a desktop's
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


# --- two maps, two visual languages ---------------------------------------------------------------

def test_the_rule_map_and_the_ballot_maps_share_no_shape_class_or_pattern(built_site, data):
    """/states/ draws write-in rules on round tiles with rule-* classes and a ring fill; a
    candidate's map draws ballot statuses as squares with status-* classes and hatch/cross/dots
    fills. Neither uses anything of the other's, and each legend says what its map encodes."""
    rules_map = map_svg(read(built_site, "/states/")[0])
    assert re.findall(r"<rect[ >]", rules_map.split("</defs>")[1]) == []
    assert len(re.findall(r'<a class="tile rule-[a-z]+"[^>]*><circle ', rules_map)) == len(data["states"]["states"])
    rule_fills = set(re.findall(r'fill="url\(#([a-z]+)-', rules_map))
    rule_swatches = set(re.findall(r'<span class="(rule-mark rule-[a-z]+|status status-[a-z-]+)"', rules_map))
    assert "Whether write-in votes are counted" in html.unescape(rules_map)
    for cand in alternatives(data):
        ballot_map = map_svg(read(built_site, f"/candidates/{cand['id']}/")[0])
        tiles = re.findall(r'<a class="tile ([a-z-]+)"[^>]*><(rect|circle) ', ballot_map)
        assert len(tiles) == len(data["states"]["states"]), cand["id"]
        assert {shape for _, shape in tiles} == {"rect"}, cand["id"]
        assert all(k.startswith("status-") for k, _ in tiles), cand["id"]
        fills = set(re.findall(r'fill="url\(#([a-z]+)-', ballot_map))
        assert not fills & rule_fills and fills <= {"hatch", "cross", "dots"}, (cand["id"], fills)
        swatches = set(re.findall(r'<span class="(rule-mark rule-[a-z]+|status status-[a-z-]+)"', ballot_map))
        assert swatches and all(s.startswith("status ") for s in swatches), cand["id"]
        assert not swatches & rule_swatches
        assert f"Squares: where {cand['name']} is on the ballot" in html.unescape(ballot_map)
        # the legend lists exactly the statuses the map shows
        shown = {k.removeprefix("status-") for k, _ in tiles}
        assert {s.removeprefix("status status-") for s in swatches} == shown, cand["id"]
    assert rule_fills == {"ring"} and all(s.startswith("rule-mark ") for s in rule_swatches)
    # the picker list beside the map uses the rule's round swatch, never a ballot status's square
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
    """Apart from a white ground, no colour painted on the rule map is painted on any ballot map."""
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(site_url + "states/")
    rules = drawn(page, ".picker-map")
    assert set(rules) == {f"rule-{s.get('write_ins', 'unknown')}" for s in data["states"]["states"].values()}
    rule_colours = {c for colours in rules.values() for c in colours} - NEUTRAL
    for cand in alternatives(data):
        page.goto(site_url + f"candidates/{cand['id']}/")
        ballot = drawn(page, ".tile-map")
        ballot_colours = {c for colours in ballot.values() for c in colours} - NEUTRAL
        assert ballot_colours and not ballot_colours & rule_colours, (cand["id"], ballot_colours & rule_colours)


def grey_look(png: bytes) -> tuple[float, float]:
    """Mean grey and its spread (texture) over the middle of a shot of a tile (a box inside
    a circle, away from edges and gaps), after turning it to greyscale."""
    from PIL import Image, ImageOps
    grey = ImageOps.grayscale(Image.open(io.BytesIO(png)))
    w, h = grey.size
    values = list(grey.crop((round(w * .2), round(h * .2), round(w * .8), round(h * .8))).getdata())
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
    looks = {kind: grey_look(page.locator(f"a.tile.{kind}").first.locator("rect, circle").first.screenshot())
             for kind in kinds}
    for a, b in combinations(kinds, 2):
        (ma, sa), (mb, sb) = looks[a], looks[b]
        assert abs(ma - mb) >= 30 or abs(sa - sb) >= 20, (path, a, looks[a], b, looks[b])


def shape_of(png: bytes) -> str:
    """What a shot of one tile or swatch (its square box, nothing around it) shows, read from the
    grey levels of four places: the middle, the middle of each edge (where a ring or disc meets
    its box), the corners (where only an X reaches) and the ring between middle and edge (where a
    disc is filled and a ring is not). 'disc', 'ring', 'x', or what was seen when none fits."""
    from PIL import Image, ImageOps
    grey = ImageOps.grayscale(Image.open(io.BytesIO(png)))
    w, h = grey.size

    def ink(points) -> bool:  # darker than a light ground, on average, around these points
        values = [grey.getpixel((min(w - 1, round(x * (w - 1))), min(h - 1, round(y * (h - 1))))) for x, y in points]
        return mean(values) < 170

    edges = ink([(.5, .05), (.05, .5), (.95, .5), (.5, .95)])
    corners = ink([(.1, .1), (.9, .1), (.1, .9), (.9, .9)])
    inside = ink([(.5, .25), (.25, .5), (.75, .5), (.5, .75)])
    if edges and not corners:
        return "disc" if inside else "ring"
    if corners and not edges and not inside:
        return "x"
    return f"edges={edges} corners={corners} inside={inside}"


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


RULE_SHAPES = {"rule-any": "disc", "rule-registered": "ring", "rule-none": "x"}


@pytest.mark.parametrize("width", [360, 1280])
def test_each_write_in_rule_has_its_own_shape_on_the_map_in_the_legend_and_in_the_list(browser, site_url, width):
    """Counted for anyone is a filled disc, only if filed in advance a ring, not counted an X, told
    apart by shape in grey (not by hue), on the map, in its legend and beside each name in the
    list; and on the map no label sits on an X's arms (the mark that tells it from a ring)."""
    context = browser.new_context(viewport={"width": width, "height": 900}, device_scale_factor=2)
    page = context.new_page()
    for path in ("states/", "es/states/"):
        page.goto(site_url + path)
        kinds = page.evaluate("[...new Set([...document.querySelectorAll('a.tile')].map(a => a.classList[1]))]")
        assert set(kinds) == set(RULE_SHAPES), kinds
        # no label over an X's arms: the letters' ink (as the page's font measures it) keeps clear
        # of every point along the arms by more than half their stroke
        page.evaluate("document.fonts.ready")
        covered = page.evaluate("""[...document.querySelectorAll('a.tile.rule-none')].filter(a => {
            const path = a.querySelector('path'), t = a.querySelector('text'), cs = getComputedStyle(t);
            if (!path) return true;
            const pen = document.createElement('canvas').getContext('2d');
            pen.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
            pen.textAlign = 'center';
            const m = pen.measureText(t.textContent), x = +t.getAttribute('x'), y = +t.getAttribute('y');
            const box = [x - m.actualBoundingBoxLeft, y - m.actualBoundingBoxAscent, x + m.actualBoundingBoxRight, y + m.actualBoundingBoxDescent];
            const clear = parseFloat(getComputedStyle(path).strokeWidth) / 2 + 0.5;
            for (let l = 0, n = path.getTotalLength(); l <= n; l += 0.25) {
                const p = path.getPointAtLength(l);
                const dx = Math.max(box[0] - p.x, 0, p.x - box[2]), dy = Math.max(box[1] - p.y, 0, p.y - box[3]);
                if (Math.hypot(dx, dy) < clear) return true;
            }
            return false;
        }).map(a => a.getAttribute('aria-label'))""")
        assert not covered, (path, covered)
        page.evaluate("document.querySelectorAll('a.tile text').forEach(t => { t.style.visibility = 'hidden'; })")
        on_map = {kind: shape_of(page.screenshot(clip=in_view(page, f"a.tile.{kind} circle"))) for kind in kinds}
        assert on_map == RULE_SHAPES, (path, width, on_map)
        # a swatch is its span's ::before, at the start of the line: shoot a square of its size there
        for where in (".picker-map .legend", ".picker"):
            for kind, shape in RULE_SHAPES.items():
                seen = shape_of(page.screenshot(clip=in_view(page, f"{where} .rule-mark.{kind}", swatch=True)))
                assert seen == shape, (path, width, where, kind, seen)
    context.close()


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
        assert page.locator(".legend-title").first.is_visible()
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
    """A list row's words beyond its states' names."""
    return squash(html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r'^(<a href="[^"]+">[^<]+</a>(, )?)+', "", row.strip()))))


def test_candidate_rows_carry_only_their_own_words(built_site, data):
    """On every candidate page the status, the verdict and the write-in rule are said once per
    group, never in a row; no two rows share a sentence; no group says the same line twice."""
    for cand in alternatives(data):
        source, _ = read(built_site, f"/candidates/{cand['id']}/")
        by_state = re.search(r'<div class="by-state">(.*)</div>\s*</div>\s*</section>', source, re.S).group(1)
        rows = re.findall(r"<li>(.*?)</li>", by_state, re.S)
        assert len(re.findall(r'<a href="[^"]*/states/[a-z]{2}/">', by_state)) == len(data["states"]["states"]), cand["id"]
        words = [w for w in map(row_words, rows) if w]
        assert len(words) == len(set(words)), (cand["id"], [w for w in words if words.count(w) > 1][:3])
        for row in rows:
            assert "ballot-level" not in row and "Write-ins there" not in row, (cand["id"], row)
            assert not re.search(r'class="status ', row), (cand["id"], row)
        for group in re.findall(r'<section class="status-group".*?</section>', by_state, re.S):
            says = [squash(html.unescape(re.sub(r"<[^>]+>", " ", s))) for s in re.findall(r'<p class="says">(.*?)</p>', group, re.S)]
            assert len(says) == len(set(says)), (cand["id"], says)
            leads = re.findall(r'<p class="sure[^"]*">', group)
            assert len(re.findall(r'<div class="rule-block', group)) >= 1 or "st-ballot" in group
            # every sure-lead opens a list, and one rule block never says the same lead twice
            for block in re.findall(r'<div class="rule-block.*?</div>', group, re.S):
                block_leads = re.findall(r'<p class="sure[^"]*">([^<]+)</p>', block)
                assert len(block_leads) == len(set(block_leads)), (cand["id"], block_leads)
            assert len(leads) <= len(re.findall(r'<ul class="ballot-list', group))


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
def test_tiles_are_at_least_27_px_on_a_phone_inside_the_margins_and_the_page_never_scrolls_sideways(page, site_url, path):
    """Every tile keeps the page's side margin (none touches the screen's edge) and is still a
    target of at least 29 px for a square, 27 px for a circle (which leaves 2 px to its neighbours:
    the same 30 px pitch; WCAG 2.5.8 asks 24): the grid is as wide as the text column."""
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(site_url + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
    heading = page.locator("h1").bounding_box()
    boxes = page.evaluate("[...document.querySelectorAll('a.tile')].map(a => { const r = a.getBoundingClientRect(); return [r.width, r.height, r.left, r.right]; })")
    assert len(boxes) >= 50
    assert min(min(w, h) for w, h, _, _ in boxes) >= (27 if "states" in path else 29) - 0.01, min(boxes)
    left, right = min(b[2] for b in boxes), max(b[3] for b in boxes)
    assert left >= heading["x"] - 0.5 >= 12 and right <= 360 - heading["x"] + 0.5, ("a tile leaves the margins", left, right)
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('a.tile text')).fontSize) * "
                         "document.querySelector('.tile-map svg').getBoundingClientRect().width / "
                         "document.querySelector('.tile-map svg').viewBox.baseVal.width")
    # Squares hold 12 px labels; a round tile's label is smaller, so that it keeps clear of the ring.
    assert size >= (10.5 if "states" in path else 12), f"tile labels drawn at {size:.1f} px"


@pytest.mark.parametrize("path", ["states/", "es/states/"])
def test_round_tiles_keep_their_labels_clear_of_the_ring_and_2_px_apart_on_a_phone(page, site_url, path):
    """At 360 px, on the write-in map: no label's box (its capitals, side to side) reaches within
    1 px of its tile's ring (or, on an X tile, of the X's arms), and neighbouring circles leave
    at least 2 px between them, so "MN" or "WV" never touches its ring and "NV" is never crossed."""
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(site_url + path)
    page.evaluate("document.fonts.ready")
    scale, tiles = page.evaluate("""(() => {
        const svg = document.querySelector('.dots-map'), k = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        return [k, [...svg.querySelectorAll('a.tile')].map(a => {
            const t = a.querySelector('text'), c = a.querySelector('circle'), b = t.getBBox();
            const cap = 0.727 * parseFloat(getComputedStyle(t).fontSize), base = t.y.baseVal[0].value;
            const stop = a.classList.contains('rule-registered') ? parseFloat(document.querySelector('.dots-map radialGradient stop').getAttribute('offset')) : 1;
            return {code: t.textContent, kind: a.classList[1], box: [b.x, base - cap, b.x + b.width, base],
                    c: [c.cx.baseVal.value, c.cy.baseVal.value], r: c.r.baseVal.value, inner: c.r.baseVal.value * stop,
                    at: a.transform.baseVal.consolidate().matrix, arm: a.querySelector('path') ? a.querySelector('path').getAttribute('d') : ''};
        }).map(t => ({...t, at: [t.at.e, t.at.f]}))];
    })()""")
    assert len(tiles) >= 50
    crowded = []
    for t in tiles:
        (x0, y0, x1, y1), (cx, cy) = t["box"], t["c"]
        reach = max(((x - cx) ** 2 + (y - cy) ** 2) ** .5 for x in (x0, x1) for y in (y0, y1))
        if t["kind"] == "rule-none":  # each arm, with its stroke, fills a corner square of the cell
            assert t["arm"].startswith("M3 3l8 8"), t["arm"]  # from (3, 3) 8 units inward, stroke 4
            near, far = 3 + 8 + 2, 44 - (3 + 8 + 2)
            room = min(max(gx, gy) for gx in (x0 - near, far - x1) for gy in (y0 - near, far - y1)) * scale
        else:
            room = (t["inner"] - reach) * scale
        if room < 1:
            crowded.append((t["code"], round(room, 2)))
    assert not crowded, f"labels too close to their ring or X (px): {crowded}"
    gaps = [(((a["at"][0] - b["at"][0]) ** 2 + (a["at"][1] - b["at"][1]) ** 2) ** .5 - a["r"] - b["r"]) * scale
            for i, a in enumerate(tiles) for b in tiles[i + 1:] if abs(a["at"][0] - b["at"][0]) + abs(a["at"][1] - b["at"][1]) == 44]
    assert gaps and min(gaps) >= 2 - 0.01, f"neighbouring tiles {min(gaps):.2f} px apart"


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
def test_a_candidate_page_puts_map_and_lists_side_by_side_at_1280(page, site_url, cand):
    """At 1280 px the numbers, map and next step sit beside the lists, neither column left mostly
    empty; the page's prose keeps a reading measure."""
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(site_url + f"candidates/{cand}/")
    left, right = page.locator(".board-map").bounding_box(), page.locator(".by-state").bounding_box()
    assert right["x"] >= left["x"] + left["width"], "the lists are not beside the map"
    assert abs(right["y"] - left["y"]) < 40
    shorter, taller = sorted((left["height"], right["height"]))
    assert shorter >= 0.5 * taller, (cand, left["height"], right["height"])
    assert page.locator(".board-map .next-step").is_visible()
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
    tallies = re.findall(r'<li class="tally-([a-z-]+)">', source)
    groups = re.findall(r'<h4 class="group-head" id="st-([a-z-]+)">', source)
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
