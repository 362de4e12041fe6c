"""Whether a vote counts: a ticket's ballot status in a state and that state's write-in rule,
turned into one of three levels and the key of the sentence that explains it.

This is the only place the rule lives. The build uses it for the candidate and state pages, and
writes its answer for every (ticket, state) into the pact card's data (votepact/pact.py), so the
browser looks levels up and never works them out again. The sentences for each key are words,
not rules: they live in templates/_ballot_words.html.

Levels, from the issue "A pact that counts":
- `counts`: printed on the ballot, or a write-in the state counts for anyone;
- `care`: a write-in that counts only if it is written right or was filed, or where the data
  cannot say (the sentence tells what to check);
- `uncounted`: the vote will not be counted (printed but void, not filed where filing is needed,
  or a state that counts no write-ins).
"""
from __future__ import annotations

from dataclasses import dataclass

LEVELS = ("counts", "care", "uncounted")

# (ballot status, the state's write-in rule) -> (level, wording key). Statuses are those of
# votepact/schema/candidates.schema.json; rules those of states.schema.json.
_ANY_RULE = ("any", "registered", "none", "unknown")
RULES: dict[tuple[str, str], tuple[str, str]] = {
    **{("ballot", rule): ("counts", "ballot") for rule in _ANY_RULE},
    **{("printed-not-counted", rule): ("uncounted", "printed_not_counted") for rule in _ANY_RULE},
    ("write-in", "any"): ("counts", "write_in_any"),
    ("write-in", "registered"): ("care", "write_in_registered"),
    ("write-in", "none"): ("care", "write_in_rule_none"),
    ("write-in", "unknown"): ("care", "write_in_unknown"),
    ("none", "any"): ("counts", "write_in_any"),
    ("none", "registered"): ("uncounted", "none_registered"),
    ("none", "none"): ("uncounted", "none_none"),
    ("none", "unknown"): ("care", "none_unknown"),
    ("unknown", "any"): ("care", "unknown_any"),
    ("unknown", "registered"): ("care", "unknown"),
    ("unknown", "none"): ("care", "unknown_rule_none"),
    ("unknown", "unknown"): ("care", "unknown"),
}

# A name the voter writes in, not one of the site's tickets: only the state's rule is known.
WRITTEN_IN: dict[str, tuple[str, str]] = {
    "any": ("counts", "someone_any"),
    "registered": ("care", "someone_registered"),
    "none": ("uncounted", "someone_none"),
    "unknown": ("care", "someone_unknown"),
}


@dataclass(frozen=True)
class Verdict:
    """How a vote fares: `level` is one of LEVELS, `key` names its sentence in _ballot_words.html."""
    level: str
    key: str

    @property
    def counts(self) -> bool:
        return self.level != "uncounted"


def verdict(status: str, write_in_rule: str) -> Verdict:
    """The verdict for a listed ticket. Raises KeyError for a status or rule the schemas do not allow."""
    return Verdict(*RULES[(status, write_in_rule)])


def written_in_verdict(write_in_rule: str) -> Verdict:
    """The verdict for a name written in by the voter, who may or may not have filed."""
    return Verdict(*WRITTEN_IN[write_in_rule])


def table(election) -> dict:
    """Every verdict the pact card may need, as compact JSON-ready lists:
    {"tickets": {id: {state code: [level, key]}}, "written_in": {state code: [level, key]}}."""
    tickets = {c.id: {code: list(_pair(verdict(b.status, b.state.write_ins))) for code, b in c.ballot.items()}
               for c in election.alternatives}
    written = {code: list(_pair(written_in_verdict(s.write_ins))) for code, s in election.states.items()}
    return {"tickets": tickets, "written_in": written}


def _pair(v: Verdict) -> tuple[str, str]:
    return v.level, v.key
