// /ui/endpoints/{endpoint}: the traffic split now, the timeline of revisions (deploys, canaries, shadows,
// rollbacks: who, when, why), and forms to deploy a version or roll back, refused politely without the right.

import { gql, can, mutate } from '../api.js';
import { h, replace, link, time, badge, path, num, facts, errorBox, table, act } from '../dom.js';
import { targetText } from './endpoints.js';

const TARGET = 'model version trafficPercent shadow';
const QUERY = `query($name: String!) {
  endpoint(name: $name) { name currentRevision targets { ${TARGET} }
    revisions { revision kind targets { ${TARGET} } reason fromRevision restoredRevision at by }
    driftMonitor { psiThreshold criticalPsiThreshold windowSize windowSeconds features { feature test threshold enabled } }
    rolloutPolicy { rollBackOnDrift minPsi minSeverity since }
    shadowComparisons { model version answeredByModel answeredByVersion windows rows agreement meanAbsoluteDifference }
    createdAt updatedAt }
  driftAlerts(endpoint: $name, first: 5) { edges { node { id feature model version severity status psi raisedAt } } totalCount }
  models(first: 500) { edges { node { name latestVersion aliases { alias version } } } } }`;

// asking for the endpoint makes the payload wait until the read model shows the new revision, so the page that is
// drawn next shows it too
const DEPLOY = `mutation($input: DeployModelInput!) { deployModel(input: $input) { revision endpoint { currentRevision }
  errors { code message field } } }`;
const ROLL_BACK = `mutation($input: RollBackEndpointInput!) { rollBackEndpoint(input: $input) { revision
  endpoint { currentRevision } errors { code message field } } }`;

function describe(r) {
  if (r.kind === 'ROLLBACK') {
    return `rolled back from revision ${r.fromRevision} to what revision ${r.restoredRevision} served`;
  }
  const live = r.targets.filter(t => !t.shadow);
  const shadow = r.targets.filter(t => t.shadow);
  const parts = [];
  if (live.length > 1) parts.push('canary: ' + live.map(targetText).join(' + '));
  else if (live.length) parts.push('deployed ' + targetText(live[0]));
  if (shadow.length) parts.push('shadow: ' + shadow.map(targetText).join(', '));
  return parts.join('; ');
}

export default {
  async render(ctx) {
    const { root, params, current } = ctx;
    const [name] = params;
    document.title = name + ' · Endpoints · Annals';
    const [data, deploy] = await Promise.all([gql(QUERY, { name }), can('endpoint:deploy', 'endpoint:' + name)]);
    if (!current()) return;
    const e = data.endpoint;
    if (!e) {
      replace(root, h('h1', 'Endpoint ' + name), errorBox('There is no endpoint named ' + name + '.'));
      return;
    }
    const models = data.models.edges.map(x => x.node);
    const feedback = h('div#action-feedback', { 'aria-live': 'polite' });

    // deploy
    const current0 = e.targets.find(t => !t.shadow) || e.targets[0];
    const modelSelect = h('select#deploy-model', models.map(m => h('option', { value: m.name,
      selected: current0 && m.name === current0.model }, m.name)));
    const versionInput = h('input#deploy-version', { type: 'text', size: 10, placeholder: 'version or alias', required: true });
    const percentInput = h('input#deploy-percent', { type: 'number', min: 1, max: 100, value: '100' });
    const modeSelect = h('select#deploy-mode', h('option', { value: 'LIVE' }, 'live'), h('option', { value: 'SHADOW' }, 'shadow'));
    const deployReason = h('input#deploy-reason', { type: 'text', size: 30, placeholder: 'why (recorded)' });
    const deployButton = h('button.primary#deploy', { type: 'submit', disabled: !deploy.allowed }, 'Deploy');
    const deployForm = h('form.inline', { onsubmit: ev => {
      ev.preventDefault();
      const v = versionInput.value.trim();
      const input = { endpoint: name, model: modelSelect.value, trafficPercent: Number(percentInput.value),
        mode: modeSelect.value, reason: deployReason.value.trim() || null };
      if (/^\d+$/.test(v)) input.version = Number(v); else input.alias = v;
      act(deployButton, feedback, () => mutate(DEPLOY, { input }, 'deployModel'), p =>
        reload(`Revision ${p.revision} recorded: ${input.model} ${input.version ? 'v' + input.version : input.alias} at ${input.trafficPercent}%.`));
    } },
    h('label', 'Model', modelSelect), h('label', 'Version', versionInput), h('label', 'Traffic %', percentInput),
    h('label', 'Mode', modeSelect), h('label', 'Reason', deployReason), deployButton);

    // roll back
    const rollReason = h('input#rollback-reason', { type: 'text', size: 40, required: true, placeholder: 'why (required, recorded)' });
    const asOf = h('input#rollback-as-of', { type: 'datetime-local', step: 1 });
    const rollButton = h('button.danger#roll-back', { type: 'submit', disabled: !deploy.allowed || e.revisions.length < 2 }, 'Roll back');
    const rollForm = h('form.inline', { onsubmit: ev => {
      ev.preventDefault();
      const input = { endpoint: name, reason: rollReason.value.trim() };
      if (asOf.value) input.asOf = new Date(asOf.value).toISOString();
      act(rollButton, feedback, () => mutate(ROLL_BACK, { input }, 'rollBackEndpoint'), p =>
        reload(`Rolled back: revision ${p.revision} recorded.`));
    } },
    h('label', 'Reason', rollReason), h('label', 'To the revision live at (optional)', asOf), rollButton);

    function reload(message) {
      pendingFlash = message;
      ctx.navigate(location.pathname, { replace: true });
    }

    const live = e.targets.filter(t => !t.shadow);
    const alerts = data.driftAlerts.edges.map(x => x.node);
    const revisions = [...e.revisions].sort((a, b) => b.revision - a.revision);
    replace(root,
      h('h1', 'Endpoint ' + e.name, h('span.sub', 'revision ' + e.currentRevision)),
      flashBox(),
      h('section.panel', h('h2', 'Traffic now'),
        h('div.split#traffic-split', live.map((t, i) => {
          const part = h('div', { class: 'live-' + (i % 3), title: targetText(t) }, `${t.model} v${t.version} · ${t.trafficPercent}%`);
          part.style.width = t.trafficPercent + '%';
          return part;
        })),
        e.targets.filter(t => t.shadow).map(t => h('p', badge('shadow', 'shadow'), ' ', targetText(t),
          ' receives mirrored requests; its answers are logged, never returned.')),
        h('p', live.map(t => [link(path('lineage', t.model, t.version), `lineage of ${t.model} v${t.version}`), ' '])),
      ),
      h('div.grid',
        h('section.panel', h('h2', 'Deploy a version'),
          deploy.allowed ? null : h('div.refused', 'You may not deploy here: ' + (deploy.reason || 'no endpoint:deploy permission') + '.'),
          deployForm,
          h('h2', 'Roll back'),
          deploy.allowed ? null : h('div.refused', 'You may not roll back here: ' + (deploy.reason || 'no endpoint:deploy permission') + '.'),
          rollForm, feedback),
        h('section.panel', h('h2', 'Monitoring'), facts([
          ['Drift monitor', e.driftMonitor ? `PSI ≥ ${e.driftMonitor.psiThreshold} (critical ≥ ${e.driftMonitor.criticalPsiThreshold}), `
            + `windows of ${e.driftMonitor.windowSize} rows or ${e.driftMonitor.windowSeconds} s` : 'the platform’s defaults'],
          ['Feature rules', e.driftMonitor && e.driftMonitor.features.length ? e.driftMonitor.features.map(f =>
            `${f.feature}: ${f.enabled ? (f.test || 'default test') + (f.threshold !== null ? ' at ' + f.threshold : '') : 'off'}`).join('; ') : 'defaults'],
          ['Automatic rollback', e.rolloutPolicy && e.rolloutPolicy.rollBackOnDrift ? `on (${e.rolloutPolicy.minSeverity || 'any'} severity`
            + `${e.rolloutPolicy.minPsi !== null ? ', PSI ≥ ' + e.rolloutPolicy.minPsi : ''}) since ` : 'off',
            e.rolloutPolicy && e.rolloutPolicy.rollBackOnDrift ? time(e.rolloutPolicy.since) : null],
          ['Recent alerts', alerts.length ? [alerts.map(a => [link(path('alerts', a.id), `${a.feature || 'score'} ${a.model} v${a.version}`),
            ' ', badge(a.status), ' ']), ' ', link('/ui/alerts?endpoint=' + encodeURIComponent(name), `all ${data.driftAlerts.totalCount}`)] : 'none'],
        ]),
        e.shadowComparisons.length ? [h('h2', 'Shadow comparisons'), table([
          { title: 'Shadow', cell: c => `${c.model} v${c.version}` },
          { title: 'Answered by', cell: c => `${c.answeredByModel} v${c.answeredByVersion}` },
          { title: 'Rows', num: true, cell: c => num(c.rows) },
          { title: 'Agreement', num: true, cell: c => c.agreement === null ? '—' : num(c.agreement * 100, 1) + '%' },
          { title: 'Mean |Δ|', num: true, cell: c => num(c.meanAbsoluteDifference, 4) },
        ], e.shadowComparisons)] : null)),
      h('h2', 'Revisions'),
      h('ol.timeline#timeline', revisions.map(r => h('li', { class: [r.kind, r.revision === e.currentRevision ? 'current' : null].filter(Boolean).join(' '),
        'data-revision': r.revision, 'data-kind': r.kind },
        h('div', h('strong', 'Revision ' + r.revision), ' ', badge(r.kind), ' ', r.revision === e.currentRevision ? badge('live now', 'ok') : null,
          ' ', describe(r)),
        h('div.when', time(r.at), ' · by ', h('span.actor', r.by || 'unknown')),
        r.reason ? h('div.reason', 'Why: ', r.reason) : h('div.reason.muted', 'no reason given')))));
  },
};

let pendingFlash = null;
function flashBox() {
  const message = pendingFlash;
  pendingFlash = null;
  return message ? h('div.notice#flash', message) : null;
}
