#!/usr/bin/env bash
# Checks the README's nginx example with `nginx -t`: the ```nginx block, inside a server
# block of a minimal configuration. Needs nginx (.ci/run installs nginx-light).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
snippet=$(awk '/^```nginx$/{on=1; next} /^```$/{on=0} on' README.md)
[[ -n $snippet ]] || { echo "no nginx block in README.md" >&2; exit 1; }
mkdir -p "$dir/www/presse"
cat > "$dir/nginx.conf" <<CONF
pid $dir/nginx.pid;
error_log $dir/error.log;
events {}
http {
  access_log off;
  client_body_temp_path $dir;
  server {
    listen 127.0.0.1:8089;
    ${snippet//\/var\/www/$dir/www}
  }
}
CONF
nginx -t -c "$dir/nginx.conf"
