#!/usr/bin/env python3
"""How fast the pact card is ready, and how much JavaScript the pact page loads.

Builds the site into a temporary folder, serves it on 127.0.0.1, opens /pact/ in Chromium, fills
the form, then clicks "Make the card" N times. For each click it takes the click event's own time
stamp and the moment the page marks the card drawn (`performance.mark('pact-card-drawn')`, both
canvases done) and the PNG ready (`data-png` on #pact-result). Prints the medians, and the bytes
of every script the page loaded (before compression).

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
  window.__bench = { clicks: [], png: [] };
  document.addEventListener('click', (e) => {
    if (e.target.closest('#pact-make')) window.__bench.clicks.push(e.timeStamp);
  }, true);
  new MutationObserver(() => window.__bench.png.push(performance.now()))
    .observe(document.querySelector('#pact-result'), { attributeFilter: ['data-png'] });
}"""
TIMES = """() => ({ clicks: window.__bench.clicks, png: window.__bench.png,
  drawn: performance.getEntriesByName('pact-card-drawn').map((m) => m.startTime) })"""


def serve(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def run(n: int, chromium: str) -> int:
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
                page.wait_for_selector(f"#pact-result[data-png='{i}']")
            times = page.evaluate(TIMES)
            browser.close()
        server.shutdown()

    drawn = [d - c for c, d in zip(times["clicks"], times["drawn"])]
    png = [d - c for c, d in zip(times["clicks"], times["png"])]
    own = sum(size for name, size in scripts.items() if name.startswith("pact."))
    total = sum(scripts.values())
    print(f"clicks: {len(drawn)}")
    print(f"card drawn (both canvases), ms from click: median {statistics.median(drawn):.1f}, "
          f"max {max(drawn):.1f}")
    print(f"PNG ready for download, ms from click:    median {statistics.median(png):.1f}, max {max(png):.1f}")
    for name, size in sorted(scripts.items()):
        print(f"script {name}: {size} bytes")
    print(f"pact card JavaScript: {own} bytes (budget {BUDGET_BYTES}); all scripts on the page: {total} bytes")
    print(f"pact data (JSON, fetched): {data_bytes} bytes")
    ok = own <= BUDGET_BYTES and statistics.median(drawn) <= BUDGET_MS
    print("within budget" if ok else "OVER BUDGET")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=30, help="clicks to time (default 30)")
    parser.add_argument("--chromium", default="/usr/bin/chromium", help="Chromium to drive")
    args = parser.parse_args()
    return run(args.n, args.chromium)


if __name__ == "__main__":
    sys.exit(main())
