#!/usr/bin/env bash
# Renders the first page of each kind of PDF in a built site to PNG, to look at.
#   scripts/pdf-previews.sh [OUTPUT_DIR] [PREVIEW_DIR]
set -euo pipefail
out="${1:-output}"
dest="${2:-/tmp/sitegen-pdf-previews}"
mkdir -p "$dest"
year=$(ls "$out" | grep -E '^[0-9]{4}$' | sort | head -n 1)   # the oldest year: the complete one
branch=$(ls "$out/$year/pdf/b" | head -n 1)
for f in "$out/$year/pdf/b/$branch"/*.pdf "$out/$year/pdf/stats1.pdf" "$out/$year/pdf/stats2.pdf"; do
  [ -f "$f" ] || continue
  name="$(basename "$(dirname "$f")")-$(basename "$f" .pdf)"
  pdftoppm -r 70 -png -f 1 -l 1 -singlefile "$f" "$dest/$name"
  echo "$dest/$name.png"
done
