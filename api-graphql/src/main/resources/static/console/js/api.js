// The console's one way to the API: GraphQL over HTTP with the signed-in token, and subscriptions over the
// graphql-transport-ws protocol on the same path. A refused or expired token sends the user back to sign-in.

const TOKEN_KEY = 'annals.token';
const listeners = new Set();

export class ApiError extends Error {
  constructor(message, code, errors) {
    super(message);
    this.code = code;
    this.errors = errors || [];
  }
}

export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: value => sessionStorage.setItem(TOKEN_KEY, value),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

/** Called with the API's message whenever a token is refused; the app shows the sign-in page. */
export function onSignedOut(listener) {
  listeners.add(listener);
}

function refused(message) {
  token.clear();
  listeners.forEach(l => l(message));
}

function firstError(errors) {
  const e = errors[0] || {};
  const classification = e.extensions && e.extensions.classification;
  return new ApiError(e.message || 'the request failed', classification, errors);
}

/** Runs a query or mutation; resolves with its data, rejects with an ApiError carrying the API's message. */
export async function gql(query, variables, options = {}) {
  const secret = options.token || token.get();
  let response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: Object.assign({ 'Content-Type': 'application/json', Accept: 'application/json' },
        secret ? { Authorization: 'Bearer ' + secret } : {}),
      body: JSON.stringify({ query, variables: variables || {} }),
    });
  } catch (e) {
    throw new ApiError('the platform did not answer: ' + e.message, 'UNAVAILABLE');
  }
  let body;
  try {
    body = await response.json();
  } catch (e) {
    throw new ApiError('the platform answered ' + response.status + ' ' + response.statusText, 'UNAVAILABLE');
  }
  if (body.errors && body.errors.length) {
    const error = firstError(body.errors);
    if (error.code === 'UNAUTHORIZED' && !options.token) refused(error.message);
    if (!body.data || Object.values(body.data).every(v => v === null)) throw error;
  }
  return body.data;
}

/** The payload of a mutation, or an ApiError with its first user error (code and message as the API put them). */
export async function mutate(query, variables, field) {
  const data = await gql(query, variables);
  const payload = data[field];
  if (payload.errors && payload.errors.length) {
    const e = payload.errors[0];
    throw new ApiError(e.message + (e.field ? ' (' + e.field + ')' : ''), e.code, payload.errors);
  }
  return payload;
}

/**
 * Subscribes; onNext gets each result's data, onError an ApiError, onComplete is called when the server ends it.
 * Returns a function that closes the subscription.
 */
export function subscribe(query, variables, { onNext, onError, onComplete, onOpen }) {
  const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/graphql';
  const socket = new WebSocket(url, 'graphql-transport-ws');
  let closed = false;
  socket.onopen = () => socket.send(JSON.stringify({
    type: 'connection_init', payload: { Authorization: 'Bearer ' + (token.get() || '') } }));
  socket.onmessage = event => {
    const message = JSON.parse(event.data);
    switch (message.type) {
      case 'connection_ack':
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables: variables || {} } }));
        if (onOpen) onOpen();
        break;
      case 'ping':
        socket.send(JSON.stringify({ type: 'pong' }));
        break;
      case 'next':
        if (message.payload.errors && message.payload.errors.length) {
          const error = firstError(message.payload.errors);
          if (error.code === 'UNAUTHORIZED') refused(error.message);
          if (onError) onError(error);
        } else {
          onNext(message.payload.data);
        }
        break;
      case 'error': {
        const error = firstError(message.payload || []);
        if (error.code === 'UNAUTHORIZED') refused(error.message);
        if (onError) onError(error);
        break;
      }
      case 'complete':
        closed = true;
        socket.close(1000);
        if (onComplete) onComplete();
        break;
    }
  };
  socket.onclose = event => {
    if (!closed && event.code !== 1000 && onError) {
      onError(new ApiError('the live connection closed (' + event.code + (event.reason ? ': ' + event.reason : '')
        + '); reload the page to reconnect', 'UNAVAILABLE'));
    }
    closed = true;
  };
  return () => {
    if (!closed) {
      closed = true;
      if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ id: '1', type: 'complete' }));
      socket.close(1000);
    }
  };
}

/** Whether the signed-in principal may use a permission on a resource, and if not why, as the API decides it. */
export async function can(permission, resource) {
  const data = await gql(`query($p: String!, $r: String!) { myAccess { can(permission: $p, resource: $r) {
    allowed reason } } }`, { p: permission, r: resource });
  return data.myAccess.can;
}
