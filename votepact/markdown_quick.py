"""The quick path for plain prose: paragraphs, `#` headings, `[links](/path/)` and `inline code`.

Most pages of a big site are nothing more, and Python-Markdown spends half a millisecond on
each. This renders them in a tenth of that and gives the same bytes Python-Markdown (as
markdown_full sets it up) gives. Anything it does not know for sure, down to a single `*`, `_`,
`<` or `&`, a list, a quote block, an indented line or a footnote, makes `render` return None,
and the page goes through Python-Markdown instead.
"""
from __future__ import annotations

import re
import unicodedata

from .typography import Typographer

PERMALINK_TITLE = "Link to this section"
TOC_DEPTH = (2, 3)  # heading levels listed in a page's table of contents

# A line of a paragraph must begin like prose: anything else (a list, a quote block, a table,
# code, a heading underline, a definition) is Markdown this path leaves to Python-Markdown.
_PROSE_START = re.compile(r"""[^\W\d_]|["'(]""")
_HEADING = re.compile(r"(#{1,6}) ([^\s#](?:.*[^\s#])?)")
_CODE = re.compile(r"`([^`]+)`")
_LINK = re.compile(r"\[([^\[\]]+)\]\(([A-Za-z0-9/._~#?=%:+-]+)\)")
# Characters with a meaning in Markdown or HTML that this path does not handle.
_UNSURE = re.compile(r"[\\*_<>&{}|^\[\]`]|!\x02")
_UNSURE_IN_CODE = re.compile(r"[\\<>&{}|\n]|^\s|\s$")
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")
_SPACE_AT_LINE_END = re.compile(r"[^\S\n](?:\n|$)")
_SLOT, _LINK_SLOT = "\x01", "\x02"  # stand for a code span and a link while the text is checked


def render(text: str, base_path: str = "/") -> tuple[str, list] | None:
    """(HTML, table of contents) as markdown_full would give them, or None for anything but plain prose."""
    if not text.strip():
        return "", []
    # Control characters, runs of backticks, and space at the end of a line (two make a line break).
    if _CONTROL.search(text) or "``" in text or " \n" in text or text[-1] == " " or (
            not text.isascii() and _SPACE_AT_LINE_END.search(text)):
        return None
    blocks = re.split(r"\n{2,}", text.strip("\n"))
    typographer = Typographer()
    used_ids: set = set()
    html, toc = [], []
    for block in blocks:
        heading = _HEADING.fullmatch(block) if block.startswith("#") else None
        if heading:
            runs = _inline(heading.group(2))
            if runs is None:
                return None
            level = len(heading.group(1))
            runs = _smarten(runs, typographer)
            inner, as_written = _html(runs, base_path), _html(runs, None)
            name = " ".join(re.sub(r"<[^>]*>", "", inner).split())
            anchor = _unique(_slug(name), used_ids)
            html.append(f'<h{level} id="{anchor}">{inner}<a class="anchor" href="#{anchor}" '
                        f'title="{PERMALINK_TITLE}">#</a></h{level}>')
            if TOC_DEPTH[0] <= level <= TOC_DEPTH[1]:
                toc.append({"level": level, "id": anchor, "name": name, "html": as_written, "data-toc-label": ""})
        else:
            if not all(_PROSE_START.match(line) for line in block.split("\n")):
                return None
            runs = _inline(block)
            if runs is None:
                return None
            html.append(f"<p>{_html(_smarten(runs, typographer), base_path)}</p>")
        typographer.before = "\n"  # the line break between blocks
    nested = _nest(toc)
    return ("\n".join(html), nested) if nested is not None else None


def _inline(text: str) -> list | None:
    """The text as runs: str, ("code", text) or ("a", href, runs); None where unsure."""
    codes = _CODE.findall(text)
    if any(_UNSURE_IN_CODE.search(c) for c in codes):
        return None
    slotted = _CODE.sub(_SLOT, text)
    links = _LINK.findall(slotted)
    plain = _LINK.sub(_LINK_SLOT, slotted)
    if _UNSURE.search(plain) or any(_UNSURE.search(label) for label, _ in links):
        return None
    code_iter = iter(codes)

    def runs_of(part: str) -> list:
        out = []
        for i, piece in enumerate(part.split(_SLOT)):
            if i:
                out.append(("code", next(code_iter)))
            if piece:
                out.append(piece)
        return out

    runs, pos = [], 0
    for match in _LINK.finditer(slotted):
        runs += runs_of(slotted[pos:match.start()])
        runs.append(("a", match.group(2), runs_of(match.group(1))))
        pos = match.end()
    runs += runs_of(slotted[pos:])
    return runs


def _smarten(runs: list, typographer: Typographer) -> list:
    """The runs with typographic quotes, dashes and ellipses, in document order; never in code."""
    out = []
    for run in runs:
        if isinstance(run, str):
            out.append(typographer.fix(run))
        elif run[0] == "code":
            typographer.skip_verbatim()
            out.append(run)
        else:
            out.append(("a", run[1], _smarten(run[2], typographer)))
    return out


def _html(runs: list, base_path: str | None) -> str:
    """HTML of the runs; with a base path, links to site paths get it and links elsewhere
    rel="noopener" (the table of contents keeps links as written, as markdown_full's does)."""
    out = []
    for run in runs:
        if isinstance(run, str):
            out.append(run)
        elif run[0] == "code":
            out.append(f"<code>{run[1]}</code>")
        else:
            href, rel = run[1], ""
            if base_path is not None:
                if href.startswith("/") and not href.startswith("//"):
                    href = base_path + href[1:]
                rel = ' rel="noopener"' if href.startswith(("http://", "https://")) else ""
            out.append(f'<a href="{href}"{rel}>{_html(run[2], base_path)}</a>')
    return "".join(out)


def _slug(name: str) -> str:
    """A heading's id: its words in lower-case ASCII, joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    words = re.sub(r"[^\w\s-]", "", ascii_text).strip().lower()
    return re.sub(r"[-\s]+", "-", words)


def _unique(anchor: str, used: set) -> str:
    """A second heading with the same id gets '_1' after it, a third '_2', and so on."""
    if anchor in used or not anchor:
        numbered = re.fullmatch(r"(.*)_([0-9]+)", anchor)
        base, n = (numbered.group(1), int(numbered.group(2))) if numbered else (anchor, 0)
        n += 1
        while f"{base}_{n}" in used:
            n += 1
        anchor = f"{base}_{n}"
    used.add(anchor)
    return anchor


def _nest(entries: list) -> list | None:
    """Subheadings under the heading before them; None for an order this path does not handle."""
    nested = []
    for entry in entries:
        entry["children"] = []
        if entry["level"] == TOC_DEPTH[0]:
            nested.append(entry)
        elif nested:
            nested[-1]["children"].append(entry)
        else:
            return None
    return nested
