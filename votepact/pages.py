"""Pages generated from data rather than Markdown: candidates, states, pact pairings, 404."""
from __future__ import annotations

from .content import Page
from .election import Election


def pairing_slug(a, b) -> str:
    return a.id if a.id == b.id else f"{a.id}-{b.id}"


def generated_pages(election: Election) -> list[Page]:
    src = "data/candidates.yaml"
    pages = [
        Page(url="/candidates/", title=f"Alternative candidates, {election.short_name}",
             template="candidates.html", source=src, line=1,
             description=f"Compare the alternative tickets in the {election.name}: party, positions, results "
                         f"and where each was on the ballot.",
             meta={"order": 2}),
        Page(url="/states/", title=f"Ballots and write-ins by state, {election.short_name}",
             template="states.html", source="data/states.yaml", line=1,
             description="Which alternative tickets each state listed, and whether its write-in votes count.",
             meta={"order": 7}),
        Page(url="/404.html", title="Page not found", template="404.html", source="templates/404.html",
             description="This address does not lead to a page of the site.", meta={"sitemap": False}),
    ]
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
