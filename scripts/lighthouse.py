#!/usr/bin/env python3
"""Lighthouse 12.2.3 on every kind of page, mobile settings; prints a Markdown table of scores.

Not part of CI (it takes a few minutes). Usage:

    .venv/bin/python scripts/lighthouse.py [--keep-reports DIR] [--runs N] [/page/ ...]

Each page is measured --runs times (default 3) and the median run is reported.

It builds the default site with --base-url pointing at a local server, serves it the way a
static host does (headers from `_headers`, 404.html for missing addresses; tests/static_host.py),
and runs Lighthouse with Debian's Chromium on each kind of page (tests/static_host.page_kinds).
Lighthouse is installed on first use into .cache/lighthouse/ (not into package.json, which CI
installs). Exit status 1 if any score is under 100.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO))

from static_host import HostLikeServer, page_kinds  # noqa: E402

VERSION = "12.2.3"
CACHE = REPO / ".cache" / "lighthouse"
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-background-networking "
                "--disable-component-update --disable-sync --no-first-run")
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


def lighthouse_bin() -> Path:
    binary = CACHE / "node_modules" / ".bin" / "lighthouse"
    package = CACHE / "node_modules" / "lighthouse" / "package.json"
    if not (binary.exists() and json.loads(package.read_text())["version"] == VERSION):
        print(f"Installing lighthouse@{VERSION} into {CACHE.relative_to(REPO)} ...", file=sys.stderr)
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "i", "--prefix", str(CACHE), "--no-audit", "--no-fund", "--silent", "-E",
                        f"lighthouse@{VERSION}"], check=True)
    return binary


def chromium() -> str:
    # The wrapper script prints a harmless warning; the binary behind it does not.
    return next(p for p in ("/usr/lib/chromium/chromium", "/usr/bin/chromium", shutil.which("chromium") or "")
                if p and Path(p).exists())


def run_lighthouse(binary: Path, url: str, report: Path, tmp: Path, attempts: int = 3) -> dict:
    """One Lighthouse run; a run that fails (Lighthouse asks to "run again" when its trace
    recording goes wrong, e.g. NO_NAVSTART on a busy machine) is tried again."""
    env = dict(os.environ, CHROME_PATH=chromium(), TMPDIR=str(tmp))
    command = [str(binary), url, "--output=json", f"--output-path={report}", "--quiet",
               f"--chrome-flags={CHROME_FLAGS}"]
    for attempt in range(1, attempts + 1):
        done = subprocess.run(command, env=env, timeout=300)
        if done.returncode == 0:
            return json.loads(report.read_text("utf-8"))
        print(f"{url}: Lighthouse failed (attempt {attempt} of {attempts})", file=sys.stderr)
    raise SystemExit(f"{url}: Lighthouse failed {attempts} times")


def build_site(out: Path, base_url: str) -> None:
    subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--out", str(out), "--base-url", base_url],
                   check=True, cwd=REPO)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def score(result: dict, category: str) -> int:
    value = result["categories"][category]["score"]
    return -1 if value is None else round(value * 100)


def median_run(runs: list[dict]) -> dict:
    """The run with the median performance score (a shared machine makes single runs noisy;
    Lighthouse's own advice is to take the median of several)."""
    return sorted(runs, key=lambda r: score(r, "performance"))[len(runs) // 2]


def failing_audits(result: dict) -> list[str]:
    """The audits that cost points: id and title, per category under 100."""
    lines = []
    for cat_id in CATEGORIES:
        cat = result["categories"][cat_id]
        if cat["score"] is not None and cat["score"] < 1:
            for ref in cat["auditRefs"]:
                audit = result["audits"][ref["id"]]
                if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                    lines.append(f"{cat_id}: {ref['id']} ({audit['score']}) {audit.get('displayValue', '')}")
    return lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pages", nargs="*", help="addresses to measure, e.g. /pact/ (default: every kind of page)")
    ap.add_argument("--keep-reports", type=Path, help="write each page's JSON report into this folder")
    ap.add_argument("--runs", type=int, default=3, help="runs per page; the table shows the median run (default 3)")
    args = ap.parse_args()
    binary = lighthouse_bin()
    work = Path(tempfile.mkdtemp(prefix="votepact-lighthouse-"))
    try:
        tmp = work / "tmp"
        tmp.mkdir()
        port = free_port()
        site = work / "site"
        build_site(site, f"http://127.0.0.1:{port}/")
        rows, problems = [], []
        with HostLikeServer(site, port) as server:
            for path in args.pages or page_kinds(site):
                runs = []
                for run in range(args.runs):
                    name = (path.strip("/").replace("/", "_") or "home") + f".{run}.json"
                    report = (args.keep_reports or work) / name
                    report.parent.mkdir(parents=True, exist_ok=True)
                    runs.append(run_lighthouse(binary, server.url + path.lstrip("/"), report, tmp))
                result = median_run(runs)
                scores = {c: score(result, c) for c in CATEGORIES}
                problems += [f"{path}: {line}" for line in failing_audits(result)]
                rows.append((path, scores))
                print(f"{path}: " + ", ".join(f"{c} {s}" for c, s in scores.items()), file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(table(rows))
    if problems:
        print("\nAudits under 100:\n" + "\n".join(problems))
    return 0 if all(s == 100 for _, scores in rows for s in scores.values()) else 1


def table(rows) -> str:
    cpu = platform.processor() or platform.machine()
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    lines = [f"Lighthouse {VERSION}, mobile (default settings), {datetime.date.today().isoformat()}, "
             f"{platform.system()} {platform.release()}, {os.cpu_count()} cores ({cpu}), "
             f"Chromium {chromium_version()}", "",
             "| page | performance | accessibility | best practices | SEO |", "|---|---|---|---|---|"]
    lines += [f"| `{path}` | " + " | ".join(str(s[c]) for c in CATEGORIES) + " |" for path, s in rows]
    return "\n".join(lines)


def chromium_version() -> str:
    out = subprocess.run([chromium(), "--version"], capture_output=True, text=True).stdout.strip()
    return out.split()[1] if len(out.split()) > 1 else out


if __name__ == "__main__":
    sys.exit(main())
