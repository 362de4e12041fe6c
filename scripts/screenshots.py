#!/usr/bin/env python3
"""Screenshots of every kind of page, for looking at the design (not part of CI).

    .venv/bin/python scripts/screenshots.py [--out screenshots] [--only /path/ ...]

Builds the default site for a local address, serves it the way a static host does
(tests/static_host.py) and, with Playwright's Chromium, saves into --out (gitignored):
  <kind>-360.png, <kind>-1280.png            first screen at 360x740 and 1280x800
  <kind>-360-full.png, <kind>-1280-full.png  the whole page at those widths
  <kind>-print.png                           the page with print media emulated (whole page)
  menu-open-360.png                          the phone menu, opened (on a page it lists)
  card-<lang>-360.png, card-<lang>-1280.png  a shared pact card, opened from a link the maker made
                                             (and -full), in each language the site has a maker in
  map-grey-360.png, map-grey-1280.png        a candidate's tile map in greyscale
  pdf-<name>-<n>.png                         every page of every PDF the site builds (pdftoppm)
and checks on the way that no page scrolls sideways at 360 px (exit 1 if one does).
With --docs it also writes the small, compressed first screens that docs/design.md shows
(docs/img/, 64 colours, desktop shots at half size).
"""
from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from static_host import HostLikeServer, page_kinds  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"  # Debian's, as the tests use
SIZES = {"360": (360, 740), "1280": (1280, 800)}


def kind_name(path: str) -> str:
    """'/' -> 'home', '/candidates/stein/' -> 'candidates-stein', '/404.html' -> '404'."""
    return path.strip("/").replace("/", "-").removesuffix(".html") or "home"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def shoot_pages(browser, base: str, paths: list[str], out: Path) -> list[str]:
    """Screenshots of each path; returns the pages that scroll sideways at 360 px."""
    sideways, menu_shot = [], False
    for size, (w, h) in SIZES.items():
        page = browser.new_page(viewport={"width": w, "height": h})
        for path in paths:
            name = kind_name(path)
            page.goto(base + path.lstrip("/"), wait_until="networkidle")
            page.evaluate("document.fonts.ready")
            page.screenshot(path=str(out / f"{name}-{size}.png"))
            page.screenshot(path=str(out / f"{name}-{size}-full.png"), full_page=True)
            if w == 360 and page.evaluate("document.documentElement.scrollWidth > innerWidth"):
                sideways.append(path)
            # the menu opened on the first page it marks as the current one (else on the last page)
            if w == 360 and not menu_shot and page.locator("details.menu summary").count() and (
                    page.locator("details.menu a[aria-current]").count() or path == paths[-1]):
                page.locator("details.menu summary").click()
                page.screenshot(path=str(out / "menu-open-360.png"))
                menu_shot = True
        page.close()
    page = browser.new_page(viewport={"width": 800, "height": 1000})
    page.emulate_media(media="print")
    for path in paths:
        page.goto(base + path.lstrip("/"), wait_until="networkidle")
        page.screenshot(path=str(out / f"{kind_name(path)}-print.png"), full_page=True)
    page.close()
    return sideways


def card_link(browser, maker_url: str) -> str:
    """A link to a pact card, made the way a visitor makes one: the maker's form filled in (two
    names, a different major candidate each, the first two alternatives) and sent, and the link
    read from the card's "Link that opens this card" box."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(maker_url, wait_until="networkidle")
    page.wait_for_selector("#pact-make:enabled")
    for i, name in ((1, "Ana"), (2, "Ben")):
        page.fill(f"#n{i}", name)
        page.locator(f"input[name=m{i}]").nth(i - 1).check()
        page.select_option(f"#a{i}", index=i)  # index 0 is "Choose a candidate"
    page.click("#pact-make")
    page.wait_for_selector("#pact-result:not([hidden])")
    link = ""
    for _ in range(100):  # the link is filled in once the card's image is drawn, after the card shows
        link = page.input_value("#pact-link")
        if link:
            break
        page.wait_for_timeout(100)
    page.close()
    return link


def shoot_cards(browser, base: str, makers: list[str], out: Path) -> list[str]:
    """The page a shared card opens on, at both sizes (first screen and whole page), for each
    maker page in `makers` ('/pact/', '/es/pact/'); returns the names shot (card-en, card-es)."""
    shot = []
    for maker in makers:
        link = card_link(browser, base + maker.lstrip("/"))
        name = "card-" + (maker.strip("/").split("/")[0] if maker.count("/") > 2 else "en")
        for size, (w, h) in SIZES.items():
            page = browser.new_page(viewport={"width": w, "height": h})
            page.goto(link, wait_until="networkidle")  # the site was built for this server's address
            page.wait_for_selector("#pact-result:not([hidden])")
            page.evaluate("document.fonts.ready")
            page.screenshot(path=str(out / f"{name}-{size}.png"))
            page.screenshot(path=str(out / f"{name}-{size}-full.png"), full_page=True)
            page.close()
        shot.append(name)
    return shot


def shoot_map_in_grey(browser, base: str, path: str, out: Path) -> None:
    """The tile map and its legend, turned grey with Pillow (the page's policy forbids injected styles)."""
    from PIL import Image, ImageOps

    for size, (w, h) in SIZES.items():
        page = browser.new_page(viewport={"width": w, "height": h})
        page.goto(base + path.lstrip("/"), wait_until="networkidle")
        target = out / f"map-grey-{size}.png"
        page.locator(".tile-map").screenshot(path=str(target))
        ImageOps.grayscale(Image.open(target)).save(target)
        page.close()


def shoot_pdfs(site: Path, out: Path) -> int:
    pdfs = sorted(site.rglob("*.pdf"))
    for pdf in pdfs:
        stem = pdf.relative_to(site).as_posix().removesuffix(".pdf").replace("/", "-")
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(out / f"pdf-{stem}")], check=True)
    return len(pdfs)


def docs_images(out: Path, kinds: list[str], docs: Path) -> None:
    from PIL import Image

    docs.mkdir(parents=True, exist_ok=True)
    picks = {"home": "/", "states": "/states/", "candidates": "/candidates/", "essay": "/bernie-and-boom/",
             "state": next((k for k in kinds if k.startswith("/states/") and k.count("/") == 3), None),
             "candidate": next((k for k in kinds if k.startswith("/candidates/") and k.count("/") == 3), None)}
    shots = {f"{name}-{size}": f"{kind_name(path)}-{size}" for name, path in picks.items() if path
             for size in SIZES}
    shots.update({"menu-open-360": "menu-open-360", "map-grey-360": "map-grey-360",
                  "pact-360": "pact-360", "pact-1280": "pact-1280", "card-en-360": "card-en-360",
                  "card-en-1280": "card-en-1280", "card-es-360": "card-es-360"})
    for name, shot in shots.items():
        if not (out / f"{shot}.png").is_file():  # a site without a maker has no card to show
            continue
        image = Image.open(out / f"{shot}.png").convert("RGB")
        if image.width > 640:
            image = image.resize((image.width // 2, image.height // 2), Image.LANCZOS)
        image.quantize(64, dither=Image.Dither.NONE).save(docs / f"{name}.png", optimize=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "screenshots")
    parser.add_argument("--only", nargs="*", help="page paths to shoot instead of one of every kind")
    parser.add_argument("--docs", action="store_true", help="also write docs/img/ for docs/design.md")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--out", str(site),
                        "--base-url", f"http://127.0.0.1:{port}/"], check=True, cwd=REPO)
        kinds = args.only or page_kinds(site)
        with HostLikeServer(site, port=port) as host, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            sideways = shoot_pages(browser, host.url, kinds, args.out)
            makers = [f"/{d.relative_to(site).as_posix()}/" for d in sorted(site.glob("pact")) + sorted(site.glob("*/pact"))
                      if (d / "index.html").is_file() and 'id="pact-form"' in (d / "index.html").read_text(encoding="utf-8")]
            cards = shoot_cards(browser, host.url, makers, args.out)
            candidate = next((k for k in page_kinds(site) if k.startswith("/candidates/") and k.count("/") == 3), None)
            if candidate and not args.only:
                shoot_map_in_grey(browser, host.url, candidate, args.out)
            browser.close()
        # PDFs carry the site's address in print: shoot them from a build at the site's own base URL.
        published = Path(tmp) / "published"
        if not args.only:
            subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--out", str(published)],
                           check=True, cwd=REPO)
        printed = 0 if args.only else shoot_pdfs(published, args.out)
    if args.docs and not args.only:
        docs_images(args.out, kinds, REPO / "docs" / "img")
    print(f"{len(kinds)} kinds of page, {len(cards)} shared cards and {printed} PDFs shot into {args.out}")
    for path in sideways:
        print(f"{path} scrolls sideways at 360 px", file=sys.stderr)
    return 1 if sideways else 0


if __name__ == "__main__":
    if not shutil.which("pdftoppm"):
        sys.exit("scripts/screenshots.py needs pdftoppm (Debian: poppler-utils)")
    sys.exit(main())
