// /ui/lineage/{model}/{version}: a graph from the source batches (through the feature set version and training set,
// when the run trained on one) through the run and the model version to the endpoints that serve or served it and
// their drift alerts. Each node opens its page; a batch node shows what the batch touched (batchImpact).

import { gql } from '../api.js';
import { h, s, replace, link, time, badge, path, num, facts, errorBox, loading, short, empty } from '../dom.js';

const QUERY = `query($model: String!, $version: Int!) {
  lineage(model: $model, version: $version) {
    modelVersion { model version runId aliases task registeredAt registeredBy metrics { name value } imported { fileName } }
    run { runId status requestedBy requestedAt finishedAt }
    batches { batchId dataset partition rows ingestedAt ingestedBy }
    datasets { name description }
    trainingSet { trainingSetId name featureSet version status sources { batchId } labelBatches { batchId }
      output { batchId rows } requestedBy requestedAt }
    featureSetVersion { version source owner entityKeys features { name aggregation window } registeredBy registeredAt }
    sourceBatches { batchId dataset partition rows ingestedAt ingestedBy }
  }
  endpoints(first: 500) { edges { node { name currentRevision targets { model version trafficPercent shadow }
    servedVersions } } } }`;

const ALERTS = `query($e: String!) { driftAlerts(endpoint: $e, first: 200) { edges { node {
  id alertId endpoint model version feature severity status psi raisedAt } } } }`;

const IMPACT = `query($b: ID!) { batchImpact(batchId: $b) {
  batch { batchId dataset partition rows ingestedAt ingestedBy sha256 }
  trainingSets { trainingSetId name } runs { runId model status modelVersion }
  modelVersions { model version aliases } endpoints { endpoint servingNow revisions } } }`;

const NODE_W = 170, NODE_H = 46, COL_W = 196, ROW_H = 60, TOP = 34, LEFT = 14;

function label(text, max = 24) {
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}

export default {
  async render({ root, params, navigate, current }) {
    const [model, versionText] = params;
    const version = Number(versionText);
    document.title = `Lineage of ${model} v${version} · Annals`;
    const data = await gql(QUERY, { model, version });
    if (!current()) return;
    const lin = data.lineage;
    if (!lin) {
      replace(root, h('h1', `Lineage of ${model} v${version}`), errorBox(`Model ${model} has no version ${version}.`));
      return;
    }
    const ref = model + '#' + version;
    const endpoints = data.endpoints.edges.map(e => e.node).filter(e => e.servedVersions.includes(ref));
    const alertLists = await Promise.all(endpoints.map(e => gql(ALERTS, { e: e.name })
      .then(d => d.driftAlerts.edges.map(x => x.node).filter(a => a.model === model && a.version === version))));
    if (!current()) return;

    // the graph: columns of nodes, edges between them
    const columns = [];
    const nodes = new Map();
    const edges = [];
    function node(column, key, kind, title, subtitle, open) {
      if (nodes.has(key)) return nodes.get(key);
      while (columns.length <= column) columns.push({ nodes: [] });
      const n = { key, kind, title, subtitle, open, column };
      columns[column].nodes.push(n);
      nodes.set(key, n);
      return n;
    }
    const edge = (from, to, past) => from && to && edges.push({ from, to, past });
    const titles = [];

    const fsv = lin.featureSetVersion;
    const ts = lin.trainingSet;
    const raw = ts ? lin.sourceBatches : lin.batches;
    const datasetCol = 0, batchCol = 1, featureCol = ts ? 2 : -1, tsCol = ts ? 3 : -1;
    const runCol = ts ? 4 : 2;
    titles[datasetCol] = 'dataset'; titles[batchCol] = ts ? 'source batches' : 'batches';
    for (const b of raw) {
      const d = node(datasetCol, 'dataset:' + b.dataset, 'dataset', b.dataset, 'dataset',
        () => navigate('/ui/audit?entityKind=dataset&entityId=' + encodeURIComponent(b.dataset)));
      const bn = node(batchCol, 'batch:' + b.batchId, 'batch', short(b.batchId), `${b.partition} · ${num(b.rows)} rows`,
        () => showBatch(b.batchId));
      bn.id = b.batchId;
      edge(d, bn);
    }
    let runFrom = raw.map(b => nodes.get('batch:' + b.batchId));
    if (ts) {
      titles[featureCol] = 'feature set'; titles[tsCol] = 'training set';
      const fn = node(featureCol, 'feature-set', 'feature-set', `${ts.featureSet} v${ts.version}`,
        fsv ? `${fsv.features.length} features over ${fsv.source}` : 'feature set version', () => showFeatureSet());
      const tn = node(tsCol, 'training-set', 'training-set', ts.name,
        ts.output ? `${num(ts.output.rows)} rows` : ts.status, () => showTrainingSet());
      const labelIds = new Set(ts.labelBatches.map(b => b.batchId));
      for (const b of raw) edge(nodes.get('batch:' + b.batchId), labelIds.has(b.batchId) ? tn : fn);
      edge(fn, tn);
      runFrom = [tn];
    }
    titles[runCol] = lin.run ? 'run' : 'imported';
    const rn = lin.run
      ? node(runCol, 'run', 'run', 'run ' + short(lin.run.runId), lin.run.status, () => navigate(path('runs', lin.run.runId)))
      : node(runCol, 'run', 'run', 'imported', lin.modelVersion.imported ? label(lin.modelVersion.imported.fileName) : '',
        () => navigate('/ui/audit?entityKind=model&entityId=' + encodeURIComponent(model)));
    rn.id = lin.run ? lin.run.runId : 'imported';
    runFrom.forEach(f => edge(f, rn));
    titles[runCol + 1] = 'model version';
    const vn = node(runCol + 1, 'version', 'version', `${model} v${version}`,
      lin.modelVersion.aliases.length ? lin.modelVersion.aliases.join(', ') : lin.modelVersion.task.toLowerCase().replace(/_/g, ' '),
      () => navigate(path('models', model)));
    edge(rn, vn);
    endpoints.forEach((e, i) => {
      titles[runCol + 2] = 'endpoints';
      const now = e.targets.some(t => t.model === model && t.version === version);
      const share = e.targets.find(t => t.model === model && t.version === version);
      const en = node(runCol + 2, 'endpoint:' + e.name, 'endpoint', e.name,
        now ? `serving ${share.trafficPercent}%${share.shadow ? ' shadow' : ''}` : 'served before',
        () => navigate(path('endpoints', e.name)));
      en.id = e.name;
      edge(vn, en, !now);
      for (const a of alertLists[i]) {
        titles[runCol + 3] = 'drift alerts';
        const an = node(runCol + 3, 'alert:' + a.id, 'alert', (a.feature ? a.feature : 'score') + ' · PSI ' + num(a.psi, 3),
          `${a.severity.toLowerCase()} · ${a.status.toLowerCase()}`, () => navigate(path('alerts', a.id)));
        an.id = a.id;
        edge(en, an);
      }
    });

    const tallest = Math.max(...columns.map(c => c.nodes.length));
    const width = LEFT * 2 + columns.length * COL_W - (COL_W - NODE_W);
    const height = TOP + tallest * ROW_H + 8;
    columns.forEach((c, ci) => c.nodes.forEach((n, ni) => {
      n.x = LEFT + ci * COL_W;
      n.y = TOP + (tallest - c.nodes.length) * ROW_H / 2 + ni * ROW_H;
    }));
    const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': `lineage of ${model} v${version}`,
      id: 'lineage-graph' });
    // a wide graph shrinks to the page only so far that its labels stay readable; beyond that it scrolls
    svg.style.minWidth = Math.round(width * 0.85) + 'px';
    titles.forEach((t, ci) => t && svg.append(s('text.column-title', { x: LEFT + ci * COL_W, y: 18 }, t)));
    for (const e of edges) {
      const x1 = e.from.x + NODE_W, y1 = e.from.y + NODE_H / 2, x2 = e.to.x, y2 = e.to.y + NODE_H / 2;
      const mx = (x1 + x2) / 2;
      svg.append(s('path.edge', { class: e.past ? 'past' : null, d: `M${x1} ${y1} C${mx} ${y1} ${mx} ${y2} ${x2} ${y2}`,
        'data-from': e.from.key, 'data-to': e.to.key }));
    }
    for (const n of nodes.values()) {
      const g = s('g.node', { class: n.kind, transform: `translate(${n.x},${n.y})`, tabindex: 0, role: 'link',
        'data-kind': n.kind, 'data-id': n.id || n.key, 'aria-label': `${n.kind} ${n.title}` },
        s('title', {}, `${n.kind}: ${n.title}${n.subtitle ? ' — ' + n.subtitle : ''}`),
        s('rect', { width: NODE_W, height: NODE_H, rx: 6 }),
        s('text.kind', { x: 9, y: 14 }, n.kind.replace('-', ' ')),
        s('text', { x: 9, y: 29 }, label(n.title, 23)),
        s('text.sub', { x: 9, y: 41 }, label(n.subtitle || '', 27)));
      const open = () => {
        svg.querySelectorAll('.node.selected').forEach(x => x.classList.remove('selected'));
        g.classList.add('selected');
        n.open();
      };
      g.addEventListener('click', open);
      g.addEventListener('keydown', ev => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); open(); } });
      svg.append(g);
    }

    const detail = h('section.panel#node-detail', h('p.muted', 'Choose a node: a batch shows what it touched; the others open their page.'));
    const mv = lin.modelVersion;
    replace(root,
      h('h1', 'Lineage of ', link(path('models', model), model), ' v' + version,
        h('span.sub', mv.aliases.map(a => [badge(a, 'alias'), ' ']))),
      h('p.muted', 'From the data it learned from to where it serves. Dashed: an endpoint that served it before.'),
      h('div.lineage', svg), detail,
      h('section.panel', h('h2', 'The version'), facts([
        ['Registered', [time(mv.registeredAt), ' by ', mv.registeredBy || '—']],
        ['Trained by', lin.run ? link(path('runs', lin.run.runId), lin.run.runId) : 'imported'],
        ['Metrics', mv.metrics.map(m => h('span.mono', `${m.name} ${num(m.value, 4)}   `))],
        ['Datasets', lin.datasets.map(d => d.name).join(', ')],
      ])));

    async function showBatch(batchId) {
      replace(detail, loading('what batch ' + short(batchId) + ' touched'));
      try {
        const impact = (await gql(IMPACT, { b: batchId })).batchImpact;
        if (!impact) { replace(detail, errorBox('batch ' + batchId + ' is not on record')); return; }
        const b = impact.batch;
        replace(detail, h('h2', 'What batch ', h('code', batchId), ' touched'), facts([
          ['Dataset', `${b.dataset} (partition ${b.partition})`], ['Rows', num(b.rows)],
          ['Ingested', [time(b.ingestedAt), ' by ', b.ingestedBy || '—']], ['SHA-256', h('code', b.sha256)],
          ['Training sets', impact.trainingSets.length ? impact.trainingSets.map(t => t.name).join(', ') : 'none'],
          ['Runs', impact.runs.length ? impact.runs.map(r => [link(path('runs', r.runId), short(r.runId)), ' ', badge(r.status), ' ']) : 'none'],
          ['Model versions', impact.modelVersions.length ? impact.modelVersions.map(v =>
            [link(path('lineage', v.model, v.version), `${v.model} v${v.version}`), ' ']) : 'none'],
          ['Endpoints', impact.endpoints.length ? impact.endpoints.map(e => [link(path('endpoints', e.endpoint), e.endpoint),
            ` (revisions ${e.revisions.join(', ')}${e.servingNow ? ', serving now' : ''}) `]) : 'none'],
        ]));
        detail.dataset.batch = batchId;
      } catch (e) {
        replace(detail, errorBox(e));
      }
    }
    function showFeatureSet() {
      replace(detail, h('h2', `Feature set ${ts.featureSet} v${ts.version}`), fsv ? facts([
        ['Source dataset', fsv.source], ['Owner', fsv.owner], ['Entity keys', fsv.entityKeys.join(', ')],
        ['Features', fsv.features.map(f => `${f.name} = ${f.aggregation}(${f.window || 'all history'})`).join('; ')],
        ['Registered', [time(fsv.registeredAt), ' by ', fsv.registeredBy || '—']],
      ]) : empty('The definition is not on record.'));
    }
    function showTrainingSet() {
      replace(detail, h('h2', 'Training set ' + ts.name), facts([
        ['Job', h('code', ts.trainingSetId)], ['Status', badge(ts.status)],
        ['Output batch', ts.output ? h('code', ts.output.batchId) : '—'], ['Rows', ts.output ? num(ts.output.rows) : '—'],
        ['Requested', [time(ts.requestedAt), ' by ', ts.requestedBy || '—']],
      ]));
    }
  },
};
