// Unit tests for static/js/election-time.js: the phase from the visitor's own calendar date.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { daysUntil, electionPhase, showElectionTime } from '../../static/js/election-time.js';

test('before, on and after election day, by the local date', () => {
  assert.equal(electionPhase('2016-11-08', new Date(2016, 10, 7, 23, 59)), 'upcoming');
  assert.equal(electionPhase('2016-11-08', new Date(2016, 10, 8, 0, 0)), 'today');
  assert.equal(electionPhase('2016-11-08', new Date(2016, 10, 8, 23, 59)), 'today');
  assert.equal(electionPhase('2016-11-08', new Date(2016, 10, 9, 0, 1)), 'past');
  assert.equal(electionPhase('2016-11-08', new Date(2026, 0, 1)), 'past');
});

test('days until election day, across a month and a year', () => {
  assert.equal(daysUntil('2016-11-08', new Date(2016, 9, 30, 22)), 9);
  assert.equal(daysUntil('2017-01-02', new Date(2016, 11, 31, 1)), 2);
  assert.equal(daysUntil('2016-11-08', new Date(2016, 10, 10)), -2);
});

test('in Node there is no page: nothing is shown and nothing breaks', () => {
  assert.equal(showElectionTime({ getElementById: () => null }), null);
});
