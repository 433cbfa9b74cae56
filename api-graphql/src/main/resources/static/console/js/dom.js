// Small helpers to build the DOM without a framework: h('tag.class#id', {attr}, children…), and the formats and
// states every page shares. Text always goes in as text nodes, never as HTML.

const SVG = 'http://www.w3.org/2000/svg';

function build(ns, spec, attrs, children) {
  // spec: tag, then any of .class and #id, as in a CSS selector ('button.primary#sign-in')
  const [tag, ...parts] = spec.split(/(?=[.#])/);
  const el = ns ? document.createElementNS(ns, tag) : document.createElement(tag);
  const classes = parts.filter(p => p[0] === '.').map(p => p.slice(1));
  const id = parts.find(p => p[0] === '#');
  if (classes.length) el.setAttribute('class', classes.join(' '));
  if (id) el.id = id.slice(1);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.setAttribute('class', [el.getAttribute('class'), value].filter(Boolean).join(' '));
    else if (key === 'value' && !ns) el.value = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function h(spec, attrs, ...children) {
  if (attrs instanceof Node || Array.isArray(attrs) || typeof attrs !== 'object' || attrs === null) {
    return build(null, spec, {}, [attrs, ...children]);
  }
  return build(null, spec, attrs, children);
}

export function s(spec, attrs, ...children) {
  return build(SVG, spec, attrs || {}, children);
}

export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A link inside the console: the router handles the click, so the page does not reload. */
export function link(path, ...children) {
  return h('a', { href: path }, children.length ? children : path);
}

export function loading(what) {
  return h('p.loading', what ? 'Loading ' + what + '…' : 'Loading…');
}

export function empty(message) {
  return h('div.empty', message);
}

export function errorBox(error) {
  return h('div.error', { role: 'alert' }, error && error.message ? error.message : String(error));
}

/**
 * Runs a button's action: the button is off and a loading line shows while it runs; a refusal is shown in
 * `feedback` (politely when the API said FORBIDDEN) and the button comes back.
 */
export async function act(button, feedback, work, done) {
  button.disabled = true;
  replace(feedback, loading());
  try {
    done(await work());
  } catch (e) {
    replace(feedback, h(e.code === 'FORBIDDEN' ? 'div.refused' : 'div.error', { role: 'alert' }, e.message));
    button.disabled = false;
  }
}

export function badge(text, kind) {
  return h('span.badge', { class: kind || String(text) }, text);
}

export function time(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (isNaN(d)) return iso;
  return h('time', { datetime: iso, title: iso }, d.toLocaleString(undefined,
    { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' }));
}

export function num(value, digits) {
  if (value === null || value === undefined) return '—';
  if (typeof value !== 'number') return String(value);
  if (Number.isInteger(value) && digits === undefined) return value.toLocaleString();
  const d = digits === undefined ? 4 : digits;
  return Math.abs(value) >= 1e5 || (value !== 0 && Math.abs(value) < 1e-3)
    ? value.toExponential(2) : value.toFixed(d).replace(/\.?0+$/, m => (m.startsWith('.') ? '' : m));
}

export function bytes(n) {
  if (n === null || n === undefined) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0, v = n;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return (i ? v.toFixed(1) : v) + ' ' + units[i];
}

export function facts(pairs) {
  return h('dl.facts', pairs.filter(p => p).map(([k, v]) => [h('dt', k), h('dd', v === undefined || v === null ? '—' : v)]));
}

/** A table from rows and column specs {title, cell(row), num}; an empty message when there are no rows. */
export function table(columns, rows, options = {}) {
  if (!rows.length) return empty(options.empty || 'Nothing here yet.');
  return h('div.table-wrap', h('table', { class: options.class },
    h('thead', h('tr', columns.map(c => h('th', { class: c.num ? 'num' : null }, c.title)))),
    h('tbody', rows.map(row => {
      const tr = h('tr', columns.map(c => h('td', { class: c.num ? 'num' : null }, c.cell(row))));
      if (options.rowClass) { const cls = options.rowClass(row); if (cls) tr.classList.add(cls); }
      if (options.rowAttrs) for (const [k, v] of Object.entries(options.rowAttrs(row))) tr.setAttribute(k, v);
      return tr;
    }))));
}

export function short(id) {
  return id && id.length > 13 ? id.slice(0, 8) + '…' : id;
}

/** The path of a console page, with its parts encoded. */
export function path(...parts) {
  return '/ui/' + parts.map(p => encodeURIComponent(String(p))).join('/');
}
