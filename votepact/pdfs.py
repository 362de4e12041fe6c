"""PDFs of the pages that ask for one (`pdf: true`), and the guides' pocket cards: each as one A6
card with crop marks, two closed faces in their own frames, and four to a Letter and an A4 sheet
(imposed with pikepdf), to print on both sides and cut. A guide's PDF is set so that no page after
the first is left nearly empty and its last page is not a left-over line or two.

A PDF is made with WeasyPrint from the very HTML the page is published as, with the print
styles of site.css and the PDF-only static/css/pdf.css (the project's DejaVu fonts, and the
site's name and where the page is online in every page's footer, in the page's language). WeasyPrint reads only the files
of the site being built: anything else a page refers to is left out of the PDF, never fetched.

WeasyPrint needs the Pango and HarfBuzz libraries of the system. Where they are missing, the
build says which packages to install and goes on without PDFs (an error with --strict), and
pages do not link to PDFs that were not made.
"""
from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import html
import importlib.metadata
import importlib.util
import json
import logging
import re
from dataclasses import dataclass
from urllib.parse import unquote, urljoin, urlsplit

from .cache import BuildCache
from .hashing import digest
from .content import Page
from .errors import Location, Report
from .links import short_address

PDF_VERSION = "20"
"""Change this whenever a change to the code below changes what the PDFs look like."""
STYLESHEET = "css/pdf.css"
SYSTEM_PACKAGES = {  # Debian/Ubuntu package: the library file WeasyPrint loads from it
    "libpango-1.0-0": "libpango-1.0.so.0",
    "libpangoft2-1.0-0": "libpangoft2-1.0.so.0",
    "libharfbuzz-subset0": "libharfbuzz-subset.so.0",
}
POCKET_FONT_SIZES = ("12pt", "11.5pt", "11pt", "10.5pt", "10pt", "9.5pt", "9pt", "8.5pt", "8pt", "7.5pt", "7pt")
"""The pocket card's type, largest first, until it fits the card's two sides; 7 pt is as small
as a card held in the hand stays readable."""
POCKET_LEADINGS = ("1.5", "1.44", "1.38", "1.32")
"""The pocket card's leading, most open first, tried once its type size is found (pdf.css sets 1.27)."""
POCKET_SIDES = 2
SHEETS = {"letter": (612.0, 792.0), "a4": (595.276, 841.89)}
"""The sheets an organizer prints pocket cards on, in points (portrait): US Letter, and A4 for
the rest of the world. Each takes four cards, a quarter of the sheet each (on A4 exactly the A6
card), so that two cuts, across and down the middle, make four cards."""
CARDS_ACROSS = CARDS_DOWN = 2
POCKET_CARD_MM = (105, 148)
"""The single pocket card, A6 (pdf.css's @page pocket); a sheet whose quarter is this size (A4)
takes it as it is, cut out of its bleed, and any other sheet (Letter) has the card set anew."""
MM = 72 / 25.4
SHEET_SAFE_MM = 9.5
"""On a sheet of cards, how far in (mm) from the sheet's edge and from each cut every card's words
and marks stay: clear of the 5-6 mm most home printers cannot print, and of a cut a little off its
line (review 4, defect 17, asks 8 to 10 mm)."""
GUIDE_SETTINGS = ((10.5, 1.45, False), (10, 1.4, True), (10, 1.32, True), (10.5, 1.6, False))
"""A guide's body type (size in points, leading, and whether it is set compact: COMPACT_CSS), the
usual first: when its last page would be short or any page after the first nearly empty
(PageFill), the guide is set tighter so that it ends a page sooner, or else looser so that its
last page carries more than a few lines; 10 pt is the smallest for reading a guide held at arm's
length (issue 13)."""
COMPACT_CSS = (".doc-body h2, .doc-body > h2:first-child { margin-top: 11pt; } "
               ".doc-body .footnote { font-size: 7.5pt; margin-top: 8pt; } main::after { margin-top: 10pt; } "
               ".doc-body > :not(.footnote) { max-width: 38em; }\n")
"""A compact setting: less room above the headings and the end matter, the sources in 7.5 pt,
and the column two em wider (still under 80 characters a line)."""


@dataclass(frozen=True)
class Pdf:
    """One PDF to make: from the HTML of the page at `url`, into `path`."""
    url: str                       # the page's site path: "/guides/finding-a-partner/"
    path: str                      # site path of the PDF: "/guides/finding-a-partner.pdf"
    source: str                    # the file that asked for it, for messages
    one_page: bool = False         # a pocket card: smaller type until it fits the card's two sides
    next_step: tuple = ()          # (what to do, absolute address): the last words of every PDF
    sheets: tuple = ()             # a pocket card's sheets to print: ((paper, site path), ...), paper in SHEETS

    @property
    def output_path(self) -> str:
        return self.path.lstrip("/")

    @property
    def outputs(self) -> tuple[str, ...]:
        """Every file this PDF makes: its own, then its sheets'."""
        return (self.output_path, *(path.lstrip("/") for _, path in self.sheets))


def sheet_path(url: str, paper: str) -> str:
    """'/guides/x/pocket-card/', 'a4' -> '/guides/x/pocket-cards-a4.pdf'."""
    return url.rstrip("/").removesuffix(".html") + f"s-{paper}.pdf"


def pdf_path(url: str) -> str:
    """'/guides/finding-a-partner/' -> '/guides/finding-a-partner.pdf'."""
    return url.rstrip("/").removesuffix(".html") + ".pdf"


# --- The pocket card: a page made from a guide's questions ----------------------------------

def pocket_card_pages(pages: list[Page], words=None) -> list[Page]:
    """A pocket-card page for every guide with `pocket_card: true`: each `###` question of the
    guide with the first paragraph of its answer, as a pocket-sized card to print and hand out."""
    from .i18n import Language, Localizer, language_of
    words = words or Localizer((Language("en"),))
    _ = words.gettext
    cards = []
    for guide in pages:
        if not guide.meta.get("pocket_card"):
            continue
        words.use(language_of(guide.url, words.languages))
        items = pocket_items(guide.markdown)
        card = Page(
            url=guide.url + "pocket-card/", title=_("%(title)s: pocket card") % {"title": guide.title},
            template="guides/pocket-card.html", source=guide.source, line=guide.line,
            description=_("The %(n)s questions of the guide “%(title)s” with short answers, on a pocket card to "
                          "print, cut out and hand out.") % {"n": len(items), "title": guide.title},
            meta={"pdf": True, **{k: guide.meta[k] for k in ("lang", "draft") if k in guide.meta}},
            markdown="\n\n".join(f"## {q}\n\n{a}" for q, a in items) + "\n",
            context={"pocket_card_of": guide, "pocket_items": len(items)})
        guide.context["pocket_card"] = card
        cards.append(card)
    return cards


_HEADING = re.compile(r"^###\s+(.+?)\s*$")
_FOOTNOTE_REF = re.compile(r"\[\^[^\]]+\]")


def pocket_items(markdown: str) -> list[tuple[str, str]]:
    """(question, first paragraph of the answer) for every `###` heading, in order; footnote
    marks are left out because the card has no room for the notes."""
    items, lines = [], markdown.splitlines()
    for i, line in enumerate(lines):
        match = _HEADING.match(line)
        if not match:
            continue
        para, j = [], i + 1
        while j < len(lines) and not lines[j].strip():
            j += 1
        while j < len(lines) and lines[j].strip() and not lines[j].startswith("#"):
            para.append(lines[j].strip())
            j += 1
        items.append((match.group(1), _FOOTNOTE_REF.sub("", " ".join(para))))
    return items


# --- Which PDFs this build makes ------------------------------------------------------------

def plan(pages: list[Page], settings, report: Report) -> dict:
    """A Pdf for every page that asks for one, by page URL; none when PDFs are switched off
    or WeasyPrint cannot run here (a warning, an error with --strict)."""
    wanted = [p for p in pages if p.meta.get("pdf")]
    if not wanted or not settings.pdf:
        return {}
    problem = weasyprint_problem()
    if problem:
        message, hint = problem
        report.warn(Location(wanted[0].source), f"{len(wanted)} PDF(s) not built: {message}", hint)
        return {}
    from .i18n import language_of
    languages = settings.languages or ()
    in_language = lambda page: language_of(page.url, languages).code if languages else ""  # noqa: E731
    steps = {code: next_step([p for p in pages if in_language(p) == code], settings)
             for code in {in_language(p) for p in wanted}}  # each PDF leads to the pact page of its language
    def card(page: Page) -> bool:
        return "pocket_card_of" in page.context
    return {p.url: Pdf(p.url, pdf_path(p.url), p.source, one_page=card(p), next_step=steps[in_language(p)],
                       sheets=tuple((paper, sheet_path(p.url, paper)) for paper in SHEETS) if card(p) else ())
            for p in wanted}


def next_step(pages: list[Page], settings) -> tuple[str, str]:
    """Where a reader goes once the paper is read: the site's pact page (the page made with the
    pact template, by its title: 'Make a pact card'), else the site's home page."""
    pact = next((p for p in pages if p.template == "pact.html"), None)
    if pact is None:
        return settings.title, settings.base_url
    return pact.title, settings.base_url + pact.url.lstrip("/")


def weasyprint_problem() -> tuple[str, str] | None:
    """Why WeasyPrint cannot make PDFs on this machine, and what to do; None when it can.
    Checked without importing WeasyPrint, which takes a while and prints its own advice."""
    missing = [pkg for pkg, lib in SYSTEM_PACKAGES.items() if not _loadable(lib)]
    if missing:
        return (f"WeasyPrint needs system libraries that are missing ({', '.join(SYSTEM_PACKAGES[p] for p in missing)})",
                f"install them: apt-get install {' '.join(SYSTEM_PACKAGES)} (Debian/Ubuntu), "
                f"or set 'pdf: false' in data/site.yaml")
    if importlib.util.find_spec("weasyprint") is None:
        return "the Python package WeasyPrint is not installed", "pip install weasyprint"
    return None


def _loadable(library: str) -> bool:
    """True when the shared library loads (by its Linux name, else wherever this system keeps it)."""
    try:
        ctypes.CDLL(library)
        return True
    except OSError:
        pass
    found = ctypes.util.find_library(library.removeprefix("lib").split(".so")[0])
    try:
        return bool(found) and ctypes.CDLL(found) is not None
    except OSError:
        return False


# --- Making them ----------------------------------------------------------------------------

def render_all(pdfs: dict, files: dict, settings, stylesheet: str, cache: BuildCache,
               report: Report) -> tuple[dict, int]:
    """Every PDF as {output path: bytes} (a pocket card's sheets among them), from the cache where
    it has them; and how many of `pdfs` had to be made. `files` is the rest of the built site, the
    only place WeasyPrint reads from; `stylesheet` is where pdf.css is in it
    ('static/css/pdf.1a2b3c4d5e.css')."""
    out, made, printer = {}, 0, None
    faces = site_faces(files)
    for url, pdf in sorted(pdfs.items()):
        key = digest(PDF_VERSION, repr(GUIDE_SETTINGS), COMPACT_CSS, repr(POCKET_FONT_SIZES), repr(POCKET_LEADINGS), _weasyprint_version(), settings.base_url, settings.title, repr(pdf), stylesheet,
                     repr(faces), files[_page_file(url)])
        made_before, warnings = from_cache(cache, key, files, len(pdf.outputs))
        if made_before is None:
            printer = printer or Printer(files, settings.base_url, settings.title, stylesheet, faces)
            made_now, used, warnings = printer.print(pdf)
            record = {"files": {name: digest(files[name]) for name in sorted(used)}, "warnings": warnings}
            for i, data in enumerate(made_now):
                cache.put(f"{key}.{i}.pdf", data)
            cache.put(key + ".json", json.dumps(record, sort_keys=True).encode("utf-8"))
            made += 1
        for message, hint in warnings:
            report.warn(Location(pdf.source), message, hint)
        out.update(zip(pdf.outputs, made_before or made_now))
    return out, made


def from_cache(cache: BuildCache, key: str, files: dict, count: int = 1) -> tuple[list[bytes] | None, list]:
    """The `count` files of a PDF made before from the same HTML, if every file it read
    (stylesheets, fonts, images) is still the same; and the warnings making it gave."""
    record, data = cache.get(key + ".json"), [cache.get(f"{key}.{i}.pdf") for i in range(count)]
    if record is None or None in data:
        return None, []
    record = json.loads(record)
    if any(name not in files or digest(files[name]) != h for name, h in record["files"].items()):
        return None, []
    return data, [tuple(w) for w in record["warnings"]]


_STYLESHEET_LINK = re.compile(r'<link rel="stylesheet" href="([^"]+)"[^>]*>')
_ICON_LINK = re.compile(r'<link rel="icon" href="([^"]+)"')
_LINK = re.compile(r'<a href="([^"#][^"]*)"')
_FOOTER = re.compile(r'data-pdf-footer="([^"]*)"')


def print_addresses(page_html: str, address: str) -> str:
    """The page's HTML with each link that leads somewhere (not a jump within the page) given
    data-print, its address as a reader types it from paper: absolute (resolved against the page's
    `address`), without scheme, "www.", fragment or query ("votepact.org/faq/"). pdf.css prints
    it after the link's words, since paper has no links to follow."""
    def mark(match):
        parts = urlsplit(urljoin(address, html.unescape(match.group(1))))
        if parts.scheme not in ("http", "https"):
            return match.group(0)
        return f'{match.group(0)} data-print="{html.escape(short_address(parts.geturl()))}"'
    return _LINK.sub(mark, page_html)


_SPACE_BEFORE_LINK = re.compile(r" (<a [^>]*>)")


def space_into_links(page_html: str) -> str:
    """The page's HTML with the space before each link moved inside it ('in <a>x</a>' ->
    'in<a> x</a>'; on paper a link is not underlined, so nothing shows). WeasyPrint (70) breaks a
    line badly when a link does not fit at the end of a line and the text before it ends in a space:
    it backs up to the first break of that text, leaving one word alone on a line ("...on the ballot
    in / that / partner's state", issue 13, defect 23); with the space in the link it breaks before
    the link, as a browser does."""
    return _SPACE_BEFORE_LINK.sub(r"\1 ", page_html)


class Printer:
    """Makes the PDFs of one build. Each stylesheet is parsed once and serves every PDF:
    parsing site.css and loading the fonts cost more than laying out a guide."""

    def __init__(self, files: dict, base_url: str, site_name: str, stylesheet: str, faces: tuple = ()):
        from weasyprint.text.fonts import FontConfiguration
        self.files, self.base_url, self.site_name, self.faces = files, base_url, site_name, faces
        self.fetcher = site_fetcher(files, base_url)
        self.fonts = FontConfiguration()
        self.sheets: dict = {}       # address -> (parsed stylesheet, site files it read, addresses refused)
        self.pdf_css = base_url + stylesheet

    def stylesheet(self, url: str) -> tuple:
        import weasyprint
        if url not in self.sheets:
            self.fetcher.reset()
            sheet = weasyprint.CSS(url=url, url_fetcher=self.fetcher, font_config=self.fonts)
            self.sheets[url] = (sheet, set(self.fetcher.used), list(self.fetcher.refused))
        return self.sheets[url]

    def print(self, pdf: Pdf) -> tuple[list[bytes], set, list]:
        """The files of one PDF (pdf.outputs) from the page's published HTML, with the page's
        stylesheets, then pdf.css, then the page's own frame; also the site files it read and the
        warnings for the organizer."""
        import weasyprint
        address = self.base_url + pdf.url.lstrip("/")
        page_html = self.files[_page_file(pdf.url)].decode("utf-8")
        linked = [urljoin(address, html.unescape(href)) for href in _STYLESHEET_LINK.findall(page_html)]
        with _quiet_weasyprint():
            sheets = [self.stylesheet(url) for url in linked + [self.pdf_css]]
            self.fetcher.reset()
            source = space_into_links(print_addresses(_STYLESHEET_LINK.sub("", page_html), address))
            mark = _ICON_LINK.search(page_html)
            mark = urljoin(address, html.unescape(mark.group(1))) if mark else ""
            footer = _FOOTER.search(page_html)
            footer = html.unescape(footer.group(1)) if footer else ""
            def render(extra_css: str):
                frame = weasyprint.CSS(string=page_css(self.site_name, address, pdf.next_step, mark, footer) + extra_css
                                       + faces_css(self.faces, self.base_url),
                                       url_fetcher=self.fetcher, font_config=self.fonts)
                return weasyprint.HTML(string=source, base_url=address, url_fetcher=self.fetcher).render(
                    stylesheets=[sheet for sheet, _, _ in sheets] + [frame], font_config=self.fonts)
            made, sides = [], {}
            if pdf.one_page:
                document, first = set_card(render)
                made.append(document.write_pdf())
                for paper, path in pdf.sheets:
                    width, height = SHEETS[paper]
                    across, down = width / CARDS_ACROSS, height / CARDS_DOWN
                    # on A4 the A6 card itself; on a sheet no frame (the cut marks say where the card ends, and
                    # a frame 4.5 mm in from the sheet's edge is lost in most printers' margin: issue 13, defect 18),
                    # and everything SHEET_SAFE_MM in from the sheet's edge and from each cut (review 4, defect 17)
                    a6 = all(abs(side - mm * MM) < MM for side, mm in zip((across, down), POCKET_CARD_MM))
                    size = "A6" if a6 else f"{across:.3f}pt {down:.3f}pt"
                    card, _ = set_card(render, first, f"@page pocket {{ size: {size}; bleed: 0; marks: none; border: 0; "
                                                      f"margin: 0; padding: {SHEET_SAFE_MM}mm; }}\n")
                    made.append(impose(card.write_pdf(), (width, height)))
                    sides[path] = len(card.pages)
                sides[pdf.path] = len(document.pages)
            else:
                made.append(set_guide(render).write_pdf())
        used = set(self.fetcher.used).union(*(read for _, read, _ in sheets))
        used |= {site_file(url, self.base_url) for url in linked + [self.pdf_css]} - {None}
        refused = list(dict.fromkeys(self.fetcher.refused + [u for _, _, r in sheets for u in r]))
        warnings = []
        for path, count in sorted(sides.items()):
            if count > POCKET_SIDES:
                warnings.append((f"the pocket card {path} needs {count} sides even in small type",
                                 "shorten the first paragraph under each ### question"))
        for url in refused:
            warnings.append((f"{pdf.path} leaves out {url}: PDFs use only the site's own files",
                             "keep the file in static/ and link it with a site path such as /static/..."))
        return made, used, warnings


def set_card(render, start: int = 0, size_css: str = "") -> tuple:
    """A pocket card's document in the largest of POCKET_FONT_SIZES, from the `start`th on, that
    fits its two sides (in the smallest when none does), and the index of that size; then with the
    most open of POCKET_LEADINGS that still fits, so that the back is filled rather than left with
    an empty foot. `size_css` gives the card another size (for the sheets)."""
    for i, size in enumerate(POCKET_FONT_SIZES[start:], start):
        document = render(size_css + f".pocket-card {{ font-size: {size}; }}\n")
        if len(document.pages) <= POCKET_SIDES:
            break
    else:
        return document, i
    for leading in POCKET_LEADINGS:
        css = size_css + f".pocket-card {{ font-size: {size}; line-height: {leading}; }}\n"
        opened = render(css)
        if len(opened.pages) <= POCKET_SIDES:
            return spread_back(render, css, opened), i
    return spread_back(render, size_css + f".pocket-card {{ font-size: {size}; }}\n", document), i


def spread_back(render, css: str, document):
    """The card again with what room its back has left at its foot shared out between the
    questions on the back and the end matter (at most BACK_GAP_MAX points each), so that the back
    reads as a full face; the card as it was if that would move a question to another side."""
    if len(document.pages) != POCKET_SIDES:
        return document
    front, back = (CardFace.of(page) for page in document.pages)
    gaps = back.questions       # above each question on the back but its first, and above the end matter
    extra = min(back.room / gaps, BACK_GAP_MAX) if gaps else 0
    if extra < 1:
        return document
    spread = render(css + f".pocket-items h2:nth-of-type(n+{front.questions + 2}), .pocket-card .pocket-intro "
                          f"{{ margin-top: {extra:.2f}pt; }}\n")
    if len(spread.pages) == POCKET_SIDES and CardFace.of(spread.pages[0]).questions == front.questions:
        return spread
    return document


BACK_GAP_MAX = 14.0
"""The most room (points) spread_back adds above a question: more and the questions drift apart."""


@dataclass(frozen=True)
class CardFace:
    """A laid-out face of the pocket card: how many questions start on it, and the room (points)
    left under its last line."""
    questions: int
    room: float

    @classmethod
    def of(cls, page) -> "CardFace":
        """From a WeasyPrint page (document.pages[i]), by its boxes, as PageFill.of."""
        from weasyprint.formatting_structure import boxes
        page_box = page._page_box
        bottom, questions = page_box.content_box_y(), set()

        def walk(box):
            nonlocal bottom
            if isinstance(box, boxes.MarginBox):
                return
            if box.element_tag == "h2":
                questions.add(id(box.element))
            if isinstance(box, (boxes.LineBox, boxes.ReplacedBox)) or (box.element_tag == "main::after"):
                bottom = max(bottom, box.position_y + box.margin_height())
                return
            for child in getattr(box, "children", ()):
                walk(child)
        walk(page_box)
        return cls(len(questions), page_box.content_box_y() + page_box.height - bottom)


def impose(card: bytes, sheet: tuple[float, float]) -> bytes:
    """A sheet of `card`s (a PDF of card pages, front then back, each at most a quarter of the
    sheet once cut to its trim box) to print on both sides and cut: the sheet's first page
    carries four fronts, its second four backs, each back at the place that the sheet, turned
    over on its long edge, puts behind its front. Cut marks run along the lines between the
    cards, outside every card's type. `sheet` is in points. pikepdf (qpdf) places each card page
    as one form drawn four times, in milliseconds."""
    import io
    import pikepdf
    width, height = sheet
    across, down = width / CARDS_ACROSS, height / CARDS_DOWN
    with pikepdf.open(io.BytesIO(card)) as cards, pikepdf.new() as out:
        for side, page in enumerate(cards.pages[:POCKET_SIDES]):
            paper = out.add_blank_page(page_size=(width, height))
            form = out.copy_foreign(page.as_form_xobject())
            trim = [float(v) for v in page.obj.get("/TrimBox", page.mediabox)]   # the card without its bleed and marks
            form.BBox = trim
            paper.add_resource(form, pikepdf.Name.XObject, pikepdf.Name.Card)
            x0 = (across - (trim[2] - trim[0])) / 2 - trim[0]                   # centred in its quarter
            y0 = (down - (trim[3] - trim[1])) / 2 - trim[1]
            drawn = []
            for col in range(CARDS_ACROSS):
                place = col if side == 0 else CARDS_ACROSS - 1 - col   # the back is seen mirrored
                drawn += [f"q 1 0 0 1 {x0 + place * across:.3f} {y0 + row * down:.3f} cm /Card Do Q"
                          for row in range(CARDS_DOWN)]
            # the marks over the cards' white
            paper.Contents = out.make_stream("\n".join(drawn).encode("ascii") + b"\n" + cut_marks(width, height))
        with out.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta.load_from_docinfo(cards.docinfo)
        data = io.BytesIO()
        out.save(data, deterministic_id=True)
    return data.getvalue()


def cut_marks(width: float, height: float) -> bytes:
    """PDF drawing operators for a sheet's cut marks, in points: along each line between the
    cards, a solid mark at both ends (kept 4 mm in from the sheet's edge, where a printer can
    print) and a cross where the lines meet, joined by a faint dashed guide for scissors."""
    edge, mark, cross = 4 * MM, 10 * MM, 4 * MM
    cuts = [((width * i / CARDS_ACROSS, 0), (0, 1), height) for i in range(1, CARDS_ACROSS)]   # (start, direction, length)
    cuts += [((0, height * i / CARDS_DOWN), (1, 0), width) for i in range(1, CARDS_DOWN)]

    def segment(start, direction, a, b):
        (x, y), (dx, dy) = start, direction
        return f"{x + dx * a:.2f} {y + dy * a:.2f} m {x + dx * b:.2f} {y + dy * b:.2f} l S"
    ops = ["q 0.6 0.6 0.65 RG 0.4 w [2 2] 0 d"]
    ops += [segment(start, direction, edge, length - edge) for start, direction, length in cuts]
    ops += ["Q q 0.11 0.1 0.18 RG 0.6 w [] 0 d"]
    for start, direction, length in cuts:
        ops += [segment(start, direction, edge, edge + mark), segment(start, direction, length - edge - mark, length - edge)]
    for x in (width * i / CARDS_ACROSS for i in range(1, CARDS_ACROSS)):
        for y in (height * i / CARDS_DOWN for i in range(1, CARDS_DOWN)):
            ops += [segment((x - cross, y), (1, 0), 0, 2 * cross), segment((x, y - cross), (0, 1), 0, 2 * cross)]
    ops.append("Q")
    return "\n".join(ops).encode("ascii")


def set_guide(render):
    """The guide's document in the usual setting (GUIDE_SETTINGS[0]) if its last page is well
    filled and no page after the first is nearly empty; else in the first other setting that
    ends a page sooner (tighter ones first) with no page nearly empty, or that at least fills its
    last page; in the usual setting when none does. `render(css)` lays the guide out with `css`
    added to its frame and returns the document."""
    def setting(size_leading_compact):
        size, leading, compact = size_leading_compact
        document = render(f"body {{ font-size: {size}pt; line-height: {leading}; }}\n" + (COMPACT_CSS if compact else ""))
        fills = [PageFill.of(page) for page in document.pages[1:]]
        return document, any(fill.thin for fill in fills), bool(fills) and fills[-1].short
    usual, thin, short = setting(GUIDE_SETTINGS[0])
    if not (thin or short):
        return usual
    fallback = None
    for other in GUIDE_SETTINGS[1:]:      # the mildest tighter setting first, the looser last
        document, thin, short = setting(other)
        if not thin and len(document.pages) < len(usual.pages):
            return document
        if not (thin or short) and fallback is None:
            fallback = document
    return fallback or usual


@dataclass(frozen=True)
class PageFill:
    """How much of a laid-out page's text area is used, as shares of its height (0 to 1): down to
    where its last line ends (`reach`), and by the guide's own lines alone (`text`), leaving out
    the sources and the closing call to action."""
    reach: float
    text: float

    MIN_REACH = 0.3      # a page after the first reaches at least this far down...
    MIN_TEXT = 0.08      # ...and holds some of the guide's own words (about four lines), not only its sources
    LAST_REACH = 0.5     # a last page that ends above half its height looks left over: a tighter setting may save it
    LAST_TEXT = 0.15     # ...as does one with fewer than about eight lines of the guide's own words

    @property
    def short(self) -> bool:
        return self.reach < self.LAST_REACH or self.text < self.LAST_TEXT

    @property
    def thin(self) -> bool:
        return self.reach < self.MIN_REACH or self.text < self.MIN_TEXT

    @classmethod
    def of(cls, page) -> "PageFill":
        """The fill of a WeasyPrint page (document.pages[i]), from its line and image boxes
        (WeasyPrint's page._page_box: no public API gives the laid-out boxes)."""
        from weasyprint.formatting_structure import boxes
        page_box = page._page_box
        top, height = page_box.content_box_y(), page_box.height or 1
        bottom, text = top, 0.0

        def walk(box, kind):
            nonlocal bottom, text
            if isinstance(box, boxes.MarginBox):
                return
            if box.element_tag == "main::after":
                kind = "next step"
            elif box.element is not None and "footnote" in (box.element.get("class") or "").split():
                kind = "sources"
            if isinstance(box, (boxes.LineBox, boxes.ReplacedBox)):
                bottom = max(bottom, box.position_y + box.margin_height())
                text += box.margin_height() if kind == "text" else 0
                return
            for child in getattr(box, "children", ()):
                walk(child, kind)
        walk(page_box, "text")
        return cls((bottom - top) / height, text / height)


def page_css(site_name: str, address: str, next_step: tuple = (), mark: str = "", footer: str = "") -> str:
    """What the frame of every page says (pdf.css says how it looks): the site's mark and name at
    the top of the first page; at the foot of every page the site's name and `footer`, the page's
    own words for where it is online (its template's data-pdf-footer, in the page's language), else
    its address as a reader types it; and after the last words, where to go next. A pocket card
    has no frame: its two faces carry the mark and name at the head of the front, and the
    next step with its QR code at the foot of the back. Every address is printed short, as a
    reader types it, and the QR code holds it whole."""
    footer = _css_string(site_name + " · " + (footer or short_address(address)))
    css = (f"@page {{ @bottom-left {{ content: {footer}; }} }}\n"
           f"@page :first {{ @top-left {{ content: {_css_string(site_name)};"
           + (f" background-image: url({_css_string(mark)});" if mark else "") + " } }\n"
           f".pocket-card::before {{ content: {_css_string(site_name)};"
           + (f" background-image: url({_css_string(mark)});" if mark else "") + " }\n")
    if next_step:
        label, where = next_step
        css += f"main::after {{ content: {_css_string(label)} \"\\A\" {_css_string(short_address(where))}; " \
               f"background-image: url({_css_string(qr_code(where))}); }}\n"
    return css


def qr_code(address: str) -> str:
    """A QR code of `address` as a data: URL of an SVG image (one unit a module, the standard's
    four-module light margin around it, in the brand's ink on white), for the call to action at the
    end of a guide: a phone held over the paper opens the address. segno (pure Python, maintained)
    encodes it; the same address always gives the same bytes."""
    import base64
    import io
    import segno
    svg = io.BytesIO()
    segno.make(address, error="m", micro=False).save(svg, kind="svg", border=4, dark="#1b1a2e", light="#ffffff",
                                                     xmldecl=False, nl=False, svgclass=None, lineclass=None)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.getvalue()).decode("ascii")


SITE_FACES = (  # the site's web fonts (site.css loads them), as their subsets are published: (file, family, weight)
    ("static/fonts/inter-regular.woff2", "VotePact Site", 400),
    ("static/fonts/inter-bold.woff2", "VotePact Site", 700),
    ("static/fonts/inter-display-extrabold.woff2", "VotePact Site Display", 800),
)
"""The same files as the preview images' SITE_FONT_FILES (votepact/previews.py)."""


def site_faces(files: dict) -> tuple:
    """The SITE_FACES the built site publishes, all or none (a typeface without its bold would
    be made up by the PDF maker)."""
    return SITE_FACES if all(name in files for name, _, _ in SITE_FACES) else ()


def faces_css(faces: tuple, base_url: str) -> str:
    """With the site's own typeface: text in it, headings in its display cut, and the project's
    DejaVu (pdf.css's 'VotePact Sans') for every character it lacks."""
    if not faces:
        return ""
    css = "".join(f"@font-face {{ font-family: {_css_string(family)}; font-weight: {weight}; "
                  f"src: url({_css_string(base_url + name)}); }}\n" for name, family, weight in faces)
    text = '"VotePact Site", "VotePact Sans", sans-serif'
    boxes = " ".join(f"@{box} {{ font-family: {text}; }}" for box in ("top-left", "bottom-left", "bottom-right"))
    return css + (f"html, body, button, input {{ font-family: {text}; }}\n"
                  f'h1, h2, h3, .pocket-items h2 {{ font-family: "VotePact Site Display", {text}; font-weight: 800; }}\n'
                  f"@page {{ {boxes} }}\n@page pocket {{ {boxes} }}\n")


def _css_string(text: str) -> str:
    return '"' + "".join(ch if ch.isprintable() and ch not in '"\\<>&' else f"\\{ord(ch):x} " for ch in text) + '"'


def _page_file(url: str) -> str:
    return url.lstrip("/") + ("index.html" if url.endswith("/") else "")


def _weasyprint_version() -> str:
    return importlib.metadata.version("weasyprint")


@contextlib.contextmanager
def _quiet_weasyprint():
    """WeasyPrint logs every CSS rule it does not support (site.css is written for browsers);
    what matters here, a file it could not read, the fetcher reports itself."""
    logger = logging.getLogger("weasyprint")
    level, propagate = logger.level, logger.propagate
    logger.setLevel(logging.CRITICAL)
    logger.propagate = False
    try:
        yield
    finally:
        logger.setLevel(level)
        logger.propagate = propagate


def site_fetcher(files: dict, base_url: str):
    """A WeasyPrint URL fetcher that serves the built site's files and refuses every other
    address, so making a PDF never touches the network or the disk."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class SiteFetcher(URLFetcher):
        def __init__(self):
            super().__init__(allowed_protocols={"data"})
            self.reset()

        def reset(self):
            """Start new lists of the files read and the addresses refused."""
            self.refused: list[str] = []
            self.used: set[str] = set()

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            rel = site_file(url, base_url)
            if rel is None or rel not in files:
                if url not in self.refused:
                    self.refused.append(url)
                raise ValueError(f"not a file of this site: {url}")
            self.used.add(rel)
            return URLFetcherResponse(url, files[rel], {"Content-Type": _mime(rel)})

    return SiteFetcher()


def site_file(url: str, base_url: str) -> str | None:
    """The output file an address of the site stands for, or None for any other address."""
    if not url.startswith(base_url):
        return None
    path = unquote(urlsplit(url).path)
    rel = path.removeprefix(urlsplit(base_url).path)
    if ".." in rel.split("/"):
        return None
    return rel + "index.html" if rel.endswith("/") or not rel else rel


def _mime(name: str) -> str:
    return {"css": "text/css", "html": "text/html", "ttf": "font/ttf", "woff2": "font/woff2", "png": "image/png",
            "svg": "image/svg+xml", "jpg": "image/jpeg", "jpeg": "image/jpeg", "webp": "image/webp"
            }.get(name.rpartition(".")[2].lower(), "application/octet-stream")
