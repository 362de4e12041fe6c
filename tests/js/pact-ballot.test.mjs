// Unit tests for static/js/pact-ballot.js: it looks verdicts up, it never decides them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ballotVerdict, claimKey, fillWords, uncountedPartners } from '../../static/js/pact-ballot.js';

const data = {
  alternatives: [
    { id: 'green', name: 'Green Alt', ballot: { AA: 'none', BB: 'ballot' },
      verdicts: { AA: ['uncounted', 'none_none'], BB: ['counts', 'ballot'] }, notes: { AA: 'A note on AA.' }, ballot_note: 'Whole ballot.' },
    { id: 'gold', name: 'Gold Alt', ballot: { AA: 'ballot', BB: 'ballot' },
      verdicts: { AA: ['counts', 'ballot'], BB: ['counts', 'ballot'] }, notes: {}, ballot_note: '' },
    { id: 'grey', name: 'Grey Alt', ballot: { AA: 'printed-not-counted', BB: 'write-in' },
      verdicts: { AA: ['uncounted', 'printed_not_counted'], BB: ['care', 'write_in_registered'] }, notes: {}, ballot_note: '' },
  ],
  states: {
    AA: { name: 'Alpha', note: 'Alpha counts no write-ins.', written_in: ['uncounted', 'someone_none'] },
    BB: { name: 'Beta', note: '', written_in: ['counts', 'someone_any'] },
  },
};

test('a verdict comes from the data, with what its sentence needs', () => {
  const verdict = ballotVerdict({ state: 'AA', choice: 'green', writeIn: '' }, data);
  assert.equal(verdict.level, 'uncounted');
  assert.equal(verdict.key, 'none_none');
  assert.equal(verdict.who, 'Green Alt');
  assert.equal(verdict.state, 'Alpha');
  assert.deepEqual(verdict.notes, ['A note on AA.', 'Whole ballot.', 'Alpha counts no write-ins.']);
  assert.deepEqual(verdict.onBallot, [{ id: 'gold', name: 'Gold Alt' }], 'printed but not counted is not offered');
});

test('a name written in takes the state rule', () => {
  assert.deepEqual([ballotVerdict({ state: 'BB', choice: '_write-in', writeIn: 'Some One' }, data)].map((v) => [v.level, v.key, v.who]),
    [['counts', 'someone_any', 'Some One']]);
  assert.equal(ballotVerdict({ state: 'AA', choice: '_write-in', writeIn: '' }, data).level, 'uncounted');
});

test('nothing to say without a state or a choice, or for a state the data does not know', () => {
  assert.equal(ballotVerdict({ state: '', choice: 'green' }, data), null);
  assert.equal(ballotVerdict({ state: 'AA', choice: '' }, data), null);
  assert.equal(ballotVerdict({ state: 'toString', choice: 'green' }, data), null);
});

test('the partners whose vote will not be counted', () => {
  assert.deepEqual(uncountedPartners([{ state: 'AA', choice: 'grey' }, { state: 'BB', choice: 'grey' }], data), [0]);
  assert.deepEqual(uncountedPartners([{ state: '', choice: 'green' }, { state: 'AA', choice: 'gold' }], data), []);
});

test('a pact claims only what holds for its states', () => {
  assert.equal(claimKey([{ state: 'AA' }, { state: 'AA' }]), 'claim_same');
  assert.equal(claimKey([{ state: 'AA' }, { state: 'BB' }]), 'claim_cross');
  assert.equal(claimKey([{ state: 'AA' }, { state: '' }]), 'claim_national');
  assert.equal(claimKey([{ state: '' }, { state: '' }]), 'claim_national');
});

test('words are filled in as text', () => {
  assert.equal(fillWords('{who} in {state}', { who: '<b>', state: 'Alpha' }), '<b> in Alpha');
  assert.equal(fillWords('{missing} stays', {}), '{missing} stays');
  assert.equal(fillWords('{constructor}', {}), '{constructor}');
});
