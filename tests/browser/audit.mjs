// Runs the GraphQL-over-HTTP conformance audit of the `graphql-http` package (the
// reference implementation of the specification) against a running server, and prints
// each audit's outcome as JSON on standard output.
//
// Usage: node audit.mjs http://127.0.0.1:8080/graphql
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs <graphql url>');
  process.exit(2);
}
const results = await auditServer({ url });
const report = await Promise.all(
  results.map(async (result) => ({
    id: result.id,
    name: result.name,
    status: result.status,
    reason: result.status === 'ok' ? null : result.reason,
    body: result.status === 'ok' ? null : (await result.response.text()).slice(0, 300),
  })),
);
process.stdout.write(JSON.stringify(report, null, 1) + '\n');
