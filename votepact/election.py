"""The election as the site shows it: candidates, jurisdictions, ballot status and sources.

The race's own vocabulary (`race:` in data/candidates.yaml) says what its jurisdictions are
called and whether it has running mates, electoral votes and write-ins; the model keeps the
historical names (`states`, `State`) for the jurisdictions, whatever the race calls them.

Built from the checked YAML of data/candidates.yaml, data/states.yaml and data/sources.yaml.
Cross-references (source ids, state codes, candidate ids) are checked here, with positions.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from .ballot import Verdict, verdict
from .errors import Report, did_you_mean
from .yamlsource import Positions


def N_(message: str) -> str:
    """Marks a message for the catalogs (`pybabel extract -k N_`); templates translate it where
    they show it (`_(status_label)`)."""
    return message


BALLOT_STATUSES = {
    "ballot": N_("On the ballot"),
    "write-in": N_("Write-in votes recorded"),
    "printed-not-counted": N_("Printed, but votes not counted"),
    "none": N_("Not on the ballot, no write-in status"),
    "unknown": N_("Unknown"),
}
WRITE_IN_RULES = {
    "any": N_("Write-ins for any name are counted"),
    "registered": N_("Counted only for write-in candidates who filed in advance"),
    "none": N_("Write-ins are not counted"),
    "unknown": N_("Write-in rules not confirmed"),
}
VERIFICATION = {"verified": "", "partly": N_("partly verified"), "unverified": N_("unverified")}


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    urls: tuple


@dataclass(frozen=True)
class Fact:
    """Any value shown with its sources: verification is verified, partly or unverified."""
    sources: tuple = ()
    verification: str = "verified"
    note: str = ""

    @property
    def verification_label(self) -> str:
        return VERIFICATION[self.verification]


@dataclass(frozen=True)
class ElectionOffice(Fact):
    """A jurisdiction's official election office: its name, its address (url) and when that was
    checked (as_of), from data/states.yaml `election_office`, given only where a source names it."""
    name: str = ""
    url: str = ""
    as_of: datetime.date | None = None


@dataclass(frozen=True)
class State(Fact):
    code: str = ""
    name: str = ""
    tile: tuple = (0, 0)
    electoral_votes: int | None = None
    write_ins: str = "unknown"
    election_office: ElectionOffice | None = None

    @property
    def write_in_label(self) -> str:
        return WRITE_IN_RULES[self.write_ins]


@dataclass(frozen=True)
class BallotStatus(Fact):
    state: State = None
    status: str = "unknown"
    label: str = ""

    @property
    def status_label(self) -> str:
        return BALLOT_STATUSES[self.status]

    @property
    def verdict(self) -> Verdict:
        """Whether a vote for this ticket counts in this state (votepact/ballot.py)."""
        return verdict(self.status, self.state.write_ins)


@dataclass(frozen=True)
class Position(Fact):
    text: str = ""


@dataclass(frozen=True)
class BallotLabel(Fact):
    label: str = ""
    states: tuple = ()


@dataclass(frozen=True)
class Nomination(Fact):
    """When and where a ticket was nominated, as one sentence (text) with its sources."""
    text: str = ""


@dataclass(frozen=True)
class Website(Fact):
    url: str = ""


@dataclass(frozen=True)
class Result(Fact):
    votes: int | None = None
    percent: float | None = None


@dataclass(frozen=True)
class Candidate(Fact):
    id: str = ""
    name: str = ""
    running_mate: str = ""
    party: str = ""
    major: bool = False
    summary: str = ""
    as_of: datetime.date | None = None
    running_mate_note: str = ""
    running_mate_sources: tuple = ()
    ballot_labels: tuple = ()
    website: Website | None = None
    nomination: Nomination | None = None
    positions: tuple = ()
    result: Result | None = None
    ballot_as_of: datetime.date | None = None
    ballot_sources: tuple = ()
    ballot_note: str = ""  # the note on the whole `ballot:` block
    ballot: dict = field(default_factory=dict)  # state code -> BallotStatus, in state order
    line: int = 0  # where the candidate starts in data/candidates.yaml

    @property
    def ticket(self) -> str:
        return f"{self.name} / {self.running_mate}" if self.running_mate else self.name

    def count(self, status: str) -> int:
        return sum(1 for b in self.ballot.values() if b.status == status)

    def electoral_votes(self, status: str) -> int:
        return sum(b.state.electoral_votes or 0 for b in self.ballot.values() if b.status == status)

    def sources_used(self) -> list[str]:
        """Every source id this candidate's facts cite, in first-use order."""
        ids = list(self.sources) + list(self.running_mate_sources)
        for group in (self.ballot_labels, (self.website,) if self.website else (),
                      (self.nomination,) if self.nomination else (), self.positions,
                      (self.result,) if self.result else ()):
            for item in group:
                ids += item.sources
        ids += self.ballot_sources
        for b in self.ballot.values():
            ids += b.sources
        return list(dict.fromkeys(ids))


@dataclass(frozen=True)
class Race:
    """The race's vocabulary and shape, from `race:` in data/candidates.yaml.

    `one`/`other` name one jurisdiction and several in the language of the data file ("district",
    "districts"); `path` is the URL segment of their pages; `scope` says how far the whole race
    reaches, as in "the national margin" ("national", "citywide"). The flags say whether templates
    speak of running mates (tickets), electoral votes and write-ins at all."""
    one: str = "state"
    other: str = "states"
    running_mates: bool = True
    electoral_votes: bool = True
    write_ins: bool = True
    path: str = "states"
    scope: str = "overall"


def url_segment(word: str) -> str:
    """A word as a URL segment: "Wards" -> "wards", "distritos electorales" -> "distritos-electorales",
    "circonscriptions" with accents -> ASCII letters, digits and hyphens only."""
    import unicodedata
    ascii_text = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode("ascii").lower()
    parts = "".join(ch if ch.isalnum() else " " for ch in ascii_text).split()
    return "-".join(parts) or "jurisdictions"


def build_race(raw: dict | None, states: dict, candidates: tuple) -> Race:
    """The Race of `race:` (checked, possibly absent): unset flags follow the data (running mates
    when any candidate names one, electoral votes when any jurisdiction gives them)."""
    raw = raw or {}
    words = raw.get("jurisdiction", {"one": "state", "other": "states"})
    return Race(one=words["one"], other=words["other"],
                running_mates=raw.get("running_mates", any(c.running_mate for c in candidates)),
                electoral_votes=raw.get("electoral_votes",
                                        any(s.electoral_votes is not None for s in states.values())),
                write_ins=raw.get("write_ins", True),
                path=raw.get("path") or url_segment(words["other"]), scope=raw.get("scope", "overall"))


@dataclass(frozen=True)
class ElectionDay:
    """The little every page says about the election (templates/_election_time.html), kept apart
    so that a page showing it is not rendered again whenever any candidate's data changes."""
    name: str
    date: datetime.date


@dataclass(frozen=True)
class Election:
    id: str
    name: str
    short_name: str
    office: str
    date: datetime.date
    sources: tuple
    majors: tuple
    alternatives: tuple
    states: dict  # code -> State, in file order
    states_as_of: datetime.date
    states_sources: tuple
    catalogue: dict  # source id -> Source
    featured_pairings: tuple = ()  # (alternative, alternative) pairs the pact page shows first
    jurisdictions: str = "states"  # what the states list holds, for counts: "45 of 51 <jurisdictions>" (default: race.other)
    alternatives_note: str = ""  # which alternatives are covered, why, and in what order
    race: Race = Race()  # what the jurisdictions are called; running mates, electoral votes, write-ins

    @property
    def status_labels(self) -> dict:
        """Ballot status -> the words a visitor reads for it (BALLOT_STATUSES), for templates."""
        return BALLOT_STATUSES

    @property
    def day(self) -> ElectionDay:
        return ElectionDay(self.name, self.date)

    @property
    def candidates(self) -> dict:
        return {c.id: c for c in self.majors + self.alternatives}

    def pairings(self) -> list[tuple]:
        """Every unordered pair of alternatives, the first before the second in file order,
        and each alternative with itself (two partners may pick the same ticket)."""
        alts = self.alternatives
        return [(a, b) for i, a in enumerate(alts) for b in alts[i:]]

    def source(self, ident: str) -> Source:
        return self.catalogue[ident]


def build_election(raw: dict, pos: Positions, states_raw: dict, states_pos: Positions,
                   catalogue_raw: dict, catalogue_pos: Positions, report: Report) -> Election | None:
    """Turn checked YAML into an Election, reporting every broken cross-reference."""
    catalogue = {k: Source(k, v["title"], tuple(v["urls"])) for k, v in catalogue_raw.items()}

    def refs(ids, where_pos: Positions, keypath) -> tuple:
        for i, ident in enumerate(ids or ()):
            if ident not in catalogue:
                report.error(where_pos.at(keypath + (i,)), f"source '{ident}' is not in data/sources.yaml",
                             did_you_mean(ident, catalogue) or "add it there or fix the id")
        return tuple(ids or ())

    def office(o, kp):
        if not o:
            return None
        return ElectionOffice(name=o["name"], url=o["url"], as_of=o.get("as_of"),
                              sources=refs(o["sources"], states_pos, kp + ("sources",)),
                              verification=o.get("verification", "verified"))

    states = {}
    for code, s in states_raw["states"].items():
        kp = ("states", code)
        states[code] = State(code=code, name=s["name"], tile=tuple(s["tile"]),
                             electoral_votes=s.get("electoral_votes"), write_ins=s["write_ins"],
                             sources=refs(s.get("sources") or states_raw["sources"], states_pos, kp + ("sources",)),
                             verification=s.get("verification", "verified"), note=s.get("note", ""),
                             election_office=office(s.get("election_office"), kp + ("election_office",)))
    refs(states_raw["sources"], states_pos, ("sources",))
    lowered = {}
    for code in states:
        if code.lower() in lowered:  # a jurisdiction's address is its code in lower case
            report.error(states_pos.at(("states", code)),
                         f"code '{code}' differs from '{lowered[code.lower()]}' only in capital letters",
                         "their pages would have the same address; give each its own code")
        lowered.setdefault(code.lower(), code)
    tiles = {}
    for code, st in states.items():
        if st.tile in tiles:
            report.error(states_pos.at(("states", code, "tile")),
                         f"state '{code}' has the same tile as '{tiles[st.tile]}'", "give each state its own [row, column]")
        tiles[st.tile] = code

    def state_ref(code, keypath, p=pos) -> bool:
        if code not in states:
            report.error(p.at(keypath), f"state '{code}' is not in data/states.yaml",
                         did_you_mean(code, states) or "use a code listed in data/states.yaml")
            return False
        return True

    def fact_fields(d, kp):
        return dict(sources=refs(d.get("sources"), pos, kp + ("sources",)),
                    verification=d.get("verification", "verified"), note=d.get("note", ""))

    def person(c, kp, major):
        fields = dict(id=c["id"], name=c["name"], running_mate=c.get("running_mate", ""), party=c["party"],
                      major=major, line=pos.at(kp).line, **fact_fields(c, kp))
        if major:
            return Candidate(**fields)
        bkp = kp + ("ballot",)
        b = c["ballot"]
        default = dict(sources=refs(b["sources"], pos, bkp + ("sources",)),
                       verification=b.get("verification", "verified"))
        ballot = {}
        for code, entry in b["states"].items():
            skp = bkp + ("states", code)
            if not state_ref(code, skp):
                continue
            entry = {"status": entry} if isinstance(entry, str) else entry
            ballot[code] = BallotStatus(
                state=states[code], status=entry["status"], label=entry.get("label", ""),
                sources=refs(entry.get("sources"), pos, skp + ("sources",)) or default["sources"],
                verification=entry.get("verification", default["verification"]), note=entry.get("note", ""))
        missing = [code for code in states if code not in b["states"]]
        if missing:
            report.error(pos.at(bkp + ("states",)),
                         f"ballot status of {c['id']} is missing for {len(missing)} state(s): {', '.join(missing)}",
                         "list every state, with 'unknown' where the status is not known")
        ordered = {code: ballot[code] for code in states if code in ballot}
        labels = []
        for i, lab in enumerate(c.get("ballot_labels", ())):
            lkp = kp + ("ballot_labels", i)
            for j, code in enumerate(lab.get("states", ())):
                state_ref(code, lkp + ("states", j))
            labels.append(BallotLabel(label=lab["label"], states=tuple(lab.get("states", ())), **fact_fields(lab, lkp)))
        website = c.get("website")
        nomination = c.get("nomination")
        result = c.get("result")
        return Candidate(
            **fields, summary=c["summary"], as_of=c["as_of"],
            running_mate_note=c.get("running_mate_note", ""),
            running_mate_sources=refs(c.get("running_mate_sources"), pos, kp + ("running_mate_sources",)),
            ballot_labels=tuple(labels),
            website=Website(url=website["url"], **fact_fields(website, kp + ("website",))) if website else None,
            nomination=Nomination(text=nomination["text"], **fact_fields(nomination, kp + ("nomination",)))
            if nomination else None,
            positions=tuple(Position(text=p["text"], **fact_fields(p, kp + ("positions", i)))
                            for i, p in enumerate(c["positions"])),
            result=Result(votes=result.get("votes"), percent=result.get("percent"),
                          **fact_fields(result, kp + ("result",))) if result else None,
            ballot_as_of=b["as_of"], ballot_sources=default["sources"], ballot_note=b.get("note", ""),
            ballot=ordered)

    majors = tuple(person(c, ("majors", i), True) for i, c in enumerate(raw["majors"]))
    alternatives = tuple(person(c, ("alternatives", i), False) for i, c in enumerate(raw["alternatives"]))
    seen = {}
    for kind, group in (("majors", majors), ("alternatives", alternatives)):
        for i, cand in enumerate(group):
            if cand.id in seen:
                report.error(pos.at((kind, i, "id")), f"candidate id '{cand.id}' is used twice",
                             f"the first is on line {seen[cand.id]}; give each candidate its own id")
            seen.setdefault(cand.id, pos.at((kind, i, "id")).line)
    by_id = {c.id: c for c in alternatives}
    featured = []
    for i, pair in enumerate(raw.get("featured_pairings", ())):
        found = []
        for j, ident in enumerate(pair):
            if ident in by_id:
                found.append(by_id[ident])
            else:
                report.error(pos.at(("featured_pairings", i, j)), f"candidate '{ident}' in pairing is unknown",
                             did_you_mean(ident, by_id) or f"use one of: {', '.join(by_id)}")
        if len(found) == 2:
            order = list(by_id)
            featured.append(tuple(sorted(found, key=lambda c: order.index(c.id))))
    e = raw["election"]
    race = build_race(raw.get("race"), states, majors + alternatives)
    return Election(id=e["id"], name=e["name"], short_name=e.get("short_name", e["name"]), office=e.get("office", ""),
                    date=e["date"], sources=refs(e["sources"], pos, ("election", "sources")),
                    majors=majors, alternatives=alternatives, states=states,
                    states_as_of=states_raw["as_of"], states_sources=tuple(states_raw["sources"]),
                    catalogue=catalogue, featured_pairings=tuple(featured),
                    jurisdictions=states_raw.get("jurisdictions") or race.other,
                    alternatives_note=raw.get("alternatives_note", ""),
                    race=race)
