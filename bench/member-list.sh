#!/usr/bin/env bash
# bench/member-list.sh — the authenticated, database-backed member list on the demo CITY under
# `wrk -t2 -c64`, against nginx serving a static file of the same bytes in the same run (spec 01:
# >= 25% of nginx's requests/s, p99 < 20 ms), and the serving process's peak RSS (< 512 MB) and
# start-up time on the city database (< 1 s, process start to the first healthy /healthz answer).
#
# Builds nothing: uses build/release/zhibu (or $ZHIBU_BENCH_BUILD_DIR/zhibu). Generates the city
# (`zhibu demo --scale city --accounts`) into a temp SQLite file, or reuses the file given with
# --db (its .key beside it, the demo accounts' password in PATH.password and PATH.password-state,
# the convention of bench/city-stats.sh). The demo 组织部管理员 (city root) logs in (changing the
# one-time password on first use); the page measured is GET /api/v1/members?org=BRANCH&page_size=20
# of a branch with at least 20 current members. Order: nginx, zhibu, nginx; the reference is the
# mean of the two nginx runs. Then the floor under the list's CPU per request, in the same run:
# the same server answering GET /healthz (the HTTP layer alone) and the page's SQLite statements
# alone (bench/floor/list_statements.c, compiled here with gcc), beside wrk's own CPU per request,
# which tells how much CPU per request 25% of nginx's rate leaves the server on 2 cores shared
# with wrk. The last lines are `RESULT key value` for bench/all.sh.
#
# Usage: bench/member-list.sh [-d SECONDS] [--db PATH] [--keep]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=10
db=""
keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    -d) duration="$2"; shift 2 ;;
    --db) db="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "usage: $0 [-d SECONDS] [--db PATH] [--keep]" >&2; exit 2 ;;
  esac
done
bin="$(realpath "${ZHIBU_BENCH_BUILD_DIR:-build/release}")/zhibu"
[ -x "$bin" ] || { echo "no $bin: build the release preset first" >&2; exit 1; }
work=$(mktemp -d /tmp/zhibu-member-list.XXXXXX)
mkdir -p "$work/www" "$work/tmp"
server_pid=""; nginx_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill -TERM "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [ -n "$nginx_pid" ]; then kill -QUIT "$nginx_pid" 2>/dev/null || true; wait "$nginx_pid" 2>/dev/null || true; fi
  if [ "$keep" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

if [ -z "$db" ]; then
  db="$work/city.db"
  "$bin" demo --scale city --accounts --db "sqlite:$db" >"$work/demo.out" 2>"$work/demo.log"
  sed -n 's/^登录 zuzhibu（[^）]*）初始密码 \([^（]*\)（.*/\1/p' "$work/demo.out" >"$db.password"
  echo "initial" >"$db.password-state"
fi
[ -f "$db.password" ] || { echo "no $db.password (run once without --db, with --keep)" >&2; exit 1; }
echo "database: $db ($(du -h "$db" | cut -f1)), load $(cut -d' ' -f1-3 /proc/loadavg)"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# --- zhibu on the city: start-up time to the first healthy /healthz -------------------------
zport=$(free_port)
start=$(date +%s.%N)
"$bin" serve --db "sqlite:$db" --listen "127.0.0.1:$zport" --web-root "$work/www" \
  --insecure-cookie --log-level warn >"$work/serve.log" 2>&1 &
server_pid=$!
healthy=""
for _ in $(seq 1 2000); do
  if curl -fsS -o /dev/null "http://127.0.0.1:$zport/healthz" 2>/dev/null; then healthy=$(date +%s.%N); break; fi
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.005
done
[ -n "$healthy" ] || { echo "server did not become healthy:"; tail "$work/serve.log"; exit 1; }
startup_ms=$(awk -v s="$start" -v e="$healthy" 'BEGIN { printf "%.0f", (e - s) * 1000 }')
echo "start-up on the city (process start to the first 200 from /healthz): $startup_ms ms (target < 1000)"

# --- log in, choose the branch, fetch the page once -----------------------------------------
branch=$(python3 - "$db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
rows = c.execute("""
  SELECT o.id FROM organisation o JOIN member m ON m.org_id = o.id
  WHERE o.kind = 'branch' AND o.status = 'active' AND m.status IN ('full', 'probationary')
    AND m.departed_on IS NULL
  GROUP BY o.id HAVING COUNT(*) >= 20 ORDER BY o.id""").fetchall()
print(rows[len(rows) // 2][0])
PY
)
target="/api/v1/members?org=$branch&page_size=20"
cookie=$(python3 - "$zport" "$db" <<'PY'
import http.client, json, sys, time
port, db = int(sys.argv[1]), sys.argv[2]
conn = http.client.HTTPConnection("127.0.0.1", port)
def call(method, path, body=None, headers=None):
    h = dict(headers or {})
    if body is not None:
        body = json.dumps(body); h["Content-Type"] = "application/json"
    conn.request(method, path, body=body, headers=h)
    r = conn.getresponse(); data = r.read()
    return r.status, r.getheader("Set-Cookie"), data
password = open(db + ".password").read().strip()
status, cookie, data = call("POST", "/api/v1/auth/login", {"username": "zuzhibu", "password": password})
assert status == 200, data
account = json.loads(data)["account"]
auth = {"Cookie": cookie.split(";")[0], "X-CSRF-Token": account["csrf_token"]}
if open(db + ".password-state").read().strip() == "initial":
    chosen = "Bench-城市-" + str(int(time.time())) + "-Zb!9"
    status, _, data = call("POST", "/api/v1/me/password",
                           {"current_password": password, "new_password": chosen}, auth)
    assert status == 200, data
    open(db + ".password", "w").write(chosen)
    open(db + ".password-state", "w").write("changed")
print(cookie.split(";")[0])
PY
)
curl -fsS -H "Cookie: $cookie" "http://127.0.0.1:$zport$target" -o "$work/www/members.json"
items=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d["items"]), d["total"])' "$work/www/members.json")
bytes=$(stat -c %s "$work/www/members.json")
echo "page: GET $target -> $bytes B, items/total: $items"

# --- nginx: the same bytes as a static file --------------------------------------------------
nport=$(free_port)
cat >"$work/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
daemon off;
events { worker_connections 4096; }
http {
  access_log $work/nginx-access.log;
  default_type application/json;
  keepalive_requests 100000;
  client_body_temp_path $work/tmp; proxy_temp_path $work/tmp; fastcgi_temp_path $work/tmp;
  uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp;
  server { listen 127.0.0.1:$nport; root $work/www; location / { } }
}
CONF
nginx -c "$work/nginx.conf" &
nginx_pid=$!
for _ in $(seq 1 100); do curl -fsS -o /dev/null "http://127.0.0.1:$nport/members.json" 2>/dev/null && break; sleep 0.05; done

# CPU time (utime + stime, clock ticks) of the processes given: the server, or nginx's master
# and workers. On a machine shared with builds the scheduler decides how much CPU each side gets;
# CPU time per request does not depend on that share.
cpu_ticks() { for pid in "$@"; do awk '{print $14 + $15}' "/proc/$pid/stat"; done | awk '{t += $1} END {print t}'; }
nginx_pids() { echo "$nginx_pid" $(pgrep -P "$nginx_pid"); }

run_wrk() {  # URL PIDS [wrk args...] -> "rps p99_ms non2xx cpu_us_per_request wrk_cpu_us"
  local url="$1" pids="$2"; shift 2
  local out before after
  before=$(cpu_ticks $pids)
  out=$(/usr/bin/time -f "WRKCPU %U %S" wrk -t2 -c64 -d"${duration}s" --latency "$@" "$url" 2>&1)
  after=$(cpu_ticks $pids)
  local rps p99 bad n
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v=v*1000}; print v}' <<<"$out")
  bad=$(awk '/Non-2xx or 3xx responses:/ {print $5}' <<<"$out")
  n=$(awk '/requests in/ {print $1}' <<<"$out")
  echo "$rps $p99 ${bad:-0} $(awk -v t=$((after - before)) -v n="$n" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", t / hz * 1e6 / n }')" \
    "$(awk -v n="$n" '$1 == "WRKCPU" { printf "%.1f", ($2 + $3) * 1e6 / n }' <<<"$out")"
}

zurl="http://127.0.0.1:$zport$target"
nurl="http://127.0.0.1:$nport/members.json"
wrk -t2 -c64 -d2s -H "Cookie: $cookie" "$zurl" >/dev/null
wrk -t2 -c64 -d2s "$nurl" >/dev/null
read -r n1 np1 _ nc1 nw1 <<<"$(run_wrk "$nurl" "$(nginx_pids)")"
load=$(cut -d' ' -f1-3 /proc/loadavg)
read -r z1 zp1 zbad zc1 zw1 <<<"$(run_wrk "$zurl" "$server_pid" -H "Cookie: $cookie")"
read -r n2 np2 _ nc2 nw2 <<<"$(run_wrk "$nurl" "$(nginx_pids)")"
# The floor under the list's CPU per request, in the same run: the HTTP layer alone (the same
# server answering GET /healthz: parse, route, middleware, access log, write) and the page's
# SQLite statements alone (bench/floor/list_statements.c, prepared once, one thread).
read -r _ _ _ hc1 _ <<<"$(run_wrk "http://127.0.0.1:$zport/healthz" "$server_pid")"
floor_bin="$work/list_statements"
gcc -O2 -o "$floor_bin" bench/floor/list_statements.c -lsqlite3
token_hash=$(sqlite3 "file:$db?mode=ro" "SELECT s.token_hash FROM auth_session s JOIN account a ON a.id = s.account_id WHERE a.username = 'zuzhibu' AND s.revoked_at_ms IS NULL ORDER BY s.id DESC LIMIT 1")
scope_org=$(sqlite3 "file:$db?mode=ro" "SELECT g.organisation_id FROM role_grant g JOIN account a ON a.id = g.account_id WHERE a.username = 'zuzhibu' AND g.revoked_at IS NULL ORDER BY g.id LIMIT 1")
read -r sql_us sql_rows <<<"$("$floor_bin" "$db" "$token_hash" "$scope_org" "$branch" 20000)"
[ "$zbad" = 0 ] || { echo "zhibu answered $zbad non-2xx responses under wrk" >&2; exit 1; }
hwm_kb=$(awk '/^VmHWM:/ {print $2}' "/proc/$server_pid/status")

printf '%-44s %12s %10s %14s\n' "wrk -t2 -c64, ${duration}s" "req/s" "p99 ms" "CPU us/req"
printf '%-44s %12.0f %10.2f %14.1f\n' "nginx static $bytes B (run 1)" "$n1" "$np1" "$nc1"
printf '%-44s %12.0f %10.2f %14.1f\n' "zhibu member list, 20 of a branch" "$z1" "$zp1" "$zc1"
printf '%-44s %12.0f %10.2f %14.1f\n' "nginx static $bytes B (run 2)" "$n2" "$np2" "$nc2"
awk -v z="$zc1" -v a="$nc1" -v b="$nc2" 'BEGIN { printf "CPU time per request, nginx / zhibu: %.1f%% (does not depend on the CPU share each side gets)\n", (a + b) / 2 / z * 100 }'
awk -v z="$z1" -v a="$n1" -v b="$n2" -v p="$zp1" 'BEGIN { r = z / ((a + b) / 2) * 100;
  printf "ratio zhibu / nginx: %.1f%% (target >= 25%%), p99 %.2f ms (target < 20): %s\n", r, p,
    (r >= 25 && p < 20 ? "MET" : "NOT MET") }'
awk -v h="$hc1" -v q="$sql_us" -v z="$zc1" -v a="$nc1" -v b="$nc2" -v wa="$nw1" -v wb="$nw2" -v wz="$zw1" 'BEGIN {
  n = (a + b) / 2; w = (wa + wb) / 2;
  printf "floor (CPU per request): the HTTP layer alone (GET /healthz) %.1f us + the page'"'"'s SQLite statements alone %.1f us = %.1f us; the list spends %.1f us (%.1f us above the floor)\n", h, q, h + q, z, z - h - q;
  printf "wrk'"'"'s own CPU per request: %.1f us against nginx, %.1f us against zhibu; on 2 cores shared with wrk, 25%% of nginx'"'"'s rate leaves the server at most %.0f us per request (4 x (nginx + its wrk) - zhibu'"'"'s wrk)\n", w, wz, 4 * (n + w) - wz }'
echo "peak RSS of the serving process after the run (VmHWM): $((hwm_kb / 1024)) MB (target < 512)"
echo "load during the zhibu run: $load"
echo "RESULT list_rps $z1"
echo "RESULT list_p99_ms $zp1"
echo "RESULT nginx_rps $(awk -v a="$n1" -v b="$n2" 'BEGIN { printf "%.0f", (a + b) / 2 }')"
echo "RESULT nginx_p99_ms $(awk -v a="$np1" -v b="$np2" 'BEGIN { printf "%.2f", (a + b) / 2 }')"
echo "RESULT page_bytes $bytes"
echo "RESULT list_cpu_us $zc1"
echo "RESULT nginx_cpu_us $(awk -v a="$nc1" -v b="$nc2" 'BEGIN { printf "%.1f", (a + b) / 2 }')"
echo "RESULT healthz_cpu_us $hc1"
echo "RESULT sql_floor_us $sql_us"
echo "RESULT wrk_cpu_us $(awk -v a="$nw1" -v b="$nw2" 'BEGIN { printf "%.1f", (a + b) / 2 }')"
echo "RESULT wrk_zhibu_cpu_us $zw1"
echo "RESULT rss_mb $((hwm_kb / 1024))"
echo "RESULT startup_ms $startup_ms"
echo "RESULT load $load"
