"""The pact card maker and the pairing share pages, in a real Chromium.

Everything a visitor does here is done by keyboard where it matters; every test also checks that
the page ran no injected code, logged no error and asked no host but 127.0.0.1 for anything.
"""
from __future__ import annotations

import io
import json
import re
from datetime import date
from urllib.parse import quote, urlsplit

import pytest
from PIL import Image
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from votepact.data import load_data
from votepact.errors import Report

from conftest import REPO

XSS = ['<img src=x onerror=alert(1)>', '"><svg onload=alert(1)>', "javascript:alert(1)",
       "<script>alert(1)</script>", "%E0%A4%A", "%"]
CARD = "#pact-card"


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


def open_maker(page, site_url):
    page.goto(site_url + "pact/")
    page.wait_for_selector("#pact-form", state="visible")


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


def card_text(page) -> str:
    return page.inner_text(CARD)


def injected(page) -> int:
    return page.evaluate("document.querySelectorAll('img, svg, script, iframe, object, embed').length")


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
PACT_2 = {"n": "李 🎉", "s": "OK", "m": "trump", "a": "_write-in", "w": "Bernie Sanders"}


# ---- the whole flow, by keyboard alone


def test_whole_flow_by_keyboard(page, context, site_url, watched, election, tmp_path):
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    open_maker(page, site_url)
    page.set_viewport_size({"width": 360, "height": 740})

    fill_by_keyboard(page, 1, "José", "Georgia", "clinton", "Evan")
    assert page.is_checked("#m1-clinton")
    assert page.is_checked("#m2-trump"), "the other partner is offered the other major candidate"
    fill_by_keyboard(page, 2, "Nguyễn 🎉", "Oklahoma", "trump", "Someone", write_in="Bernie Sanders")
    assert page.input_value("#s1") == "GA" and page.input_value("#a1") == "mcmullin"
    assert page.input_value("#s2") == "OK" and page.input_value("#a2") == "_write-in"
    tab_to(page, "pact-make")

    # warnings before the card is made, with who is on the ballot there
    note1, note2 = page.inner_text("#note1"), page.inner_text("#note2")
    assert "Evan McMullin is not printed on Georgia's ballot" in note1
    ga_ballot = [c.name for c in election.alternatives if c.ballot["GA"].status == "ballot"]
    assert all(name in note1 for name in ga_ballot)
    assert "Oklahoma counts no write-in votes" in note2 and "Bernie Sanders" in note2
    expect(page.locator("#pact-live")).to_contain_text("Oklahoma")

    page.keyboard.press("Enter")
    page.wait_for_selector("#pact-result[data-ready]")
    assert focused(page) == "card-heading"
    text = card_text(page)
    for expected in ("José", "Nguyễn 🎉", "Georgia", "Oklahoma", "Hillary Clinton", "Donald Trump",
                     "Evan McMullin", "Bernie Sanders", election.name, "November 8, 2016", "votepact.org"):
        assert expected in text

    tab_to(page, "pact-png")
    with page.expect_download() as wide:
        page.keyboard.press("Enter")
    img = image_of(wide.value)
    assert img.size == (1200, 630) and colours(img) > 200
    assert wide.value.suggested_filename.endswith(".png")
    tab_to(page, "pact-square")
    with page.expect_download() as square:
        page.keyboard.press("Enter")
    img = image_of(square.value)
    assert img.size == (1080, 1080) and colours(img) > 200

    tab_to(page, "pact-copy-link")
    page.keyboard.press("Enter")
    expect(page.locator("#pact-said")).to_contain_text("copied")
    link = page.evaluate("navigator.clipboard.readText()")
    assert link == page.input_value("#pact-link")
    assert link.startswith(site_url + "pact/#v1&"), "a write-in pact links to the pact page itself"
    assert "Jos" not in urlsplit(link).path and "Bernie" not in link.split("#")[0]

    other = context.new_page()
    other.goto(link)
    other.wait_for_selector("#pact-result[data-ready]")
    assert card_text(other) == text
    assert other.is_hidden("#pact-form")
    assert other.inner_text("#card-heading") == "A pact card shared with you"
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
    assert page.title().startswith("A vote pact: Gary Johnson and Jill Stein")


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
    assert injected(page) == before
    assert page.evaluate(f"document.querySelectorAll('{CARD} *').length") == card_elements
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
    boxes = page.eval_on_selector_all(".pc-partner", "els => els.map(e => e.getBoundingClientRect().top)")
    assert len(boxes) == 2 and boxes[0] == boxes[1], "the partners sit side by side"


# ---- the calendar reminder and the print view


def test_ics_reminder(page, site_url, watched, election):
    open_maker(page, site_url)
    name = 'Ann, Jr.; "the \\ one" ' + "é" * 14  # needs escaping, and folds inside multi-byte text
    fill(page, {**PACT_1, "n": name}, PACT_2)
    make(page)
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
    assert page.locator(".blank-card .signature").count() == 2
    assert page.is_visible(".blank-card")


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
    assert page.is_visible(".blank-card") and "Signature" in page.inner_text(".blank-card")
    assert "How to use the printed card" in page.inner_text("main")
    page.goto(site_url + "pact/johnson-stein/#" + good_fragment())
    text = page.inner_text("main")
    assert "Gary Johnson" in text and "Jill Stein" in text and "Ann" not in text
    assert page.is_visible("a[href='/pact/']")
