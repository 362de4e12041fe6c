"""The command line: `python build.py [build|serve|check] [options]`.

Exit status: 0 on success, 1 on a mistake in the site's files, 2 on a wrong command line.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .errors import BuildFailed, SiteError

REPO = Path(__file__).resolve().parent.parent


def _common(p: argparse.ArgumentParser, out_help: str) -> None:
    p.add_argument("--site", type=Path, default=None, metavar="DIR",
                   help="site folder with content/, data/, templates/, static/ (default: the current folder if it "
                        "has data/site.yaml, else this repository)")
    p.add_argument("--out", type=Path, default=None, metavar="DIR", help=out_help)


def _build_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--base-url", metavar="URL", help="address the site is published at, e.g. "
                   "https://example.org/votepact/ (default: base_url in data/site.yaml)")
    p.add_argument("--drafts", action="store_true", help="include pages marked 'draft: true'")
    p.add_argument("--strict", action="store_true", help="treat warnings (such as unknown keys) as errors")


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="build.py", description="Build, preview and check a VotePact site.")
    verbs = top.add_subparsers(dest="verb", metavar="{build,serve,check}")
    b = verbs.add_parser("build", help="build the site into the output folder (the default)",
                         description="Build the site. The output folder is replaced only when the whole build succeeds.")
    _common(b, "output folder (default: output/ in the site folder)")
    _build_options(b)
    s = verbs.add_parser("serve", help="build, serve on 127.0.0.1 and rebuild on every change",
                         description="Live preview: rebuilds on change, reloads the browser, shows build errors in the page.")
    _common(s, "output folder (default: output/ in the site folder)")
    _build_options(s)
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    s.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    c = verbs.add_parser("check", help="check a built site: links, anchors, assets, page tags, other hosts",
                         description="Check a built site. Exits 1 if anything is wrong.")
    _common(c, "built site to check (default: output/ in the site folder)")
    c.add_argument("--base-url", metavar="URL", help="address the site was built for (default: from data/site.yaml)")
    return top


def site_dir(arg: Path | None) -> Path:
    if arg is not None:
        return arg
    here = Path.cwd()
    return here if (here / "data" / "site.yaml").is_file() else REPO


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        argv.insert(0, "build")
    args = parser().parse_args(argv)
    site = site_dir(args.site)
    if not site.is_dir():
        parser().error(f"--site {site}: no such folder")
    out = args.out or site / "output"
    try:
        if args.verb == "build":
            return _build(args, site, out)
        if args.verb == "serve":
            from .serve import serve
            return serve(site, out, args)
        if args.verb == "check":
            from .check import check_site
            return check_site(site, out, args.base_url)
    except BuildFailed as failed:
        print_report(failed.report)
        return 1
    except SiteError as err:
        print(err, file=sys.stderr)
        return 1
    return 2


def print_report(report) -> None:
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
        print(f"Build failed with {len(report.errors)} error(s); the previous output was left as it was.",
              file=sys.stderr)


def _build(args, site: Path, out: Path) -> int:
    from .build import BuildOptions, build
    result = build(BuildOptions(site, out, args.base_url, args.drafts, args.strict))
    for warning in result.warnings:
        print(f"{warning} [warning]", file=sys.stderr)
    if result.unchanged:
        print(f"Nothing changed since the last build of {out} ({result.pages} pages); checked in {result.seconds:.2f} s")
    else:
        print(f"Built {result.pages} pages into {out} in {result.seconds:.2f} s: {result.rendered} rendered, "
              f"{result.written} files written, {result.drawn} images drawn, {result.printed} PDFs made")
    return 0


def leave(code: int) -> None:
    """End the process with `code` once everything is written and closed. Python would first take
    apart every object the build made, one by one: for a big site that takes longer than a
    small build (40 ms for 1000 pages), and nothing is left that needs it."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):  # output piped into a program that stopped reading
        pass
    os._exit(code)


if __name__ == "__main__":
    leave(main())
