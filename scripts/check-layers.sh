#!/usr/bin/env bash
# Fails when a layer includes a header of a layer it may not use (DESIGN.md "Layers").
# The CMake link lists already stop wrong-way calls; this also stops header-only leaks,
# such as a libcurl header in bundle/ or crypto/.
set -euo pipefail
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}

declare -A allowed=(
  [util]="util"
  [crypto]="util crypto"
  [bundle]="util crypto bundle"
  [net]="util crypto net"
  [store]="util crypto store"
  [manifest]="util crypto manifest"
  [sources]="util crypto bundle net store manifest sources"
  [ops]="util crypto bundle net store manifest sources ops"
  [report]="util crypto bundle ops report"
)
offline_layers="util crypto bundle store manifest report"

problems=0
for layer in "${!allowed[@]}"; do
  for dir in "$root/src/$layer" "$root/include/gapbundle/$layer"; do
    [[ -d $dir ]] || continue
    while IFS= read -r line; do
      file=${line%%:*}
      used=$(sed -E 's|.*<gapbundle/([a-z_]+)/.*|\1|' <<<"$line")
      if [[ " ${allowed[$layer]} " != *" $used "* ]]; then
        echo "${file#$root/}: layer '$layer' may not include gapbundle/$used" >&2
        problems=$((problems + 1))
      fi
    done < <(grep -rHn -E '#include <gapbundle/[a-z_]+/' "$dir" || true)
    if [[ " $offline_layers " == *" $layer "* ]] && grep -rHn -E '#include <curl/' "$dir" >&2; then
      echo "layer '$layer' must not include libcurl headers (the gap side stays offline)" >&2
      problems=$((problems + 1))
    fi
  done
done
if ((problems)); then
  echo "layering: 0 passed, $problems failed" >&2
  exit 1
fi
echo "layering: 1 passed, 0 failed"
