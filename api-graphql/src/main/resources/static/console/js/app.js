// The console's entry point: a router over /ui/... paths (each page has a deep link), sign-in and sign-out, and
// the principal in the header. Pages are modules under pages/ with a render(ctx) function.

import { gql, token, onSignedOut, ApiError } from './api.js';
import { h, replace, errorBox, loading } from './dom.js';
import models from './pages/models.js';
import model from './pages/model.js';
import runs from './pages/runs.js';
import run from './pages/run.js';
import lineage from './pages/lineage.js';
import endpoints from './pages/endpoints.js';
import endpoint from './pages/endpoint.js';
import alerts from './pages/alerts.js';
import audit from './pages/audit.js';
import pipelines from './pages/pipelines.js';

const ROUTES = [
  [/^\/ui\/?$/, models, 'models'],
  [/^\/ui\/models\/?$/, models, 'models'],
  [/^\/ui\/models\/([^/]+)\/?$/, model, 'models'],
  [/^\/ui\/runs\/?$/, runs, 'runs'],
  [/^\/ui\/runs\/([^/]+)\/?$/, run, 'runs'],
  [/^\/ui\/lineage\/([^/]+)\/(\d+)\/?$/, lineage, 'models'],
  [/^\/ui\/endpoints\/?$/, endpoints, 'endpoints'],
  [/^\/ui\/endpoints\/([^/]+)\/?$/, endpoint, 'endpoints'],
  [/^\/ui\/alerts\/?$/, alerts, 'alerts'],
  [/^\/ui\/alerts\/([^/]+)\/?$/, alerts, 'alerts'],
  [/^\/ui\/audit\/?$/, audit, 'audit'],
  [/^\/ui\/pipelines\/?$/, pipelines, 'pipelines'],
  [/^\/ui\/pipelines\/([^/]+)\/?$/, pipelines, 'pipelines'],
];

const main = document.getElementById('main');
const principal = document.getElementById('principal');
const signOutButton = document.getElementById('sign-out');
let cleanups = [];
let signInMessage = null;
const SIGNED_OUT = 'Signed out.';
let generation = 0;

export function navigate(path, { replace: replaceState } = {}) {
  if (replaceState) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  route();
}

function cleanUp() {
  cleanups.forEach(fn => { try { fn(); } catch (e) { console.error(e); } });
  cleanups = [];
}

function showSignIn(message) {
  cleanUp();
  principal.textContent = '';
  signOutButton.hidden = true;
  document.title = 'Sign in · Annals';
  const next = location.pathname.startsWith('/ui/sign-in') ? (new URLSearchParams(location.search).get('next') || '/ui/models')
    : location.pathname + location.search;
  if (!location.pathname.startsWith('/ui/sign-in')) {
    history.replaceState(null, '', '/ui/sign-in?next=' + encodeURIComponent(next));
  }
  const input = h('input#token', { type: 'password', autocomplete: 'off', required: true, spellcheck: 'false',
    placeholder: 'the token the platform printed at start, or one from createApiToken' });
  const status = h('div');
  if (message) status.append(h(message === SIGNED_OUT ? 'div.notice' : 'div.error', { role: 'alert' }, message));
  const form = h('form.panel.signin', {
    onsubmit: async event => {
      event.preventDefault();
      const secret = input.value.trim();
      replace(status, loading('checking the token'));
      try {
        await gql('{ me }', {}, { token: secret });
        token.set(secret);
        signInMessage = null;
        navigate(next.startsWith('/ui') ? next : '/ui/models', { replace: true });
      } catch (e) {
        replace(status, h('div.error', { role: 'alert' }, 'Sign-in refused: ' + e.message));
      }
    } },
    h('h1', 'Sign in to Annals'),
    h('p.muted', 'Paste an API token. The embedded platform prints one at start and keeps it in ',
      h('code', 'annals-data/admin.token'), '; others come from createApiToken. The token stays in this browser tab ',
      'until you sign out or close it.'),
    h('label', { for: 'token' }, 'API token'), input,
    h('div.row', h('button.primary#sign-in', { type: 'submit' }, 'Sign in')),
    status);
  replace(main, form);
  input.focus();
}

async function route() {
  const current = ++generation;
  cleanUp();
  if (!token.get()) {
    showSignIn(signInMessage);
    return;
  }
  if (location.pathname.startsWith('/ui/sign-in')) {
    navigate(new URLSearchParams(location.search).get('next') || '/ui/models', { replace: true });
    return;
  }
  const match = ROUTES.map(([pattern, page, section]) => [pattern.exec(location.pathname), page, section])
    .find(([m]) => m);
  document.querySelectorAll('#nav a').forEach(a => a.classList.toggle('active', !!match && a.dataset.section === match[2]));
  if (!match) {
    replace(main, h('h1', 'Not found'), errorBox('No console page at ' + location.pathname + '.'),
      h('p', h('a', { href: '/ui/models' }, 'Go to the models')));
    return;
  }
  const [m, page] = match;
  const ctx = {
    params: m.slice(1).map(decodeURIComponent),
    query: new URLSearchParams(location.search),
    root: main,
    onCleanup: fn => cleanups.push(fn),
    navigate,
    /** Whether this render is still the page shown (the user may have navigated on while it loaded). */
    current: () => current === generation,
  };
  replace(main, loading());
  showPrincipal();
  try {
    await page.render(ctx);
  } catch (e) {
    if (current !== generation) return;
    if (!(e instanceof ApiError)) console.error(e);
    if (e instanceof ApiError && e.code === 'UNAUTHORIZED') return;
    replace(main, h('h1', 'Could not load this page'), errorBox(e));
  }
}

let shownFor = null;
async function showPrincipal() {
  const secret = token.get();
  if (shownFor === secret) return;
  shownFor = secret;
  signOutButton.hidden = false;
  try {
    const data = await gql('{ me }');
    principal.textContent = 'Signed in as ' + data.me;
    principal.dataset.principal = data.me;
  } catch (e) {
    shownFor = null;
  }
}

onSignedOut(message => {
  signInMessage = 'Your token was refused: ' + message + '. Sign in again.';
  shownFor = null;
  showSignIn(signInMessage);
});

signOutButton.addEventListener('click', () => {
  token.clear();
  shownFor = null;
  signInMessage = SIGNED_OUT;
  navigate('/ui/sign-in?next=' + encodeURIComponent('/ui/models'), { replace: false });
});

document.addEventListener('click', event => {
  const a = event.target.closest && event.target.closest('a[href^="/ui"]');
  if (!a || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey
    || a.target) return;
  event.preventDefault();
  navigate(a.getAttribute('href'));
});
window.addEventListener('popstate', route);
route();
