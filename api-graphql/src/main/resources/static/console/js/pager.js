// A table over a GraphQL connection: the first page, then more on request, with the total shown, so nothing is
// silently cut.

import { h, replace, table, loading, errorBox } from './dom.js';

/** load(after) resolves to a connection {edges {node}, pageInfo {hasNextPage endCursor}, totalCount}. */
export function connectionTable({ load, columns, empty, noun, rowAttrs }) {
  const wrap = h('div.connection');
  const rows = [];
  const status = h('div.pager');
  let cursor = null;

  async function more() {
    replace(status, loading());
    try {
      const connection = await load(cursor);
      rows.push(...connection.edges.map(e => e.node));
      cursor = connection.pageInfo.endCursor;
      replace(wrap, table(columns, rows, { empty, rowAttrs }), status);
      replace(status, h('span.muted', `${rows.length} of ${connection.totalCount} ${noun || ''}`.trim()),
        connection.pageInfo.hasNextPage ? h('button', { type: 'button', onclick: more }, 'Load more') : null);
    } catch (e) {
      replace(status, errorBox(e));
      if (!wrap.contains(status)) wrap.append(status);
    }
  }
  wrap.append(loading());
  more();
  return wrap;
}
