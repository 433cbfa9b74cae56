// /ui/endpoints: every endpoint and what it serves now.

import { gql } from '../api.js';
import { h, replace, link, time, badge, path } from '../dom.js';
import { connectionTable } from '../pager.js';

const QUERY = `query($after: String) { endpoints(first: 50, after: $after) {
  edges { node { name currentRevision targets { model version trafficPercent shadow } updatedAt } }
  pageInfo { hasNextPage endCursor } totalCount } }`;

export function targetText(t) {
  return `${t.model} v${t.version} ${t.trafficPercent}%${t.shadow ? ' (shadow)' : ''}`;
}

export default {
  async render({ root }) {
    document.title = 'Endpoints · Annals';
    replace(root, h('h1', 'Endpoints'), connectionTable({
      noun: 'endpoints',
      empty: 'No endpoint yet: deployModel creates one.',
      load: async after => (await gql(QUERY, { after })).endpoints,
      rowAttrs: e => ({ 'data-endpoint': e.name }),
      columns: [
        { title: 'Endpoint', cell: e => link(path('endpoints', e.name), e.name) },
        { title: 'Revision', num: true, cell: e => e.currentRevision },
        { title: 'Serving', cell: e => e.targets.map(t => [badge(targetText(t), t.shadow ? 'shadow' : 'ok'), ' ']) },
        { title: 'Alerts', cell: e => link('/ui/alerts?endpoint=' + encodeURIComponent(e.name), 'alerts') },
        { title: 'Updated', cell: e => time(e.updatedAt) },
      ],
    }));
  },
};
