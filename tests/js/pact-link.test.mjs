// Unit tests for static/js/pact-link.js under Node's own test runner (node --test tests/js/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  LinkError, MAX_NAME, WRITE_IN, cleanText, decodeDay, decodePact, electionIndex, encodePact, graphemes, pactPath,
  pactProblems, withoutNames,
} from '../../static/js/pact-link.js';

const data = {
  majors: [{ id: 'red', name: 'Red Major' }, { id: 'blue', name: 'Blue Major' }],
  alternatives: [{ id: 'green', name: 'Green Alt' }, { id: 'gold', name: 'Gold Alt' }],
  states: { AA: { name: 'Alpha' }, BB: { name: 'Beta' } },
};
const election = electionIndex(data);
const pact = [
  { name: 'Ann & <b>', state: 'AA', major: 'red', choice: 'green', writeIn: '' },
  { name: 'Nguyễn 🎉', state: '', major: 'blue', choice: WRITE_IN, writeIn: 'Some One' },
];

test('a pact survives the round trip through a link', () => {
  assert.deepEqual(decodePact(encodePact(pact), election), pact);
});

test('the link keeps the published v1 field names', () => {
  assert.match(encodePact(pact), /^v1&n1=Ann\+%26\+%3Cb%3E&s1=AA&m1=red&a1=green&w1=&n2=/);
});

test('the day the card was made rides at the end of the link, and older links have none', () => {
  const dated = encodePact(pact, '2016-10-03');
  assert.match(dated, /&w2=Some\+One&d=2016-10-03$/);
  assert.deepEqual(decodePact(dated, election), pact, 'the pact reads the same');
  assert.equal(decodeDay(dated), '2016-10-03');
  assert.equal(decodeDay(encodePact(pact)), '');
  assert.equal(encodePact(pact, ''), encodePact(pact));
});

test('a day that is not a real date is a damaged link', () => {
  const good = encodePact(pact, '2016-10-03');
  for (const day of ['2016-1', '2016-02-30', '16-10-03', '2016-10-03T00:00', '<b>', '']) {
    assert.throws(() => decodeDay(good.replace('2016-10-03', day)), (error) => error instanceof LinkError && error.reason === 'damaged', day);
  }
  assert.throws(() => decodePact(good + '&d=2016-10-04', election), LinkError, 'a day given twice');
});

test('bad links say why', () => {
  const reason = (fragment) => {
    try {
      decodePact(fragment, election);
    } catch (error) {
      assert.ok(error instanceof LinkError);
      return error.reason;
    }
    return 'read';
  };
  const good = encodePact(pact);
  assert.equal(reason('nothing'), 'none');
  assert.equal(reason(good.replace('v1', 'v2')), 'version');
  assert.equal(reason(good.replace('Ann', '%E0%A4%A')), 'damaged');
  assert.equal(reason(good + '&n1=Eve'), 'damaged');
  assert.equal(reason(good.replace('s1=AA', 's1=constructor')), 'state');
  assert.equal(reason(good.replace('a1=green', 'a1=nobody')), 'candidate');
  assert.equal(reason(good.replace('m2=blue', 'm2=red')), 'same');
  assert.equal(reason(good.replace('a1=green', 'a1=')), 'missing');
  assert.equal(reason(good.replace('n1=Ann', 'n1=' + 'x'.repeat(MAX_NAME + 1))), 'long');
  assert.equal(reason('v1&n1=' + 'é'.repeat(20000)), 'huge');
});

test('names count characters as people see them', () => {
  assert.equal(graphemes('👨‍👩‍👧‍👦').length, 1);
  const family = { ...pact[0], name: '👨‍👩‍👧‍👦'.repeat(MAX_NAME) };
  assert.deepEqual(pactProblems([family, pact[1]], election), []);
  const problems = pactProblems([{ ...family, name: family.name + 'x' }, pact[1]], election);
  assert.deepEqual(problems.map((p) => [p.partner, p.field, p.key, p.values.n]), [[0, 'name', 'err_long', MAX_NAME + 1]]);
});

test('problems name the partner, the field and the sentence', () => {
  const empty = { name: '', state: '', major: '', choice: '', writeIn: '' };
  assert.deepEqual(pactProblems([empty, { ...empty, choice: WRITE_IN }], election).map((p) => `${p.partner} ${p.field} ${p.key}`),
    ['0 major err_major', '0 choice err_alt', '1 major err_major', '1 writeIn err_write']);
  const same = pactProblems([{ ...pact[0] }, { ...pact[1], major: 'red' }], election);
  assert.deepEqual(same.map((p) => [p.field, p.kind, p.values]), [['major', 'same', { who: 'Red Major', a: 'Red Major', b: 'Blue Major' }]]);
});

test('text from people loses control and direction characters', () => {
  assert.equal(cleanText('  a\u202Eb\u0000c\n\nd  '), 'ab c d');
  assert.equal(cleanText('e\u0301'), 'é');
});

test('a pact of two listed tickets links to its pairing page, a write-in to the maker', () => {
  const pairings = { 'green gold': 'green-gold', 'green green': 'green' };
  assert.equal(pactPath([{ choice: 'gold' }, { choice: 'green' }], pairings), 'green-gold/');
  assert.equal(pactPath([{ choice: 'green' }, { choice: WRITE_IN }], pairings), '');
});

test('the version without names keeps every choice', () => {
  const anonymous = withoutNames(pact);
  assert.deepEqual(anonymous.map((p) => p.name), ['', '']);
  assert.deepEqual(anonymous.map((p) => p.choice), pact.map((p) => p.choice));
  assert.equal(pact[0].name, 'Ann & <b>', 'the original is left as it was');
});
