#!/usr/bin/env bash
# Makes sure the tools documents need are here: Tesseract with the Simplified
# and Traditional Chinese models (text recognition of scans) and poppler's
# pdftoppm (renders scanned PDF pages for it). Installed from Debian's
# registry when missing and run as root; otherwise says what to install.
set -euo pipefail

missing=()
command -v tesseract >/dev/null 2>&1 || missing+=(tesseract-ocr)
if command -v tesseract >/dev/null 2>&1; then
  langs="$(tesseract --list-langs 2>/dev/null || true)"
  grep -qx chi_sim <<<"$langs" || missing+=(tesseract-ocr-chi-sim)
  grep -qx chi_tra <<<"$langs" || missing+=(tesseract-ocr-chi-tra)
else
  missing+=(tesseract-ocr-chi-sim tesseract-ocr-chi-tra)
fi
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
[ ${#missing[@]} -eq 0 ] && exit 0

if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  echo "ensure-documents: installing Debian's ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq "${missing[@]}" >/dev/null
  exit 0
fi
echo "ensure-documents: missing ${missing[*]}. Install them (Debian/Ubuntu: sudo apt-get install ${missing[*]}; macOS: brew install tesseract tesseract-lang poppler)." >&2
exit 1
