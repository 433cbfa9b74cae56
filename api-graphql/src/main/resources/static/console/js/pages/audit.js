// /ui/audit: the audit log with the filters of auditEvents (entity, actor, event type, time range), a page at a
// time, each event's payload readable. The filters and the page are in the link.

import { gql } from '../api.js';
import { h, replace, link, time, path, table, errorBox, loading, short } from '../dom.js';

const QUERY = `query($filter: AuditFilter, $after: String, $first: Int) {
  auditEvents(filter: $filter, first: $first, after: $after) {
    edges { cursor node { eventId position type schemaVersion entityKind entityId stream sequence timestamp actor
      correlationId causationId payload } }
    pageInfo { hasNextPage endCursor } totalCount } }`;

const KINDS = ['dataset', 'feature-set', 'training-set', 'run', 'model', 'endpoint', 'alert', 'access', 'webhook',
  'webhook-delivery'];
const FILTERS = ['entityKind', 'entityId', 'actor', 'eventType', 'from', 'to'];
const PAGE = 50;

function entityLink(e) {
  if (!e.entityId) return '—';
  const text = `${e.entityKind || 'entity'} ${e.entityId}`;
  switch (e.entityKind) {
    case 'run': return link(path('runs', e.entityId), text);
    case 'model': return link(path('models', e.entityId), text);
    case 'endpoint': return link(path('endpoints', e.entityId), text);
    default: return text;
  }
}

function pretty(payload) {
  try { return JSON.stringify(JSON.parse(payload), null, 2); } catch (e) { return payload; }
}

function toLocalInput(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (isNaN(d)) return '';
  return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 19);
}

export default {
  async render({ root, query, navigate, current }) {
    document.title = 'Audit · Annals';
    const filter = {};
    for (const f of FILTERS) if (query.get(f)) filter[f] = query.get(f);
    const after = query.get('after');
    const pageNumber = Number(query.get('page') || '1');

    const inputs = {
      entityKind: h('select#filter-entityKind', h('option', { value: '' }, 'any'),
        KINDS.map(k => h('option', { value: k, selected: filter.entityKind === k }, k))),
      entityId: h('input#filter-entityId', { type: 'text', size: 18, value: filter.entityId || '', placeholder: 'name or id' }),
      actor: h('input#filter-actor', { type: 'text', size: 16, value: filter.actor || '', placeholder: 'user:alice' }),
      eventType: h('input#filter-eventType', { type: 'text', size: 24, value: filter.eventType || '',
        placeholder: 'annals.EndpointRolledBack' }),
      from: h('input#filter-from', { type: 'datetime-local', step: 1, value: toLocalInput(filter.from) }),
      to: h('input#filter-to', { type: 'datetime-local', step: 1, value: toLocalInput(filter.to) }),
    };
    const form = h('form.inline.panel#audit-filter', { onsubmit: ev => {
      ev.preventDefault();
      const q = new URLSearchParams();
      for (const f of FILTERS) {
        let v = inputs[f].value.trim();
        if (v && (f === 'from' || f === 'to')) v = new Date(v).toISOString();
        if (v) q.set(f, v);
      }
      navigate('/ui/audit' + (q.toString() ? '?' + q : ''));
    } },
    h('label', 'Entity kind', inputs.entityKind), h('label', 'Entity', inputs.entityId), h('label', 'Actor', inputs.actor),
    h('label', 'Event type', inputs.eventType), h('label', 'From', inputs.from), h('label', 'To', inputs.to),
    h('button.primary', { type: 'submit' }, 'Filter'), h('a.button', { href: '/ui/audit' }, 'Clear'));

    const results = h('div#audit-results', loading('events'));
    replace(root, h('h1', 'Audit log', h('span.sub', 'every recorded event, oldest first')), form, results);

    let page;
    try {
      page = (await gql(QUERY, { filter: Object.keys(filter).length ? filter : null, after, first: PAGE })).auditEvents;
    } catch (e) {
      replace(results, errorBox(e));
      return;
    }
    if (!current()) return;
    const events = page.edges.map(e => e.node);
    const nextQuery = new URLSearchParams(query);
    nextQuery.set('after', page.pageInfo.endCursor || '');
    nextQuery.set('page', String(pageNumber + 1));
    const first = (pageNumber - 1) * PAGE;
    replace(results,
      table([
        { title: 'Position', num: true, cell: e => e.position },
        { title: 'When', cell: e => time(e.timestamp) },
        { title: 'Event', cell: e => h('code', e.type.replace(/^annals\./, '')) },
        { title: 'Entity', cell: entityLink },
        { title: 'Actor', cell: e => e.actor || '—' },
        { title: 'Payload', cell: e => h('details', h('summary', 'show'),
          h('pre.payload', pretty(e.payload)),
          h('div.muted', `event ${e.eventId} · stream ${e.stream} #${e.sequence} · schema ${e.schemaVersion}`
            + ` · correlation ${short(e.correlationId) || '—'}`)) },
      ], events, { empty: Object.keys(filter).length ? 'No event matches these filters.' : 'No event recorded yet.',
        rowAttrs: e => ({ 'data-event': e.eventId, 'data-type': e.type }) }),
      h('div.pager#audit-pager',
        pageNumber > 1 ? h('button', { type: 'button', onclick: () => history.back() }, 'Previous page') : null,
        h('span.muted', events.length ? `events ${first + 1}–${first + events.length} of ${page.totalCount}` : `${page.totalCount} events`),
        page.pageInfo.hasNextPage ? link('/ui/audit?' + nextQuery, 'Next page') : null));
  },
};
