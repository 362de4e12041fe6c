// Unit tests for static/js/pact-calendar.js (RFC 5545).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { calendarFile, escapeText, foldLine, stableId } from '../../static/js/pact-calendar.js';

const event = {
  siteTitle: 'Vote, Pact', siteUrl: 'https://example.org/sub/', electionId: 'e-1', electionDate: '2016-11-08',
  summary: 'Vote; as promised', alarm: 'Tomorrow', description: 'Line one\nLine two, é'.repeat(8), link: 'https://example.org/#v1&n1=Ann',
};

test('lines end in CRLF, fold at 75 octets and never inside a character', () => {
  const file = calendarFile(event);
  assert.ok(file.endsWith('\r\n'));
  assert.equal(file.replace(/\r\n/g, '').includes('\n'), false);
  for (const line of file.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75, line);
  assert.equal(foldLine('é'.repeat(40)).split('\r\n ').join(''), 'é'.repeat(40));
});

test('the event is all day on election day, with a stable id that hides the names', () => {
  const file = calendarFile(event);
  assert.match(file, /\r\nDTSTART;VALUE=DATE:20161108\r\n/);
  assert.match(file, /\r\nDTEND;VALUE=DATE:20161109\r\n/);
  assert.match(file, /\r\nUID:pact-e-1-[0-9a-f]{8}@example\.org\r\n/);
  assert.equal(file.includes('Ann') && /UID:[^\r]*Ann/.test(file), false);
  assert.equal(calendarFile(event), file, 'the same pact gives the same file');
  assert.notEqual(stableId('a'), stableId('b'));
});

test('text values are escaped', () => {
  assert.equal(escapeText('a\\b;c,d\ne'), 'a\\\\b\\;c\\,d\\ne');
  assert.match(calendarFile(event), /PRODID:-\/\/Vote\\, Pact\/\/Pact card\/\/EN/);
});
