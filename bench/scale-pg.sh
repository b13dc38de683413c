#!/usr/bin/env bash
# bench/scale-pg.sh — the figures behind docs/scale.md: the demo county and the demo city on
# PostgreSQL 15, each measured the same way, and the growth county → city of each figure.
#
# Starts a throwaway cluster (scripts/pg-cluster) in a temp directory and stops it at the end.
# Builds nothing: uses build/release/zhibu (or $ZHIBU_BENCH_BUILD_DIR/zhibu). For each scale:
#   - generation: `zhibu demo --scale S --accounts` into a fresh database (wall time);
#   - the compliance scan: `zhibu check --dry-run` (the engine's own time, best of 3; the demo
#     data only, no organisational-life year, so both scales hold the same kinds of rows);
#   - subtree statistics of the root: `zhibu stats check --org ROOT` (counters_ms; scan_ms is the
#     full-scan reference implementation), best of 3 fresh processes;
#   - a member-list page: GET /api/v1/members?org=BRANCH&page_size=20 of a branch of >= 20
#     members, and of the root (page 1), signed in as the demo 组织部管理员; p50/p99 of 50 calls;
#   - pg_database_size.
# With --measure-only URL KEYFILE SCALE it measures an existing database instead (no cluster).
#
# Usage: bench/scale-pg.sh [county city]   |   bench/scale-pg.sh --measure-only URL KEYFILE SCALE
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$(realpath "${ZHIBU_BENCH_BUILD_DIR:-build/release}")/zhibu"
[ -x "$bin" ] || { echo "no $bin: build the release preset first" >&2; exit 1; }
work=$(mktemp -d /tmp/zhibu-scale-pg.XXXXXX)
cluster=""
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill -TERM "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [ -n "$cluster" ]; then bash scripts/pg-cluster stop "$cluster" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# measure URL KEYFILE SCALE PASSWORD — prints `SCALE key value` lines (a changed one-time
# password is kept in KEYFILE.password).
measure() {
  local url="$1" key="$2" scale="$3" password="$4"
  local best=""
  for _ in 1 2 3; do
    "$bin" check --db "$url" --key-file "$key" --dry-run >/dev/null 2>"$work/check.err"
    local ms
    ms=$(sed -n 's/.*扫描 \([0-9.]*\) ms.*/\1/p' "$work/check.err")
    if [ -z "$best" ] || awk -v a="$ms" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$ms; fi
  done
  echo "$scale scan_ms $best"
  local root
  root=$(psql "$url" -Atc "SELECT id FROM organisation WHERE parent_id IS NULL ORDER BY id LIMIT 1")
  for _ in 1 2 3; do "$bin" stats check --db "$url" --key-file "$key" --org "$root" 2>/dev/null; done |
    python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin if l.startswith("{")]
print(sys.argv[1], "stats_counters_ms", min(r["counters_ms"] for r in rows))
print(sys.argv[1], "stats_scan_ms", min(r["scan_ms"] for r in rows))
print(sys.argv[1], "members", rows[0]["members"])' "$scale"
  local branch
  branch=$(psql "$url" -Atc "
    SELECT o.id FROM organisation o JOIN member m ON m.org_id = o.id
    WHERE o.kind = 'branch' AND o.status = 'active' AND m.status IN ('full', 'probationary')
      AND m.departed_on IS NULL
    GROUP BY o.id HAVING COUNT(*) >= 20 ORDER BY o.id" | awk '{ a[NR] = $0 } END { print a[int(NR / 2) + 1] }')
  local port
  port=$(free_port)
  mkdir -p "$work/www"
  "$bin" serve --db "$url" --key-file "$key" --listen "127.0.0.1:$port" --web-root "$work/www" \
    --insecure-cookie --log-level warn >"$work/serve.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 400); do curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null && break; sleep 0.05; done
  python3 - "$port" "$password" "$scale" "$branch" "$root" "$key.password" <<'PY'
import http.client, json, statistics, sys, time
port, password, scale, branch, root, password_file = int(sys.argv[1]), *sys.argv[2:]
conn = http.client.HTTPConnection("127.0.0.1", port)
def call(method, path, body=None, headers=None):
    h = dict(headers or {})
    if body is not None:
        body = json.dumps(body); h["Content-Type"] = "application/json"
    conn.request(method, path, body=body, headers=h)
    r = conn.getresponse(); data = r.read()
    return r.status, r.getheader("Set-Cookie"), data
status, cookie, data = call("POST", "/api/v1/auth/login", {"username": "zuzhibu", "password": password})
assert status == 200, data
account = json.loads(data)["account"]
auth = {"Cookie": cookie.split(";")[0], "X-CSRF-Token": account["csrf_token"]}
if account.get("password_expired", True):
    chosen = "Scale-" + str(int(time.time())) + "-Zb!9"
    status, _, data = call("POST", "/api/v1/me/password",
        {"current_password": password, "new_password": chosen}, auth)
    assert status == 200, data
    open(password_file, "w").write(chosen)
for label, target in (("list_branch", f"/api/v1/members?org={branch}&page_size=20"),
                      ("list_root", f"/api/v1/members?org={root}&page_size=20")):
    times = []
    for _ in range(51):
        t = time.perf_counter()
        status, _, data = call("GET", target, headers=auth)
        times.append((time.perf_counter() - t) * 1000)
        assert status == 200, data[:300]
    times = sorted(times[1:])
    print(scale, label + "_p50_ms", f"{statistics.median(times):.2f}")
    print(scale, label + "_p99_ms", f"{times[int(round(0.99 * (len(times) - 1)))]:.2f}")
PY
  kill -TERM "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
  echo "$scale db_bytes $(psql "$url" -Atc "SELECT pg_database_size(current_database())")"
}

if [ "${1:-}" = "--measure-only" ]; then
  measure "$2" "$3" "$4" "$(cat "$3.password")"
  exit 0
fi

scales=("$@")
[ ${#scales[@]} -gt 0 ] || scales=(county city)
cluster="$work/pg"
bash scripts/pg-cluster start "$cluster" >/dev/null
for scale in "${scales[@]}"; do
  url=$(bash scripts/pg-cluster createdb "$cluster" "$scale")
  start=$(date +%s.%N)
  "$bin" demo --scale "$scale" --accounts --db "$url" --key-file "$work/$scale.key" \
    >"$work/$scale.out" 2>"$work/$scale.log"
  echo "$scale generate_s $(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }') (load $(cut -d' ' -f1-3 /proc/loadavg))"
  password=$(sed -n 's/^登录 zuzhibu（[^）]*）初始密码 \([^（]*\)（.*/\1/p' "$work/$scale.out")
  measure "$url" "$work/$scale.key" "$scale" "$password"
  echo "$scale load $(cut -d' ' -f1-3 /proc/loadavg)"
done
