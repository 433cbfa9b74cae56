// /ui/pipelines: every pipeline with its latest run, and every run, newest first. /ui/pipelines/{pipeline}: its definition, what waits for the next
// run, and its runs step by step (live), with the buttons to trigger, pause, resume and retry, refused politely
// without the right.

import { gql, can, mutate, subscribe } from '../api.js';
import { h, replace, link, time, badge, path, num, facts, errorBox, act, empty } from '../dom.js';
import { connectionTable } from '../pager.js';

const PIPELINES = `query($after: String) { pipelines(first: 50, after: $after) {
  edges { node { name version model endpoint paused lastRun lastStatus lastRunAt } }
  pageInfo { hasNextPage endCursor } totalCount } }`;

const LIST = `query($after: String) { pipelineRuns(first: 50, after: $after) {
  edges { node { id pipeline number model status step candidate champion reason startedAt startedBy finishedAt } }
  pageInfo { hasNextPage endCursor } totalCount } }`;

const RUN = `id number version status step reason startedAt startedBy finishedAt trainingRunId attempt seed
  causes { kind dataset partition batchId tick note }
  steps { step status startedAt finishedAt }
  batches { dataset batchId } heldOut { dataset batchId } featureSetVersion
  trainingSets { purpose trainingSetId batch { dataset batchId rows } }
  candidate champion candidateMetrics { name value } championMetrics { name value }
  gate { passed checks { metric better margin candidate champion passed } }
  revision canaryPercent observeUntil alert`;

const QUERY = `query($name: String!) { pipeline(name: $name) { name version paused pauseReason nextTick
  definition { model trainingSpec { task features label }
    inputs { dataset partitions } featureSet { name version output entityKeys timestampColumn }
    trigger { onNewBatch quietPeriod whenBusy schedule { cron zone missed } }
    gate { heldOut { dataset partition } rules { metric better margin } }
    deployment { alias endpoint canaryPercent observation } }
  versions { version registeredAt registeredBy }
  queued { kind dataset partition batchId tick note }
  runs(first: 20) { ${RUN} } } }`;

const TRIGGER = `mutation($input: TriggerPipelineInput!) { triggerPipeline(input: $input) { run { id } queued
  errors { code message field } } }`;
const PAUSE = `mutation($input: PausePipelineInput!) { pausePipeline(input: $input) { pipeline { paused }
  errors { code message field } } }`;
const RESUME = `mutation($input: PipelineInput!) { resumePipeline(input: $input) { pipeline { paused }
  errors { code message field } } }`;
const RETRY = `mutation($input: RetryPipelineRunInput!) { retryPipelineRun(input: $input) { attempt
  errors { code message field } } }`;
const LIVE = `subscription($pipeline: String) { pipelineRuns(pipeline: $pipeline) { id status step } }`;

const STEP_KIND = { SUCCEEDED: 'ok', RUNNING: 'RUNNING', FAILED: 'FAILED', SKIPPED: 'muted', PENDING: 'muted' };
const STATUS_KIND = { PROMOTED: 'ok', RUNNING: 'RUNNING', REJECTED: 'WARNING', FAILED: 'FAILED',
  ROLLED_BACK: 'FAILED', SUPERSEDED: 'muted' };

function status(s) {
  return badge(s, STATUS_KIND[s]);
}

function cause(c) {
  switch (c.kind) {
    case 'MANUAL': return ['by hand', c.note ? ': ' + c.note : ''];
    case 'SCHEDULE': return ['schedule tick ', time(c.tick), c.note ? ' (' + c.note + ')' : ''];
    default: return [c.kind === 'REPOINT' ? 're-point of ' : 'new batch in ', `${c.dataset}/${c.partition} `,
      h('code', c.batchId)];
  }
}

function metric(list, name) {
  const m = (list || []).find(x => x.name === name);
  return m ? m.value : null;
}

function steps(run) {
  return h('ol.steps', run.steps.map(s => h('li', { 'data-step': s.step, 'data-status': s.status,
    title: s.startedAt ? `${s.startedAt} → ${s.finishedAt || 'now'}` : s.status },
  badge(s.step.toLowerCase(), STEP_KIND[s.status]))));
}

function runPanel(run, model) {
  const rules = run.gate ? run.gate.checks.map(c => h('li', badge(c.passed ? 'pass' : 'fail', c.passed ? 'ok' : 'FAILED'),
    ` ${c.metric}: ${num(c.candidate, 4)} vs ${c.champion === null ? 'no champion' : num(c.champion, 4)}`
    + ` (${c.better === 'HIGHER' ? '≥' : '≤'} champion${c.margin ? ` ${c.better === 'HIGHER' ? '+' : '−'} ${num(c.margin)}`
      : ''})`)) : [];
  return h('section.panel.pipeline-run', { id: 'run-' + run.number, 'data-run': run.id, 'data-status': run.status },
    h('h3', `Run ${run.number} `, status(run.status), h('span.sub', ` definition v${run.version}`
      + (run.attempt > 1 ? `, attempt ${run.attempt}` : ''))),
    steps(run),
    facts([
      ['Caused by', run.causes.map(c => h('div', cause(c)))],
      ['Started', [time(run.startedAt), ' by ', run.startedBy || '—']],
      run.finishedAt ? ['Finished', time(run.finishedAt)] : null,
      ['Read', [run.batches.map(b => h('code', b.batchId + ' ')),
        run.heldOut ? [' held out: ', h('code', run.heldOut.batchId)] : null]],
      run.featureSetVersion !== null ? ['Training sets', [`feature set v${run.featureSetVersion}: `,
        run.trainingSets.map(t => h('div', t.purpose.toLowerCase().replace('_', '-'), ' ', h('code', t.trainingSetId),
          t.batch ? ` (${num(t.batch.rows)} rows)` : ' (materialising)'))]] : null,
      ['Training run', link(path('runs', run.trainingRunId), h('code', run.trainingRunId))],
      run.candidate ? ['Candidate', [link(path('lineage', model, run.candidate), 'v' + run.candidate),
        metric(run.candidateMetrics, 'auc') !== null ? ` AUC ${num(metric(run.candidateMetrics, 'auc'), 4)}` : '']] : null,
      run.candidate ? ['Champion', run.champion ? [link(path('lineage', model, run.champion), 'v' + run.champion),
        metric(run.championMetrics, 'auc') !== null ? ` AUC ${num(metric(run.championMetrics, 'auc'), 4)}` : '']
        : 'none yet'] : null,
      rules.length ? ['Gate', h('ul.plain', rules)] : null,
      run.canaryPercent ? ['Canary', [`${run.canaryPercent}% until `, time(run.observeUntil)]] : null,
      run.revision ? ['Endpoint revision', String(run.revision)] : null,
      run.reason ? ['Why', h('span.reason', run.reason)] : null,
    ]));
}

function definitionFacts(p) {
  const d = p.definition;
  const t = d.trigger;
  return facts([
    ['Model', link(path('models', d.model), d.model)],
    ['Trains', `${d.trainingSpec.task.toLowerCase().replace(/_/g, ' ')} on ${d.trainingSpec.features.join(', ')}`
      + ` → ${d.trainingSpec.label}`],
    [d.featureSet ? 'Labels' : 'Inputs', d.inputs.map(i => h('div', i.dataset, i.partitions.length
      ? ' / ' + i.partitions.join(', ') : ' (every partition)'))],
    d.featureSet ? ['Feature set', `${d.featureSet.name} ${d.featureSet.version ? 'v' + d.featureSet.version
      : '(latest)'} → ${d.featureSet.output}`] : null,
    ['Trigger', [t.onNewBatch ? 'new batches' + (t.quietPeriod ? ` (quiet ${t.quietPeriod})` : '') : 'not on batches',
      t.schedule ? `; ${t.schedule.cron} ${t.schedule.zone} (missed: ${t.schedule.missed.toLowerCase()})` : '',
      `; when busy: ${t.whenBusy.toLowerCase()}`]],
    p.nextTick ? ['Next tick', time(p.nextTick)] : null,
    ['Gate', d.gate ? [`held out ${d.gate.heldOut.dataset}/${d.gate.heldOut.partition}: `,
      d.gate.rules.length ? d.gate.rules.map(r => `${r.metric} ${r.better === 'HIGHER' ? '≥' : '≤'} champion`
        + (r.margin ? ` ${r.better === 'HIGHER' ? '+' : '−'} ${num(r.margin)}` : '')).join(', ') : 'no rules']
      : 'none: every candidate is promoted'],
    ['Deploys', [`alias ${d.deployment.alias}`, d.deployment.endpoint ? [' on ',
      link(path('endpoints', d.deployment.endpoint), d.deployment.endpoint),
      d.deployment.canaryPercent ? ` as a ${d.deployment.canaryPercent}% canary for ${d.deployment.observation}` : '']
      : '']],
    ['Version', `${p.version}, registered ${new Date(p.versions[p.versions.length - 1].registeredAt).toLocaleString()}`
      + ` by ${p.versions[p.versions.length - 1].registeredBy || '—'}`],
    p.queued.length ? ['Waiting', p.queued.map(c => h('div', cause(c)))] : null,
  ]);
}

async function list({ root }) {
  document.title = 'Pipelines · Annals';
  replace(root, h('h1', 'Pipelines'), connectionTable({
    noun: 'pipelines',
    empty: 'No pipeline yet: registerPipeline defines one.',
    load: async after => (await gql(PIPELINES, { after })).pipelines,
    rowAttrs: p => ({ 'data-pipeline': p.name }),
    columns: [
      { title: 'Pipeline', cell: p => link(path('pipelines', p.name), p.name) },
      { title: 'Version', num: true, cell: p => p.version },
      { title: 'Model', cell: p => link(path('models', p.model), p.model) },
      { title: 'Deploys to', cell: p => p.endpoint ? link(path('endpoints', p.endpoint), p.endpoint) : 'its alias only' },
      { title: 'State', cell: p => p.paused ? badge('paused', 'WARNING') : badge('active', 'ok') },
      { title: 'Latest run', cell: p => p.lastRun ? [link(path('pipelines', p.name) + '#run-' + p.lastRun,
        'run ' + p.lastRun), ' ', status(p.lastStatus), ' ', time(p.lastRunAt)] : 'none yet' },
    ],
  }), h('h2', 'Runs', h('span.sub', 'newest first')), connectionTable({
    noun: 'runs',
    empty: 'No pipeline has run yet: registerPipeline defines one.',
    load: async after => (await gql(LIST, { after })).pipelineRuns,
    rowAttrs: r => ({ 'data-run': r.id }),
    columns: [
      { title: 'Run', cell: r => link(path('pipelines', r.pipeline) + '#run-' + r.number, r.id) },
      { title: 'Model', cell: r => link(path('models', r.model), r.model) },
      { title: 'Status', cell: r => status(r.status) },
      { title: 'Step', cell: r => r.step.toLowerCase() },
      { title: 'Candidate', cell: r => r.candidate ? link(path('lineage', r.model, r.candidate), 'v' + r.candidate) : '—' },
      { title: 'Started', cell: r => [time(r.startedAt), ' ', h('span.muted', r.startedBy || '')] },
      { title: 'Why', cell: r => r.reason ? h('span.reason', r.reason) : '' },
    ],
  }));
}

async function one(ctx) {
  const { root, params, current, onCleanup } = ctx;
  const [name] = params;
  document.title = name + ' · Pipelines · Annals';
  const [data, write] = await Promise.all([gql(QUERY, { name }), can('pipeline:write', 'pipeline:' + name)]);
  if (!current()) return;
  const p = data.pipeline;
  if (!p) {
    replace(root, h('h1', 'Pipeline ' + name), errorBox('There is no pipeline named ' + name + '.'));
    return;
  }
  const feedback = h('div#pipeline-feedback', { 'aria-live': 'polite' });
  const reload = message => ctx.navigate(location.pathname, { replace: true, message });
  const note = h('input#trigger-note', { type: 'text', size: 30, placeholder: 'why (recorded, optional)' });
  const triggerButton = h('button.primary#trigger', { type: 'submit', disabled: !write.allowed }, 'Run now');
  const triggerForm = h('form.inline', { onsubmit: ev => {
    ev.preventDefault();
    act(triggerButton, feedback, () => mutate(TRIGGER, { input: { pipeline: name, note: note.value.trim() || null } },
      'triggerPipeline'), () => reload());
  } }, h('label', 'Note', note), triggerButton);
  const pauseReason = h('input#pause-reason', { type: 'text', size: 30, required: true, placeholder: 'why (required)' });
  const pauseButton = h('button.danger#pause', { type: 'submit', disabled: !write.allowed }, 'Pause');
  const resumeButton = h('button#resume', { type: 'button', disabled: !write.allowed, onclick: () =>
    act(resumeButton, feedback, () => mutate(RESUME, { input: { pipeline: name } }, 'resumePipeline'), () => reload()) },
  'Resume');
  const pauseForm = p.paused ? h('div.inline', resumeButton) : h('form.inline', { onsubmit: ev => {
    ev.preventDefault();
    act(pauseButton, feedback, () => mutate(PAUSE, { input: { pipeline: name, reason: pauseReason.value.trim() } },
      'pausePipeline'), () => reload());
  } }, h('label', 'Reason', pauseReason), pauseButton);
  const latest = p.runs[0];
  const retryButton = latest && latest.status === 'FAILED' ? h('button#retry', { type: 'button',
    disabled: !write.allowed, onclick: () => act(retryButton, feedback, () => mutate(RETRY,
      { input: { run: latest.id } }, 'retryPipelineRun'), () => reload()) }, `Retry run ${latest.number}`) : null;
  const liveState = h('p.muted#live-state');
  replace(root,
    h('h1', 'Pipeline ' + name, ' ', p.paused ? badge('paused', 'WARNING') : badge('active', 'ok')),
    p.paused ? h('div.notice', 'Paused: ' + (p.pauseReason || '')) : null,
    h('div.grid', h('div.panel', h('h2', 'Definition'), definitionFacts(p)),
      h('div.panel', h('h2', 'Run it'),
        write.allowed ? null : h('div.refused', 'You may not run or pause this pipeline: '
          + (write.reason || 'no pipeline:write permission') + '.'),
        triggerForm, pauseForm, retryButton, feedback)),
    h('h2', 'Runs', h('span.sub', ' newest first')), liveState,
    p.runs.length ? p.runs.map(r => runPanel(r, p.definition.model))
      : empty('No run yet: a trigger, the schedule or "Run now" starts one.'));
  const close = subscribe(LIVE, { pipeline: name }, {
    onOpen: () => replace(liveState, h('span.live-dot'), 'Live: runs appear and move through their steps here.'),
    onNext: async () => {
      if (!current()) return;
      const fresh = await gql(`query($name: String!) { pipeline(name: $name) { runs(first: 20) { ${RUN} } } }`, { name });
      if (!current() || !fresh.pipeline) return;
      root.querySelectorAll('section.pipeline-run, .empty').forEach(el => el.remove());
      root.append(...fresh.pipeline.runs.map(r => runPanel(r, p.definition.model)));
    },
    onError: e => replace(liveState, h('span.error', e.message)),
  });
  onCleanup(close);
}

export default {
  async render(ctx) {
    return ctx.params.length ? one(ctx) : list(ctx);
  },
};
