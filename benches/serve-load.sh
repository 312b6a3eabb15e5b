#!/usr/bin/env bash
# Load benchmark of `dateline serve`: wrk against the release binary serving
# the archive benchmark's generated archive, with its query mix. Prints one
# markdown report on stdout; progress goes to stderr.
#
#   benches/serve-load.sh [--articles N] [--seed S] [--dir DIR]
#                         [--connections N] [--duration S] [--overload N]
#
# Needs wrk (Debian: `apt-get install wrk`) and curl. DIR (default
# target/bench-archives/<articles>-<seed>, the archive benchmark's) holds the
# archive, generated with ../shared/tools/gen-archive when missing, and
# DIR/index, built or brought up to date with `dateline index` first. The
# raw wrk output and the server's logs go to DIR/serve-load/.
#
# Scenarios (the requests are in benches/serve-load.paths): term queries,
# date-filtered queries, the whole mix, the search page with its histogram,
# each with --connections clients for --duration seconds after a warm-up;
# then the mix with --overload clients, to see the server refuse (503)
# rather than hang. The server's RSS and CPU time are read from /proc
# around each scenario. Nothing here runs in `cargo test` or CI.
#
# Load goes to 127.0.0.1 only, and every run of wrk stops by itself.
set -euo pipefail

usage() {
  echo "usage:" >&2
  sed -n '6,7p' "$0" | sed 's/^#//' >&2
  exit "$1"
}

articles=100000
seed=7
dir=
connections=64
duration=30
overload=256
warmup=10
threads=2
while [ $# -gt 0 ]; do
  case "$1" in
    --articles) articles=${2:?--articles needs a value}; shift 2 ;;
    --seed) seed=${2:?--seed needs a value}; shift 2 ;;
    --dir) dir=${2:?--dir needs a value}; shift 2 ;;
    --connections) connections=${2:?--connections needs a value}; shift 2 ;;
    --duration) duration=${2:?--duration needs a value}; shift 2 ;;
    --overload) overload=${2:?--overload needs a value}; shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "serve-load: unknown argument '$1'" >&2; usage 2 ;;
  esac
done

root=$(cd "$(dirname "$0")/.." && pwd)
benches=$root/benches
dir=${dir:-$root/target/bench-archives/$articles-$seed}
dir=$(mkdir -p "$dir" && cd "$dir" && pwd)
out=$dir/serve-load
mkdir -p "$out"
paths=$benches/serve-load.paths
lua=$benches/serve-load.lua

say() { echo "serve-load: $*" >&2; }
die() { say "$*"; exit 2; }

for tool in wrk curl cargo; do
  command -v "$tool" >/dev/null || die "$tool is not installed (wrk: apt-get install wrk)"
done

started=$(date +%s)
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

# The release binary, as a user would run it.
say "building the release binary"
(cd "$root" && cargo build --release --locked --bin dateline >&2)
dateline=${CARGO_TARGET_DIR:-$root/target}/release/dateline
[ -x "$dateline" ] || die "no binary at $dateline"

# The archive: the archive benchmark's, generated the same way when missing.
if [ ! -d "$dir/articles" ]; then
  gen=$root/../shared/tools/gen-archive
  [ -x "$gen" ] || die "the archive generator $gen is missing; give --dir an existing archive"
  say "generating $articles articles (seed $seed) into $dir"
  "$gen" --out "$dir/articles" --jsonl "$dir/articles.jsonl" \
    --articles "$articles" --seed "$seed" --jobs 2 >&2
fi
files=$(find "$dir/articles" -name '*.txt' | wc -l)
[ "$files" -eq "$articles" ] ||
  say "warning: $dir/articles holds $files articles, not the $articles asked for"

# The index: built when missing, checked (and brought up to date) otherwise.
say "indexing (or checking the index of) $dir/articles"
index_started=$(date +%s.%N)
"$dateline" --index "$dir/index" index "$dir/articles" >&2
index_took=$(awk -v a="$index_started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')

# The server, on a port the system picks.
"$dateline" --index "$dir/index" serve --addr 127.0.0.1:0 \
  >"$out/server.out" 2>"$out/server.err" &
server=$!
stop_server() {
  if kill -0 "$server" 2>/dev/null; then
    kill -TERM "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
}
trap stop_server EXIT
base=
for _ in $(seq 100); do
  base=$(sed -n 's|^dateline: serving .* at \(http://[^ ]*\)/ .*|\1|p' "$out/server.out")
  [ -n "$base" ] && break
  kill -0 "$server" 2>/dev/null || die "the server stopped: $(cat "$out/server.err")"
  sleep 0.1
done
[ -n "$base" ] || die "the server did not say where it listens"
max_searches=$(( $(nproc) * 2 ))
say "server $server at $base (at most $max_searches searches at once, the default)"

# /proc/PID/status in KiB, and CPU time in clock ticks.
status_kib() { awk -v key="$1:" '$1 == key { print $2 }' "/proc/$server/status"; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$server/stat"; }
# The whole machine's busy time in clock ticks (all but idle and iowait).
busy_ticks() { awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
cores=$(nproc)
ticks=$(getconf CLK_TCK)
mib() { echo $(( ($1 + 512) / 1024 )); }
rss() { echo "$(mib "$(status_kib VmRSS)") ($(mib "$(status_kib RssAnon)"))"; }

# Every request once: it must answer 200, and the API tells its hits.
say "checking every request once"
checks=$out/checks.md
{
  echo "| scenario | request | status | hits | one request ms |"
  echo "| --- | --- | ---: | ---: | ---: |"
} >"$checks"
while read -r scenario path; do
  case "$scenario" in ''|'#'*) continue ;; esac
  answer=$(curl -s -o "$out/body" -w '%{http_code} %{time_total}' "$base$path")
  code=${answer% *}
  seconds=${answer#* }
  [ "$code" = 200 ] || die "$path answered $code: $(head -c 300 "$out/body")"
  hits=$(grep -o '"total": *[0-9]*' "$out/body" | head -1 | grep -o '[0-9]*$' || true)
  if [ -z "$hits" ]; then
    # The page shows the total as <span class="count">N</span>.
    hits=$(grep -o 'class="count">[0-9,]*<' "$out/body" | head -1 | tr -dc '0-9' || true)
  fi
  # shellcheck disable=SC2016 # the backquotes are markdown's
  printf '| %s | `%s` | %s | %s | %s |\n' "$scenario" "$path" "$code" "${hits:-?}" \
    "$(awk -v s="$seconds" 'BEGIN { printf "%.1f", s * 1000 }')" >>"$checks"
done <"$paths"

rss_idle=$(rss)

# One run of wrk; prints its serve-load: line's fields as a table row.
rows=$out/rows.md
: >"$rows"
run_wrk() {
  local label=$1 scenario=$2 clients=$3 seconds=$4
  local log=$out/$label.txt
  local rss_before cpu_before busy_before wall_before load
  local cpu_after busy_after wall_after rss_after line
  rss_before=$(rss)
  load=$(cut -d' ' -f1 /proc/loadavg)
  cpu_before=$(cpu_ticks)
  busy_before=$(busy_ticks)
  wall_before=$(date +%s.%N)
  say "$label: $clients connections for $seconds s ($scenario requests)"
  /usr/bin/time -f '%U %S' -o "$out/$label.wrk-cpu" \
    wrk -t "$threads" -c "$clients" -d "${seconds}s" --timeout 15s --latency \
    -s "$lua" "$base" -- "$paths" "$scenario" >"$log" 2>&1 ||
    die "wrk failed: $(tail -5 "$log")"
  cpu_after=$(cpu_ticks)
  busy_after=$(busy_ticks)
  wall_after=$(date +%s.%N)
  rss_after=$(rss)
  line=$(grep '^serve-load: ' "$log") || die "no result line in $log"
  kill -0 "$server" 2>/dev/null || die "the server died during $label"
  field() { echo "$line" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
  local answered wrk_cpu server_cpu_ms errors shares
  # A 503 costs next to no CPU (it only waited): count the searches done.
  answered=$(field statuses | tr ',' '\n' | sed -n 's/^200://p')
  wrk_cpu=$(awk '{ printf "%.1f", $1 + $2 }' "$out/$label.wrk-cpu")
  # Who used the machine: the server, wrk, and everyone else (other
  # people's builds on a shared machine), as % of all its cores.
  shares=$(awk -v s="$((cpu_after - cpu_before))" -v b="$((busy_after - busy_before))" \
    -v w="$wrk_cpu" -v t="$ticks" -v c="$cores" -v t0="$wall_before" -v t1="$wall_after" \
    'BEGIN { all = (t1 - t0) * t * c / 100; o = b - s - w * t; if (o < 0) o = 0;
             printf "%.0f / %.0f / %.0f", s / all, w * t / all, o / all }')
  server_cpu_ms=$(awk -v a="$cpu_before" -v b="$cpu_after" -v t="$ticks" -v n="${answered:-0}" \
    'BEGIN { if (n > 0) printf "%.2f", (b - a) * 1000 / t / n; else printf "-" }')
  errors="$(field non2xx) / $(( $(field connect) + $(field read) + $(field write) ))"
  errors="$errors / $(field timeout)"
  say "$label: $line"
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' \
    "$label" "$clients" "$(field requests)" "$(field rps)" "$(field p50_ms)" \
    "$(field p95_ms)" "$(field p99_ms)" "$(field max_ms)" "$errors" \
    "$(field statuses | sed 's/,/, /g')" "$rss_before" "$rss_after" \
    "$server_cpu_ms" "$shares" "$load" >>"$rows"
  [ "$label" = warm-up ] && sed -i '$d' "$rows"
  return 0
}

run_wrk warm-up mix "$connections" "$warmup"
rss_warm=$(rss)
for scenario in term date mix page; do
  run_wrk "$scenario" "$scenario" "$connections" "$duration"
done
run_wrk "overload" mix "$overload" "$duration"

# Does it answer at once when the load is gone?
after=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' "$base/api/search?q=said")
rss_end=$(rss)
hwm=$(mib "$(status_kib VmHWM)")
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

say "stopping the server"
stop_started=$(date +%s.%N)
stop_server
stop_took=$(awk -v a="$stop_started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
trap - EXIT

cpu_model=$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)
mem_gib=$(awk '/^MemTotal:/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)
commit=$(cd "$root" && git rev-parse --short HEAD)
dirty=
if [ -n "$(cd "$root" && git status --porcelain --untracked-files=no)" ]; then
  dirty=" + uncommitted changes"
fi

report=$out/report.md
{
  echo "- command: \`benches/serve-load.sh --articles $articles --seed $seed --dir $dir --connections $connections --duration $duration --overload $overload\`"
  echo "- date: $(date -u '+%Y-%m-%d %H:%M') UTC (the run took $(( $(date +%s) - started )) s); dateline at $commit$dirty"
  echo "- machine: $(nproc) cores, $mem_gib GiB RAM, $cpu_model; load average $load_start at the start, $load_end at the end"
  echo "- archive: \`$dir\` ($files articles); \`dateline index\` first took $index_took s"
  echo "- server: \`dateline --index $dir/index serve --addr 127.0.0.1:0\` (release; default --max-searches $max_searches, --timeout 10)"
  echo "- load: $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2), \`wrk -t $threads -c N -d ${duration}s --timeout 15s --latency -s benches/serve-load.lua URL -- benches/serve-load.paths SCENARIO\`, after a ${warmup} s warm-up with the mix; wrk runs on the same 2 cores as the server"
  echo
  echo "| scenario | clients | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | errors: non-2xx / socket / timeout | statuses | RSS before MiB (heap) | RSS after MiB (heap) | server CPU ms / 200 answer | CPU % server / wrk / others | load before |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |"
  cat "$rows"
  echo
  echo "RSS is VmRSS from /proc/PID/status, heap its RssAnon (the rest is the index's files, mapped). CPU % is of all $cores cores over the scenario, from /proc: the server's utime + stime, wrk's (from /usr/bin/time), and the rest of the machine's busy time (other people's work). "load before" is the 1-minute load average as the scenario starts. Idle after the checks: $rss_idle MiB; after the warm-up: $rss_warm; at the end: $rss_end; peak (VmHWM) $hwm MiB. After the overload, one search answered \`${after% *}\` in $(awk -v s="${after#* }" 'BEGIN { printf "%.1f", s * 1000 }') ms; SIGTERM stopped the server in $stop_took s."
  echo
  echo "Each request, once, before the load:"
  echo
  cat "$checks"
} >"$report"
cat "$report"
say "report in $report; wrk's own output in $out/*.txt"
