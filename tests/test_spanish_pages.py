"""Every Spanish page of the default site, not one per kind: axe (WCAG 2.2 AA) at a phone's
and a desktop's width, and hreflang pairs complete and reciprocal across the whole site and
its sitemap.

The Nu HTML Checker already reads every HTML file of the built site, /es/ included, in
test_quality.test_every_page_is_valid_html (one vnu call over the whole folder), and
test_cli checks every link of the default build; neither is repeated here.
"""
from __future__ import annotations

import re
import time
from pathlib import Path

from axe_playwright_python.base import AxeResults
from axe_playwright_python.sync_playwright import Axe

from static_host import html_files, url_path
from test_quality import AXE_WCAG_22_AA

SPANISH = "es/"
AXE_AT_360 = {**AXE_WCAG_22_AA, "rules": {"color-contrast": {"enabled": False}}}


def spanish_pages(root: Path) -> list[str]:
    return [url_path(root, f) for f in html_files(root / SPANISH.rstrip("/"))]


def test_there_are_spanish_pages_of_every_section(built_site):
    found = spanish_pages(built_site)
    for expected in ("/es/", "/es/faq/", "/es/pact/", "/es/guides/", "/es/candidates/", "/es/states/",
                     "/es/about/", "/es/404.html"):
        assert expected in found, expected
    assert len(found) >= 80, len(found)


def test_no_wcag_22_aa_violation_on_any_spanish_page(browser, site_url, built_site):
    """axe-core (WCAG 2.0 to 2.2, A and AA) on every /es/ page, at 1280 px and then at 360 px
    (the same loaded page, resized, as a window narrowed would show it), in one browser page.

    At 360 px every rule runs but colour contrast, which takes three fifths of axe's time and
    depends on the stylesheet's colours per kind of page (the same in both languages) rather
    than on a page's words: it runs on every page at 1280 px, and at 360 px on one page of each
    kind (eight of them Spanish) in test_quality.test_no_wcag_22_aa_violation_on_any_kind_of_page.
    With the split this test took 99 s on this machine under load (load average 10), 126 s
    without."""
    axe = Axe()
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script(axe.axe_script)  # in every page before it loads: a third faster than injecting after
    page = context.new_page()
    report, runs, started = [], 0, time.monotonic()
    for path in spanish_pages(built_site):
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(site_url + path.lstrip("/"), wait_until="load")  # module scripts have run by then
        assert page.evaluate("document.documentElement.lang") == "es-US", path
        for width, options in ((1280, AXE_WCAG_22_AA), (360, AXE_AT_360)):
            page.set_viewport_size({"width": width, "height": 800})
            results = AxeResults(page.evaluate("options => axe.run(document, options)", options))
            runs += 1
            if results.violations_count:
                report.append(f"--- {path} ({width}px)\n{results.generate_report()}")
    context.close()
    print(f"axe: {runs} runs in {time.monotonic() - started:.1f} s")
    assert runs >= 160
    assert not report, "\n".join(report)


ALTERNATE = re.compile(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">')


def test_hreflang_pairs_are_complete_and_reciprocal_on_every_page(built_site):
    """Every page of the default site is in both languages, so every page names itself and its
    translation, plus x-default (the English page), and the page it names names the same set
    back; each sitemap entry gives the same alternates as its page."""
    base = re.search(r'<link rel="canonical" href="([^"]+?)/?"', (built_site / "index.html").read_text("utf-8")).group(1)
    links = {}
    for file in html_files(built_site):
        found = dict(ALTERNATE.findall(file.read_text("utf-8")))
        links[url_path(built_site, file)] = {lang: href.removeprefix(base) for lang, href in found.items()}
    problems = []
    for url, found in links.items():
        if set(found) != {"en", "es-US", "x-default"}:
            problems.append(f"{url}: hreflang {sorted(found)}")
            continue
        if found["x-default"] != found["en"] or url not in (found["en"], found["es-US"]):
            problems.append(f"{url}: {found}")
        for target in (found["en"], found["es-US"]):
            if links.get(target) != found:
                problems.append(f"{url} names {target}, which names {links.get(target)}")
    assert not problems, "\n".join(problems)
    assert len(links) >= 180, len(links)
    sitemap = (built_site / "sitemap.xml").read_text("utf-8")
    entries = re.findall(r"<url>(.*?)</url>", sitemap, re.S)
    assert len(entries) >= 100, len(entries)
    for entry in entries:
        loc = re.search(r"<loc>([^<]+)</loc>", entry).group(1).removeprefix(base)
        alternates = dict(re.findall(r'<xhtml:link rel="alternate" hreflang="([^"]+)" href="([^"]+)"/>', entry))
        assert {k: v.removeprefix(base) for k, v in alternates.items()} == links[loc], loc
