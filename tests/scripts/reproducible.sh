#!/usr/bin/env bash
# Same lock + same cache + SOURCE_DATE_EPOCH → byte-identical bundle, compressed or not.
source "$(dirname "$0")/common.sh"
make_local_manifest "$work"
"$bin" -q keygen --out "$work/k" >/dev/null
export SOURCE_DATE_EPOCH=1700000000
"$bin" -q lock "$work/manifest.yaml" -o "$work/lock.json" --cache-dir "$work/cache" >/dev/null

for ext in tar tar.zst; do
  "$bin" -q pack "$work/manifest.yaml" --key "$work/k.key" --lock "$work/lock.json" -o "$work/one.$ext" --cache-dir "$work/cache" >/dev/null
  mkdir -p "$work/elsewhere"
  (cd "$work/elsewhere" && "$bin" -q pack ../manifest.yaml --key ../k.key --lock ../lock.json -o "two.$ext" --cache-dir ../cache >/dev/null)
  cmp "$work/one.$ext" "$work/elsewhere/two.$ext" || fail "$ext: two packs of the same lock differ"
  # Without --lock the manifest resolves to the same lock, so the same bytes again.
  "$bin" -q pack "$work/manifest.yaml" --key "$work/k.key" -o "$work/three.$ext" --cache-dir "$work/cache" >/dev/null
  cmp "$work/one.$ext" "$work/three.$ext" || fail "$ext: pack without --lock differs from pack --lock"
done
# A different SOURCE_DATE_EPOCH gives a different bundle (the time is really in it).
SOURCE_DATE_EPOCH=1700000001 "$bin" -q pack "$work/manifest.yaml" --key "$work/k.key" -o "$work/four.tar" --cache-dir "$work/cache" >/dev/null
if cmp -s "$work/one.tar" "$work/four.tar"; then fail "SOURCE_DATE_EPOCH has no effect"; fi
# Entries carry uid/gid 0, no user names, the fixed mtime.
TZ=UTC tar --numeric-owner -tvf "$work/one.tar" | awk '{print $2, $4, $5}' | sort -u >"$work/owners"
[[ "$(cat "$work/owners")" == "0/0 2023-11-14 22:13" ]] || { cat "$work/owners" >&2; fail "entries do not all carry 0/0 and the fixed mtime"; }
echo "reproducibility: 3 passed, 0 failed"
