"""Share links on every page: plain links that open a prefilled post, no third-party script, and
copy-link and share-sheet buttons that appear only where JavaScript can do what they offer."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

BASE = "https://votepact.org/"
SERVICES = {  # link text: (host and path of the share address, the query key holding the page's address)
    "X": ("x.com/intent/post", "url"),
    "Facebook": ("www.facebook.com/sharer/sharer.php", "u"),
    "Reddit": ("www.reddit.com/submit", "url"),
    "Bluesky": ("bsky.app/intent/compose", "text"),
    "WhatsApp": ("wa.me/", "text"),
}


class _Share(HTMLParser):
    """The links of the page's share box, the canonical address and every script."""

    def __init__(self):
        super().__init__()
        self.links: dict[str, str] = {}
        self.scripts: list[dict] = []
        self.canonical = ""
        self.title = ""
        self._depth, self._href, self._text = 0, None, []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section" and "share" in (a.get("class") or "").split():
            self._depth = 1
        elif self._depth and tag == "section":
            self._depth += 1
        if tag == "link" and a.get("rel") == "canonical":
            self.canonical = a["href"]
        if tag == "meta" and a.get("property") == "og:title":
            self.title = a["content"]
        if tag == "script":
            self.scripts.append(a)
        if self._depth and tag == "a":
            self._href, self._text = a.get("href"), []

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links["".join(self._text).strip()] = self._href
            self._href = None
        if tag == "section" and self._depth:
            self._depth -= 1


def share_parts(file: Path) -> _Share:
    parser = _Share()
    parser.feed(file.read_text("utf-8"))
    return parser


def pages(root: Path) -> list[Path]:
    return sorted(root.rglob("*.html"))


def test_every_page_has_prefilled_share_links_for_every_service(built_site):
    for file in pages(built_site):
        text = file.read_text("utf-8")
        # a missing page offers nothing to share (issue 13); a pairing page holds a card meant for one's partner alone
        if file.name == "404.html" or 'class="page pairing"' in text:
            assert 'class="share"' not in text and "x.com/intent" not in text, file
            continue
        share = share_parts(file)
        where = file.relative_to(built_site).as_posix()
        assert share.canonical.startswith(BASE), where
        for name, (address, key) in SERVICES.items():
            href = share.links.get(name)
            assert href, f"{where}: no {name} link"
            parts = urlsplit(href)
            assert parts.scheme == "https" and (parts.netloc + parts.path).startswith(address), f"{where}: {href}"
            value = parse_qs(parts.query)[key][0]
            assert share.canonical in value, f"{where}: {name} does not share {share.canonical}"
        if "text" in parse_qs(urlsplit(share.links["X"]).query):
            assert share.title in parse_qs(urlsplit(share.links["X"]).query)["text"][0], where
        mail = urlsplit(next(h for h in share.links.values() if h.startswith("mailto:")))  # its words follow the language
        assert mail.scheme == "mailto"
        fields = parse_qs(mail.query)
        assert fields["subject"][0] == share.title and share.canonical in fields["body"][0], where


def test_share_texts_carry_the_sites_hashtags(built_site):
    x = urlsplit(share_parts(built_site / "faq" / "index.html").links["X"])
    assert "#VotePact" in parse_qs(x.query)["text"][0]


def test_no_page_loads_a_script_from_another_host(built_site):
    for file in pages(built_site):
        for script in share_parts(file).scripts:
            if script.get("type") == "application/json":
                continue  # data for a script, never run
            src = script.get("src", "")
            assert src and not re.match(r"(https?:)?//", src), f"{file}: script {src or '(inline)'}"


def test_every_page_with_share_links_loads_the_share_script_as_a_module(built_site):
    for file in pages(built_site):
        scripts = [s["src"] for s in share_parts(file).scripts if s.get("type") == "module"]
        loads = any(re.search(r"/static/js/share\.[0-9a-f]+\.js$", s) for s in scripts)
        assert loads == ('<section class="share"' in file.read_text("utf-8")), file


# --- In the browser -------------------------------------------------------------------------------

@pytest.fixture()
def no_js_page(browser):
    context = browser.new_context(java_script_enabled=False)
    yield context.new_page()
    context.close()


def test_without_javascript_only_the_plain_links_show(no_js_page, site_url):
    no_js_page.goto(site_url + "faq/")
    assert no_js_page.is_visible(".share a:text-is('WhatsApp')")
    assert no_js_page.is_hidden(".share-copy") and no_js_page.is_hidden(".share-native")


def test_copy_link_copies_the_pages_address(browser, site_url):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    try:
        page.goto(site_url + "guides/keeping-the-pact/")
        assert page.is_visible(".share-copy")
        page.click(".share-copy")
        # expect() polls from outside the page: the site's policy forbids the eval wait_for_function uses
        expect(page.locator(".share-status")).to_have_text("Link copied")
        assert page.evaluate("navigator.clipboard.readText()") == BASE + "guides/keeping-the-pact/"
    finally:
        context.close()


def test_the_share_sheet_button_appears_only_with_the_web_share_api(browser, site_url):
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(site_url + "faq/")
        if page.evaluate("typeof navigator.share") != "function":
            assert page.is_hidden(".share-native")
        page.add_init_script("navigator.share = async (data) => { document.documentElement.dataset.shared = JSON.stringify(data); };")
        page.goto(site_url + "candidates/stein/")
        assert page.is_visible(".share-native")
        page.click(".share-native")
        expect(page.locator("html")).to_have_attribute("data-shared", re.compile(".+"))
        shared = json.loads(page.get_attribute("html", "data-shared"))
        assert shared["url"] == BASE + "candidates/stein/"
        assert "Jill Stein" in shared["title"]
    finally:
        context.close()


def test_a_cancelled_share_sheet_says_nothing(browser, site_url):
    context = browser.new_context()
    page = context.new_page()
    try:
        page.add_init_script("navigator.share = async () => { throw new DOMException('no', 'AbortError'); };")
        page.goto(site_url + "faq/")
        page.click(".share-native")
        page.wait_for_timeout(100)
        assert page.inner_text(".share-status") == ""
    finally:
        context.close()
