#!/usr/bin/env bash
# A/B of two partnerpress builds on one corpus: the cost of an option (or of a change,
# with two binaries), measured by alternating clean builds so that the machine's slow
# phases hit both alike. Uses the corpus bench/compare.sh generated.
#
# usage: bench/ab.sh CORPUS_DIR RUNS BIN_A "ARGS_A" BIN_B "ARGS_B"
#   e.g. bench/ab.sh /dev/shm/ppb/10000/partnerpress 9 \
#          target/release/partnerpress "" target/release/partnerpress "--no-link-check"
# Prints, per side, the medians of wall time, CPU time (user + sys) and peak RSS.
set -euo pipefail

[[ $# -eq 6 ]] || { sed -n 2,8p "$0" >&2; exit 2; }
CORPUS=$1 RUNS=$2
[[ -d $CORPUS ]] || { echo "ab.sh: no corpus at $CORPUS (run bench/compare.sh first)" >&2; exit 2; }
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "ab.sh: RUNS must be a positive number" >&2; exit 2; }
BIN=("$3" "$5")
read -r -a ARGS_A <<<"$4"
read -r -a ARGS_B <<<"$6"
# Outputs beside the corpus, on its file system: cached cards and kits are hard-linked
# (another file system would make every build copy them).
WORK=$(mktemp -d "$(dirname "$(realpath "$CORPUS")")/.ab.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

build() { # side output-dir args...
  local side=$1 out=$2
  shift 2
  local start end
  start=$(date +%s%N)
  /usr/bin/time -f '%U %S %M' -o "$WORK/time" \
    "${BIN[$side]}" build --root "$CORPUS" --output "$out" "$@" >"$WORK/log" 2>&1 || { cat "$WORK/log" >&2; exit 1; }
  end=$(date +%s%N)
  read -r user sys rss <"$WORK/time"
  echo "$(( (end - start) / 1000000 )) $user $sys $rss" >>"$WORK/side$side"
}

for ((i = 0; i <= RUNS; i++)); do
  for side in 0 1; do
    out="$WORK/out$side"
    [[ -d $out ]] && mv "$out" "$WORK/trash$i$side"
    if ((side == 0)); then build 0 "$out" "${ARGS_A[@]}"; else build 1 "$out" "${ARGS_B[@]}"; fi
  done
  rm -rf "$WORK"/trash*
  # The first round warms the caches and is not counted.
  ((i == 0)) && rm -f "$WORK/side0" "$WORK/side1"
done

for side in 0 1; do
  python3 - "$WORK/side$side" "${BIN[$side]} $([[ $side == 0 ]] && echo "$4" || echo "$6")" <<'EOF'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
wall = statistics.median(int(r[0]) / 1000 for r in rows)
cpu = statistics.median(float(r[1]) + float(r[2]) for r in rows)
rss = statistics.median(int(r[3]) / 1024 for r in rows)
print(f"{sys.argv[2]}: wall {wall:.3f} s, CPU {cpu:.2f} s, peak RSS {rss:.0f} MiB (medians of {len(rows)})")
EOF
done
