#!/usr/bin/env python3
"""cmnp and PostGraphile 5 side by side over the same PostgreSQL data.

Seeds the large benchmark commission into a fresh database, starts `cmnp serve`
(release build) and PostGraphile 5 (Node.js 22, both from the npm packages pinned in
bench/postgraphile) on it, and loads each query with wrk at several concurrencies,
alternating the two servers. Every answer is checked: a non-200 status or a body with
"errors" counts as bad. Prints a Markdown table with requests/s, p50/p99 latency and the
server's CPU seconds, and the cmnp/PostGraphile ratios.

    python3 bench/graphql.py [--seconds 10] [--concurrency 1,32]

Needs: PostgreSQL at $BENCH_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres),
wrk (Debian package), npm.
"""

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
ADMIN_URL = os.environ.get("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
DATABASE = "cmnp_bench"
DB_URL = ADMIN_URL.rsplit("/", 1)[0] + "/" + DATABASE
CMNP_PORT, PG_PORT = 18200, 18201

# The query set: for each, the request to cmnp and the closest equivalent PostGraphile
# request over the same tables. PostGraphile's default preset filters only on indexed
# columns by equality, so "upcoming" is the latest twenty sessions and "overdue" the
# open items by due date; the shapes and sizes of the answers match.
QUERIES = {
    "meeting by id": (
        "query ($id: ID!) { meeting(id: $id) { id label title startsAt location status } }",
        "query ($id: UUID!) { meetingByRowId(rowId: $id) { rowId number year kind title startsAt location status } }",
    ),
    "upcoming sessions with their agencies": (
        "query ($now: DateTime!) { meetings(first: 20, filter: { status: SCHEDULED, from: $now }) { edges { node { id label startsAt invitedAgencies { acronym name } } } } }",
        "{ allMeetings(first: 20, orderBy: [STARTS_AT_DESC]) { nodes { rowId title startsAt meetingInvitationsByMeetingId { nodes { agencyByAgencyId { acronym name } } } } } }",
    ),
    "overdue items, page 50 by cursor": (
        "query ($after: String) { actionItems(first: 50, after: $after, filter: { overdue: true }) { edges { cursor node { reference title dueOn status responsible { acronym } } } } }",
        "query ($after: Cursor) { allActionItems(first: 50, after: $after, condition: { status: \"OPEN\" }, orderBy: [DUE_ON_ASC, PRIMARY_KEY_ASC]) { edges { cursor node { year number title dueOn status agencyByResponsibleAgencyId { acronym } } } } }",
    ),
}


def run(*args, **kwargs):
    return subprocess.run(args, check=True, text=True, capture_output=True, **kwargs).stdout


def post(port, query, variables, token=None):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql",
        data=json.dumps({"query": query, "variables": variables}).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
    )
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=60) as response:
        answer = json.load(response)
    if "errors" in answer:
        sys.exit(f"error from port {port}: {answer['errors']}")
    return answer["data"]


def wait_for(port, path, seconds=120):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2)
            return
        except urllib.error.HTTPError:
            # An answer, even a refusal, means the server is up.
            return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"nothing answered on port {port}")


def cpu_seconds(pid):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def peak_rss_mib(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def load(port, body, token, connections, seconds):
    path = Path(tempfile.gettempdir()) / "cmnp-bench-body.json"
    path.write_text(json.dumps(body))
    env = dict(os.environ, BODY=str(path), TOKEN=token or "")
    threads = min(2, connections)
    out = run("wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency",
              "-s", str(BENCH / "load" / "wrk.lua"), f"http://127.0.0.1:{port}/graphql", env=env)
    match = re.search(r"RESULT requests=(\d+) seconds=([\d.]+) p50_ms=([\d.]+) p99_ms=([\d.]+) bad=(\d+) socket_errors=(\d+)", out)
    if not match:
        sys.exit(out)
    requests, secs, p50, p99, bad, socket_errors = match.groups()
    return {"rps": int(requests) / float(secs), "p50": float(p50), "p99": float(p99),
            "bad": int(bad) + int(socket_errors), "requests": int(requests)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--concurrency", default="1,32")
    args = parser.parse_args()
    concurrencies = [int(c) for c in args.concurrency.split(",")]

    print("building and seeding…", file=sys.stderr)
    run("cargo", "build", "--release", "-q", "-p", "cmnp-bench", "--bin", "seed", cwd=ROOT)
    run("cargo", "build", "--release", "-q", "-p", "cmnp-server", "--bin", "cmnp", cwd=ROOT)
    run("psql", ADMIN_URL, "-qc", f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    run("psql", ADMIN_URL, "-qc", f"CREATE DATABASE {DATABASE}")
    token = run(str(ROOT / "target/release/seed"), env=dict(os.environ, CMNP_DATABASE_URL=DB_URL)).strip()
    run("npm", "ci", "--no-audit", "--no-fund", "--prefix", str(BENCH / "postgraphile"))

    outbox = Path("/tmp/cmnp-bench-outbox")
    cmnp = subprocess.Popen(
        [str(ROOT / "target/release/cmnp"), "serve"],
        env=dict(os.environ, CMNP_DATABASE_URL=DB_URL, CMNP_BIND=f"127.0.0.1:{CMNP_PORT}",
                 CMNP_LOG="warn", CMNP_OUTBOX_DIR=str(outbox)),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    node = BENCH / "postgraphile/node_modules/.bin/node"
    postgraphile = subprocess.Popen(
        [str(node), str(BENCH / "postgraphile/node_modules/postgraphile/dist/cli-run.js"),
         "-P", "postgraphile/presets/amber", "-c", DB_URL, "-s", "public",
         "-p", str(PG_PORT), "-n", "127.0.0.1"],
        env=dict(os.environ, GRAPHILE_ENV="production"),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(CMNP_PORT, "/readyz")
        wait_for(PG_PORT, "/graphql?query=%7B__typename%7D")
        # The start-up reminder sweep plans the seeded commission's e-mails; let the
        # delivery worker write them before measuring.
        for _ in range(600):
            pending = run("psql", DB_URL, "-tAc", "SELECT count(*) FROM email_outbox WHERE status IN ('PENDING','SENDING')").strip()
            if pending == "0":
                break
            time.sleep(0.5)

        meeting = run("psql", DB_URL, "-tAc", "SELECT id FROM meetings ORDER BY starts_at DESC LIMIT 1").strip()
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        cmnp_after, pg_after = None, None
        for _ in range(49):
            page = post(CMNP_PORT, QUERIES["overdue items, page 50 by cursor"][0], {"after": cmnp_after}, token)
            cmnp_after = page["actionItems"]["edges"][-1]["cursor"]
            page = post(PG_PORT, QUERIES["overdue items, page 50 by cursor"][1], {"after": pg_after})
            pg_after = page["allActionItems"]["edges"][-1]["cursor"]
        variables = {
            "meeting by id": ({"id": meeting}, {"id": meeting}),
            "upcoming sessions with their agencies": ({"now": now}, {}),
            "overdue items, page 50 by cursor": ({"after": cmnp_after}, {"after": pg_after}),
        }

        rows = []
        for name, (cmnp_query, pg_query) in QUERIES.items():
            cmnp_body = {"query": cmnp_query, "variables": variables[name][0]}
            pg_body = {"query": pg_query, "variables": variables[name][1]}
            for connections in concurrencies:
                results = {}
                # Alternate the servers, twice each, and keep each one's better run.
                for server, port, body, pid, auth in [
                    ("cmnp", CMNP_PORT, cmnp_body, cmnp.pid, token),
                    ("postgraphile", PG_PORT, pg_body, postgraphile.pid, None),
                ] * 2:
                    before = cpu_seconds(pid)
                    result = load(port, body, auth, connections, args.seconds)
                    result["cpu_per_1k"] = (cpu_seconds(pid) - before) / max(result["requests"], 1) * 1000
                    best = results.get(server)
                    if best is None or result["rps"] > best["rps"]:
                        results[server] = result
                rows.append((name, connections, results["cmnp"], results["postgraphile"]))
                print(f"{name} @ {connections}: cmnp {results['cmnp']['rps']:.0f}/s, "
                      f"PostGraphile {results['postgraphile']['rps']:.0f}/s", file=sys.stderr)

        print("| query | conns | cmnp req/s | PostGraphile req/s | ratio | cmnp p50 / p99 ms | PostGraphile p50 / p99 ms | CPU s per 1k req (cmnp / PG) | bad answers |")
        print("|---|---|---|---|---|---|---|---|---|")
        for name, connections, c, p in rows:
            print(f"| {name} | {connections} | {c['rps']:.0f} | {p['rps']:.0f} | {c['rps'] / p['rps']:.2f}× "
                  f"| {c['p50']:.1f} / {c['p99']:.1f} | {p['p50']:.1f} / {p['p99']:.1f} "
                  f"| {c['cpu_per_1k']:.2f} / {p['cpu_per_1k']:.2f} | {c['bad']} / {p['bad']} |")
        print(f"\npeak RSS: cmnp {peak_rss_mib(cmnp.pid):.0f} MiB, PostGraphile (node) {peak_rss_mib(postgraphile.pid):.0f} MiB")
    finally:
        for process in (cmnp, postgraphile):
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)


if __name__ == "__main__":
    main()
