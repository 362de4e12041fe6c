"""Stage two of a build: every page to HTML, Markdown then template, and only the pages whose
inputs changed since the last build into the same output.

A page's key is a hash of its own file, the templates it uses (with everything they extend,
include or import, and the static files they name), and the site-wide values those templates
read (the election's data, the list of pages). Pages run in two processes when there are many.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
import jinja2.meta
import jinja2.nodes

from . import security, sitemap
from .content import Page
from .errors import Location, Report, SiteError
from .markup import Renderer, cache_key
from .memory import CODE_DIR, Memory, PROJECT_DIR, Written, digest, quick_digest, scan
from .output import Staging, write_file
from .parallel import in_parallel, job
from .templates import make_environment, render, syntax_error

if TYPE_CHECKING:
    from .build import Site


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
    env, facts = environment(settings, site.assets, site_dir, memory, report, stamps)
    report.raise_if_failed()
    content_pages = [p for p in site.pages if p.source.startswith("content/")]
    shared = {"election": site.data.election, "election_day": site.data.election.day, "pages": site.pages,
              "preview_of": lambda page: site.previews.get(page.url), "pdf_of": lambda page: site.pdfs.get(page.url),
              "children": lambda url: sorted((p for p in content_pages if p.url != url and p.url.startswith(url)
                                              and p.url.count("/") == url.count("/") + 1),
                                             key=lambda p: (p.order, p.title))}
    known = set(env.list_templates())
    files = Built(reuse, staging)
    keys = page_keys(site, facts, known, content_pages, code_version(stamps))
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


def environment(settings, assets: dict, site_dir: Path, memory: Memory, report: Report, stamps: dict | None = None,
                compile_all: bool = False):
    """The Jinja environment and what each template uses; reused while templates and settings stay.
    A template with a syntax error is reported even if no page uses it. `compile_all` compiles
    every template now (for a build that will render many pages), not when a page first needs it."""
    asset_names = {a.name: a.output for a in assets.values()}
    folders = tuple(str(d) + os.sep for d in (site_dir / "templates", PROJECT_DIR / "templates"))
    stamps = stamps if stamps is not None else scan([Path(f) for f in folders])
    template_stamps = sorted((p, s) for p, s in stamps.items() if p.startswith(folders))
    key = digest(template_stamps, repr(settings), sorted(asset_names.items()))
    if memory.environment is None or memory.environment[0] != key:
        env = make_environment(site_dir, settings, asset_names)
        facts, errors = template_facts(env, asset_names)
        if errors:
            for error in errors:
                report.add(error)
            return env, facts
        if compile_all:
            compile_templates(env, facts)
        memory.environment = (key, env, facts)
    return memory.environment[1], memory.environment[2]


def compile_templates(env, names) -> None:
    for name in names:
        try:
            env.get_template(name)
        except jinja2.TemplateError:
            pass  # the page that uses it reports the mistake, with its file and line


ASSET_CALL = re.compile(r"""asset\(\s*['"]([^'"]+)['"]""")
SITE_WIDE = {"election", "pages", "children"}


def template_facts(env, asset_names: dict) -> tuple[dict, list]:
    """For each template: a digest of its source and of every template it extends, includes or
    imports (with the names of the static files they ask for), and which site-wide values it reads.
    A page must be rendered again when one of these changes, and only then. Also the syntax
    errors found, as SiteErrors."""
    sources, refs, names, errors = {}, {}, {}, []
    for name in env.list_templates():
        if not name.endswith(".html"):
            continue
        try:
            source, tree = env.loader.parse(env, name)
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
            "election": "election" in used, "index": bool(used & {"pages", "children"}),
        }
    return facts, errors


def code_version(stamps: dict | None) -> str:
    """A digest of the generator's own files: a new version renders every page again."""
    prefix = str(CODE_DIR) + os.sep
    stamps = stamps if stamps is not None else scan([CODE_DIR])
    return digest(sorted((p, s) for p, s in stamps.items() if p.startswith(prefix)))


def page_keys(site: Site, facts: dict, known: set, content_pages: list, code: str = "") -> dict:
    """page URL -> a digest of everything its output depends on."""
    settings = site.data.settings
    site_key = digest(repr(settings), repr(site.data.election.day), sorted(site.pdfs), sorted(site.previews), code)
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
    wanted = [cache_key(base_path, p.source_digest) if p.source.startswith("content/") else None for p in pages]
    known = [memory.markdown.get(k) if k else None for k in wanted]
    compile_templates(env, sorted({p.template for p in pages}))  # once here, not once in each worker
    job = (env, shared, pages, base_path, known, staging.dir if staging else None, keys)
    results = in_parallel(_render_slice, job, len(pages))
    for page, key, before, (rendered, result) in zip(pages, wanted, known, results):
        if key is not None:
            page.body, page.toc = rendered or before
            memory.used_markdown.add(key)
            memory.markdown[key] = (page.body, page.toc)
        yield page, result


def _render_slice(indices) -> list:
    """Render the pages at `indices`: (its Markdown's (html, toc) if rendered here, else None;
    html bytes | Written | error) each."""
    env, shared, pages, base_path, known, staging_dir, keys = job()
    renderer = None
    results, made = [], set()
    for i in indices:
        page, rendered = pages[i], None
        if page.source.startswith("content/"):
            if known[i] is None:
                renderer = renderer or Renderer(base_path)
                rendered = renderer.render(page.markdown)
            page.body, page.toc = rendered or known[i]
        try:
            html = render(env, page.template, dict(shared, page=page, **page.context),
                          Location(page.source, page.line)).encode("utf-8")
        except SiteError as err:
            results.append((rendered, err))
            continue
        if staging_dir is not None:
            size, mtime = write_file(staging_dir, page.output_path, html, made)
            html = Written(keys[page.url], digest(html), size, mtime)
        results.append((rendered, html))
    return results


def default_template(page: Page, known: set) -> str:
    """A section's index uses section.html, its pages <section>/page.html; else page.html."""
    is_index = page.source.endswith("index.md")
    choices = ([f"{page.section}/section.html", "section.html"] if is_index and page.url != "/"
               else [f"{page.section}/page.html"] if page.section else [])
    return next((name for name in choices if name in known), "page.html")
