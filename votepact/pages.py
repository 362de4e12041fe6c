"""Pages generated from data rather than Markdown: candidates, jurisdictions, pact pairings, 404,
in each of the site's languages (their words from the message catalogs, their data from that
language's data/)."""
from __future__ import annotations

from .config import Settings
from .content import Page
from .election import Election
from .i18n import Language, Localizer, localized_path


def pairing_slug(a, b) -> str:
    return a.id if a.id == b.id else f"{a.id}-{b.id}"


def generated_pages(election: Election, settings: Settings | None = None, words: Localizer | None = None) -> list[Page]:
    """The pages made from data, in the words' current language (`words.use(lang)` first;
    without words, in the site's one language)."""
    if words is None:
        words = Localizer(settings.languages if settings else (Language("en"),))
    _ = words.gettext
    v = words.vocabulary(election)
    here = words.current
    src = "data/candidates.yaml"
    segment = settings.jurisdiction_path if settings else election.race.path
    at = lambda path: localized_path(path, here)  # noqa: E731
    pages = [
        Page(url=at("/candidates/"), title=_("Alternative candidates, %(year)s") % {"year": election.short_name},
             template="candidates.html", source=src, line=1,
             description=_("Compare the alternative %(tickets)s in the %(election)s: party, positions, results "
                           "and where each was on the ballot.") % {"tickets": v.tickets, "election": election.name},
             meta={"order": 2}),
        Page(url=at(f"/{segment}/"),
             title=_("Check your %(one)s: ballots and write-ins, %(year)s") % {"one": v.one, "year": election.short_name},
             template="states.html", source="data/states.yaml", line=1,
             description=_("Pick your %(one)s to see which alternative %(tickets)s are on its ballot, who can be "
                           "written in, and whether write-in votes count there.") % {"one": v.one, "tickets": v.tickets},
             meta={"order": 7}),
        Page(url="/" + here.prefix + "404.html", title=_("Page not found"), template="404.html",
             source="templates/404.html", description=_("This address does not lead to a page of the site."),
             meta={"sitemap": False}),
    ]
    for cand in election.alternatives:
        pages.append(Page(
            url=at(f"/candidates/{cand.id}/"), title=f"{cand.ticket} ({cand.party})", template="candidate.html",
            source=src, line=cand.line,
            description=_("%(summary)s Where the %(ticket)s was on the ballot, with sources.") % {
                "summary": cand.summary, "ticket": v.ticket},
            context={"candidate": cand}))
    for a, b in election.pairings():
        names = a.name if a is b else _("%(first)s and %(last)s") % {"first": a.name, "last": b.name}
        pages.append(Page(
            url=at(f"/pact/{pairing_slug(a, b)}/"), title=_("A vote pact: %(names)s") % {"names": names},
            template="pairing.html", source=src, line=b.line,
            description=_("Two people who would cancel each other's votes in the %(election)s both vote for a "
                          "%(ticket)s they prefer instead: %(names)s.") % {
                "election": election.name, "ticket": v.ticket, "names": names},
            meta={"sitemap": False}, context={"pairing": (a, b)}))
    return pages
