#!/usr/bin/env bash
# Makes sure a Chromium exists for the end-to-end tests. Playwright's own
# browser download does not work on machines without general internet access,
# so Debian's chromium package is used (installed here when missing, as root).
# Chinese fonts come along on Debian, so screenshots show characters, not boxes.
set -euo pipefail

if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ] && ! fc-list :lang=zh 2>/dev/null | grep -q .; then
  echo "ensure-chromium: installing Debian's fonts-noto-cjk" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq fonts-noto-cjk >/dev/null
fi

if [ -n "${PLAYWRIGHT_CHROMIUM_PATH:-}" ] && [ -x "$PLAYWRIGHT_CHROMIUM_PATH" ]; then exit 0; fi
for candidate in /usr/bin/chromium /usr/bin/chromium-browser; do
  if [ -x "$candidate" ]; then exit 0; fi
done
# A browser that Playwright installed itself (npx playwright install) also works.
if ls "${PLAYWRIGHT_BROWSERS_PATH:-$HOME/.cache/ms-playwright}"/chromium* >/dev/null 2>&1; then exit 0; fi

if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  echo "ensure-chromium: installing Debian's chromium for the end-to-end tests" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "ensure-chromium: no Chromium found. Install one (Debian: sudo apt-get install chromium; elsewhere: npx playwright install chromium) or set PLAYWRIGHT_CHROMIUM_PATH." >&2
exit 1
