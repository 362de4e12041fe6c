"""Print: every guide prints cleanly from the browser and from its PDF; PDFs carry the site's mark,
name and colours and end with where to make a pact card, with no page after the first left nearly
empty or holding only sources; the pocket card is an A6 card with crop marks, and comes four to a
Letter or an A4 sheet, backs lined up for duplex, with cut marks; long code lines wrap; PDFs read
nothing but the site's own files; without WeasyPrint the build says what to install."""
from __future__ import annotations

import re
from collections import Counter
import socket
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from votepact import pdfs
from votepact.build import BuildOptions, build
from votepact.errors import BuildFailed

REPO = Path(__file__).resolve().parent.parent
BASE = "https://votepact.org/"
SHORT = "votepact.org/"     # an address as paper prints it: without the scheme
MAX_GUIDE_PAGES = 6
NAV_LABELS = ("Essay", "FAQ", "Candidates", "Guides", "Pact card", "About")


def front_matter(path: Path) -> str:
    return path.read_text("utf-8").split("---")[1]


def pdf_guides() -> list[Path]:
    return [p for p in sorted((REPO / "content" / "guides").glob("*.md")) if "pdf: true" in front_matter(p)]


def pdfinfo(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line)


def pages(path: Path) -> int:
    return int(pdfinfo(path)["Pages"])


def text(path: Path, page: int | None = None, raw: bool = False) -> str:
    """The PDF's words (one page, or all). `raw` keeps a hyphen that ends a line, which
    pdftotext's reading order otherwise takes for a hyphenation and drops."""
    which = ["-f", str(page), "-l", str(page)] if page else []
    which += ["-raw"] if raw else []
    out = subprocess.run(["pdftotext", *which, str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    return flat(out)


def flat(s: str) -> str:
    return re.sub(r"\s+", " ", s.replace("\u00ad", "")).strip()


class _Headings(HTMLParser):
    """The text of every h1-h3 inside <main>, without the '#' anchor links."""

    def __init__(self):
        super().__init__()
        self.headings, self._in, self._main, self._skip = [], None, False, 0

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self._main = True
        if self._main and tag in ("h1", "h2", "h3"):
            self._in = []
        if self._in is not None and tag == "a" and ("class", "anchor") in attrs:
            self._skip += 1

    def handle_endtag(self, tag):
        if tag == "main":
            self._main = False
        if tag == "a" and self._skip:
            self._skip -= 1
        if tag in ("h1", "h2", "h3") and self._in is not None:
            self.headings.append(flat("".join(self._in)))
            self._in = None

    def handle_data(self, data):
        if self._in is not None and not self._skip:
            self._in.append(data)


def headings(page_html: Path) -> list[str]:
    parser = _Headings()
    parser.feed(page_html.read_text("utf-8"))
    return parser.headings


# --- The PDFs -------------------------------------------------------------------------------------

def test_every_guide_that_asks_for_a_pdf_has_one_linked_from_its_page(built_site):
    guides = pdf_guides()
    assert len(guides) >= 4
    for guide in guides:
        pdf = built_site / "guides" / f"{guide.stem}.pdf"
        assert pdf.is_file(), f"no PDF for {guide.name}"
        page = (built_site / "guides" / guide.stem / "index.html").read_text("utf-8")
        assert f'href="/guides/{guide.stem}.pdf"' in page, f"{guide.stem}: the page does not link its PDF"


@pytest.mark.parametrize("guide", [p.stem for p in pdf_guides()])
def test_each_pdf_opens_has_the_expected_pages_and_the_guides_headings(built_site, guide):
    pdf = built_site / "guides" / f"{guide}.pdf"
    info = pdfinfo(pdf)
    assert 1 <= int(info["Pages"]) <= MAX_GUIDE_PAGES, info["Pages"]
    assert "VotePact" in info.get("Title", "")
    body = text(pdf)
    wanted = headings(built_site / "guides" / guide / "index.html")
    assert len(wanted) >= 3
    missing = [h for h in wanted if h not in body]
    assert not missing, f"headings missing from {pdf.name}: {missing}"
    # Printed without the screen's furniture.
    assert "Share this page" not in body and "Skip to content" not in body
    assert " ".join(NAV_LABELS) not in body


@pytest.mark.parametrize("lang, online", [("", "This guide online:"), ("es/", "Esta guía en línea:")])
@pytest.mark.parametrize("guide", [p.stem for p in pdf_guides()])
def test_every_pdf_page_has_the_site_name_and_the_address_in_its_footer(built_site, guide, lang, online):
    """Issue 13: the footer is in the page's language and gives that page's own address, short."""
    pdf = built_site / lang / "guides" / f"{guide}.pdf"
    for n in range(1, pages(pdf) + 1):
        page_text = text(pdf, n)
        assert f"VotePact · {online} {SHORT}{lang}guides/{guide}/" in page_text, f"page {n} of {pdf.name}: footer missing"
        assert re.search(rf"\b{n} ?/ ?{pages(pdf)}$", page_text), f"page {n} of {pdf.name}: no page number"
        if lang:
            assert "This guide" not in page_text and "https://" not in page_text.split("VotePact ·")[-1]


def embedded_fonts(pdf: Path) -> list[str]:
    rows = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert all(" yes " in row for row in rows), f"{pdf.name}: a font is not embedded: {rows}"
    return sorted({row.split()[0].split("+")[-1] for row in rows})


def test_pdfs_embed_the_committed_fonts_and_no_system_font(built_site):
    """pdf.css loads static/fonts/ under the family name 'VotePact Sans': a font of the machine
    would show up under its own name."""
    for pdf in sorted(built_site.glob("guides/**/*.pdf")):
        fonts = embedded_fonts(pdf)
        # VotePact-Sans (DejaVu) or, where the site publishes its web fonts, VotePact-Site (Inter)
        assert fonts and all(f.startswith(("VotePact-Sans", "VotePact-Site")) for f in fonts), f"{pdf.name}: {fonts}"


def test_outside_links_print_their_address_after_the_text(scratch_site, tmp_path, own_cache):
    guide = scratch_site / "content" / "guides" / "keeping-the-pact.md"
    guide.write_text(guide.read_text("utf-8") + "\nAsk [your state's election office](https://www.usa.gov/election-office) "
                     "or read the [pact card page](/pact/).\n", "utf-8")
    build(BuildOptions(scratch_site, tmp_path / "out", cache_dir=own_cache))
    body = text(tmp_path / "out" / "guides" / "keeping-the-pact.pdf")
    # on paper: the words, then the address as a reader types it (no scheme, no "www."), outside or not
    assert "your state's election office → usa.gov/election-office" in body.replace("’", "'")
    assert "pact card page → votepact.org/pact/" in body
    footnotes = [u for u in re.findall(r"https?://\S+", body) if "usa.gov" not in u and "votepact.org" not in u]
    assert all(body.count(u) == 1 for u in footnotes), "a footnote's address is printed twice"


def page_words(path: Path) -> list[list[tuple[str, float, float, float, float]]]:
    """Every page's words with their boxes in points, (word, left, top, right, bottom), page by page."""
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    word = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
    return [[(m[5], *map(float, m.groups()[:4])) for m in word.finditer(page)] for page in out.split("<page ")[1:]]


TEXT_HEIGHT = 10.4
"""A word's box in points from which it is the guide's text (9 pt type or more, about 1.16 times the
size): the sources are set in 8 pt and the footer in 7.5 pt, below it."""


def test_no_page_of_a_guide_after_the_first_is_nearly_empty_or_holds_only_sources_or_the_call_to_action(built_site):
    """Each page after the first reaches at least 30% of the way down the text area and holds at
    least 30 words of the guide's own text, not counting the sources (small type), the closing call
    to action and the footer; so no page carries only the sources, or only "Make a pact card"."""
    guides = sorted(built_site.glob("**/guides/*.pdf"))
    assert len(guides) >= 10, "the guides in both languages"
    for pdf in guides:
        placed = page_words(pdf)
        # the call to action: the pact page's address and the line above it, at the end of the last page
        where = next(w for w in reversed(placed[-1]) if re.fullmatch(rf"{re.escape(SHORT)}(es/)?pact/", w[0]))
        step_top = where[2] - 1.8 * (where[4] - where[2])
        # the text area: from the highest word on a page after the first to just above the footer
        top = min(w[2] for page in placed[1:] for w in page) if len(placed) > 1 else 0
        for n, page in enumerate(placed[1:], start=2):
            footer = max(w[2] for w in page) - 2
            content = [w for w in page if w[2] < footer]
            reach = (max(w[4] for w in content) - top) / (footer - top)
            own = [w for w in content if w[4] - w[2] >= TEXT_HEIGHT and not (n == len(placed) and w[2] >= step_top)]
            assert reach >= 0.3, f"{pdf.relative_to(built_site)}: page {n} is {reach:.0%} full"
            assert len(own) >= 30, f"{pdf.relative_to(built_site)}: page {n} holds {len(own)} words of the guide's " \
                                   f"text besides its sources and call to action: {' '.join(w[0] for w in content)[:200]}"


LAST_PAGE_WORDS = 60
"""The fewest words of a guide's own text on its last page (when it has more than one): three short
bullets, as the Spanish "Cómo cumplir el pacto" once ended with, are about forty."""


def test_no_guide_ends_with_a_thin_last_page(built_site):
    """Issue 13: a guide of several pages never ends on a page holding a line or two, a lone
    bullet or a heading: its last page carries at least LAST_PAGE_WORDS words of the guide's own
    text above the sources and the call to action, and reaches at least 45% of the way down."""
    guides = sorted(built_site.glob("**/guides/*.pdf"))
    assert len(guides) >= 10, "the guides in both languages"
    for pdf in guides:
        placed = page_words(pdf)
        if len(placed) < 2:
            continue
        last = placed[-1]
        where = next(w for w in reversed(last) if re.fullmatch(rf"{re.escape(SHORT)}(es/)?pact/", w[0]))
        step_top = where[2] - 1.8 * (where[4] - where[2])
        footer = max(w[2] for w in last) - 2
        own = [w for w in last if w[2] < min(footer, step_top) and w[4] - w[2] >= TEXT_HEIGHT]
        top = min(w[2] for page in placed[1:] for w in page)
        reach = (max(w[4] for w in last if w[2] < footer) - top) / (footer - top)
        name = pdf.relative_to(built_site)
        assert len(own) >= LAST_PAGE_WORDS, f"{name}: its last page ({len(placed)}) holds {len(own)} words of the guide: " \
                                            f"{' '.join(w[0] for w in own)[:200]}"
        assert reach >= 0.45, f"{name}: its last page is {reach:.0%} full"


def test_the_pdfs_page_counts_stay_small(built_site):
    """No guide runs to more pages than it needs: each at most MAX_GUIDE_PAGES, and the Spanish
    guides at most one page more than the English ones (Spanish runs about a fifth longer)."""
    for english in sorted(built_site.glob("guides/*.pdf")):
        spanish = built_site / "es" / "guides" / english.name
        assert pages(english) <= MAX_GUIDE_PAGES and pages(spanish) <= pages(english) + 1, (english.name, pages(spanish))


def test_guide_steps_and_text_are_set_for_reading_on_paper(built_site):
    """Issue 13: the guide's text in 10 pt or more on lines of at most about 80 characters, each
    step's number on the baseline of the step's first line, and a clear gap between steps."""
    for pdf in (built_site / "guides" / "talking-across-the-aisle-from-the-left.pdf",
                built_site / "es" / "guides" / "talking-across-the-aisle-from-the-left.pdf"):
        placed = page_words(pdf)
        lines: dict = {}
        for page, placed_words in enumerate(placed):
            for w in placed_words:
                lines.setdefault((page, round(w[4])), []).append(w)
        text_lines = []     # runs of words on one baseline, split where a gap between columns opens
        for ws in lines.values():
            run = []
            for w in sorted(ws, key=lambda w: w[1]):
                if run and w[1] - run[-1][3] > 15:
                    text_lines.append(run)
                    run = []
                run.append(w)
            text_lines.append(run)
        text_lines = [ws for ws in text_lines if ws[0][4] - ws[0][2] >= TEXT_HEIGHT]
        longest = max(len(" ".join(w[0] for w in ws)) for ws in text_lines)
        assert 60 <= longest <= 82, f"{pdf.name}: the longest line of text has {longest} characters"
        assert min(ws[0][4] - ws[0][2] for ws in text_lines) >= 10 * 1.1, "text smaller than 10 pt"
        steps = []     # (page, number, its box, the first word after it)
        for page, placed_words in enumerate(placed):
            for i, w in enumerate(placed_words[:-1]):
                nxt = placed_words[i + 1]
                if re.fullmatch(r"[1-9]", w[0]) and w[1] < 100 and 0 < nxt[1] - w[3] < 20:
                    steps.append((page, int(w[0]), w, nxt))
        assert [n for _, n, _, _ in steps] == list(range(1, 10)), f"{pdf.name}: steps {[n for _, n, _, _ in steps]}"
        for _, n, number, first in steps:
            assert abs(number[4] - first[4]) < 0.6, f"{pdf.name}: step {n}'s number is off its first line's baseline"
        for (page, n, number, _), (next_page, _, following, _) in zip(steps, steps[1:]):
            if page == next_page:
                last_line = max(w[4] for w in placed[page] if number[2] <= w[2] and w[4] < following[2] and w[1] > number[3])
                assert following[2] - last_line >= 5, f"{pdf.name}: steps {n} and {n + 1} nearly touch"


def test_the_sources_are_set_small_in_two_columns_and_end_with_the_call_to_action(built_site):
    pdf = built_site / "guides" / "answering-objections.pdf"
    last = page_words(pdf)[-1]
    notes = [w for w in last if w[0].startswith("https://") and "votepact.org" not in w[0]]
    assert notes, "the sources are on the last page, with the end of the text"
    assert all(w[4] - w[2] < TEXT_HEIGHT for w in notes), "sources in small type"
    assert len({round(w[1] / 100) for w in notes}) >= 2 and max(w[1] for w in notes) > 250, "sources in two columns"
    cta = next(w for w in last if w[0] == f"{SHORT}pact/")
    assert cta[2] > max(w[2] for w in notes), "the call to action comes after the sources"


# --- The pocket card ------------------------------------------------------------------------------

A6 = (297.6, 419.5)  # points


def boxes(path: Path) -> dict[str, tuple[float, ...]]:
    out = subprocess.run(["pdfinfo", "-box", str(path)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): tuple(map(float, v.split())) for k, v in
            (line.split(":", 1) for line in out.splitlines() if line.strip().endswith(tuple("0123456789"))
             and "Box" in line.split(":")[0])}


def words(path: Path) -> list[tuple[str, float, float, float, float]]:
    """Every word of the PDF with its box in points: (word, left, top, right, bottom)."""
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [(m[5], *map(float, m.groups()[:4])) for m in
            re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', out)]


def rendered(path: Path, page: int = 1, dpi: int = 72):
    """A page of the PDF as a Pillow image (pdftoppm), one pixel a point at 72 dpi."""
    import tempfile
    from PIL import Image
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["pdftoppm", "-png", "-singlefile", "-r", str(dpi), "-f", str(page), "-l", str(page), str(path),
                        f"{folder}/page"], check=True)
        image = Image.open(f"{folder}/page.png")
        image.load()
    return image.convert("RGB")


def test_the_pocket_card_is_an_a6_card_front_and_back_with_every_question(built_site):
    card = built_site / "guides" / "answering-objections" / "pocket-card.pdf"
    assert pages(card) <= 2, "a card has two sides"
    box = boxes(card)
    trim, media = box["TrimBox"], box["MediaBox"]
    assert abs(trim[2] - trim[0] - A6[0]) < 1 and abs(trim[3] - trim[1] - A6[1]) < 1, f"not A6 once cut: {trim}"
    assert media[2] - media[0] > A6[0] + 10 and media[3] - media[1] > A6[1] + 10, "no room around the card for its marks"
    body = text(card)
    questions = headings(built_site / "guides" / "answering-objections" / "index.html")
    objections = [q for q in questions if q.startswith("“")]
    assert len(objections) >= 8
    missing = [q for q in objections if q not in body]
    assert not missing, missing
    front, back = text(card, 1), text(card, 2)
    assert front.startswith("VotePact ") and "Answering objections 1 " in front[:60], \
        "the front: the mark and name, then (under its kicker) the title and the first question"
    assert back.endswith(f"Make a pact card {SHORT}pact/"), "the back ends with where to make a card, short"
    assert f"{SHORT}guides/answering-objections/" in back and "https://" not in body, "addresses as a reader types them"
    # Readable in the hand: no word set smaller than 7 pt (a word's box is about 1.16 times its type size).
    smallest = min(bottom - top for _, _, top, _, bottom in words(card))
    assert smallest >= 7 * 1.1, f"type as small as {smallest / 1.16:.1f} pt"


@pytest.mark.parametrize("lang", ["", "es/"])
def test_the_pocket_card_is_set_large_enough_to_keep(built_site, lang):
    """Short answers in type of 9 pt or more, in both languages (a word's box is about 1.16 times
    its type size)."""
    import statistics
    card = built_site / lang / "guides" / "answering-objections" / "pocket-card.pdf"
    usual = statistics.median(bottom - top for _, _, top, _, bottom in words(card))
    assert usual >= 9 * 1.14, f"answers in about {usual / 1.16:.1f} pt"


def frame_sides(image, box, scale: float) -> dict:
    """Which sides of `box` (left, top, right, bottom in pixels) a dark rule runs along, nearly
    end to end: {'left': True, ...}, looked for up to 3 mm in from the side (`scale` pixels a point)."""
    left, top, right, bottom = box
    grey = image.convert("L")

    def inked(points):
        return sum(grey.getpixel(p) < 140 for p in points) / len(points)
    inset = range(0, round(3 * MM * scale))       # between 3 and 6 mm in from the trim
    along_x, along_y = range(left + 20, right - 20, 2), range(top + 20, bottom - 20, 2)
    return {"left": max(inked([(left + d, y) for y in along_y]) for d in inset) > 0.95,
            "right": max(inked([(right - d, y) for y in along_y]) for d in inset) > 0.95,
            "top": max(inked([(x, top + d) for x in along_x]) for d in inset) > 0.95,
            "bottom": max(inked([(x, bottom - d) for x in along_x]) for d in inset) > 0.95}


@pytest.mark.parametrize("lang", ["", "es/"])
def test_each_face_of_the_pocket_card_is_a_closed_card_and_the_back_is_full(built_site, lang):
    """Issue 13: the front and the back each sit in their own closed frame (a rule along all four
    sides, inside the trim); the back's last words reach down into its last fifth (no empty foot)."""
    card = built_site / lang / "guides" / "answering-objections" / "pocket-card.pdf"
    trim = boxes(card)["TrimBox"]
    media = boxes(card)["MediaBox"]
    scale = 2
    for face in (1, 2):
        image = rendered(card, face, dpi=72 * scale)
        # the frame: 4.5 mm in from the trim (pdf.css), looked for between 3 and 6 mm
        x0, y0 = (trim[0] - media[0] + 3 * MM) * scale, (media[3] - trim[3] + 3 * MM) * scale
        x1, y1 = (trim[2] - media[0] - 3 * MM) * scale, (media[3] - trim[1] - 3 * MM) * scale
        found = frame_sides(image, (round(x0), round(y0), round(x1), round(y1)), scale)
        assert all(found.values()), f"{card.name} face {face}: the frame is open at {[k for k, v in found.items() if not v]}"
    placed = page_words(card)[1]
    lowest = max(w[4] for w in placed)
    assert lowest - (media[3] - trim[3]) > 0.8 * (trim[3] - trim[1]) - 30, \
        f"{card.name}: the back's words end at {lowest:.0f} pt of {trim[3] - trim[1]:.0f}"


def test_the_pocket_card_has_crop_marks_outside_the_card(built_site):
    card = built_site / "guides" / "answering-objections" / "pocket-card.pdf"
    media, trim = boxes(card)["MediaBox"], boxes(card)["TrimBox"]
    image = rendered(card, dpi=288).convert("L")          # 4 pixels a point: the marks are hairlines
    assert trim[0] - media[0] >= 8
    bleed = round((trim[0] - media[0]) * 4)
    # Marks sit in the margin around the card, at each corner's lines; the margin is otherwise blank.
    for corner in ((0, 0), (image.width - bleed, 0), (0, image.height - bleed), (image.width - bleed, image.height - bleed)):
        region = image.crop((*corner, corner[0] + bleed, corner[1] + bleed))
        assert region.getextrema()[0] < 100, f"no crop mark at the corner {corner}"


SHEETS = {"letter": (612.0, 792.0), "a4": (595.3, 841.9)}  # points, portrait
MM = 72 / 25.4


def card_forms(pdf: Path) -> list[list[tuple[float, float, float, float]]]:
    """Each sheet page's placed cards, as (left, bottom, width, height) in points: every card-sized
    form the page draws, with where its drawing operators put it."""
    import pikepdf
    placed = []
    with pikepdf.open(pdf) as doc:
        for page in doc.pages:
            forms = {str(name): xobj for name, xobj in page.Resources.XObject.items()}
            here, matrix = [], None
            for operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) == "cm":
                    matrix = [float(v) for v in operands]
                elif str(operator) == "Do":
                    box = [float(v) for v in forms[str(operands[0])].BBox]
                    assert matrix[:4] == [1, 0, 0, 1], "a card is placed at actual size, neither scaled nor turned"
                    here.append((matrix[4] + box[0], matrix[5] + box[1], box[2] - box[0], box[3] - box[1]))
            placed.append(here)
    return placed


@pytest.mark.parametrize("lang", ["", "es/"])
@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_the_pocket_card_comes_four_to_a_sheet_fronts_then_backs_lined_up_for_duplex(built_site, lang, paper):
    folder = built_site / lang / "guides" / "answering-objections"
    pdf = folder / f"pocket-cards-{paper}.pdf"
    width, height = SHEETS[paper]
    box = boxes(pdf)["MediaBox"]
    assert pages(pdf) == 2 and abs(box[2] - width) < 1 and abs(box[3] - height) < 1, f"{pdf.name}: {box}"
    for where in (folder / "index.html", folder / "pocket-card" / "index.html"):
        assert f'href="/{lang}guides/answering-objections/pocket-cards-{paper}.pdf"' in where.read_text("utf-8")
    # Four cards a side, each filling a quarter of the sheet to within a millimetre, at its centre
    # (on A4 the A6 card, 105 x 148 mm, in a quarter of 105 x 148.5 mm).
    front, back = card_forms(pdf)
    quarters = {(round(x), round(y)) for x in (0, width / 2) for y in (0, height / 2)}
    for side in (front, back):
        assert len(side) == 4
        assert all(0 <= width / 2 - w < MM and 0 <= height / 2 - h < MM for _, _, w, h in side), side
        assert {(round(x - (width / 2 - w) / 2), round(y - (height / 2 - h) / 2)) for x, y, w, h in side} == quarters
    if paper == "a4":
        assert abs(front[0][2] / MM - 105) < 0.2 and abs(front[0][3] / MM - 148) < 0.2, "the A6 card"
    # Turned over on its long edge, the sheet puts the back of the card at left on the right: the
    # backs are placed mirrored (here, with four identical cards, onto the same four places).
    assert [(round(width - x - w), round(y)) for x, y, w, _ in front] == [(round(x), round(y)) for x, y, _, _ in back]
    # What is on each side: four fronts (the site's name, the title), four backs (the call to action,
    # its address short); no word crosses a cut or comes within 5 mm of one.
    front_words, back_words = page_words(pdf)
    title = headings(folder / "index.html")[0].split()[0]
    assert sum(w[0] == "VotePact" for w in front_words) == 4 and sum(w[0] == title for w in front_words) >= 4
    assert sum(bool(re.fullmatch(rf"{re.escape(SHORT)}{lang}pact/", w[0])) for w in back_words) == 4
    for side in (front_words, back_words):
        for word, left, top, right, bottom in side:
            assert right < width / 2 - 5 * MM or left > width / 2 + 5 * MM, f"{word!r} at the cut down the middle"
            assert bottom < height / 2 - 5 * MM or top > height / 2 + 5 * MM, f"{word!r} at the cut across"
            assert min(left, top, width - right, height - bottom) > 5 * MM, f"{word!r} too near the sheet's edge"
    # Set as large as the single card: the answers in 9 pt or more.
    import statistics
    usual = statistics.median(b - t for _, _, t, _, b in front_words + back_words)
    assert usual >= 9 * 1.14, f"answers in about {usual / 1.16:.1f} pt"


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_a_sheet_has_cut_marks_on_both_sides_along_the_two_cuts(built_site, paper):
    pdf = built_site / "guides" / "answering-objections" / f"pocket-cards-{paper}.pdf"
    width, height = SHEETS[paper]
    for side in (1, 2):
        image = rendered(pdf, side, dpi=144).convert("L")        # 2 pixels a point
        mid_x, mid_y = round(width), round(height)              # the cuts, in pixels
        dark = lambda box: image.crop(box).getextrema()[0] < 90  # noqa: E731
        for mark in ((mid_x - 2, round(5 * MM * 2), mid_x + 3, round(12 * MM * 2)),                # at the top edge
                     (mid_x - 2, image.height - round(12 * MM * 2), mid_x + 3, image.height - round(5 * MM * 2)),
                     (round(5 * MM * 2), mid_y - 2, round(12 * MM * 2), mid_y + 3),                # at the left edge
                     (image.width - round(12 * MM * 2), mid_y - 2, image.width - round(5 * MM * 2), mid_y + 3),
                     (mid_x - 2, mid_y - 2, mid_x + 3, mid_y + 3)):                               # where they cross
            assert dark(mark), f"{pdf.name}, side {side}: no cut mark in {mark}"
        edge = round(3 * MM * 2)
        for strip in ((0, 0, image.width, edge), (0, image.height - edge, image.width, image.height)):
            assert image.crop(strip).getextrema()[0] > 200, "nothing printed where a printer cannot print"


def test_a_guide_page_has_one_print_action_and_its_other_formats_behind_a_disclosure(page, site_url):
    """Issue 13: one button (the guide's PDF); the pocket card and its PDFs behind "More formats",
    a <details> that opens without script, its links in a row under the button at 360 and 1280 px,
    each a target of 24 px or more. The pocket card's page: its PDF as the button, the sheets under it."""
    for path, label in (("es/guides/answering-objections/", "Más formatos"), ("guides/answering-objections/", "More formats")):
        for width in (360, 1280):
            page.set_viewport_size({"width": width, "height": 800})
            page.goto(site_url + path)
            assert page.locator(".guide-actions .button").count() == 1
            button = page.locator(".guide-actions .button").bounding_box()
            assert page.locator(".card-pdfs a").first.is_hidden(), "the other formats start folded"
            page.locator(".card-pdfs summary", has_text=label).click()
            row = page.locator(".card-pdfs").bounding_box()
            links = [a.bounding_box() for a in page.locator(".card-pdfs a").all()]
            assert len(links) == 4, "the pocket card's page, its PDF, and the sheets of four"
            assert abs(row["x"] - button["x"]) < 1, f"{path} at {width} px: the row starts {row['x'] - button['x']:.0f} px off"
            assert row["y"] >= button["y"] + button["height"] - 1, "below the button"
            assert all(b["height"] >= 24 and b["x"] + b["width"] <= width - 8 for b in links), links
            assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.goto(site_url + "es/guides/answering-objections/pocket-card/")
    assert page.locator(".guide-actions .button").count() == 1 and page.locator(".guide-actions .format-list a").count() == 2
    kicker, title = (page.locator(s).bounding_box() for s in (".pocket-kind", "h1"))
    assert kicker["y"] + kicker["height"] <= title["y"], "the kicker sits above the title"
    whole = page.locator(".pocket-intro a")
    assert whole.inner_text() == "Cómo responder a las objeciones" and "://" not in page.locator("main").inner_text(), \
        "the whole guide is a labelled link, not a raw address"


def test_every_pdf_carries_the_sites_mark_name_and_colours_and_ends_with_where_to_make_a_card(built_site):
    pdfs_made = sorted(built_site.glob("guides/**/*.pdf"))
    assert len(pdfs_made) >= 5
    for pdf in pdfs_made:
        first = text(pdf, 1)
        assert first.startswith("VotePact "), f"{pdf.name}: the site's name does not head the first page"
        image = rendered(pdf, 1)
        top = image.crop((0, 0, image.width, image.height // 4))
        brand = sum(n for n, (r, g, b) in top.getcolors(1 << 20) if abs(r - 0x2a) < 12 and abs(g - 0x22) < 12
                    and abs(b - 0x60) < 12)
        assert brand > 150, f"{pdf.name}: the mark and title are not in the site's colour ({brand} pixels)"
        last = text(pdf, pages(pdf))                      # the last words, then only the footer
        assert re.search(rf"Make a pact card {re.escape(SHORT)}pact/( VotePact · This guide online: {re.escape(SHORT)}\S*)?"
                         rf"( \d+ ?/ ?\d+)?$", last), \
            f"{pdf.name} does not end with where to make a card: ...{last[-160:]}"


def test_the_last_words_follow_the_sites_pact_page(scratch_site, tmp_path):
    pact = scratch_site / "content" / "pact.md"
    pact.write_text(re.sub(r"^title: .*$", "title: Write your pact down", pact.read_text("utf-8"), count=1,
                           flags=re.M), "utf-8")
    build(BuildOptions(scratch_site, tmp_path / "out", base_url="https://example.org/sub/", cache_dir=tmp_path / "c"))
    pdf = tmp_path / "out" / "guides" / "keeping-the-pact.pdf"
    assert "Write your pact down example.org/sub/pact/" in text(pdf, pages(pdf))
    pact.unlink()
    for page in (scratch_site / "content").rglob("*.md"):  # nothing may link the page that is gone
        page.write_text(page.read_text("utf-8").replace("(/pact/)", "(/faq/)"), "utf-8")
    site_yaml = scratch_site / "data" / "site.yaml"
    site_yaml.write_text(re.sub(r"\n  - label: Pact card\n    path: /pact/", "", site_yaml.read_text("utf-8")), "utf-8")
    build(BuildOptions(scratch_site, tmp_path / "out2", cache_dir=tmp_path / "c"))
    pdf = tmp_path / "out2" / "guides" / "keeping-the-pact.pdf"
    assert "VotePact votepact.org/ VotePact ·" in text(pdf, pages(pdf)), "without a pact page: the home page"


def test_a_long_code_line_wraps_in_the_pdf_and_nothing_is_lost(scratch_site, tmp_path, own_cache):
    """Issue 12, item 18: a 130-character line in a code block is printed whole, on two lines."""
    line = "votepact --site ./my-pact-site --out ./public --base-url https://pacts.example.org/ny/ " \
           "--strict --drafts && echo built-it-0123456789"
    line = (line + "-" * 130)[:130]
    assert len(line) == 130
    guide = scratch_site / "content" / "guides" / "keeping-the-pact.md"
    guide.write_text(guide.read_text("utf-8") + f"\nTo build it yourself:\n\n```\n{line}\n```\n", "utf-8")
    build(BuildOptions(scratch_site, tmp_path / "out", cache_dir=own_cache))
    pdf = tmp_path / "out" / "guides" / "keeping-the-pact.pdf"
    assert line.replace(" ", "") in text(pdf, raw=True).replace(" ", ""), "part of the code line is missing from the PDF"
    width = boxes(pdf)["MediaBox"][2]
    placed = [w for w in words(pdf) if w[0] and w[0] in line]
    assert placed and max(right for _, _, _, right, _ in placed) <= width - 36, "the code runs into the page's edge"
    tops = {round(top) for word, _, top, _, _ in placed if word.startswith(("votepact", "built", "--strict", "-----"))}
    assert len(tops) >= 2, "the line was not wrapped"


def test_the_pocket_card_is_made_from_the_guide(scratch_site, tmp_path, own_cache):
    guide = scratch_site / "content" / "guides" / "answering-objections.md"
    guide.write_text(guide.read_text("utf-8").replace(
        "### \"It's a wasted vote.\" {#wasted-vote}\n\nOnly if it helps someone you did not want,",
        "### \"It's a thrown-away vote.\" {#wasted-vote}\n\nA vote is thrown away only if it helps someone you fear,"),
        "utf-8")
    build(BuildOptions(scratch_site, tmp_path / "out", cache_dir=own_cache))
    card_page = (tmp_path / "out" / "guides" / "answering-objections" / "pocket-card" / "index.html").read_text("utf-8")
    assert "thrown-away vote" in card_page and "thrown away only if it helps someone you fear" in card_page
    assert "wasted vote" not in card_page
    card = tmp_path / "out" / "guides" / "answering-objections" / "pocket-card.pdf"
    assert pages(card) <= 2 and "thrown-away vote" in text(card)


def test_pocket_items_take_each_question_and_the_first_paragraph_of_its_answer():
    markdown = ("Intro.\n\n## Objections {#o}\n\n### \"First?\" {#first}\n\nShort answer[^s1], on\ntwo lines.\n\n"
                "A second paragraph.\n\n### Second {#second}\n\nAnother answer.\n\n[^s1]: A source.\n")
    assert pdfs.pocket_items(markdown) == [('"First?" {#first}', "Short answer, on two lines."),
                                           ("Second {#second}", "Another answer.")]


def test_a_guide_links_its_pocket_card_and_the_card_page_prints_on_one_small_page(built_site):
    guide = (built_site / "guides" / "answering-objections" / "index.html").read_text("utf-8")
    assert 'href="/guides/answering-objections/pocket-card/"' in guide
    assert 'href="/guides/answering-objections/pocket-card.pdf"' in guide
    css = "".join(f.read_text("utf-8") for name in ("site", "guides") for f in (built_site / "static" / "css").glob(f"{name}.*.css"))
    assert re.search(r"@page pocket\s*{[^}]*size:\s*5\.5in 8\.5in", css)


# --- Where PDFs read from -------------------------------------------------------------------------

def test_the_fetcher_serves_only_the_sites_own_files():
    files = {"static/css/site.css": b"body{}", "guides/x/index.html": b"<p>x</p>"}
    fetch = pdfs.site_fetcher(files, "https://example.org/sub/")
    assert fetch("https://example.org/sub/static/css/site.css").read() == b"body{}"
    assert fetch("https://example.org/sub/guides/x/").read() == b"<p>x</p>"
    for url in ("https://example.com/pic.png", "https://example.org/other/x.css", "file:///etc/passwd",
                "https://example.org/sub/../etc/passwd", "https://example.org/sub/missing.png", "ftp://example.org/sub/x"):
        with pytest.raises(ValueError):
            fetch(url)
    assert "https://example.com/pic.png" in fetch.refused and "file:///etc/passwd" in fetch.refused


def test_a_pdf_leaves_out_what_is_not_the_sites_own_and_never_connects(scratch_site, tmp_path, monkeypatch, own_cache):
    guide = scratch_site / "content" / "guides" / "keeping-the-pact.md"
    guide.write_text(guide.read_text("utf-8") + "\n![A picture elsewhere](https://example.com/picture.png)\n", "utf-8")
    connects = []
    local_connect = socket.socket.connect

    def connect(self, address):
        """Network connections are recorded and refused; a local socket (a process pool's) works."""
        if self.family in (socket.AF_INET, socket.AF_INET6):
            connects.append(address)
            raise OSError("no network in this test")
        return local_connect(self, address)
    monkeypatch.setattr(socket.socket, "connect", connect)
    result = build(BuildOptions(scratch_site, tmp_path / "out", cache_dir=own_cache))
    assert not connects, f"the build tried to connect to {connects}"
    warned = [str(w) for w in result.warnings if "example.com/picture.png" in str(w)]
    assert warned and "content/guides/keeping-the-pact.md" in warned[0]
    assert (tmp_path / "out" / "guides" / "keeping-the-pact.pdf").is_file()
    again = build(BuildOptions(scratch_site, tmp_path / "again", cache_dir=own_cache))
    assert again.printed == 0 and any("example.com/picture.png" in str(w) for w in again.warnings), \
        "a PDF from the cache repeats the warnings it was made with"
    with pytest.raises(BuildFailed):
        build(BuildOptions(scratch_site, tmp_path / "strict", cache_dir=own_cache, strict=True))


def test_pdfs_work_under_a_sub_path(scratch_site, tmp_path, own_cache):
    build(BuildOptions(scratch_site, tmp_path / "out", base_url="https://example.org/pacts/",
                       cache_dir=own_cache))
    pdf = tmp_path / "out" / "guides" / "finding-a-partner.pdf"
    assert "VotePact · This guide online: example.org/pacts/guides/finding-a-partner/" in text(pdf, 1)
    assert embedded_fonts(pdf) and all(f.startswith(("VotePact-Sans", "VotePact-Site")) for f in embedded_fonts(pdf)), \
        "pdf.css and its fonts under the sub-path"
    page = (tmp_path / "out" / "guides" / "finding-a-partner" / "index.html").read_text("utf-8")
    assert 'href="/pacts/guides/finding-a-partner.pdf"' in page


def test_changing_one_guide_makes_only_its_pdf_again(scratch_site, tmp_path, own_cache):
    cache = own_cache
    build(BuildOptions(scratch_site, tmp_path / "a", cache_dir=cache))
    guide = scratch_site / "content" / "guides" / "keeping-the-pact.md"
    guide.write_text(guide.read_text("utf-8") + "\nOne more line at the end.\n", "utf-8")
    again = build(BuildOptions(scratch_site, tmp_path / "b", cache_dir=cache))
    assert (again.printed, again.drawn) == (1, 0)


# --- Without WeasyPrint ---------------------------------------------------------------------------

def missing_libraries(monkeypatch):
    monkeypatch.setattr(pdfs, "_loadable", lambda lib: "harfbuzz-subset" not in lib)


def test_without_weasyprints_libraries_the_build_says_what_to_install_and_goes_on(scratch_site, tmp_path,
                                                                                  monkeypatch, own_cache):
    missing_libraries(monkeypatch)
    result = build(BuildOptions(scratch_site, tmp_path / "out", cache_dir=own_cache))
    warning = " ".join(str(w) for w in result.warnings)
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0"):
        assert package in warning
    assert "libharfbuzz-subset.so.0" in warning, "names the library that is missing"
    out = tmp_path / "out"
    assert not list(out.rglob("*.pdf"))
    assert (out / "guides" / "finding-a-partner" / "index.html").is_file()
    for page in out.rglob("*.html"):
        assert not re.search(r'href="/[^"]*\.pdf"', page.read_text("utf-8")), f"{page} links a PDF that was not made"


def test_without_weasyprints_libraries_strict_fails(scratch_site, tmp_path, monkeypatch, own_cache):
    missing_libraries(monkeypatch)
    with pytest.raises(BuildFailed) as failed:
        build(BuildOptions(scratch_site, tmp_path / "out", cache_dir=own_cache, strict=True))
    assert any("libharfbuzz-subset0" in str(e) for e in failed.value.report.errors)
    assert not (tmp_path / "out").exists()


def test_pdf_false_in_site_yaml_builds_no_pdfs_and_asks_for_nothing(scratch_site, tmp_path, monkeypatch, own_cache):
    missing_libraries(monkeypatch)
    site_yaml = scratch_site / "data" / "site.yaml"
    site_yaml.write_text(site_yaml.read_text("utf-8") + "pdf: false\n", "utf-8")
    result = build(BuildOptions(scratch_site, tmp_path / "out", cache_dir=own_cache, strict=True))
    assert not result.warnings and not list((tmp_path / "out").rglob("*.pdf"))


# --- Printing from the browser --------------------------------------------------------------------

def test_printing_from_the_browser_shows_no_navigation(page, site_url, tmp_path):
    page.goto(site_url + "guides/keeping-the-pact/")
    assert page.is_visible(".masthead nav") and page.is_visible(".share")
    page.emulate_media(media="print")
    shot = page.screenshot(full_page=True, path=str(tmp_path / "print.png"))
    assert shot
    for hidden in (".masthead nav", ".share", ".skip", ".guide-downloads", ".site-footer"):
        assert not page.is_visible(hidden), f"{hidden} shows in print"
    assert page.is_visible("main h1")
    style = lambda selector, prop, pseudo="null": page.evaluate(
        f"getComputedStyle(document.querySelector('{selector}'), {pseudo}).{prop}")
    assert style("main h2", "breakAfter") == "avoid"
    pdf = tmp_path / "chromium.pdf"
    pdf.write_bytes(page.pdf(prefer_css_page_size=True))
    body = text(pdf)
    assert "Keeping the pact" in body and "Share this page" not in body and " ".join(NAV_LABELS) not in body


def test_printing_from_the_browser_shows_the_address_of_outside_links(page, site_url):
    page.goto(site_url + "candidates/stein/")
    page.emulate_media(media="print")
    link = "main dl.facts a[href^='http']"
    href = page.get_attribute(link, "href")
    after = page.evaluate(f"getComputedStyle(document.querySelector(\"{link}\"), '::after').content")
    assert href and href in after


def test_the_pocket_card_prints_on_one_page_from_the_browser(page, site_url, tmp_path):
    page.goto(site_url + "guides/answering-objections/pocket-card/")
    page.emulate_media(media="print")
    pdf = tmp_path / "card.pdf"
    pdf.write_bytes(page.pdf(prefer_css_page_size=True))
    assert pages(pdf) == 1
    assert "pocket card" in text(pdf).lower()


def web_font(ttf: Path, out: Path) -> None:
    """A WOFF2 cut down to ASCII from a TTF, standing in for a site's web-font subset."""
    import io
    from fontTools import subset as ft_subset
    from fontTools.ttLib import TTFont
    tt = TTFont(io.BytesIO(ttf.read_bytes()))
    subsetter = ft_subset.Subsetter(ft_subset.Options())
    subsetter.populate(text="".join(chr(c) for c in range(0x20, 0x7F)))
    subsetter.subset(tt)
    tt.flavor = "woff2"
    out.parent.mkdir(parents=True, exist_ok=True)
    tt.save(str(out))


def test_pdfs_use_the_sites_own_typeface_and_the_projects_for_what_it_lacks(scratch_site, tmp_path, own_cache):
    fonts = REPO / "static" / "fonts"
    for name, _, weight in pdfs.SITE_FACES:
        web_font(fonts / ("DejaVuSans-Bold.ttf" if weight >= 700 else "DejaVuSans.ttf"),
                 scratch_site / name)
    guide = scratch_site / "content" / "guides" / "keeping-the-pact.md"
    guide.write_text(guide.read_text("utf-8") + "\nВ другой стране тоже голосуют.\n", "utf-8")
    # DejaVu is wider than the site's typeface: the Spanish pocket card would need a third side,
    # a warning that --strict turns into an error. This test is about the PDFs' fonts, not that.
    spanish = scratch_site / "content" / "es" / "guides" / "answering-objections.md"
    spanish.write_text(spanish.read_text("utf-8").replace("pocket_card: true", "pocket_card: false"), "utf-8")
    build(BuildOptions(scratch_site, tmp_path / "out", cache_dir=own_cache, strict=True))
    pdf = tmp_path / "out" / "guides" / "keeping-the-pact.pdf"
    names = embedded_fonts(pdf)
    assert any(n.startswith("VotePact-Site") for n in names), f"the site's typeface is not used: {names}"
    assert any(n.startswith("VotePact-Sans") for n in names), f"nothing drew what the site's typeface lacks: {names}"
    assert "В другой стране тоже голосуют." in text(pdf)


def test_a_guide_ends_with_a_qr_code_of_the_pact_makers_address(built_site):
    """The call to action at the end of a guide carries a QR code of the address it prints: the
    page is rendered, the code's modules read back from the pixels and compared with the code of
    that address (segno, as the build makes it)."""
    import segno
    for pdf, address in ((built_site / "guides" / "keeping-the-pact.pdf", f"{BASE}pact/"),
                         (built_site / "es" / "guides" / "finding-a-partner.pdf", f"{BASE}es/pact/")):
        last = pages(pdf)
        words = page_words(pdf)[-1]
        cta = next(w for w in words if w[0] == address.removeprefix("https://"))   # printed short, coded whole
        scale = 4
        image = rendered(pdf, last, dpi=72 * scale)
        # Text near the box (the sources' second column above it) is ink too: leave words out.
        def in_a_word(x, y):
            return any(w[1] - 1 <= x / scale <= w[3] + 1 and w[2] - 1 <= y / scale <= w[4] + 1 for w in words)
        ink = [(x, y) for y in range(int((cta[2] - 45) * scale), int((cta[4] + 45) * scale))
               for x in range(int(380 * scale), image.width, 2)
               if sum(image.getpixel((x, y))) < 150 and not in_a_word(x, y)]
        assert ink, f"{pdf.name}: no QR code beside the call to action"
        left, top = min(x for x, _ in ink), min(y for _, y in ink)
        right, bottom = max(x for x, _ in ink) + 2, max(y for _, y in ink)
        expected = [list(row) for row in segno.make(address, error="m", micro=False).matrix]
        size = len(expected)
        assert abs((right - left) - (bottom - top)) < (right - left) / size, f"{pdf.name}: the code is not square"
        module = (bottom - top) / size
        read = [[int(sum(image.getpixel((int(left + (c + .5) * module), int(top + (r + .5) * module)))) < 300)
                 for c in range(size)] for r in range(size)]
        assert read == expected, f"{pdf.name}: the printed code is not the code of {address}"


# --- issue 13 (review 3): paper that leads back to the site, and prints that read on their own ---

@pytest.mark.parametrize("path", ["faq/", "es/faq/", "guides/", "states/", "about/"])
def test_every_browser_print_has_one_header_rule_and_ends_with_its_own_short_address(page, site_url, tmp_path, path):
    """Defects 6 and 22: the logo over one rule (the band under it draws none), and at the foot the
    page's address as a reader types it (from the build's base URL, without the scheme); links
    within the site print as plain words, neither underlined nor coloured."""
    page.goto(site_url + path)
    page.emulate_media(media="print")
    style = lambda selector, prop, pseudo="null": page.evaluate(  # noqa: E731
        f"getComputedStyle(document.querySelector('{selector}'), {pseudo}).{prop}")
    assert style(".masthead", "borderBottomStyle") == "solid"
    if page.query_selector("main .page-band"):
        assert style("main .page-band", "borderTopStyle") == "none", "a second rule under the header"
    short = SHORT + path        # the build's own address (the test server's is not the site's)
    pdf = tmp_path / "print.pdf"
    pdf.write_bytes(page.pdf(prefer_css_page_size=True))
    assert text(pdf, pages(pdf)).endswith(short), text(pdf, pages(pdf))[-80:]
    internal = page.query_selector("main a[href^='/'], main a[href^='#']")
    if internal:
        assert page.evaluate("a => getComputedStyle(a).textDecorationLine", internal) == "none"


def test_the_guides_index_prints_as_one_column_with_numbers_and_lengths_in_the_flow(page, site_url, tmp_path):
    """Defect 4: each guide's number in ink beside its title, its length under the title (never on it)."""
    page.goto(site_url + "guides/")
    page.emulate_media(media="print")
    cards = page.query_selector_all(".guides-list .cards > li")
    assert len(cards) >= 2
    lefts = {round(card.bounding_box()["x"]) for card in cards}
    assert len(lefts) == 1, f"more than one column: {lefts}"
    for card in cards:
        title, pill = card.query_selector("h2").bounding_box(), card.query_selector(".pill").bounding_box()
        assert pill["y"] >= title["y"] + title["height"] - 1, "the length overlaps the title"
        number = page.evaluate("li => getComputedStyle(li, '::before').content", card)
        colour = page.evaluate("li => getComputedStyle(li, '::before').color", card)
        assert number.startswith('counter(') and colour == "rgb(0, 0, 0)"
    pdf = tmp_path / "guides.pdf"
    pdf.write_bytes(page.pdf(prefer_css_page_size=True))
    words = text(pdf)
    assert all(f"{i:02d}" in words for i in range(1, len(cards) + 1))


def test_the_states_page_prints_every_state_in_columns_and_no_tapping(page, site_url):
    """Defect 7: on paper the list of states, several columns; the instruction to pick or tap is gone."""
    page.goto(site_url + "states/")
    page.emulate_media(media="print")
    assert not page.is_visible(".picker-top .meta")
    assert page.is_visible(".picker")
    states = page.query_selector_all(".picker li")
    assert len(states) == len(set(s.inner_text() for s in states)) > 3
    assert len({round(s.bounding_box()["x"]) for s in states}) >= 3, "the list is not in columns"


def test_the_pocket_card_prints_from_the_browser_numbered_without_a_heavy_frame(page, site_url, tmp_path):
    """Defect 21: numbered questions, no thick border, its address at the foot of the same page."""
    page.goto(site_url + "guides/answering-objections/pocket-card/")
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.querySelector('.pocket-card')).borderTopWidth") == "0px"
    pdf = tmp_path / "card.pdf"
    pdf.write_bytes(page.pdf(prefer_css_page_size=True))
    words = text(pdf)
    assert pages(pdf) == 1 and re.search(r"\b1\. \S", words) and re.search(r"\b2\. \S", words)
    assert words.endswith(SHORT + "guides/answering-objections/pocket-card/")


@pytest.mark.parametrize("media", ["screen", "print"])
def test_a_guides_step_discs_sit_on_their_first_line(page, site_url, media):
    """Defect 25: each disc centred on its step's first line (within 2 px), 20 px or more between steps."""
    page.goto(site_url + "guides/answering-objections/")
    page.emulate_media(media=media)
    found = page.evaluate("""() => [...document.querySelectorAll('.guide .doc-body ol > li')].slice(0, 3).map(li => {
        const disc = getComputedStyle(li, '::before'), range = document.createRange();
        range.setStart(li.firstChild, 0); range.setEnd(li.firstChild, 1);
        const line = range.getClientRects()[0], box = li.getBoundingClientRect();
        const lineHeight = parseFloat(getComputedStyle(li).lineHeight);
        return {disc: parseFloat(disc.top) + parseFloat(disc.height) / 2, line: line.top - box.top + line.height / 2,
                lineBox: lineHeight / 2, gap: parseFloat(getComputedStyle(li).paddingBottom)};
    })""")
    assert found
    for step in found:
        assert abs(step["disc"] - step["lineBox"]) <= 2, step
        assert step["gap"] >= 20, step


def test_no_guide_pdf_leaves_one_word_alone_on_a_line_mid_sentence(built_site):
    """Defect 23: WeasyPrint broke "...on the ballot in / that / partner's state" before a link."""
    for pdf in sorted(built_site.glob("**/guides/*.pdf")):
        lines = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                               check=True).stdout.splitlines()
        for before, line, after in zip(lines, lines[1:], lines[2:]):
            word = line.strip()
            if re.fullmatch(r"[a-záéíóúñ’']+", word) and after.strip()[:1].islower() and before.strip():
                pytest.fail(f"{pdf.name}: {word!r} alone on a line between {before.strip()!r} and {after.strip()!r}")


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_a_sheet_of_cards_draws_no_frame_near_the_sheets_edge(built_site, paper):
    """Defect 18: the cut marks say where a card ends; nothing is drawn within 8 mm of the sheet's
    edge but those marks (at the middle of each side)."""
    pdf = built_site / "guides" / "answering-objections" / f"pocket-cards-{paper}.pdf"
    for side in (1, 2):
        image = rendered(pdf, side, dpi=144).convert("L")
        band, middle = round(8 * MM * 2), (image.width // 2, image.height // 2)
        for strip in ((0, 0, middle[0] - band, band), (middle[0] + band, 0, image.width, band),
                      (0, band, band, middle[1] - band), (0, middle[1] + band, band, image.height - band)):
            assert image.crop(strip).getextrema()[0] > 200, f"{pdf.name} side {side}: a line drawn in {strip}"


def test_the_qr_code_on_the_pocket_card_has_a_white_margin_of_four_modules(built_site):
    """Defect 19: the code's light margin shows whole (four modules of white around the dark ones)."""
    import segno
    card = built_site / "guides" / "answering-objections" / "pocket-card.pdf"
    image = rendered(card, 2, dpi=288).convert("L")        # 4 pixels a point
    inset = round(10 * MM * 4)                                 # inside the bleed, the crop marks and the frame
    corner = image.crop((image.width // 2, image.height * 2 // 3, image.width - inset, image.height - inset))
    # the QR code's dark modules: the darkest pixels there, right of the words beside it
    dark = corner.point(lambda v: 255 if v < 60 else 0)
    left, _, right, _ = dark.getbbox()
    columns = [x for x in range(left, right) if dark.crop((x, 0, x + 1, dark.height)).getextrema()[1]]
    gaps = [b - a for a, b in zip(columns, columns[1:])]
    if gaps and max(gaps) > 8 * 4:
        left = columns[gaps.index(max(gaps)) + 1]
    left, top, right, bottom = (left + v if i % 2 == 0 else v for i, v in enumerate(dark.crop((left, 0, right, dark.height)).getbbox()))
    size = segno.make(BASE + "pact/", error="m", micro=False).symbol_size(border=0)[0]
    module = (right - left) / size
    assert 4 < module < 12, f"a module of {module:.1f} px: not the QR code"
    ring = 4 * module - 2
    for box in ((left - ring, top, left - 1, bottom), (right + 1, top, right + ring, bottom),
                (left, top - ring, right, top - 1), (left, bottom + 1, right, bottom + ring)):
        assert corner.crop(tuple(round(v) for v in box)).getextrema()[0] > 235, f"not white around the code: {box}"


# --- review 4: print (defects 16, 17 and 19) -------------------------------------------------------

def election_name(lang: str = "") -> str:
    """The election's name as the data gives it, in the language of the folder `lang` ("" or "es/")."""
    import yaml
    return yaml.safe_load((REPO / "data" / lang / "candidates.yaml").read_text("utf-8"))["election"]["name"]


def printed(page, tmp_path, name: str = "print.pdf") -> Path:
    pdf = tmp_path / name
    pdf.write_bytes(page.pdf(prefer_css_page_size=True))
    return pdf


@pytest.mark.parametrize("path", ["", "es/", "candidates/stein/", "faq/"])
def test_every_print_opens_with_a_header_line_of_the_site_and_the_race_from_data(page, site_url, tmp_path, path):
    """Defect 16: the mark and the site's name, and beside them, over the same rule, the election
    (its name as data/candidates.yaml gives it) and, once election day has passed, "race over"."""
    page.goto(site_url + path)
    page.wait_for_function("document.documentElement.dataset.electionPhase")
    page.emulate_media(media="print")
    brand, line = page.locator(".masthead .brand").bounding_box(), page.locator(".election-time").bounding_box()
    assert line and line["y"] + line["height"] <= brand["y"] + brand["height"] + 8, "the line is not beside the mark"
    assert line["x"] > brand["x"] + brand["width"], "the line overlaps the mark"
    words = text(printed(page, tmp_path), 1)
    head = words[:160]
    assert head.startswith("VotePact"), head
    assert election_name("es/" if path.startswith("es/") else "") in head, head
    assert "RACE OVER" in head or "YA TERMINÓ" in head.upper(), head
    assert "About this site" not in head and "Acerca de este sitio" not in head


def test_without_script_the_header_line_gives_the_election_and_its_day(browser, site_url, tmp_path):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url)
    page.emulate_media(media="print")
    head = text(printed(page, tmp_path), 1)[:160]
    context.close()
    assert head.startswith("VotePact") and f"{election_name()}: election day" in head, head


def test_a_link_within_the_site_prints_its_whole_short_address_after_its_words(page, site_url, tmp_path):
    """Defect 16: on paper "why that matters" leads nowhere; "(votepact.org/faq/#...)" does."""
    page.goto(site_url)
    page.emulate_media(media="print")
    href = page.get_attribute("main p a[href^='/']:not(.button)", "href")
    words = text(printed(page, tmp_path)).replace(" ", "")
    assert f"({SHORT.rstrip('/')}{href})" in words, f"{SHORT.rstrip('/')}{href} is not printed"
    # not after the mark nor after a button that prints (the others print nothing at all)
    assert not page.evaluate("""() => [...document.querySelectorAll('.masthead a, a.button')]
        .filter(a => a.getClientRects().length)
        .some(a => getComputedStyle(a, '::after').content.includes('votepact'))""")


@pytest.mark.parametrize("script", [True, False])
def test_every_disclosure_prints_open(browser, site_url, tmp_path, script):
    """Defect 16: "How we count" printed as its summary alone, while "Sources" printed open."""
    context = browser.new_context(java_script_enabled=script)
    page = context.new_page()
    page.goto(site_url + "candidates/")
    assert page.evaluate("!document.querySelector('details.key').open")
    inside = page.text_content("details.key p").split(".")[0]
    page.emulate_media(media="print")
    words = text(printed(page, tmp_path))
    context.close()
    assert inside in words


def coloured_share(pdf: Path) -> float:
    """The share of a printed page's inked pixels that are in colour, at 36 dpi: neither grey nor
    the brand's navy (the one colour a card keeps on paper, for "will vote for")."""
    image = rendered(pdf, 1, dpi=36)
    inked = coloured = 0
    data = image.tobytes()
    for i in range(0, len(data), 3):
        r, g, b = data[i], data[i + 1], data[i + 2]
        if min(r, g, b) < 235:
            inked += 1
            coloured += max(r, g, b) - min(r, g, b) > 40 and not (b >= r and b >= g)
    return coloured / max(1, inked)


@pytest.mark.parametrize("path", ["pact/castle/", "pact/#v1&n1=Ann&s1=GA&m1=clinton&a1=stein&w1=&n2=Bo&s2=TX&m2=trump&a2=johnson&w2="])
def test_every_pact_card_prints_as_line_art_with_the_sites_address(page, site_url, tmp_path, path):
    """Defect 16: the filled card printed in full colour with a dark band, and without its address;
    now like the blank card: black rules on white, the address of the maker at its foot."""
    page.goto(site_url + path)
    page.wait_for_timeout(300)
    page.emulate_media(media="print")
    card = ".pact-pairing .pact-card" if "#" not in path else "#pact-card"
    fills = page.evaluate(f"""() => [document.querySelector('{card}'), ...document.querySelectorAll('{card} *')]
        .map(e => getComputedStyle(e)).filter(s => s.backgroundColor !== 'rgba(0, 0, 0, 0)' || s.backgroundImage !== 'none')
        .length""")
    assert fills == 0, f"{fills} parts of the card are filled on paper"
    assert page.text_content(f"{card} .pc-url").strip() == f"{SHORT}pact/"
    pdf = printed(page, tmp_path)
    assert coloured_share(pdf) < 0.02, f"{coloured_share(pdf):.0%} of the ink is in colour"
    assert f"{SHORT}pact/" in text(pdf)


def test_the_essay_prints_its_first_word_whole_and_every_heading_in_one_face(page, site_url, tmp_path):
    """Defect 16: no gap after the drop cap ("T he"); the headings and the quote in one face."""
    page.goto(site_url + "bernie-and-boom/")
    page.emulate_media(media="print")
    first = page.evaluate("getComputedStyle(document.querySelector('.essay-text > p'), '::first-letter').marginRight")
    assert first == "0px"
    assert "The dissent" in text(printed(page, tmp_path), 1)
    page.goto(site_url)
    faces = page.evaluate("""() => [...document.querySelectorAll('main h1, main h2, .masthead .brand')]
        .map(e => getComputedStyle(e).fontFamily)""")
    assert len(set(faces)) == 1, set(faces)


def test_the_pocket_cards_page_prints_with_room_above_its_label(page, site_url, tmp_path):
    """Defect 17: "POCKET CARD" touched the top of the paper; now 10 mm or more below it."""
    page.goto(site_url + "guides/answering-objections/pocket-card/")
    page.emulate_media(media="print")
    pdf = printed(page, tmp_path)
    first = page_words(pdf)[0][0]
    assert first[0].upper() == "POCKET" and first[2] >= 10 * MM, f"{first[2] / MM:.1f} mm from the top"


def ink_margins(pdf: Path, side: int) -> list[tuple[float, float]]:
    """For each of a sheet's four quarters, (mm from the sheet's nearest edge, mm from the nearest
    cut) of its nearest ink: the page drawn at 144 dpi, the cut lines themselves (the marks) left out."""
    from PIL import ImageDraw
    image = rendered(pdf, side, dpi=144).convert("L")
    scale = 2
    width, height = image.size
    mid_x, mid_y, band = width // 2, height // 2, round(1.5 * MM * scale)
    ink = image.point(lambda v: 255 if v < 235 else 0)
    pen = ImageDraw.Draw(ink)
    pen.rectangle((mid_x - band, 0, mid_x + band, height), fill=0)
    pen.rectangle((0, mid_y - band, width, mid_y + band), fill=0)
    found = []
    for left, top, right, bottom in ((0, 0, mid_x, mid_y), (mid_x, 0, width, mid_y), (0, mid_y, mid_x, height),
                                     (mid_x, mid_y, width, height)):
        x0, y0, x1, y1 = ink.crop((left, top, right, bottom)).getbbox()
        x0, y0, x1, y1 = x0 + left, y0 + top, x1 + left, y1 + top
        edge = min(x0 if left == 0 else width - x1, y0 if top == 0 else height - y1)
        cut = min(mid_x - x1 if right == mid_x else x0 - mid_x, mid_y - y1 if bottom == mid_y else y0 - mid_y)
        found.append((edge / scale / MM, cut / scale / MM))
    return found


@pytest.mark.parametrize("lang", ["", "es/"])
@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_a_sheet_keeps_every_cards_ink_9_mm_from_the_paper_edge_and_from_each_cut(built_site, lang, paper):
    """Defect 17: the logo sat about 6 mm from the sheet's edge and words 4 mm from the cut; now
    everything a card draws (words, mark, discs, the QR code and its box) stays within 8 to 10 mm
    of safe margin: 9 mm or more here, at 144 dpi."""
    pdf = built_site / lang / "guides" / "answering-objections" / f"pocket-cards-{paper}.pdf"
    for side in (1, 2):
        for edge, cut in ink_margins(pdf, side):
            assert edge >= 9 and cut >= 9, f"{pdf.name} side {side}: ink {edge:.1f} mm from the edge, {cut:.1f} mm from a cut"
    assert pdfs.SHEET_SAFE_MM >= 8


# --- the guides' index (defect 19) -------------------------------------------------------------------

def test_each_guide_card_is_one_link_with_its_pdf_and_pocket_card_as_buttons_in_an_even_grid(page, site_url):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site_url + "guides/")
    cards = page.query_selector_all(".guides-list .cards > li")
    assert len(cards) >= 4
    boxes_ = [c.bounding_box() for c in cards]
    assert len({round(b["width"]) for b in boxes_}) == 1, "cards of different widths"
    rows = Counter(round(b["y"]) for b in boxes_)
    assert max(rows.values()) in (2, 3) and min(rows.values()) >= max(rows.values()) - 1, f"rows of {sorted(rows.values())}"
    assert page.evaluate("document.querySelectorAll('.guides-list a a').length") == 0, "a link inside a link"
    for card in cards:
        card.scroll_into_view_if_needed()
        title = card.query_selector("h2 a")
        target = title.get_attribute("href")
        # a point in the card's description, away from the title: the title's link takes it
        p = card.query_selector("h2 + .pill + p").bounding_box()
        hit = page.evaluate(f"document.elementFromPoint({p['x'] + 5}, {p['y'] + p['height'] / 2}).closest('a')?.getAttribute('href')")
        assert hit == target, f"the card does not lead to {target}"
        for button in card.query_selector_all(".get a"):
            b = button.bounding_box()
            assert b["height"] >= 24 and b["width"] >= 24
            hit = page.evaluate(f"document.elementFromPoint({b['x'] + b['width'] / 2}, {b['y'] + b['height'] / 2}).closest('a')?.getAttribute('href')")
            assert hit == button.get_attribute("href"), "a button under the card's link"
        assert [a.inner_text() for a in card.query_selector_all(".get a")][:1] in (["PDF"], ["Pocket card"])


def test_the_guides_index_tells_the_talk_from_the_reading(page, site_url):
    """Defect 19: "15 minutes" beside "each guide takes a few minutes to read" was ambiguous."""
    page.goto(site_url + "guides/")
    for path in pdf_guides():
        duration = re.search(r"^duration: (.+)$", front_matter(path), re.M).group(1)
        card = page.locator(".guides-list .cards > li", has=page.locator(f"h2 a[href$='/{path.stem}/']"))
        pill = card.locator(".pill").inner_text()
        assert duration in pill and "talk" in duration and re.search(r"\d+-min read", pill), pill


def test_the_printed_guides_index_gives_each_guides_address_and_its_pdfs(page, site_url, tmp_path):
    page.goto(site_url + "guides/")
    page.emulate_media(media="print")
    words = text(printed(page, tmp_path))
    for path in pdf_guides():
        assert f"{SHORT}guides/{path.stem}/" in words and f"PDF: {SHORT}guides/{path.stem}.pdf" in words, path.stem
