#!/usr/bin/env bash
# Seeds every fuzz target's corpus from the test fixtures, then runs the
# targets one after another: each for SECONDS (default 600) or RUNS
# executions (default 5,000,000), whichever comes first. Logs go to
# fuzz/logs/<target>.log; a crash leaves its input in fuzz/artifacts/<target>/.
#
#   fuzz/run.sh                  # every target
#   SECONDS_EACH=60 fuzz/run.sh query snippet
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`). Stable Rust works with
# `-s none` (no sanitizer): panics and hangs are found, memory errors in
# unsafe code would not be (dateline has none).
set -uo pipefail
cd "$(dirname "$0")"
SECONDS_EACH=${SECONDS_EACH:-600}
RUNS=${RUNS:-5000000}
TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then
  TARGETS=(text headline reuters json mail detect dates query snippet container)
fi
fixtures=../tests/fixtures

seed() { # target, files...
  local dir=corpus/$1; shift
  mkdir -p "$dir"
  for file in "$@"; do head -c 4096 "$file" > "$dir/$(basename "$file")"; done
}
seed_text() { # target, name, text
  mkdir -p "corpus/$1" && printf '%s' "$3" > "corpus/$1/$2"
}

articles=$(find $fixtures/archive $fixtures/messy -name '*.txt' | sort)
seed text $articles
seed headline $articles
seed reuters $fixtures/formats/reuters/*
seed json $fixtures/formats/json/*
seed mail $fixtures/formats/mail/*
seed detect $articles $fixtures/formats/*/*
for d in 2025 2025-03 2025-03-17 $'2025-01\n2025-02\n2025-03' ' 1987-10-20 ' 2025-02-30; do
  seed_text dates "$(printf '%s' "$d" | md5sum | cut -c1-8)" "$d"
done
for q in 'ceasefire talks' '"coalition of the willing"' 'headline:putin body:cocoa' \
         '(rates OR inflation) -bank' 'NOT a OR b' 'talk*' 'zelensky~2'; do
  seed_text query "$(printf '%s' "$q" | md5sum | cut -c1-8)" "$q"
  seed_text snippet "$(printf '%s' "$q" | md5sum | cut -c1-8)" \
    "x$q"$'\n'"The ceasefire talks resumed. Coalition of the willing met; rates and inflation rose."
done
# Containers: the first byte picks the kind (0 .txt, 1 .gz, 2 .tar, 3 .tar.gz, 4 .zip).
scratch=$(mktemp -d)
cp $fixtures/archive/2025/03/*.txt "$scratch/" 2>/dev/null || cp $(echo "$articles" | head -2) "$scratch/"
one=$(ls "$scratch"/*.txt | head -1)
mkdir -p corpus/container
{ printf '\x01'; gzip -c "$one"; } > corpus/container/gz
{ printf '\x02'; tar -C "$scratch" -cf - .; } | head -c 65536 > corpus/container/tar
{ printf '\x03'; tar -C "$scratch" -czf - .; } > corpus/container/tgz
{ printf '\x04'; (cd "$scratch" && python3 -c 'import zipfile,sys,glob
z=zipfile.ZipFile(sys.stdout.buffer,"w",zipfile.ZIP_DEFLATED)
[z.write(f) for f in sorted(glob.glob("*.txt"))[:3]]
z.close()'); } > corpus/container/zip
rm -rf "$scratch"

# Build once, and run copies: the sources may change while this runs.
cargo fuzz build -O -s none || exit 2
bins=$(mktemp -d)
for target in "${TARGETS[@]}"; do
  cp "target/x86_64-unknown-linux-gnu/release/$target" "$bins/"
done

mkdir -p logs artifacts
for target in "${TARGETS[@]}"; do
  echo "== $target: up to ${SECONDS_EACH}s or $RUNS runs"
  # -rss_limit_mb: a parser that takes more than 2 GiB on a small input is a bug.
  mkdir -p "artifacts/$target"
  nice -n 10 "$bins/$target" "corpus/$target" -artifact_prefix="artifacts/$target/" \
    -max_total_time="$SECONDS_EACH" -runs="$RUNS" -rss_limit_mb=2048 -timeout=10 \
    > "logs/$target.log" 2>&1
  status=$?
  grep -E '^(Done|#[0-9]+ +DONE)|SUMMARY|panicked|Test unit written' "logs/$target.log" | tail -4
  echo "   exit $status"
done
rm -rf "$bins"
