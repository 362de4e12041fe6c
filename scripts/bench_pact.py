#!/usr/bin/env python3
"""How fast the pact card is ready, and how much JavaScript the pact page loads.

Builds the site into a temporary folder, serves it on 127.0.0.1, opens /pact/ in Chromium, fills
the form, then clicks "Make the card" N times (real mouse clicks). For each click it takes the click
event's own time stamp and the moment the page marks the card ready
(`performance.mark('pact-card-ready')`, set once both canvases are drawn and encoded as PNG files
behind the download links; `data-ready` on #pact-result counts the cards). Prints the median, and
the bytes of every script the page loaded (before compression).

    .venv/bin/python scripts/bench_pact.py [-n 30] [--chromium /usr/bin/chromium]
"""
from __future__ import annotations

import argparse
import functools
import http.server
import statistics
import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from votepact.build import BuildOptions, build  # noqa: E402

BUDGET_BYTES = 20 * 1024
BUDGET_MS = 100

WATCH = """() => {
  window.__clicks = [];
  document.addEventListener('click', (e) => {
    if (e.target.closest('#pact-make')) window.__clicks.push(e.timeStamp);
  }, true);
}"""
TIMES = """() => ({ clicks: window.__clicks,
  ready: performance.getEntriesByName('pact-card-ready').map((m) => m.startTime) })"""


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def run(n: int, chromium: str, verbose: bool = False) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "site"
        options = BuildOptions(REPO, out)
        if hasattr(options, "cache_dir"):  # keep the build's image and PDF cache out of the repository
            options.cache_dir = Path(tmp) / "cache"
        build(options)
        server, base = serve(out)
        scripts: dict[str, int] = {}
        data_bytes = 0
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page()

            def loaded(response):
                nonlocal data_bytes
                if response.request.resource_type == "script":
                    scripts[response.url.rsplit("/", 1)[-1]] = len(response.body())
                elif response.url.endswith("pact-data.json"):
                    data_bytes = len(response.body())

            page.on("response", loaded)
            page.goto(base + "pact/")
            page.wait_for_selector("#pact-form", state="visible")
            page.fill("#n1", "José")
            page.select_option("#s1", "GA")
            page.check("#m1-clinton")
            page.select_option("#a1", "stein")
            page.fill("#n2", "Nguyễn")
            page.select_option("#s2", "TX")
            page.check("#m2-trump")
            page.select_option("#a2", "johnson")
            page.evaluate(WATCH)
            for i in range(1, n + 1):
                page.click("#pact-make")
                page.wait_for_selector(f"#pact-result[data-ready='{i}']")
            times = page.evaluate(TIMES)
            browser.close()
        server.shutdown()

    ready = [r - c for c, r in zip(times["clicks"], times["ready"])]
    own = sum(size for name, size in scripts.items() if name.startswith("pact."))
    total = sum(scripts.values())
    print(f"clicks: {len(ready)}")
    if verbose:
        print("ms:", " ".join(f"{x:.0f}" for x in ready))
    print(f"card ready (1200x630 and 1080x1080 drawn and encoded as PNG), ms from click: "
          f"median {statistics.median(ready):.1f}, first {ready[0]:.1f}, max {max(ready):.1f}")
    for name, size in sorted(scripts.items()):
        print(f"script {name}: {size} bytes")
    print(f"pact card JavaScript: {own} bytes (budget {BUDGET_BYTES}); all scripts on the page: {total} bytes")
    print(f"pact data (JSON, fetched): {data_bytes} bytes")
    ok = own <= BUDGET_BYTES and statistics.median(ready) <= BUDGET_MS
    print("within budget" if ok else "OVER BUDGET")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=30, help="clicks to time (default 30)")
    parser.add_argument("--chromium", default="/usr/bin/chromium", help="Chromium to drive")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every timing")
    args = parser.parse_args()
    return run(args.n, args.chromium, args.verbose)


if __name__ == "__main__":
    sys.exit(main())
