"""The Spanish pact maker, in a real Chromium: the card, its link, its text, its print view and its
calendar reminder are in Spanish, and a shared link opens in the language it was made in."""
from __future__ import annotations

from test_pact import PACT_1, PACT_2, card_text, fill, ics_properties, ics_text, make, watched  # noqa: F401

ENGLISH_UI = ["Would otherwise vote for", "Will vote for", "Our vote pact", "Signature", "Partner 1",
              "Vote as we promised", "would otherwise vote for", "Agreed on", "Not chosen yet"]


def open_spanish_maker(page, site_url):
    page.goto(site_url + "es/pact/")
    page.wait_for_selector("#pact-form", state="visible")


def test_the_spanish_card_link_text_print_and_reminder_are_in_spanish(page, site_url, watched):
    page.clock.install(time="2016-10-20T12:00:00")  # before election day: the reminder is offered
    open_spanish_maker(page, site_url)
    assert page.get_attribute("html", "lang") == "es-US"
    assert page.inner_text("label[for=s1]").startswith("Estado")
    fill(page, PACT_1, PACT_2)
    make(page)
    card = card_text(page).lower()  # the card's labels are in capitals
    assert "nuestro pacto de voto" in card and "sin el pacto, votaría por" in card and "votará por" in card
    assert not [w for w in ENGLISH_UI if w.lower() in card], card
    # the text to paste, and the date as the browser writes it for the page's language
    text = page.input_value("#pact-text")
    assert "votaría por" in text and "en cambio votará por" in text
    assert "de 2016: el día de la elección es el 8 de noviembre" in page.inner_text("#election-time")  # the year once, in the name
    # the link opens the Spanish share page of the pairing, and the card there is in Spanish
    link = page.input_value("#pact-link")
    assert link.startswith(site_url + "es/pact/") and "#" in link
    # the calendar reminder
    page.click("#pact-tools > summary")  # the reminder waits under the card's three main actions
    with page.expect_download() as dl:
        page.click("#pact-ics")
    props = ics_properties(open(dl.value.path(), "rb").read().decode("utf-8"))
    summary = ics_text(next(p[2] for p in props if p[0] == "SUMMARY"))
    alarm = ics_text([p[2] for p in props if p[0] == "DESCRIPTION"][-1])
    assert summary.startswith("Votar como lo prometimos"), summary
    assert "mañana es el día de la elección" in alarm, alarm
    # the print view shows the card with its two signature lines, in Spanish
    page.emulate_media(media="print")
    assert page.is_visible("#pact-card") and page.inner_text("#pact-card").lower().count("firma") == 2
    page.emulate_media(media="screen")
    page.goto(link)
    page.wait_for_selector("#pact-card", state="visible")
    assert page.get_attribute("html", "lang") == "es-US"
    shared = card_text(page).lower()
    assert "nuestro pacto de voto" in shared and "josé" in shared
    assert not [w for w in ENGLISH_UI if w.lower() in shared], shared


def test_the_switcher_leads_to_the_same_page_in_the_other_language(page, site_url, watched):
    page.goto(site_url + "es/faq/")
    page.click("nav.languages a[hreflang=en]")
    page.wait_for_load_state()
    assert page.url == site_url + "faq/" and page.get_attribute("html", "lang") == "en"
    page.click("nav.languages a[hreflang=es-US]")
    page.wait_for_load_state()
    assert page.url == site_url + "es/faq/" and page.get_attribute("html", "lang") == "es-US"
