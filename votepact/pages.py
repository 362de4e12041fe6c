"""Pages generated from data rather than Markdown: candidates, jurisdictions, pact pairings, 404."""
from __future__ import annotations

from .config import Settings
from .content import Page
from .election import Election


def pairing_slug(a, b) -> str:
    return a.id if a.id == b.id else f"{a.id}-{b.id}"


def either_of(names: list[str]) -> str:
    """"A", "A or B", "A, B or C": how a question names the choices."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def jurisdiction_page(election: Election, state, segment: str) -> Page:
    """One jurisdiction's page, titled the way a voter asks a search engine:
    "Can I vote for <alternatives' surnames> in <jurisdiction>?"."""
    alts = election.alternatives
    surnames = [c.name.split(" ", 1)[-1] for c in alts]  # all but the first name
    by_status = {}
    for c in alts:
        by_status.setdefault(c.ballot[state.code].status, []).append(c.name)
    said = [f"on the ballot: {', '.join(by_status['ballot'])}" if "ballot" in by_status
            else "no alternative ticket on the ballot"]
    if "write-in" in by_status:
        said.append(f"registered write-in: {', '.join(by_status['write-in'])}")
    return Page(
        url=f"/{segment}/{state.code.lower()}/",
        title=f"Can I vote for {either_of(surnames)} in {state.name}?" if alts else state.name,
        template="state.html", source="data/states.yaml", line=1,
        description=f"{state.name}, {election.name}: {'; '.join(said)}. {state.write_in_label}. With sources.",
        context={"state": state})


def generated_pages(election: Election, settings: Settings | None = None) -> list[Page]:
    src = "data/candidates.yaml"
    segment = settings.jurisdiction_path if settings else "states"
    pages = [
        Page(url="/candidates/", title=f"Alternative candidates, {election.short_name}",
             template="candidates.html", source=src, line=1,
             description=f"Compare the alternative tickets in the {election.name}: party, positions, results "
                         f"and where each was on the ballot.",
             meta={"order": 2}),
        Page(url=f"/{segment}/", title=f"Check your state: ballots and write-ins, {election.short_name}",
             template="states.html", source="data/states.yaml", line=1,
             description="Pick your state to see which alternative tickets are on its ballot, who can be "
                         "written in, and whether its write-in votes count.",
             meta={"order": 7}),
        Page(url="/404.html", title="Page not found", template="404.html", source="templates/404.html",
             description="This address does not lead to a page of the site.", meta={"sitemap": False}),
    ]
    pages += [jurisdiction_page(election, state, segment) for state in election.states.values()]
    for cand in election.alternatives:
        pages.append(Page(
            url=f"/candidates/{cand.id}/", title=f"{cand.ticket} ({cand.party})", template="candidate.html",
            source=src, line=cand.line,
            description=f"{cand.summary} Where the ticket was on the ballot in each state, with sources.",
            context={"candidate": cand}))
    for a, b in election.pairings():
        names = a.name if a is b else f"{a.name} and {b.name}"
        pages.append(Page(
            url=f"/pact/{pairing_slug(a, b)}/", title=f"A vote pact: {names}", template="pairing.html",
            source=src, line=b.line,
            description=f"Two people who would cancel each other's votes in the {election.name} "
                        f"both vote for a ticket they prefer instead: {names}.",
            meta={"sitemap": False}, context={"pairing": (a, b)}))
    return pages
