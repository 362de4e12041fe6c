"""Jinja2 templates: the site's own first, the project's for whatever the site lacks.

Undefined names are errors that name the template and line. Templates build links with
`url('/faq/')` (works under a sub-path), `absolute_url(...)` for tags that need the full
address, and `asset('css/site.css')` for fingerprinted static files.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote

import jinja2
from markupsafe import Markup, escape

from . import security
from .errors import Location, SiteError, relpath
from .i18n import Language, Localizer
from .inputs import PROJECT_DIR, distinct
from .links import short_address


def template_dirs(site_dir: Path) -> list[Path]:
    """The site's templates folder, then the project's."""
    return distinct([d for d in (site_dir / "templates", PROJECT_DIR / "templates") if d.is_dir()])


class Loader(jinja2.FileSystemLoader):
    """The site's templates, then the project's."""

    def get_source(self, environment, template):
        """As FileSystemLoader's; a template that is not UTF-8 is a SiteError naming its file,
        line and column (Jinja would stop the build with a traceback)."""
        try:
            return super().get_source(environment, template)
        except UnicodeDecodeError:
            for folder in self.searchpath:
                path = Path(folder, template)
                if path.is_file():
                    from .content import read_text

                    read_text(path, relpath(path, Path.cwd()))  # raises with the position
            raise


def make_environment(site_dir: Path, settings, assets: dict) -> jinja2.Environment:
    """Templates of `site_dir` (then the project's) for `settings`; `assets` maps a static file's
    name to its fingerprinted name, for `asset()` (env.asset_names, which a build may replace)."""
    env = jinja2.Environment(
        loader=Loader([str(d) for d in template_dirs(site_dir)]),
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

    env.asset_names = dict(assets)  # a build sets them once it knows its static files (rendering.facts_for)

    def asset(name: str) -> str:
        if name not in env.asset_names:
            raise jinja2.TemplateRuntimeError(f"static file '{name}' does not exist")
        return url("static/" + env.asset_names[name])

    env.globals.update(url=url, absolute_url=absolute_url, asset=asset, site=settings,
                       csp_meta=security.csp(for_meta=True))
    # The site's languages: `env.words` says in which the page being rendered is; `_()`, `url()`
    # and the format filters follow it (votepact/i18n.py).
    env.words = Localizer(settings.languages or (Language(settings.language),), site_dir)
    env.words.install(env)
    env.filters["source_ids"] = lambda facts: list(dict.fromkeys(i for f in facts if f for i in f.sources))
    env.filters["break_words"] = break_words
    env.filters["short_address"] = short_address  # an address as paper prints it
    env.filters["urlquote"] = lambda value: quote(str(value), safe="")  # text inside a share link
    env.filters["tojson_script"] = lambda v: Markup(json.dumps(v, ensure_ascii=False, sort_keys=True)
                                                    .replace("<", "\\u003c").replace(">", "\\u003e")
                                                    .replace("&", "\\u0026"))
    return env


def break_words(text: str) -> Markup:
    """`text` escaped, with one <wbr> (a line may break there, with no hyphen) in each camel-case
    word of 12 characters or more: at the join between two of its words nearest the word's middle,
    so a hashtag such as "#BernieAndBoom" wraps as "#Bernie / AndBoom" on a narrow screen (two
    halves of like length; never at an arbitrary letter, and never "#BernieAnd / Boom", which a
    browser picks when every join may break). A short word ("VotePact") stays whole; other text
    is returned escaped."""
    camel = re.compile(r"(?<=[a-z\u00df-\u00ff])(?=[A-Z\u00c0-\u00de])")
    out = []
    for piece in re.split(r"(\s+)", str(text)):
        joins = [m.start() for m in camel.finditer(piece)] if len(piece) >= 12 else []
        if joins:
            at = min(joins, key=lambda i: abs(2 * i - len(piece)))  # the join nearest the middle
            out.append(escape(piece[:at]) + Markup("<wbr>") + escape(piece[at:]))
        else:
            out.append(escape(piece))
    return Markup("").join(out)


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
            return relpath(candidate, Path.cwd())
    return name or "?"


def _template_location(env, exc) -> Location | None:
    """The innermost template frame of the traceback: that is where the mistake is."""
    tb = exc.__traceback__
    found = None
    searchpath = [str(Path(d).resolve()) for d in env.loader.searchpath]
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".html") and any(filename.startswith(p) for p in searchpath):
            found = Location(relpath(Path(filename), Path.cwd()), tb.tb_lineno)
        tb = tb.tb_next
    return found
