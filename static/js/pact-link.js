/* The pact as plain values, checked, and carried in a link's fragment (after #, which browsers
   never send to a server). Pure: no DOM, no words. Problems and link errors come back as keys
   that the page turns into sentences (templates/_pact_card.html).

   A partner: {name, state, major, choice, writeIn}; `choice` is an alternative's id or WRITE_IN.
   The link's field names (n1, s1, m1, a1, w1, ...) are the published v1 format: keep them. The
   day the card was made, d=YYYY-MM-DD, comes last and may be missing (older links have none). */

export const LINK_VERSION = 'v1';
export const MAX_NAME = 40; // characters as people see them (grapheme clusters)
export const MAX_FRAGMENT = 16384; // characters; far beyond any real pact
export const WRITE_IN = '_write-in'; // "someone else" in the form; never a candidate id
const LINK_FIELDS = { name: 'n', state: 's', major: 'm', choice: 'a', writeIn: 'w' };

/** A link that cannot be read; `reason` is one of none, version, damaged, huge, state,
    candidate, long, missing, same. */
export class LinkError extends Error {
  constructor(reason) {
    super(`pact link: ${reason}`);
    this.reason = reason;
  }
}

/** Maps for looking candidates and states up, from pact-data.json. */
export function electionIndex(data) {
  return {
    majors: new Map(data.majors.map((c) => [c.id, c])),
    alternatives: new Map(data.alternatives.map((c) => [c.id, c])),
    states: data.states,
    hasState: (code) => Boolean(code) && Object.hasOwn(data.states, code),
  };
}

const segmenters = new Map();
/** The characters of `text` as a reader counts them (a family emoji is one). */
export function graphemes(text, lang = 'en') {
  if (!Intl.Segmenter) return Array.from(text);
  if (!segmenters.has(lang)) segmenters.set(lang, new Intl.Segmenter(lang));
  return Array.from(segmenters.get(lang).segment(text), (part) => part.segment);
}

/** Text typed or linked by a person, made safe to show and compare: NFC, no control or
    direction-override characters, single spaces. */
export function cleanText(text) {
  return text.normalize('NFC').replace(/[\p{Cc}\u2028\u2029]/gu, ' ')
    .replace(/[\u200E\u200F\u202A-\u202E\u2066-\u2069]/g, '').replace(/\s+/g, ' ').trim();
}

/** Everything wrong with a pact, in form order: [{partner (0 or 1), field, kind, key, values}]. */
export function pactProblems(pact, election, lang = 'en') {
  const problems = [];
  const add = (partner, field, key, kind = 'missing', values = {}) =>
    problems.push({ partner, field, kind, key, values });
  const checkLength = (partner, field, text) => {
    const length = graphemes(text, lang).length;
    if (length > MAX_NAME) add(partner, field, 'err_long', 'long', { max: MAX_NAME, n: length });
  };
  pact.forEach((person, partner) => {
    checkLength(partner, 'name', person.name);
    if (!person.major) add(partner, 'major', 'err_major');
    if (!person.choice) add(partner, 'choice', 'err_alt');
    else if (person.choice === WRITE_IN && !person.writeIn) add(partner, 'writeIn', 'err_write');
    else if (person.choice === WRITE_IN) checkLength(partner, 'writeIn', person.writeIn);
  });
  if (pact[0].major && pact[0].major === pact[1].major) {
    const [first, second] = [...election.majors.values()].map((c) => c.name);
    add(1, 'major', 'err_same', 'same', { who: election.majors.get(pact[0].major).name, a: first, b: second });
  }
  return problems;
}

/** The fragment for a pact (without the #), with the day it was made (YYYY-MM-DD) if given. */
export function encodePact(pact, day = '') {
  const query = new URLSearchParams();
  pact.forEach((person, index) => {
    const number = index + 1, written = person.choice === WRITE_IN;
    query.set(LINK_FIELDS.name + number, person.name);
    query.set(LINK_FIELDS.state + number, person.state);
    query.set(LINK_FIELDS.major + number, person.major);
    query.set(LINK_FIELDS.choice + number, written ? '' : person.choice);
    query.set(LINK_FIELDS.writeIn + number, written ? person.writeIn : '');
  });
  if (day) query.set('d', day);
  return `${LINK_VERSION}&${query}`;
}

/** The day a link's card was made, YYYY-MM-DD, or '' when the link has none; throws
    LinkError('damaged') for anything else (a link cut short ends in a broken day). */
export function decodeDay(fragment) {
  const found = /&d=([^&]*)/.exec(fragment);
  if (!found) return '';
  const day = found[1], when = new Date(day + 'T00:00:00Z');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(when.getTime()) || when.toISOString().slice(0, 10) !== day) {
    throw new LinkError('damaged');
  }
  return day;
}

/** The pact in a fragment (without the #); throws LinkError when it holds none or a bad one. */
export function decodePact(fragment, election, lang = 'en') {
  const fail = (reason) => { throw new LinkError(reason); };
  if (fragment.length > MAX_FRAGMENT) fail('huge');
  const [version, ...parts] = fragment.split('&');
  if (!/^v\d+$/.test(version)) fail('none');
  if (version !== LINK_VERSION) fail('version');
  const fields = new Map();
  for (const part of parts) {
    const at = part.indexOf('=');
    const key = at < 0 ? part : part.slice(0, at);
    let value = '';
    try {
      value = decodeURIComponent((at < 0 ? '' : part.slice(at + 1)).replace(/\+/g, ' '));
    } catch {
      fail('damaged');
    }
    if (fields.has(key)) fail('damaged');
    fields.set(key, value);
  }
  const read = (field, number) => fields.get(LINK_FIELDS[field] + number) || '';
  const pact = [1, 2].map((number) => {
    const person = {
      name: cleanText(read('name', number)), state: read('state', number), major: read('major', number),
      choice: read('choice', number), writeIn: cleanText(read('writeIn', number)),
    };
    if (person.state && !election.hasState(person.state)) fail('state');
    if ((person.major && !election.majors.has(person.major)) ||
        (person.choice && !election.alternatives.has(person.choice))) fail('candidate');
    if (!person.choice && person.writeIn) person.choice = WRITE_IN;
    if (person.choice !== WRITE_IN) person.writeIn = '';
    return person;
  });
  const problems = pactProblems(pact, election, lang);
  if (problems.length) fail(problems[0].kind);
  return pact;
}

/** The share page for a pact: the pairing's own page when both chose listed tickets, else the
    maker's. `pairings` maps "a b" to a slug (pact-data.json). */
export function pactPath(pact, pairings) {
  const [first, second] = pact.map((person) => person.choice);
  if (first === WRITE_IN || second === WRITE_IN) return '';
  const slug = pairings[`${first} ${second}`] || pairings[`${second} ${first}`];
  return slug ? slug + '/' : '';
}

/** The same pact with the names left out, for sharing beyond the partners. */
export function withoutNames(pact) {
  return pact.map((person) => ({ ...person, name: '' }));
}
