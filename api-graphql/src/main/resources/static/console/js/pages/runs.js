// /ui/runs: training runs, newest first.

import { gql } from '../api.js';
import { h, replace, link, time, badge, path, short, num } from '../dom.js';
import { connectionTable } from '../pager.js';

const QUERY = `query($after: String, $model: String) { trainingRuns(model: $model, first: 50, after: $after) {
  edges { node { runId model task status modelVersion metrics { name value } requestedAt requestedBy finishedAt } }
  pageInfo { hasNextPage endCursor } totalCount } }`;

export default {
  async render({ root, query }) {
    const model = query.get('model');
    document.title = 'Runs · Annals';
    replace(root, h('h1', 'Training runs', model ? h('span.sub', 'of ' + model) : null), connectionTable({
      noun: 'runs',
      empty: 'No training run yet.',
      load: async after => (await gql(QUERY, { after, model })).trainingRuns,
      rowAttrs: r => ({ 'data-run': r.runId }),
      columns: [
        { title: 'Run', cell: r => link(path('runs', r.runId), h('code', short(r.runId))) },
        { title: 'Model', cell: r => link(path('models', r.model), r.model) },
        { title: 'Status', cell: r => badge(r.status) },
        { title: 'Version', cell: r => r.modelVersion ? link(path('lineage', r.model, r.modelVersion), 'v' + r.modelVersion) : '—' },
        { title: 'Metrics', cell: r => (r.metrics || []).slice(0, 4).map(m => h('span.mono', m.name + ' ' + num(m.value, 4) + '  ')) },
        { title: 'Requested', cell: r => [time(r.requestedAt), ' ', h('span.muted', r.requestedBy || '')] },
        { title: 'Finished', cell: r => time(r.finishedAt) },
      ],
    }));
  },
};
