#!/usr/bin/env bash
# bench/orglife-board.sh — the compliance board of organisational life on the demo CITY (spec 04
# "must show": the board of a subtree for one quarter renders in < 1 s server-side).
#
# Builds nothing: uses build/release/zhibu (or $ZHIBU_BENCH_BUILD_DIR/zhibu). Generates the city
# (`zhibu demo --scale city --accounts`, then a year of organisational life with
# `zhibu orglife demo`, as bench/city-check.sh does) into a temp SQLite file, or into PATH given
# with --db when PATH does not exist yet (kept, with PATH.key and the demo 组织部管理员's password in
# PATH.password), or reuses PATH. Then, for the period (default: the last complete quarter):
#   1. a fresh `zhibu serve`; the demo 组织部管理员 logs in (the first login changes the one-time
#      password);
#   2. for the city root, its first county and its largest 党委 (by branches):
#      GET /api/v1/meetings/board?org=ID&period=P&page_size=50 — the first call after start on its
#      own, then N calls: the median and max of the client's wall time (loopback HTTP) and of the
#      server's own time (the access log's microseconds for the request), and the server process's
#      CPU time per warm call (/proc/PID/stat: steadier than wall time on a shared machine);
#   3. the same-run reference: a raw SQLite count of what the board reads — the counted records of
#      the subtree per branch and kind over the rules' window (7 cycles before the period) — through
#      Python's sqlite3 module on a fresh connection (first) and repeated (median);
#   4. the board's red and yellow counts per duty against `zhibu check --org CODE --period P
#      --dry-run` for the same subtree (the findings of the seven frequency rules): they must be
#      equal (exit 1 otherwise).
#
# Usage: bench/orglife-board.sh [-n N] [--db PATH] [--period P] [--keep]
set -euo pipefail
cd "$(dirname "$0")/.."
n=9
db=""
period=""
keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    -n) n="$2"; shift 2 ;;
    --db) db="$2"; shift 2 ;;
    --period) period="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "usage: $0 [-n N] [--db PATH] [--period P] [--keep]" >&2; exit 2 ;;
  esac
done
bin="$(realpath "${ZHIBU_BENCH_BUILD_DIR:-build/release}")/zhibu"
[ -x "$bin" ] || { echo "no $bin: build the release preset first" >&2; exit 1; }
work=$(mktemp -d /tmp/zhibu-orglife-board.XXXXXX)
mkdir -p "$work/www"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill -TERM "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [ "$keep" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

[ -n "$db" ] || db="$work/city.db"
if [ ! -f "$db" ]; then
  mkdir -p "$(dirname "$db")"
  start=$(date +%s.%N)
  "$bin" demo --scale city --accounts --db "sqlite:$db" >"$work/demo.out" 2>"$work/demo.log"
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" 'BEGIN { printf "city generation (zhibu demo --scale city --accounts): %.1f s\n", e - s }'
  sed -n 's/^登录 zuzhibu（[^）]*）初始密码 \([^（]*\)（.*/\1/p' "$work/demo.out" >"$db.password"
  echo "initial" >"$db.password-state"
  start=$(date +%s.%N)
  "$bin" orglife demo --db "sqlite:$db" >"$work/orglife.out" 2>"$work/orglife.log"
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" 'BEGIN { printf "organisational life (zhibu orglife demo): %.1f s\n", e - s }'
fi
[ -s "$db.password" ] || { echo "no $db.password: generate the city with this script (--db PATH)" >&2; exit 1; }
echo "database: $db ($(du -h "$db" | cut -f1))"
if [ -z "$period" ]; then
  period=$(TZ=Asia/Shanghai python3 -c '
import datetime
d = datetime.date.today()
q = (d.month - 1) // 3
print(f"{d.year}-Q{q}" if q > 0 else f"{d.year - 1}-Q4")')
fi
echo "period: $period"

# The subtrees: the city root, its first county, its largest 党委 (kind committee) by branches.
python3 - "$db" >"$work/subtrees" <<'EOF'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
root_id, root_code, root_path = c.execute(
    "SELECT id, code, path FROM organisation WHERE parent_id IS NULL ORDER BY id LIMIT 1").fetchone()
county = c.execute("SELECT id, code, path FROM organisation WHERE parent_id = ? ORDER BY id LIMIT 1",
                   (root_id,)).fetchone()
rows = c.execute("""
  SELECT p.id, p.code, p.path, COUNT(*) AS n FROM organisation p JOIN organisation b
    ON b.path > p.path AND b.path < substr(p.path, 1, length(p.path) - 1) || '0' WHERE p.kind = 'committee' AND p.status = 'active'
    AND b.kind IN ('branch', 'joint_branch', 'temporary_branch') AND b.status = 'active'
  GROUP BY p.id ORDER BY n DESC, p.id LIMIT 1""").fetchall()
committee = rows[0][:3]
for label, (oid, code, path) in (("city root", (root_id, root_code, root_path)),
                                 ("county", county), ("largest 党委", committee)):
    print(f"{oid}\t{code}\t{path}\t{label}")
EOF

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
"$bin" serve --db "sqlite:$db" --listen "127.0.0.1:$port" --port-file "$work/port" \
  --web-root "$work/www" --insecure-cookie >>"$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 600); do [ -s "$work/port" ] && break; sleep 0.1; done
[ -s "$work/port" ] || { echo "server did not start:"; tail "$work/serve.log"; exit 1; }

cat >"$work/client.py" <<'PY'
import http.client, json, os, sqlite3, statistics, sys, time

port, db, n, period, org, path, out, server_pid = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6], sys.argv[7], sys.argv[8]

def cpu_ms():
    """The server's CPU time so far (user + system), in ms: steadier than wall time under load."""
    fields = open(f"/proc/{server_pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")
state_file, pw_file = db + ".password-state", db + ".password"
conn = http.client.HTTPConnection("127.0.0.1", int(port), timeout=600)

def call(method, target, body=None, headers=None):
    h = dict(headers or {})
    if body is not None:
        body = json.dumps(body)
        h["Content-Type"] = "application/json"
    conn.request(method, target, body=body, headers=h)
    r = conn.getresponse()
    return r.status, r.getheader("Set-Cookie"), r.read()

password = open(pw_file).read().strip()
status, cookie, data = call("POST", "/api/v1/auth/login", {"username": "zuzhibu", "password": password})
assert status == 200, data
account = json.loads(data)["account"]
auth = {"Cookie": cookie.split(";")[0], "X-CSRF-Token": account["csrf_token"]}
if open(state_file).read().strip() == "initial":
    chosen = "Bench-看板-" + str(int(time.time())) + "-Zb!9"
    status, _, data = call("POST", "/api/v1/me/password",
                           {"current_password": password, "new_password": chosen}, auth)
    assert status == 200, data
    open(pw_file, "w").write(chosen)
    open(state_file, "w").write("changed")

target = f"/api/v1/meetings/board?org={org}&period={period}&page_size=50"
times = []
body = None
for i in range(n + 1):
    if i == 1:
        cpu_start = cpu_ms()
    t = time.perf_counter()
    status, _, body = call("GET", target, headers=auth)
    times.append((time.perf_counter() - t) * 1000)
    assert status == 200, (status, body[:300])
cpu_per_call = (cpu_ms() - cpu_start) / n
board = json.loads(body)
json.dump(board, open(out, "w"), ensure_ascii=False)

# The reference: the counted records the board reads, per branch and kind, over the rules' window.
first = board["period"]["first_day"]
y, m = int(first[:4]), int(first[5:7])
m -= 12  # the yearly duties look 7 years back, the monthly ones 7 months: a year is the common case
start = f"{y + (m - 1) // 12:04d}-{(m - 1) % 12 + 1:02d}-01"
sql = ("SELECT r.org_id, r.kind, COUNT(*) FROM meeting_record r JOIN organisation o ON o.id = r.org_id "
       "WHERE r.counted = 1 AND r.held_on >= ? AND r.held_on <= ? AND o.path >= ? AND o.path < ? "
       "GROUP BY r.org_id, r.kind")
args = (start, board["period"]["as_of"], path, path[:-1] + "0")
t = time.perf_counter()
c = sqlite3.connect(db)
groups = c.execute(sql, args).fetchall()
ref_first = (time.perf_counter() - t) * 1000
runs = []
for _ in range(n):
    t = time.perf_counter()
    c.execute(sql, args).fetchall()
    runs.append((time.perf_counter() - t) * 1000)
print(f"{times[0]:.1f}\t{statistics.median(times[1:]):.1f}\t{max(times[1:]):.1f}\t"
      f"{ref_first:.1f}\t{statistics.median(runs):.1f}\t{board['rows']['total']}\t{cpu_per_call:.0f}")
PY

echo
echo "GET /api/v1/meetings/board?org=ID&period=$period&page_size=50; first call after start, then $n calls; ms"
printf '%-14s %6s | %8s %8s %8s | %9s %8s %8s %7s | %9s %8s | %6s %7s\n' subtree rows \
  "first" "p50" "max" "srv first" "srv p50" "srv max" "srv cpu" "ref first" "ref p50" "ratio" "< 1 s"
status=0
while IFS=$'\t' read -r org code path label; do
  before=$(grep -c "access GET /api/v1/meetings/board" "$work/serve.log" || true)
  read -r first p50 max ref_first ref_p50 rows cpu < <(
    python3 "$work/client.py" "$port" "$db" "$n" "$period" "$org" "$path" "$work/board-$org.json" "$server_pid")
  sleep 1  # the access log is written every 500 ms
  # The server's own time per call, from the access log (µs → ms), in call order.
  mapfile -t srv < <(grep "access GET /api/v1/meetings/board" "$work/serve.log" | tail -n +"$((before + 1))" |
    sed -n 's/.* \([0-9]*\)us client=.*/\1/p' | awk '{ printf "%.1f\n", $1 / 1000 }')
  srv_first=${srv[0]}
  srv_p50=$(printf '%s\n' "${srv[@]:1}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
  srv_max=$(printf '%s\n' "${srv[@]:1}" | sort -n | tail -1)
  ratio=$(awk -v a="$srv_p50" -v b="$ref_p50" 'BEGIN { printf "%.1f×", a / b }')
  verdict=$(awk -v a="$srv_p50" 'BEGIN { print (a < 1000) ? "met" : "NOT met" }')
  printf '%-14s %6s | %8s %8s %8s | %9s %8s %8s %7s | %9s %8s | %6s %7s\n' "$label" "$rows" \
    "$first" "$p50" "$max" "$srv_first" "$srv_p50" "$srv_max" "$cpu" "$ref_first" "$ref_p50" "$ratio" "$verdict"

  # The counts against `zhibu check` for the same subtree and period.
  start=$(date +%s.%N)
  "$bin" check --db "sqlite:$db" --org "$code" --period "$period" --dry-run >"$work/check-$org.jsonl" 2>"$work/check-$org.err"
  end=$(date +%s.%N)
  python3 - "$work/board-$org.json" "$work/check-$org.jsonl" "$label" \
    "$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.0f", (e - s) * 1000 }')" \
    "$(sed -n 's/.*扫描 \([0-9.]*\) ms.*/\1/p' "$work/check-$org.err")" <<'EOF' || status=1
import collections, json, sys
board = json.load(open(sys.argv[1]))
rules = {c["rule_id"]: c for c in board["columns"]}
cli = collections.Counter()
for line in open(sys.argv[2]):
    f = json.loads(line)
    if f["rule"] in rules:
        cli[(f["rule"], f["severity"])] += 1
differ = []
for rule, column in rules.items():
    for severity in ("red", "yellow"):
        if column["totals"]["subjects"][severity] != cli[(rule, severity)]:
            differ.append(f"{column['id']} {severity}: board {column['totals']['subjects'][severity]}, check {cli[(rule, severity)]}")
totals = board["totals"]
line = (f"  {sys.argv[3]}: board red {totals['red']}, yellow {totals['yellow']}, green {totals['green']}; "
        f"zhibu check (all rules, wall {sys.argv[4]} ms, scan {sys.argv[5]} ms): red "
        f"{sum(v for (r, s), v in cli.items() if s == 'red')}, yellow "
        f"{sum(v for (r, s), v in cli.items() if s == 'yellow')} for the 7 duties")
print(line + ("; equal per duty" if not differ else "; DIFFER: " + "; ".join(differ)))
sys.exit(1 if differ else 0)
EOF
done <"$work/subtrees"
exit $status
