#!/usr/bin/env bash
# A bundle can be checked with tar, openssl and sha256sum alone (docs/bundle-format.md).
source "$(dirname "$0")/common.sh"
make_local_manifest "$work"
"$bin" -q keygen --out "$work/k" >/dev/null

for out in b.tar b.tar.zst; do
  "$bin" -q pack "$work/manifest.yaml" --key "$work/k.key" -o "$work/$out" --cache-dir "$work/cache" >/dev/null
  x="$work/x-$out"
  mkdir "$x"
  if [[ $out == *.zst ]]; then tar --zstd -xf "$work/$out" -C "$x"; else tar -xf "$work/$out" -C "$x"; fi
  sig_of "$x" 0 >"$work/sig"
  openssl pkeyutl -verify -pubin -inkey "$work/k.pub" -rawin -in "$x/gapbundle/index.json" -sigfile "$work/sig" >/dev/null \
    || fail "$out: openssl does not verify the index signature"
  (cd "$x" && sha256sum --strict --quiet -c gapbundle/SHA256SUMS) || fail "$out: sha256sum -c failed"
  # SHA256SUMS itself is bound to the signed index.
  sums_hash=$(sha256sum "$x/gapbundle/SHA256SUMS" | cut -d' ' -f1)
  grep -q "\"path\":\"gapbundle/SHA256SUMS\"" "$x/gapbundle/index.json" || fail "$out: index does not list SHA256SUMS"
  grep -q "$sums_hash" "$x/gapbundle/index.json" || fail "$out: index does not carry the hash of SHA256SUMS"
  # Every file is listed in SHA256SUMS (the SBOM too), but the index, its signatures and SHA256SUMS.
  files=$(cd "$x" && find . -type f ! -path './gapbundle/index.json*' ! -path './gapbundle/SHA256SUMS' | sed 's|^\./||' | sort)
  listed=$(sed 's/^[0-9a-f]*  //' "$x/gapbundle/SHA256SUMS" | sort)
  [[ "$files" == "$listed" ]] || fail "$out: SHA256SUMS does not list exactly the payload files"
  # A changed index no longer verifies with openssl.
  sed -i 's/shelltest/shelltesT/' "$x/gapbundle/index.json"
  if openssl pkeyutl -verify -pubin -inkey "$work/k.pub" -rawin -in "$x/gapbundle/index.json" -sigfile "$work/sig" >/dev/null 2>&1; then
    fail "$out: openssl verified a changed index"
  fi
  # A changed payload file fails sha256sum.
  printf 'changed' >>"$x/files/data/a.txt"
  if (cd "$x" && sha256sum --strict --quiet -c gapbundle/SHA256SUMS >/dev/null 2>&1); then
    fail "$out: sha256sum accepted a changed file"
  fi
done
echo "stock-tool check: 2 passed, 0 failed"
