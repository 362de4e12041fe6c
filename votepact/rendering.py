"""Stage two of a build: every page to HTML (its Markdown, then its template, then its addresses
placed under the base path), rendering again only the pages whose inputs changed since the last
build into the same output.

A page's key is a hash of its own file, the templates it uses (with everything they extend,
include or import, and the static files they name), and the site-wide values those templates
read (the election's data, the list of pages). A big site's pages are rendered by a pool of
processes, one per core.
"""
from __future__ import annotations

import multiprocessing
import os
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import jinja2
import jinja2.meta
import jinja2.nodes

from . import links
from .content import Page
from .errors import Location, Report, SiteError
from .hashing import digest, quick_digest
from .i18n import alternates, language_links, language_of, localized_path
from .inputs import CODE_DIR, PROJECT_DIR, under
from .markup import BACKLINK_TITLE, Renderer, cache_key
from .memory import Memory, Written
from .site import Site
from .templates import make_environment, render, syntax_error

# Pages to render before a pool of processes pays. Measured on 2 cores with bench/gen.py's
# realistic pages: a page costs 3.5 to 4.5 ms of processor time; a pool adds about 0.3 s (the fork
# server loading the renderer, each worker's templates) and 0.3 ms a page (the page sent there, its
# HTML sent back), and halves the rest on an idle second core: it breaks even near 170 pages.
# 300 leaves room for a second core that is busy with something else.
POOL_FROM = 300
ASSET_CALL = re.compile(r"""asset\(\s*['"]([^'"]+)['"]""")
SITE_WIDE = {"election", "pages", "children", "has_page"}


class Built(dict):
    """Output path -> bytes for everything this build made. Pages that had not changed are not
    rendered again: they are `kept`, and read back from the output only if something asks."""

    def __init__(self, out: Path | None = None):
        super().__init__()
        self.out = out
        self.kept: dict[str, Written] = {}  # unchanged since the last build: left as they are
        self.key_of: dict[str, str] = {}
        self.rendered = 0

    def __missing__(self, rel):
        if rel in self.kept:
            return (self.out / rel).read_bytes()
        raise KeyError(rel)

    def __contains__(self, rel):
        return dict.__contains__(self, rel) or rel in self.kept

    def paths(self) -> set:
        return set(dict.keys(self)) | set(self.kept)


def environment(settings, site_dir: Path, cache_dir: Path, memory: Memory, stamps: dict) -> jinja2.Environment:
    """The Jinja environment of the site's templates, message catalogs and settings, reused while
    those stay the same; compiled templates are kept in the cache folder between builds. The
    static files' names come later (facts_for), once the static files are known."""
    key = digest(under(stamps, (site_dir / "templates", PROJECT_DIR / "templates", site_dir / "locale",
                                CODE_DIR / "locale")), repr(settings))
    if memory.environment is None or memory.environment[0] != key:
        memory.environment = (key, jinja_environment(site_dir, settings, {}, cache_dir), None)
    return memory.environment[1]


def facts_for(env, assets: dict, memory: Memory, report: Report) -> dict:
    """Gives `env` the static files' fingerprinted names, and returns what each template uses
    (template_facts), reused while the environment and those names stay the same. A template
    with a syntax error is reported even if no page uses it."""
    env.asset_names = {a.name: a.output for a in assets.values()}
    key, _, known = memory.environment
    if known is None or known[0] != env.asset_names:
        facts, errors = template_facts(env, env.asset_names)
        for error in errors:
            report.add(error)
        if errors:
            return facts
        memory.environment = (key, env, (env.asset_names, facts))
    return memory.environment[2][1]


def jinja_environment(site_dir: Path, settings, asset_names: dict, cache_dir: Path) -> jinja2.Environment:
    env = make_environment(site_dir, settings, asset_names)
    (cache_dir / "templates").mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(cache_dir / "templates"))
    return env


def template_facts(env, asset_names: dict) -> tuple[dict, list]:
    """For each template: a digest of its source and of every template it extends, includes or
    imports (with the names of the static files they ask for), which site-wide values it reads,
    and the templates it is made of. A page must be rendered again when one of these changes,
    and only then. Also the syntax errors found, as SiteErrors."""
    sources, refs, names, errors = {}, {}, {}, []
    for name in env.list_templates(extensions=["html"]):
        try:
            source, filename, _ = env.loader.get_source(env, name)
            tree = env.parse(source, name, filename)
        except jinja2.TemplateSyntaxError as exc:
            errors.append(syntax_error(env, exc))
            continue
        sources[name] = source
        refs[name] = {r for r in jinja2.meta.find_referenced_templates(tree) if r}
        # Every name the template reads (a name it also sets counts too: at worst a page is rendered again).
        names[name] = {n.name for n in tree.find_all(jinja2.nodes.Name) if n.ctx == "load"} & SITE_WIDE
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
            "election": "election" in used, "index": bool(used & {"pages", "children", "has_page"}),
            "closure": sorted(closure),
        }
    return facts, errors


def default_template(page: Page, known: set) -> str:
    """A section's index uses section.html, its pages <section>/page.html; else page.html."""
    is_index = page.is_section_index
    choices = ([f"{page.section}/section.html", "section.html"] if is_index and page.url != "/"
               else [f"{page.section}/page.html"] if page.section else [])
    return next((name for name in choices if name in known), "page.html")


def code_version(stamps: dict, site_dir: Path | None = None) -> str:
    """A digest of the generator's own files and the site's message catalogs: a new version
    renders every page again."""
    return digest(under(stamps, [CODE_DIR] + ([site_dir / "locale"] if site_dir else [])))


def page_keys(site: Site, facts: dict, code: str = "") -> dict:
    """page URL -> a digest of everything its output depends on."""
    settings = site.settings
    content_pages = [p for p in site.pages if p.source.startswith("content/")]
    site_key = digest(repr(settings), repr(site.data.election.day), sorted(site.pdfs), sorted(site.previews), code)
    data_key = digest(repr(site.data.election))
    index_key = quick_digest(*(p.index_entry for p in content_pages))
    keys = {}
    for page in site.pages:
        fact = facts.get(page.template, {"digest": page.template, "election": True, "index": True})
        generated = not page.source.startswith("content/")
        own = page.source_digest if not generated else digest(page.url, page.title, page.description)
        keys[page.url] = quick_digest(site_key, fact["digest"], own, data_key if fact["election"] or generated else "",
                                      index_key if fact["index"] else "")
    return keys


def template_contexts(site: Site) -> dict:
    """template_context for each of the site's languages, by language code."""
    return {lang.code: template_context(site, lang) for lang in site.settings.languages}


def template_context(site: Site, lang=None) -> dict:
    """What every template sees besides its page: the election and the site's settings in the
    page's language (`lang`, default the site's default), every page's front matter (never another
    page's rendered body), questions about the site, and the page in the site's other languages."""
    languages = site.settings.languages
    lang = lang or languages[0]
    data = site.data.language(lang.code)
    translated = {p.url for p in site.pages if not p.meta.get("fallback")}
    content_pages = [p for p in site.pages if p.source.startswith("content/")]
    urls = {p.url for p in site.pages}
    return {"election": data.election, "election_day": data.election.day, "site": data.settings,
            "alternates_of": lambda page: alternates(page.url, languages, translated),
            "language_links": lambda page: language_links(page.url, languages),
            "pages": site.pages,
            "preview_of": lambda page: site.previews.get(page.url), "pdf_of": lambda page: site.pdfs.get(page.url),
            "has_page": lambda url: localized_path(url, lang) in urls,
            "children": lambda url: sorted((p for p in content_pages if p.url != url and p.url.startswith(url)
                                            and p.url.count("/") == url.count("/") + 1),
                                           key=lambda p: (p.order, p.title))}


def render_site(site: Site, env, facts: dict, memory: Memory, report: Report, reuse: Path | None,
                code: str, site_dir: Path, cache_dir: Path) -> Built:
    """Every page into a map of output path -> bytes. With `reuse` (an output folder that is
    exactly as the last build left it), pages whose inputs have not changed are kept as they are
    there. What each page links to, and its twin ids, go into the memory's manifest."""
    files = Built(reuse)
    keys = page_keys(site, facts, code)
    todo = []
    for page in site.pages:
        written = memory.manifest.files.get(page.output_path) if reuse else None
        if written is not None and written.key == keys[page.url] and page.url in memory.manifest.links:
            files.kept[page.output_path] = written
        else:
            todo.append(page)
    known = [memory.markdown.get(cache_key(p.source_digest)) if p.source.startswith("content/") else None
             for p in todo]
    if len(todo) >= POOL_FROM and (os.cpu_count() or 1) > 1:
        results = _render_in_pool(site, todo, known, site_dir, cache_dir)
    else:
        results = _render_here(site, env, todo, known)
    kept_links = {p.url: memory.manifest.links[p.url] for p in site.pages if p.output_path in files.kept}
    memory.manifest.links = kept_links
    for page, before, (body, html, found) in zip(todo, known, results):
        if page.source.startswith("content/"):
            key = cache_key(page.source_digest)
            page.body, page.toc = memory.markdown[key] = body or before
            memory.used_markdown.add(key)
        if isinstance(html, SiteError):
            report.add(html)
            continue
        files[page.output_path] = html
        files.key_of[page.output_path] = keys[page.url]
        memory.manifest.links[page.url] = found
    memory.used_markdown.update(cache_key(p.source_digest) for p in site.pages
                                if p.output_path in files.kept and p.source.startswith("content/"))
    files.rendered = len(todo)
    return files


def render_page(env, contexts: dict, renderer: Renderer, page: Page, known, base_path: str) -> tuple:
    """(the Markdown's (html, toc) if rendered here, else None; the page's HTML bytes or the
    SiteError that stopped it; (the site paths it links to, its twin ids)). `contexts` are
    template_contexts: the page gets its language's, and the templates speak its language."""
    lang = language_of(page.url, env.words.languages)
    env.words.use(lang)
    context = contexts[lang.code]
    body = None
    if page.source.startswith("content/"):
        body = renderer.render(page.markdown, env.words.gettext(BACKLINK_TITLE)) if known is None else None
        page.body, page.toc = body or known
    try:
        html = render(env, page.template, dict(context, page=page, **page.context), Location(page.source, page.line))
    except SiteError as err:
        return body, err, ((), ())
    html, targets, twins = links.place(html, base_path)
    return body, html.encode("utf-8"), (targets, twins)


def _render_here(site: Site, env, pages: list, known: list) -> list:
    context, renderer, base_path = template_contexts(site), Renderer(), site.settings.base_path
    return [render_page(env, context, renderer, page, k, base_path) for page, k in zip(pages, known)]


# -- the pool ------------------------------------------------------------------------------
# Each worker makes its own Jinja environment (loading the compiled templates from the cache
# folder) and receives the site once, when it starts; then lists of pages to render.
_WORKER: tuple | None = None


def _render_in_pool(site: Site, pages: list, known: list, site_dir: Path, cache_dir: Path) -> list:
    workers = min(os.cpu_count() or 1, 4)
    slim = Site(site.data, site.pages, {}, site.previews, site.pdfs)  # static files' bytes stay here
    asset_names = {a.name: a.output for a in site.assets.values()}
    index = {p.url: i for i, p in enumerate(site.pages)}
    size = max(16, len(pages) // (workers * 4))
    chunks = [[(index[p.url], k) for p, k in zip(pages[i:i + size], known[i:i + size])]
              for i in range(0, len(pages), size)]
    with ProcessPoolExecutor(workers, mp_context=pool_context(), initializer=_start_worker,
                             initargs=(slim, site_dir, asset_names, cache_dir)) as pool:
        return [result for chunk in pool.map(_render_chunk, chunks) for result in chunk]


def pool_context():
    """The start method for every pool of processes (pages, preview images, font subsets).
    Fork is fast but unsafe in a process with threads (serve has some) and on macOS, where
    system libraries break in a forked child. On Linux, `forkserver` forks each worker from a
    small process started once, with no threads, that has already loaded this module and its
    libraries: safe, and almost as fast. Elsewhere, `spawn` (a fresh interpreter per worker)."""
    if sys.platform.startswith("linux"):
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])
        return context
    return multiprocessing.get_context("spawn")


def _start_worker(site: Site, site_dir: Path, asset_names: dict, cache_dir: Path) -> None:
    global _WORKER
    env = jinja_environment(site_dir, site.settings, asset_names, cache_dir)
    _WORKER = (site, env, template_contexts(site), Renderer())


def _render_chunk(chunk: list) -> list:
    site, env, context, renderer = _WORKER
    return [render_page(env, context, renderer, site.pages[i], known, site.settings.base_path) for i, known in chunk]
