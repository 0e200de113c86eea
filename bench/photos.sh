# Photo mode of bench/compare.sh (PHOTOS=N > 0), sourced by it: uses its variables
# (N, RUNS, TOOLS, BENCH_ROOT, …) and helpers (ensure_corpus, build_once, move_aside, …).
#
# Per tool, each round times a cold build (the output and the tool's image cache moved
# aside first) and then a warm build (only the output moved aside: the cache of the cold
# build is kept), and for partnerpress also a clean build of the same corpus without
# photos ($BENCH_ROOT/N/partnerpress), the baseline of the warm target.

# The folder in which a tool keeps processed images between builds, in the site. Hugo's
# --cacheDir (outside the site) holds no images, only the compiled WebAssembly of its
# WebP codec, which is kept: it is the tool's own, like its binary.
image_cache() { # tool site
  case $1 in
    partnerpress) echo "$2/.partnerpress" ;;
    hugo) echo "$2/resources/_gen" ;;
    zola) echo "$2/static/processed_images" ;;
  esac
}

count_images() { # dir -> number of raster image files
  find "$1" -type f \( -name '*.jpg' -o -name '*.jpeg' -o -name '*.webp' -o -name '*.png' \) | wc -l
}

photo_bench() {
  local tool key site kind i t r c
  local photo_site="$BENCH_ROOT/$N-photos$PHOTOS"
  ensure_photos
  declare -gA SITE KIND_OF TOOL_OF OUT_FILES OUT_BYTES OUT_PAGES OUT_IMAGES
  KEYS=()
  for tool in "${TOOLS[@]}"; do
    VER[$tool]=$(tool_version "$tool" | head -1)
    log "== $tool: ${VER[$tool]}"
    ensure_corpus "$tool" "$photo_site/$tool"
    for kind in cold warm; do
      KEYS+=("$tool:$kind")
      SITE[$tool:$kind]="$photo_site/$tool" KIND_OF[$tool:$kind]=$kind TOOL_OF[$tool:$kind]=$tool
    done
    if [[ $tool == partnerpress ]]; then
      ensure_corpus partnerpress
      KEYS+=("partnerpress:none")
      SITE[partnerpress:none]="$BENCH_ROOT/$N/partnerpress" KIND_OF[partnerpress:none]=none TOOL_OF[partnerpress:none]=partnerpress
    fi
  done
  for key in "${KEYS[@]}"; do
    TIMES[$key]="" CPUS[$key]="" RSS[$key]=""
    move_aside "${SITE[$key]}/public"
  done
  empty_trash

  for key in "${KEYS[@]}"; do
    [[ ${KIND_OF[$key]} == warm ]] && continue # the cold corpus is the same site
    log "warm-up: $key"
    build_once "${TOOL_OF[$key]}" "${SITE[$key]}" "$WORK/warmup.tv" >/dev/null || exit 1
    move_aside "${SITE[$key]}/public"
  done

  for ((i = 1; i <= RUNS; i++)); do
    for key in "${KEYS[@]}"; do
      tool=${TOOL_OF[$key]} site=${SITE[$key]}
      move_aside "$site/public"
      if [[ ${KIND_OF[$key]} == cold ]]; then
        move_aside "$(image_cache "$tool" "$site")"
      fi
      sync
      t=$(build_once "$tool" "$site" "$WORK/$tool.tv") || exit 1
      r=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$WORK/$tool.tv")
      c=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$WORK/$tool.tv")
      log "round $i/$RUNS  $(printf '%-18s' "$key") ${t} s  cpu ${c} s  peak RSS $((r / 1024)) MiB"
      TIMES[$key]+="$t " CPUS[$key]+="$c " RSS[$key]+="$r "
      if ((i == RUNS)); then
        read -r OUT_FILES[$key] OUT_BYTES[$key] OUT_PAGES[$key] < <(count_out "$site/public")
        OUT_IMAGES[$key]=$(count_images "$site/public")
      fi
    done
  done
  photo_report
}

photo_report() {
  local key tool kind mn mx rss_mib out_mib label method faster="" now
  report_prelude
  declare -A MED CPU PEAK
  local rows=()
  now=$(date -u +%FT%TZ)
  for key in "${KEYS[@]}"; do
    tool=${TOOL_OF[$key]} kind=${KIND_OF[$key]}
    MED[$key]=$(lines "${TIMES[$key]}" | median)
    CPU[$key]=$(lines "${CPUS[$key]}" | median)
    PEAK[$key]=$(lines "${RSS[$key]}" | maximum)
    mn=$(lines "${TIMES[$key]}" | minimum)
    mx=$(lines "${TIMES[$key]}" | maximum)
    rss_mib=$(awk -v r="${PEAK[$key]}" 'BEGIN { printf "%.0f", r / 1024 }')
    out_mib=$(awk -v b="${OUT_BYTES[$key]}" 'BEGIN { printf "%.1f", b / 1048576 }')
    case $kind in
      cold) label="cold, $PHOTOS photos" method="compare.sh interleaved photos=$PHOTOS cold" ;;
      warm) label="warm, $PHOTOS photos" method="compare.sh interleaved photos=$PHOTOS warm" ;;
      none) label="no photos" method="compare.sh interleaved photos=$PHOTOS baseline without photos" ;;
    esac
    rows+=("| $tool | $label | ${VER[$tool]} | ${MED[$key]} | $mn | $mx | ${CPU[$key]} | $rss_mib | ${OUT_PAGES[$key]} | ${OUT_FILES[$key]} | $out_mib | ${OUT_IMAGES[$key]} |")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$now" "$N" "$tool" "${VER[$tool]}" "$RUNS" \
      "${MED[$key]}" "$mn" "$mx" "${OUT_PAGES[$key]}" \
      "$(awk -v p="${OUT_PAGES[$key]}" -v t="${MED[$key]}" 'BEGIN { printf "%.0f", (t > 0 ? p / t : 0) }')" \
      "$rss_mib" "${OUT_FILES[$key]}" "${OUT_BYTES[$key]}" "${CPU[$key]}" "$FS_DESC" "$method" "$SEED" "$NPROC" >>"$RESULTS"
  done

  # the faster peer's cold build, by median wall time
  for tool in hugo zola; do
    [[ -n ${MED[$tool:cold]:-} ]] || continue
    if [[ -z $faster ]] || awk -v a="${MED[$tool:cold]}" -v b="${MED[$faster:cold]}" 'BEGIN { exit !(a < b) }'; then
      faster=$tool
    fi
  done
  local pp_cold=partnerpress:cold pp_warm=partnerpress:warm pp_none=partnerpress:none
  local photo_mib step k
  photo_mib=$(for ((k = 1; k <= PHOTOS; k++)); do printf '%s/p%03d.jpg\0' "$PHOTO_DIR" "$k"; done |
    du -cb --files0-from=- | tail -1 | awk '{ printf "%.1f", $1 / 1048576 }')
  step=$((N / PHOTOS))

  {
    echo "## partnerpress vs. Hugo${ZOLA:+ vs. Zola}: $N releases with $PHOTOS photos"
    echo
    echo "| tool | build | version | median wall s | min s | max s | median CPU s | peak RSS MiB | pages | output files | output MiB | image files |"
    echo "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    printf '%s\n' "${rows[@]}"
    echo
    echo "Ratios (median wall, median CPU, max peak RSS):"
    echo
    echo "- cold, partnerpress / the faster peer ($faster): wall $(ratio "${MED[$pp_cold]}" "${MED[$faster:cold]}"), CPU $(ratio "${CPU[$pp_cold]}" "${CPU[$faster:cold]}"), peak RSS $(ratio "${PEAK[$pp_cold]}" "${PEAK[$faster:cold]}") (target: wall ≤ 0.5×)"
    for tool in hugo zola; do
      [[ -n ${MED[$tool:cold]:-} && $tool != "$faster" ]] || continue
      echo "- cold, partnerpress / $tool: wall $(ratio "${MED[$pp_cold]}" "${MED[$tool:cold]}"), CPU $(ratio "${CPU[$pp_cold]}" "${CPU[$tool:cold]}"), peak RSS $(ratio "${PEAK[$pp_cold]}" "${PEAK[$tool:cold]}")"
    done
    echo "- warm, partnerpress with photos / without: wall $(ratio "${MED[$pp_warm]}" "${MED[$pp_none]}"), CPU $(ratio "${CPU[$pp_warm]}" "${CPU[$pp_none]}"), peak RSS $(ratio "${PEAK[$pp_warm]}" "${PEAK[$pp_none]}") (target: wall ≤ 1.10×)"
    echo "- peak RSS, partnerpress cold with photos / without: $(ratio "${PEAK[$pp_cold]}" "${PEAK[$pp_none]}")"
    echo
    echo "- Photos: $PHOTOS JPEGs of 3000×2000 ($photo_mib MiB, \`examples/bench_photos.rs\`, seed $SEED), one on every ${step}th release (\`bench/add_photos.py\`), the same files for every tool. Per photo every tool makes WebP (quality 80) and JPEG (quality 82) at 480, 800, 1200, 1600 and 2400 px wide, a 1200×630 JPEG share crop (quality 85) and publishes the original; Hugo resamples with Lanczos, as partnerpress does."
    echo "- Method: 1 warm-up build per corpus, then $RUNS round(s) of, per tool in the order ${TOOLS[*]}: a cold build (output and image cache renamed aside), a warm build (output renamed aside, the cold build's image cache kept), and for partnerpress a clean build of the corpus without photos; \`sync\` before each build (untimed); page cache warm. Image caches: partnerpress \`.partnerpress/\`, Hugo \`resources/_gen/\`${ZOLA:+, Zola \`static/processed_images/\`}."
    echo "- Machine: \`nproc\` = $NPROC${CPU_MODEL:+, $CPU_MODEL}; BENCH_ROOT $BENCH_ROOT is $FS_DESC (\`df -T\`); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
    echo "- Corpus: gen_corpus.py --news $N --seed $SEED (sha256 $(sha256sum "$GEN" | cut -c1-16))${PP_SOURCE:+; partnerpress built from git $PP_SOURCE}."
    echo "- Reproduce: \`$(reproduce_command)\`"
    echo "- Rows appended to $RESULTS."
  }
}
