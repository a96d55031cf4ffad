#!/usr/bin/env python3
"""cmnp, PostGraphile 5 and pgbench side by side over the same PostgreSQL data.

Seeds the large benchmark commission into a fresh database, starts `cmnp serve`
(release build) and PostGraphile 5 (Node.js 22, both from the npm packages pinned in
bench/postgraphile) on it, records the SQL statements cmnp issues for each query
(bench/src/bin/statements.rs) as pgbench scripts, and loads each query with wrk at
several concurrencies, alternating cmnp, PostGraphile and pgbench (the ceiling: the
same statements with no GraphQL server), and a second cmnp serving the same commission
seeded into SQLite. Every answer is checked: a non-200 status or
a body with "errors" counts as bad. Prints a Markdown table with requests/s, p50/p99
latency, the servers' CPU seconds, SQL statements per request, the cmnp/PostGraphile
and cmnp/pgbench ratios, and the servers' memory.

    python3 bench/graphql.py [--seconds 10] [--concurrency 1,8,32] [--only update]

Needs: PostgreSQL at $BENCH_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres),
psql, wrk and pgbench (Debian packages postgresql-client and wrk), cargo, npm.
"""

import argparse
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
ADMIN_URL = os.environ.get("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
DATABASE = "cmnp_bench"
# Plain TCP for all three clients: cmnp (sqlx) and pgbench (libpq) would otherwise
# negotiate TLS with a server that offers it, where PostGraphile (node-postgres) does not.
DB_URL = ADMIN_URL.rsplit("/", 1)[0] + "/" + DATABASE + "?sslmode=disable"
CMNP_PORT, PG_PORT, SQLITE_PORT = 18200, 18201, 18202
WORK = Path(tempfile.gettempdir()) / "cmnp-bench"
# The same commission seeded into SQLite, served by a second cmnp.
SQLITE_FILE = WORK / "sqlite" / "cmnp.db"
SQLITE_URL = f"sqlite://{SQLITE_FILE}?mode=rwc"

# The query set: for each, who asks cmnp (a seeded user's token) and the request to
# cmnp, and the closest equivalent PostGraphile request over the same tables (which
# runs without authentication). PostGraphile's default preset filters only on indexed
# columns by equality, so "upcoming" is the latest twenty sessions and "overdue" the
# open items by due date; it computes nothing, so the project's budget figures and
# indicator achievement are the client's to sum from the rows it returns; and its
# update is a plain patch of the row (no version check, no history entry, no audit
# event), sent with the version cmnp would write. The shapes and sizes of the answers
# match.
QUERIES = {
    "meeting by id": (
        "secretariat",
        "query ($id: ID!) { meeting(id: $id) { id label title startsAt location status } }",
        "query ($id: UUID!) { meetingByRowId(rowId: $id) { rowId number year kind title startsAt location status } }",
    ),
    "upcoming sessions with their agencies": (
        "secretariat",
        "query ($now: DateTime!) { meetings(first: 20, filter: { status: SCHEDULED, from: $now }) { edges { node { id label startsAt invitedAgencies { acronym name } } } } }",
        "{ allMeetings(first: 20, orderBy: [STARTS_AT_DESC]) { nodes { rowId title startsAt meetingInvitationsByMeetingId { nodes { agencyByAgencyId { acronym name } } } } } }",
    ),
    # An agency's user opens its first ten held sessions: their agreements, the items
    # each created and who is responsible for them (about 900 items).
    "agency → sessions → agreements → items → responsible": (
        "agency",
        "{ agency(acronym: \"AG001\") { acronym name } meetings(first: 10, filter: { status: HELD }) { edges { node { id label startsAt agreements { number text actionItems { reference title status dueOn responsible { acronym } } } } } } }",
        "{ agencyByAcronym(acronym: \"AG001\") { acronym name } allMeetings(first: 10, orderBy: [STARTS_AT_ASC, PRIMARY_KEY_ASC]) { nodes { rowId year number startsAt agreementsByMeetingId { nodes { year number text actionItemsByAgreementId { nodes { year number title status dueOn agencyByResponsibleAgencyId { acronym } } } } } } } }",
    ),
    "overdue items, page 50 by cursor": (
        "secretariat",
        "query ($after: String) { actionItems(first: 50, after: $after, filter: { overdue: true }) { edges { cursor node { reference title dueOn status responsible { acronym } } } } }",
        "query ($after: Cursor) { allActionItems(first: 50, after: $after, condition: { status: \"OPEN\" }, orderBy: [DUE_ON_ASC, PRIMARY_KEY_ASC]) { edges { cursor node { year number title dueOn status agencyByResponsibleAgencyId { acronym } } } } }",
    ),
    # The secretariat reads twenty agencies with their representatives and a page of
    # fifty of each one's items, every item with its agencies, agreement and history
    # (PostGraphile walks the same relations; "overdue" is the client's to compute there).
    "agencies → representatives, items (50 each) → agencies, agreement, history": (
        "secretariat",
        "{ agencies(first: 20) { edges { node { acronym representatives { name } actionItems(first: 50) { totalCount edges { node { reference status dueOn overdue responsible { acronym } supporting { acronym } agreement { number } history { note statusTo } } } } } } } }",
        "{ allAgencies(first: 20, orderBy: [ACRONYM_ASC]) { nodes { acronym representativesByAgencyId { nodes { name } } actionItemsByResponsibleAgencyId(first: 50, orderBy: [DUE_ON_ASC, PRIMARY_KEY_ASC]) { totalCount nodes { year number status dueOn agencyByResponsibleAgencyId { acronym } actionItemSupportersByActionItemId { nodes { agencyByAgencyId { acronym } } } agreementByAgreementId { number } actionItemUpdatesByActionItemId { nodes { note statusTo } } } } } } }",
    ),
    # A donor's user opens one project it funds: participants, money, results framework
    # and milestones.
    "donor's project with results": (
        "donor",
        "query ($id: ID!) { project(id: $id) { iatiIdentifier title status currency plannedStart plannedEnd budget committed disbursed spent burnRate timeElapsed participants { role agency { acronym name } } budgetLines { periodStart periodEnd amount kind status } transactions { type date amount provider { acronym } receiver { acronym } } results { type title indicators { title measure baseline target actual percentAchieved periods { periodStart periodEnd target actual } } } milestones { title plannedOn doneOn late } } }",
        "query ($id: UUID!) { projectByRowId(rowId: $id) { iatiIdentifier title status currency plannedStart plannedEnd projectParticipantsByProjectId { nodes { role agencyByAgencyId { acronym name } } } budgetLinesByProjectId { nodes { periodStart periodEnd amount kind status } } transactionsByProjectId { nodes { kind date amount agencyByProviderAgencyId { acronym } agencyByReceiverAgencyId { acronym } } } resultsByProjectId { nodes { kind title indicatorsByResultId { nodes { title measure baseline target indicatorPeriodsByIndicatorId { nodes { periodStart periodEnd target actual } } } } } } milestonesByProjectId { nodes { title plannedOn doneOn } } } }",
    ),
    # The secretariat records progress on an item in progress (bench/load/update.lua
    # keeps every item's current version).
    "action-item update (mutation)": (
        "secretariat",
        "mutation ($id: ID!, $version: Int!, $progress: Int!) { updateActionItem(input: { id: $id, expectedVersion: $version, progressPercent: $progress, note: \"Avance registrado\" }) { actionItem { id version progressPercent } } }",
        "mutation ($id: UUID!, $version: Int!, $progress: Int!) { updateActionItemByRowId(input: { rowId: $id, actionItemPatch: { progressPercent: $progress, version: $version } }) { actionItem { rowId version progressPercent } } }",
    ),
}
MUTATION = "action-item update (mutation)"
# Items updated under load, and (apart) the one whose statements are recorded.
POOL_ITEMS = 256


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


def memory_mib(pid, field):
    """VmHWM (peak) or VmRSS (now) of a process, in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def slug(name):
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def select(database, sql):
    """The rows of a query on PostgreSQL ("pg", through psql) or on the SQLite copy
    ("sqlite"), as tuples of strings; SQLite's 16-byte ids come back as UUID text."""
    if database == "pg":
        out = run("psql", DB_URL, "-tAF", "\t", "-c", sql).strip()
        return [tuple(line.split("\t")) for line in out.splitlines()]
    with sqlite3.connect(SQLITE_FILE) as db:
        return [tuple(str(uuid.UUID(bytes=v)) if isinstance(v, bytes) and len(v) == 16 else str(v) for v in row)
                for row in db.execute(sql)]


def update_items(limit, offset=0, database="pg"):
    """Items in progress, as "id version" lines, in a fixed order."""
    rows = select(database, "SELECT id, version FROM action_items WHERE status = 'IN_PROGRESS' "
                            f"ORDER BY year, number LIMIT {limit} OFFSET {offset}")
    return "\n".join(" ".join(row) for row in rows)


def fill(template, item_id, version):
    """A mutation body for one item: cmnp sends the version it read, PostGraphile the
    version cmnp would write."""
    return (template.replace("__ID__", item_id).replace("__VERSION__", str(version))
            .replace("__NEXT__", str(version + 1)).replace("__PROGRESS__", str(10 + version % 80)))


def load(port, body, token, connections, seconds, mutation, database="pg"):
    path = WORK / "body.json"
    path.write_text(body if mutation else json.dumps(body))
    threads = min(2, connections)
    env = dict(os.environ, BODY=str(path), TOKEN=token or "", THREADS=str(threads))
    script = "wrk.lua"
    if mutation:
        # Read the versions afresh: the other server has moved them on.
        items = WORK / "items.txt"
        items.write_text(update_items(POOL_ITEMS, database=database) + "\n")
        env["ITEMS"] = str(items)
        script = "update.lua"
    out = run("wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency",
              "-s", str(BENCH / "load" / script), f"http://127.0.0.1:{port}/graphql", env=env)
    match = re.search(r"RESULT requests=(\d+) seconds=([\d.]+) p50_ms=([\d.]+) p99_ms=([\d.]+) bad=(\d+) socket_errors=(\d+)", out)
    if not match:
        sys.exit(out)
    requests, secs, p50, p99, bad, socket_errors = match.groups()
    return {"rps": int(requests) / float(secs), "p50": float(p50), "p99": float(p99),
            "bad": int(bad) + int(socket_errors), "requests": int(requests)}


def pgbench(script, connections, seconds):
    """Replays the statements of one cmnp request per transaction, with their values
    inlined, over the simple protocol (each statement parsed and planned every time)."""
    out = run("pgbench", "-n", "-M", "simple", "-f", str(script), f"-c{connections}",
              f"-j{min(2, connections)}", f"-T{seconds}", DB_URL)
    tps = re.search(r"tps = ([\d.]+) \(without initial connection time\)", out)
    latency = re.search(r"latency average = ([\d.]+) ms", out)
    failed = re.search(r"number of failed transactions: (\d+)", out)
    if not tps:
        sys.exit(out)
    return {"rps": float(tps.group(1)), "latency": float(latency.group(1)) if latency else float("nan"),
            "bad": int(failed.group(1)) if failed else 0}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--concurrency", default="1,8,32")
    parser.add_argument("--only", default="", help="load only the queries whose name contains this")
    args = parser.parse_args()
    concurrencies = [int(c) for c in args.concurrency.split(",")]

    missing = [tool for tool in ("cargo", "npm", "psql", "wrk", "pgbench") if shutil.which(tool) is None]
    if missing:
        sys.exit(f"missing: {', '.join(missing)}. wrk and pgbench/psql are Debian packages: "
                 "apt-get install -y wrk postgresql-client")
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)

    print("building and seeding…", file=sys.stderr)
    run("cargo", "build", "--release", "-q", "-p", "cmnp-bench", "--bin", "seed", "--bin", "statements", cwd=ROOT)
    run("cargo", "build", "--release", "-q", "-p", "cmnp-server", "--bin", "cmnp", cwd=ROOT)
    run("psql", ADMIN_URL, "-qc", f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    run("psql", ADMIN_URL, "-qc", f"CREATE DATABASE {DATABASE}")
    started = time.time()
    tokens = json.loads(run(str(ROOT / "target/release/seed"), env=dict(os.environ, CMNP_DATABASE_URL=DB_URL)))
    print(f"seeded in {time.time() - started:.1f} s", file=sys.stderr)
    run("psql", DB_URL, "-qc", "VACUUM ANALYZE")
    SQLITE_FILE.parent.mkdir()
    started = time.time()
    lite_tokens = json.loads(run(str(ROOT / "target/release/seed"), env=dict(os.environ, CMNP_DATABASE_URL=SQLITE_URL)))
    # Statistics for SQLite's planner too, as VACUUM ANALYZE gives PostgreSQL's.
    with sqlite3.connect(SQLITE_FILE) as lite_db:
        lite_db.execute("ANALYZE")
    print(f"seeded SQLite in {time.time() - started:.1f} s", file=sys.stderr)
    run("npm", "ci", "--no-audit", "--no-fund", "--prefix", str(BENCH / "postgraphile"))

    outbox = WORK / "outbox"
    cmnp = subprocess.Popen(
        [str(ROOT / "target/release/cmnp"), "serve"],
        env=dict(os.environ, CMNP_DATABASE_URL=DB_URL, CMNP_BIND=f"127.0.0.1:{CMNP_PORT}",
                 CMNP_LOG="warn", CMNP_OUTBOX_DIR=str(outbox)),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    lite = subprocess.Popen(
        [str(ROOT / "target/release/cmnp"), "serve"],
        env=dict(os.environ, CMNP_DATABASE_URL=SQLITE_URL, CMNP_BIND=f"127.0.0.1:{SQLITE_PORT}",
                 CMNP_LOG="warn", CMNP_OUTBOX_DIR=str(WORK / "outbox-sqlite")),
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
        wait_for(SQLITE_PORT, "/readyz")
        wait_for(PG_PORT, "/graphql?query=%7B__typename%7D")
        # The start-up reminder sweep plans the seeded commission's e-mails; let the
        # delivery workers write them before measuring.
        for database in ("pg", "sqlite"):
            for _ in range(600):
                pending = select(database, "SELECT count(*) FROM email_outbox WHERE status IN ('PENDING','SENDING')")
                if pending == [("0",)]:
                    break
                time.sleep(0.5)
        idle_rss = memory_mib(cmnp.pid, "VmRSS")

        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        overdue = QUERIES["overdue items, page 50 by cursor"]

        def cmnp_variables(database, port, token):
            """The variables of cmnp's requests on one database: its latest session, the
            first project the donor DN000 funds, and the cursor 49 overdue pages deep."""
            [(meeting,)] = select(database, "SELECT id FROM meetings ORDER BY starts_at DESC LIMIT 1")
            [(project,)] = select(database, "SELECT p.id FROM projects p JOIN project_participants f ON f.project_id = p.id "
                                            "AND f.role = 'FUNDING' JOIN agencies a ON a.id = f.agency_id AND a.acronym = 'DN000' "
                                            "ORDER BY p.iati_identifier LIMIT 1")
            after = None
            for _ in range(49):
                after = post(port, overdue[1], {"after": after}, token)["actionItems"]["edges"][-1]["cursor"]
            return {
                "meeting by id": {"id": meeting},
                "upcoming sessions with their agencies": {"now": now},
                "agency → sessions → agreements → items → responsible": {},
                "agencies → representatives, items (50 each) → agencies, agreement, history": {},
                "overdue items, page 50 by cursor": {"after": after},
                "donor's project with results": {"id": project},
            }

        cmnp_vars = cmnp_variables("pg", CMNP_PORT, tokens[overdue[0]])
        lite_vars = cmnp_variables("sqlite", SQLITE_PORT, lite_tokens[overdue[0]])
        pg_after = None
        for _ in range(49):
            page = post(PG_PORT, overdue[2], {"after": pg_after})
            pg_after = page["allActionItems"]["edges"][-1]["cursor"]
        pg_vars = dict(cmnp_vars, **{
            "upcoming sessions with their agencies": {},
            "overdue items, page 50 by cursor": {"after": pg_after},
        })
        templates = {"id": "__ID__", "version": "__VERSION__", "progress": "__PROGRESS__"}
        bodies = {}
        for name, (_, cmnp_query, pg_query) in QUERIES.items():
            if name == MUTATION:
                # Templates for bench/load/update.lua: numbers stay unquoted.
                cmnp_body = json.dumps({"query": cmnp_query, "variables": templates})
                pg_body = json.dumps({"query": pg_query, "variables": dict(templates, version="__NEXT__")})
                bodies[name] = tuple(re.sub(r'"(__(?:VERSION|NEXT|PROGRESS)__)"', r"\1", b)
                                     for b in (cmnp_body, pg_body, cmnp_body))
            else:
                bodies[name] = ({"query": cmnp_query, "variables": cmnp_vars[name]},
                                {"query": pg_query, "variables": pg_vars[name]},
                                {"query": cmnp_query, "variables": lite_vars[name]})

        # Every query's statements, recorded on a warm store, for pgbench. The update is
        # recorded on an item outside the pool loaded with wrk.
        requests = []
        for name, (role, _, _) in QUERIES.items():
            if name == MUTATION:
                item_id, version = update_items(1, POOL_ITEMS).split()
                warm_up = [json.loads(fill(bodies[name][0], item_id, int(version) + k)) for k in (0, 1)]
            else:
                warm_up = [bodies[name][0]] * 2
            requests.append({"name": name, "slug": slug(name), "token": tokens[role],
                             "transaction": name == MUTATION, "bodies": warm_up})
        (WORK / "requests.json").write_text(json.dumps(requests))
        recorded = run(str(ROOT / "target/release/statements"), str(WORK / "requests.json"), str(WORK / "pgbench"),
                       env=dict(os.environ, CMNP_DATABASE_URL=DB_URL, CMNP_LOG="warn"))
        statements = {line["name"]: line for line in map(json.loads, recorded.splitlines())}

        rows = []
        for name, (role, _, _) in QUERIES.items():
            if args.only not in name:
                continue
            mutation = name == MUTATION
            cmnp_body, pg_body, lite_body = bodies[name]
            script = WORK / "pgbench" / f"{slug(name)}.sql"
            for connections in concurrencies:
                results = {}
                # Alternate cmnp, PostGraphile, pgbench and cmnp on SQLite, twice each,
                # and keep each one's better run.
                for runner in ["cmnp", "postgraphile", "pgbench", "sqlite"] * 2:
                    if runner == "pgbench":
                        result = pgbench(script, connections, args.seconds)
                    else:
                        pid = {"cmnp": cmnp, "postgraphile": postgraphile, "sqlite": lite}[runner].pid
                        before = cpu_seconds(pid)
                        if runner == "cmnp":
                            result = load(CMNP_PORT, cmnp_body, tokens[role], connections, args.seconds, mutation)
                        elif runner == "sqlite":
                            result = load(SQLITE_PORT, lite_body, lite_tokens[role], connections, args.seconds,
                                          mutation, database="sqlite")
                        else:
                            result = load(PG_PORT, pg_body, None, connections, args.seconds, mutation)
                        result["cpu_per_1k"] = (cpu_seconds(pid) - before) / max(result["requests"], 1) * 1000
                    best = results.get(runner)
                    if best is None or result["rps"] > best["rps"]:
                        results[runner] = result
                rows.append((name, connections, results))
                print(f"{name} @ {connections}: cmnp {results['cmnp']['rps']:.0f}/s, "
                      f"PostGraphile {results['postgraphile']['rps']:.0f}/s, "
                      f"pgbench {results['pgbench']['rps']:.0f}/s, "
                      f"cmnp on SQLite {results['sqlite']['rps']:.0f}/s", file=sys.stderr)

        print("| query | conns | cmnp req/s | PostGraphile req/s | pgbench tx/s | cmnp / PostGraphile | cmnp / pgbench "
              "| cmnp p50 / p99 ms | PostGraphile p50 / p99 ms | CPU s per 1k req (cmnp / PG) "
              "| SQL per request (cmnp; auth) | bad answers (cmnp / PG / pgbench) "
              "| cmnp on SQLite req/s | SQLite p50 / p99 ms | SQLite CPU s per 1k req | SQLite bad answers |")
        print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        for name, connections, r in rows:
            c, p, b, q = r["cmnp"], r["postgraphile"], r["pgbench"], r["sqlite"]
            counted = statements[name]
            print(f"| {name} | {connections} | {c['rps']:,.0f} | {p['rps']:,.0f} | {b['rps']:,.0f} "
                  f"| {c['rps'] / p['rps']:.2f}× | {c['rps'] / b['rps']:.2f}× "
                  f"| {c['p50']:.1f} / {c['p99']:.1f} | {p['p50']:.1f} / {p['p99']:.1f} "
                  f"| {c['cpu_per_1k']:.2f} / {p['cpu_per_1k']:.2f} "
                  f"| {counted['statements']}; {counted['auth']} | {c['bad']} / {p['bad']} / {b['bad']} "
                  f"| {q['rps']:,.0f} | {q['p50']:.1f} / {q['p99']:.1f} | {q['cpu_per_1k']:.2f} | {q['bad']} |")
        print(f"\nResident memory: cmnp {idle_rss:.0f} MiB idle after start-up, {memory_mib(cmnp.pid, 'VmHWM'):.0f} MiB peak; "
              f"cmnp on SQLite {memory_mib(lite.pid, 'VmHWM'):.0f} MiB peak; "
              f"PostGraphile (node) {memory_mib(postgraphile.pid, 'VmHWM'):.0f} MiB peak.")
        print(f"\npgbench scripts (the statements of one request each): {WORK / 'pgbench'}")
    finally:
        for process in (cmnp, lite, postgraphile):
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)


if __name__ == "__main__":
    main()
