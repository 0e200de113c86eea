#!/usr/bin/env bash
# Regenerates docs/screenshots/: the project's site (content/) built into a temporary
# folder, served on a loopback port, and photographed by headless Chromium at a phone
# (390 × 844) and a desktop (1280 × 900) window: the first screen of each page kind.
# Usage: tools/screenshots.sh   (needs chromium and python3; run from anywhere)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/docs/screenshots"
chromium_bin="${PARTNERPRESS_CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome)}"
port="${PORT:-$((20000 + RANDOM % 20000))}"
work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

cargo build --release --quiet --manifest-path "$root/Cargo.toml"
"$root/target/release/partnerpress" build --root "$root" --output "$work/public" \
  --base-url "http://127.0.0.1:$port/" --now 2026-11-30T12:00:00+01:00 >/dev/null
(cd "$work/public" && exec python3 -m http.server "$port" --bind 127.0.0.1 >/dev/null 2>&1) &
server_pid=$!
for _ in $(seq 50); do
  curl -fsS "http://127.0.0.1:$port/" >/dev/null 2>&1 && break
  sleep 0.1
done

pages=(
  "home:"
  "release:news/partnerschaft-harz/"
  "partner:partners/uk-magdeburg/"
  "factsheet:partnerships/magdeburg-harz/factsheet/"
  "timeline:timeline/"
)
mkdir -p "$out"
for entry in "${pages[@]}"; do
  name="${entry%%:*}"
  path="${entry#*:}"
  for size in 390,844 1280,900; do
    width="${size%%,*}"
    "$chromium_bin" --headless --no-sandbox --disable-gpu --hide-scrollbars \
      --user-data-dir="$work/profile" --virtual-time-budget=3000 \
      --window-size="$size" --screenshot="$out/$name-$width.png" \
      "http://127.0.0.1:$port/$path" >/dev/null 2>&1
  done
done
ls -1 "$out"
