// /ui/runs/{runId}: a run's inputs, hyperparameters and status, and its epoch curves, which grow live while the
// run trains (the trainingProgress subscription).

import { gql, subscribe } from '../api.js';
import { h, replace, link, time, badge, path, num, facts, table, errorBox, short, bytes } from '../dom.js';
import { lineChart } from '../charts.js';

const FIELDS = `runId model task status features label seed
  batches { dataset batchId location sha256 rows }
  hyperparameters { epochs learningRate batchSize hiddenUnits validationFraction }
  epochs { epoch of trainLoss validationLoss metrics { name value } at }
  metrics { name value } artifact { location sha256 sizeBytes }
  workerId attempt leaseExpiresAt failureReason registrationFailure
  trainingSet { trainingSetId name } featureSet featureSetVersion modelVersion
  requestedAt requestedBy correlationId finishedAt updatedAt rerunOf
  environment { annals djl engine engineVersion java os }`;

const QUERY = `query($id: ID!) { trainingRun(id: $id) { ${FIELDS} } }`;
const LIVE = `subscription($id: ID!) { trainingProgress(runId: $id) { ${FIELDS} } }`;

const FINISHED = ['COMPLETED', 'FAILED'];

export default {
  async render({ root, params, onCleanup, current }) {
    const [runId] = params;
    document.title = 'Run ' + short(runId) + ' · Annals';
    const first = (await gql(QUERY, { id: runId })).trainingRun;
    if (!current()) return;
    if (!first) {
      replace(root, h('h1', 'Run ' + runId), errorBox('There is no training run ' + runId + '.'));
      return;
    }
    const header = h('div');
    const summary = h('div');
    const curves = h('div');
    const liveState = h('span#live-state.muted');
    let updates = 0;

    function draw(run) {
      updates++;
      root.dataset.updates = String(updates);
      replace(header, h('h1', 'Run ', h('code', run.runId), h('span.sub', ' ', badge(run.status), ' ', run.model,
        run.modelVersion ? [' → ', link(path('lineage', run.model, run.modelVersion), 'v' + run.modelVersion)] : '')));
      const hp = run.hyperparameters;
      replace(summary, h('div.grid',
        h('section.panel', h('h2', 'Status'), facts([
          ['Status', h('span#run-status', badge(run.status))],
          ['Progress', run.epochs.length + ' of ' + hp.epochs + ' epochs'],
          run.failureReason ? ['Failure', h('span.error', run.failureReason)] : null,
          run.registrationFailure ? ['Not registered', run.registrationFailure] : null,
          ['Model', link(path('models', run.model), run.model)],
          ['Version', run.modelVersion ? link(path('lineage', run.model, run.modelVersion), 'v' + run.modelVersion + ' (lineage)') : '—'],
          ['Requested', [time(run.requestedAt), ' by ', run.requestedBy || '—']],
          ['Finished', time(run.finishedAt)],
          ['Worker', run.workerId ? run.workerId + ' (attempt ' + run.attempt + ')' : '—'],
          run.rerunOf ? ['Rerun of', link(path('runs', run.rerunOf), short(run.rerunOf))] : null,
          ['Artifact', run.artifact ? [h('code', run.artifact.location), ' ', bytes(run.artifact.sizeBytes)] : '—'],
          ['Environment', run.environment ? [run.environment.engine, run.environment.engineVersion, 'DJL ' + run.environment.djl,
            'Java ' + run.environment.java].filter(Boolean).join(' · ') : '—'],
        ])),
        h('section.panel', h('h2', 'Hyperparameters'), facts([
          ['Task', run.task], ['Epochs', hp.epochs], ['Learning rate', hp.learningRate], ['Batch size', hp.batchSize],
          ['Hidden units', hp.hiddenUnits.join(' × ')], ['Validation share', hp.validationFraction], ['Seed', run.seed],
          ['Features', run.features.join(', ')], ['Label', run.label],
        ])),
        h('section.panel', h('h2', 'Inputs'),
          run.trainingSet ? h('p', 'Training set ', h('code', run.trainingSet.name), ' computed by feature set ',
            run.featureSet + ' v' + run.featureSetVersion) : null,
          table([
            { title: 'Dataset', cell: b => b.dataset },
            { title: 'Batch', cell: b => h('code', { title: b.batchId }, short(b.batchId)) },
            { title: 'Rows', num: true, cell: b => num(b.rows) },
            { title: 'SHA-256', cell: b => h('code', { title: b.sha256 }, b.sha256.slice(0, 12) + '…') },
          ], run.batches, { empty: 'No batch recorded.' })),
        h('section.panel', h('h2', 'Final metrics'), run.metrics && run.metrics.length
          ? facts(run.metrics.map(m => [m.name, num(m.value, 5)])) : h('p.muted', 'Recorded when the run completes.'))));
      const epochs = [...run.epochs].sort((a, b) => a.epoch - b.epoch);
      const metricNames = [...new Set(epochs.flatMap(e => e.metrics.map(m => m.name)))];
      replace(curves, h('div.grid',
        h('section.panel', h('h2', 'Loss per epoch'), lineChart([
          { name: 'train loss', points: epochs.map(e => ({ x: e.epoch, y: e.trainLoss, label: 'epoch ' + e.epoch })) },
          { name: 'validation loss', points: epochs.map(e => ({ x: e.epoch, y: e.validationLoss, label: 'epoch ' + e.epoch })) },
        ], { id: 'loss', xTitle: 'epoch', yTitle: 'loss', title: 'train and validation loss per epoch',
          emptyText: run.status === 'REQUESTED' ? 'waiting for a training worker to claim the run' : 'no epoch yet' })),
        h('section.panel', h('h2', 'Validation metrics per epoch'), lineChart(metricNames.map(n => ({
          name: n, points: epochs.map(e => ({ x: e.epoch, y: (e.metrics.find(m => m.name === n) || {}).value, label: 'epoch ' + e.epoch })),
        })), { id: 'epoch-metrics', xTitle: 'epoch', title: 'validation metrics per epoch' }))));
    }

    replace(root, header, h('p', liveState), curves, summary);
    draw(first);
    if (FINISHED.includes(first.status)) {
      replace(liveState, 'The run has finished; this is its whole record.');
      return;
    }
    replace(liveState, h('span.live-dot.off'), 'connecting…');
    const close = subscribe(LIVE, { id: runId }, {
      onOpen: () => replace(liveState, h('span.live-dot'), 'Live: epochs appear as the worker records them.'),
      onNext: data => { if (current()) draw(data.trainingProgress); },
      onError: e => replace(liveState, h('span.error', e.message)),
      onComplete: () => replace(liveState, 'The run has finished; this is its whole record.'),
    });
    onCleanup(close);
  },
};
