#!/usr/bin/env bash
# Renders the HTML report of examples/national-plan in headless Chromium, as a manual check of
# what `concordctl report --format html` looks like (layout, charts, suppressed cells).
# Not part of `make test`: Chromium is not on CI machines by default. On Debian:
#   apt-get install -y chromium
#
#   hack/render-report.sh                 writes bin/report/national-plan.{html,png}
#   AT=2026-11-21T00:00:00Z OUT=/tmp/r hack/render-report.sh
#   CHROMIUM=/usr/bin/chromium-browser WIDTH=1280 HEIGHT=4000 hack/render-report.sh
#
# The page is self-contained (inline CSS and SVG, no script, a Content-Security-Policy that
# allows nothing else), so Chromium needs no network; the flags below keep it from trying.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
AT="${AT:-2026-11-21T00:00:00Z}"
OUT="${OUT:-$root/bin/report}"
WIDTH="${WIDTH:-1280}"
HEIGHT="${HEIGHT:-4000}"
CHROMIUM="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)}"
if [[ -z "$CHROMIUM" ]]; then
  echo "Chromium not found: install it (apt-get install -y chromium) or set CHROMIUM" >&2
  exit 1
fi

mkdir -p "$OUT" "$root/bin"
go build -o "$root/bin/concordctl" ./cmd/concordctl
"$root/bin/concordctl" report -f examples/national-plan --at "$AT" --format html -o "$OUT/national-plan.html"

profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
"$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$profile" --hide-scrollbars \
  --screenshot="$OUT/national-plan.png" --window-size="$WIDTH,$HEIGHT" \
  "file://$OUT/national-plan.html" 2> >(grep -v -e 'dbus' -e 'Fontconfig' >&2 || true)

echo "HTML: $OUT/national-plan.html"
echo "PNG:  $OUT/national-plan.png (${WIDTH}x${HEIGHT}); open it and look at the charts and tables"
