"""Loading pages of a built site in Chromium and recording what each one did.

Shared by tests/test_quality.py and tests/test_hosting.py.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

# Installed before any page script runs; collects every CSP violation the page reports.
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'}`
                              + ` at ${e.sourceFile || document.URL}:${e.lineNumber}`);
}, true);
"""

IMAGES_SETTLED = """() => [...document.images].every(img => img.complete
                                                   || (img.loading === 'lazy' && !img.getClientRects().length))"""


@dataclass
class Visit:
    """What loading one address did."""
    url: str
    status: int | None = None
    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)      # "STATUS URL" or "failed URL: reason"
    console_csp: list[str] = field(default_factory=list)
    csp_events: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def other_hosts(self, origin: str) -> list[str]:
        """Requests that went anywhere but `origin` (data: and blob: stay in the page)."""
        return [u for u in self.requests if not u.startswith(origin) and urlsplit(u).scheme not in ("data", "blob")]


def visit(page, url: str, expect_status: int = 200) -> Visit:
    """Load `url` in `page` (which must have RECORD_CSP_VIOLATIONS as an init script for
    csp_events), wait until the network is quiet, scroll to the end (so lazy things start),
    and report every request, failure and CSP report."""
    seen = Visit(url)

    def on_response(response):
        if response.status >= 400 and not (response.url == url and response.status == expect_status):
            seen.failed.append(f"{response.status} {response.url}")

    handlers = {
        "request": lambda r: seen.requests.append(r.url),
        "requestfailed": lambda r: seen.failed.append(f"failed {r.url}: {r.failure}"),
        "response": on_response,
        "console": lambda m: "Content Security Policy" in m.text and seen.console_csp.append(m.text),
        "pageerror": lambda e: seen.page_errors.append(str(e)),
    }
    for event, handler in handlers.items():
        page.on(event, handler)
    try:
        response = page.goto(url, wait_until="networkidle")
        seen.status = response.status if response else None
        # Lazy images start when scrolled into view: wait until every image shown has loaded or
        # failed (so its request was made and recorded); one never shown is never requested.
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        page.wait_for_function(IMAGES_SETTLED, timeout=10_000)
        seen.csp_events = page.evaluate("window.__cspViolations || []")
    finally:
        for event, handler in handlers.items():
            page.remove_listener(event, handler)
    return seen


def check_404_page(page, site_base: str, missing: str) -> list[str]:
    """Load a missing address deep under `site_base` and return what is wrong with the 404 page
    that comes back: status, styles, its links and everything it loads."""
    problems = []
    seen = visit(page, site_base + missing, expect_status=404)
    origin = "{0.scheme}://{0.netloc}/".format(urlsplit(site_base))
    if seen.status != 404:
        problems.append(f"{missing}: status {seen.status}, expected 404")
    problems += [f"{missing}: {f}" for f in seen.failed]
    problems += [f"{missing}: request to another host {u}" for u in seen.other_hosts(origin)]
    styled = page.evaluate("""() => document.styleSheets.length > 0 &&
        [...document.styleSheets].every(s => s.cssRules.length > 0)""")
    if not styled:
        problems.append(f"{missing}: the stylesheet did not load")
    links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    here = page.url.split("#")[0]
    internal = sorted({link.split("#")[0] for link in links if link.startswith(origin)} - {here})
    if not internal:
        problems.append(f"{missing}: the 404 page has no link into the site")
    for link in internal:
        status = page.request.get(link).status
        if status != 200 or not link.startswith(site_base):
            problems.append(f"{missing}: link {link} gives {status}")
    return problems
