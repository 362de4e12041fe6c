"""Jinja2 templates: the site's own first, the project's for whatever the site lacks.

Undefined names are errors that name the template and line. Templates build links with
`url('/faq/')` (works under a sub-path), `absolute_url(...)` for tags that need the full
address, and `asset('css/site.css')` for fingerprinted static files.
"""
from __future__ import annotations

import json
from pathlib import Path

import jinja2
from markupsafe import Markup

from . import security
from .errors import Location, SiteError

PROJECT_DIR = Path(__file__).resolve().parent.parent


def template_dirs(site_dir: Path) -> list[Path]:
    dirs = [site_dir / "templates", PROJECT_DIR / "templates"]
    unique = []
    for d in dirs:
        if d.is_dir() and d.resolve() not in [u.resolve() for u in unique]:
            unique.append(d)
    return unique


def make_environment(site_dir: Path, settings, assets: dict) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs(site_dir)]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # one build never sees a template change; skips a stat per include
        optimized=False,  # folding constants at compile time costs more than it saves in one build
    )
    base_path = settings.base_path

    def url(path: str) -> str:
        if path.startswith(("http://", "https://", "mailto:", "#")):
            return path
        return base_path + path.lstrip("/")

    def absolute_url(path: str) -> str:
        return settings.origin + url(path)

    def asset(name: str) -> str:
        if name not in assets:
            raise jinja2.TemplateRuntimeError(f"static file '{name}' does not exist")
        return url("static/" + assets[name])

    env.globals.update(url=url, absolute_url=absolute_url, asset=asset, site=settings,
                       csp_meta=security.csp(for_meta=True))
    env.filters["source_ids"] = lambda facts: list(dict.fromkeys(i for f in facts if f for i in f.sources))
    env.filters["urlquote"] = urlquote
    env.filters["number"] = lambda n: f"{n:,}"
    env.filters["longdate"] = lambda d: f"{d:%B} {d.day}, {d.year}"
    env.filters["tojson_script"] = lambda v: Markup(json.dumps(v, ensure_ascii=False, sort_keys=True)
                                                    .replace("<", "\\u003c").replace(">", "\\u003e")
                                                    .replace("&", "\\u0026"))
    return env


# Percent-encoding for links that carry text (share links): every byte of the UTF-8 text except
# letters, digits and "-._~" becomes %XX, as urllib.parse.quote(text, safe="") does, in half the time.
_PERCENT = {byte: chr(byte) if chr(byte).isascii() and (chr(byte).isalnum() or chr(byte) in "-._~") else f"%{byte:02X}"
            for byte in range(256)}


def urlquote(value) -> str:
    text = str(value)
    if not text.isascii():
        text = text.encode("utf-8").decode("latin-1")
    return text.translate(_PERCENT)


def render(env: jinja2.Environment, template: str, context: dict, page_where: Location) -> str:
    """Render one template; template mistakes come back as SiteErrors with template:line."""
    try:
        return env.get_template(template).render(context)
    except jinja2.TemplateNotFound as exc:
        missing = exc.name
        known = sorted(n for n in env.list_templates() if n.endswith(".html") and not n.startswith("_"))
        from .errors import did_you_mean
        if missing == template:
            raise SiteError(page_where, f"template '{missing}' does not exist",
                            did_you_mean(missing, known) or f"use one of: {', '.join(known)}") from None
        raise SiteError(_template_location(env, exc) or page_where, f"template '{missing}' does not exist",
                        did_you_mean(missing, known) or "check the name in extends/include") from None
    except jinja2.TemplateSyntaxError as exc:
        raise syntax_error(env, exc) from None
    except jinja2.UndefinedError as exc:
        where = _template_location(env, exc) or page_where
        raise SiteError(where, f"undefined name in template: {exc.message}",
                        f"while rendering {page_where.path}; check the spelling or define it") from None
    except jinja2.TemplateRuntimeError as exc:
        where = _template_location(env, exc) or page_where
        raise SiteError(where, str(exc), f"while rendering {page_where.path}") from None


def syntax_error(env: jinja2.Environment, exc: jinja2.TemplateSyntaxError) -> SiteError:
    return SiteError(Location(_template_path(env, exc.name or exc.filename), exc.lineno or 0),
                     f"template syntax error: {exc.message}", "check the {% %} and {{ }} tags")


def _template_path(env, name: str) -> str:
    for d in env.loader.searchpath:
        candidate = Path(d) / name if name else None
        if candidate and candidate.is_file():
            return _display(candidate)
    return name or "?"


def _display(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def _template_location(env, exc) -> Location | None:
    """The innermost template frame of the traceback: that is where the mistake is."""
    tb = exc.__traceback__
    found = None
    searchpath = [str(Path(d).resolve()) for d in env.loader.searchpath]
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".html") and any(filename.startswith(p) for p in searchpath):
            found = Location(_display(Path(filename)), tb.tb_lineno)
        tb = tb.tb_next
    return found
