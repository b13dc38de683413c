#!/usr/bin/env bash
# bench/all.sh — every target of spec 01's performance table in one run on this machine, each
# against its reference measured in the same run, printed as ONE markdown table (issue 9):
#
#   member list (GET /api/v1/members, 20 of a branch, city, wrk -t2 -c64)  bench/member-list.sh
#     vs nginx serving a static file of the same bytes: >= 25% of its req/s, p99 < 20 ms
#   peak RSS serving the city (< 512 MB), start-up on the city (< 1 s)      bench/member-list.sh
#   subtree statistics of the city root (< 50 ms) vs a raw COUNT(*)         bench/city-stats.sh
#   compliance scan of the city for one month (< 2 s) vs one raw pass       bench/city-check.sh
#   member import of the city vs the sqlite3 shell's prepared insert (>= 30%) bench/city-import.sh
#   GET /healthz vs nginx (issue 2: >= 50%)                                  bench/http-healthz.sh
#   clean release build of zhibu on 2 cores (< 10 min), with --with-build
#
# The city (`zhibu demo --scale city --accounts` and a year of `zhibu orglife demo`) is generated
# once into a temp SQLite file and handed to the scripts that take --db; city-import.sh generates
# its own (it exports and re-imports it). Builds nothing else: uses build/release/zhibu (or
# $ZHIBU_BENCH_BUILD_DIR/zhibu, relative to the repository). Every script's own output is kept
# under the work directory (printed at the end with --keep) and echoed as it runs.
#
# Usage: bench/all.sh [--with-build] [-d WRK_SECONDS] [--db CITY.db] [--keep] [--table-from DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
with_build=0
duration=10
db=""
keep=0
table_from=""  # a directory kept by an earlier run (--keep): only print its table again
while [ $# -gt 0 ]; do
  case "$1" in
    --with-build) with_build=1; shift ;;
    -d) duration="$2"; shift 2 ;;
    --db) db="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    --table-from) table_from="$2"; shift 2 ;;
    *) echo "usage: $0 [--with-build] [-d WRK_SECONDS] [--db CITY.db] [--keep] [--table-from DIR]" >&2; exit 2 ;;
  esac
done
build_dir="${ZHIBU_BENCH_BUILD_DIR:-build/release}"
build_dir=$(realpath --relative-to=. "$build_dir")  # city-import.sh wants it relative
export ZHIBU_BENCH_BUILD_DIR="$build_dir"
bin="$(realpath "$build_dir")/zhibu"
[ -x "$bin" ] || { echo "no $bin: build the release preset first" >&2; exit 1; }
if [ -n "$table_from" ]; then
  work="$table_from"; keep=1
else
  work=$(mktemp -d /tmp/zhibu-bench-all.XXXXXX)
fi
cleanup() { if [ "$keep" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi; }
trap cleanup EXIT
began=$(date +%s)
loads=()
note_load() { loads+=("$1: $(cut -d' ' -f1-3 /proc/loadavg)"); }
section() { echo; echo "=== $1 ($(date -u +%H:%M:%S) UTC, load $(cut -d' ' -f1-3 /proc/loadavg))"; }

# --- the city, once -----------------------------------------------------------------------------
if [ -z "$db" ] && [ -z "$table_from" ]; then
  section "generating the city"
  db="$work/city.db"
  start=$(date +%s.%N)
  "$bin" demo --scale city --accounts --db "sqlite:$db" >"$work/demo.out" 2>"$work/demo.log"
  "$bin" orglife demo --db "sqlite:$db" >"$work/orglife.out" 2>"$work/orglife.log"
  awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "zhibu demo --scale city --accounts + zhibu orglife demo: %.1f s\n", e - s }'
  head -1 "$work/demo.out"
  sed -n 's/^登录 zuzhibu（[^）]*）初始密码 \([^（]*\)（.*/\1/p' "$work/demo.out" >"$db.password"
  echo "initial" >"$db.password-state"
fi

# --- each script, its output kept and echoed ------------------------------------------------------
run() {  # NAME COMMAND... -> $work/NAME.out
  local name="$1"; shift
  section "$name: $*"
  note_load "$name"
  "$@" 2>&1 | tee "$work/$name.out"
}
if [ -z "$table_from" ]; then
run member-list bash bench/member-list.sh -d "$duration" --db "$db"
run city-stats bash bench/city-stats.sh --db "$db"
run city-check bash bench/city-check.sh --db "$db"
run city-import bash bench/city-import.sh 1
run http-healthz bash bench/http-healthz.sh "$duration"
fi

build_s=""
build_cpu_s=""
if [ "$with_build" = 1 ]; then
  section "clean release build of zhibu (-j2)"
  note_load "build"
  bdir="$work/build-release"
  cmake --preset release -B "$bdir" >"$work/build.out" 2>&1
  # Wall time, and the compilers' CPU time: on a shared machine the wall time depends on how
  # many other builds run; CPU time / 2 is what two quiet cores would take.
  read -r build_s build_cpu_s < <(python3 - "$bdir" "$work/build.out" <<'PY'
import resource, subprocess, sys, time
start = time.monotonic()
with open(sys.argv[2], "a") as log:
    subprocess.run(["cmake", "--build", sys.argv[1], "-j2", "--target", "zhibu"], stdout=log,
                   stderr=subprocess.STDOUT, check=True)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{time.monotonic() - start:.0f} {usage.ru_utime + usage.ru_stime:.0f}")
PY
)
  echo "cmake --build -j2 --target zhibu: $build_s s wall, $build_cpu_s s CPU"
  rm -rf "$bdir"
fi

# --- the table ---------------------------------------------------------------------------------
result() { sed -n "s/^RESULT $1 //p" "$work/member-list.out"; }
list_rps=$(result list_rps); list_p99=$(result list_p99_ms); nginx_rps=$(result nginx_rps)
nginx_p99=$(result nginx_p99_ms); page_bytes=$(result page_bytes); rss=$(result rss_mb)
startup=$(result startup_ms)
# city-stats.sh: the first row of its stats table is today's date.
read -r stats_first stats_p50 stats_p99 count_p50 < <(awk '/^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] / {print $3, $4, $5, $8; exit}' "$work/city-stats.out")
scan_ms=$(sed -n 's/^full scan median: \([0-9.]*\) ms.*/\1/p' "$work/city-check.out")
pass_ms=$(sed -n 's/^reference: .*: \([0-9.]*\) ms (best of 3)$/\1/p' "$work/city-check.out")
ref_s=$(sed -n 's/^reference (sqlite3 .import, bare table): *\([0-9.]*\) s.*/\1/p' "$work/city-import.out")
csv_s=$(sed -n 's/^zhibu import members (CSV): *\([0-9.]*\) s.*/\1/p' "$work/city-import.out")
import_rows=$(sed -n 's/^ *\([0-9]*\) members, .* CSV.*/\1/p' "$work/city-import.out")
hz_z=$(awk '/^zhibu GET \/healthz/ {print $(NF-1)}' "$work/http-healthz.out")
hz_n1=$(awk '/^nginx static .*run 1/ {print $(NF-1)}' "$work/http-healthz.out")
hz_n2=$(awk '/^nginx static .*run 2/ {print $(NF-1)}' "$work/http-healthz.out")

python3 - "$list_rps" "$list_p99" "$nginx_rps" "$nginx_p99" "$page_bytes" "$rss" "$startup" \
  "$stats_first" "$stats_p99" "$count_p50" "$scan_ms" "$pass_ms" "$ref_s" "$csv_s" "$import_rows" \
  "$hz_z" "$hz_n1" "$hz_n2" "${build_s:-}" "${build_cpu_s:-}" "$duration" "$(result list_cpu_us)" \
  "$(result nginx_cpu_us)" "$(result healthz_cpu_us)" "$(result sql_floor_us)" \
  "$(result wrk_cpu_us)" "$(result wrk_zhibu_cpu_us)" <<'PY'
import sys
(list_rps, list_p99, nginx_rps, nginx_p99, page_bytes, rss, startup, stats_first, stats_p99,
 count_p50, scan_ms, pass_ms, ref_s, csv_s, rows, hz_z, hz_n1, hz_n2, build_s, build_cpu_s, duration,
 list_cpu, nginx_cpu, healthz_cpu, sql_floor, wrk_nginx, wrk_zhibu) = sys.argv[1:]
f = lambda v: float(v) if v not in ("", None) else None
yes = lambda ok: "yes" if ok else "**no**"
out = ["| what | measured | reference in the same run | ratio | target | met? |",
       "|---|---|---|---|---|---|"]
r = f(list_rps) / f(nginx_rps)
out.append(f"| member list: GET /api/v1/members, 20 of a branch ({page_bytes} B), city, signed in, "
           f"wrk -t2 -c64 {duration}s | {f(list_rps):,.0f} req/s, p99 {f(list_p99):.1f} ms | nginx, "
           f"static file of the same bytes: {f(nginx_rps):,.0f} req/s, p99 {f(nginx_p99):.1f} ms | "
           f"{r:.1%} | ≥ 25%, p99 < 20 ms | {yes(r >= 0.25 and f(list_p99) < 20)} |")
out.append(f"| the same, CPU time per request (server process; nginx master and workers) | "
           f"{f(list_cpu):.1f} µs | nginx: {f(nginx_cpu):.1f} µs | {f(nginx_cpu) / f(list_cpu):.1%} | "
           f"(for reading the above) | — |")
if sql_floor:
    floor = f(healthz_cpu) + f(sql_floor)
    budget = 4 * (f(nginx_cpu) + f(wrk_nginx)) - f(wrk_zhibu)
    out.append(f"| the floor under it, CPU per request: the server's HTTP layer alone (GET /healthz) "
               f"{f(healthz_cpu):.1f} µs + the page's SQLite statements alone "
               f"(bench/floor/list_statements.c) {f(sql_floor):.1f} µs | {floor:.1f} µs | what 25% "
               f"of nginx's rate leaves the server on 2 cores shared with wrk: 4 × (nginx "
               f"{f(nginx_cpu):.1f} + its wrk {f(wrk_nginx):.1f}) − wrk against zhibu "
               f"{f(wrk_zhibu):.1f} = {budget:.1f} µs | floor / budget {floor / budget:.0%} | "
               f"(for reading the above) | — |")
imp = f(ref_s) / f(csv_s)
out.append(f"| member import of the city ({int(rows):,} members, CSV) | {f(csv_s):.1f} s "
           f"({int(rows) / f(csv_s):,.0f} rows/s) | sqlite3 `.import` (one prepared INSERT) into a "
           f"bare table: {f(ref_s):.1f} s | {imp:.2f} | ≥ 0.30 | {yes(imp >= 0.30)} |")
out.append(f"| compliance scan of the city, one month (`zhibu check --dry-run`, engine time, "
           f"median) | {f(scan_ms):,.0f} ms | one raw SQLite pass over what the rules read: "
           f"{f(pass_ms):.0f} ms | {f(scan_ms) / f(pass_ms):.1f}× | < 2000 ms | "
           f"{yes(f(scan_ms) < 2000)} |")
worst = max(f(stats_first), f(stats_p99))
out.append(f"| subtree statistics of the city root (GET /api/v1/orgs/1/stats, today) | first "
           f"{f(stats_first):.1f} ms, p99 {f(stats_p99):.1f} ms | raw `SELECT COUNT(*) FROM member`: "
           f"{f(count_p50):.2f} ms | {worst / f(count_p50):.1f}× | < 50 ms | {yes(worst < 50)} |")
out.append(f"| peak RSS serving the city (VmHWM after the wrk run) | {int(rss)} MB | — | — | "
           f"< 512 MB | {yes(int(rss) < 512)} |")
out.append(f"| start-up on the city (process start to the first healthy /healthz) | "
           f"{int(startup)} ms | — | — | < 1 s | {yes(int(startup) < 1000)} |")
if build_s:
    out.append(f"| clean release build (`cmake --build -j2 --target zhibu`) | {int(build_s)} s "
               f"({int(build_s) / 60:.1f} min) wall; {int(build_cpu_s)} s CPU | — | — | < 10 min | "
               f"{yes(int(build_s) < 600)} (CPU / 2 cores: {int(build_cpu_s) / 120:.1f} min) |")
else:
    out.append("| clean release build | not run (--with-build) | — | — | < 10 min | — |")
hz_ref = (f(hz_n1) + f(hz_n2)) / 2
out.append(f"| GET /healthz, wrk -t2 -c64 {duration}s (issue 2) | {f(hz_z):,.0f} req/s | nginx, "
           f"static file of the same bytes: {hz_ref:,.0f} req/s | {f(hz_z) / hz_ref:.1%} | ≥ 50% | "
           f"{yes(f(hz_z) / hz_ref >= 0.5)} |")
print("\n".join(out))
PY
[ -n "$table_from" ] && exit 0
echo
echo "load average (1, 5, 15 min) at the start of each part:"
printf '  %s\n' "${loads[@]}"
echo "machine: $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM, Debian $(cat /etc/debian_version); whole run $(( $(date +%s) - began )) s"
