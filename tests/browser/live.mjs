// Subscribers for the live-update tests: each one a real `graphql-ws` client over its
// own WebSocket connection to cmnp's /graphql, as an agency's or a donor's script would
// be. Prints one JSON line per thing a subscriber hears (`next`, `error`, `complete`,
// `closed`) and runs until its standard input closes.
//
//   node live.mjs <ws-url> '<json: [{"name", "token"?, "subscriptions": [{"query", "variables"?}]}]>'
//
// A subscriber's subscriptions share its connection; each line names the subscriber and
// the subscription's place in its list (`index`).
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [url, spec] = process.argv.slice(2);
const print = (line) => process.stdout.write(`${JSON.stringify(line)}\n`);
const clients = [];

for (const { name, token, subscriptions } of JSON.parse(spec)) {
  const client = createClient({
    url,
    webSocketImpl: WebSocket,
    lazy: false,
    retryAttempts: 0,
    // Closes are printed below, as `closed`.
    onNonLazyError: () => {},
    connectionParams: token === undefined ? {} : { authorization: `Bearer ${token}` },
    on: {
      connected: () => print({ name, connected: true }),
      closed: (event) => print({ name, closed: event.code, reason: event.reason }),
    },
  });
  clients.push(client);
  subscriptions.forEach(({ query, variables }, index) =>
    client.subscribe(
      { query, variables },
      {
        next: (value) => print({ name, index, next: value, at: Date.now() }),
        error: (error) =>
          print({
            name,
            index,
            error: Array.isArray(error) ? error : { code: error?.code, reason: error?.reason },
          }),
        complete: () => print({ name, index, complete: true }),
      },
    ),
  );
}

process.stdin.resume();
process.stdin.on('end', async () => {
  await Promise.all(clients.map((client) => client.dispose()));
  process.exit(0);
});
