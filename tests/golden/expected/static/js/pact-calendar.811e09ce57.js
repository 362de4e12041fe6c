/* The calendar reminder for a pact (RFC 5545): all day on election day, with an alarm the
   evening before, and the same file for the same pact. Pure: no DOM, no words of its own. */

/** Text as an iCalendar TEXT value: backslash, semicolon and comma escaped, newlines as \n. */
export function escapeText(text) {
  return text.replace(/[\\;,]/g, '\\$&').replace(/\r?\n/g, '\\n');
}

/** One content line folded at 75 octets (UTF-8), never inside a character. */
export function foldLine(line) {
  let folded = '', octets = 0;
  for (const character of line) {
    const code = character.codePointAt(0);
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    if (octets + size > 75) {
      folded += '\r\n ';
      octets = 1;
    }
    folded += character;
    octets += size;
  }
  return folded;
}

/** FNV-1a of a text, as 8 hex digits: a stable identifier that does not show what it hashes. */
export function stableId(text) {
  let hash = 0x811c9dc5;
  for (const character of text) hash = Math.imul(hash ^ character.codePointAt(0), 16777619) >>> 0;
  return hash.toString(16).padStart(8, '0');
}

/** The .ics file: {siteTitle, siteUrl, electionId, electionDate (YYYY-MM-DD), summary, alarm,
    description, link} -> text with CRLF line ends. */
export function calendarFile(event) {
  const day = event.electionDate.replace(/-/g, '');
  const nextDay = new Date(Date.parse(event.electionDate) + 864e5).toISOString().slice(0, 10).replace(/-/g, '');
  const host = new URL(event.siteUrl).hostname;
  return [
    'BEGIN:VCALENDAR', 'VERSION:2.0', `PRODID:-//${escapeText(event.siteTitle)}//Pact card//EN`, 'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH', 'BEGIN:VEVENT', `UID:pact-${event.electionId}-${stableId(event.link)}@${host}`,
    `DTSTAMP:${day}T000000Z`, `DTSTART;VALUE=DATE:${day}`, `DTEND;VALUE=DATE:${nextDay}`,
    `SUMMARY:${escapeText(event.summary)}`, `DESCRIPTION:${escapeText(event.description)}`, `URL:${event.link}`,
    'TRANSP:TRANSPARENT', 'BEGIN:VALARM', 'ACTION:DISPLAY', `DESCRIPTION:${escapeText(event.alarm)}`,
    'TRIGGER:-PT12H', 'END:VALARM', 'END:VEVENT', 'END:VCALENDAR',
  ].map(foldLine).join('\r\n') + '\r\n';
}
