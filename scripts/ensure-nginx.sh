#!/usr/bin/env bash
# nginx for the benchmark's load test of app replicas behind one port (as in
# docs/deploy.md): Debian's nginx-light, installed when missing (as root).
# Prints the binary's path.
set -euo pipefail
for candidate in /usr/sbin/nginx /usr/local/sbin/nginx "$(command -v nginx 2>/dev/null || true)"; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then echo "$candidate"; exit 0; fi
done
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  echo "ensure-nginx: installing Debian's nginx-light" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq nginx-light >/dev/null
  # The package may start a system nginx on port 80; the benchmark runs its own.
  if command -v service >/dev/null 2>&1; then service nginx stop >/dev/null 2>&1 || true; fi
  echo /usr/sbin/nginx
  exit 0
fi
echo "ensure-nginx: no nginx found. Install it (Debian: sudo apt-get install nginx-light)." >&2
exit 1
