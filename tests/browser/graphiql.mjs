// Opens GraphiQL as cmnp serves it, in a real headless Chromium with every request that
// would leave the server refused (as on an office network with no way out), signs in
// through the API, hands GraphiQL the token through its own header store, runs its
// default query and reads the answer from its result pane. It also checks that the
// package files cmnp embeds are, byte for byte, those of the npm packages pinned here.
//
//   node tests/browser/graphiql.mjs BASE_URL EMAIL PASSWORD
//
// One JSON object goes to standard output: the page's status, the requests refused,
// script errors, the embedded files that differ from the packages, and the result text.
// The exit status is non-zero only when the check itself could not run.

import { readFile } from 'node:fs/promises';
import process from 'node:process';
import { chromium } from 'playwright-core';

const TIMEOUT_MS = 30_000;
// The files cmnp serves under /graphiql/, and where the pinned packages keep them.
const PACKAGED = {
  'graphiql.min.js': 'graphiql/graphiql.min.js',
  'graphiql.min.css': 'graphiql/graphiql.min.css',
  'react.production.min.js': 'react/umd/react.production.min.js',
  'react-dom.production.min.js': 'react-dom/umd/react-dom.production.min.js',
};

const [base, email, password] = process.argv.slice(2);
if (!password) {
  console.error('usage: node graphiql.mjs <base url> <email> <password>');
  process.exit(2);
}
const origin = new URL(base).origin;

// Node's fetch unpacks the gzip the server sends, as a browser does.
const differing = [];
for (const [served, packaged] of Object.entries(PACKAGED)) {
  const response = await fetch(`${base}/graphiql/${served}`);
  const got = Buffer.from(await response.arrayBuffer());
  const expected = await readFile(new URL(`./node_modules/${packaged}`, import.meta.url));
  if (response.status !== 200 || !got.equals(expected)) {
    differing.push(`${served}: ${response.status}, ${got.length} bytes, package ${expected.length}`);
  }
}

const login = await fetch(`${base}/graphql`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    query: 'mutation ($e: String!, $p: String!) { login(input: { email: $e, password: $p }) { token } }',
    variables: { e: email, p: password },
  }),
});
const token = (await login.json()).data.login.token;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox'],
});
const refused = [];
const errors = [];
let status = null;
let result = null;
try {
  const context = await browser.newContext();
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (new URL(url).origin === origin) {
      return route.continue();
    }
    refused.push(url);
    return route.abort('internetdisconnected');
  });
  // GraphiQL keeps the header editor's text under this key (shouldPersistHeaders).
  await context.addInitScript((headers) => {
    window.localStorage.setItem('graphiql:headers', headers);
  }, JSON.stringify({ Authorization: `Bearer ${token}` }));
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  const response = await page.goto(`${base}/graphql`, { waitUntil: 'load', timeout: TIMEOUT_MS });
  status = response.status();
  await page.click('.graphiql-execute-button', { timeout: TIMEOUT_MS });
  await page.waitForFunction(
    () => (document.querySelector('.result-window')?.textContent ?? '').includes('totalCount'),
    null,
    { timeout: TIMEOUT_MS },
  );
  result = await page.textContent('.result-window');
} catch (error) {
  errors.push(`the check stopped: ${error.message}`);
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify({ status, refused, errors, differing, result }) + '\n');
