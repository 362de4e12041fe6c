"""`build`: read and check everything, render every page, then replace the output in one step."""
from __future__ import annotations

import json
import multiprocessing
import os
import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import jinja2.meta

from . import assets as static
from . import security, sitemap
from .cache import BuildCache
from .content import Page, content_files, read_page
from .data import SiteData, load_data
from .errors import Location, Report, SiteError
from .markup import Renderer
from .memory import CODE_DIR, Memory, Written, digest, input_digest, input_roots, quick_digest, scan
from .output import Staging, write_file, write_in_place
from .pages import generated_pages, pairing_slug
from .templates import PROJECT_DIR, make_environment, render

PARALLEL_FROM = 64  # pages to render before a second process pays for itself
MARKDOWN_VERSION = "1"  # bump when markup.py changes what it makes


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


def build(options: BuildOptions, memory: Memory | None = None, save: bool = True) -> BuildResult:
    """Read and check everything, render what changed, then write what changed.

    `memory` carries what earlier builds learned (serve keeps one); without it, it is read from
    the cache folder, and written back unless `save` is false (serve saves it when it stops).
    A failed build raises BuildFailed and leaves the output as it was."""
    started = time.perf_counter()
    out = options.out_dir
    memory = memory if memory is not None else Memory.load(options.cache, out)
    stamps = scan(input_roots(options.site_dir.resolve()))
    inputs = input_digest(stamps, options.base_url, options.drafts, options.strict)
    intact = memory.output_intact(out)
    if intact and memory.manifest.inputs == inputs:
        return BuildResult(memory.manifest.pages, len(memory.manifest.files), time.perf_counter() - started,
                           list(memory.manifest.warnings), unchanged=True)
    report = Report(strict=options.strict)
    site = read_site(options, report, memory, stamps)
    # A full build writes pages into a fresh folder as soon as they are rendered; it becomes the
    # output only at the end. An incremental one writes nothing until everything has succeeded.
    staging = None if intact else Staging(out)
    try:
        files = render_site(site, options.site_dir.resolve(), report, memory, out if intact else None, stamps,
                            staging)
        report.raise_if_failed()
        with ThreadPoolExecutor(max_workers=1) as helper:
            # Pillow draws mostly outside Python's global lock, so images are drawn while PDFs are made.
            drawing = helper.submit(draw_previews, site, options.cache)
            pdf_files, printed = print_pdfs(site, files, options.cache, report)
            images, drawn = drawing.result()
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


def read_site(options: BuildOptions, report: Report, memory: Memory | None = None, stamps: dict | None = None) -> Site:
    """Stage one: read data, content and static files; report every mistake found."""
    site_dir = options.site_dir.resolve()
    memory = memory if memory is not None else Memory()
    stamps = stamps if stamps is not None else scan(input_roots(site_dir))
    data = read_data(site_dir, report, options.base_url, memory, stamps)
    pages = read_content(site_dir, report, options.drafts, memory, stamps)
    report.raise_if_failed()
    pages += generated_pages(data.election)
    # Images and PDFs bring in Pillow and WeasyPrint: loaded only for a site that wants them.
    wants_pdfs = any(p.meta.get("pdf") or p.meta.get("pocket_card") for p in pages)
    if wants_pdfs:
        from . import pdfs
        pages += pdfs.pocket_card_pages(pages)
    check_unique_urls(pages, report)
    check_nav(data, pages, site_dir, report)
    assets = static.collect(site_dir)
    static.add_generated(assets, "js/pact-data.json", pact_data(data).encode("utf-8"))
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
                 stamps: dict | None = None) -> list[Page]:
    """Every page under content/; a file unchanged since this process last read it is not read again."""
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
    for path, result in zip(todo, _in_parallel(_read_slice, (content_dir, site_dir, report.strict, todo), len(todo))):
        found[path] = result
        stamp = (stamps or {}).get(path)
        if stamp and not result[1].errors:
            memory.keep(path, stamp, result)
    pages = []
    for path in paths:
        page, own = found[str(path)]
        report.errors += own.errors
        report.warnings += own.warnings
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


class Built(dict):
    """Output path -> bytes for everything this build made. Pages that had not changed are not
    rendered again: they are `kept`, and read back from the output only if something asks."""

    def __init__(self, out: Path | None = None, staging: Staging | None = None):
        super().__init__()
        self.out, self.staging = out, staging
        self.kept: dict[str, Written] = {}      # unchanged since the last build: left as they are
        self.prewritten: dict[str, Written] = {}  # already written into the staging folder
        self.key_of: dict[str, str] = {}
        self.rendered = 0

    def __missing__(self, rel):
        if rel in self.kept:
            return (self.out / rel).read_bytes()
        if rel in self.prewritten:
            return (self.staging.dir / rel).read_bytes()
        raise KeyError(rel)

    def __contains__(self, rel):
        return dict.__contains__(self, rel) or rel in self.kept or rel in self.prewritten


def render_site(site: Site, site_dir: Path, report: Report, memory: Memory | None = None,
                reuse: Path | None = None, stamps: dict | None = None, staging: Staging | None = None) -> Built:
    """Stage two: each page's Markdown, then its template, into a map of output path -> bytes
    (or, for a full build, straight into the staging folder).

    With `reuse` (an output folder that is exactly as the last build left it), pages whose
    inputs have not changed are kept as they are there instead of being rendered again.
    Templates see every page's front matter, never another page's rendered body."""
    memory = memory if memory is not None else Memory()
    settings = site.data.settings
    env, facts = environment(site, site_dir, memory, stamps)
    content_pages = [p for p in site.pages if p.source.startswith("content/")]
    shared = {"election": site.data.election, "pages": site.pages,
              "preview_of": lambda page: site.previews.get(page.url), "pdf_of": lambda page: site.pdfs.get(page.url),
              "children": lambda url: sorted((p for p in content_pages if p.url != url and p.url.startswith(url)
                                              and p.url.count("/") == url.count("/") + 1),
                                             key=lambda p: (p.order, p.title))}
    known = set(env.list_templates())
    files = Built(reuse, staging)
    keys = page_keys(site, facts, known, content_pages)
    todo = []
    for page in site.pages:
        written = memory.manifest.files.get(page.output_path) if reuse else None
        if written is not None and written.key == keys[page.url]:
            files.kept[page.output_path] = written
        else:
            todo.append(page)
    for page, result in render_pages(env, shared, todo, settings.base_path, memory, staging, keys):
        if isinstance(result, SiteError):
            report.add(result)
        elif isinstance(result, Written):
            files.prewritten[page.output_path] = result
        else:
            files[page.output_path] = result
            files.key_of[page.output_path] = keys[page.url]
    files.rendered = len(todo)
    for asset in site.assets.values():
        files["static/" + asset.output] = asset.data
    files["sitemap.xml"] = memory.remember_output(("sitemap", settings.base_url, tuple(p.url for p in site.pages)),
                                                  lambda: sitemap.sitemap_xml(settings, site.pages).encode("utf-8"))
    files["robots.txt"] = sitemap.robots_txt(settings).encode("utf-8")
    files["_headers"] = security.headers_file(settings.base_path).encode("utf-8")
    return files


def environment(site: Site, site_dir: Path, memory: Memory, stamps: dict | None = None):
    """The Jinja environment and what each template uses; reused while templates and settings stay."""
    settings = site.data.settings
    asset_names = {a.name: a.output for a in site.assets.values()}
    folders = tuple(str(d) + os.sep for d in (site_dir / "templates", PROJECT_DIR / "templates"))
    stamps = stamps if stamps is not None else scan([Path(f) for f in folders])
    template_stamps = sorted((p, s) for p, s in stamps.items() if p.startswith(folders))
    key = digest(template_stamps, repr(settings), sorted(asset_names.items()))
    if memory.environment is None or memory.environment[0] != key:
        env = make_environment(site_dir, settings, asset_names)
        memory.environment = (key, env, template_facts(env, asset_names))
    return memory.environment[1], memory.environment[2]


ASSET_CALL = re.compile(r"""asset\(\s*['"]([^'"]+)['"]""")


def template_facts(env, asset_names: dict) -> dict:
    """For each template: a digest of its source and of every template it extends, includes or
    imports (with the names of the static files they ask for), and which site-wide values it reads.
    A page must be rendered again when one of these changes, and only then."""
    sources, refs, names = {}, {}, {}
    for name in env.list_templates():
        if not name.endswith(".html"):
            continue
        source = env.loader.get_source(env, name)[0]
        ast = env.parse(source)
        sources[name] = source
        refs[name] = {r for r in jinja2.meta.find_referenced_templates(ast) if r}
        names[name] = jinja2.meta.find_undeclared_variables(ast)
    facts = {}
    for name in sources:
        closure, stack = set(), [name]
        while stack:
            current = stack.pop()
            if current in closure or current not in sources:
                continue
            closure.add(current)
            stack.extend(refs[current])
        used = set().union(*(names[n] for n in closure))
        assets = sorted({a for n in closure for a in ASSET_CALL.findall(sources[n])})
        facts[name] = {
            "digest": digest(*(f"{n}\0{sources[n]}" for n in sorted(closure)),
                             *(f"{a}={asset_names.get(a)}" for a in assets)),
            "election": "election" in used, "index": bool(used & {"pages", "children"}),
        }
    return facts


def page_keys(site: Site, facts: dict, known: set, content_pages: list) -> dict:
    """page URL -> a digest of everything its output depends on."""
    settings = site.data.settings
    site_key = digest(repr(settings), sorted(site.pdfs), sorted(site.previews), CODE_DIR)
    data_key = digest(repr(site.data.election))
    index_key = quick_digest(*(p.index_entry for p in content_pages))
    keys = {}
    for page in site.pages:
        page.template = page.template or default_template(page, known)
        fact = facts.get(page.template, {"digest": page.template, "election": True, "index": True})
        generated = not page.source.startswith("content/")
        own = page.source_digest if not generated else digest(page.url, page.title, page.description)
        keys[page.url] = quick_digest(site_key, fact["digest"], own, data_key if fact["election"] or generated else "",
                                      index_key if fact["index"] else "")
    return keys


def render_pages(env, shared: dict, pages: list[Page], base_path: str, memory: Memory,
                 staging: Staging | None, keys: dict):
    """(page, result) for each page: its HTML bytes, or the Written record of the file a worker
    already put into the staging folder, or the SiteError that stopped it. Markdown bodies
    rendered before come from memory; there are two processes when there are many pages."""
    wanted = [(MARKDOWN_VERSION, base_path, p.source_digest) if p.source.startswith("content/") else None
              for p in pages]
    known = [memory.markdown.get(k) if k else None for k in wanted]
    for name in sorted({p.template for p in pages}):
        try:
            env.get_template(name)  # compiled once here, not once in each worker
        except jinja2.TemplateError:
            pass  # the page that uses it reports the mistake, with its file and line
    job = (env, shared, pages, base_path, known, staging.dir if staging else None, keys)
    for page, key, (body, toc, result) in zip(pages, wanted, _in_parallel(_render_slice, job, len(pages))):
        if key is not None:
            memory.used_markdown.add(key)
            memory.markdown[key] = (body, toc)
            page.body, page.toc = body, toc
        yield page, result


# Work done in both processes: the parent sets _JOB, forks, and each child takes every other item.
_JOB = None


def _in_parallel(work, job, count: int) -> list:
    global _JOB
    _JOB = job
    try:
        if count < PARALLEL_FROM or (os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods():
            return work(range(count))
        with multiprocessing.get_context("fork").Pool(2) as pool:
            halves = pool.map(work, [range(0, count, 2), range(1, count, 2)])
    finally:
        _JOB = None
    merged = [None] * count
    merged[0::2], merged[1::2] = halves
    return merged


def _read_slice(indices) -> list:
    """Read the content files at `indices`: (page or None, the Report of that file) each."""
    content_dir, site_dir, strict, paths = _JOB
    results = []
    for i in indices:
        own = Report(strict=strict)
        results.append((read_page(Path(paths[i]), content_dir, site_dir, own), own))
    return results


def _render_slice(indices) -> list:
    """Render the pages at `indices`: (body, toc, html bytes | Written | error values) each."""
    env, shared, pages, base_path, known, staging_dir, keys = _JOB
    renderer = None
    results = []
    for i in indices:
        page = pages[i]
        if page.source.startswith("content/"):
            if known[i] is None:
                renderer = renderer or Renderer(base_path)
                page.body, page.toc = renderer.render(page.markdown)
            else:
                page.body, page.toc = known[i]
        try:
            html = render(env, page.template, dict(shared, page=page, **page.context),
                          Location(page.source, page.line)).encode("utf-8")
        except SiteError as err:
            results.append((page.body, page.toc, err))
            continue
        if staging_dir is not None:
            size, mtime = write_file(staging_dir, page.output_path, html)
            html = Written(keys[page.url], digest(html), size, mtime)
        results.append((page.body, page.toc, html))
    return results


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


def default_template(page: Page, known: set) -> str:
    """A section's index uses section.html, its pages <section>/page.html; else page.html."""
    is_index = page.source.endswith("index.md")
    choices = ([f"{page.section}/section.html", "section.html"] if is_index and page.url != "/"
               else [f"{page.section}/page.html"] if page.section else [])
    return next((name for name in choices if name in known), "page.html")


def write_output(out_dir: Path, files: Built, memory: Memory, staging: Staging | None) -> int:
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
        for rel in sorted(set(old) - set(new)):
            (out_dir / rel).unlink(missing_ok=True)
    else:
        for rel, (data, key, h) in changed.items():
            size, mtime = staging.write(rel, data)
            new[rel] = Written(key, h, size, mtime)
        staging.commit()
    memory.manifest.files = new
    memory.manifest.out_dir = memory.wrote = str(out_dir.resolve())
    return len(changed) + len(files.prewritten)
