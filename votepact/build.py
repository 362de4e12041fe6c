"""`build`, as a recipe: read and check everything, render what changed, then write what changed.

A full build writes into a fresh folder that replaces the output only when everything succeeded;
an incremental one (the output is exactly as the last build left it) writes nothing until every
page has been rendered, then replaces each changed file whole.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import assets as static
from .cache import BuildCache
from .content import Page, content_files, read_page
from .data import SiteData, load_data
from .errors import Location, Report
from .markup import Renderer, cache_key
from .memory import Memory, Written, digest, input_digest, input_roots, scan
from .output import Staging, write_in_place
from .pact import pact_data
from .pages import generated_pages
from .parallel import PARALLEL_FROM, alongside, can_fork, in_parallel, job, partner_done


@dataclass
class BuildOptions:
    site_dir: Path
    out_dir: Path
    base_url: str | None = None
    drafts: bool = False
    strict: bool = False
    cache_dir: Path | None = None
    """Where preview images, PDFs and what earlier builds learned are kept; default .cache/ in the site folder."""

    @property
    def cache(self) -> Path:
        return self.cache_dir or self.site_dir.resolve() / ".cache"


@dataclass
class BuildResult:
    pages: int
    files: int
    seconds: float
    warnings: list = field(default_factory=list)
    drawn: int = 0        # preview images drawn by this build (the rest came from the cache)
    printed: int = 0      # PDFs made by this build (the rest came from the cache)
    rendered: int = 0     # pages rendered (the rest had not changed)
    written: int = 0      # files written (the rest already held these bytes)
    unchanged: bool = False  # nothing had changed since the last build: nothing was done


@dataclass
class Site:
    """Everything a build knows after reading, before writing."""
    data: SiteData
    pages: list
    assets: dict
    previews: dict = field(default_factory=dict)  # page URL -> previews.Preview
    pdfs: dict = field(default_factory=dict)      # page URL -> pdfs.Pdf, for the PDFs this build makes


def build(options: BuildOptions, memory: Memory | None = None, save: bool = True,
          stamps: dict | None = None) -> BuildResult:
    """Read and check everything, render what changed, then write what changed.

    `memory` carries what earlier builds learned (serve keeps one); without it, it is read from
    the cache folder, and written back unless `save` is false (serve saves it when it stops).
    `stamps` is a scan of the inputs just made (serve's watcher has one).
    A failed build raises BuildFailed and leaves the output as it was."""
    started = time.perf_counter()
    out = options.out_dir
    memory = memory if memory is not None else Memory.load(options.cache, out)
    stamps = stamps if stamps is not None else scan(input_roots(options.site_dir.resolve()))
    inputs = input_digest(stamps, options.base_url, options.drafts, options.strict)
    intact = memory.output_intact(out)
    if intact and memory.manifest.inputs == inputs:
        return BuildResult(memory.manifest.pages, len(memory.manifest.files), time.perf_counter() - started,
                           list(memory.manifest.warnings), unchanged=True)
    report = Report(strict=options.strict)

    def prepare_templates(data: SiteData, assets: dict) -> None:
        from .rendering import environment  # Jinja loads here, while the other process reads
        environment(data.settings, assets, options.site_dir.resolve(), memory, report, stamps, compile_all=True)

    site = read_site(options, report, memory, stamps, meanwhile=prepare_templates)
    # A full build writes pages into a fresh folder as soon as they are rendered; it becomes the
    # output only at the end. An incremental one writes nothing until everything has succeeded.
    staging = None if intact else Staging(out)
    from .rendering import render_site
    try:
        files = render_site(site, options.site_dir.resolve(), report, memory, out if intact else None, stamps,
                            staging)
        report.raise_if_failed()
        images, drawn, pdf_files, printed = draw_and_print(site, files, options.cache, report)
        files.update(images)
        files.update(pdf_files)
        report.raise_if_failed()
        written = write_output(out, files, memory, staging)
    except BaseException:
        if staging is not None:
            staging.discard()
        raise
    memory.manifest.inputs, memory.manifest.pages = inputs, len(site.pages)
    memory.manifest.warnings = [str(w) for w in report.warnings]
    if save:
        memory.save()
    return BuildResult(len(site.pages), len(memory.manifest.files), time.perf_counter() - started,
                       memory.manifest.warnings, drawn, printed, files.rendered, written)


def read_site(options: BuildOptions, report: Report, memory: Memory | None = None, stamps: dict | None = None,
              meanwhile=None) -> Site:
    """Stage one: read data, static files and content; report every mistake found.
    `meanwhile(data, assets)` runs while a second process reads the content, if there is much."""
    site_dir = options.site_dir.resolve()
    memory = memory if memory is not None else Memory()
    stamps = stamps if stamps is not None else scan(input_roots(site_dir))
    data = read_data(site_dir, report, options.base_url, memory, stamps)
    assets = static.collect(site_dir)
    data_ok = data is not None and not report.errors
    if data_ok:
        static.add_generated(assets, "js/pact-data.json", pact_data(data).encode("utf-8"))
    pages = read_content(site_dir, report, options.drafts, memory, stamps,
                         (lambda: meanwhile(data, assets)) if meanwhile and data_ok else None,
                         data.settings.base_path if data_ok else None)
    report.raise_if_failed()
    pages += generated_pages(data.election)
    # Images and PDFs bring in Pillow and WeasyPrint: loaded only for a site that wants them.
    wants_pdfs = any(p.meta.get("pdf") or p.meta.get("pocket_card") for p in pages)
    if wants_pdfs:
        from . import pdfs
        pages += pdfs.pocket_card_pages(pages)
    check_unique_urls(pages, report)
    check_nav(data, pages, site_dir, report)
    site = Site(data, sorted(pages, key=lambda p: p.url), assets)
    if data.settings.previews:
        from . import previews
        site.previews = previews.plan(site.pages, data.settings, data.election)
        previews.check_fonts(site.pages, site.previews, previews.Fonts.from_assets(assets), report)
    if wants_pdfs:
        site.pdfs = pdfs.plan(site.pages, data.settings, report)
    report.raise_if_failed()
    return site


def read_data(site_dir: Path, report: Report, base_url, memory: Memory, stamps: dict) -> SiteData | None:
    """data/*.yaml, or what this process read of them before if none has changed since."""
    folder = str(site_dir / "data") + os.sep
    data_stamps = tuple(sorted((p, s) for p, s in stamps.items() if p.startswith(folder) and os.sep not in p[len(folder):]))
    found = memory.recall("data:" + str(base_url), data_stamps)
    if found is None:
        own = Report(strict=report.strict)
        found = (load_data(site_dir, own, base_url), own)
        if not own.errors:
            memory.keep("data:" + str(base_url), data_stamps, found)
    data, own = found
    report.errors += own.errors
    report.warnings += own.warnings
    return data


def read_content(site_dir: Path, report: Report, drafts: bool, memory: Memory | None = None,
                 stamps: dict | None = None, meanwhile=None, base_path: str | None = None) -> list[Page]:
    """Every page under content/; a file unchanged since this process last read it is not read again.
    With many files to read, a second process reads them all, and renders their Markdown for
    `base_path`, while this one does `meanwhile()`; otherwise the two processes share the reading."""
    content_dir = site_dir / "content"
    memory = memory if memory is not None else Memory()
    paths = content_files(content_dir, stamps)
    found = {}
    for path in paths:
        stamp = (stamps or {}).get(str(path))
        hit = memory.recall(str(path), stamp) if stamp else None
        if hit is not None:
            found[str(path)] = hit
    todo = [str(p) for p in paths if str(p) not in found]
    job_value = (content_dir, site_dir, report.strict, todo)
    if meanwhile is not None and base_path is not None and len(todo) >= PARALLEL_FROM and can_fork():
        (results, bodies), _ = alongside(lambda: _read_and_render(todo, *job_value[:3], base_path), meanwhile)
        for (page, _own), body in zip(results, bodies):
            if page is not None:
                memory.markdown[cache_key(base_path, page.source_digest)] = body
    else:
        results = in_parallel(_read_slice, job_value, len(todo))
    for path, result in zip(todo, results):
        found[path] = result
        stamp = (stamps or {}).get(path)
        if stamp and not (result[1] and result[1].errors):
            memory.keep(path, stamp, result)
    pages = []
    for path in paths:
        page, own = found[str(path)]
        if own is not None:
            report.errors += own.errors
            report.warnings += own.warnings
        if page is not None and (drafts or not page.meta.get("draft", False)):
            pages.append(page)
    return pages


def _read_slice(indices) -> list:
    return _read_files(indices, *job())


def _read_files(indices, content_dir: Path, site_dir: Path, strict: bool, paths: list) -> list:
    """Read the content files at `indices`: (page or None, the Report of that file, or None if it
    found nothing to say) each. Each page's digests are worked out in the process that reads it."""
    results = []
    for i in indices:
        own = Report(strict=strict)
        page = read_page(paths[i], content_dir, site_dir, own)
        if page is not None:
            page.source_digest, page.index_entry  # noqa: B018 - cached on the page
        results.append((page, own if own.errors or own.warnings else None))
    return results


def _read_and_render(paths: list, content_dir: Path, site_dir: Path, strict: bool, base_path: str):
    """Yields what reading every file at `paths` gave (sent at once, while the other process is
    busy), then the (html, toc) of the first pages' Markdown, rendered in order until the other
    process is free (it renders the rest with the templates)."""
    results = _read_files(range(len(paths)), content_dir, site_dir, strict, paths)
    yield results
    renderer, bodies = Renderer(base_path), []
    for page, _own in results:
        if partner_done():
            break
        bodies.append(renderer.render(page.markdown) if page is not None else None)
    yield bodies


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


def draw_and_print(site: Site, files: dict, cache_dir: Path, report: Report) -> tuple:
    """Stage three: preview images and PDFs, (images, how many drawn, PDFs, how many made)."""
    if not site.previews or not site.pdfs:
        images, drawn = draw_previews(site, cache_dir)
        pdf_files, printed = print_pdfs(site, files, cache_dir, report)
        return images, drawn, pdf_files, printed
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(max_workers=1) as helper:
        # Pillow draws mostly outside Python's global lock, so images are drawn while PDFs are made.
        drawing = helper.submit(draw_previews, site, cache_dir)
        pdf_files, printed = print_pdfs(site, files, cache_dir, report)
        images, drawn = drawing.result()
    return images, drawn, pdf_files, printed


def draw_previews(site: Site, cache_dir: Path) -> tuple[dict[str, bytes], int]:
    """Stage three: a preview image for every page, drawn only where the cache has none."""
    if not site.previews:
        return {}, 0
    from . import previews
    fonts = previews.Fonts.from_assets(site.assets)
    return previews.draw_all(site.previews, fonts, BuildCache(cache_dir, "previews"))


def print_pdfs(site: Site, files: dict[str, bytes], cache_dir: Path, report: Report) -> tuple[dict[str, bytes], int]:
    """Stage three, at the same time: PDFs from the finished HTML, made only where the cache has none."""
    if not site.pdfs:
        return {}, 0
    from . import pdfs
    stylesheet = "static/" + site.assets[pdfs.STYLESHEET].output
    return pdfs.render_all(site.pdfs, files, site.data.settings, stylesheet, BuildCache(cache_dir, "pdfs"), report)


def write_output(out_dir: Path, files: dict, memory: Memory, staging: Staging | None) -> int:
    """Stage four: with a staging folder, everything not written yet goes into it and it then
    replaces the output; without one (the output is exactly as the last build left it), only
    the files whose bytes changed are replaced, each whole. Either way nothing reaches the output
    before every page has been rendered without error."""
    old = memory.manifest.files
    new: dict[str, Written] = dict(files.kept)
    new.update(files.prewritten)
    changed = {}
    for rel in sorted(dict.keys(files)):
        data = files[rel]
        h = digest(data)
        key = files.key_of.get(rel, h)
        if staging is None and rel in old and old[rel].hash == h:
            new[rel] = Written(key, h, old[rel].size, old[rel].mtime_ns)
        else:
            changed[rel] = (data, key, h)
    if staging is None:
        for rel, (data, key, h) in changed.items():
            size, mtime = write_in_place(out_dir, rel, data)
            new[rel] = Written(key, h, size, mtime)
        for rel in sorted(set(old) - set(new)):  # pages that are gone, and their folders if now empty
            target = out_dir / rel
            target.unlink(missing_ok=True)
            for folder in target.parents:
                if folder == out_dir or any(folder.iterdir()):
                    break
                folder.rmdir()
    else:
        for rel, (data, key, h) in changed.items():
            size, mtime = staging.write(rel, data)
            new[rel] = Written(key, h, size, mtime)
        staging.commit()
    memory.manifest.files = new
    memory.manifest.out_dir = memory.wrote = str(out_dir.resolve())
    return len(changed) + len(files.prewritten)
