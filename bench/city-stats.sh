#!/usr/bin/env bash
# bench/city-stats.sh — subtree statistics and member search on the demo CITY (spec 01: statistics
# for the city root < 50 ms; member list/search "fast at city scale", here < 100 ms).
#
# Builds nothing: uses build/release/zhibu (or $ZHIBU_BENCH_BUILD_DIR/zhibu). Generates the city
# (`zhibu demo --scale city --accounts`, timed) into a temp SQLite file, or reuses the file given
# with --db (its .key beside it, and the demo accounts' password in PATH.password written by an
# earlier run). For each measured date a fresh `zhibu serve` is started, the demo 组织部管理员
# logs in (the first login changes the one-time password), and GET /api/v1/orgs/{root}/stats is
# timed: the first call after start on its own, then N calls (p50/p99). The same-run reference is
# a raw SQLite `SELECT COUNT(*) FROM member` on a fresh connection (first) and repeated (p50);
# the ratios compare the two. The scan (the reference implementation of the statistics) is timed
# once per date through `zhibu stats check` (which also checks that both agree). Then member list/search calls.
#
# Usage: bench/city-stats.sh [-n N] [--db PATH] [--keep]
set -euo pipefail
cd "$(dirname "$0")/.."
n=30
db=""
keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    -n) n="$2"; shift 2 ;;
    --db) db="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "usage: $0 [-n N] [--db PATH] [--keep]" >&2; exit 2 ;;
  esac
done
bin="$(realpath "${ZHIBU_BENCH_BUILD_DIR:-build/release}")/zhibu"
[ -x "$bin" ] || { echo "no $bin: build the release preset first" >&2; exit 1; }
work=$(mktemp -d /tmp/zhibu-city-stats.XXXXXX)
mkdir -p "$work/www"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill -TERM "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [ "$keep" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

if [ -z "$db" ]; then
  db="$work/city.db"
  start=$(date +%s.%N)
  "$bin" demo --scale city --accounts --db "sqlite:$db" >"$work/demo.out" 2>"$work/demo.log"
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" 'BEGIN { printf "city generation (zhibu demo --scale city): %.1f s\n", e - s }'
  head -1 "$work/demo.out"
  password=$(sed -n 's/^登录 zuzhibu（[^）]*）初始密码 \([^（]*\)（.*/\1/p' "$work/demo.out")
  echo "$password" >"$db.password"
  echo "initial" >"$db.password-state"
fi
[ -f "$db.password" ] || { echo "no $db.password (run once without --db, with --keep)" >&2; exit 1; }
echo "database: $db ($(du -h "$db" | cut -f1))"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
start_server() {  # sets $port and $server_pid
  port=$(free_port)
  rm -f "$work/port"
  "$bin" serve --db "sqlite:$db" --listen "127.0.0.1:$port" --port-file "$work/port" \
    --web-root "$work/www" --insecure-cookie >>"$work/serve.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 200); do [ -s "$work/port" ] && break; sleep 0.05; done
  [ -s "$work/port" ] || { echo "server did not start:"; tail "$work/serve.log"; exit 1; }
}
stop_server() { kill -TERM "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""; }

# The client: logs in (changing the one-time password on first use), then times requests.
cat >"$work/client.py" <<'PY'
import http.client, json, sqlite3, statistics, sys, time, urllib.parse

port, db, n, mode = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
args = sys.argv[5:]
state_file, pw_file = db + ".password-state", db + ".password"
conn = http.client.HTTPConnection("127.0.0.1", port)

def call(method, target, body=None, headers=None):
    h = dict(headers or {})
    if body is not None:
        body = json.dumps(body)
        h["Content-Type"] = "application/json"
    conn.request(method, target, body=body, headers=h)
    r = conn.getresponse()
    data = r.read()
    return r.status, r.getheader("Set-Cookie"), data

password = open(pw_file).read().strip()
status, cookie, data = call("POST", "/api/v1/auth/login", {"username": "zuzhibu", "password": password})
assert status == 200, data
account = json.loads(data)["account"]
auth = {"Cookie": cookie.split(";")[0], "X-CSRF-Token": account["csrf_token"]}
if open(state_file).read().strip() == "initial":
    chosen = "Bench-城市-" + str(int(time.time())) + "-Zb!9"
    status, _, data = call("POST", "/api/v1/me/password",
                           {"current_password": password, "new_password": chosen}, auth)
    assert status == 200, data
    open(pw_file, "w").write(chosen)
    open(state_file, "w").write("changed")

def timed(target):
    t = time.perf_counter()
    status, _, data = call("GET", target, headers=auth)
    ms = (time.perf_counter() - t) * 1000
    assert status == 200, (target, status, data[:300])
    return ms, data

def series(target):
    first, body = timed(target)
    warm = sorted(timed(target)[0] for _ in range(n))
    p99 = warm[min(len(warm) - 1, int(round(0.99 * (len(warm) - 1))))]
    return first, statistics.median(warm), p99, body

def reference():
    t = time.perf_counter()
    c = sqlite3.connect(db)
    c.execute("SELECT COUNT(*) FROM member").fetchone()
    first = (time.perf_counter() - t) * 1000
    runs = []
    for _ in range(n):
        t = time.perf_counter()
        c.execute("SELECT COUNT(*) FROM member").fetchone()
        runs.append((time.perf_counter() - t) * 1000)
    c.close()
    return first, statistics.median(runs)

if mode == "stats":
    root, as_of = args
    first, p50, p99, body = series(f"/api/v1/orgs/{root}/stats?as_of={as_of}")
    ref_first, ref_p50 = reference()
    total = json.loads(body)["members"]["total"]
    print(f"{as_of}\t{total}\t{first:.1f}\t{p50:.1f}\t{p99:.1f}\t{ref_first:.1f}\t{ref_p50:.2f}")
elif mode == "search":
    for label, target in zip(args[0::2], args[1::2]):
        if target.startswith("unmask:"):
            member = target.split(":")[1]
            status, _, data = call("POST", f"/api/v1/members/{member}/unmask",
                                   {"reason": "性能测试：按身份证号查询"}, auth)
            assert status == 200, data
            target = "/api/v1/members?q=" + json.loads(data)["id_number"]
        first, p50, p99, body = series(target)
        total = json.loads(body)["total"]
        print(f"{label}\t{total}\t{first:.1f}\t{p50:.1f}\t{p99:.1f}")
PY

root=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT id FROM organisation WHERE parent_id IS NULL ORDER BY id LIMIT 1\").fetchone()[0])" "$db")
county=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT id FROM organisation WHERE parent_id = ? ORDER BY id LIMIT 1\", (int(sys.argv[2]),)).fetchone()[0])" "$db" "$root")
today=$(TZ=Asia/Shanghai date +%F)

echo
echo "GET /api/v1/orgs/$root/stats (city root), fresh server per date; $n warm calls; ms"
printf '%-12s %8s %8s %8s %8s | %10s %10s | %8s %8s\n' as_of members first p50 p99 "count first" "count p50" "ratio50" "target"
for as_of in "$today" 2025-12-31 2025-06-30 2024-12-31; do
  start_server
  line=$(python3 "$work/client.py" "$port" "$db" "$n" stats "$root" "$as_of")
  stop_server
  IFS=$'\t' read -r d total first p50 p99 rf rp <<<"$line"
  awk -v d="$d" -v t="$total" -v f="$first" -v a="$p50" -v b="$p99" -v rf="$rf" -v rp="$rp" 'BEGIN {
    printf "%-12s %8d %8.1f %8.1f %8.1f | %10.1f %10.2f | %7.1fx %8s\n", d, t, f, a, b, rf, rp, a / rp,
      (f < 50 && b < 50 ? "met" : "NOT MET") }'
done

echo
echo "The scan (reference implementation), once per date, for comparison (zhibu stats check):"
for as_of in "$today" 2024-12-31; do
  "$bin" stats check --db "sqlite:$db" --org "$root" --as-of "$as_of" 2>/dev/null | sed "s/^/  /"
done

echo
echo "Member list and search at city scale (fresh server; first call, then $n calls; ms; target < 100)"
start_server
sample=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT id FROM member WHERE status = 'full' ORDER BY id LIMIT 1 OFFSET 170000\").fetchone()[0])" "$db")
printf '%-34s %8s %8s %8s %8s\n' query total first p50 p99
python3 "$work/client.py" "$port" "$db" "$n" search \
  "org=root page 1" "/api/v1/members?org=$root" \
  "org=county page 1" "/api/v1/members?org=$county" \
  "org=root page 500" "/api/v1/members?org=$root&page=500" \
  "q=zs (pinyin initials), all" "/api/v1/members?q=zs" \
  "q=zs in a county" "/api/v1/members?q=zs&org=$county" \
  "q=王 (name prefix)" "/api/v1/members?q=%E7%8E%8B" \
  "q=ID number" "unmask:$sample" |
  awk -F'\t' '{ printf "%-34s %8d %8.1f %8.1f %8.1f %s\n", $1, $2, $3, $4, $5, ($3 < 100 && $5 < 100 ? "met" : "NOT MET") }'
stop_server
echo
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
