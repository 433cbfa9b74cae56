// /ui/alerts (and /ui/alerts/{id}): drift alerts, open, acknowledged and resolved, kept live by the driftAlerts
// subscription; an alert shows its reference and live distributions, its PSI and its test's statistics, and can be
// acknowledged or resolved with a note.

import { gql, subscribe, can, mutate } from '../api.js';
import { h, replace, link, time, badge, path, num, facts, errorBox, loading, table, empty, act } from '../dom.js';
import { barChart } from '../charts.js';

const SUMMARY = 'id alertId occurrence endpoint model version feature severity test psi statistic pValue status raisedAt';
const LIST = `query($status: DriftAlertStatus, $endpoint: String, $after: String) {
  driftAlerts(status: $status, endpoint: $endpoint, first: 50, after: $after) {
    edges { node { ${SUMMARY} } } pageInfo { hasNextPage endCursor } totalCount } }`;
const FULL = `${SUMMARY} threshold criticalThreshold windowSize windowStart windowEnd escalatedAt raisedBy acknowledgedAt
  acknowledgedBy resolvedAt resolvedBy note histogram { bins edges reference live referenceRows liveRows }`;
const DETAIL = `query($id: ID!) { driftAlert(id: $id) { ${FULL} } }`;
// each change arrives whole, so the alert shown is redrawn from the change itself, not from a query that might run
// before the read model's search has caught up
const LIVE = `subscription($endpoint: String) { driftAlerts(endpoint: $endpoint) { ${FULL} } }`;
const NOTE_FIELDS = `alert { id status } errors { code message field }`;
const ACK = `mutation($input: DriftAlertNoteInput!) { acknowledgeDriftAlert(input: $input) { ${NOTE_FIELDS} } }`;
const RESOLVE = `mutation($input: DriftAlertNoteInput!) { resolveDriftAlert(input: $input) { ${NOTE_FIELDS} } }`;

const STATUSES = ['OPEN', 'ACKNOWLEDGED', 'RESOLVED'];
const STATISTICAL = ['KOLMOGOROV_SMIRNOV', 'CHI_SQUARE', 'PROPORTIONS_Z'];

function what(a) {
  return a.test === 'ERROR_RATE' ? 'error rate' : a.feature ? 'input ' + a.feature : 'score';
}

function listLink(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const search = q.toString();
  return '/ui/alerts' + (search ? '?' + search : '');
}

export default {
  async render({ root, params, query, onCleanup, current }) {
    const status = STATUSES.includes(query.get('status')) ? query.get('status') : null;
    const endpoint = query.get('endpoint');
    const selected = params[0] || null;
    document.title = (selected ? 'Alert ' + selected : 'Drift alerts') + ' · Annals';
    const rows = [];
    let page = null;
    const listBox = h('div#alert-list', loading('alerts'));
    const detailBox = h('section.panel#alert-detail');
    const liveState = h('span#live-state.muted', h('span.live-dot.off'), 'connecting…');

    function drawList() {
      replace(listBox, table([
        { title: 'Status', cell: a => badge(a.status) },
        { title: 'Severity', cell: a => badge(a.severity) },
        { title: 'Endpoint', cell: a => link(path('endpoints', a.endpoint), a.endpoint) },
        { title: 'Version', cell: a => link(path('lineage', a.model, a.version), `${a.model} v${a.version}`) },
        { title: 'What drifted', cell: a => link(path('alerts', a.id) + location.search, what(a)) },
        { title: 'PSI', num: true, cell: a => num(a.psi, 3) },
        { title: 'Test', cell: a => a.test.toLowerCase().replace(/_/g, ' ') },
        { title: 'Raised', cell: a => time(a.raisedAt) },
      ], rows, {
        empty: status ? `No ${status.toLowerCase()} alert.` : 'No drift alert yet. New ones appear here as they are raised.',
        rowClass: a => (a.id === selected ? 'selected' : null),
        rowAttrs: a => ({ 'data-alert': a.id, 'data-status': a.status }),
      }), page ? h('div.pager', h('span.muted', `${rows.length} of ${page.totalCount} alerts`),
        page.pageInfo.hasNextPage ? h('button', { type: 'button', onclick: more }, 'Load more') : null) : null);
    }
    async function more() {
      try {
        const data = await gql(LIST, { status, endpoint, after: page ? page.pageInfo.endCursor : null });
        page = data.driftAlerts;
        for (const a of page.edges.map(e => e.node)) if (!rows.some(r => r.id === a.id)) rows.push(a);
        drawList();
      } catch (e) {
        replace(listBox, errorBox(e));
      }
    }

    let right = null;
    async function drawDetail(id, changed) {
      if (!detailBox.childNodes.length) replace(detailBox, loading('the alert'));
      try {
        const a = changed || (await gql(DETAIL, { id })).driftAlert;
        if (!current()) return;
        if (!a) { replace(detailBox, errorBox('There is no drift alert ' + id + '.')); return; }
        right = right || await can('endpoint:monitor', 'endpoint:' + a.endpoint);
        replace(detailBox, alertDetail(a, right, () => drawDetail(id)));
      } catch (e) {
        replace(detailBox, errorBox(e));
      }
    }

    replace(root,
      h('h1', 'Drift alerts', endpoint ? h('span.sub', 'on ' + endpoint) : null),
      h('div.toolbar',
        h('nav.tabs', [null, ...STATUSES].map(st => h('a', { href: listLink({ status: st, endpoint }),
          class: st === status ? 'active' : null }, st ? st.toLowerCase() : 'all'))),
        endpoint ? link(listLink({ status }), 'every endpoint') : null,
        liveState),
      selected ? detailBox : null,
      listBox);
    await more();
    if (selected) drawDetail(selected);

    const close = subscribe(LIVE, { endpoint }, {
      onOpen: () => replace(liveState, h('span.live-dot'), 'Live: alerts appear and change here as they happen.'),
      onNext: data => {
        const a = data.driftAlerts;
        if (!current() || (status && a.status !== status && !rows.some(r => r.id === a.id))) return;
        const i = rows.findIndex(r => r.id === a.id);
        if (i >= 0) rows[i] = a; else rows.unshift(a);
        if (page && i < 0) page.totalCount++;
        drawList();
        if (a.id === selected) drawDetail(selected, a);
      },
      onError: e => replace(liveState, h('span.error', e.message)),
    });
    onCleanup(close);
  },
};

/** Numeric bins read better from their edges ("0.41–0.93") than from their interval text. */
function binLabels(hist) {
  const edges = hist.edges || [];
  if (!edges.length || hist.bins.length < edges.length + 1) return hist.bins;
  return hist.bins.map((bin, i) => {
    if (i === 0) return '< ' + num(edges[0], 3);
    if (i < edges.length) return num(edges[i - 1], 3) + '–' + num(edges[i], 3);
    if (i === edges.length) return '≥ ' + num(edges[i - 1], 3);
    return bin;
  });
}

function alertDetail(a, right, refresh) {
  const hist = a.histogram;
  const note = h('textarea#alert-note', { placeholder: 'a note for the record (optional)' });
  const feedback = h('div#alert-feedback', { 'aria-live': 'polite' });
  const record = (query, field, button) => act(button, feedback, () => mutate(query,
    { input: { alertId: a.alertId, note: note.value.trim() || null } }, field), refresh);
  const ack = h('button#acknowledge', { type: 'button', disabled: !right.allowed || a.status !== 'OPEN',
    onclick: () => record(ACK, 'acknowledgeDriftAlert', ack) }, 'Acknowledge');
  const resolve = h('button.primary#resolve', { type: 'button', disabled: !right.allowed || a.status === 'RESOLVED',
    onclick: () => record(RESOLVE, 'resolveDriftAlert', resolve) }, 'Resolve');
  const statistical = STATISTICAL.includes(a.test);
  return [
    h('h2', 'Drift of the ', what(a), ' on ', link(path('endpoints', a.endpoint), a.endpoint), ' ',
      badge(a.status), ' ', badge(a.severity)),
    h('div.grid',
      h('div', hist ? barChart(binLabels(hist), [
        { name: a.test === 'ERROR_RATE' ? 'allowed by the threshold' : `reference (${num(hist.referenceRows)} rows)`,
          values: hist.reference },
        { name: `live window (${num(hist.liveRows)} rows)`, values: hist.live },
      ], { id: 'drift-histogram', percent: true, title: 'reference and live distributions' })
        : empty('This alert was recorded before distributions were kept with alerts.')),
      h('div', facts([
        ['Model version', link(path('lineage', a.model, a.version), `${a.model} v${a.version}`)],
        ['PSI', h('strong#alert-psi', num(a.psi, 4))],
        ['Test', a.test.toLowerCase().replace(/_/g, ' ')],
        ['Statistic', num(a.statistic, 5)],
        statistical ? ['p-value', num(a.pValue, 5)] : null,
        ['Threshold', (statistical ? 'p < ' : '≥ ') + num(a.threshold, 4)
          + (a.criticalThreshold !== null ? ` (critical ${statistical ? 'p < ' : '≥ '}${num(a.criticalThreshold, 4)})` : '')],
        ['Window', [num(a.windowSize), ' rows, ', time(a.windowStart), ' – ', time(a.windowEnd)]],
        ['Raised', [time(a.raisedAt), ' by ', a.raisedBy || '—']],
        a.escalatedAt ? ['Escalated', time(a.escalatedAt)] : null,
        a.acknowledgedAt ? ['Acknowledged', [time(a.acknowledgedAt), ' by ', a.acknowledgedBy]] : null,
        a.resolvedAt ? ['Resolved', [time(a.resolvedAt), ' by ', a.resolvedBy]] : null,
        a.note ? ['Note', a.note] : null,
        ['Occurrence', `${a.occurrence} of alert ${a.alertId}`],
      ])),
    ),
    a.status === 'RESOLVED' ? null : h('div',
      right.allowed ? null : h('div.refused', 'You may not acknowledge or resolve this alert: '
        + (right.reason || 'no endpoint:monitor permission') + '.'),
      note, h('div.toolbar', ack, resolve)),
    feedback,
  ];
}
