"""What the pact card maker knows, written at build time from data/ into `js/pact-data.json`.

The browser gets facts and verdicts, never rules: each ticket's ballot status in each state comes
with its level and wording key from votepact/ballot.py, so static/js/ never decides whether a vote
counts. Notes (a state's, a ticket's whole ballot, one ticket in one state) travel as plain text.
"""
from __future__ import annotations

import json

from . import ballot
from .data import SiteData
from .pages import pairing_slug


def pact_data(data: SiteData) -> str:
    """The pact card's data as compact, key-sorted JSON (the same bytes for the same data)."""
    e = data.election
    verdicts = ballot.table(e)

    def person(c):
        return {"id": c.id, "name": c.name, "running_mate": c.running_mate, "party": c.party}

    def alternative(c):
        notes = {code: b.note for code, b in c.ballot.items() if b.note}
        return dict(person(c), ballot={code: b.status for code, b in c.ballot.items()},
                    verdicts=verdicts["tickets"][c.id], ballot_note=c.ballot_note, notes=notes)

    return json.dumps({
        "version": 2,
        "site": {"title": data.settings.title, "url": data.settings.base_url},
        "election": {"id": e.id, "name": e.name, "short_name": e.short_name, "date": e.date.isoformat(),
                     "office": e.office},
        "majors": [person(c) for c in e.majors],
        "alternatives": [alternative(c) for c in e.alternatives],
        "states": {code: {"name": s.name, "write_ins": s.write_ins, "note": s.note,
                          "written_in": verdicts["written_in"][code]} for code, s in e.states.items()},
        "pairings": {f"{a.id} {b.id}": pairing_slug(a, b) for a, b in e.pairings()},
    }, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
