"""Quality gates over the built default site: valid, accessible, private, secure, light.

Each test fails listing every page and problem it found, not only the first.
"Every kind of page" is derived from the built files (static_host.page_kinds): home, essay, FAQ,
the overviews, a candidate, a guide, the pact card, a pairing share page, states, about, 404.
"""
from __future__ import annotations

import functools
import gzip
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from axe_playwright_python.base import AxeResults
from axe_playwright_python.sync_playwright import Axe

from browsing import RECORD_CSP_VIOLATIONS, check_404_page, visit
from static_host import (HostLikeServer, headers_for, html_files, page_kinds, parse_headers_file,
                         parse_policy, url_path)

REPO = Path(__file__).resolve().parent.parent
VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_WCAG_22_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
                  "resultTypes": ["violations"]}
AXE_SCRIPT = Axe().axe_script  # added to a page before it loads: a third faster than injecting it after each load
BUDGET_GZIPPED = 14 * 1024
MAX_BLOCKING_FILES = 3


# --- reading the built files --------------------------------------------------------------------

class PageParts(HTMLParser):
    """The parts of a page these checks look at."""

    def __init__(self):
        super().__init__()
        self.in_head = False
        self.stylesheets: list[tuple[str, str]] = []   # (href, media)
        self.head_scripts: list[dict] = []             # attributes of <script src> in <head>
        self.links: list[dict] = []                    # attributes of every <a href>
        self.meta_csp: list[str] = []
        self.canonical = ""

    def handle_starttag(self, tag, attrs):
        a = {k: v if v is not None else "" for k, v in attrs}
        rel = a.get("rel", "").lower().split()
        if tag == "head":
            self.in_head = True
        elif tag == "link" and "stylesheet" in rel and "alternate" not in rel and "disabled" not in a:
            self.stylesheets.append((a.get("href", ""), a.get("media", "all")))
        elif tag == "link" and "canonical" in rel:
            self.canonical = a.get("href", "")
        elif tag == "script" and self.in_head and "src" in a:
            self.head_scripts.append(a)
        elif tag == "a" and "href" in a:
            self.links.append(a)
        elif tag == "meta" and a.get("http-equiv", "").lower() == "content-security-policy":
            self.meta_csp.append(a.get("content", ""))

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False


@functools.cache  # the built files never change during a session; several checks read each one
def parts(file: Path) -> PageParts:
    p = PageParts()
    p.feed(file.read_text("utf-8"))
    return p


def own_file(root: Path, page_url: str, href: str) -> Path | None:
    """The built file an address points to, or None if it is on another host."""
    target = urlsplit(urljoin("http://site" + page_url, href))
    if target.netloc != "site":
        return None
    return root / target.path.lstrip("/")


def stylesheet_files(root: Path, page_url: str, css_href: str) -> list[Path]:
    """A stylesheet and, recursively, the stylesheets it @imports."""
    file = own_file(root, page_url, css_href)
    if file is None:
        return []
    found = [file]
    for imported in re.findall(r"""@import\s+(?:url\()?["']?([^"')\s;]+)""", file.read_text("utf-8")):
        found += stylesheet_files(root, "/" + file.relative_to(root).as_posix(), imported)
    return found


def run_axe(page, options: dict) -> AxeResults:
    """axe-core over the page as it stands (AXE_SCRIPT must have been added before it loaded)."""
    return AxeResults(page.evaluate("options => axe.run(document, options)", options))


@functools.cache  # a stylesheet is counted with every page that links it
def gzipped(file: Path) -> int:
    return len(gzip.compress(file.read_bytes(), compresslevel=9, mtime=0))


# --- the list of pages --------------------------------------------------------------------------

def test_every_kind_of_page_is_found(built_site):
    kinds = page_kinds(built_site)
    assert "/" in kinds and "/404.html" in kinds
    nested = [k for k in kinds if k.strip("/").count("/") >= 1]
    assert len(nested) >= 3, f"expected a candidate, a guide and a pairing page among {kinds}"
    assert len(kinds) >= 10, kinds


# --- valid --------------------------------------------------------------------------------------

def test_every_page_is_valid_html(built_site):
    """The Nu HTML Checker (vnu-jar, installed by `npm ci`) over every HTML file: no errors."""
    java = shutil.which("java")
    assert java and VNU.is_file(), "needs java and node_modules/vnu-jar: run scripts/test.sh"
    result = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--skip-non-html", "--format", "gnu",
                             str(built_site)], capture_output=True, text=True, timeout=300)
    errors = "\n".join(sorted((result.stdout + result.stderr).replace(f'"file:{built_site}/', '"').splitlines()))
    assert result.returncode == 0 and not errors, f"vnu found errors:\n{errors}"


# --- accessible ---------------------------------------------------------------------------------

@pytest.mark.parametrize("width", [1280, 360], ids=["desktop", "phone-360px"])
def test_no_wcag_22_aa_violation_on_any_kind_of_page(page, site_url, built_site, width):
    """axe-core (WCAG 2.0/2.1/2.2 A and AA rules, target size included) on every kind of page as loaded."""
    page.set_viewport_size({"width": width, "height": 800})
    page.add_init_script(AXE_SCRIPT)
    report = []
    for path in page_kinds(built_site):
        page.goto(site_url + path.lstrip("/"), wait_until="networkidle")  # scripts have run
        results = run_axe(page, AXE_WCAG_22_AA)
        if results.violations_count:
            report.append(f"--- {path} ({width}px)\n{results.generate_report()}")
    assert not report, "\n".join(report)


def test_no_page_scrolls_sideways_on_a_phone(page, site_url, built_site):
    """At 360 px nothing is wider than the screen, on every kind of page (tables and maps included),
    with the phone menu closed and open."""
    page.set_viewport_size({"width": 360, "height": 740})
    wide = []
    for path in page_kinds(built_site):
        page.goto(site_url + path.lstrip("/"), wait_until="networkidle")
        if page.locator("details.menu summary").count():
            page.locator("details.menu summary").click()
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            wide.append(f"{path}: {width} px wide")
    assert not wide, "\n".join(wide)


def test_the_sideways_check_sees_a_wide_page(page, tmp_path, serve_dir):
    (tmp_path / "index.html").write_text('<!DOCTYPE html><html lang="en"><title>t</title>'
                                         '<meta name="viewport" content="width=device-width"><div style="width:500px">x</div>')
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(serve_dir(tmp_path))
    assert page.evaluate("document.documentElement.scrollWidth") > 360


def test_phone_menu_opens_without_javascript(browser, site_url):
    """The menu is a disclosure: with scripts off, a tap opens it and its links show."""
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(site_url)
    link = page.locator("details.menu a").first
    assert not link.is_visible()
    page.locator("details.menu summary").click()
    assert link.is_visible()
    assert not page.locator(".menu-wide").is_visible()
    context.close()


def test_map_tiles_are_links_a_keyboard_reaches(page, site_url, built_site):
    """On a candidate's page each map tile is a link to its state's page, reached with Tab, with a
    visible focus style (the tile's outline changes)."""
    candidate = next(k for k in page_kinds(built_site) if k.startswith("/candidates/") and k.count("/") == 3)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(site_url + candidate.lstrip("/"))
    tiles = page.locator("a.tile")
    assert tiles.count() >= 50
    first = tiles.first
    before = first.locator("rect").evaluate("r => getComputedStyle(r).stroke + getComputedStyle(r).strokeWidth")
    for _ in range(400):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('tile')"):
            break
    else:
        pytest.fail("Tab never reached a map tile")
    focused = page.evaluate("document.activeElement.querySelector('rect') && "
                            "getComputedStyle(document.activeElement.querySelector('rect')).stroke + "
                            "getComputedStyle(document.activeElement.querySelector('rect')).strokeWidth")
    assert focused != before
    href = page.evaluate("document.activeElement.getAttribute('href')")
    page.keyboard.press("Enter")
    page.wait_for_url("**" + href)
    assert page.locator("h1").inner_text()


def test_axe_sees_violations(page, tmp_path, serve_dir):
    """The check above can fail: a page without a language and an image without alt text."""
    (tmp_path / "index.html").write_text('<!DOCTYPE html><title>t</title><img src="data:,">')
    page.add_init_script(AXE_SCRIPT)
    page.goto(serve_dir(tmp_path))
    rules = {v["id"] for v in run_axe(page, AXE_WCAG_22_AA).response["violations"]}
    assert {"html-has-lang", "image-alt"} <= rules, rules


# --- private ------------------------------------------------------------------------------------

def test_no_page_requests_anything_from_another_host(browser, site_url, built_site):
    """Every request Chromium makes while loading every kind of page goes to the local server.
    The policy is bypassed here, so that this holds by itself and not only because the CSP
    would block a request to another host."""
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    leaks, failures, count = [], [], 0
    for path in page_kinds(built_site):
        seen = visit(page, site_url + path.lstrip("/"))
        count += len(seen.requests)
        leaks += [f"{path}: {u}" for u in seen.other_hosts(site_url)]
        failures += [f"{path}: {f}" for f in seen.failed]
    context.close()
    assert count >= len(page_kinds(built_site)), "the request recorder saw nothing"
    assert not leaks, "requests to other hosts:\n" + "\n".join(leaks)
    assert not failures, "failed requests:\n" + "\n".join(failures)


def test_the_request_recorder_sees_other_hosts(browser, tmp_path, serve_dir, built_site):
    """The check above can fail: a page with the site's policy that loads an image from another
    host is caught."""
    meta = (built_site / "index.html").read_text("utf-8").split("\n")
    csp = next(line for line in meta if 'http-equiv="Content-Security-Policy"' in line)
    (tmp_path / "index.html").write_text(f'<!DOCTYPE html>{csp}<title>t</title>'
                                         '<img alt="" src="http://example.invalid/x.png">')
    base = serve_dir(tmp_path)
    context = browser.new_context(bypass_csp=True)
    seen = visit(context.new_page(), base)
    context.close()
    assert seen.other_hosts(base) == ["http://example.invalid/x.png"]


# --- light --------------------------------------------------------------------------------------

def test_each_page_and_its_css_fit_in_14_kb_gzipped(built_site):
    """For every HTML file: gzip -9 of the HTML plus gzip -9 of each stylesheet it links (and
    what those @import), each compressed on its own as a server sends them, summed, is at most
    14 KB (14,336 bytes), so a page can render after one round trip on a new connection."""
    over = []
    for file in html_files(built_site):
        url = url_path(built_site, file)
        css = [f for href, _ in parts(file).stylesheets for f in stylesheet_files(built_site, url, href)]
        missing = [f for f in css if not f.is_file()]
        assert not missing, f"{url} links stylesheets that were not built: {missing}"
        total = gzipped(file) + sum(gzipped(f) for f in dict.fromkeys(css))
        if total > BUDGET_GZIPPED:
            over.append(f"{url}: {total} bytes gzipped (HTML {gzipped(file)} + CSS {total - gzipped(file)})")
    assert not over, f"over the budget ({BUDGET_GZIPPED} bytes):\n" + "\n".join(over)


def test_no_page_loads_more_than_3_of_its_own_files_before_first_render(built_site):
    """Render-blocking files of the site's own, counted from the built HTML:
    1 for the HTML document itself,
    + every <link rel="stylesheet"> anywhere in the page whose media is not "print"
      (Chromium holds rendering for those), and every stylesheet those @import,
    + every <script src> in <head> that is classic and synchronous (no async, no defer,
      type is not "module"),
    counting only files on the site's own host (other hosts are forbidden by the tests above)."""
    over = []
    for file in html_files(built_site):
        url = url_path(built_site, file)
        page = parts(file)
        css = [f for href, media in page.stylesheets if media.strip().lower() != "print"
               for f in stylesheet_files(built_site, url, href)]
        scripts = [s for s in page.head_scripts if "async" not in s and "defer" not in s
                   and s.get("type", "").lower() != "module" and own_file(built_site, url, s["src"])]
        blocking = 1 + len(css) + len(scripts)
        if blocking > MAX_BLOCKING_FILES:
            names = [f.name for f in css] + [s["src"] for s in scripts]
            over.append(f"{url}: {blocking} render-blocking files (HTML + {', '.join(names)})")
    assert not over, "\n".join(over)


# --- secure -------------------------------------------------------------------------------------

def site_headers(root: Path) -> dict[str, str]:
    """The headers `_headers` gives a page at the site's root."""
    headers_file = root / "_headers"
    assert headers_file.is_file(), "the build wrote no _headers file"
    home = urlsplit(parts(root / "index.html").canonical).path or "/"
    return headers_for(parse_headers_file(headers_file.read_text("utf-8")), home)


def test_headers_file_sets_a_strict_policy(built_site):
    headers = site_headers(built_site)
    for name in ("Content-Security-Policy", "Referrer-Policy", "Permissions-Policy", "X-Content-Type-Options"):
        assert headers.get(name), f"_headers sets no {name} for the pages"
    policy = parse_policy(headers["Content-Security-Policy"])
    text = headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in text and "'unsafe-eval'" not in text and "'unsafe-hashes'" not in text
    assert policy.get("default-src") == "'self'"
    assert policy.get("object-src") == "'none'"
    assert policy.get("base-uri") == "'none'"
    assert policy.get("frame-ancestors") == "'none'"
    for directive in ("script-src", "style-src"):
        sources = policy.get(directive, policy["default-src"]).split()
        assert not {"*", "data:", "blob:", "http:", "https:"} & set(sources), f"{directive} is too open: {sources}"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] in ("no-referrer", "same-origin", "strict-origin",
                                          "strict-origin-when-cross-origin")


def test_every_page_carries_the_policy_as_a_meta_tag(built_site):
    """For hosts that cannot send headers: the same policy, without frame-ancestors (which only
    works as a header)."""
    header_policy = parse_policy(site_headers(built_site)["Content-Security-Policy"])
    header_policy.pop("frame-ancestors")
    wrong = []
    for file in html_files(built_site):
        metas = parts(file).meta_csp
        if len(metas) != 1 or parse_policy(metas[0]) != header_policy:
            wrong.append(f"{url_path(built_site, file)}: {metas}")
    assert not wrong, f"meta CSP differs from {header_policy}:\n" + "\n".join(wrong)


@pytest.fixture(scope="module")
def host_url(built_site):
    """The built site on a server that sends the `_headers` headers, as Netlify would."""
    with HostLikeServer(built_site) as server:
        yield server.url


def test_no_page_breaks_the_policy_when_it_is_enforced(page, host_url, built_site):
    """The CSP arrives as a real header; loading every kind of page gives no violation event
    and no CSP message in the console."""
    page.add_init_script(RECORD_CSP_VIOLATIONS)
    response = page.request.get(host_url)
    assert "frame-ancestors" in response.headers.get("content-security-policy", ""), "header not sent"
    violations = []
    for path in page_kinds(built_site):
        seen = visit(page, host_url + path.lstrip("/"))
        violations += [f"{path}: {v}" for v in seen.csp_events + seen.console_csp + seen.page_errors]
    assert not violations, "\n".join(violations)


def test_the_policy_check_sees_violations(page, tmp_path, built_site):
    """The check above can fail: an inline script and an inline style are reported."""
    (tmp_path / "_headers").write_bytes((built_site / "_headers").read_bytes())
    (tmp_path / "index.html").write_text('<!DOCTYPE html><title>t</title><p style="color:red">x</p>'
                                         '<script>document.title = "ran"</script>')
    page.add_init_script(RECORD_CSP_VIOLATIONS)
    with HostLikeServer(tmp_path) as server:
        seen = visit(page, server.url)
    assert len(seen.csp_events) == 2, seen.csp_events
    assert seen.console_csp
    assert page.title() == "t"


def test_links_to_other_hosts_carry_rel_noopener(built_site):
    own_host = urlsplit(parts(built_site / "index.html").canonical).netloc
    unsafe = []
    for file in html_files(built_site):
        for a in parts(file).links:
            target = urlsplit(a["href"])
            if target.scheme in ("http", "https", "") and target.netloc and target.netloc != own_host:
                if "noopener" not in a.get("rel", "").lower().split():
                    unsafe.append(f"{url_path(built_site, file)}: {a['href']} rel={a.get('rel')!r}")
    assert not unsafe, "\n".join(unsafe)


# --- hosting: 404 -------------------------------------------------------------------------------

def test_404_page_works_from_any_depth(page, host_url):
    """A missing address deep in the site gets the 404 page, with status 404, its stylesheet,
    and links that lead to real pages."""
    problems = check_404_page(page, host_url, "a/b/c/missing") + check_404_page(page, host_url, "faq/missing/")
    assert not problems, "\n".join(problems)
