// The playground's bootstrap, served as is (no build step): React, ReactDOM, GraphiQL and graphqlWs
// are the UMD globals of the scripts loaded before it. Queries and mutations go over HTTP POST,
// subscriptions over graphql-ws on the same /graphql URL, as every other client of the gateway.
(() => {
  'use strict';

  const httpUrl = new URL('/graphql', location.href).href;
  const wsUrl = httpUrl.replace(/^http/, 'ws'); // http: → ws:, https: → wss:

  const DEFAULT_QUERY = [
    '# 1. Run LogIn.  2. In Headers below put {"Authorization": "Bearer <token>"}.  3. Run the rest.',
    '',
    'mutation LogIn {',
    '  logIn(email: "admin@ticketing.local", password: "admin-password-change-me") { token user { id role } }',
    '}',
    '',
    'query Me {',
    '  me { id email role wallet { balance } }',
    '}',
    '',
    'query Concerts {',
    '  concerts(first: 5) { nodes { id title schedules { id startsAt bookingOpensAt availableSeatCount } } }',
    '}',
    '',
    '# Runs until you press the button again; holds and sales on the schedule show up here.',
    'subscription Seats {',
    '  seatsUpdated(scheduleId: "5c4ed000-0000-4000-8000-000000000011") { id section row number status }',
    '}',
    '',
  ].join('\n');

  /** The Authorization value of GraphiQL's headers (any spelling of the name), '' without one. */
  function authorizationIn(headers) {
    for (const [name, value] of Object.entries(headers || {})) {
      if (name.toLowerCase() === 'authorization' && typeof value === 'string') return value.trim();
    }
    return '';
  }

  function parseHeaders(text) {
    try {
      const value = JSON.parse(text || '{}');
      return value && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
    } catch {
      return undefined; // half-typed JSON: wait for the next edit
    }
  }

  // The gateway reads the token once per socket, from connection_init, so each distinct
  // Authorization gets its own client and the previous one is closed: an edited header applies to
  // the next subscription. No retries: a refused token (4403) should show now, not after backoff.
  let socket = { authorization: '', client: undefined };
  function wsClientFor(authorization) {
    if (socket.client && socket.authorization === authorization) return socket.client;
    if (socket.client) void socket.client.dispose();
    const client = graphqlWs.createClient({
      url: wsUrl,
      connectionParams: authorization ? { authorization } : {},
      retryAttempts: 0,
    });
    socket = { authorization, client };
    return client;
  }

  /**
   * graphql-ws fails with GraphQL errors, a CloseEvent or a socket error Event; GraphiQL prints
   * objects as they are (an Error would come with its stack), so each becomes a plain message.
   */
  function readable(error) {
    if (Array.isArray(error)) return error;
    if (error instanceof CloseEvent) {
      const hint = error.code === 4403 ? ' (the Authorization in Headers did not verify)' : '';
      return { message: `WebSocket closed: ${error.code} ${error.reason}`.trim() + hint };
    }
    if (error instanceof Error) return { message: error.message };
    return { message: `Could not open the WebSocket to ${wsUrl}` };
  }

  /** A subscription as the Observable GraphiQL consumes: its stop button unsubscribes at once. */
  function subscription(client, params) {
    return {
      subscribe(observer) {
        const unsubscribe = client.subscribe(params, {
          next: (result) => observer.next(result),
          complete: () => observer.complete(),
          error: (error) => observer.error(readable(error)),
        });
        return { unsubscribe };
      },
    };
  }

  function isSubscription(documentAST, operationName) {
    if (!documentAST) return false;
    const operation = GraphiQL.GraphQL.getOperationAST(documentAST, operationName || undefined);
    return Boolean(operation) && operation.operation === 'subscription';
  }

  const overHttp = GraphiQL.createFetcher({ url: httpUrl });
  const createFetcher = () => (params, options) =>
    isSubscription(options && options.documentAST, params.operationName)
      ? subscription(wsClientFor(authorizationIn(options.headers)), params)
      : overHttp(params, options);

  // GraphiQL introspects again whenever its fetcher changes, with the headers of that moment: a new
  // fetcher per Authorization re-fetches the schema for whoever just signed in (in production only
  // an admin may introspect). Debounced, because the header is typed a keystroke at a time.
  function Playground() {
    const [authorization, setAuthorization] = React.useState(undefined);
    const fetcher = React.useMemo(createFetcher, [authorization]);
    const pending = React.useRef(undefined);
    const onEditHeaders = (text) => {
      clearTimeout(pending.current);
      pending.current = setTimeout(() => {
        const headers = parseHeaders(text);
        if (headers) setAuthorization(authorizationIn(headers));
      }, 400);
    };
    return React.createElement(GraphiQL, {
      fetcher,
      onEditHeaders,
      shouldPersistHeaders: true,
      // Empty: a placeholder token would make the first logIn fail as UNAUTHENTICATED.
      defaultHeaders: '{}',
      defaultEditorToolsVisibility: 'headers',
      defaultQuery: DEFAULT_QUERY,
    });
  }

  ReactDOM.createRoot(document.getElementById('graphiql')).render(React.createElement(Playground));
})();
