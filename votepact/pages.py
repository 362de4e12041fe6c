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


def either_of(names: list[str], words: Localizer) -> str:
    """"A", "A or B", "A, B or C": how a question names the choices, in the current language."""
    if len(names) == 1:
        return names[0]
    return words.gettext("%(first)s or %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def jurisdiction_page(election: Election, state, segment: str, words: Localizer) -> Page:
    """One jurisdiction's page, titled the way a voter asks a search engine:
    "Can I vote for <alternatives' surnames> in <jurisdiction>?"."""
    _ = words.gettext
    v = words.vocabulary(election)
    alts = election.alternatives
    surnames = [c.name.split(" ", 1)[-1] for c in alts]  # all but the first name
    by_status = {}
    for c in alts:
        by_status.setdefault(c.ballot[state.code].status, []).append(c.name)
    said = [_("on the ballot: %(names)s") % {"names": ", ".join(by_status["ballot"])} if "ballot" in by_status
            else _("no alternative %(ticket)s on the ballot") % {"ticket": v.ticket}]
    if "write-in" in by_status:
        said.append(_("registered write-in: %(names)s") % {"names": ", ".join(by_status["write-in"])})
    return Page(
        url=localized_path(f"/{segment}/{state.code.lower()}/", words.current),
        title=_("Can I vote for %(names)s in %(place)s?") % {"names": either_of(surnames, words), "place": state.name}
        if alts else state.name,
        template="state.html", source="data/states.yaml", line=1,
        description=_("%(place)s, %(election)s: %(said)s. %(rule)s. With sources.") % {
            "place": state.name, "election": election.name, "said": "; ".join(said), "rule": _(state.write_in_label)},
        context={"state": state})


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
    pages += [jurisdiction_page(election, state, segment, words) for state in election.states.values()]
    for cand in election.alternatives:
        pages.append(Page(
            url=at(f"/candidates/{cand.id}/"), title=f"{cand.ticket} ({cand.party})", template="candidate.html",
            source=src, line=cand.line,
            description=_("%(summary)s On the ballot in %(ballot)s of %(total)s; write-in votes recorded in "
                          "%(write_in)s; not on the ballot, no write-in status, in %(none)s. With sources.") % {
                "summary": cand.summary, "ballot": words.format_number(cand.count("ballot")),
                "total": v.count(len(election.states)), "write_in": words.format_number(cand.count("write-in")),
                "none": words.format_number(cand.count("none"))},
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
