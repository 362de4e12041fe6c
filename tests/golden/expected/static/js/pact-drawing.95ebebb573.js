/* The pact card as an image, drawn as the page shows it: the band with the site's mark, both
   partners side by side, in the page's typefaces and colours (site.css's named colours, read
   when drawing, so a site's own palette carries over). Loaded by pact.js only when a card is made
   (a dynamic import). Text from people goes through fillText only. Rows line up across the two
   panels; a long text shrinks before it wraps, wraps at spaces before it breaks a word, and is
   cut with an ellipsis only as a last resort.

   A card: {site, logo, election, title, made, flag, shortClaim, url, labelFrom, labelTo,
            partners: [{name, state, from, to, note, flag}, ...]} (strings, '' leaves a row out;
            logo: a loaded <img> of the site's mark, or null). */

const FONT = '"Inter",system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","DejaVu Sans",sans-serif';
const DISPLAY = '"Inter Display",' + FONT; // the page's headings, at weight 800
// Each colour's custom property in site.css, and the value used where the page has none.
const NAMED = {
  ink: ['--ink', '#1b1a2e'], paper: ['--paper', '#fbf9f4'], soft: ['--brand-soft', '#ece9fb'],
  accent: ['--brand', '#2a2260'], onAccent: ['--on-brand-muted', '#d5d1f3'],
  muted: ['--muted', '#52546a'], line: ['--line', '#dedacd'], action: ['--action', '#ffcf3f'],
};
export const COLOURS = { white: '#ffffff', alert: '#a3261c' };
for (const [key, [, value]] of Object.entries(NAMED)) COLOURS[key] = value;

function readPalette() {
  if (typeof document === 'undefined') return;
  const style = getComputedStyle(document.documentElement);
  for (const [key, [property]] of Object.entries(NAMED)) COLOURS[key] = style.getPropertyValue(property).trim() || COLOURS[key];
}
// Sizes in pixels; `scale` grows the type of the square image.
export const LAYOUTS = {
  wide: { width: 1200, height: 630, band: 88, title: 136, top: 176, bottom: 540, foot: 588, scale: 1 },
  square: { width: 1080, height: 1080, band: 120, title: 200, top: 270, bottom: 900, foot: 1000, scale: 1.4 },
};
const PAD = 48, GUTTER = 56;

function setFont(context, size, weight) {
  context.font = `${weight} ${Math.round(size)}px ${weight >= 800 ? DISPLAY : FONT}`;
}

function characters(text) {
  return Intl.Segmenter ? Array.from(new Intl.Segmenter().segment(text), (part) => part.segment) : Array.from(text);
}

// Lines of at most `width`, broken at spaces; `fits` is false when a single word is wider.
function wrapAtSpaces(context, text, width) {
  const lines = [];
  let line = '', fits = true;
  for (const word of text.split(' ')) {
    const next = line ? `${line} ${word}` : word;
    if (context.measureText(next).width <= width || !line) {
      line = next;
      if (context.measureText(word).width > width) fits = false;
      continue;
    }
    lines.push(line);
    line = word;
  }
  if (line) lines.push(line);
  return { lines, fits };
}

// Last resort: words wider than the panel break between characters, the last line ends in "…".
function forceFit(context, lines, width, rows) {
  const out = [];
  for (let line of lines) {
    while (context.measureText(line).width > width) {
      const parts = characters(line);
      let cut = parts.length - 1;
      while (cut > 1 && context.measureText(parts.slice(0, cut).join('')).width > width) cut--;
      out.push(parts.slice(0, cut).join(''));
      line = parts.slice(cut).join('');
    }
    out.push(line);
  }
  if (out.length <= rows) return out;
  const kept = out.slice(0, rows);
  const last = characters(out.slice(rows - 1).join(' '));
  while (last.length && context.measureText(last.join('') + '…').width > width) last.pop();
  kept[rows - 1] = last.join('').trimEnd() + '…';
  return kept;
}

/** How a text sets in `width`: the largest size from `size` down to `min` at which it takes at
    most `rows` lines without breaking a word. -> {lines, size, height}. */
export function setText(context, text, width, size, min, weight, rows = 1) {
  for (let current = size; ; current -= 1) {
    setFont(context, current, weight);
    const { lines, fits } = wrapAtSpaces(context, text, width);
    if ((fits && lines.length <= rows) || current - 1 < min) {
      const fitted = fits && lines.length <= rows ? lines : forceFit(context, lines, width, rows);
      return { lines: fitted, size: current, height: fitted.length * current * 1.2, weight };
    }
  }
}

function paintText(context, set, x, y, colour) {
  setFont(context, set.size, set.weight);
  context.fillStyle = colour;
  set.lines.forEach((line, index) => context.fillText(line, x, y + index * set.size * 1.2));
}

// The rows of a partner's panel, the same for both partners, so that they line up.
function rowsOf(card, scale) {
  return [
    { text: (p) => p.name, size: 48, min: 20, weight: 800, colour: 'ink', rows: 2, after: 2 },
    { text: (p) => p.state, size: 23, min: 14, weight: 400, colour: 'muted', rows: 1, after: 20 },
    { text: () => card.labelFrom.toUpperCase(), size: 17, min: 11, weight: 600, colour: 'muted', rows: 1, after: 4 },
    { text: (p) => p.from, size: 28, min: 16, weight: 400, colour: 'ink', rows: 1, after: 18 },
    { text: () => card.labelTo.toUpperCase(), size: 17, min: 11, weight: 600, colour: 'accent', rows: 1, after: 4 },
    { text: (p) => p.to, size: 40, min: 18, weight: 700, colour: 'accent', rows: 2, after: 2 },
    { text: (p) => p.note, size: 21, min: 13, weight: 400, colour: 'muted', rows: 1, after: 6 },
    { text: (p) => p.flag, size: 21, min: 13, weight: 700, colour: 'alert', rows: 2, after: 0 },
  ].map((row) => ({ ...row, size: row.size * scale, min: row.min * Math.min(scale, 1.2), after: row.after * scale }));
}

// Each row's text set for both partners at `shrink`, and each row's height (the taller of the two).
function layoutRows(context, card, scale, width, shrink) {
  return rowsOf(card, scale).map((row) => {
    const sets = card.partners.map((partner) => {
      const text = row.text(partner);
      return text ? setText(context, text, width, row.size * shrink, Math.min(row.min, row.size * shrink), row.weight, row.rows) : null;
    });
    const height = Math.max(0, ...sets.map((set) => (set ? set.height : 0)));
    return { row, sets, height, gap: height ? row.after : 0 };
  });
}

function box(context, colour, x, y, width, height, radius, stroke = false) {
  context.beginPath();
  if (context.roundRect) context.roundRect(x, y, width, height, radius);
  else context.rect(x, y, width, height);
  context[stroke ? 'strokeStyle' : 'fillStyle'] = colour;
  if (stroke) context.stroke();
  else context.fill();
}

function line(context, text, x, y, width, size, weight, colour, align, rows = 1) {
  if (!text) return;
  context.textAlign = align;
  context.textBaseline = 'middle';
  const set = setText(context, text, width, size, Math.min(15, size), weight, rows);
  paintText(context, set, x, y - (set.lines.length - 1) * set.size * 0.6, colour);
}

/** Draw `card` on `canvas` in `layout` (one of LAYOUTS). */
export function drawCard(canvas, card, layout) {
  readPalette();
  const context = canvas.getContext('2d'), { width, scale } = layout;
  canvas.width = width;
  canvas.height = layout.height;
  const panelWidth = (width - 2 * PAD - GUTTER) / 2;
  const flagged = Boolean(card.flag);
  const top = layout.top + (flagged ? 56 * scale : 0);
  const panelHeight = layout.bottom - top;
  const wash = context.createLinearGradient(0, layout.band, 0, layout.height * 0.45);
  wash.addColorStop(0, COLOURS.soft);
  wash.addColorStop(1, COLOURS.paper);
  box(context, wash, 0, 0, width, layout.height, 0);
  box(context, COLOURS.accent, 0, 0, width, layout.band, 0);
  const mark = layout.band * 0.56, logo = card.logo?.complete && card.logo.naturalWidth ? card.logo : null;
  if (logo) {
    context.drawImage(logo, PAD, (layout.band - mark) / 2, mark, mark);
    context.lineWidth = 2;
    box(context, 'rgba(255,255,255,.25)', PAD - 1, (layout.band - mark) / 2 - 1, mark + 2, mark + 2, mark / 4, true);
  }
  const name = logo ? PAD + mark + 14 * scale : PAD;
  line(context, card.site, name, layout.band / 2, width * 0.3, 34 * scale, 800, COLOURS.white, 'left');
  line(context, card.election, width - PAD, layout.band / 2, width * 0.6, 24 * scale, 400, COLOURS.onAccent, 'right');
  line(context, card.title, width / 2, layout.title, width - 2 * PAD, 46 * scale, 800, COLOURS.ink, 'center');
  if (flagged) {
    const y = layout.title + 30 * scale;
    box(context, COLOURS.alert, PAD, y, width - 2 * PAD, 46 * scale, 10);
    line(context, `⚠ ${card.flag}`, width / 2, y + 23 * scale, width - 2 * PAD - 24, 24 * scale, 700, COLOURS.white, 'center');
  }
  const inner = panelWidth - 56 * scale;
  let shrink = 1, rows, total;
  for (;;) {
    rows = layoutRows(context, card, scale, inner, shrink);
    total = rows.reduce((sum, row) => sum + row.height + row.gap, 0);
    if (total <= panelHeight - 48 * scale || shrink <= 0.6) break;
    shrink -= 0.05;
  }
  context.lineWidth = 2;
  card.partners.forEach((partner, index) => {
    const left = PAD + index * (panelWidth + GUTTER);
    box(context, partner.flag ? COLOURS.alert : COLOURS.accent, left, top, panelWidth, panelHeight, 18);
    box(context, COLOURS.white, left, top, panelWidth, panelHeight - 9, 18);
    box(context, partner.flag ? COLOURS.alert : COLOURS.line, left, top, panelWidth, panelHeight - 9, 18, true);
  });
  context.textAlign = 'center';
  context.textBaseline = 'top';
  let y = top + (panelHeight - 9 - total) / 2;
  for (const { row, sets, height, gap } of rows) {
    sets.forEach((set, index) => {
      if (set) paintText(context, set, PAD + index * (panelWidth + GUTTER) + panelWidth / 2, y, COLOURS[row.colour]);
    });
    y += height + gap;
  }
  const middle = top + panelHeight / 2;
  box(context, COLOURS.paper, width / 2 - 34 * scale, middle - 34 * scale, 68 * scale, 68 * scale, 34 * scale);
  box(context, COLOURS.action, width / 2 - 30 * scale, middle - 30 * scale, 60 * scale, 60 * scale, 30 * scale);
  line(context, '&', width / 2, middle, 60 * scale, 32 * scale, 800, COLOURS.ink, 'center');
  box(context, COLOURS.line, PAD, layout.bottom + 12 * scale, width - 2 * PAD, 2, 0);
  // the day it was made over the address, as on the page: the foot of an agreement
  const dated = card.made ? 15 * scale : 0, right = width * (card.made ? 0.34 : 0.28);
  line(context, card.shortClaim, PAD, layout.foot, width - 2 * PAD - right - 24, 19 * scale, 400, COLOURS.ink, 'left', 3);
  line(context, card.made, width - PAD, layout.foot - dated, right, 19 * scale, 400, COLOURS.ink, 'right');
  line(context, card.url, width - PAD, layout.foot + dated, right, 24 * scale, 700, COLOURS.accent, 'right');
}

/** The canvas as a PNG Blob, encoded at once (toBlob() may wait up to a second for an idle browser). */
export function pngBlob(canvas) {
  const bytes = atob(canvas.toDataURL('image/png').split(',')[1]), array = new Uint8Array(bytes.length);
  for (let index = 0; index < bytes.length; index++) array[index] = bytes.charCodeAt(index);
  return new Blob([array], { type: 'image/png' });
}
