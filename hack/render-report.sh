#!/usr/bin/env bash
# The visual check of the report (docs/report.md): renders the report of examples/national-plan
# as HTML and as PDF, and turns both into PNG pictures to look at:
#   national-plan.html, national-plan.png      the HTML page in headless Chromium (top of the page)
#   national-plan.pdf, page-01.png ...         the PDF and each of its A4 pages (pdftoppm)
#
#   hack/render-report.sh                           writes /tmp/concord-report/
#   LOCALE=fr OUT=/tmp/r hack/render-report.sh      the French number and date formats
#   AT=2026-11-21T00:00:00Z DPI=110 WIDTH=1280 HEIGHT=4000 CHROMIUM=/usr/bin/chromium hack/render-report.sh
#
# Needs Chromium and poppler-utils; on Debian: apt-get install -y chromium poppler-utils.
# Not part of `make test`: the PDF tests of `make test` check the file (A4 pages, header, footer);
# this script is for looking at it. concordctl is built into OUT, not into bin/ (a shared directory).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
AT="${AT:-2026-11-21T00:00:00Z}"
OUT="${OUT:-/tmp/concord-report}"
LOCALE="${LOCALE:-en}"
DPI="${DPI:-80}"
WIDTH="${WIDTH:-1280}"
HEIGHT="${HEIGHT:-4000}"
CHROMIUM="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)}"
if [[ -z "$CHROMIUM" ]]; then
  echo "Chromium not found: install it (apt-get install -y chromium) or set CHROMIUM" >&2
  exit 1
fi
if ! command -v pdftoppm >/dev/null; then
  echo "pdftoppm not found: install poppler-utils (apt-get install -y poppler-utils)" >&2
  exit 1
fi

mkdir -p "$OUT"
rm -f "$OUT"/page-*.png
go build -o "$OUT/concordctl" ./cmd/concordctl
report() { "$OUT/concordctl" report -f examples/national-plan --at "$AT" --locale "$LOCALE" "$@"; }
report --format html -o "$OUT/national-plan.html"
report --format pdf --chromium "$CHROMIUM" -o "$OUT/national-plan.pdf"

# The page as a browser shows it. The page is self-contained (inline CSS and SVG, no script, a
# Content-Security-Policy that allows nothing else), so Chromium needs no network.
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
sandbox=()
[[ "$(id -u)" == 0 ]] && sandbox=(--no-sandbox) # Chromium refuses to run as root with its sandbox
"$CHROMIUM" --headless --disable-gpu --disable-quic --no-first-run "${sandbox[@]}" \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$profile" --hide-scrollbars \
  --screenshot="$OUT/national-plan.png" --window-size="$WIDTH,$HEIGHT" \
  "file://$OUT/national-plan.html" 2> >(grep -v -e dbus -e Fontconfig -e 'unexpected operator' >&2 || true)

# Every page of the PDF.
pdftoppm -r "$DPI" -png "$OUT/national-plan.pdf" "$OUT/page"

pages=$(ls "$OUT"/page-*.png | wc -l)
echo "HTML: $OUT/national-plan.html, its picture $OUT/national-plan.png (${WIDTH}x${HEIGHT})"
echo "PDF:  $OUT/national-plan.pdf, $pages A4 pages: $OUT/page-01.png ... (${DPI} dpi)"
echo "Look at them as docs/report.md says (section 'The visual check')."
