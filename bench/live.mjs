// Live updates measured against a running `cmnp serve --demo`: the delay from a change
// to its delivery to a subscriber (p50/p99 over many changes), and the server's memory
// for many open subscriptions. Driven by bench/live.py, which starts the server.
//
//   node bench/live.mjs <http-url> <server pid> <events> <connections> <per connection>
//
// Prints one JSON object. The clients are the `graphql-ws` and `ws` packages pinned in
// tests/browser (`npm ci --prefix tests/browser`).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const require = createRequire(new URL('../tests/browser/package.json', import.meta.url));
const { createClient } = require('graphql-ws');
const WebSocket = require('ws');

const [httpUrl, pid, events, connections, perConnection] = process.argv.slice(2);
const EVENTS = Number(events);
const CONNECTIONS = Number(connections);
const PER = Number(perConnection);
const wsUrl = `${httpUrl.replace(/^http/, 'ws')}/graphql`;
const PASSWORD = 'cmnp-demo-2026';
const now = () => performance.timeOrigin + performance.now();

async function gql(token, query, variables = {}) {
  const response = await fetch(`${httpUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

const login = async (email) =>
  (await gql(null, 'mutation ($e: String!, $p: String!) { login(input: { email: $e, password: $p }) { token } }', { e: email, p: PASSWORD })).login.token;

const rssKib = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);

async function openSubscriptions() {
  const metrics = await (await fetch(`${httpUrl}/metrics`)).text();
  return Number(/^cmnp_subscriptions_open (\d+)/m.exec(metrics)?.[1] ?? 0);
}

async function until(what, done, seconds = 60) {
  const deadline = Date.now() + seconds * 1000;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const summary = (values) => ({
  n: values.length,
  p50: +quantile(values, 0.5).toFixed(2),
  p99: +quantile(values, 0.99).toFixed(2),
  max: +Math.max(...values).toFixed(2),
});

const ITEM_CHANGED =
  'subscription ($ids: [ID!]) { actionItemChanged(filter: { ids: $ids }) { eventId occurredAt actionItem { progressPercent } } }';

const secretariat = await login('secretaria@cmnp.example');
const agency = await login('mimp@cmnp.example');
const items = await gql(secretariat, '{ actionItems(first: 50) { nodes { id reference status version responsible { acronym } } } }');
const item = items.actionItems.nodes.find((n) => n.responsible.acronym === 'MIMP' && n.status === 'IN_PROGRESS');
let version = item.version;
let progress = 0;

// Changes the item's progress as the secretariat; resolves with when the answer came.
async function change() {
  progress = (progress % 99) + 1;
  const data = await gql(
    secretariat,
    'mutation ($input: UpdateActionItemInput!) { updateActionItem(input: $input) { actionItem { version } } }',
    { input: { id: item.id, expectedVersion: version, progressPercent: progress } },
  );
  version = data.updateActionItem.actionItem.version;
  return { answered: now() };
}

// A timestamp of the server's (RFC 3339, up to nanoseconds) in milliseconds, to the
// microsecond.
function serverTime(iso) {
  const fraction = (/\.(\d+)/.exec(iso)?.[1] ?? '').padEnd(9, '0');
  return Date.parse(iso.replace(/\.\d+/, `.${fraction.slice(0, 3)}`)) + Number(fraction.slice(3, 6)) / 1000;
}

function subscriber(token, count, onEvent) {
  return new Promise((resolve, reject) => {
    const client = createClient({
      url: wsUrl,
      webSocketImpl: WebSocket,
      lazy: false,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${token}` },
      on: { connected: () => resolve(client), error: reject },
    });
    for (let i = 0; i < count; i += 1) {
      client.subscribe(
        { query: ITEM_CHANGED, variables: { ids: [item.id] } },
        { next: (value) => onEvent(value.data.actionItemChanged, now()), error: reject, complete: () => {} },
      );
    }
  });
}

// 1. Latency with one subscriber: each change waits for its event before the next.
let waiting = null;
const watcher = await subscriber(agency, 1, (event, at) => {
  if (waiting && event.actionItem.progressPercent === waiting.progress) waiting.resolve({ event, at });
});
await until('the subscriber', async () => (await openSubscriptions()) >= 1);
const fromCommit = [];
const fromAnswer = [];
for (let i = 0; i < EVENTS; i += 1) {
  const heard = new Promise((resolve) => {
    waiting = { progress: (progress % 99) + 1, resolve };
  });
  const { answered } = await change();
  const { event, at } = await heard;
  fromCommit.push(at - serverTime(event.occurredAt));
  fromAnswer.push(at - answered);
}
await watcher.dispose();

// 2. Memory for many open subscriptions, and one change heard by all of them.
await until('the subscriber to go', async () => (await openSubscriptions()) === 0);
await new Promise((resolve) => setTimeout(resolve, 1000));
const rssBefore = rssKib();
const total = CONNECTIONS * PER;
let heardBy = 0;
let round = null;
const clients = [];
for (let c = 0; c < CONNECTIONS; c += 1) {
  clients.push(
    await subscriber(agency, PER, (event, at) => {
      if (round && event.actionItem.progressPercent === round.progress) {
        heardBy += 1;
        round.last = at;
        if (heardBy === total) round.resolve();
      }
    }),
  );
}
await until('every subscription', async () => (await openSubscriptions()) >= total, 120);
await new Promise((resolve) => setTimeout(resolve, 2000));
const rssAfter = rssKib();
const fanOut = [];
for (let i = 0; i < 20; i += 1) {
  heardBy = 0;
  const all = new Promise((resolve) => {
    round = { progress: (progress % 99) + 1, resolve, last: 0 };
  });
  const { answered } = await change();
  await all;
  fanOut.push(round.last - answered);
}
await Promise.all(clients.map((client) => client.dispose()));

process.stdout.write(
  `${JSON.stringify({
    events: EVENTS,
    fromCommitMs: summary(fromCommit),
    fromAnswerMs: summary(fromAnswer),
    subscriptions: total,
    connections: CONNECTIONS,
    rssBeforeKib: rssBefore,
    rssAfterKib: rssAfter,
    kibPer1000: Math.round(((rssAfter - rssBefore) * 1000) / total),
    allHeardMs: summary(fanOut),
  })}\n`,
);
process.exit(0);
