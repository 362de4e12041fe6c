"""Every site-internal address in a finished page: moved under the site's base path, whatever
wrote it (a Markdown link, raw HTML in Markdown, a template), and checked against what the
site has; and every id of the page checked for a twin.

A root-relative address (`/pact/`, `/static/x.png`) means "this site", so with
`base_url: https://example.net/votepact/` it becomes `/votepact/pact/`. One already under the
base path (templates' `url()` writes those) is left as it is.
"""
from __future__ import annotations

import re
from collections import Counter
from urllib.parse import unquote, urlsplit

from .errors import Location, Report

_URL_ATTRIBUTE = re.compile(r"""(\s(?:href|src|action|poster|srcset)\s*=\s*)(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)
_ID = re.compile(r"""\sid\s*=\s*(["'])(.*?)\1""")


def place(html: str, base_path: str) -> tuple[str, list[str], list[str]]:
    """(the page with every site-internal address under `base_path`, the site paths it links to
    (without query or fragment, each once, in order), the ids that occur more than once)."""
    targets: dict[str, None] = {}

    def one(url: str) -> str:
        if not url.startswith("/") or url.startswith("//"):
            return url
        if base_path != "/" and url.startswith(base_path):
            site_path = "/" + url[len(base_path):]
        else:
            site_path, url = url, base_path + url[1:]
        targets[unquote(site_path.partition("#")[0].partition("?")[0])] = None
        return url

    def attribute(match: re.Match) -> str:
        value = match.group(3)
        if match.group(1).strip().lower().startswith("srcset"):
            value = ", ".join(" ".join([one(part.split()[0])] + part.split()[1:]) for part in value.split(",") if part.strip())
        else:
            value = one(value)
        return f"{match.group(1)}{match.group(2)}{value}{match.group(2)}"

    html = _URL_ATTRIBUTE.sub(attribute, html)
    twins = [i for i, n in Counter(m.group(2) for m in _ID.finditer(html)).items() if n > 1]
    return html, list(targets), twins


def site_paths(output_files) -> set[str]:
    """Every address the built site answers: each file, and each folder with an index.html."""
    known = {"/"}
    for rel in output_files:
        known.add("/" + rel)
        if rel.endswith("index.html"):
            known.add("/" + rel[: -len("index.html")])
    return known


def report_problems(pages: list, found: dict, known: set[str], sources, report: Report) -> None:
    """Warn (an error with --strict) of every link to an address the site does not have and every
    id used twice in one page. `found` is page URL -> (site paths linked, twin ids); `sources(page)`
    gives [(file as the organizer knows it, its text)] for the page's own file and its templates,
    searched in that order for the line that wrote the problem."""
    said = set()  # a template's broken link is told once, not once per page that uses it
    for page in pages:
        targets, twins = found.get(page.url, ((), ()))
        broken = [t for t in targets if t not in known]
        if not broken and not twins:
            continue
        texts = sources(page)
        for target in broken:
            where = _line_of(texts, [target], page)
            if (where, target) in said:
                continue
            said.add((where, target))
            report.warn(where, f"links to {target}, which this site does not have",
                        "fix the address, or add the page or file it names")
        for twin in twins:
            where = _line_of(texts, [f"#{twin}}}", f"#{twin} ", f'id="{twin}"', f"id='{twin}'"], page, second=True)
            report.warn(where, f"the id '{twin}' is used twice in {page.url}, so links to #{twin} land on the first",
                        "give one of the two headings or elements another {#id}")


def _line_of(texts, needles: list[str], page, second: bool = False) -> Location:
    """The first line (or the second of two, for twins) of the first text that has one of the needles."""
    for path, text in texts:
        lines = [i for i, line in enumerate(text.splitlines(), 1) if any(n in line for n in needles)]
        if lines:
            return Location(path, lines[1] if second and len(lines) > 1 else lines[0])
    return Location(page.source, page.line)


def short_address(address: str) -> str:
    """An address as a reader types it from paper: without scheme and "www."
    ('https://www.votepact.org/es/pact/' -> 'votepact.org/es/pact/')."""
    parts = urlsplit(address)
    return parts.netloc.removeprefix("www.") + parts.path
