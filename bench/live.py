#!/usr/bin/env python3
"""Live updates measured: subscribers under Node (`graphql-ws`) against `cmnp serve --demo`
(release build), on SQLite and on PostgreSQL.

For each database and each shape of subscriptions, starts a fresh server with the demo
commission and runs bench/live.mjs, which measures:
- the delay from a change to its delivery to one subscriber, over --events changes made
  one after another through the API (each waits for its event): from the change's
  timestamp (taken as its transaction starts, so the transaction's own time is in it)
  and from the moment the mutation's answer reached the client;
- the server's resident memory before and after opening the subscriptions (all on one
  agency's action item), per 1,000;
- with all of them open, the delay until every subscriber heard a change (20 changes).

    python3 bench/live.py [--events 1000] [--shapes 1000x1,50x20] [--databases sqlite,postgres]

Needs: cargo, Node.js with `npm ci --prefix tests/browser`, and for PostgreSQL a server
at $BENCH_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres) and psql.
"""

import argparse
import json
import os
import resource
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADMIN_URL = os.environ.get("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
DATABASE = "cmnp_bench_live"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def more_files():
    """Room for a thousand sockets on each side."""
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 65536), hard))


def database_url(kind, folder):
    if kind == "sqlite":
        return f"sqlite://{folder}/cmnp.db?mode=rwc"
    for statement in (f"DROP DATABASE IF EXISTS {DATABASE}", f"CREATE DATABASE {DATABASE}"):
        subprocess.run(["psql", ADMIN_URL, "-qc", statement], check=True)
    return ADMIN_URL.rsplit("/", 1)[0] + f"/{DATABASE}?sslmode=disable"


def run(kind, shape, events):
    connections, per = (int(n) for n in shape.split("x"))
    with tempfile.TemporaryDirectory() as folder:
        port = free_port()
        env = {
            **os.environ,
            "CMNP_DATABASE_URL": database_url(kind, folder),
            "CMNP_BIND": f"127.0.0.1:{port}",
            "CMNP_OUTBOX_DIR": f"{folder}/outbox",
            "CMNP_DOCUMENTS_DIR": f"{folder}/documents",
            "CMNP_WS_MAX_CONNECTIONS_PER_TOKEN": str(connections + 1),
            "CMNP_WS_MAX_SUBSCRIPTIONS": str(max(per, 1)),
            "CMNP_LOG": "warn",
        }
        server = subprocess.Popen(
            [str(ROOT / "target/release/cmnp"), "serve", "--demo"],
            cwd=folder, env=env, stdout=subprocess.DEVNULL, preexec_fn=more_files,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    urllib.request.urlopen(f"{url}/readyz", timeout=1)
                    break
                except OSError:
                    time.sleep(0.1)
            out = subprocess.run(
                ["node", str(ROOT / "bench/live.mjs"), url, str(server.pid), str(events), str(connections), str(per)],
                check=True, capture_output=True, text=True, preexec_fn=more_files,
            ).stdout
            return json.loads(out)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--shapes", default="1000x1,50x20")
    parser.add_argument("--databases", default="sqlite,postgres")
    args = parser.parse_args()
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "cmnp-server", "--bin", "cmnp"], cwd=ROOT, check=True)
    print("| database | subscriptions (connections) | change → subscriber, from its timestamp: p50 / p99 / max ms "
          "| from the mutation's answer: p50 / p99 ms | server RSS before → after (MiB) | per 1,000 subscriptions "
          "| all heard one change: p50 / p99 ms |")
    print("|---|---|---|---|---|---|---|")
    for kind in args.databases.split(","):
        for shape in args.shapes.split(","):
            r = run(kind, shape, args.events)
            c, a, f = r["fromCommitMs"], r["fromAnswerMs"], r["allHeardMs"]
            print(
                f"| {kind} | {r['subscriptions']} ({r['connections']}) "
                f"| {c['p50']} / {c['p99']} / {c['max']} (n={c['n']}) | {a['p50']} / {a['p99']} "
                f"| {r['rssBeforeKib'] / 1024:.1f} → {r['rssAfterKib'] / 1024:.1f} "
                f"| {r['kibPer1000'] / 1024:.2f} MiB | {f['p50']} / {f['p99']} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
