/* The pact card maker and the page behind a shared card: the form, what it says about each vote,
   and the card with its images, link, print view, calendar reminder and text.

   Data and words: pact-data.json, or pact-data.<lang>.json, in the page's language (built by
   votepact/pact.py from data/ and from templates/_pact_words.html and _ballot_words.html). The other modules come from the addresses
   in the page's data-*-module attributes (templates/_pact_modules.html); the drawing module only
   once a card is made. The pact lives only in the URL fragment; text from people and links goes
   through textContent or fillText, never through markup. */

const root = document.getElementById('pact');
const byId = (id) => document.getElementById(id);
const lang = document.documentElement.lang || 'en';
// the form's element ids, by field: n1, s1, m1-<id>, a1, w1 (the same letters as in a link)
const FIELD_IDS = { name: 'n', state: 's', major: 'm', choice: 'a', writeIn: 'w' };

let link, ballot, calendar, electionTime; // modules
let data, election, words, form;
const page = {
  shown: null, // the pact on the card, as read from the form or the link
  made: '', // the day the card was made (YYYY-MM-DD), from the maker's clock or the link; '' if the link has none
  namesLeftOut: false,
  shownErrors: new Set(), // "partner field" of the errors on show, so fixing one clears it
  madeCount: 0,
  objectUrls: [],
  heading: '',
  title: document.title,
  drawing: null,
  squareCanvas: null,
  preview: null, // the card as the form stands, beside the form or (phones) pinned under it
};

if (root) start();

async function start() {
  try {
    const [linkModule, ballotModule, calendarModule, timeModule, response] = await Promise.all([
      import(root.dataset.linkModule), import(root.dataset.ballotModule), import(root.dataset.calendarModule),
      import(root.dataset.timeModule), fetch(root.dataset.src), scriptStyles(),
    ]);
    [link, ballot, calendar, electionTime] = [linkModule, ballotModule, calendarModule, timeModule];
    // the file's name carries a hash of its content, so a cached copy is never stale
    data = await response.json();
  } catch {
    return; // the page stays as without JavaScript: the prose and the blank card
  } finally {
    root.classList.add('pact-ready'); // until now pact.css shows the maker, so showing it shifts nothing
  }
  words = data.words;
  election = link.electionIndex(data);
  page.heading = byId('pact-title').textContent;
  form = byId('pact-form');
  if (electionTime.electionPhase(data.election.date) === 'past') {
    byId('pact-ics').hidden = true; // no reminder for a day gone by
    if (byId('pact-record')) byId('pact-record').hidden = false;
  }
  if (form) enhanceForm();
  byId('pact-copy-link').addEventListener('click', () => copy(byId('pact-link'), say('copied_link')));
  byId('pact-copy-text').addEventListener('click', () => copy(byId('pact-text'), say('copied_text')));
  byId('pact-print').addEventListener('click', () => print());
  byId('pact-no-names').addEventListener('change', (event) => {
    page.namesLeftOut = event.target.checked;
    if (page.shown) renderOutputs(page.shown);
  });
  addEventListener('hashchange', readFragment);
  readFragment();
}

// pact-live.css: the looks of what only this script shows, so not in the page's first render.
function scriptStyles() {
  const sheet = document.createElement('link');
  sheet.rel = 'stylesheet';
  sheet.href = root.dataset.liveCss;
  const loaded = new Promise((resolve) => { sheet.onload = sheet.onerror = resolve; });
  document.head.append(sheet);
  return loaded;
}

/** A sentence of the page's words, {placeholders} filled. */
function say(key, values = {}) {
  return ballot.fillWords(words.ui[key], values);
}

const partnerLabel = (index) => say('partner', { i: index + 1 });

/* ---- the form */

function enhanceForm() {
  byId('pact-maker').hidden = false;
  byId('pact-make').disabled = false; // until now nothing can submit, so no name reaches a URL
  form.addEventListener('change', fieldChanged);
  form.addEventListener('input', recheckShownErrors);
  startPreview();
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const pact = readForm(), problems = allProblems(pact);
    showErrors(problems, true);
    if (!problems.length) showCard(pact, true, today());
  });
  byId('pact-errors').addEventListener('click', (event) => {
    const anchor = event.target.closest('a');
    if (anchor) {
      event.preventDefault(); // following the link would change the fragment
      byId(anchor.getAttribute('href').slice(1)).focus();
    }
  });
  for (const number of [1, 2]) {
    byId(`w${number}-field`).hidden = form.elements['a' + number].value !== link.WRITE_IN;
    showBallotNote(number);
  }
  showAnyway();
}

function readForm() {
  const elements = form.elements;
  return [1, 2].map((number) => ({
    name: link.cleanText(elements['n' + number].value), state: elements['s' + number].value,
    major: elements['m' + number].value, choice: elements['a' + number].value,
    writeIn: link.cleanText(elements['w' + number].value),
  }));
}

// The pact's problems, and a vote that will not be counted unless "Make it anyway" is ticked.
function allProblems(pact) {
  const problems = link.pactProblems(pact, election, lang);
  if (!byId('pact-anyway').checked) {
    for (const index of ballot.uncountedPartners(pact, data)) {
      const verdict = ballot.ballotVerdict(pact[index], data);
      problems.push({ partner: index, field: 'anyway', kind: 'uncounted', key: 'err_anyway',
        values: { who: verdict.who || say('someone'), state: verdict.state } });
    }
  }
  return problems;
}

function fieldChanged(event) {
  const name = event.target.name || '', field = name[0], number = Number(name.slice(1));
  if (!(number === 1 || number === 2)) return;
  const said = [];
  if (field === FIELD_IDS.major) {
    // a pact needs one of each: offer the other partner the other major candidate
    const other = form.elements['m' + (3 - number)];
    const candidate = data.majors.find((major) => major.id !== event.target.value);
    if (!other.value && candidate) {
      byId(`m${3 - number}-${candidate.id}`).checked = true;
      said.push(say('other', { i: 3 - number, who: candidate.name }));
    }
  }
  if (field === FIELD_IDS.choice) byId(`w${number}-field`).hidden = event.target.value !== link.WRITE_IN;
  if ('saw'.includes(field)) said.push(showBallotNote(number));
  showAnyway();
  announce(byId('pact-live'), said.filter(Boolean).join(' '));
}

function showAnyway() {
  const needed = ballot.uncountedPartners(readForm(), data).length > 0;
  byId('anyway-field').hidden = !needed;
  if (!needed) byId('pact-anyway').checked = false;
}

// Once errors are on show, each goes as soon as its field is right; no new one appears until "Make the card".
function recheckShownErrors() {
  if (byId('pact-errors').hidden) return;
  const still = allProblems(readForm()).filter((problem) => page.shownErrors.has(`${problem.partner} ${problem.field}`));
  showErrors(still, false);
}

const controlId = (problem) => (problem.field === 'anyway' ? 'pact-anyway' : FIELD_IDS[problem.field] + (problem.partner + 1));
const errorId = (problem) => (problem.field === 'anyway' ? 'anyway-error' : controlId(problem) + '-error');

function showErrors(problems, moveFocus) {
  for (const element of form.querySelectorAll('.field-error')) {
    element.hidden = true;
    element.textContent = '';
  }
  for (const element of form.querySelectorAll('[aria-invalid]')) element.removeAttribute('aria-invalid');
  const summary = byId('pact-errors'), list = summary.querySelector('ul');
  list.replaceChildren();
  page.shownErrors = new Set(problems.map((problem) => `${problem.partner} ${problem.field}`));
  for (const problem of problems) {
    const message = `${partnerLabel(problem.partner)}: ${say(problem.key, problem.values)}`;
    const error = byId(errorId(problem));
    error.textContent = error.textContent ? `${error.textContent} ${message}` : message;
    error.hidden = false;
    const target = problem.field === 'major' ? form.querySelector(`[name=${controlId(problem)}]`) : byId(controlId(problem));
    if (problem.field !== 'major') target.setAttribute('aria-invalid', 'true');
    const item = document.createElement('li'), anchor = document.createElement('a');
    anchor.href = '#' + target.id;
    anchor.textContent = message;
    item.append(anchor);
    list.append(item);
  }
  summary.hidden = !problems.length;
  if (problems.length && moveFocus) summary.focus();
}

/* ---- what the form says about a partner's vote: three levels, told by a word and a symbol
   as well as by colour; a vote that will not be counted gets a heading and the tickets on
   that state's ballot, each one tap away */

function showBallotNote(number) {
  const person = readForm()[number - 1], box = byId('note' + number);
  const verdict = ballot.ballotVerdict(person, data);
  box.replaceChildren();
  box.hidden = !verdict;
  box.className = 'ballot-note' + (verdict ? ` level-${verdict.level}` : '');
  if (!verdict) return '';
  const sentence = ballot.fillWords(words.sentences[verdict.key], { who: verdict.who || say('someone'), state: verdict.state });
  const label = words.levels[verdict.level], symbol = words.symbols[verdict.level];
  const add = (tag, text, className) => {
    const element = document.createElement(tag);
    element.textContent = text;
    if (className) element.className = className;
    box.append(element);
    return element;
  };
  if (verdict.level === 'uncounted') {
    const heading = add('h3', '', 'ballot-heading');
    heading.append(symbolSpan(symbol), say('uncounted_heading', { partner: partnerLabel(number - 1) }));
    add('p', sentence);
  } else {
    const paragraph = add('p', '');
    const strong = document.createElement('strong');
    strong.append(symbolSpan(symbol), `${label}: `);
    paragraph.append(strong, sentence);
  }
  if (verdict.notes.length) {
    const list = add('ul', '', 'ballot-notes');
    for (const note of verdict.notes) {
      const item = document.createElement('li');
      item.textContent = note;
      list.append(item);
    }
  }
  if (verdict.level === 'uncounted') offerAlternatives(box, number, verdict, add);
  return `${partnerLabel(number - 1)}: ${label}. ${sentence}`;
}

function symbolSpan(symbol) {
  const span = document.createElement('span');
  span.className = 'level-symbol';
  span.setAttribute('aria-hidden', 'true');
  span.textContent = symbol;
  return span;
}

function offerAlternatives(box, number, verdict, add) {
  if (!verdict.onBallot.length) {
    add('p', say('no_alternatives', { state: verdict.state }));
    return;
  }
  add('p', say('alternatives', { state: verdict.state }), 'ballot-offer');
  const choices = add('div', '', 'ballot-choices');
  for (const ticket of verdict.onBallot) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'button secondary';
    button.textContent = ticket.name;
    button.addEventListener('click', () => {
      const select = byId('a' + number);
      select.value = ticket.id;
      byId(`w${number}-field`).hidden = true;
      showBallotNote(number);
      showAnyway();
      recheckShownErrors();
      if (page.preview) showPreview();
      select.focus(); // the button is gone; focus stays on what it changed
      announce(byId('pact-live'), say('chose', { partner: partnerLabel(number - 1), who: ticket.name }));
    });
    choices.append(button);
  }
}

/* ---- the card as the form stands: a copy of the finished card's markup, filled by the same
   code on every change. It repeats what the form's fields already say, so screen readers skip it
   (aria-hidden) rather than hear the card again on each keystroke. */

function startPreview() {
  const preview = document.createElement('div'), label = document.createElement('p'), card = byId('pact-card').cloneNode(true);
  card.removeAttribute('id');
  label.className = 'pc-live-label';
  label.textContent = say('preview');
  preview.className = 'pc-live';
  preview.setAttribute('aria-hidden', 'true');
  preview.append(label, card);
  const lane = document.createElement('div'); // on wide screens, how far it may travel (pact-live.css)
  lane.className = 'pc-live-lane';
  lane.append(preview);
  // beside the form on a wide screen; on a narrower one in the bar over "Make the card" (pact-live.css)
  const wide = matchMedia('(min-width: 64rem)');
  const place = () => (wide.matches ? byId('pact-maker').after(lane) : byId('pact-make').before(lane));
  wide.addEventListener('change', place);
  place();
  page.preview = preview;
  for (const type of ['input', 'change']) form.addEventListener(type, showPreview);
  showPreview();
}

function showPreview() {
  const before = [...page.preview.querySelectorAll('.pc-partner')].map((panel) => panel.textContent);
  const pact = readForm(), card = cardModel(pact, true, today());
  fillCard(page.preview, card, ['name1', 'from1', 'to1', 'name2', 'from2', 'to2']);
  // a panel takes the card's colour once both of its choices are made
  page.preview.querySelectorAll('.pc-partner').forEach((panel, index) => {
    panel.classList.toggle('pc-complete', Boolean(card.partners[index].from && card.partners[index].to));
  });
  for (const slot of page.preview.querySelectorAll('.pc-from, .pc-to')) { // a choice not yet made says so
    slot.classList.toggle('pc-empty', !slot.textContent);
    slot.textContent ||= say('not_chosen');
  }
  if (matchMedia('(prefers-reduced-motion: reduce)').matches) return;
  page.preview.querySelectorAll('.pc-partner').forEach((panel, index) => {
    if (panel.textContent !== before[index]) panel.animate([{ backgroundColor: 'var(--brand-soft)' }, {}], 400);
  });
}

/* ---- a link's fragment */

function readFragment() {
  const fragment = location.hash.slice(1);
  if (fragment && document.getElementById(fragment)) return; // an anchor on the page, not a pact
  let pact = null, error = '';
  if (fragment) {
    try {
      pact = link.decodePact(fragment, election, lang);
      page.made = link.decodeDay(fragment);
    } catch (problem) {
      error = problem instanceof link.LinkError ? say('link_' + problem.reason, { max: link.MAX_NAME }) : say('link_broken');
    }
  }
  if (form) byId('pact-maker').hidden = Boolean(pact);
  byId('pact-message').hidden = !error;
  byId('pact-message-text').textContent = error;
  byId('pact-result').hidden = true;
  document.body.classList.remove('pact-has-card');
  root.classList.toggle('pact-shared', Boolean(pact));
  byId('pact-about').hidden = !pact;
  if (byId('pact-own')) byId('pact-own').hidden = !pact; // the call to make one's own, under the card
  byId('pact-title').textContent = pact ? sharedHeading(pact) : page.heading;
  document.title = pact ? `${sharedHeading(pact)} · ${data.site.title}` : page.title;
  if (pact) showCard(pact, false, page.made);
}

function sharedHeading(pact) {
  const [first, second] = pact.map((person) => person.name);
  if (first && second) return say('shared_named', { first, second });
  if (first || second) return say('shared_one', { first: first || second });
  return say('shared');
}

/* ---- the card */

// The day as the maker's calendar has it, YYYY-MM-DD (the link's "d").
function today() {
  const now = new Date();
  return [now.getFullYear(), now.getMonth() + 1, now.getDate()].map((n) => String(n).padStart(2, '0')).join('-');
}

const longDate = (day) => new Date(day).toLocaleDateString(lang, { dateStyle: 'long', timeZone: 'UTC' });

// A pact is agreed before the votes are cast: a day after election day (a card made for a race
// already run) is no day of agreement, so the card names none. Both are YYYY-MM-DD.
const agreedOn = (made) => (made && made <= data.election.date ? say('made', { date: longDate(made) }) : '');

// The address printed on the card: the site's own (pact.html's data-card-url, from
// data/site.yaml), else this page's host.
const cardAddress = () => root.dataset.cardUrl || location.host + new URL(root.dataset.pactUrl, location.href).pathname;

function cardModel(pact, own, made) {
  const verdicts = pact.map((person) => ballot.ballotVerdict(person, data));
  const states = pact.map((person) => (person.state ? data.states[person.state].name : ''));
  const flagged = verdicts.some((verdict) => verdict?.level === 'uncounted');
  return {
    site: data.site.title,
    logo: root.querySelector('.pc-logo'), // the site's mark, as the card's band shows it
    election: `${data.election.name} · ${longDate(data.election.date)}`,
    title: say('title'),
    made: agreedOn(made),
    heading: say(own ? 'own' : 'shared'),
    labelFrom: say('label_from'),
    labelTo: say('label_to'),
    flag: flagged ? say('flag_card') : '',
    claim: say(ballot.claimKey(pact), { state: states[0], state1: states[0], state2: states[1] }),
    shortClaim: say(ballot.claimKey(pact) + '_short', { state: states[0], state1: states[0], state2: states[1] }),
    url: cardAddress(),
    partners: pact.map((person, index) => {
      const ticket = election.alternatives.get(person.choice), verdict = verdicts[index];
      const uncounted = verdict?.level === 'uncounted';
      return {
        name: person.name || partnerLabel(index),
        state: states[index],
        from: election.majors.get(person.major)?.name || '', // '' only while the form is half filled
        to: ticket ? ticket.name : person.writeIn,
        note: ticket ? ticket.party + (ticket.ballot[person.state] === 'write-in' ? ' · ' + say('write_in') : '') : person.choice ? say('write_in') : '',
        flag: uncounted ? `${words.symbols.uncounted} ${say('flag_partner', { state: states[index] })}` : '',
        warning: uncounted ? say('flag_text', { who: verdict.who, name: person.name || partnerLabel(index), state: verdict.state }) : '',
      };
    }),
  };
}

function showCard(pact, own, made) {
  page.shown = pact;
  page.made = made;
  const card = cardModel(pact, own, made), result = byId('pact-result'), heading = byId('card-heading');
  heading.textContent = card.heading;
  result.hidden = false;
  fillCard(byId('pact-card'), card);
  document.body.classList.add('pact-has-card');
  if (own) { // the card's top in view, its heading focused (pact.css rings it for keyboard users only)
    heading.scrollIntoView({ block: 'start', behavior: 'instant' });
    heading.focus({ preventScroll: true });
  }
  renderOutputs(pact);
}

// Every data-f slot of a card's markup, as text; an empty slot is hidden unless named in `kept`.
function fillCard(element, card, kept = []) {
  const values = { title: card.title, made: card.made, flag: card.flag, claim: card.claim, shortClaim: card.shortClaim, url: card.url };
  card.partners.forEach((partner, index) => {
    for (const key of ['name', 'state', 'from', 'to', 'note', 'flag']) values[key + (index + 1)] = partner[key];
  });
  for (const slot of element.querySelectorAll('[data-f]')) {
    slot.textContent = values[slot.dataset.f] || '';
    slot.hidden = !slot.textContent && !kept.includes(slot.dataset.f);
  }
  for (const panel of element.querySelectorAll('.pc-partner')) {
    panel.classList.toggle('pc-uncounted', Boolean(card.partners[panel.dataset.partner - 1].flag));
  }
  element.classList.toggle('pc-flagged', Boolean(card.flag));
  for (const slot of element.querySelectorAll('.pc-name, .pc-to')) fitLongWords(slot);
}

// A word wider than its panel makes the text smaller (down to 60%) before it may break inside a word.
function fitLongWords(element) {
  element.style.removeProperty('font-size');
  element.classList.add('pc-fitting'); // pact.css: no breaking inside words while measuring
  let size = parseFloat(getComputedStyle(element).fontSize);
  const smallest = size * 0.6;
  while (element.scrollWidth > element.clientWidth + 1 && size > smallest) {
    size -= 1;
    element.style.fontSize = `${size}px`;
  }
  element.classList.remove('pc-fitting');
}

// The link, the text, the images and the reminder, with or without the names.
async function renderOutputs(shownPact) {
  const run = ++page.madeCount;
  const pact = page.namesLeftOut ? link.withoutNames(shownPact) : shownPact;
  const card = cardModel(pact, true, page.made);
  const address = new URL(root.dataset.pactUrl + link.pactPath(pact, data.pairings) + '#' + link.encodePact(pact, page.made), location.href).href;
  if (!page.drawing) page.drawing = await import(root.dataset.drawingModule);
  // the image is drawn in the page's own type, with the mark of its band
  await Promise.all([document.fonts.ready, card.logo?.decode().catch(() => {})]);
  if (run !== page.madeCount) return; // a newer card is on its way
  const { drawCard, pngBlob, LAYOUTS } = page.drawing;
  page.squareCanvas ||= document.createElement('canvas');
  drawCard(byId('pact-canvas'), card, LAYOUTS.wide);
  drawCard(page.squareCanvas, card, LAYOUTS.square);
  const text = messageText(card, address);
  for (const url of page.objectUrls) URL.revokeObjectURL(url);
  page.objectUrls = [];
  const base = data.election.id + '-pact', wide = pngBlob(byId('pact-canvas'));
  const attach = (id, blob, file) => {
    const url = URL.createObjectURL(blob);
    page.objectUrls.push(url);
    byId(id).href = url;
    byId(id).download = file;
  };
  byId('pact-link').value = address;
  byId('pact-text').value = text;
  attach('pact-png', wide, base + '-1200x630.png');
  attach('pact-square', pngBlob(page.squareCanvas), base + '-1080x1080.png');
  attach('pact-ics', new Blob([calendar.calendarFile({
    siteTitle: data.site.title, siteUrl: data.site.url, electionId: data.election.id, electionDate: data.election.date,
    summary: say('reminder', { election: data.election.name }), alarm: say('alarm', { title: card.title }),
    description: text, link: address,
  })], { type: 'text/calendar' }), base + '.ics');
  offerShareSheet(card, text, wide, base);
  performance.mark('pact-card-ready');
  byId('pact-result').dataset.ready = run;
}

function messageText(card, address) {
  const warnings = card.partners.map((partner) => partner.warning).filter(Boolean);
  const lines = card.partners.map((partner) => say('line', { ...partner, where: partner.state ? ` (${partner.state})` : '' }));
  return [
    ...(card.flag ? [`⚠ ${card.flag}.`, ...warnings] : []),
    `${card.title}, ${card.election}:`, ...lines, ...(card.made ? [card.made + '.'] : []), card.claim, address,
  ].join('\n');
}

function offerShareSheet(card, text, wide, base) {
  const button = byId('pact-share');
  if (!navigator.share) return;
  const files = [new File([wide], base + '.png', { type: 'image/png' })];
  const shared = navigator.canShare && navigator.canShare({ files }) ? { files, title: card.title, text } : { title: card.title, text };
  button.onclick = () => navigator.share(shared).catch((error) => {
    if (error.name !== 'AbortError') announce(byId('pact-said'), say('share_failed'));
  });
  button.hidden = false;
}

/* ---- copying and announcing */

async function copy(field, done) {
  try {
    await navigator.clipboard.writeText(field.value);
    announce(byId('pact-said'), done);
  } catch { // no clipboard here: select the text for the person to copy
    byId('pact-tools').open = true;
    field.focus();
    field.select();
    announce(byId('pact-said'), say('select'));
  }
}

function announce(region, text) {
  region.textContent = '';
  if (text) setTimeout(() => { region.textContent = text; }, 50);
}
