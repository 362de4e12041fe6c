"""The command line: `votepact [build|serve|check|new] [options]` (also `python build.py ...`).

Exit status: 0 on success, 1 on a mistake in the site's files, 2 on a wrong command line.
"""
from __future__ import annotations

import argparse
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from .config import base_url_problem
from .errors import BuildFailed, SiteError
from .scaffold import example_languages


def _version() -> str:
    try:
        return version("votepact")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "(not installed)"


def _site_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--site", type=Path, default=None, metavar="DIR",
                   help="site folder with content/ and data/ (default: the current folder, if it has data/site.yaml)")
    p.add_argument("--cache", type=Path, default=None, metavar="DIR",
                   help="where drawn images, PDFs and what earlier builds learned are kept (default: .cache/ in the "
                        "site folder)")


def _build_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--drafts", action="store_true", help="include pages marked 'draft: true'")
    p.add_argument("--strict", action="store_true", help="treat warnings (such as unknown keys) as errors")


def _base_url(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument("--base-url", metavar="URL", help=f"address the site {what}, e.g. https://example.org/votepact/ "
                   "(default: base_url in data/site.yaml)")


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="votepact", description="Build, preview and check a VotePact site, or start one.")
    top.add_argument("--version", action="version", version=f"votepact {_version()}")
    verbs = top.add_subparsers(dest="verb", metavar="{build,serve,check,new}")
    b = verbs.add_parser("build", help="build the site into the output folder (the default)",
                         description="Build the site. The output folder is replaced only when the whole build succeeds.")
    _site_options(b)
    b.add_argument("--out", type=Path, default=None, metavar="DIR", help="output folder (default: output/ in the site folder)")
    _base_url(b, "is published at")
    _build_options(b)
    s = verbs.add_parser("serve", help="preview on 127.0.0.1, rebuilding on every change (never touches output/)",
                         description="Live preview: builds into the cache folder, rebuilds on change, reloads the "
                                     "browser, shows build errors in the page. The output folder is left alone.")
    _site_options(s)
    _build_options(s)
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    s.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    c = verbs.add_parser("check", help="check a built site: links, anchors, assets, page tags, other hosts",
                         description="Check a built site against the address it is published at. Exits 1 if anything is wrong.")
    _site_options(c)
    c.add_argument("--out", type=Path, default=None, metavar="DIR", help="built site to check (default: output/ in the site folder)")
    _base_url(c, "was built for")
    n = verbs.add_parser("new", help="start a new site in a folder: a small working example to change",
                         description="Write a small working site (one race, four candidates, three places that "
                                     "vote, a home page, a pact page and a guide) into DIR, build it and check it. "
                                     "The options shape its race and its languages; everything they write can "
                                     "be changed later in data/ and content/.",
                         epilog="example: votepact new mysite --jurisdiction district/districts --languages en,es "
                                "(a mayor's race by district, in English and Spanish; the Spanish words, "
                                "distrito/distritos and Alcalde, come from the example)")
    n.add_argument("dir", type=Path, metavar="DIR", help="folder to create (it must not exist or be empty)")
    n.add_argument("--languages", default="en", metavar="TAGS",
                   help="the site's languages, comma-separated, the default first, e.g. en,es or es-US,en "
                        "(default: en). The default one is at the site's root, each other one under /<its short "
                        "name>/, from content/<short name>/ and data/<short name>/. The example is written in: "
                        + ", ".join(example_languages()))
    n.add_argument("--jurisdiction", action="append", default=[], metavar="ONE/OTHER",
                   help="what the race's places that vote are called, singular/plural, e.g. district/districts; "
                        "once per language in the order of --languages (a language left out gets the example's "
                        "word for it: distrito/distritos). Default: state/states. Their pages are at /<plural>/")
    n.add_argument("--office", action="append", default=[], metavar="NAME",
                   help="the office the race is for, e.g. Mayor; once per language like --jurisdiction. "
                        "Default: President with states, else Mayor")
    n.add_argument("--running-mates", action=argparse.BooleanOptionalAction, default=None,
                   help="whether candidates run with a running mate, as tickets (default: only for President)")
    n.add_argument("--electoral-votes", action=argparse.BooleanOptionalAction, default=None,
                   help="whether each place carries electoral votes (default: only for President)")
    return top


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version"):
        argv.insert(0, "build")
    args = parser().parse_args(argv)
    if getattr(args, "base_url", None):
        problem = base_url_problem(args.base_url)
        if problem:
            print(f"votepact {args.verb}: --base-url {problem}", file=sys.stderr)
            return 2
    if args.verb == "new":
        from .scaffold import RaceChoice, new_site
        choice = RaceChoice(tuple(t.strip() for t in args.languages.split(",") if t.strip()) or ("en",),
                            tuple(args.jurisdiction), tuple(args.office), args.running_mates, args.electoral_votes)
        return new_site(args.dir, choice)
    from .sitefolder import find_site
    try:
        site = find_site(args.site, Path.cwd())
    except SiteError as err:  # run in the wrong folder, or --site names none
        print(err, file=sys.stderr)
        return 2
    try:
        cache = args.cache.resolve() if args.cache else site.resolve() / ".cache"
        if args.verb == "build":
            return _build(args, site, args.out or site / "output", cache)
        if args.verb == "serve":
            from .serve import serve
            return serve(site, cache, args)
        from .check import check_site
        return check_site(site, args.out or site / "output", args.base_url)
    except BuildFailed as failed:
        print_report(failed.report, getattr(args, "out", None) or site / "output")
        return 1
    except SiteError as err:
        print(err, file=sys.stderr)
        return 1


def print_report(report, out: Path | None = None) -> None:
    """Warnings, then each error once; the last line says whether `out` holds an earlier build."""
    for warning in report.warnings:
        print(f"{warning} [warning]", file=sys.stderr)
    shown: dict[tuple, int] = {}
    for error in report.errors:  # a template mistake fails every page that uses it: say it once
        key = (error.where, error.message)
        if key in shown:
            shown[key] += 1
            continue
        shown[key] = 0
        print(error, file=sys.stderr)
    for (where, message), more in shown.items():
        if more:
            print(f"{where}: the error above also stops {more} more page(s)", file=sys.stderr)
    if report.errors:
        earlier = out is not None and out.is_dir() and any(out.iterdir())
        print(f"Build failed with {len(report.errors)} error(s); "
              + ("the previous output was left as it was." if earlier else "nothing was written."), file=sys.stderr)


def _build(args, site: Path, out: Path, cache: Path) -> int:
    from .build import BuildOptions, build
    result = build(BuildOptions(site, out, args.base_url, args.drafts, args.strict, cache_dir=cache))
    for warning in result.warnings:
        print(f"{warning} [warning]", file=sys.stderr)
    if result.unchanged:
        print(f"Nothing changed since the last build of {out} ({result.pages} pages); checked in {result.seconds:.2f} s")
    else:
        print(f"Built {result.pages} pages into {out} in {result.seconds:.2f} s: {result.rendered} rendered, "
              f"{result.written} files written, {result.drawn} images drawn, {result.printed} PDFs made")
    return 0
