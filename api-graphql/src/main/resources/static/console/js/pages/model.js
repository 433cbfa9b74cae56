// /ui/models/{model}: its versions with their metrics side by side, aliases and where each serves, a chart of any
// metric across versions, and two versions compared (?compare=1,2&metric=auc keeps the choice in the link).

import { gql } from '../api.js';
import { h, replace, link, time, badge, path, num, table, empty, errorBox, loading, short } from '../dom.js';
import { lineChart } from '../charts.js';

const QUERY = `query($name: String!) {
  model(name: $name) { name latestVersion aliases { alias version } createdAt updatedAt
    versions(first: 500) { edges { node { version runId task features metrics { name value } aliases
      registeredAt registeredBy imported { fileName } } } pageInfo { hasNextPage } totalCount } }
  endpoints(first: 500) { edges { node { name targets { model version trafficPercent shadow } } } totalCount } }`;

const RUN = `query($id: ID!) { trainingRun(id: $id) { runId status features label seed task
  hyperparameters { epochs learningRate batchSize hiddenUnits validationFraction }
  batches { dataset batchId rows } trainingSet { trainingSetId name } featureSet featureSetVersion
  environment { annals djl engine engineVersion } } }`;

function replaceQuery(params) {
  const search = params.toString();
  history.replaceState(null, '', location.pathname + (search ? '?' + search : ''));
}

export default {
  async render({ root, params, query, current }) {
    const [name] = params;
    document.title = name + ' · Models · Annals';
    const data = await gql(QUERY, { name });
    if (!current()) return;
    const m = data.model;
    if (!m) {
      replace(root, h('h1', 'Model ' + name), errorBox('There is no model named ' + name + '.'));
      return;
    }
    const versions = m.versions.edges.map(e => e.node);
    const serving = new Map();
    for (const e of data.endpoints.edges.map(x => x.node)) {
      for (const t of e.targets.filter(t => t.model === name)) {
        if (!serving.has(t.version)) serving.set(t.version, []);
        serving.get(t.version).push({ endpoint: e.name, target: t });
      }
    }
    const metricNames = [...new Set(versions.flatMap(v => v.metrics.map(x => x.name)))].sort();
    const metricOf = (v, n) => { const x = v.metrics.find(mm => mm.name === n); return x ? x.value : null; };
    const chosen = new Set((query.get('compare') || '').split(',').filter(Boolean).map(Number));

    const compareBox = h('div#compare');
    const chartBox = h('div#metric-chart');
    let metric = metricNames.includes(query.get('metric')) ? query.get('metric') : metricNames[0];

    function drawChart() {
      if (!metric) { replace(chartBox, empty('No metric recorded yet.')); return; }
      const points = versions.map(v => ({ x: v.version, y: metricOf(v, metric), label: 'v' + v.version }))
        .filter(p => p.y !== null);
      replace(chartBox, lineChart([{ name: metric, points }], { id: 'metric-across-versions', xTitle: 'version',
        yTitle: metric, xLabels: new Map(versions.map(v => [v.version, 'v' + v.version])), title: metric + ' across versions' }));
    }
    const metricSelect = h('select#metric', { onchange: () => {
      metric = metricSelect.value; query.set('metric', metric); replaceQuery(query); drawChart(); } },
      metricNames.map(n => h('option', { value: n, selected: n === metric }, n)));

    async function drawCompare() {
      const pair = [...chosen].sort((a, b) => a - b);
      if (pair.length < 2) {
        replace(compareBox, empty('Tick two versions in the table to compare their inputs, hyperparameters and metrics.'));
        return;
      }
      replace(compareBox, loading('both runs'));
      const [a, b] = pair.map(n => versions.find(v => v.version === n)).filter(Boolean);
      if (!a || !b) { replace(compareBox, errorBox('version ' + pair.join(' or ') + ' does not exist')); return; }
      try {
        const [ra, rb] = await Promise.all([a, b].map(v => v.runId
          ? gql(RUN, { id: v.runId }).then(d => d.trainingRun) : Promise.resolve(null)));
        replace(compareBox, comparison(a, b, ra, rb, metricNames, metricOf));
      } catch (e) {
        replace(compareBox, errorBox(e));
      }
    }

    function toggle(version, checked) {
      if (checked) chosen.add(version); else chosen.delete(version);
      while (chosen.size > 2) chosen.delete(chosen.values().next().value);
      root.querySelectorAll('input[data-compare]').forEach(box => { box.checked = chosen.has(Number(box.dataset.compare)); });
      if (chosen.size) query.set('compare', [...chosen].join(',')); else query.delete('compare');
      replaceQuery(query);
      drawCompare();
    }

    const columns = [
      { title: 'Compare', cell: v => h('input', { type: 'checkbox', 'data-compare': v.version, checked: chosen.has(v.version),
        'aria-label': 'compare version ' + v.version, onchange: e => toggle(v.version, e.target.checked) }) },
      { title: 'Version', cell: v => h('strong', 'v' + v.version) },
      { title: 'Aliases', cell: v => v.aliases.map(a => [badge(a, 'alias'), ' ']) },
      ...metricNames.map(n => ({ title: n, num: true, cell: v => num(metricOf(v, n), 4) })),
      { title: 'Serving on', cell: v => (serving.get(v.version) || []).map(s => [link(path('endpoints', s.endpoint),
        s.endpoint), ' ', badge(s.target.trafficPercent + '%' + (s.target.shadow ? ' shadow' : ''), s.target.shadow ? 'shadow' : 'ok'), ' ']) },
      { title: 'Trained by', cell: v => v.runId ? link(path('runs', v.runId), h('code', short(v.runId)))
        : h('span.muted', 'imported ' + (v.imported ? v.imported.fileName : '')) },
      { title: 'Lineage', cell: v => link(path('lineage', name, v.version), 'lineage') },
      { title: 'Registered', cell: v => [time(v.registeredAt), ' ', h('span.muted', v.registeredBy || '')] },
    ];

    replace(root,
      h('h1', 'Model ' + m.name, h('span.sub', versions.length + ' version' + (versions.length === 1 ? '' : 's'))),
      h('p', m.aliases.map(a => [badge(a.alias + ' → v' + a.version, 'alias'), ' ']),
        link('/ui/runs?model=' + encodeURIComponent(name), 'its training runs')),
      m.versions.pageInfo.hasNextPage ? h('p.refused', `Showing the newest ${versions.length} of ${m.versions.totalCount} versions.`) : null,
      table(columns, versions, { empty: 'No version yet.', rowAttrs: v => ({ 'data-version': v.version }) }),
      h('div.grid',
        h('section.panel', h('h2', 'A metric across versions'),
          metricNames.length ? h('div.toolbar', h('label', 'Metric', metricSelect)) : null, chartBox),
        h('section.panel', h('h2', 'Two versions side by side'), compareBox)));
    drawChart();
    drawCompare();
  },
};

function comparison(a, b, ra, rb, metricNames, metricOf) {
  const hp = r => r && r.hyperparameters;
  const inputs = r => r ? (r.trainingSet ? 'training set ' + r.trainingSet.name + ' (' + r.featureSet + ' v'
    + r.featureSetVersion + ')' : r.batches.map(x => x.dataset + '/' + short(x.batchId) + ' (' + x.rows + ' rows)').join(', ')) : 'imported';
  const rows = [
    ['Trained by', v => v.runId ? short(v.runId) : 'imported', null],
    ['Inputs', null, inputs],
    ['Features', v => v.features.join(', '), null],
    ['Label', null, r => r ? r.label : '—'],
    ['Task', v => v.task, null],
    ['Epochs', null, r => hp(r) ? hp(r).epochs : '—'],
    ['Learning rate', null, r => hp(r) ? hp(r).learningRate : '—'],
    ['Batch size', null, r => hp(r) ? hp(r).batchSize : '—'],
    ['Hidden units', null, r => hp(r) ? hp(r).hiddenUnits.join(' × ') : '—'],
    ['Validation share', null, r => hp(r) ? hp(r).validationFraction : '—'],
    ['Seed', null, r => r ? r.seed : '—'],
    ['Engine', null, r => r && r.environment ? [r.environment.engine, r.environment.engineVersion].filter(Boolean).join(' ') : '—'],
    ...metricNames.map(n => [n, v => num(metricOf(v, n), 5), null]),
  ];
  return h('div.table-wrap', h('table.compare',
    h('thead', h('tr', h('th', ''), h('th', 'v' + a.version), h('th', 'v' + b.version))),
    h('tbody', rows.map(([title, ofVersion, ofRun]) => {
      const va = String(ofVersion ? ofVersion(a) : ofRun(ra));
      const vb = String(ofVersion ? ofVersion(b) : ofRun(rb));
      const cls = va !== vb ? 'differs' : null;
      return h('tr', { 'data-row': title }, h('th', title), h('td', { class: cls }, va), h('td', { class: cls }, vb));
    }))));
}
