// /ui/models: every model, its latest version and aliases.

import { gql } from '../api.js';
import { h, replace, link, time, badge, path } from '../dom.js';
import { connectionTable } from '../pager.js';

const QUERY = `query($after: String) { models(first: 50, after: $after) {
  edges { node { name latestVersion aliases { alias version } createdAt updatedAt } }
  pageInfo { hasNextPage endCursor } totalCount } }`;

export default {
  async render({ root }) {
    document.title = 'Models · Annals';
    replace(root, h('h1', 'Models'), connectionTable({
      noun: 'models',
      empty: 'No model yet: a completed training run registers its model’s first version.',
      load: async after => (await gql(QUERY, { after })).models,
      rowAttrs: m => ({ 'data-model': m.name }),
      columns: [
        { title: 'Model', cell: m => link(path('models', m.name), m.name) },
        { title: 'Latest version', num: true, cell: m => link(path('models', m.name), 'v' + m.latestVersion) },
        { title: 'Aliases', cell: m => m.aliases.map(a => [badge(a.alias + ' → v' + a.version, 'alias'), ' ']) },
        { title: 'Lineage of the latest', cell: m => link(path('lineage', m.name, m.latestVersion), 'lineage') },
        { title: 'Created', cell: m => time(m.createdAt) },
        { title: 'Updated', cell: m => time(m.updatedAt) },
      ],
    }));
  },
};
