"""`build`: read and check everything, render every page, then replace the output in one step."""
from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import assets as static
from . import pdfs, previews, security, sitemap
from .cache import BuildCache
from .content import Page, content_files, read_page
from .data import SiteData, load_data
from .errors import Location, Report, SiteError, relpath
from .markup import Renderer
from .output import Staging
from .pages import generated_pages, pairing_slug
from .templates import make_environment, render


@dataclass
class BuildOptions:
    site_dir: Path
    out_dir: Path
    base_url: str | None = None
    drafts: bool = False
    strict: bool = False
    cache_dir: Path | None = None
    """Where preview images and PDFs are kept between builds; default .cache/ in the site folder."""


@dataclass
class BuildResult:
    pages: int
    files: int
    seconds: float
    warnings: list = field(default_factory=list)
    drawn: int = 0        # preview images drawn by this build (the rest came from the cache)
    printed: int = 0      # PDFs made by this build (the rest came from the cache)


@dataclass
class Site:
    """Everything a build knows after reading, before writing."""
    data: SiteData
    pages: list
    assets: dict
    previews: dict = field(default_factory=dict)  # page URL -> previews.Preview
    pdfs: dict = field(default_factory=dict)      # page URL -> pdfs.Pdf, for the PDFs this build makes


def build(options: BuildOptions) -> BuildResult:
    started = time.perf_counter()
    report = Report(strict=options.strict)
    site = read_site(options, report)
    files = render_site(site, options.site_dir.resolve(), report)
    report.raise_if_failed()
    cache = options.cache_dir or options.site_dir.resolve() / ".cache"
    with ThreadPoolExecutor(max_workers=1) as helper:
        # Pillow draws mostly outside Python's global lock, so the images are drawn while the PDFs are made.
        drawing = helper.submit(draw_previews, site, cache)
        pdf_files, printed = print_pdfs(site, files, cache, report)
        images, drawn = drawing.result()
    files.update(images)
    files.update(pdf_files)
    report.raise_if_failed()
    write_output(options.out_dir, files)
    return BuildResult(len(site.pages), len(files), time.perf_counter() - started, report.warnings, drawn, printed)


def read_site(options: BuildOptions, report: Report) -> Site:
    """Stage one: read data, content and static files; report every mistake found."""
    site_dir = options.site_dir.resolve()
    data = load_data(site_dir, report, options.base_url)
    pages = read_content(site_dir, report, options.drafts)
    report.raise_if_failed()
    pages += generated_pages(data.election)
    pages += pdfs.pocket_card_pages(pages)
    check_unique_urls(pages, report)
    check_nav(data, pages, site_dir, report)
    assets = static.collect(site_dir)
    static.add_generated(assets, "js/pact-data.json", pact_data(data).encode("utf-8"))
    site = Site(data, sorted(pages, key=lambda p: p.url), assets)
    site.previews = previews.plan(site.pages, data.settings, data.election)
    site.pdfs = pdfs.plan(site.pages, data.settings, report)
    report.raise_if_failed()
    return site


def read_content(site_dir: Path, report: Report, drafts: bool) -> list[Page]:
    content_dir = site_dir / "content"
    pages = []
    for path in content_files(content_dir):
        page = read_page(path, content_dir, site_dir, report)
        if page is not None and (drafts or not page.meta.get("draft", False)):
            pages.append(page)
    return pages


def check_unique_urls(pages: list[Page], report: Report) -> None:
    first: dict[str, Page] = {}
    for page in pages:
        if page.url in first:
            other = first[page.url]
            report.error(Location(page.source, page.line), f"writes the same address {page.url} as {other.source}",
                         "rename or move one of the two files (or set a different 'slug')")
        else:
            first[page.url] = page


def check_nav(data: SiteData, pages: list[Page], site_dir: Path, report: Report) -> None:
    urls = {p.url for p in pages}
    for item in data.settings.nav:
        if item.path not in urls:
            report.error(Location("data/site.yaml"), f"menu item '{item.label}' points to {item.path}, which no page has",
                         "fix the path or add the page under content/")


def pact_data(data: SiteData) -> str:
    """What the pact card needs to know, written at build time from data/."""
    e = data.election

    def person(c):
        return {"id": c.id, "name": c.name, "running_mate": c.running_mate, "party": c.party}

    return json.dumps({
        "version": 1,
        "site": {"title": data.settings.title, "url": data.settings.base_url},
        "election": {"id": e.id, "name": e.name, "short_name": e.short_name, "date": e.date.isoformat(),
                     "office": e.office},
        "majors": [person(c) for c in e.majors],
        "alternatives": [dict(person(c), ballot={code: b.status for code, b in c.ballot.items()})
                         for c in e.alternatives],
        "states": {code: {"name": s.name, "write_ins": s.write_ins} for code, s in e.states.items()},
        "pairings": {f"{a.id} {b.id}": pairing_slug(a, b) for a, b in e.pairings()},
    }, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def render_site(site: Site, site_dir: Path, report: Report) -> dict[str, bytes]:
    """Stage two: Markdown, then templates, into a map of output path -> bytes."""
    settings = site.data.settings
    renderer = Renderer(settings.base_path)
    env = make_environment(site_dir, settings, {a.name: a.output for a in site.assets.values()})
    content_pages = [p for p in site.pages if p.source.startswith("content/")]
    for page in content_pages:
        page.body, page.toc = renderer.render(page.markdown)
    shared = {"election": site.data.election, "pages": site.pages,
              "preview_of": lambda page: site.previews[page.url], "pdf_of": lambda page: site.pdfs.get(page.url),
              "children": lambda url: sorted((p for p in content_pages if p.url != url and p.url.startswith(url)
                                              and p.url.count("/") == url.count("/") + 1),
                                             key=lambda p: (p.order, p.title))}
    known = set(env.list_templates())
    files: dict[str, bytes] = {}
    for page in site.pages:
        page.template = page.template or default_template(page, known)
        context = dict(shared, page=page, **page.context)
        try:
            html = render(env, page.template, context, Location(page.source, page.line))
        except SiteError as err:
            report.add(err)
            continue
        files[page.output_path] = html.encode("utf-8")
    for asset in site.assets.values():
        files["static/" + asset.output] = asset.data
    files["sitemap.xml"] = sitemap.sitemap_xml(settings, site.pages).encode("utf-8")
    files["robots.txt"] = sitemap.robots_txt(settings).encode("utf-8")
    files["_headers"] = security.headers_file(settings.base_path).encode("utf-8")
    return files


def draw_previews(site: Site, cache_dir: Path) -> tuple[dict[str, bytes], int]:
    """Stage three: a preview image for every page, drawn only where the cache has none."""
    fonts = previews.Fonts.from_assets(site.assets)
    return previews.draw_all(site.previews, fonts, BuildCache(cache_dir, "previews"))


def print_pdfs(site: Site, files: dict[str, bytes], cache_dir: Path, report: Report) -> tuple[dict[str, bytes], int]:
    """Stage three, at the same time: PDFs from the finished HTML, made only where the cache has none."""
    if not site.pdfs:
        return {}, 0
    stylesheet = "static/" + site.assets[pdfs.STYLESHEET].output
    return pdfs.render_all(site.pdfs, files, site.data.settings, stylesheet, BuildCache(cache_dir, "pdfs"), report)


def default_template(page: Page, known: set) -> str:
    """A section's index uses section.html, its pages <section>/page.html; else page.html."""
    is_index = page.source.endswith("index.md")
    choices = ([f"{page.section}/section.html", "section.html"] if is_index and page.url != "/"
               else [f"{page.section}/page.html"] if page.section else [])
    return next((name for name in choices if name in known), "page.html")


def write_output(out_dir: Path, files: dict[str, bytes]) -> None:
    """Stage four: everything into a fresh folder, which then replaces the output."""
    staging = Staging(out_dir)
    try:
        for rel in sorted(files):
            staging.write(rel, files[rel])
        staging.commit()
    except BaseException:
        staging.discard()
        raise
