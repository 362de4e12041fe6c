"""The site's web fonts: each OFL source font under static/fonts/ cut down to the characters the
site can show, and written as WOFF2 (fontTools subsets, brotli compresses).

Which characters: every printable ASCII and Latin-1 letter (so a name typed into the pact card
still finds its glyphs), plus every character in content/ (Markdown), data/*.yaml and the
templates (the site's and the project's). That is a superset of what the built pages hold, known
before any page is read or rendered (so the asset names are settled when templates compile), and
it changes only when those files do. The source fonts
themselves are not published: only their subsets are. A subset is kept in the cache folder
under a hash of the font and the characters, so an unchanged site never subsets again.
"""
from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

from .assets import Asset
from .cache import BuildCache
from .inputs import CODE_DIR, PROJECT_DIR, under
from .memory import Memory

FACES = {
    "fonts/Inter-Regular.otf": "fonts/inter-regular.woff2",
    "fonts/Inter-Bold.otf": "fonts/inter-bold.woff2",
    "fonts/InterDisplay-ExtraBold.otf": "fonts/inter-display-extrabold.woff2",
}
"""Source font (as named under static/) -> the subset the stylesheet loads (site.css @font-face)."""

ALWAYS = "".join(chr(c) for c in [*range(0x20, 0x7F), *range(0xA0, 0x100), *range(0x2010, 0x2028), 0x2192, 0x21A9])
"""Printable ASCII and Latin-1, for names visitors type; and what rendering adds to the text:
curly quotes, dashes and ellipsis (smart quotes), arrows (footnote back-links)."""

FEATURES = ["kern", "liga", "ccmp", "locl", "mark", "mkmk", "tnum"]
"""OpenType features kept: kerning, ligatures, accents, and tabular figures for the tables. Not
Inter's contextual alternates (calt): they draw "--" and "->" as single glyphs, which code must not."""

VERSION = "2"
"""Part of every cache key: raise it when the way subsets are made changes."""


def site_characters(site_dir: Path, stamps: dict, memory: Memory) -> str:
    """Every character the site can show, sorted, as one string (see the module docstring), from
    the files of the input scan (`stamps`, inputs.scan). `memory` keeps each file's characters
    while the file is unchanged, so that a save in `serve` reads one file, not thousands."""
    chars = set(ALWAYS)
    folders = [(site_dir / "content", ".md"), (site_dir / "data", ".yaml"),
               (site_dir / "templates", ".html"), (PROJECT_DIR / "templates", ".html"),
               (site_dir / "locale", ".po"), (CODE_DIR / "locale", ".po")]  # every language's words
    for folder, suffix in folders:
        for path, stamp in under(stamps, [folder]):
            if path.endswith(suffix):
                found = memory.recall("characters:" + path, stamp)
                if found is None:
                    found = frozenset(Path(path).read_text("utf-8", errors="replace"))
                    memory.keep("characters:" + path, stamp, found)
                chars |= found
    return "".join(sorted(c for c in chars if c.isprintable() and c != "\ufffd"))


def subset(font: bytes, characters: str) -> bytes:
    """WOFF2 bytes of `font` (OpenType or TrueType bytes) holding only the glyphs `characters` need.
    Raises fontTools' errors for a file that is not a font."""
    from fontTools import subset as ft_subset
    from fontTools.ttLib import TTFont

    options = ft_subset.Options()
    options.flavor = "woff2"
    options.layout_features = FEATURES
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # keep the copyright and licence names (OFL)
    options.desubroutinize = True  # compresses better under brotli
    tt = TTFont(io.BytesIO(font), recalcTimestamp=False)  # the same bytes from every build
    subsetter = ft_subset.Subsetter(options)
    subsetter.populate(text=characters)
    subsetter.subset(tt)
    out = io.BytesIO()
    tt.flavor = "woff2"
    tt.save(out)
    return out.getvalue()


def add_subsets(assets: dict, site_dir: Path, cache_dir: Path | None, stamps: dict, memory: Memory) -> None:
    """Replace each source font of FACES found in `assets` by its WOFF2 subset, in place; a WOFF2
    of that name in the site's own static/ is kept as it is (the site's files win). `stamps` and
    `memory` are as site_characters takes them."""
    present = [name for name in FACES if name in assets]
    if not present:
        return
    characters = site_characters(site_dir, stamps, memory)
    cache = BuildCache(cache_dir, "fonts")
    wanted = {}  # web font -> (cache key, its subset if the cache has it, the source font)
    for name in present:
        source = assets.pop(name).data
        if FACES[name] in assets:  # the site ships its own web font under that name: it wins
            continue
        key = hashlib.sha256(f"{VERSION}\0{characters}\0".encode() + source).hexdigest()[:32] + ".woff2"
        wanted[FACES[name]] = (key, cache.get(key), source)
    made = subset_all({web: source for web, (_, data, source) in wanted.items() if data is None}, characters)
    for web, (key, data, _) in wanted.items():
        if web in made:
            data = made[web]
            cache.put(key, data)
        assets[web] = Asset(web, web, data)


def subset_all(fonts: dict, characters: str) -> dict:
    """subset() of each font, by the same keys; one face per core (0.5 s of processor time each)."""
    names = list(fonts)
    workers = min(len(names) - 1, (os.cpu_count() or 1) - 1)
    if workers < 1:
        return {name: subset(fonts[name], characters) for name in names}
    from concurrent.futures import ProcessPoolExecutor

    from .rendering import pool_context
    with ProcessPoolExecutor(workers, mp_context=pool_context()) as pool:
        later = {name: pool.submit(subset, fonts[name], characters) for name in names[1:]}
        return {names[0]: subset(fonts[names[0]], characters)} | {name: f.result() for name, f in later.items()}
