// GraphiQL against this server's /graphql, with the API token kept in this browser's session storage and sent as a
// bearer token on HTTP requests and in the connection_init payload of subscriptions.
(function () {
  const KEY = 'annals.token';
  const input = document.getElementById('token');
  const who = document.getElementById('who');
  input.value = sessionStorage.getItem(KEY) || '';
  let root = null;

  function render() {
    const token = sessionStorage.getItem(KEY) || '';
    const auth = token ? { Authorization: 'Bearer ' + token } : {};
    const wsUrl = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/graphql';
    const fetcher = GraphiQL.createFetcher({ url: '/graphql', subscriptionUrl: wsUrl, headers: auth,
      wsConnectionParams: auth });
    who.textContent = token ? '' : 'no token: every operation will be refused';
    if (token) {
      fetch('/graphql', { method: 'POST', headers: Object.assign({ 'Content-Type': 'application/json' }, auth),
        body: JSON.stringify({ query: '{ me }' }) })
        .then(r => r.json())
        .then(r => { who.textContent = r.data ? 'signed in as ' + r.data.me : (r.errors || [{}])[0].message; })
        .catch(e => { who.textContent = String(e); });
    }
    const element = React.createElement(GraphiQL, { fetcher: fetcher, key: token,
      defaultQuery: '{ me projections { name position error } }' });
    if (!root) {
      root = ReactDOM.createRoot(document.getElementById('graphiql'));
    }
    root.render(element);
  }

  document.getElementById('use').addEventListener('click', function () {
    sessionStorage.setItem(KEY, input.value.trim());
    render();
  });
  render();
})();
