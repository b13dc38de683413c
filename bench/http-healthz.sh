#!/usr/bin/env bash
# bench/http-healthz.sh — GET /healthz of zhibu vs nginx serving a static file of the same size,
# both under `wrk -t2 -c64` in the same run, on this machine. Prints both and the ratio.
# Target (issue 2): zhibu >= 50% of nginx's requests/s for this trivial endpoint.
#
# Usage: bench/http-healthz.sh [DURATION_SECONDS]   (default 10; builds the release preset first)
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10}"
[ -n "${ZHIBU_BENCH_BUILD_DIR:-}" ] || ZHIBU_SKIP_DEPS="${ZHIBU_SKIP_DEPS:-0}" bash scripts/build release >/dev/null
bin="${ZHIBU_BENCH_BUILD_DIR:-build/release}/zhibu"
work=$(mktemp -d /tmp/zhibu-bench.XXXXXX)
zhibu_pid=""; nginx_pid=""
cleanup() {
  [ -n "$zhibu_pid" ] && kill -TERM "$zhibu_pid" 2>/dev/null && wait "$zhibu_pid" 2>/dev/null
  [ -n "$nginx_pid" ] && kill -QUIT "$nginx_pid" 2>/dev/null
  sleep 0.2; rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# --- zhibu -----------------------------------------------------------------------------------
zport=$(free_port)
"$bin" serve --db "sqlite:$work/zhibu.db" --listen "127.0.0.1:$zport" \
  --port-file "$work/zport" --web-root "$work" 2>"$work/zhibu.log" >/dev/null &
zhibu_pid=$!
for _ in $(seq 1 100); do [ -s "$work/zport" ] && break; sleep 0.05; done
body=$(curl -fsS "http://127.0.0.1:$zport/healthz")

# --- nginx: the same bytes as a static file --------------------------------------------------
nport=$(free_port)
mkdir -p "$work/www"
printf '%s' "$body" > "$work/www/healthz.json"
cat > "$work/nginx.conf" <<CONF
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
mkdir -p "$work/tmp"
nginx -c "$work/nginx.conf" &
nginx_pid=$!
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$nport/healthz.json" >/dev/null 2>&1 && break; sleep 0.05; done

run_wrk() {  # URL -> "rps p99_ms"
  local out
  out=$(wrk -t2 -c64 -d"${duration}s" --latency "$1")
  local rps p99
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v=v*1000}; print v}' <<<"$out")
  echo "$rps $p99"
}

# Warm both, then measure nginx, zhibu, nginx again; the reference is the mean of the two nginx runs.
wrk -t2 -c64 -d2s "http://127.0.0.1:$zport/healthz" >/dev/null
wrk -t2 -c64 -d2s "http://127.0.0.1:$nport/healthz.json" >/dev/null
read -r n1 np1 <<<"$(run_wrk "http://127.0.0.1:$nport/healthz.json")"
read -r z1 zp1 <<<"$(run_wrk "http://127.0.0.1:$zport/healthz")"
read -r n2 np2 <<<"$(run_wrk "http://127.0.0.1:$nport/healthz.json")"

printf '%-40s %12s %10s\n' "target (wrk -t2 -c64, ${duration}s)" "req/s" "p99 ms"
printf '%-40s %12.0f %10.2f\n' "nginx static ${#body} B (run 1)" "$n1" "$np1"
printf '%-40s %12.0f %10.2f\n' "zhibu GET /healthz (${#body} B)" "$z1" "$zp1"
printf '%-40s %12.0f %10.2f\n' "nginx static ${#body} B (run 2)" "$n2" "$np2"
awk -v z="$z1" -v a="$n1" -v b="$n2" 'BEGIN { r = z / ((a + b) / 2) * 100;
  printf "ratio zhibu / nginx: %.1f%% (target >= 50%%): %s\n", r, (r >= 50 ? "MET" : "NOT MET") }'
