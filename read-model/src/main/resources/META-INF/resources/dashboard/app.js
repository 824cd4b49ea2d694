// SagaShop dashboard: a live view of the read-model's order documents.
// Plain ES2020, no framework and nothing loaded from outside. All data reaches
// the DOM through textContent and setAttribute, never innerHTML, so whatever a
// customer id or product name holds is shown as text and never parsed as markup.
'use strict';

const LANES = ['order', 'inventory', 'payment', 'shipping'];
const STATUSES = ['PENDING', 'RESERVED', 'PAID', 'COMPLETED', 'CANCELLING', 'CANCELLED'];
const MAX_ROWS = 100;
const STATS_EVERY_MS = 5000;
const LIVE_TEXT = 'live';
const DOWN_TEXT = 'reconnecting\u2026';

const docs = new Map(); // orderId -> newest document accepted so far
const rows = new Map(); // orderId -> its <tr>, which is reused so rows update in place
let selectedId = null;

const $ = (sel) => document.querySelector(sel);

// Builds an element; props become attributes ('text' sets textContent) and
// string children become text nodes, which is what keeps the page injection-safe.
function el(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v == null || v === false) continue;
    if (k === 'text') node.textContent = String(v);
    else node.setAttribute(k, String(v));
  }
  for (const c of children) if (c != null) node.append(c);
  return node;
}

// Money arrives as a JSON string (BigDecimal) or a number; always show 2 decimals.
function money(v) {
  if (v == null || v === '') return '\u2014';
  const n = Number(v);
  return Number.isFinite(n) ? n.toFixed(2) : String(v);
}

const pad = (n, w = 2) => String(n).padStart(w, '0');

function clock(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso ? String(iso) : '\u2014';
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

// Today's times need no date; older ones do.
function shortTime(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso ? String(iso) : '\u2014';
  const hms = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  if (d.toDateString() === new Date().toDateString()) return hms;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${hms}`;
}

// Only the table's badge carries the .status test hook; chips and the summary use plain badges.
function badge(status) {
  return el('span', { class: `badge s-${status || 'NONE'}`, text: status || '\u2014' });
}

function itemsSummary(items) {
  return (items || []).map((i) => `${i.quantity}\u00d7 ${i.name || i.sku}`).join(', ');
}

// --- identity -----------------------------------------------------------------------
// The bearer token lives in the cookie sagashop-token (same site only), so that the
// EventSource, which cannot send a header, carries it too. A link with #token=...
// (printed by ./sagashop up) signs in and the token is taken out of the address; a
// fragment never reaches a server, a log or a Referer.

const TOKEN_COOKIE = 'sagashop-token';

function token() {
  const pair = document.cookie.split('; ').find((c) => c.startsWith(`${TOKEN_COOKIE}=`));
  return pair ? pair.substring(TOKEN_COOKIE.length + 1) : null;
}

function setToken(value) {
  const clean = (value || '').trim().replace(/^Bearer\s+/i, '');
  document.cookie = clean
    ? `${TOKEN_COOKIE}=${clean}; path=/; SameSite=Strict`
    : `${TOKEN_COOKIE}=; path=/; SameSite=Strict; max-age=0`;
}

// What the token says about its holder (for the header only: the server decides).
function claims() {
  try {
    const part = token().split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(part));
  } catch (e) {
    return null;
  }
}

function isAdmin() {
  const c = claims();
  return !!c && Array.isArray(c.groups) && c.groups.includes('admin');
}

function showSignIn(message) {
  $('#signin').hidden = false;
  $('#who').textContent = message || 'not signed in';
  $('#signout').hidden = true;
}

function showIdentity() {
  const c = claims();
  $('#signin').hidden = true;
  $('#who').textContent = c ? (isAdmin() ? `admin (${c.sub})` : `customer ${c.sub}`) : 'signed in';
  $('#signout').hidden = false;
  $('.stats').hidden = !isAdmin(); // statistics cover every customer: admins only
}

async function getJson(url) {
  const res = await fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-store' });
  if (res.status === 401) {
    showSignIn('token missing, expired or not accepted');
  }
  if (!res.ok) {
    const err = new Error(`${res.status} ${res.statusText}`);
    err.status = res.status;
    throw err;
  }
  return res.json();
}

function showError(msg) {
  const box = $('#error');
  box.hidden = !msg;
  box.textContent = msg || '';
}

// --- documents --------------------------------------------------------------

// Events can arrive out of order (a list fetch racing the stream, a replay after
// a reconnect), so a document older than the one we show is dropped.
function isStale(incoming, current) {
  if (!current) return false;
  const a = incoming.lastSequence;
  const b = current.lastSequence;
  if (typeof a === 'number' && typeof b === 'number' && a !== b) return a < b;
  const ta = Date.parse(incoming.updatedAt);
  const tb = Date.parse(current.updatedAt);
  return Number.isFinite(ta) && Number.isFinite(tb) && ta < tb;
}

function accept(doc) {
  if (!doc || typeof doc.orderId !== 'string') return false;
  if (isStale(doc, docs.get(doc.orderId))) return false;
  docs.set(doc.orderId, doc);
  return true;
}

function onDoc(doc, fromStream) {
  if (!accept(doc)) return;
  upsertRow(doc, fromStream);
  if (doc.orderId === selectedId) renderDetail(doc);
}

// --- orders table -------------------------------------------------------------

const createdKey = (doc) => Date.parse(doc.createdAt) || Date.parse(doc.updatedAt) || 0;

function upsertRow(doc, highlight) {
  const tbody = $('#order-rows');
  let tr = rows.get(doc.orderId);
  if (!tr) {
    tr = el('tr', { 'data-order-id': doc.orderId, tabindex: '0', 'aria-selected': 'false' });
    for (const cls of ['c-id', 'c-customer', 'c-items', 'c-total num', 'c-status', 'c-failure', 'c-updated']) {
      tr.append(el('td', { class: cls }));
    }
    tr.cells[4].append(el('span', { class: 'status badge' }));
    // Newest first by creation time; createdAt never changes, so a row never moves.
    const key = createdKey(doc);
    tr.dataset.created = String(key);
    const before = [...tbody.querySelectorAll('tr[data-order-id]')].find((r) => Number(r.dataset.created) < key);
    tbody.insertBefore(tr, before || null);
    rows.set(doc.orderId, tr);
    if (doc.orderId === selectedId) markSelected();
    trimRows();
  }
  const [id, customer, items, total, status, failure, updated] = tr.cells;
  id.textContent = doc.orderId.slice(0, 8);
  id.title = doc.orderId;
  customer.textContent = doc.customerId || '\u2014';
  items.textContent = itemsSummary(doc.items);
  items.title = (doc.items || []).map((i) => `${i.sku}: ${i.quantity} \u00d7 ${money(i.unitPrice)}`).join('\n');
  total.textContent = money(doc.total);
  // Update the badge element in place so anything holding it (a test, a screen reader) sees the change.
  const b = status.querySelector('.status');
  b.textContent = doc.status || '\u2014';
  b.className = `status badge s-${doc.status || 'NONE'}`;
  failure.textContent = doc.failureReason || '';
  updated.textContent = shortTime(doc.updatedAt || doc.projectedAt);
  updated.title = doc.updatedAt || '';
  if (highlight) {
    tr.classList.remove('flash');
    void tr.offsetWidth; // restart the CSS animation
    tr.classList.add('flash');
  }
  updateCount();
}

function trimRows() {
  const tbody = $('#order-rows');
  while (rows.size > MAX_ROWS) {
    const all = tbody.querySelectorAll('tr[data-order-id]');
    const last = all[all.length - 1];
    const id = last.dataset.orderId;
    last.remove();
    rows.delete(id);
    if (id !== selectedId) docs.delete(id);
  }
}

function updateCount() {
  const empty = $('#order-rows .empty');
  if (rows.size && empty) empty.remove();
  $('#order-count').textContent = rows.size ? `(${rows.size} shown, newest first)` : '';
}

function markSelected() {
  for (const [id, tr] of rows) {
    tr.classList.toggle('selected', id === selectedId);
    tr.setAttribute('aria-selected', String(id === selectedId));
  }
}

async function loadList() {
  try {
    const page = await getJson('/views/orders?limit=50');
    for (const doc of page.items || []) onDoc(doc, false);
    showError(null);
    if (!rows.size) $('#order-rows .empty td').textContent = 'No orders yet.';
  } catch (e) {
    showError(`Could not load orders: ${e.message}`);
  }
}

// --- selected order: summary and saga timeline -------------------------------

async function select(id) {
  selectedId = id;
  history.replaceState(null, '', id ? `?order=${encodeURIComponent(id)}` : location.pathname);
  markSelected();
  const cached = docs.get(id);
  if (cached) renderDetail(cached);
  else renderMessage('Loading order\u2026');
  await refreshSelected();
}

// The list may be a page old and a deep-linked order may not be in it at all,
// so the selected order is always fetched on its own too.
async function refreshSelected() {
  const id = selectedId;
  if (!id) return;
  try {
    onDoc(await getJson(`/views/orders/${encodeURIComponent(id)}`), false);
  } catch (e) {
    if (id !== selectedId || docs.has(id)) return;
    renderMessage(e.status === 404 ? `Order ${id} not found.` : `Could not load order ${id}: ${e.message}`);
  }
}

function renderMessage(text) {
  $('#order-summary').replaceChildren();
  const box = $('#timeline');
  box.setAttribute('data-order-id', '');
  box.replaceChildren(el('p', { class: 'hint', text }));
}

function renderDetail(doc) {
  const p = doc.payment || {};
  const s = doc.shipment || {};
  const field = (label, ...value) => el('div', { class: label === 'Order' ? 'field wide' : 'field' },
    el('span', { class: 'label', text: label }), el('span', { class: 'value' }, ...value));
  const joined = (...parts) => parts.filter((x) => x != null && x !== '').join(' \u00b7 ') || '\u2014';
  $('#order-summary').replaceChildren(el('div', { class: 'summary' },
    field('Order', el('code', { text: doc.orderId })),
    field('Status', badge(doc.status), doc.failureReason ? el('span', { class: 'failure', text: doc.failureReason }) : null),
    field('Customer', doc.customerId || '\u2014'),
    field('Total', money(doc.total)),
    field('Items', (doc.items || []).map((i) => `${i.quantity}\u00d7 ${i.name || i.sku} @ ${money(i.unitPrice)}`).join(', ') || '\u2014'),
    field('Payment', joined(p.status, p.capturedAmount != null ? `captured ${money(p.capturedAmount)}` : null,
      Number(p.refundedAmount) ? `refunded ${money(p.refundedAmount)}` : null, p.providerReference)),
    field('Shipment', joined(s.status, s.carrier, s.trackingNumber)),
    field('Created', shortTime(doc.createdAt)),
    field('Updated', `${shortTime(doc.updatedAt)} (seq ${doc.lastSequence ?? '\u2014'})`),
  ));
  renderTimeline(doc);
}

// A sequence diagram on a CSS grid: one column per service lane, one grid row
// per timeline entry. An arrow (.hop) runs from the previous step's lane to
// this step's lane, so a reader can follow the saga hand-offs between services.
function renderTimeline(doc) {
  const box = $('#timeline');
  const sameOrder = box.getAttribute('data-order-id') === doc.orderId;
  const seen = sameOrder ? box.querySelectorAll('.step').length : Infinity;
  const entries = (doc.timeline || [])
    .map((e, i) => ({ e, i, t: Date.parse(e.at) }))
    .sort((a, b) => (a.t - b.t) || (a.i - b.i)) // NaN falls back to arrival order
    .map((x) => x.e);
  const lanes = [...LANES];
  for (const e of entries) if (e.service && !lanes.includes(e.service)) lanes.push(e.service);

  const grid = el('div', { class: 'seq' });
  grid.style.gridTemplateColumns = `repeat(${lanes.length}, minmax(0, 1fr))`;
  lanes.forEach((lane, c) => {
    const head = el('div', { class: `lane-head lane-${lane}`, text: lane });
    head.style.gridColumn = String(c + 1);
    const life = el('div', { class: 'lifeline' });
    life.style.gridColumn = String(c + 1);
    life.style.gridRow = `2 / span ${Math.max(1, entries.length)}`;
    grid.append(head, life);
  });

  let prevLane = -1;
  entries.forEach((e, i) => {
    const lane = lanes.indexOf(e.service);
    const row = String(i + 2);
    const comp = e.compensation === true;
    if (prevLane >= 0 && prevLane !== lane) {
      const from = Math.min(prevLane, lane);
      const span = Math.abs(prevLane - lane) + 1;
      const hop = el('div', { class: `hop ${lane > prevLane ? 'to-right' : 'to-left'}${comp ? ' comp' : ''}`, 'aria-hidden': 'true' });
      hop.style.gridColumn = `${from + 1} / span ${span}`;
      hop.style.gridRow = row;
      hop.style.setProperty('--span', String(span));
      grid.append(hop);
    }
    prevLane = lane;

    const step = el('div', {
      class: `step lane-${e.service}${comp ? ' compensation' : ''}${i >= seen ? ' new' : ''}`,
      'data-event': e.event || '',
      'data-service': e.service || '',
    },
    el('div', { class: 'step-head' },
      el('span', { class: 'name' }, el('span', { class: 'n', text: String(i + 1) }), el('span', { class: 'ev', text: e.event || '?' })),
      el('time', { datetime: e.at, title: e.at || '', text: clock(e.at) })),
    comp ? el('div', { class: 'comp-label', text: '\u21a9 compensation' }) : null,
    e.detail ? el('div', { class: 'detail', text: e.detail }) : null,
    e.traceId ? el('div', { class: 'trace', title: `traceId ${e.traceId}`, text: `trace ${String(e.traceId).slice(0, 12)}` }) : null);
    step.style.gridColumn = String(lane + 1);
    step.style.gridRow = row;
    grid.append(step);
  });

  box.setAttribute('data-order-id', doc.orderId);
  box.replaceChildren(entries.length ? grid : el('p', { class: 'hint', text: 'No saga steps recorded yet.' }));
}

// --- stats --------------------------------------------------------------------

async function refreshStats() {
  if (!isAdmin()) return;
  try {
    const s = await getJson('/views/stats');
    $('#stat-orders').textContent = String(s.orders ?? '\u2014');
    $('#stat-revenue').textContent = money(s.revenue);
    const stuck = s.stuck ?? 0;
    $('#stat-stuck').textContent = String(stuck);
    $('#stat-stuck').dataset.stuck = String(stuck);
    const by = s.byStatus || {};
    const names = [...STATUSES, ...Object.keys(by).filter((k) => !STATUSES.includes(k))];
    $('#stat-status').replaceChildren(...names.map((name) =>
      el('span', { class: `chip${by[name] ? '' : ' zero'}` }, badge(name), el('span', { class: 'count', text: String(by[name] || 0) }))));
    const top = (s.topProducts || []).slice(0, 5);
    $('#stat-top').replaceChildren(...(top.length ? top.map((p) => el('li', null,
      el('span', { class: 'name', title: p.sku, text: p.name || p.sku }),
      el('span', { class: 'units', text: `${p.units} ${p.units === 1 ? 'unit' : 'units'}` }),
      el('span', { class: 'rev', text: money(p.revenue) }))) : [el('li', { class: 'muted', text: 'none yet' })]));
  } catch (e) {
    // Keep the last numbers; the table's error banner already reports a dead API.
  }
}

let statsTimer = null;
function statsSoon() { // a burst of saga events causes one stats fetch, not dozens
  clearTimeout(statsTimer);
  statsTimer = setTimeout(refreshStats, 500);
}

// --- live stream ----------------------------------------------------------------

let source = null;
let retryTimer = null;

function setLive(up) {
  $('#live').textContent = up ? LIVE_TEXT : DOWN_TEXT;
  $('.conn').dataset.state = up ? 'up' : 'down';
}

function connect() {
  source = new EventSource('/views/stream');
  // Every open (the first one and each reconnect) re-fetches the list and the
  // selected order, since events sent while we were away are not replayed.
  source.addEventListener('open', () => {
    setLive(true);
    loadList();
    refreshSelected();
    statsSoon();
  });
  // Documents come as events named 'order'; unnamed ('message') events carrying a
  // document are taken too, as that is what a bare Multi<Doc> endpoint would send.
  const onEvent = (ev) => {
    let doc;
    try { doc = JSON.parse(ev.data); } catch (e) { return; }
    onDoc(doc, true);
    statsSoon();
  };
  source.addEventListener('order', onEvent);
  source.addEventListener('message', onEvent);
  source.addEventListener('error', () => {
    setLive(false);
    // EventSource retries by itself after a dropped connection, but gives up
    // for good (CLOSED) when the server answers with an error: retry ourselves.
    if (source.readyState === EventSource.CLOSED) {
      clearTimeout(retryTimer);
      retryTimer = setTimeout(connect, 3000);
    }
  });
}

// --- start ------------------------------------------------------------------------

function onRowActivate(ev) {
  if (ev.type === 'keydown' && ev.key !== 'Enter' && ev.key !== ' ') return;
  const tr = ev.target.closest('tr[data-order-id]');
  if (!tr) return;
  ev.preventDefault();
  select(tr.getAttribute('data-order-id'));
}

function start() {
  const fragment = new URLSearchParams(location.hash.replace(/^#/, ''));
  if (fragment.has('token')) {
    setToken(fragment.get('token'));
    history.replaceState(null, '', location.pathname + location.search);
  }
  // The sign-in link opened in a tab that already shows the page: only the fragment changes, nothing reloads.
  window.addEventListener('hashchange', () => {
    const again = new URLSearchParams(location.hash.replace(/^#/, ''));
    if (again.has('token')) {
      setToken(again.get('token'));
      history.replaceState(null, '', location.pathname + location.search);
      location.reload();
    }
  });
  $('#signin').addEventListener('submit', (ev) => {
    ev.preventDefault();
    setToken($('#token-input').value);
    location.reload();
  });
  $('#signout').addEventListener('click', () => {
    setToken(null);
    location.reload();
  });
  if (!token()) {
    showSignIn();
    return;
  }
  showIdentity();
  const tbody = $('#order-rows');
  tbody.addEventListener('click', onRowActivate);
  tbody.addEventListener('keydown', onRowActivate);
  setLive(false);
  const wanted = new URLSearchParams(location.search).get('order');
  if (wanted) select(wanted);
  loadList();
  refreshStats();
  setInterval(refreshStats, STATS_EVERY_MS);
  connect();
}

start();
