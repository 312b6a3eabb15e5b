#!/bin/bash
# Indexing in pairs: dateline against tantivy-cli on the same articles, alternated.
#
#   benches/index-pairs.sh DIR N [DATELINE...]
#
# DIR is an archive benchmark folder (target/bench-archives/100000-7 after
# `cargo bench --bench archive -- --articles 100000`, which writes
# DIR/tantivy-docs.jsonl). Each round makes a fresh index of DIR/articles with
# each DATELINE binary (default target/release/dateline) and of
# DIR/tantivy-docs.jsonl with `tantivy index -t 2` under the schema of
# benches/archive/tantivy_cli.rs, and prints: round, tool, wall seconds, peak
# RSS KiB, index MiB. The machine drifts from hour to hour: compare within a
# run, by medians.
set -euo pipefail
dir=$1
rounds=$2
shift 2
binaries=("$@")
[ ${#binaries[@]} -gt 0 ] || binaries=(target/release/dateline)
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$here/archive/tantivy_cli.rs" > "$work/meta.json" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
print(re.search(r'const META_JSON: &str = r#"(.*?)"#;', text, re.S).group(1))
PY
for round in $(seq "$rounds"); do
  for tool in "${binaries[@]}" tantivy; do
    rm -rf "$work/index"
    mkdir "$work/index"
    if [ "$tool" = tantivy ]; then
      cp "$work/meta.json" "$work/index/meta.json"
      /usr/bin/time -o "$work/time" -f "%e %M" tantivy index -i "$work/index" -t 2 \
        < "$dir/tantivy-docs.jsonl" > /dev/null 2> "$work/stderr"
    else
      /usr/bin/time -o "$work/time" -f "%e %M" "$tool" index "$dir/articles" \
        --index "$work/index" > /dev/null 2> "$work/stderr"
    fi
    echo "$round $tool $(cat "$work/time") $(du -sm "$work/index" | cut -f1)"
  done
done
