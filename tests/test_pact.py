"""The pact card maker and the pairing share pages, in a real Chromium.

Everything a visitor does here is done by keyboard where it matters; every test also checks that
the page ran no injected code, logged no error and asked no host but 127.0.0.1 for anything.
"""
from __future__ import annotations

import io
import json
import re
from datetime import date, timedelta
from urllib.parse import quote, unquote, urlsplit

import pytest
from PIL import Image
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from votepact.build import BuildOptions, build
from votepact.data import load_data
from votepact.errors import Report

from conftest import REPO

XSS = ['<img src=x onerror=alert(1)>', '"><svg onload=alert(1)>', "javascript:alert(1)",
       "<script>alert(1)</script>", "%E0%A4%A", "%"]
CARD = "#pact-card"
PREVIEW = ".pc-live"  # the card as the form stands, made by pact.js beside or under the form


@pytest.fixture(scope="module")
def election():
    return load_data(REPO, Report()).election


@pytest.fixture()
def watched(page, context):
    """Fails the test on a dialog, a console error, an uncaught exception, a cookie, stored data,
    or a request to any host but 127.0.0.1."""
    seen = {"dialogs": [], "errors": [], "hosts": set()}

    def dialog(d):
        seen["dialogs"].append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    page.on("console", lambda msg: msg.type == "error" and seen["errors"].append(msg.text))
    page.on("pageerror", lambda exc: seen["errors"].append(str(exc)))
    context.on("request", lambda req: urlsplit(req.url).scheme in ("http", "https", "ws", "wss")
               and seen["hosts"].add(urlsplit(req.url).hostname))
    yield seen
    assert seen["dialogs"] == [], "a script ran: " + repr(seen["dialogs"])
    assert seen["errors"] == []
    assert seen["hosts"] <= {"127.0.0.1"}, seen["hosts"]
    assert context.cookies() == []
    for p in context.pages:
        if not p.is_closed() and p.url.startswith("http"):
            assert p.evaluate("localStorage.length + sessionStorage.length") == 0


def open_maker(page, site_url, lang=""):
    """The maker, with its form and the live preview of the card in place."""
    page.goto(site_url + lang + "pact/")
    page.wait_for_selector("#pact-form", state="visible")
    page.wait_for_selector(PREVIEW, state="attached")  # on a phone it shows from the first entry on


def focused(page) -> str:
    return page.evaluate("document.activeElement.id")


def tab_to(page, element_id, limit=80):
    """Press Tab until the element has focus, as a keyboard user would."""
    for _ in range(limit):
        if focused(page) == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached #{element_id}")


def fill_by_keyboard(page, i, name, state_name, major, alternative_text, write_in=""):
    """Everything for partner i, by keyboard: type-ahead picks options, arrows and Space pick radios."""
    tab_to(page, f"n{i}")
    page.keyboard.type(name)
    page.keyboard.press("Tab")
    assert focused(page) == f"s{i}"
    page.keyboard.type(state_name)
    page.keyboard.press("Tab")
    for _ in range(3):
        if focused(page) == f"m{i}-{major}":
            break
        page.keyboard.press("ArrowDown")
    assert focused(page) == f"m{i}-{major}"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert focused(page) == f"a{i}"
    page.keyboard.type(alternative_text)
    if write_in:
        page.keyboard.press("Tab")
        assert focused(page) == f"w{i}"
        page.keyboard.type(write_in)


def fill(page, p1, p2):
    """Fill the form with the mouse-free fill API (for tests not about the keyboard)."""
    for i, x in ((1, p1), (2, p2)):
        page.fill(f"#n{i}", x.get("n", ""))
        page.select_option(f"#s{i}", x.get("s", ""))
        page.check(f"#m{i}-{x['m']}")
        page.select_option(f"#a{i}", x["a"])
        if x["a"] == "_write-in":
            page.fill(f"#w{i}", x.get("w", ""))


def make(page):
    """Click "Make the card" and wait for the PNG images. (The page's CSP forbids wait_for_function.)"""
    made = int(page.get_attribute("#pact-result", "data-ready") or 0) + 1
    page.click("#pact-make")
    page.wait_for_selector(f"#pact-result[data-ready='{made}']")


def more_tools(page):
    """Open "More: a square image, a reminder, the link and a text" under the card's three main actions."""
    if page.get_attribute("#pact-tools", "open") is None:
        page.click("#pact-tools > summary")


def in_view(page, selector) -> bool:
    return page.eval_on_selector(selector, """e => { const r = e.getBoundingClientRect();
        return r.top >= -1 && r.bottom <= innerHeight + 1; }""")


def card_text(page) -> str:
    return page.inner_text(CARD)


def injected(page) -> int:
    """Elements that could run or load something, leaving out the site's own mark on each card."""
    return page.evaluate("document.querySelectorAll('img:not(.pc-logo), svg, script, iframe, object, embed').length")


def image_of(download) -> Image.Image:
    return Image.open(io.BytesIO(open(download.path(), "rb").read()))


def colours(img: Image.Image) -> int:
    return len(img.convert("RGB").getcolors(maxcolors=1 << 20))


def unfold(ics: str) -> list[str]:
    """RFC 5545 lines: CRLF endings, folded lines joined."""
    assert "\n" not in ics.replace("\r\n", ""), "every line must end with CRLF"
    return [line for line in re.sub(r"\r\n[ \t]", "", ics).split("\r\n") if line]


def ics_properties(ics: str) -> list[tuple[str, str, str]]:
    props = []
    for line in unfold(ics):
        head, _, value = line.partition(":")
        name, _, params = head.partition(";")
        props.append((name, params, value))
    return props


def ics_text(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


PACT_1 = {"n": "José", "s": "GA", "m": "clinton", "a": "mcmullin"}
PACT_2 = {"n": "李 🎉", "s": "VT", "m": "trump", "a": "_write-in", "w": "Bernie Sanders"}


# ---- the whole flow, by keyboard alone


def test_whole_flow_by_keyboard(page, context, site_url, watched, election, tmp_path):
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    open_maker(page, site_url)
    page.set_viewport_size({"width": 360, "height": 740})

    fill_by_keyboard(page, 1, "José", "Georgia", "clinton", "Evan")
    assert page.is_checked("#m1-clinton")
    assert page.is_checked("#m2-trump"), "the other partner is offered the other major candidate"
    fill_by_keyboard(page, 2, "Nguyễn 🎉", "Vermont", "trump", "Someone", write_in="Bernie Sanders")
    assert page.input_value("#s1") == "GA" and page.input_value("#a1") == "mcmullin"
    assert page.input_value("#s2") == "VT" and page.input_value("#a2") == "_write-in"
    tab_to(page, "pact-make")

    # before the card is made: how each vote fares, in words and not by colour alone
    note1, note2 = page.inner_text("#note1"), page.inner_text("#note2")
    assert "Counts with care:" in note1 and "Evan McMullin is not printed on Georgia’s ballot" in note1
    assert "Counts:" in note2 and "Vermont counts write-in votes for president for anyone" in note2
    assert "Bernie Sanders" in note2
    assert page.is_hidden("#anyway-field"), "nothing here needs 'make it anyway'"
    expect(page.locator("#pact-live")).to_contain_text("Vermont")

    page.keyboard.press("Enter")
    page.wait_for_selector("#pact-result[data-ready]")
    assert focused(page) == "card-heading"
    assert page.evaluate("document.activeElement.matches(':focus-visible')"), "a keyboard user sees the focus ring"
    assert in_view(page, "#card-heading")
    text = card_text(page)
    for expected in ("José", "Nguyễn 🎉", "Georgia", "Vermont", "Hillary Clinton", "Donald Trump",
                     "Evan McMullin", "Bernie Sanders", election.name, "November 8, 2016", "votepact.org"):
        assert expected in text

    tab_to(page, "pact-png")
    with page.expect_download() as wide:
        page.keyboard.press("Enter")
    img = image_of(wide.value)
    assert img.size == (1200, 630) and colours(img) > 200
    assert wide.value.suggested_filename.endswith(".png")
    tab_to(page, "pact-copy-link")
    page.keyboard.press("Enter")
    expect(page.locator("#pact-said")).to_contain_text("copied")
    link = page.evaluate("navigator.clipboard.readText()")
    for _ in range(10):  # on to the folded tools: Enter on their summary opens them
        if page.evaluate("document.activeElement.tagName") == "SUMMARY":
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    tab_to(page, "pact-square")
    with page.expect_download() as square:
        page.keyboard.press("Enter")
    img = image_of(square.value)
    assert img.size == (1080, 1080) and colours(img) > 200
    assert link == page.input_value("#pact-link")
    assert link.startswith(site_url + "pact/#v1&"), "a write-in pact links to the pact page itself"
    assert "Jos" not in urlsplit(link).path and "Bernie" not in link.split("#")[0]

    other = context.new_page()
    other.set_viewport_size({"width": 360, "height": 740})  # the card as the partner's phone shows it
    other.goto(link)
    other.wait_for_selector("#pact-result[data-ready]")
    assert card_text(other) == text
    assert other.is_hidden("#pact-form")
    assert other.inner_text("h1") == "The vote pact of José and Nguyễn 🎉"
    assert other.title().startswith("The vote pact of José and Nguyễn 🎉")
    other.click("#pact-own a")
    other.wait_for_selector("#pact-form", state="visible")
    assert other.is_hidden("#pact-result") and other.input_value("#n1") == ""
    other.close()


def test_copy_link_without_clipboard_selects_the_link(page, site_url, watched):
    open_maker(page, site_url)
    fill(page, PACT_1, {"m": "trump", "a": "stein"})
    make(page)
    page.evaluate("Object.defineProperty(navigator, 'clipboard', {value: undefined})")
    page.click("#pact-copy-link")
    assert focused(page) == "pact-link"
    assert page.evaluate("getSelection().toString() || document.activeElement.selectionEnd") != 0
    expect(page.locator("#pact-said")).to_contain_text("Selected")


def test_pairing_link_and_share_page(page, site_url, watched, election):
    open_maker(page, site_url)
    fill(page, {"m": "clinton", "a": "stein"}, {"m": "trump", "a": "johnson", "n": "Sam"})
    make(page)
    link = page.input_value("#pact-link")
    assert urlsplit(link).path == "/pact/johnson-stein/", "the link points at the pairing's share page"
    text = card_text(page)
    page.goto(link)
    page.wait_for_selector("#pact-result[data-ready]")
    assert card_text(page) == text
    assert "Partner 1" in text and "Sam" in text
    assert page.title() == "A vote pact made by Sam · VotePact"
    assert page.inner_text("h1") == "A vote pact made by Sam"


# ---- errors in the form


def test_errors_are_explained_and_focused(page, site_url, watched):
    open_maker(page, site_url)
    page.click("#pact-make")
    assert focused(page) == "pact-errors"
    summary = page.inner_text("#pact-errors")
    assert "Partner 1: choose who you would otherwise vote for." in summary
    assert "Partner 2: choose who you will vote for instead." in summary
    assert page.get_attribute("#a1", "aria-invalid") == "true"
    assert "a1-error" in page.get_attribute("#a1", "aria-describedby")
    assert page.is_visible("#a1-error")
    assert page.is_hidden("#pact-result")

    # the summary's links move focus to the field
    page.click("#pact-errors a[href='#a1']")
    assert focused(page) == "a1"

    fill(page, {"m": "trump", "a": "stein"}, {"m": "trump", "a": "johnson"})
    page.click("#pact-make")
    error = page.inner_text("#m2-error")
    assert "one of each" in error and "Hillary Clinton" in error and "Donald Trump" in error
    assert "m2-error" in page.get_attribute("#m2-group", "aria-describedby")
    assert page.is_hidden("#pact-result")

    page.select_option("#a2", "_write-in")
    page.check("#m2-clinton")
    page.fill("#n1", "x" * 41)
    page.click("#pact-make")
    assert "at most 40 characters" in page.inner_text("#n1-error")
    assert "write the name you will write in" in page.inner_text("#w2-error")


def test_forty_characters_count_as_people_see_them(page, site_url, watched):
    open_maker(page, site_url)
    family = "👨‍👩‍👧‍👦"  # one character on screen, eleven UTF-16 code units
    fill(page, {"n": family * 40, "m": "clinton", "a": "stein"}, {"n": "Nguyễn", "m": "trump", "a": "johnson"})
    make(page)
    assert family * 40 in card_text(page)
    page.fill("#n1", family * 41)
    page.click("#pact-make")
    assert "this has 41" in page.inner_text("#n1-error")


# ---- text from people and from links is text


@pytest.mark.parametrize("payload", XSS + ["A" * 5000])
def test_names_are_text(page, site_url, watched, payload):
    open_maker(page, site_url)
    before = injected(page)
    card_elements = page.evaluate(f"document.querySelectorAll('{CARD} *').length")
    fill(page, {"n": payload, "m": "clinton", "a": "_write-in", "w": payload},
         {"n": payload[:40], "m": "trump", "a": "castle", "s": "TX"})
    page.click("#pact-make")
    if len(payload) > 40:
        assert "at most 40 characters" in page.inner_text("#pact-errors")
        page.fill("#n1", payload[:40])
        page.fill("#w1", payload[:40])
        make(page)
    else:
        page.wait_for_selector("#pact-result[data-ready]")
    assert payload[:40].strip() in card_text(page)
    assert payload[:40].strip() in page.text_content(f"{PREVIEW} [data-f=name1]"), "the preview shows it as text too"
    assert injected(page) == before
    assert page.evaluate(f"document.querySelectorAll('{CARD} *').length") == card_elements
    assert page.evaluate(f"document.querySelectorAll('{PREVIEW} *').length") == card_elements + 2  # its label and the card itself
    page.goto(page.input_value("#pact-link"))
    page.wait_for_selector("#pact-result[data-ready]")
    assert payload[:40].strip() in card_text(page)
    assert injected(page) == before


def good_fragment(**change) -> str:
    fields = {"n1": "Ann", "s1": "GA", "m1": "clinton", "a1": "stein", "w1": "",
              "n2": "Bo", "s2": "TX", "m2": "trump", "a2": "johnson", "w2": ""}
    fields.update(change)
    return "v1&" + "&".join(f"{k}={quote(v, safe='')}" for k, v in fields.items())


BAD_LINKS = {
    "unknown candidate": (good_fragment(a1="nobody"), "candidate this site does not know"),
    "unknown major": (good_fragment(m2="sanders"), "candidate this site does not know"),
    "unknown state": (good_fragment(s1="XX"), "state this site does not know"),
    "prototype state": (good_fragment(s1="constructor"), "state this site does not know"),
    "overlong name": (good_fragment(n1="A" * 5000), "longer than 40 characters"),
    "far too long": (good_fragment(n1="é" * 5000), "far too long"),
    "same major": (good_fragment(m2="clinton"), "same candidate"),
    "missing choice": (good_fragment(a2=""), "missing part"),
    "wrong version": (good_fragment().replace("v1", "v2", 1), "another version"),
    "no version": (good_fragment()[3:], "does not hold a pact card"),
    "garbage": ("%%%&&&===", "does not hold a pact card"),
    "broken percent-encoding": (good_fragment().replace("Ann", "%E0%A4%A"), "damaged"),
    "lone percent": (good_fragment().replace("Ann", "%"), "damaged"),
    "repeated field": (good_fragment() + "&n1=Eve", "damaged"),
    "raw markup": ("v1&n1=<img src=x onerror=alert(1)>&m1=clinton&a1=x", "does not know"),
}


@pytest.mark.parametrize("where", ["pact/", "pact/johnson-stein/"])
@pytest.mark.parametrize("name", BAD_LINKS)
def test_bad_links_give_a_clear_message(page, site_url, watched, name, where):
    fragment, message = BAD_LINKS[name]
    page.goto(site_url + where)
    before = injected(page)
    page.goto(site_url + where + "#" + fragment)
    page.wait_for_selector("#pact-message", state="visible")
    assert message in page.inner_text("#pact-message")
    assert page.is_visible("#pact-message a")
    assert page.is_hidden("#pact-result")
    assert injected(page) == before
    if where == "pact/":
        assert page.is_visible("#pact-form"), "you can still make your own card"
    # the page still works: a good link afterwards shows its card
    page.evaluate(f"location.hash = {json.dumps(good_fragment())}")
    page.wait_for_selector("#pact-result", state="visible")
    assert page.is_hidden("#pact-message") and "Ann" in card_text(page)


@pytest.mark.parametrize("payload", XSS)
def test_markup_in_a_link_is_text(page, site_url, watched, payload):
    page.goto(site_url + "pact/")
    before = injected(page)
    page.goto(site_url + "pact/#" + good_fragment(n1=payload[:40], w2="", n2="Bo"))
    page.wait_for_selector("#pact-result", state="visible")
    assert payload in card_text(page)
    assert injected(page) == before


def test_in_page_anchors_are_not_pacts(page, site_url, watched):
    open_maker(page, site_url)
    page.focus("a.skip")
    page.keyboard.press("Enter")
    page.click("#printed-card a.anchor")
    assert page.is_hidden("#pact-message")
    assert page.is_visible("#pact-form")


# ---- accessibility


def assert_no_axe_violations(page):
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_axe_empty_error_and_card(page, site_url, watched):
    open_maker(page, site_url)
    assert_no_axe_violations(page)
    page.click("#pact-make")
    page.wait_for_selector("#pact-errors", state="visible")
    assert_no_axe_violations(page)
    fill(page, PACT_1, PACT_2)
    make(page)
    more_tools(page)
    page.click("details.pact-preview summary")
    assert_no_axe_violations(page)


def test_axe_shared_card_and_bad_link(page, site_url, watched):
    page.goto(site_url + "pact/johnson-stein/#" + good_fragment(a1="johnson", a2="stein"))
    page.wait_for_selector("#pact-result", state="visible")
    assert_no_axe_violations(page)
    page.goto(site_url + "pact/johnson-stein/#v9")
    page.wait_for_selector("#pact-message", state="visible")
    assert_no_axe_violations(page)


def test_fine_at_360_pixels(page, site_url, watched):
    page.set_viewport_size({"width": 360, "height": 740})
    open_maker(page, site_url)
    fill(page, {**PACT_1, "n": "Maximiliana Wolkenstein-Habsburg"}, PACT_2)
    make(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page scrolls sideways: {width}px"
    boxes = page.eval_on_selector_all(f"{CARD} .pc-partner", "els => els.map(e => e.getBoundingClientRect().top)")
    assert len(boxes) == 2 and boxes[0] == boxes[1], "the partners sit side by side"


# ---- the calendar reminder and the print view


def test_ics_reminder(page, site_url, watched, election):
    page.clock.install(time="2016-10-20T12:00:00")  # the reminder is offered only before the day
    open_maker(page, site_url)
    name = 'Ann, Jr.; "the \\ one" ' + "é" * 14  # needs escaping, and folds inside multi-byte text
    fill(page, {**PACT_1, "n": name}, PACT_2)
    make(page)
    more_tools(page)
    with page.expect_download() as dl:
        page.click("#pact-ics")
    assert dl.value.suggested_filename.endswith(".ics")
    raw = open(dl.value.path(), "rb").read()
    assert all(len(line) <= 75 for line in raw.split(b"\r\n")), "lines fold at 75 octets"
    ics = raw.decode("utf-8")
    assert ics.endswith("\r\n")
    props = ics_properties(ics)
    names = [p[0] for p in props]
    assert names[0] == "BEGIN" and props[0][2] == "VCALENDAR" and props[-1][2] == "VCALENDAR"
    assert ("BEGIN", "", "VEVENT") in props and "VERSION" in names and "PRODID" in names
    start = [p for p in props if p[0] == "DTSTART"]
    assert start == [("DTSTART", "VALUE=DATE", election.date.strftime("%Y%m%d"))]
    end = next(p for p in props if p[0] == "DTEND")
    assert date.fromisoformat(f"{end[2][:4]}-{end[2][4:6]}-{end[2][6:]}") > election.date
    uid = next(p[2] for p in props if p[0] == "UID")
    stamp = next(p[2] for p in props if p[0] == "DTSTAMP")
    assert re.fullmatch(r"\d{8}T\d{6}Z", stamp) and "@" in uid and "Ann" not in uid
    description = ics_text(next(p[2] for p in props if p[0] == "DESCRIPTION"))
    assert name in description and "Bernie Sanders" in description

    # the same pact gives the same file
    make(page)
    with page.expect_download() as again:
        page.click("#pact-ics")
    assert open(again.value.path(), "rb").read() == raw


def test_print_view_shows_the_card_with_two_signature_lines(page, site_url, watched):
    open_maker(page, site_url)
    fill(page, PACT_1, PACT_2)
    make(page)
    page.emulate_media(media="print")
    signatures = page.locator(f"{CARD} .pc-sign")
    assert signatures.count() == 2 and all(signatures.nth(i).is_visible() for i in range(2))
    assert page.is_hidden("#pact-form") and page.is_hidden(".pact-tools") and page.is_hidden(".blank-card")
    assert page.is_visible(CARD)
    page.emulate_media(media="screen")
    assert page.is_hidden(f"{CARD} .pc-sign")


def test_print_without_a_card_gives_the_blank_card(page, site_url, watched):
    open_maker(page, site_url)
    page.emulate_media(media="print")
    assert page.is_hidden("#pact-form")
    assert page.is_visible(".blank-card .pc-head") and page.is_visible(".blank-card .pc-url")
    # drawn rules to write on, not typed underscores; signature and date for each partner
    lines = page.locator(".blank-card .bc-line")
    assert lines.count() == 12 and all(lines.nth(i).is_visible() for i in range(12))
    assert page.eval_on_selector(".blank-card .bc-line", "e => getComputedStyle(e).borderTopStyle") == "solid"
    assert "__" not in page.inner_text(".blank-card")
    # the card starts a page of its own, without the screen's heading
    assert page.eval_on_selector(".blank-card", "e => getComputedStyle(e).breakBefore") == "page"
    assert page.is_hidden("#blank-card-heading")


# ---- without JavaScript


def test_until_its_script_runs_the_form_sends_nothing(page, site_url):
    """Names must never end up in a query string, even if the form shows before pact.js runs."""
    page.route(re.compile(r".*/js/pact\.[0-9a-f]+\.js$"), lambda route: route.abort())
    page.goto(site_url + "pact/")
    page.evaluate("document.getElementById('pact-maker').hidden = false")
    assert page.is_disabled("#pact-make")
    page.fill("#n1", "Ann")
    page.press("#n1", "Enter")
    page.wait_for_timeout(300)
    assert urlsplit(page.url).query == "" and "Ann" not in page.url


@pytest.fixture()
def no_js_page(browser):
    context = browser.new_context(java_script_enabled=False)
    yield context.new_page()
    context.close()


def test_without_javascript_the_page_explains_and_offers_the_blank_card(no_js_page, site_url, election):
    page = no_js_page
    page.goto(site_url + "pact/")
    assert page.is_hidden("#pact-form")
    assert page.locator(PREVIEW).count() == 0 and page.locator("link[href*=pact-live]").count() == 0, \
        "no live preview, nor its stylesheet"
    assert page.is_visible(".blank-card") and "Signature" in page.inner_text(".blank-card")
    assert "How to use the printed card" in page.inner_text("main")
    page.goto(site_url + "pact/johnson-stein/#" + good_fragment())
    text = page.inner_text("main")
    assert "Gary Johnson" in text and "Jill Stein" in text and "Ann" not in text
    assert page.is_visible("a[href='/pact/']")
    # the pairing's card, then at once the one action, then what the pact means
    assert page.is_visible(".pact-pairing .pact-card + p > a.button.action[href='/pact/']")
    assert page.is_visible(".pact-pairing .pc-logo")


# ---- a vote that will not be counted (issue 14)

NEVADA_STEIN = {"n": "Ann", "s": "NV", "m": "clinton", "a": "stein"}
TEXAS_JOHNSON = {"n": "Bo", "s": "TX", "m": "trump", "a": "johnson"}
RED_PIXEL = (163, 38, 28)  # the alert colour of the card's images


def red_pixels(img: Image.Image) -> int:
    return sum(n for n, rgb in img.convert("RGB").getcolors(maxcolors=1 << 20)
               if all(abs(a - b) < 6 for a, b in zip(rgb, RED_PIXEL)))


def download(page, selector) -> Image.Image:
    with page.expect_download() as dl:
        page.click(selector)
    return image_of(dl.value)


def test_nevada_and_stein_is_stopped_and_the_alternatives_work_in_one_tap(page, site_url, watched, election):
    open_maker(page, site_url)
    fill(page, NEVADA_STEIN, TEXAS_JOHNSON)
    note = page.locator("#note1")
    assert note.locator("h3").inner_text().endswith("Partner 1: this vote will not be counted")
    assert "Nevada counts no write-in votes for president" in note.inner_text()
    assert "level-uncounted" in note.get_attribute("class")
    on_ballot = [c.name for c in election.alternatives
                 if c.ballot["NV"].status == "ballot" and c.ballot["NV"].verdict.counts]
    offered = note.locator(".ballot-choices button").all_inner_texts()
    assert offered == on_ballot and "Jill Stein" not in offered
    assert page.is_visible("#anyway-field")
    assert_no_axe_violations(page)

    page.click("#pact-make")
    assert page.is_hidden("#pact-result") and focused(page) == "pact-errors"
    assert "a vote for Jill Stein in Nevada will not be counted" in page.inner_text("#pact-errors")

    # one tap on an offered ticket: chosen, the warning and the error go, the card can be made
    page.click(f"#note1 .ballot-choices button:text-is('{on_ballot[0]}')")
    chosen = next(c for c in election.alternatives if c.name == on_ballot[0])
    assert page.input_value("#a1") == chosen.id and focused(page) == "a1"
    assert "level-counts" in page.get_attribute("#note1", "class")
    assert page.is_hidden("#pact-errors") and page.is_hidden("#anyway-field")
    make(page)
    assert "will not be counted" not in card_text(page) and page.is_hidden(f"{CARD} .pc-flag")


def test_make_it_anyway_flags_every_output(page, context, site_url, watched):
    open_maker(page, site_url)
    fill(page, NEVADA_STEIN, TEXAS_JOHNSON)
    page.check("#pact-anyway")
    make(page)
    assert page.is_visible(f"{CARD} .pc-flag") and "A vote on this card will not be counted" in card_text(page)
    assert "Will not be counted in Nevada" in page.inner_text(f"{CARD} .pc-partner[data-partner='1']")
    assert "will not be counted" not in page.inner_text(f"{CARD} .pc-partner[data-partner='2']").lower()
    text = page.input_value("#pact-text")
    assert text.startswith("⚠ A vote on this card will not be counted.")
    assert "Jill Stein, the choice of Ann in Nevada, will not be counted there." in text
    assert red_pixels(download(page, "#pact-png")) > 5000
    more_tools(page)
    assert red_pixels(download(page, "#pact-square")) > 5000
    page.emulate_media(media="print")
    assert page.is_visible(f"{CARD} .pc-flag") and page.is_visible(f"{CARD} .pc-partner-flag")
    assert page.is_hidden("#pact-about") and page.is_hidden(".pact-tools")
    page.emulate_media(media="screen")

    # the partner who opens the link sees the warning too
    other = context.new_page()
    other.goto(page.input_value("#pact-link"))
    other.wait_for_selector("#pact-result[data-ready]")
    assert other.is_visible(f"{CARD} .pc-flag") and "Will not be counted in Nevada" in card_text(other)
    assert other.input_value("#pact-text").startswith("⚠")
    assert_no_axe_violations(other)
    other.close()

    # unflagged, the same images have no alert colour
    open_maker(page, site_url)
    fill(page, {**NEVADA_STEIN, "a": "johnson"}, TEXAS_JOHNSON)
    make(page)
    assert red_pixels(download(page, "#pact-png")) < 100


def test_a_write_in_where_any_name_counts_is_fine(page, site_url, watched, election):
    open_maker(page, site_url)
    # a ticket with no write-in filing, in a state that counts write-ins for anyone
    code, ticket = next((code, c) for c in election.alternatives for code, b in c.ballot.items()
                        if b.status == "none" and b.state.write_ins == "any")
    fill(page, {"s": code, "m": "clinton", "a": ticket.id}, {"s": "VT", "m": "trump", "a": "_write-in", "w": "Bernie Sanders"})
    for i in (1, 2):
        assert "level-counts" in page.get_attribute(f"#note{i}", "class")
        assert page.inner_text(f"#note{i}").startswith("✓")
        assert "not be counted" not in page.inner_text(f"#note{i}")
    assert page.is_hidden("#anyway-field")
    make(page)
    assert page.is_hidden(f"{CARD} .pc-flag")


def test_a_ticket_printed_but_not_counted_is_flagged(page, watched, scratch_site, serve_dir, tmp_path):
    """The default data has no such ticket: a scratch site where Stein withdrew in Georgia after
    the ballots were printed."""
    path = scratch_site / "data" / "candidates.yaml"
    text = path.read_text(encoding="utf-8")
    at = text.index("\n        GA: ", text.index("- id: stein"))
    end = text.index("\n", at + 1)
    note = "Withdrew after the ballots were printed."
    path.write_text(text[:at] + f'\n        GA: {{status: printed-not-counted, note: "{note}"}}' + text[end:], encoding="utf-8")
    out = tmp_path / "out"
    build(BuildOptions(scratch_site, out))
    url = serve_dir(out)

    page.goto(url + "candidates/stein/")
    page.locator("details.by-state > summary").click()  # the lists sit behind "By state"
    group = page.locator("section.status-group", has=page.locator("a", has_text="Georgia"))
    row = group.locator("ul.ballot-list li", has=page.locator("a", has_text="Georgia"))
    assert row.count() == 1 and row.locator("a").inner_text() == "Georgia"
    # the status and what it means are said once, for the group; the row carries its own note
    assert "Will not be counted" in group.inner_text() and "Printed, but votes not counted" in group.inner_text()
    assert note in row.inner_text()
    # on the map, a square of its own (cross-hatched), not a write-in's stripes
    assert page.get_attribute('a.tile[href$="/states/ga/"] rect', "fill") == "url(#cross-stein)"

    open_maker(page, url)
    fill(page, {"s": "GA", "m": "clinton", "a": "stein"}, TEXAS_JOHNSON)
    text = page.inner_text("#note1")
    assert "Jill Stein is still printed on Georgia’s ballot, but votes for Jill Stein there will not be counted." in text
    assert note in text and "level-uncounted" in page.get_attribute("#note1", "class")
    page.click("#pact-make")
    assert page.is_hidden("#pact-result")
    page.check("#pact-anyway")
    make(page)
    assert "Will not be counted in Georgia" in card_text(page)


def test_errors_clear_as_soon_as_the_field_is_fixed(page, site_url, watched):
    open_maker(page, site_url)
    page.click("#pact-make")
    assert page.is_visible("#a1-error")
    page.select_option("#a1", "johnson")
    assert page.is_hidden("#a1-error") and page.get_attribute("#a1", "aria-invalid") is None
    assert "Partner 1: choose who you will vote for instead." not in page.inner_text("#pact-errors")
    assert page.is_visible("#m1-error"), "the others stay until they are fixed"
    page.fill("#n2", "x" * 41)
    assert page.is_hidden("#n2-error"), "no new error before the next 'Make the card'"
    fill(page, {"m": "clinton", "a": "johnson"}, {"m": "trump", "a": "stein"})
    assert page.is_hidden("#pact-errors")


def test_a_mouse_click_brings_the_card_into_view_without_a_focus_ring(page, site_url, watched):
    page.set_viewport_size({"width": 360, "height": 740})
    open_maker(page, site_url)
    fill(page, PACT_1, PACT_2)
    make(page)
    assert focused(page) == "card-heading" and in_view(page, "#card-heading")
    assert not page.evaluate("document.activeElement.matches(':focus-visible')")


def test_long_names_wrap_between_words_on_the_card(page, site_url, watched):
    page.set_viewport_size({"width": 360, "height": 740})
    open_maker(page, site_url)
    fill(page, {**PACT_1, "n": "Maximiliana Wolkenstein Habsburg"}, PACT_2)
    make(page)
    # where each line of the name starts: always at the start of a word
    starts = page.eval_on_selector(f"{CARD} .pc-partner[data-partner='1'] .pc-name", """e => {
        const text = e.firstChild, range = document.createRange(), starts = [];
        let top = null;
        for (let i = 0; i < text.length; i++) {
          range.setStart(text, i); range.setEnd(text, i + 1);
          const r = range.getBoundingClientRect();
          if (r.width && (top === null || r.top > top + 2)) { starts.push(i); top = r.top; }
        }
        return starts.map((i) => text.data.slice(i));
    }""")
    assert len(starts) > 1, "the name wraps at 360 px"
    words = "Maximiliana Wolkenstein Habsburg".split()
    assert all(any(start.startswith(w) for w in words) for start in starts), starts


def test_printed_signature_lines_sit_level(page, site_url, watched):
    open_maker(page, site_url)
    fill(page, {**PACT_1, "n": "Maximiliana Wolkenstein Habsburg"}, {**PACT_2, "n": "Bo", "s": ""})
    make(page)
    page.emulate_media(media="print")
    tops = page.eval_on_selector_all(f"{CARD} .pc-sign", "els => els.map(e => e.getBoundingClientRect().top)")
    assert len(tops) == 2 and abs(tops[0] - tops[1]) < 1, tops


# ---- what a shared card reveals


def test_a_shared_card_says_who_can_see_it_and_can_leave_the_names_out(page, site_url, watched):
    open_maker(page, site_url)
    fill(page, PACT_1, TEXAS_JOHNSON)
    make(page)
    reveal = page.inner_text("#pact-reveal")
    assert "Anyone who has this link, image or text can see" in reveal and "your partner alone" in reveal
    named_link, named_text = page.input_value("#pact-link"), page.input_value("#pact-text")
    assert "José" in named_text and "n1=Jos" in named_link
    with page.expect_download() as named:
        page.click("#pact-png")
    named_png = open(named.value.path(), "rb").read()

    made = int(page.get_attribute("#pact-result", "data-ready"))
    page.check("#pact-no-names")
    page.wait_for_selector(f"#pact-result[data-ready='{made + 1}']")
    link, text = page.input_value("#pact-link"), page.input_value("#pact-text")
    assert "José" not in text and "Bo" not in text and "Evan McMullin" in text and "Gary Johnson" in text
    assert "n1=&" in link and "n2=&" in link and "a1=mcmullin" in link
    with page.expect_download() as anonymous:
        page.click("#pact-png")
    assert open(anonymous.value.path(), "rb").read() != named_png
    assert "José" in card_text(page), "the card on screen (to print and sign) keeps the names"
    page.goto(link)
    page.wait_for_selector("#pact-result[data-ready]")
    assert "José" not in card_text(page) and page.inner_text("h1") == "A vote pact shared with you"


@pytest.mark.parametrize("lang", ["", "es/"])
def test_a_phone_sees_the_promise_and_the_start_of_the_form_on_its_first_screen(page, site_url, watched, lang):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(site_url + lang + "pact/")
    page.wait_for_selector("#pact-form", state="visible")
    promise = page.locator(".pact-promise p")
    assert promise.count() == 1 and promise.bounding_box()["height"] < 100, "a line or two, not the whole introduction"
    for selector in (".pact-promise p", "#n1"):
        box = page.locator(selector).bounding_box()
        assert box["y"] + box["height"] <= 740, f"{selector} below the first screen: {box}"
    assert "action" in page.get_attribute("#pact-make", "class"), "the main button in the action colour"


def test_the_shared_page_shows_the_card_first_and_one_way_to_make_your_own(page, site_url, watched, election):
    page.goto(site_url + "pact/johnson-stein/#" + good_fragment(a1="johnson", a2="stein"))
    page.wait_for_selector("#pact-result[data-ready]")
    heading = page.inner_text("h1")
    assert heading == "The vote pact of Ann and Bo" and page.title() == "The vote pact of Ann and Bo · VotePact"
    assert not any(c.name in heading for c in election.majors + election.alternatives), "no endorsement"
    card_top = page.eval_on_selector(CARD, "e => e.getBoundingClientRect().top")
    main_texts = page.eval_on_selector_all("main article > :not(h1, #pact-result), #pact-about p", """els => els
        .filter(e => e.offsetParent !== null).map(e => e.getBoundingClientRect().top)""")
    assert main_texts and all(top >= card_top for top in main_texts), "the card comes first"
    about = page.inner_text("#pact-about")
    assert len(re.findall(r"[.!?](\s|$)", about.split("Make your own")[0].strip())) == 2, "two sentences"
    own = [a for a in page.locator("a:visible", has_text="Make your own").all()]
    assert len(own) == 1
    assert "action" in own[0].get_attribute("class"), "in the action colour"
    page.set_viewport_size({"width": 360, "height": 740})  # a phone: the call is on the first screen
    page.evaluate("scrollTo(0, 0)")
    box = own[0].bounding_box()
    assert 0 < box["y"] and box["y"] + box["height"] <= 740, box
    # without a fragment the static page names no partner and endorses no one
    page.goto(site_url + "pact/johnson-stein/")
    assert page.inner_text("h1") == "A vote pact between two voters"


@pytest.mark.parametrize("lang", ["", "es/"])
def test_on_a_desktop_the_shared_page_spaces_its_buttons_and_sizes_them_to_their_text(page, site_url, watched, lang):
    """Issue 13: the call sits clear of the card's shadow at its own width; the actions keep to
    one line each, at one height, in the same type size as "Copy link"."""
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(site_url + lang + "pact/johnson-stein/#" + good_fragment(a1="johnson", a2="stein"))
    page.wait_for_selector("#pact-result[data-ready]")
    card = page.locator(CARD).bounding_box()
    own = page.locator("#pact-own .button").bounding_box()
    assert own["y"] - (card["y"] + card["height"]) >= 32, "clear of the card's shadow"
    assert own["width"] < card["width"] / 2, "as wide as its words, not a fixed bar"
    page.click("#pact-tools > summary")
    buttons = [b for b in page.locator(".pact-actions .button:visible").all()]
    heights = {round(b.bounding_box()["height"]) for b in buttons}
    assert len(buttons) >= 3 and len(heights) == 1 and heights.pop() < 56, "one line each, one height"
    size = "e => getComputedStyle(e).fontSize"
    assert page.eval_on_selector("#pact-png", size) == page.eval_on_selector("#pact-copy-link", size)


# ---- what the card claims (issue 16): it depends on the partners' states


@pytest.mark.parametrize("states, claim, absent", [
    (("GA", "GA"), "We both vote in Georgia, so the race there is left as it was", "opposite directions"),
    (("GA", "TX"), "But we vote in Georgia and Texas: the margin in each moves by one vote, in opposite directions",
     "neither of us helps"),
    (("GA", ""), "the national margin between them is left as it was", "fear"),
])
def test_the_card_claims_what_holds_for_its_states(page, site_url, watched, states, claim, absent):
    open_maker(page, site_url)
    fill(page, {"s": states[0], "m": "clinton", "a": "johnson"}, {"s": states[1], "m": "trump", "a": "johnson"})
    make(page)
    card, text = card_text(page), page.input_value("#pact-text")
    assert claim in card and claim in text
    assert absent not in card.lower() and absent not in text.lower()


# ---- the election's date


AFTER = "2026-11-30T10:00:00"
BEFORE = "2016-11-01T10:00:00"


def test_after_election_day_the_race_is_over_and_no_reminder_is_offered(page, site_url, watched):
    page.clock.install(time=AFTER)
    for path in ("", "faq/", "candidates/stein/"):
        page.goto(site_url + path)
        expect(page.locator("#election-over")).to_be_visible()
        assert "Race over" in page.text_content("#election-over")
        assert "2016 U.S. presidential election, November 8." in page.text_content("#election-over")  # the year once
        strip = page.locator("#election-time").bounding_box()
        assert strip["height"] <= 48, f"a slim strip, not a banner: {strip}"
        assert page.is_hidden("#election-day"), "said once, in the notice"

    open_maker(page, site_url)
    assert page.is_visible("#pact-record") and "record" in page.inner_text("#pact-record")
    fill(page, PACT_1, PACT_2)
    make(page)
    assert page.is_hidden("#pact-ics") and page.is_visible("#pact-png"), "the maker still works, without a reminder"


def test_before_election_day_the_reminder_works(page, site_url, watched):
    page.clock.install(time=BEFORE)
    open_maker(page, site_url)
    assert page.is_hidden("#election-over") and page.is_hidden("#pact-record")
    # the election's name already has its year, so the day is said without it
    assert "election: election day is November 8, in 7 days" in page.inner_text("#election-day")
    fill(page, PACT_1, PACT_2)
    make(page)
    more_tools(page)
    with page.expect_download() as dl:
        page.click("#pact-ics")
    assert "DTSTART;VALUE=DATE:20161108" in open(dl.value.path(), encoding="utf-8").read()


def test_on_election_day_the_page_says_today(page, site_url, watched):
    page.clock.install(time="2016-11-08T20:00:00")
    page.goto(site_url)
    assert "election day is today" in page.inner_text("#election-day")
    assert page.is_hidden("#election-over")


def test_without_javascript_pages_state_the_date(no_js_page, site_url):
    for path in ("", "pact/", "states/"):
        no_js_page.goto(site_url + path)
        assert no_js_page.inner_text("#election-day") == "2016 U.S. presidential election: election day November 8."
        assert no_js_page.is_hidden("#election-over")


# ---- Trusted Types


def test_no_dom_sink_takes_a_string(page, site_url):
    """The policy is on (the hostile-input tests above show the page's own scripts run under it)."""
    open_maker(page, site_url)
    result = page.evaluate("""() => { try { document.createElement('div').innerHTML = '<b>x</b>'; return 'taken'; }
                                      catch (e) { return e.name; } }""")
    assert result == "TypeError"


# ---- the live preview of the card while the form is filled


def slot_texts(page, container) -> dict[str, str]:
    return page.eval_on_selector(container, """card => Object.fromEntries([...card.querySelectorAll('[data-f]')]
        .filter(slot => !slot.hidden).map(slot => [slot.dataset.f, slot.textContent]))""")


def test_the_preview_follows_the_form_as_text_and_matches_the_card(page, site_url, watched):
    page.set_viewport_size({"width": 1280, "height": 800})
    open_maker(page, site_url)
    preview = page.locator(PREVIEW)
    assert preview.get_attribute("aria-hidden") == "true", "the form already says all of it to a screen reader"
    assert preview.locator("[data-f=name1]").text_content() == "Partner 1"
    assert preview.locator("[data-f=name2]").text_content() == "Partner 2"
    assert preview.locator("[data-f=to1]").text_content() == "Not chosen yet", "an empty choice says so"
    assert "pc-empty" in preview.locator("[data-f=from2]").get_attribute("class")
    page.click("#n1")
    page.keyboard.type("<b>x</b>")
    assert preview.locator("[data-f=name1]").text_content() == "<b>x</b>", "updated on each keystroke, as text"
    assert preview.locator("b").count() == 0
    page.select_option("#s1", "NV")
    page.check("#m1-clinton")
    page.select_option("#a1", "johnson")
    texts = slot_texts(page, PREVIEW)
    assert (texts["state1"], texts["from1"], texts["to1"]) == ("Nevada", "Hillary Clinton", "Gary Johnson")
    assert texts["from2"] == "Donald Trump", "the other partner was offered the other major candidate"
    page.select_option("#a1", "stein")
    assert preview.locator("[data-f=to1]").text_content() == "Jill Stein", "a change shows at once"
    assert "Will not be counted in Nevada" in preview.locator("[data-f=flag1]").text_content()
    page.select_option("#a1", "johnson")
    page.fill("#n2", "Bo")
    page.select_option("#a2", "_write-in")
    page.fill("#w2", "Bernie Sanders")
    texts = slot_texts(page, PREVIEW)
    assert (texts["name2"], texts["to2"], texts["note2"]) == ("Bo", "Bernie Sanders", "write-in")
    make(page)
    assert slot_texts(page, CARD) == slot_texts(page, PREVIEW), "the preview is the card that was made"


def first_screen(page, site_url, width, height, lang, live):
    """Where the first field and the main button are, with the live preview or without it (its
    stylesheet replaced by one that leaves it out)."""
    page.set_viewport_size({"width": width, "height": height})
    stylesheet = re.compile(r".*/pact-live\.[0-9a-f]+\.css$")
    if not live:
        page.route(stylesheet, lambda route: route.fulfill(content_type="text/css", body=".pc-live { display: none }"))
    page.goto(site_url + lang + "pact/")
    page.wait_for_selector("#pact-form", state="visible")
    page.wait_for_selector(PREVIEW, state="attached")  # pact.js has done all it does on load
    if live:
        assert page.locator(PREVIEW).is_visible(), "the card as it stands, from the first screen on"
    else:
        expect(page.locator(PREVIEW)).to_be_hidden()
    if not live:
        page.unroute(stylesheet)
    return {name: page.locator(name).bounding_box() for name in ("#n1", "#pact-make")}


@pytest.mark.parametrize("lang", ["", "es/"])
@pytest.mark.parametrize("width, height", [(360, 740), (1280, 800)])
def test_the_preview_moves_neither_the_first_field_nor_the_button(page, site_url, watched, lang, width, height):
    without = first_screen(page, site_url, width, height, lang, live=False)
    with_preview = first_screen(page, site_url, width, height, lang, live=True)
    assert with_preview == without
    field, preview = with_preview["#n1"], page.locator(PREVIEW).bounding_box()
    if width == 360:  # the bar at the foot of the screen: the mini card over "Make the card", clear of the first field
        button = with_preview["#pact-make"]
        assert button["y"] + button["height"] <= height and button["y"] > height - 80, button
        assert field["y"] + field["height"] <= preview["y"], "the first field is above the bar"
        assert preview["y"] + preview["height"] <= button["y"] and preview["height"] <= 70, preview
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    else:  # the whole card beside the form, on the first screen
        assert field["y"] + field["height"] <= height, "the first field on the first screen"
        form = page.locator("#pact-form").bounding_box()
        assert preview["x"] + preview["width"] < form["x"] and preview["y"] + preview["height"] <= height, preview


BAR = ".pact-go"  # on a phone: the card as it stands over "Make the card", at the foot of the screen


@pytest.mark.parametrize("lang, hint", [("", "Not chosen yet"), ("es/", "Aún sin elegir")])
def test_on_a_phone_the_mini_card_follows_the_names_as_they_are_typed(page, site_url, watched, lang, hint):
    page.set_viewport_size({"width": 360, "height": 740})
    open_maker(page, site_url, lang)
    panels = page.locator(f"{PREVIEW} .pc-partner")
    expect(panels.nth(0)).to_be_visible()
    def shown(i):
        return [t.strip() for t in panels.nth(i).locator(":scope > :visible").all_inner_texts() if t.strip()]
    assert shown(0)[1:] == [hint] and shown(1)[1:] == [hint], "nothing chosen yet, said once"
    page.click("#n1")
    page.keyboard.type("Ann")
    assert shown(0)[0] == "Ann", "each keystroke shows"
    page.click("#n2")
    page.keyboard.type("Bo <b>")
    assert shown(1)[0] == "Bo <b>" and page.locator(f"{PREVIEW} b").count() == 0, "as text"
    page.check("#m1-clinton")
    page.select_option("#a1", "johnson")
    assert shown(0) == ["Ann", "Gary Johnson"], "the name and the pick"
    assert shown(1) == ["Bo <b>", hint], "partner 2 was offered the other major candidate; the pick is still to make"
    for selector in (PREVIEW, "#pact-make"):  # both in view, at the foot of the screen
        assert in_view(page, selector)
    assert page.locator(f"{PREVIEW} .pc-head").is_hidden(), "on a phone only the names and picks"


def test_on_a_phone_a_focused_field_is_never_under_the_bar(page, site_url, watched):
    """WCAG 2.4.11: every field reached by Tab is clear of the bar held at the foot of the screen,
    and the bar comes to rest under the last field, over nothing."""
    page.set_viewport_size({"width": 360, "height": 740})
    page.emulate_media(reduced_motion="reduce")
    open_maker(page, site_url)
    page.focus("#n1")
    seen = 0
    while focused(page) != "pact-make":
        element = focused(page)
        box, bar = page.locator(f"#{element}").bounding_box(), page.locator(BAR).bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= bar["y"] + 1, (element, box, bar)
        if element == "n2":  # mid-form: the bar is held at the foot of the screen
            assert bar["y"] + bar["height"] == pytest.approx(740, abs=1), bar
        seen += 1
        page.keyboard.press("Tab")
        assert seen < 40
    assert seen >= 8, "the form's fields were all reached"
    page.evaluate("window.scrollTo(0, document.querySelector('.pact-intro').offsetTop)")
    bar, last = page.locator(BAR).bounding_box(), page.locator("#pact-form > fieldset.partner").nth(1).bounding_box()
    assert bar["y"] >= last["y"] + last["height"] - 1, "at rest after the last part of the form"
    fill(page, PACT_1, PACT_2)
    make(page)
    assert not in_view(page, BAR), "the card made and in view, the bar is out of the way"


def test_on_a_phone_the_bar_is_opaque_and_a_panel_takes_the_cards_indigo_once_chosen(page, site_url, watched):
    page.set_viewport_size({"width": 360, "height": 740})
    page.emulate_media(reduced_motion="reduce")
    open_maker(page, site_url)
    page.check("#m1-clinton")  # partner 2 is offered the other major candidate
    bar = page.locator(BAR)
    assert bar.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 255, 255)", "nothing shows through"
    assert "rgba" in bar.evaluate("e => getComputedStyle(e).boxShadow"), "a shadow above it"
    border = "e => getComputedStyle(e).borderBottomColor"
    panels = page.locator(f"{PREVIEW} .pc-partner")
    indigo = "rgb(42, 34, 96)"  # --brand
    assert [panels.nth(i).evaluate(border) for i in range(2)] == ["rgb(222, 218, 205)"] * 2, "--line: nothing complete yet"
    page.select_option("#a1", "johnson")
    assert panels.nth(0).evaluate(border) == indigo and panels.nth(1).evaluate(border) != indigo


def test_the_selects_and_radios_speak_the_sites_rounded_language(page, site_url, watched):
    open_maker(page, site_url)
    style = "(e, p) => getComputedStyle(e)[p]"
    for selector in ("#s1", "#a1", "#n1"):
        assert page.eval_on_selector(selector, style, "borderTopLeftRadius") == "10px", selector
    assert page.eval_on_selector("#s1", style, "appearance") == "none", "the arrow is the site's own"
    assert "linear-gradient" in page.eval_on_selector("#s1", style, "backgroundImage")
    assert page.eval_on_selector("#m1-clinton", style, "accentColor") == "rgb(42, 34, 96)"
    assert page.eval_on_selector("label:has(#m1-clinton)", style, "borderTopLeftRadius") == "10px"
    page.focus("#s1")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # by keyboard: the focus ring shows
    assert page.eval_on_selector("#s1", style, "outlineStyle") == "solid"
    page.keyboard.press("Tab")
    assert focused(page) == "m1-clinton"
    assert page.eval_on_selector("label:has(#m1-clinton)", style, "outlineStyle") == "solid", "the radio's whole row is ringed"
    page.keyboard.press("Space")
    assert page.is_checked("#m1-clinton"), "still a native radio"
    page.select_option("#s1", "NV")
    assert page.input_value("#s1") == "NV", "still a native select"


@pytest.mark.parametrize("motion, moving", [("reduce", False), ("no-preference", True)])
def test_the_preview_moves_only_for_those_who_want_motion(page, site_url, watched, motion, moving):
    page.emulate_media(reduced_motion=motion)
    open_maker(page, site_url)
    page.fill("#n1", "Ann")
    running = page.evaluate(f"document.querySelector('{PREVIEW}').getAnimations({{subtree: true}}).length")
    assert (running > 0) == moving


def test_the_preview_is_gone_while_a_shared_card_shows_and_in_print(page, site_url, watched):
    open_maker(page, site_url)
    page.goto(site_url + "pact/#" + good_fragment())
    page.wait_for_selector("#pact-result[data-ready]")
    assert page.locator(PREVIEW).is_hidden()
    page.goto(site_url + "pact/")
    page.wait_for_selector(PREVIEW, state="visible")
    page.emulate_media(media="print")
    assert page.locator(PREVIEW).is_hidden()


@pytest.mark.parametrize("lang", ["", "es/"])
@pytest.mark.parametrize("width", [360, 1280])
def test_axe_with_the_preview(page, site_url, watched, lang, width):
    page.set_viewport_size({"width": width, "height": 800 if width > 360 else 740})
    open_maker(page, site_url, lang)
    assert_no_axe_violations(page)
    page.fill("#n1", "Ann")
    page.select_option("#s1", "NV")
    page.check("#m1-clinton")
    page.select_option("#a1", "stein")
    assert_no_axe_violations(page)
    if lang:
        assert page.locator(".pc-live-label").text_content() == "Tu tarjeta hasta ahora"


# ---- the page a shared link opens (issue 13): the card and one action first, the tools on demand


MAIN_ACTIONS = ("#pact-png", "#pact-print", "#pact-copy-link")
ASK = ("#pact-ask-whatsapp", "#pact-ask-sms", "#pact-ask-email")
TOOLS = ("#pact-square", "#pact-ics", "#pact-link", "#pact-copy-text")


@pytest.mark.parametrize("lang", ["", "es/"])
@pytest.mark.parametrize("width, height", [(360, 740), (1280, 800)])
def test_a_shared_card_shows_the_card_and_its_call_first_then_three_actions_in_view(page, site_url, watched, lang, width, height):
    page.set_viewport_size({"width": width, "height": height})
    page.goto(site_url + lang + "pact/johnson-stein/#" + good_fragment(a1="johnson", a2="stein"))
    page.wait_for_selector("#pact-result[data-ready]")
    card, own = page.locator(CARD).bounding_box(), page.locator("#pact-own .button").bounding_box()
    assert card["y"] + card["height"] <= own["y"] and own["y"] + own["height"] <= height, "both on the first screen"
    first_screen = page.eval_on_selector_all("main a:visible, main button:visible, main input:visible",
                                             f"els => els.filter(e => e.getBoundingClientRect().top < {height}).map(e => e.textContent.trim() || e.id)")
    assert len(first_screen) == 1, f"one action on the first screen: {first_screen}"
    # under it, without unfolding anything: download, print and copy the link, and ask someone else
    for action in MAIN_ACTIONS + ASK:
        assert page.locator(action).is_visible(), action
        assert page.locator(action).bounding_box()["y"] > own["y"], "below the call to make one's own"
    labels = [page.inner_text(a) for a in MAIN_ACTIONS]
    assert labels == (["Download image", "Print to sign", "Copy link"] if not lang else ["Descargar imagen", "Imprimir para firmar", "Copiar enlace"])
    if width == 1280:
        tops = {round(page.locator(a).bounding_box()["y"]) for a in MAIN_ACTIONS}
        assert len(tops) == 1, "in one row on a wide screen"
    assert all(page.locator(tool).is_hidden() for tool in TOOLS), "the rest waits behind its summary"
    # by keyboard: from the call, Tab reaches the three actions, the messages, then the summary
    page.focus("#pact-own a")
    reached = []
    for _ in range(12):
        page.keyboard.press("Tab")
        reached.append(focused(page) or page.evaluate("document.activeElement.tagName"))
        if reached[-1] == "SUMMARY":
            break
    assert [r for r in reached if r.startswith("pact-")] == ["pact-no-names", *(a[1:] for a in MAIN_ACTIONS + ASK)], reached
    page.keyboard.press("Enter")
    assert all(page.locator(tool).is_visible() for tool in TOOLS if tool != "#pact-ics")  # no reminder: the day is past
    assert_no_axe_violations(page)


@pytest.mark.parametrize("lang, words", [("", "Want to make a vote pact with me?"), ("es/", "¿Hacemos un pacto de voto?")])
def test_ask_someone_sends_a_message_with_the_makers_address(page, site_url, watched, lang, words):
    page.goto(site_url + lang + "pact/johnson-stein/#" + good_fragment(a1="johnson", a2="stein"))
    page.wait_for_selector("#pact-result[data-ready]")
    maker = "https://votepact.org/" + lang + "pact/"  # data/site.yaml's base_url, whatever host serves the page
    message = {}
    for action, prefix, key in (("#pact-ask-whatsapp", "https://wa.me/?text=", None), ("#pact-ask-sms", "sms:?&body=", None),
                                ("#pact-ask-email", "mailto:?subject=", "body")):
        href = page.get_attribute(action, "href")
        assert href.startswith(prefix), href
        body = href[len(prefix):] if key is None else href.split("&body=", 1)[1]
        assert quote(maker, safe="") in body, "the address, encoded once"
        assert " " not in href and "\n" not in href
        message[action] = unquote(body)
    assert len(set(message.values())) == 1, "one message, three ways to send it"
    text = message["#pact-ask-whatsapp"]
    assert text.startswith(words) and text.endswith("\n" + maker), text
    assert "Ann" not in text, "no one's name goes in the invitation"
    assert page.get_attribute("#pact-ask-whatsapp", "rel") == "noopener"
    subject = unquote(page.get_attribute("#pact-ask-email", "href").split("subject=")[1].split("&")[0])
    assert subject == ("A vote pact?" if not lang else "¿Un pacto de voto?")


def test_after_making_a_card_its_three_actions_and_the_message_are_in_view(page, site_url, watched):
    page.set_viewport_size({"width": 1280, "height": 800})
    open_maker(page, site_url)
    fill(page, PACT_1, TEXAS_JOHNSON)
    make(page)
    assert all(page.locator(a).is_visible() for a in MAIN_ACTIONS + ASK)
    assert page.get_attribute("#pact-tools", "open") is None and page.is_hidden("#pact-square")
    card, actions = page.locator(CARD).bounding_box(), page.locator(".pact-keep").bounding_box()
    assert actions["x"] >= card["x"] + card["width"] and actions["y"] < card["y"] + card["height"], "beside the card on a wide screen"
    assert all(in_view(page, a) for a in MAIN_ACTIONS), "on the screen the card is shown on"
    with page.expect_download() as dl:
        page.click("#pact-png")
    assert image_of(dl.value).size == (1200, 630)
    page.set_viewport_size({"width": 360, "height": 740})
    boxes = [page.locator(a).bounding_box() for a in MAIN_ACTIONS]
    assert all(b["width"] >= 300 and b["height"] >= 44 for b in boxes), "full width on a phone"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_on_a_wide_screen_the_maker_uses_its_width_below_the_form(page, site_url, watched):
    page.set_viewport_size({"width": 1280, "height": 800})
    open_maker(page, site_url)
    intro, printed = page.locator(".pact-intro").bounding_box(), page.locator(".pact-printed").bounding_box()
    blank = page.locator(".blank-card .pact-card").bounding_box()
    assert abs(intro["y"] - printed["y"]) < 2 and printed["x"] > 640, "the introduction beside how to use the printed card"
    assert blank["width"] > 1000, "the printed card across the width"
    page.evaluate("window.scrollTo(0, 600)")
    preview, form = page.locator(PREVIEW).bounding_box(), page.locator("#pact-form").bounding_box()
    assert 0 <= preview["y"] <= 40 and preview["x"] + preview["width"] < form["x"], "the card so far stays in view beside the form"


def test_every_card_carries_the_sites_mark_and_the_image_draws_it(page, site_url, watched):
    open_maker(page, site_url)
    mark = page.get_attribute(".masthead .brand img", "src")
    fill(page, PACT_1, TEXAS_JOHNSON)
    make(page)
    for card in (CARD, f"{PREVIEW} .pact-card", ".blank-card .pact-card"):
        logo = page.locator(f"{card} .pc-head img.pc-logo")
        assert logo.get_attribute("src") == mark and logo.get_attribute("alt") == "", card
    assert page.eval_on_selector(f"{CARD} .pc-logo", "e => e.complete && e.naturalWidth > 0")
    # in the image: the mark's two rings (their colours are nowhere else on the card) at the band's left
    img = download(page, "#pact-png").convert("RGB")
    band = img.crop((0, 0, 200, 88))
    rings = [(0x8f, 0xb0, 0xff), (0xff, 0x8f, 0x8f)]
    def ring_pixels(area, ring):
        return sum(n for n, rgb in area.getcolors(1 << 20) if all(abs(a - b) < 12 for a, b in zip(rgb, ring)))
    assert all(ring_pixels(band, ring) > 40 for ring in rings), [ring_pixels(band, ring) for ring in rings]
    assert ring_pixels(img.crop((200, 0, 1200, 630)), rings[0]) == 0, "there, and only there"
    page.goto(site_url + "pact/johnson-stein/")  # the pairing's own card, without a link's pact
    assert page.get_attribute(".pact-pairing .pc-logo", "src") == mark


def test_the_card_says_the_day_it_was_agreed_and_never_makes_one_up(page, site_url, watched):
    page.clock.install(time="2016-10-03T15:00:00")
    open_maker(page, site_url)
    fill(page, PACT_1, TEXAS_JOHNSON)
    make(page)
    link = page.input_value("#pact-link")
    assert link.endswith("&d=2016-10-03"), "the day the card was made, by the maker's own calendar"
    assert page.inner_text(f"{CARD} .pc-made") == "Agreed on October 3, 2016"
    assert "Agreed on October 3, 2016." in page.input_value("#pact-text")
    page.goto(link)
    page.wait_for_selector("#pact-result[data-ready]")
    assert page.inner_text(f"{CARD} .pc-made") == "Agreed on October 3, 2016", "the partner sees the same day"
    # a link without a day (made before links had one) shows none; a broken day is a damaged link
    page.goto(site_url + "pact/johnson-stein/#" + good_fragment())
    page.wait_for_selector("#pact-result[data-ready]")
    assert page.is_hidden(f"{CARD} .pc-made") and "Agreed" not in card_text(page)
    assert "Agreed" not in page.input_value("#pact-text")
    page.goto(site_url + "pact/johnson-stein/#" + good_fragment() + "&d=2016-1")
    page.wait_for_selector("#pact-message", state="visible")
    assert "damaged" in page.inner_text("#pact-message")
    page.goto(site_url + "es/pact/johnson-stein/#" + good_fragment() + "&d=2016-10-03")
    page.wait_for_selector("#pact-result[data-ready]")
    assert page.inner_text(f"{CARD} .pc-made") == "Pactado el 3 de octubre de 2016"


@pytest.mark.parametrize("days_after, shown", [(0, True), (1, False), (3674, False)])
def test_a_card_agreed_after_election_day_names_no_day(page, site_url, watched, election, days_after, shown):
    """A pact is agreed before the votes: a card dated after election day (a race already run)
    says no "Agreed on", on the card, in the text or in the image; on election day itself it does."""
    day = (election.date + timedelta(days=days_after)).isoformat()
    page.goto(site_url + "pact/johnson-stein/#" + good_fragment() + "&d=" + day)
    page.wait_for_selector("#pact-result[data-ready]")
    assert page.is_visible(f"{CARD} .pc-made") == shown
    assert ("Agreed on" in card_text(page)) == shown and ("Agreed on" in page.input_value("#pact-text")) == shown
    if shown:
        assert page.inner_text(f"{CARD} .pc-made") == f"Agreed on {election.date:%B} {election.date.day}, {election.date.year}"


def test_the_card_names_the_sites_own_address_not_the_host_it_is_seen_on(page, scratch_site, tmp_path, serve_dir, watched):
    """A site built for another address (a preview's, as `serve` and --base-url do) still names
    data/site.yaml's base_url on its cards, shortened, with the maker's path: on the made card,
    in its image's words and on the blank card to print."""
    path = scratch_site / "data" / "site.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("base_url: https://votepact.org/", "base_url: https://example.org/pacts/"), encoding="utf-8")
    out = tmp_path / "out"
    port_url = serve_dir(out)
    build(BuildOptions(scratch_site, out, port_url))
    page.goto(port_url + "pact/#" + good_fragment())
    page.wait_for_selector("#pact-result[data-ready]")
    assert page.inner_text(f"{CARD} .pc-url") == "example.org/pacts/pact/"
    assert page.inner_text(".blank-card .pc-url") == "example.org/pacts/pact/"
    page.goto(port_url + "es/pact/#" + good_fragment())
    page.wait_for_selector("#pact-result[data-ready]")
    assert page.inner_text(f"{CARD} .pc-url") == "example.org/pacts/es/pact/"
    assert "127.0.0.1" not in card_text(page)


@pytest.mark.parametrize("lang", ["", "es/"])
def test_on_a_phone_the_cards_band_gives_the_race_and_its_day_a_line_each(page, site_url, watched, lang, election):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(site_url + lang + "pact/johnson-stein/#" + good_fragment(a1="johnson", a2="stein"))
    page.wait_for_selector("#pact-result[data-ready]")
    race, day = page.locator(f"{CARD} .pc-race"), page.locator(f"{CARD} .pc-day")
    lines = "e => e.getClientRects().length"
    assert page.eval_on_selector(f"{CARD} .pc-race", lines) == 1 and page.eval_on_selector(f"{CARD} .pc-day", lines) == 1
    assert day.bounding_box()["y"] >= race.bounding_box()["y"] + race.bounding_box()["height"] - 1, "the day under the race"
    assert race.bounding_box()["height"] < 24, "the race in one line, not broken in its middle"
    assert page.get_attribute(f"{CARD} .pc-day", "datetime") == election.date.isoformat()
    logo, race_box = page.locator(f"{CARD} .pc-logo").bounding_box(), race.bounding_box()
    assert logo["x"] + logo["width"] <= race_box["x"], "the mark beside them"
    page.set_viewport_size({"width": 1280, "height": 800})  # a wide card: mark, name, then race · day on one line
    assert page.locator(f"{CARD} .pc-site").is_visible() and "VotePact" in page.inner_text(f"{CARD} .pc-head")
    assert abs(race.bounding_box()["y"] - day.bounding_box()["y"]) < 2


def test_the_card_is_in_indigo_alone_whatever_the_party(page, site_url, watched):
    """Defect 12 of the fourth review: "Will vote for", the name under it and each panel's base
    are the brand's indigo on the card, in its image and in print, whatever the party, so no
    colour on the card reads as a party's; green is nowhere on it."""
    navy, green = (0x2a, 0x22, 0x60), (0x17, 0x60, 0x3d)
    open_maker(page, site_url)
    fill(page, {**PACT_1, "a": "stein", "s": ""}, TEXAS_JOHNSON)  # a Green and a Libertarian
    make(page)
    for media in ("screen", "print"):
        page.emulate_media(media=media)
        for slot in (".pc-instead", ".pc-to"):
            colours = page.eval_on_selector_all(f"{CARD} {slot}", "es => es.map(e => getComputedStyle(e).color)")
            assert colours == ["rgb(42, 34, 96)"] * 2, (media, slot, colours)
    page.emulate_media(media="screen")
    for card in (CARD, ".blank-card .pact-card"):
        bases = page.eval_on_selector_all(f"{card} .pc-partner", "es => es.map(e => getComputedStyle(e).borderBottomColor)")
        assert bases == ["rgb(42, 34, 96)"] * 2, (card, bases)
    img = download(page, "#pact-png").convert("RGB")
    def pixels(area, colour):
        return sum(n for n, rgb in area.getcolors(1 << 20) if all(abs(a - b) < 10 for a, b in zip(rgb, colour)))
    text = img.crop((60, 350, 560, 440))  # the left panel's "WILL VOTE FOR" and name
    assert pixels(text, navy) > 500 and pixels(text, green) == 0, (pixels(text, navy), pixels(text, green))
    assert pixels(img.crop((48, 520, 572, 545)), navy) > 1000, "each panel's base in indigo"
    assert pixels(img, green) == 0, "no green anywhere in the image"
