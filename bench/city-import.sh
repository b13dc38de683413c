#!/usr/bin/env bash
# bench/city-import.sh — member import of the city dataset (spec 01: "member import of the city
# dataset ≥ 30% of a raw SQLite prepared-statement insert of the same rows", issue 4).
#
# In one run on this machine:
#   1. `zhibu demo --scale city` (15,976 organisations, 341,759 members) into a scratch database,
#      then the exporter writes its tree (orgs.csv) and its current members (members.csv and
#      members.jsonl, unmasked: an import needs the real numbers);
#   2. the reference: the sqlite3 shell's `.import` of members.csv into an equivalent bare table
#      (the same 20 columns, no index, no constraint; WAL and synchronous=NORMAL like zhibu's
#      database) — one transaction, one prepared INSERT stepped per row;
#   3. `zhibu import members` of the same file (and of the JSONL) into an empty database holding
#      only the tree (imported first with `zhibu import orgs`): every row validated (GB 11643,
#      dates, vocabularies, organisation codes, duplicates), ID and phone numbers SM4-encrypted
#      with HMAC-SM3 blind indexes, member + span + events written with every index, audited.
# Each timing is the best of RUNS (default 2) whole-process wall times. Prints the ratio
# reference/import; the target is >= 0.30.
#
# Usage: bench/city-import.sh [RUNS]   (builds the release preset unless ZHIBU_BENCH_BUILD_DIR)
# ZHIBU_BENCH_CITY_DIR=DIR keeps the generated tree and member files in DIR and reuses them when
# they are already there (iterating on the importer without regenerating the city each time);
# ZHIBU_BENCH_FORMATS="csv" times only the CSV import (default "csv jsonl").
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-2}"
[ -n "${ZHIBU_BENCH_BUILD_DIR:-}" ] || ZHIBU_SKIP_DEPS="${ZHIBU_SKIP_DEPS:-0}" ZHIBU_SKIP_WEB=1 bash scripts/build release >/dev/null
bin="$(pwd)/${ZHIBU_BENCH_BUILD_DIR:-build/release}/zhibu"
work=$(mktemp -d /tmp/zhibu-bench-import.XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work"

now() { date +%s.%N; }
best() { python3 -c 'import sys; print("%.3f" % min(map(float, sys.argv[1:]), default=float("nan")))' "$@"; }

formats="${ZHIBU_BENCH_FORMATS:-csv jsonl}"
city="${ZHIBU_BENCH_CITY_DIR:-}"
if [ -n "$city" ] && [ -s "$city/orgs.csv" ] && [ -s "$city/members.csv" ] && [ -s "$city/members.jsonl" ]; then
  echo "== reusing the city's files in $city"
  cp "$city/orgs.csv" "$city/members.csv" "$city/members.jsonl" .
else
  echo "== generating the city (zhibu demo --scale city)"
  "$bin" demo --scale city --db sqlite:city.db --log-level warn
  "$bin" export orgs orgs.csv --db sqlite:city.db --log-level warn
  "$bin" export members members.csv --unmasked --db sqlite:city.db --log-level warn
  "$bin" export members members.jsonl --unmasked --db sqlite:city.db --log-level warn
  if [ -n "$city" ]; then mkdir -p "$city" && cp orgs.csv members.csv members.jsonl "$city/"; fi
fi
rows=$(($(wc -l < members.csv) - 1))
echo "   $rows members, $(du -h members.csv | cut -f1) CSV, $(du -h members.jsonl | cut -f1) JSONL"

ref_times=(); csv_times=(); jsonl_times=()
for run in $(seq 1 "$runs"); do
  rm -f ref.db ref.db-wal ref.db-shm
  start=$(now)
  sqlite3 ref.db >/dev/null <<'SQL'
PRAGMA journal_mode=WAL;
PRAGMA synchronous=NORMAL;
CREATE TABLE bare (name TEXT, sex TEXT, ethnicity TEXT, birth_date TEXT, id_number TEXT,
  phone TEXT, education TEXT, degree TEXT, occupation TEXT, work_unit TEXT, household TEXT,
  address TEXT, work_started_on TEXT, joined_on TEXT, confirmed_on TEXT, status TEXT,
  category TEXT, org_code TEXT, org_name TEXT, hardship TEXT);
.import --csv --skip 1 members.csv bare
SQL
  ref_times+=("$(python3 -c "print($(now) - $start)")")
  [ "$(sqlite3 ref.db 'SELECT COUNT(*) FROM bare')" = "$rows" ] || { echo "reference lost rows" >&2; exit 1; }

  for format in $formats; do
    rm -f t.db t.db-wal t.db-shm t.db.key
    "$bin" import orgs orgs.csv --db sqlite:t.db --log-level warn >/dev/null 2>&1
    start=$(now)
    "$bin" import members "members.$format" --db sqlite:t.db --log-level info 2>"import-$format.log" >"import-$format.json"
    elapsed=$(python3 -c "print($(now) - $start)")
    grep -q "\"imported\":$rows" "import-$format.json" || { cat "import-$format.log" >&2; exit 1; }
    if [ "$format" = csv ]; then csv_times+=("$elapsed"); else jsonl_times+=("$elapsed"); fi
  done
  echo "   run $run: reference ${ref_times[-1]}s, import csv ${csv_times[*]: -1}s, jsonl ${jsonl_times[*]: -1}s"
  sed -n 's/.*member import: /     csv phase: /p' import-csv.log
done

ref=$(best "${ref_times[@]}"); csv=$(best "${csv_times[@]}"); jsonl=$(best "${jsonl_times[@]}")
python3 - "$rows" "$ref" "$csv" "$jsonl" <<'PY'
import sys
rows, ref, csv, jsonl = int(sys.argv[1]), *map(float, sys.argv[2:])
print(f"reference (sqlite3 .import, bare table): {ref:7.3f} s  {rows / ref:9.0f} rows/s")
if csv == csv:  # not NaN: the CSV import was timed
    print(f"zhibu import members (CSV):              {csv:7.3f} s  {rows / csv:9.0f} rows/s  ratio {ref / csv:.2f}")
if jsonl == jsonl:  # not NaN: the JSONL import was timed
    print(f"zhibu import members (JSONL):            {jsonl:7.3f} s  {rows / jsonl:9.0f} rows/s  ratio {ref / jsonl:.2f}")
print("target: ratio >= 0.30")
PY
