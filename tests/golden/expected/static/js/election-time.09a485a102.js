/* Whether the election is upcoming, today or past, decided in the visitor's browser from the
   election's date (templates/_election_time.html), so that a site built before election day
   becomes a record by itself and every build stays the same bytes on any day.
   electionPhase() is pure; the rest runs only in a page. The phase is also set on <html> as
   data-election-phase, for styles and for the pact card maker (which also imports this). */

/** 'upcoming', 'today' or 'past': election day (YYYY-MM-DD) against `now`'s local calendar date. */
export function electionPhase(electionDate, now = new Date()) {
  const today = localDate(now);
  if (today < electionDate) return 'upcoming';
  return today === electionDate ? 'today' : 'past';
}

/** Whole days from `now`'s local date until election day (negative once it has passed). */
export function daysUntil(electionDate, now = new Date()) {
  const [year, month, day] = electionDate.split('-').map(Number);
  const start = Date.UTC(now.getFullYear(), now.getMonth(), now.getDate());
  return Math.round((Date.UTC(year, month - 1, day) - start) / 864e5);
}

function localDate(moment) {
  const pad = (number) => String(number).padStart(2, '0');
  return `${moment.getFullYear()}-${pad(moment.getMonth() + 1)}-${pad(moment.getDate())}`;
}

/** Say the phase in the box from _election_time.html; returns the phase (or null without the box). */
export function showElectionTime(doc, now = new Date()) {
  const box = doc.getElementById('election-time');
  if (!box) return null;
  const { electionDate, dateText } = box.dataset;
  const phase = electionPhase(electionDate, now);
  const lang = doc.documentElement.lang || 'en';
  const relative = Intl.RelativeTimeFormat
    ? new Intl.RelativeTimeFormat(lang, { numeric: 'auto' }).format(daysUntil(electionDate, now), 'day') : '';
  const sentence = box.dataset[phase].replace('{date}', dateText).replace('{relative}', relative);
  const day = doc.getElementById('election-day');
  day.textContent = sentence;
  day.hidden = phase === 'past'; // the notice says it, with the date
  doc.getElementById('election-over').hidden = phase !== 'past';
  doc.documentElement.dataset.electionPhase = phase;
  return phase;
}

if (globalThis.document) showElectionTime(globalThis.document);
