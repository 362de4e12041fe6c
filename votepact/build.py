"""`build`, as a recipe: read and check everything, render what changed, then write what changed.

Each step takes what the steps before it gave and returns what the next ones need. A full build
writes into a fresh folder that replaces the output only when everything succeeded; an
incremental one (the output is exactly as the last build left it) replaces each changed file
whole. Nothing is written before every page has been rendered without error.
"""
from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

from . import assets as static
from . import fonts, links
from .cache import BuildCache
from .content import Page, content_files, read_page
from .data import SiteData, load_data
from .errors import Location, Report, relpath
from .hashing import digest
from .i18n import Localizer, fallback_pages, neutral_path
from .inputs import input_digest, input_roots, scan, under
from .memory import Manifest, Memory, Written
from .output import Staging, write_atomic
from .pact import pact_data
from .pages import generated_pages
from .site import BuildOptions, BuildResult, Site
from .sitefolder import outside_links
from .sitemap import site_files

__all__ = ["BuildOptions", "BuildResult", "build", "pact_data"]


def build(options: BuildOptions, memory: Memory | None = None, save: bool = True,
          stamps: dict | None = None) -> BuildResult:
    """Read and check everything, render what changed, then write what changed.

    `memory` carries what earlier builds learned (serve keeps one); without it, it is read from
    the cache folder, and written back unless `save` is false (serve saves it when it stops).
    `stamps` is a scan of the inputs just made (serve's watcher has one).
    A failed build raises BuildFailed and leaves the output as it was."""
    started = time.perf_counter()
    site_dir, out = options.site_dir.resolve(), options.out_dir
    memory = memory if memory is not None else Memory.load(options.cache, out)
    stamps = stamps if stamps is not None else scan(input_roots(site_dir))
    inputs = input_digest(stamps, options.base_url, options.drafts, options.strict)
    if memory.up_to_date(out, inputs):
        return told_again(memory.manifest, started)
    # The libraries that render (Jinja, Python-Markdown) load only once something has changed.
    from .rendering import code_version, environment, facts_for, render_site

    report = Report(strict=options.strict)
    report.errors += outside_links(site_dir)  # before anything is read through such a link
    data = read_data(site_dir, options.base_url, memory, stamps, report)
    pages = read_content(site_dir, options.drafts, memory, stamps, report)
    report.raise_if_failed()  # every mistake in data/ and content/ is told at once
    env = environment(data.settings, site_dir, options.cache, memory, stamps)
    assets = read_static(site_dir, data, report, options.cache, stamps, memory, env)
    facts = facts_for(env, assets, memory, report)
    site = plan_site(data, assets, pages, set(facts), report, Localizer(data.settings.languages, site_dir))
    reuse = out if memory.output_intact(out) else None
    files = render_site(site, env, facts, memory, report, reuse, code_version(stamps, site_dir), site_dir, options.cache)
    files.update(site_files(site.settings, site.pages))
    files.update({"static/" + a.output: a.data for a in site.assets.values()})
    drawn, printed = draw_and_print(site, files, options.cache, report)
    check_links(site, files, memory.manifest.links, facts, env, site_dir, report)
    report.raise_if_failed()
    written = write_output(out, files, memory, fresh=reuse is None)
    return remember(memory, inputs, site, report, save,
                    BuildResult(len(site.pages), len(files.paths()), time.perf_counter() - started, [],
                                drawn, printed, files.rendered, written))


def render_edits(options: BuildOptions, memory: Memory, paths, stamps: dict) -> dict[str, bytes] | None:
    """Serve's fast render: output path -> HTML of the pages whose Markdown files (`paths`) changed
    below their front matter only, rendered with what the last good build of this process used.
    Nothing else can be affected: no page shows another's body, and listings, menus, the sitemap
    and preview images read front matter only (an image that shows a page's steps or questions
    is drawn again by the whole build that follows). None when that does not hold (another kind of
    file, a page added or removed, front matter changed, a page other pages are made from, a
    mistake): the whole build alone can tell. The whole build still runs after this one, and
    brings everything else (web fonts, link check, PDFs) up to date."""
    site, content = memory.site, options.site_dir.resolve() / "content"
    if site is None or memory.environment is None:
        return None
    from .rendering import render_page, template_contexts

    edited = []
    for path in paths:
        rel = relpath(Path(path), options.site_dir)
        made = [p for p in site.pages if p.source == rel]
        last = [p for p in made if not p.meta.get("fallback")]  # a fallback shows the title alone
        if path not in stamps or not path.endswith(".md") or len(last) != 1 or last[0].context:
            return None
        report = Report()
        page = read_page(path, content, options.site_dir.resolve(), report)
        if page is None or report.errors or (page.url, page.meta) != (last[0].url, last[0].meta):
            return None
        page.template = last[0].template
        edited.append((path, page, report))
    env, contexts, files = memory.environment[1], template_contexts(site), {}
    from .markup import Renderer, cache_key
    renderer = Renderer()
    for path, page, report in edited:
        body, html, _links = render_page(env, contexts, renderer, page, None, site.settings.base_path)
        if not isinstance(html, bytes):
            return None
        memory.markdown[cache_key(page.source_digest)] = body  # for the whole build that follows
        memory.keep(path, stamps[path], (page, report))
        files[page.output_path] = html
    return files


def told_again(manifest: Manifest, started: float) -> BuildResult:
    """Nothing changed since the last build: what it said, said again."""
    return BuildResult(manifest.pages, len(manifest.files), time.perf_counter() - started,
                       list(manifest.warnings), unchanged=True)


def read_data(site_dir: Path, base_url: str | None, memory: Memory, stamps: dict, report: Report) -> SiteData:
    """data/*.yaml, or what this process read of them before if none has changed since."""
    data_stamps = tuple(under(stamps, [site_dir / "data"]))  # data/*.yaml and each language's data/<lang>/*.yaml
    return read_once(memory, "data:" + str(base_url), data_stamps, report,
                     lambda own: load_data(site_dir, own, base_url))


def read_once(memory: Memory, key: str, stamp, report: Report, read):
    """`read(report)`, or what it gave in an earlier build of this process when `stamp` (what the
    file or files were like then) is the same; its errors and warnings join `report` either way.
    What gave errors is read again next time."""
    found = memory.recall(key, stamp) if stamp else None
    if found is None:
        own = Report(strict=report.strict)
        found = (read(own), own)
        if stamp and not own.errors:
            memory.keep(key, stamp, found)
    value, own = found
    report.errors += own.errors
    report.warnings += own.warnings
    return value


def read_static(site_dir: Path, data: SiteData, report: Report, cache_dir: Path, stamps: dict,
                memory: Memory, env) -> dict:
    """Static files by name, fingerprinted, with the pact card's data (pact_data, its words from
    the templates of `env`) among them and the web fonts cut to the site's characters (fonts.py;
    subsets kept in `cache_dir`)."""
    assets = static.collect(site_dir, report)
    fonts.add_subsets(assets, site_dir, cache_dir, stamps, memory)
    static.add_generated(assets, "js/pact-data.json", pact_data(data, env).encode("utf-8"))
    for lang in data.settings.languages[1:]:
        static.add_generated(assets, f"js/pact-data.{lang.folder}.json",
                             pact_data(data.language(lang.code), env, lang).encode("utf-8"))
    return assets


def read_content(site_dir: Path, drafts: bool, memory: Memory, stamps: dict, report: Report) -> list[Page]:
    """Every page under content/ (drafts only if asked); a file unchanged since this process last
    read it is not read again."""
    pages = []
    for path in content_files(site_dir / "content", stamps):
        page = read_once(memory, str(path), stamps.get(str(path)), report,
                         lambda own: read_page(path, site_dir / "content", site_dir, own))
        if page is not None and (drafts or not page.meta.get("draft", False)):
            pages.append(page)
    return pages


def plan_site(data: SiteData, assets: dict, pages: list[Page], templates: set, report: Report,
              words: Localizer) -> Site:
    """The whole site before anything is rendered: the pages made from data joined to the pages
    read, each with its template; the preview images and PDFs to make; every address unique and
    every menu item pointing at a page. Mistakes stop the build here."""
    from .rendering import default_template
    report.raise_if_failed()  # a template that does not compile
    for lang in data.settings.languages:  # the pages made from data, in every language
        words.use(lang)
        pages = pages + generated_pages(data.language(lang.code).election, data.settings, words)
    # Images and PDFs bring in Pillow and WeasyPrint: loaded only for a site that wants them.
    wants_pdfs = any(p.meta.get("pdf") or p.meta.get("pocket_card") for p in pages)
    if wants_pdfs:
        from . import pdfs
        pages += pdfs.pocket_card_pages(pages, words)
    pages += fallback_pages(pages, data.settings.languages)
    for page in pages:
        # a translation takes the template of its place in the default language's tree (es/guides/x -> guides/page.html)
        neutral = neutral_path(page.url, data.settings.languages)
        page.template = page.template or default_template(page if neutral == page.url else replace(page, url=neutral),
                                                          templates)
    check_unique_urls(pages, report)
    check_nav(data, pages, report)
    site = Site(data, sorted(pages, key=lambda p: p.url), assets)
    if data.settings.previews:
        from . import previews
        site.previews = previews.plan(site.pages, data, words)
        previews.check_fonts(site.pages, site.previews, previews.Fonts.from_assets(assets), report)
    if wants_pdfs:
        site.pdfs = pdfs.plan(site.pages, data.settings, report)
    report.raise_if_failed()
    return site


def check_unique_urls(pages: list[Page], report: Report) -> None:
    first: dict[str, Page] = {}
    for page in pages:  # Mac and Windows disks, and most hosts, take /FAQ/ and /faq/ for one address
        other = first.setdefault(page.url.casefold(), page)
        if other is page:
            continue
        if page.url == other.url:
            message = f"writes the same address {page.url} as {other.source}"
        else:
            message = f"writes {page.url}, an address that differs only in case from {other.url} of {other.source}"
        report.error(Location(page.source, page.line), message, "rename or move one of the two files (or set a different 'slug')")


def check_nav(data: SiteData, pages: list[Page], report: Report) -> None:
    urls = {p.url for p in pages}
    for item in data.settings.nav:
        if item.path not in urls:
            report.error(Location("data/site.yaml", item.line), f"menu item '{item.label}' points to {item.path}, which no page has",
                         "fix the path or add the page under content/")


def draw_and_print(site: Site, files: dict, cache_dir: Path, report: Report) -> tuple[int, int]:
    """Preview images and PDFs (from the finished HTML) into `files`: (how many images were drawn,
    how many PDFs made); the rest came from the cache."""
    if not site.previews or not site.pdfs:
        images, drawn = draw_previews(site, cache_dir)
        pdf_files, printed = print_pdfs(site, files, cache_dir, report)
    else:
        from concurrent.futures import ThreadPoolExecutor
        with ThreadPoolExecutor(max_workers=1) as helper:
            # Pillow draws mostly outside Python's global lock, so images are drawn while PDFs are made.
            drawing = helper.submit(draw_previews, site, cache_dir)
            pdf_files, printed = print_pdfs(site, files, cache_dir, report)
            images, drawn = drawing.result()
    files.update(images)
    files.update(pdf_files)
    return drawn, printed


def draw_previews(site: Site, cache_dir: Path) -> tuple[dict[str, bytes], int]:
    """A preview image for every page, drawn only where the cache has none."""
    if not site.previews:
        return {}, 0
    from . import previews
    fonts = previews.Fonts.from_assets(site.assets)
    return previews.draw_all(site.previews, fonts, BuildCache(cache_dir, "previews"))


def print_pdfs(site: Site, files: dict[str, bytes], cache_dir: Path, report: Report) -> tuple[dict[str, bytes], int]:
    """PDFs from the finished HTML, made only where the cache has none."""
    if not site.pdfs:
        return {}, 0
    from . import pdfs
    stylesheet = "static/" + site.assets[pdfs.STYLESHEET].output
    return pdfs.render_all(site.pdfs, files, site.data.settings, stylesheet, BuildCache(cache_dir, "pdfs"), report)


def check_links(site: Site, files, found: dict, facts: dict, env, site_dir: Path, report: Report) -> None:
    """Every page's links to addresses the site does not have, and ids used twice in a page, each
    reported at the line of the page's file or template that wrote it."""
    def sources(page: Page) -> list:
        texts = []
        if page.source.startswith("content/"):
            texts.append((page.source, (site_dir / page.source).read_text("utf-8")))
        for name in facts.get(page.template, {}).get("closure", []):
            text, filename, _ = env.loader.get_source(env, name)
            texts.append((relpath(Path(filename), site_dir), text))
        return texts

    links.report_problems(site.pages, found, links.site_paths(files.paths()), sources, report)


def write_output(out_dir: Path, files, memory: Memory, fresh: bool) -> int:
    """Write what changed; returns how many files were written. A `fresh` build writes everything
    into a new folder that then replaces the output; otherwise (the output is exactly as the last
    build left it) only the files whose bytes changed are replaced, each whole, and files no
    longer made are removed."""
    old = memory.manifest.files
    new: dict[str, Written] = dict(files.kept)
    changed = {}
    for rel in sorted(dict.keys(files)):
        data = files[rel]
        h = digest(data)
        key = files.key_of.get(rel, h)
        if not fresh and rel in old and old[rel].hash == h:
            new[rel] = Written(key, h, old[rel].size, old[rel].mtime_ns)
        else:
            changed[rel] = (data, key, h)
    if fresh:
        staging = Staging(out_dir)
        try:
            for rel, (data, key, h) in changed.items():
                new[rel] = Written(key, h, *staging.write(rel, data))
            staging.commit()
        except BaseException:
            staging.discard()
            raise
    else:
        for rel, (data, key, h) in changed.items():
            new[rel] = Written(key, h, *write_atomic(out_dir / rel, data))
        for rel in sorted(set(old) - set(new)):  # pages that are gone, and their folders if now empty
            target = out_dir / rel
            target.unlink(missing_ok=True)
            for folder in target.parents:
                if folder == out_dir or any(folder.iterdir()):
                    break
                folder.rmdir()
    memory.manifest.files = new
    memory.manifest.out_dir = memory.wrote = str(out_dir.resolve())
    return len(changed)


def remember(memory: Memory, inputs: str, site: Site, report: Report, save: bool, result: BuildResult) -> BuildResult:
    """What the next build needs to know into the manifest (saved unless `save` is false); the result."""
    memory.manifest.inputs, memory.manifest.pages = inputs, len(site.pages)
    memory.manifest.warnings = result.warnings = [str(w) for w in report.warnings]
    memory.site = site
    if save:
        memory.save()
    return result
