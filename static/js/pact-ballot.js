/* What the maker says about each partner's vote, looked up in pact-data.json. Pure: no DOM.
   Whether a vote counts is decided at build time (votepact/ballot.py) and shipped as
   [level, wording key] per ticket and state; this module only looks it up and gathers what the
   sentence needs. The sentences themselves are words of the page (templates/_ballot_words.html).
   No imports: each module is served under a name with its hash, so the page hands them round. */

export const LEVELS = ['counts', 'care', 'uncounted'];

/** A sentence with its {placeholders} filled; an unknown placeholder stays as written. */
export function fillWords(template, values = {}) {
  return template.replace(/\{([\w-]+)\}/g, (whole, key) => (Object.hasOwn(values, key) ? String(values[key]) : whole));
}

/** How one partner's vote fares in their state, or null when the state or the choice is not
    given: {level, key, who, state, notes: [text], onBallot: [{id, name}]}. A choice that is no
    listed ticket is a name written in; `who` is then what was typed ('' until then). */
export function ballotVerdict(person, data) {
  const state = person.state && Object.hasOwn(data.states, person.state) ? data.states[person.state] : null;
  if (!state || !person.choice) return null;
  const ticket = data.alternatives.find((c) => c.id === person.choice);
  const [level, key] = ticket ? ticket.verdicts[person.state] : state.written_in;
  const notes = ticket ? [ticket.notes[person.state], ticket.ballot_note, state.note] : [state.note];
  const onBallot = data.alternatives
    .filter((c) => c !== ticket && c.ballot[person.state] === 'ballot' && c.verdicts[person.state][0] === 'counts')
    .map((c) => ({ id: c.id, name: c.name }));
  return {
    level, key, who: ticket ? ticket.name : person.writeIn, state: state.name,
    notes: notes.filter(Boolean), onBallot,
  };
}

/** The partners (0, 1) whose vote will not be counted. */
export function uncountedPartners(pact, data) {
  return pact.flatMap((person, index) => (ballotVerdict(person, data)?.level === 'uncounted' ? [index] : []));
}

/** Which claim a pact may make (issue 16): a pact within one state leaves that state's race as
    it was; across states only the national margin is left as it was (each state's margin moves
    by one vote, in opposite directions); with a state missing, only what always holds. */
export function claimKey(pact) {
  const [first, second] = pact.map((person) => person.state);
  if (!first || !second) return 'claim_national';
  return first === second ? 'claim_same' : 'claim_cross';
}
