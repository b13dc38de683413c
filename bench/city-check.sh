#!/usr/bin/env bash
# bench/city-check.sh — the compliance engine on the demo CITY (spec 07: a full scan of the city
# for one month < 2 s on SQLite; one branch's change updates its findings < 50 ms; the same data
# gives the same findings).
#
# Builds nothing: uses build/release/zhibu (or $ZHIBU_BENCH_BUILD_DIR/zhibu). Generates the city
# (`zhibu demo --scale city`, then a year of organisational life with `zhibu orglife demo`) into a
# temp SQLite file, or reuses the file given with --db (its .key beside it). Then, for the period
# (default: the current month):
#   1. the same-run reference: one raw SQLite pass over what the rules read (every member and
#      organisation row, the open spans and the committees), on a fresh connection, best of 3;
#   2. `zhibu check --dry-run` N times: the engine's own time for the scan (the process also opens
#      the database and checks its migrations, reported apart as the wall time), and every output
#      compared byte for byte with the first;
#   3. `zhibu check` once (scan + reconciliation with the stored findings: the daily job's work);
#   4. the incremental path: `zhibu check --org CODE` for branches of several sizes — the same
#      Rescan the server runs for a subtree marked by a write (scan + reconcile of that subtree).
# With --against BIN (another build of zhibu, e.g. main's), step 2 also runs that binary's dry
# run N times, interleaved with this build's, and compares its findings, sorted, with scan 1's: a
# same-run reference for a change to the engine or the rules (also CPU time, steadier than wall
# time on a shared machine).
#
# Usage: bench/city-check.sh [-n N] [--db PATH] [--period P] [--scale city|county] [--keep]
#                            [--against BIN]
set -euo pipefail
cd "$(dirname "$0")/.."
n=5
db=""
period=""
scale=city
keep=0
against=""
while [ $# -gt 0 ]; do
  case "$1" in
    -n) n="$2"; shift 2 ;;
    --db) db="$2"; shift 2 ;;
    --period) period="$2"; shift 2 ;;
    --scale) scale="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    --against) against="$(realpath "$2")"; shift 2 ;;
    *) echo "usage: $0 [-n N] [--db PATH] [--period P] [--scale city|county] [--keep] [--against BIN]" >&2; exit 2 ;;
  esac
done
bin="$(realpath "${ZHIBU_BENCH_BUILD_DIR:-build/release}")/zhibu"
[ -x "$bin" ] || { echo "no $bin: build the release preset first" >&2; exit 1; }
work=$(mktemp -d /tmp/zhibu-city-check.XXXXXX)
cleanup() { if [ "$keep" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi; }
trap cleanup EXIT

if [ -z "$db" ]; then
  db="$work/city.db"
  start=$(date +%s.%N)
  "$bin" demo --scale "$scale" --db "sqlite:$db" >"$work/demo.out" 2>"$work/demo.log"
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" -v k="$scale" 'BEGIN { printf "%s generation (zhibu demo --scale %s): %.1f s\n", k, k, e - s }'
  # A year of organisational-life records for the rules of spec 04 (spec 07: "a year of meetings").
  start=$(date +%s.%N)
  "$bin" orglife demo --db "sqlite:$db" >"$work/orglife.out" 2>"$work/orglife.log"
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" 'BEGIN { printf "organisational life (zhibu orglife demo): %.1f s\n", e - s }'
fi
echo "database: $db ($(du -h "$db" | cut -f1))"
period_args=()
[ -n "$period" ] && period_args=(--period "$period")

# 1. The reference: a raw pass over the rows the rules read, on a fresh connection each time.
python3 - "$db" <<'EOF'
import sqlite3, sys, time
best = None
for _ in range(3):
    t = time.perf_counter()
    c = sqlite3.connect(sys.argv[1])
    members = c.execute("SELECT COUNT(*), MAX(birth_date), MAX(status), MAX(org_path) FROM member").fetchone()
    spans = c.execute("SELECT COUNT(*), MAX(valid_from) FROM member_span WHERE valid_to IS NULL").fetchone()
    orgs = c.execute("SELECT COUNT(*), MAX(path), MAX(kind) FROM organisation").fetchone()
    terms = c.execute("SELECT COUNT(*) FROM committee").fetchone()
    c.close()
    d = (time.perf_counter() - t) * 1000
    best = d if best is None else min(best, d)
print(f"reference: raw SQLite pass over {members[0]} members, {spans[0]} open spans, "
      f"{orgs[0]} organisations, {terms[0]} committees: {best:.1f} ms (best of 3)")
with open(sys.argv[1] + ".reference-ms", "w") as f:
    f.write(f"{best:.3f}\n")
EOF
reference=$(cat "$db.reference-ms")
rm -f "$db.reference-ms"

# Prints the engine's "扫描 X ms，保存 Y ms" from a `zhibu check` stderr as "X Y".
engine_ms() { sed -n 's/.*扫描 \([0-9.]*\) ms，保存 \([0-9.]*\) ms.*/\1 \2/p' "$1"; }

# 2. Full scans, dry run: timing and byte-identical output.
# Runs `$1 check --dry-run` into $2.jsonl / $2.err; prints "engine_ms wall_ms cpu_s".
dry_run() {
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -f "%U %S" -o "$2.cpu" "$1" check --db "sqlite:$db" --dry-run "${period_args[@]}" \
    >"$2.jsonl" 2>"$2.err"
  end=$(date +%s.%N)
  read -r scan_ms _ < <(engine_ms "$2.err")
  awk -v s="$start" -v e="$end" -v m="$scan_ms" '{ printf "%s %.0f %.2f\n", m, (e - s) * 1000, $1 + $2 }' "$2.cpu"
}
scans=()
others=()
for i in $(seq 1 "$n"); do
  read -r scan_ms wall cpu < <(dry_run "$bin" "$work/scan$i")
  scans+=("$scan_ms")
  same="identical to scan 1"
  if [ "$i" -gt 1 ] && ! cmp -s "$work/scan1.jsonl" "$work/scan$i.jsonl"; then
    same="DIFFERS from scan 1"
  fi
  [ "$i" = 1 ] && same="$(wc -l <"$work/scan1.jsonl") findings, sha256 $(sha256sum "$work/scan1.jsonl" | cut -c1-16)"
  echo "full scan $i: engine ${scan_ms} ms, process wall ${wall} ms, CPU ${cpu} s; $same"
  if [ -n "$against" ]; then
    read -r other_ms other_wall other_cpu < <(dry_run "$against" "$work/against$i")
    others+=("$other_ms")
    if cmp -s <(sort "$work/scan1.jsonl") <(sort "$work/against$i.jsonl"); then
      same="the same findings as scan 1 (sorted)"
    else
      same="findings DIFFER from scan 1"
    fi
    echo "  against $against: engine ${other_ms} ms, process wall ${other_wall} ms, CPU ${other_cpu} s; $same"
  fi
done
if [ -n "$against" ]; then
  printf '%s\n' "${others[@]}" | sort -n | awk '
    { v[NR] = $1 } END { printf "against: full scan median %.1f ms\n", v[int((NR + 1) / 2)] }'
fi
printf '%s\n' "${scans[@]}" | sort -n | awk -v ref="$reference" '
  { v[NR] = $1 } END { m = v[int((NR + 1) / 2)]; printf "full scan median: %.1f ms (target < 2000 ms); %.1f× the raw pass\n", m, m / ref }'
echo "by rule:"
sed -n 's/^{"rule":"\([^"]*\)".*/\1/p' "$work/scan1.jsonl" | sort | uniq -c | sed 's/^/  /'

# 3. The daily job's work: scan and reconcile with the stored findings (twice: the first stores
# every finding as new, the second finds them all still there).
for i in 1 2; do
  "$bin" check --db "sqlite:$db" "${period_args[@]}" >/dev/null 2>"$work/store$i.err"
  read -r scan_ms store_ms < <(engine_ms "$work/store$i.err")
  echo "full scan and store ($i): scan ${scan_ms} ms, reconcile ${store_ms} ms"
done

# 4. The incremental path: one branch's subtree, scanned and reconciled.
python3 - "$db" >"$work/branches" <<'EOF'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
rows = c.execute("""
  SELECT o.code, COUNT(m.id) AS n FROM organisation o LEFT JOIN member m ON m.org_id = o.id
  WHERE o.kind = 'branch' AND o.status = 'active' GROUP BY o.id ORDER BY n, o.code""").fetchall()
for q in (0.05, 0.5, 0.95, 1.0):
    code, size = rows[min(len(rows) - 1, int(q * len(rows)))]
    print(code, size)
EOF
while read -r code size; do
  best=""
  for i in 1 2 3; do
    "$bin" check --db "sqlite:$db" --org "$code" "${period_args[@]}" >"$work/branch.jsonl" 2>"$work/branch.err"
    read -r scan_ms store_ms < <(engine_ms "$work/branch.err")
    total=$(awk -v a="$scan_ms" -v b="$store_ms" 'BEGIN { printf "%.1f", a + b }')
    if [ -z "$best" ] || awk -v t="$total" -v b="$best" 'BEGIN { exit !(t < b) }'; then best=$total; fi
  done
  echo "incremental, branch $code ($size members, $(wc -l <"$work/branch.jsonl") findings): ${best} ms scan + reconcile, best of 3 (target < 50 ms)"
done <"$work/branches"
