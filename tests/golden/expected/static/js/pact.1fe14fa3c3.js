/* The pact card maker: the form, ballot warnings, and the card as images, link, print view, .ics
   and text. Data: pact-data.json, built from data/; words: #pact-words in the page. The pact lives
   only in the URL fragment; text from people and links goes through textContent or fillText. */

const MAX = 40; // characters (grapheme clusters) in a name
const WRITE_IN = '_write-in'; // "someone else" in the form; never a candidate id
const VERSION = 'v1';
const FONT = 'system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","DejaVu Sans",sans-serif';
const INK = '#1b1f24', PAPER = '#fffdf8', ACCENT = '#1d3557', GREEN = '#1d6b45', MUTED = '#4a5360',
  LINE = '#d9d4c7', WHITE = '#ffffff';
const WIDE = { w: 1200, h: 630, band: 88, title: 140, top: 180, bottom: 540, foot: 590, k: 1 };
const SQUARE = { w: 1080, h: 1080, band: 120, title: 210, top: 280, bottom: 950, foot: 1018, k: 1.4 };

const $ = (id) => document.getElementById(id);
const root = $('pact');
const lang = document.documentElement.lang || 'en';
const segmenter = Intl.Segmenter ? new Intl.Segmenter(lang) : null;
const graphemes = (s) => (segmenter ? Array.from(segmenter.segment(s), (g) => g.segment) : Array.from(s));
const list = (names) => (Intl.ListFormat ? new Intl.ListFormat(lang).format(names) : names.join(', '));
let D, T, majors, alts, form, made = 0, urls = [];
// a sentence from #pact-words with its {placeholders} filled
const t = (key, v = {}) => T[key].replace(/\{([\w-]+)\}/g, (_, k) => v[k]);
const square = document.createElement('canvas');
square.width = SQUARE.w;
square.height = SQUARE.h;

class LinkError extends Error {}

if (root) start();

async function start() {
  try {
    // the file's name carries a hash of its content, so a cached copy is never stale
    const response = await fetch(root.dataset.src);
    D = await response.json();
  } catch {
    return; // the page stays as without JavaScript: the prose and the blank card
  } finally {
    root.classList.add('pact-ready'); // until now pact.css shows the maker, so showing it shifts nothing
  }
  T = JSON.parse($('pact-words').textContent);
  majors = new Map(D.majors.map((c) => [c.id, c]));
  alts = new Map(D.alternatives.map((c) => [c.id, c]));
  form = $('pact-form');
  if (form) enhance();
  $('pact-copy-link').addEventListener('click', () => copy($('pact-link'), t('copied_link')));
  $('pact-copy-text').addEventListener('click', () => copy($('pact-text'), t('copied_text')));
  $('pact-print').addEventListener('click', () => print());
  addEventListener('hashchange', readHash);
  readHash();
}

/* ---- the pact: [{n: name, s: state, m: major, a: alternative or WRITE_IN, w: write-in}, {...}] */

const state = (code) => (code && Object.hasOwn(D.states, code) ? D.states[code] : null);

function clean(s) {
  return s.normalize('NFC').replace(/[\p{Cc}\u2028\u2029]/gu, ' ')
    .replace(/[\u200E\u200F\u202A-\u202E\u2066-\u2069]/g, '').replace(/\s+/g, ' ').trim();
}

function problems(p) {
  const out = [];
  const add = (i, f, msg, kind = 'missing') => out.push({ i, f, kind, msg: `${t('partner', { i: i + 1 })}: ${msg}` });
  const long = (i, f, s) => graphemes(s).length > MAX &&
    add(i, f, t('err_long', { max: MAX, n: graphemes(s).length }), 'long');
  p.forEach((x, i) => {
    long(i, 'n', x.n);
    if (!x.m) add(i, 'm', t('err_major'));
    if (!x.a) add(i, 'a', t('err_alt'));
    else if (x.a === WRITE_IN && !x.w) add(i, 'w', t('err_write'));
    else if (x.a === WRITE_IN) long(i, 'w', x.w);
  });
  if (p[0].m && p[0].m === p[1].m) {
    const [a, b] = D.majors.map((c) => c.name);
    add(1, 'm', t('err_same', { who: majors.get(p[0].m).name, a, b }), 'same');
  }
  return out;
}

function encode(p) {
  const q = new URLSearchParams();
  p.forEach((x, j) => {
    const i = j + 1, written = x.a === WRITE_IN;
    q.set('n' + i, x.n); q.set('s' + i, x.s); q.set('m' + i, x.m);
    q.set('a' + i, written ? '' : x.a); q.set('w' + i, written ? x.w : '');
  });
  return `${VERSION}&${q}`;
}

function decode(hash) {
  const fail = (why) => { throw new LinkError(t('link_' + why, { max: MAX })); };
  if (hash.length > 16384) fail('huge');
  const [version, ...parts] = hash.split('&');
  if (!/^v\d+$/.test(version)) fail('none');
  if (version !== VERSION) fail('version');
  const f = new Map();
  for (const part of parts) {
    const at = part.indexOf('=');
    const key = at < 0 ? part : part.slice(0, at);
    let value;
    try {
      value = decodeURIComponent((at < 0 ? '' : part.slice(at + 1)).replace(/\+/g, ' '));
    } catch {
      fail('damaged');
    }
    if (f.has(key)) fail('damaged');
    f.set(key, value);
  }
  const get = (k) => f.get(k) || '';
  const p = [1, 2].map((i) => {
    const x = { n: clean(get('n' + i)), s: get('s' + i), m: get('m' + i), a: get('a' + i), w: clean(get('w' + i)) };
    if (x.s && !state(x.s)) fail('state');
    if ((x.m && !majors.has(x.m)) || (x.a && !alts.has(x.a))) fail('candidate');
    if (!x.a && x.w) x.a = WRITE_IN;
    if (x.a !== WRITE_IN) x.w = '';
    return x;
  });
  const bad = problems(p);
  if (bad.length) fail(bad[0].kind);
  return p;
}

function linkFor(p) {
  const [a, b] = p.map((x) => x.a);
  const slug = a !== WRITE_IN && b !== WRITE_IN && (D.pairings[`${a} ${b}`] || D.pairings[`${b} ${a}`]);
  return new URL(root.dataset.pactUrl + (slug ? slug + '/' : '') + '#' + encode(p), location.href).href;
}

/* ---- ballot warnings: [kind, text] for one partner, or null when there is nothing to say */

function ballotNote(x) {
  const st = state(x.s);
  if (!st || !x.a) return null;
  const c = alts.get(x.a), rule = st.write_ins, v = { state: st.name, who: c ? c.name : x.w || t('someone') };
  const names = D.alternatives.filter((o) => o.ballot[x.s] === 'ballot' && o !== c).map((o) => o.name);
  const warn = (key) => ['warn', t(key, v) + (names.length ? t('on_ballot', { ...v, names: list(names) }) : '')];
  if (!c) return rule === 'any' ? ['ok', t('wi_any', v)] : warn('wi_' + rule);
  const status = c.ballot[x.s] || 'unknown';
  if (status === 'ballot') return ['ok', t('ballot', v)];
  return warn(status === 'none' && rule === 'none' ? 'none_none' : status);
}

/* ---- the form */

function enhance() {
  $('pact-maker').hidden = false;
  $('pact-make').disabled = false; // until now nothing can submit, so no name reaches a URL
  form.addEventListener('change', changed);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const p = readForm(), bad = problems(p);
    showErrors(bad);
    if (!bad.length) show(p, true);
  });
  $('pact-errors').addEventListener('click', (event) => {
    const a = event.target.closest('a');
    if (a) {
      event.preventDefault(); // following the link would change the fragment
      $(a.getAttribute('href').slice(1)).focus();
    }
  });
  for (const i of [1, 2]) {
    $(`w${i}-field`).hidden = form.elements['a' + i].value !== WRITE_IN;
    note(i);
  }
}

function readForm() {
  const e = form.elements;
  return [1, 2].map((i) => ({
    n: clean(e['n' + i].value), s: e['s' + i].value, m: e['m' + i].value, a: e['a' + i].value, w: clean(e['w' + i].value),
  }));
}

function changed(event) {
  const name = event.target.name || '', f = name[0], i = +name.slice(1);
  if (!(i === 1 || i === 2)) return;
  const said = [];
  if (f === 'm') {
    // a pact needs one of each: offer the other partner the other major candidate
    const other = form.elements['m' + (3 - i)], c = D.majors.find((o) => o.id !== event.target.value);
    if (!other.value && c) {
      $(`m${3 - i}-${c.id}`).checked = true;
      said.push(t('other', { i: 3 - i, who: c.name }));
    }
  }
  if (f === 'a') $(`w${i}-field`).hidden = event.target.value !== WRITE_IN;
  if ('saw'.includes(f)) said.push(note(i));
  say($('pact-live'), said.filter(Boolean).join(' '));
}

function note(i) {
  const n = ballotNote(readForm()[i - 1]), el = $('note' + i);
  el.hidden = !n;
  el.className = 'ballot-note ' + (n ? n[0] : '');
  el.textContent = n ? n[1] : '';
  return n ? `${t('partner', { i })}: ${n[1]}` : '';
}

function showErrors(bad) {
  for (const el of form.querySelectorAll('.field-error')) {
    el.hidden = true;
    el.textContent = '';
  }
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  const box = $('pact-errors'), ul = box.querySelector('ul');
  ul.replaceChildren();
  for (const { i, f, msg } of bad) {
    const id = f + (i + 1), err = $(id + '-error');
    err.textContent = msg;
    err.hidden = false;
    const target = f === 'm' ? form.querySelector(`[name=${id}]`) : $(id);
    if (f !== 'm') target.setAttribute('aria-invalid', 'true');
    const li = document.createElement('li');
    li.append(Object.assign(document.createElement('a'), { href: '#' + target.id, textContent: msg }));
    ul.append(li);
  }
  box.hidden = !bad.length;
  if (bad.length) box.focus();
}

/* ---- a link's fragment */

function readHash() {
  const hash = location.hash.slice(1);
  if (hash && document.getElementById(hash)) return; // an anchor on the page, not a pact
  let p = null, error = '';
  if (hash) {
    try {
      p = decode(hash);
    } catch (e) {
      error = e instanceof LinkError ? e.message : t('link_broken');
    }
  }
  if (form) $('pact-maker').hidden = !!p;
  $('pact-own').hidden = !p;
  $('pact-message').hidden = !error;
  $('pact-message-text').textContent = error;
  $('pact-result').hidden = true;
  document.body.classList.remove('pact-has-card');
  if (p) show(p, false);
}

/* ---- the card */

function model(p) {
  return {
    site: D.site.title,
    election: `${D.election.name} · ${new Date(D.election.date).toLocaleDateString(lang, { dateStyle: 'long', timeZone: 'UTC' })}`,
    title: t('title'),
    partners: p.map((x, i) => {
      const c = alts.get(x.a), st = state(x.s);
      return {
        name: x.n || t('partner', { i: i + 1 }),
        state: st ? st.name : '',
        from: majors.get(x.m).name,
        to: c ? c.name : x.w,
        note: c ? c.party + (st && c.ballot[x.s] === 'write-in' ? ' · ' + t('write_in') : '') : t('write_in'),
      };
    }),
    foot: t('foot'),
    url: D.site.url.replace(/^https?:\/\//, '').replace(/\/$/, ''),
  };
}

function show(p, own) {
  const m = model(p), link = linkFor(p), result = $('pact-result'), heading = $('card-heading');
  const values = { ...m };
  m.partners.forEach((x, i) => {
    for (const k in x) values[k + (i + 1)] = x[k];
  });
  for (const el of result.querySelectorAll('[data-f]')) {
    el.textContent = values[el.dataset.f] || '';
    el.hidden = !el.textContent;
  }
  draw($('pact-canvas'), m, WIDE);
  draw(square, m, SQUARE);
  outputs(m, link);
  performance.mark('pact-card-ready');
  result.dataset.ready = ++made;
  heading.textContent = t(own ? 'own' : 'shared');
  result.hidden = false;
  document.body.classList.add('pact-has-card');
  if (own) heading.focus();
}

function message(m, link) {
  const lines = m.partners.map((x) => t('line', { ...x, where: x.state ? ` (${x.state})` : '' }));
  return [`${m.title}, ${m.election}:`, ...lines, m.foot, link].join('\n');
}

// Encoded here and now: toBlob() may wait up to a second for the browser to be idle.
function png(canvas) {
  const bytes = atob(canvas.toDataURL('image/png').split(',')[1]), a = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) a[i] = bytes.charCodeAt(i);
  return new Blob([a], { type: 'image/png' });
}

function outputs(m, link) {
  for (const u of urls) URL.revokeObjectURL(u);
  urls = [];
  const base = D.election.id + '-pact', text = message(m, link), wide = png($('pact-canvas')), share = $('pact-share');
  const attach = (id, blob, file) => {
    const u = URL.createObjectURL(blob);
    urls.push(u);
    $(id).href = u;
    $(id).download = file;
  };
  $('pact-link').value = link;
  $('pact-text').value = text;
  attach('pact-ics', new Blob([ics(m, link, text)], { type: 'text/calendar' }), base + '.ics');
  attach('pact-png', wide, base + '-1200x630.png');
  attach('pact-square', png(square), base + '-1080x1080.png');
  if (!navigator.share) return;
  const files = [new File([wide], base + '.png', { type: 'image/png' })];
  const data = navigator.canShare && navigator.canShare({ files }) ? { files, title: m.title, text } : { title: m.title, text };
  share.onclick = () => navigator.share(data).catch((e) => {
    if (e.name !== 'AbortError') say($('pact-said'), t('share_failed'));
  });
  share.hidden = false;
}

/* ---- drawing: both partners side by side, on the site's paper, ink and accent */

function font(c, size, weight) {
  c.font = `${weight} ${Math.round(size)}px ${FONT}`;
}

function clip(c, s, max) {
  if (c.measureText(s).width <= max) return s;
  const g = graphemes(s);
  while (g.length && c.measureText(g.join('') + '…').width > max) g.pop();
  return g.join('').trimEnd() + '…';
}

function wrap(c, s, max) {
  const out = [];
  let line = '';
  for (const word of s.split(' ')) {
    const next = line ? line + ' ' + word : word;
    if (c.measureText(next).width <= max) {
      line = next;
      continue;
    }
    if (line) out.push(line);
    line = word;
    while (c.measureText(line).width > max) { // a word wider than the panel breaks between characters
      const g = graphemes(line);
      let k = g.length - 1;
      while (k > 1 && c.measureText(g.slice(0, k).join('')).width > max) k--;
      out.push(g.slice(0, k).join(''));
      line = g.slice(k).join('');
    }
  }
  return line ? [...out, line] : out;
}

// Text in at most `rows` lines, shrunk down to `min` and clipped if it must be; returns the next y.
function block(c, s, x, y, max, size, min, weight, color, paint, rows = 1) {
  let z = size, lines;
  for (;; z -= 2) {
    font(c, z, weight);
    lines = wrap(c, s, max);
    if (lines.length <= rows || z - 2 < min) break;
  }
  if (lines.length > rows) lines = [...lines.slice(0, rows - 1), clip(c, lines.slice(rows - 1).join(' '), max)];
  if (paint) {
    c.fillStyle = color;
    lines.forEach((l, j) => c.fillText(l, x, y + j * z * 1.2));
  }
  return y + lines.length * z * 1.2;
}

function partner(c, x, left, width, L, paint, y, s) {
  const k = L.k * s, mid = left + width / 2, max = width - 56 * L.k;
  const label = (t, color) => block(c, t.toUpperCase(), mid, y, max, 17 * k, 12, 600, color, paint) + 4 * k;
  y = block(c, x.name, mid, y, max, 48 * k, 26 * k, 700, INK, paint, 2);
  if (x.state) y = block(c, x.state, mid, y + 2 * k, max, 23 * k, 16, 400, MUTED, paint);
  y += 22 * k;
  y = label(t('label_from'), MUTED);
  y = block(c, x.from, mid, y, max, 28 * k, 18, 400, INK, paint) + 20 * k;
  y = label(t('label_to'), GREEN);
  y = block(c, x.to, mid, y, max, 40 * k, 22 * k, 700, GREEN, paint, 2);
  return block(c, x.note, mid, y + 2 * k, max, 21 * k, 14, 400, MUTED, paint);
}

function draw(canvas, m, L) {
  const c = canvas.getContext('2d'), { w, k } = L, pad = 48, pw = (w - 2 * pad - 56) / 2, ph = L.bottom - L.top;
  const mid = L.top + ph / 2;
  const put = (s, x, y, max, size, weight, color, align) => {
    c.textAlign = align;
    c.textBaseline = 'middle';
    block(c, s, x, y, max, size * k, 14, weight, color, true);
  };
  const box = (color, x, y, bw, bh, r, stroke) => {
    c.beginPath();
    if (c.roundRect) c.roundRect(x, y, bw, bh, r);
    else c.rect(x, y, bw, bh);
    c[stroke ? 'strokeStyle' : 'fillStyle'] = color;
    if (stroke) c.stroke();
    else c.fill();
  };
  box(PAPER, 0, 0, w, L.h, 0);
  box(ACCENT, 0, 0, w, L.band, 0);
  put(m.site, pad, L.band / 2, w * 0.3, 34, 700, WHITE, 'left');
  put(m.election, w - pad, L.band / 2, w * 0.6, 24, 400, WHITE, 'right');
  put(m.title, w / 2, L.title, w - 2 * pad, 46, 700, INK, 'center');
  c.lineWidth = 2;
  m.partners.forEach((x, i) => {
    const left = pad + i * (pw + 56);
    box(GREEN, left, L.top, pw, ph, 18);
    box(WHITE, left, L.top, pw, ph - 9, 18);
    box(LINE, left, L.top, pw, ph - 9, 18, true);
    c.textAlign = 'center';
    c.textBaseline = 'top';
    // measure, shrinking until it fits, then centre the text in its panel
    let s = 1, h;
    while ((h = partner(c, x, left, pw, L, false, 0, s)) > ph - 60 * k && s > 0.6) s -= 0.08;
    partner(c, x, left, pw, L, true, L.top + (ph - h) / 2, s);
  });
  box(ACCENT, w / 2 - 30 * k, mid - 30 * k, 60 * k, 60 * k, 30 * k);
  put('&', w / 2, mid, 60 * k, 32, 700, WHITE, 'center');
  box(LINE, pad, L.foot - 30 * k, w - 2 * pad, 2, 0);
  put(m.foot, pad, L.foot, w * 0.58, 23, 400, INK, 'left');
  put(m.url, w - pad, L.foot, w * 0.3, 26, 700, ACCENT, 'right');
}

/* ---- the calendar reminder (RFC 5545): all day on election day, the same file for the same pact */

function ics(m, link, text) {
  const day = D.election.date.replace(/-/g, '');
  const next = new Date(Date.parse(D.election.date) + 864e5).toISOString().slice(0, 10).replace(/-/g, '');
  const esc = (s) => s.replace(/[\\;,]/g, '\\$&').replace(/\r?\n/g, '\\n');
  let hash = 0x811c9dc5; // FNV-1a of the link: a stable UID that does not show the names
  for (const ch of link) hash = Math.imul(hash ^ ch.codePointAt(0), 16777619) >>> 0;
  const host = new URL(D.site.url).hostname;
  return [
    'BEGIN:VCALENDAR', 'VERSION:2.0', `PRODID:-//${esc(D.site.title)}//Pact card//EN`, 'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH', 'BEGIN:VEVENT', `UID:pact-${D.election.id}-${hash.toString(16)}@${host}`,
    `DTSTAMP:${day}T000000Z`, `DTSTART;VALUE=DATE:${day}`, `DTEND;VALUE=DATE:${next}`,
    `SUMMARY:${esc(t('reminder', { election: D.election.name }))}`, `DESCRIPTION:${esc(text)}`, `URL:${link}`,
    'TRANSP:TRANSPARENT', 'BEGIN:VALARM', 'ACTION:DISPLAY', `DESCRIPTION:${esc(t('alarm', m))}`,
    'TRIGGER:-PT12H', 'END:VALARM', 'END:VEVENT', 'END:VCALENDAR',
  ].map(fold).join('\r\n') + '\r\n';
}

function fold(line) { // at most 75 octets a line, never inside a character
  let out = '', n = 0;
  for (const ch of line) {
    const cp = ch.codePointAt(0), octets = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (n + octets > 75) {
      out += '\r\n ';
      n = 1;
    }
    out += ch;
    n += octets;
  }
  return out;
}

/* ---- copying and announcing */

async function copy(field, done) {
  try {
    await navigator.clipboard.writeText(field.value);
    say($('pact-said'), done);
  } catch { // no clipboard here: select the text for the person to copy
    field.focus();
    field.select();
    say($('pact-said'), t('select'));
  }
}

function say(region, text) {
  region.textContent = '';
  if (text) setTimeout(() => { region.textContent = text; }, 50);
}
