# The core scenarios of scripts/bench.sh (sourced by it: uses bin, work, runs, size_mb, root,
# measure, pair, free_port, start_nginx). A payload shaped like a bundle's (scripts/bench_payload.py)
# is packed, verified and unpacked by gapbundle and by the stock tools a user would run by hand.

echo "bench: generating a ${size_mb} MB payload (a model repo, a wheelhouse, a conda channel) and 64 files to download" >&2
python3 "$root/scripts/bench_payload.py" "$size_mb" "$work/data"
payload="$work/data/payload"
"$bin" keygen --out "$work/core-key" >/dev/null
cat >"$work/core.yaml" <<YAML
apiVersion: gapbundle/v1
name: bench-core
files:
  - url: $payload/model/
  - url: $payload/wheelhouse/
  - url: $payload/conda/
YAML
cat >"$work/small.yaml" <<YAML
apiVersion: gapbundle/v1
name: bench-small
files:
  - url: $payload/conda/
YAML
pack_core() {  # pack_core MANIFEST OUT COMPRESSION
  echo "'$bin' -q pack '$1' --key '$work/core-key.key' -o '$2' --compression $3 --cache-dir '$work/core-cache'"
}
# The stock tools see the same tree gapbundle carries: the three folders under files/.
mkdir -p "$work/tar-root/files"
for d in model wheelhouse conda; do ln -s "$payload/$d" "$work/tar-root/files/$d"; done

echo "bench: pack from a warm store, $runs pairs each" >&2
bash -c "$(pack_core "$work/core.yaml" "$work/warm.tar" none)"  # the cache holds what resolving needs
pair pack-none "rm -f '$work/core.tar'" \
  "$(pack_core "$work/core.yaml" "$work/core.tar" none)" \
  "tar -chf '$work/ref.tar' -C '$work/tar-root' files" "rm -f '$work/ref.tar'"
pair pack-zstd "rm -f '$work/core.tar.zst'" \
  "$(pack_core "$work/core.yaml" "$work/core.tar.zst" zstd)" \
  "tar -I 'zstd -T0 -3' -chf '$work/ref.tar.zst' -C '$work/tar-root' files" "rm -f '$work/ref.tar.zst'"
rm -f "$work/ref.tar" "$work/ref.tar.zst" "$work/warm.tar"

# The trees that verify-manual, unpack and small-verify create are set aside in a trash folder
# between runs, not deleted, until the core group ends. ext4 skips the inodes freed in the last
# minutes when it allocates new ones (recently_deleted: 60 s, 360 s while their inode table block
# is dirty, and each one skipped is a buffer lookup), so a run that followed the deletion of
# 22,000 files spent half its time finding inodes, on either side, and its ratio said more about
# the run before than about this one. Without room for the trees the bench deletes them and says so.
mkdir -p "$work/trash"
trash_needed_mb=$((size_mb * (5 * runs + 1) + 1024))
trash_free_mb=$(df -Pm "$work" | awk 'NR == 2 {print $4}')
if ((trash_free_mb >= trash_needed_mb)); then
  # The tree also leaves the page cache (written back first), or the trees would fill memory and
  # later runs would pay for reclaiming it.
  retire() {
    echo "if [ -e '$1' ]; then sync -f '$1' && python3 '$root/scripts/bench_evict.py' '$1' &&" \
      "mv '$1' \"\$(mktemp -d '$work/trash/run.XXXXXX')\"/; fi"
  }
else
  echo "bench: warning: ${trash_free_mb} MB free, ${trash_needed_mb} MB wanted to keep every unpacked tree until the end;" \
    "deleting them between runs instead, which slows the run after each deletion (ext4's recently_deleted)" >&2
  retire() { echo "rm -rf '$1'"; }
fi

echo "bench: verify and unpack, $runs pairs each" >&2
trust="--trust '$work/core-key.pub'"
pair verify-none ":" "'$bin' -q verify '$work/core.tar' $trust" "openssl dgst -sha256 '$work/core.tar'"
pair verify-zstd ":" "'$bin' -q verify '$work/core.tar.zst' $trust" \
  "zstd -q -dc '$work/core.tar.zst' | openssl dgst -sha256"
manual_check() {  # the manual way: extract, then check every file against the bundle's SHA256SUMS
  echo "mkdir '$work/manual' && tar -xf '$1' -C '$work/manual' && cd '$work/manual' && sha256sum --quiet -c gapbundle/SHA256SUMS"
}
pair verify-manual "$(retire "$work/manual")" "'$bin' -q verify '$work/core.tar' $trust" "$(manual_check "$work/core.tar")"
bash -c "$(retire "$work/manual")"
pair unpack "$(retire "$work/unpacked")" \
  "'$bin' -q unpack '$work/core.tar' $trust --to '$work/unpacked'" \
  "mkdir '$work/unpacked' && tar -xf '$work/core.tar' -C '$work/unpacked'"
bash -c "$(retire "$work/unpacked")"
# For comparison, not a bar: unpack makes its tree durable before moving it into place, and tar
# leaves its bytes in the page cache; here tar waits for the disk as well.
pair unpack-sync "$(retire "$work/unpacked")" \
  "'$bin' -q unpack '$work/core.tar' $trust --to '$work/unpacked'" \
  "mkdir '$work/unpacked' && tar -xf '$work/core.tar' -C '$work/unpacked' && sync -f '$work/unpacked'"
bash -c "$(retire "$work/unpacked")"

echo "bench: many small files, $runs pairs" >&2
bash -c "$(pack_core "$work/small.yaml" "$work/small.tar" none)"
pair small-verify "$(retire "$work/manual")" "'$bin' -q verify '$work/small.tar' $trust" "$(manual_check "$work/small.tar")"
bash -c "$(retire "$work/manual")"
rm -f "$work/core.tar.zst" "$work/small.tar"

echo "bench: download 64 files from a loopback nginx, --jobs 8, $runs pairs" >&2
files_port=$(free_port)
mkdir -p "$work/files-server"
start_nginx "$work/data/downloads" "$work/files-server" "$files_port"
{
  printf 'apiVersion: gapbundle/v1\nname: bench-download\nfiles:\n'
  for f in "$work/data/downloads"/*.bin; do
    printf '  - url: http://127.0.0.1:%s/%s\n    sha256: %s\n' "$files_port" "${f##*/}" "$(openssl dgst -sha256 -r "$f" | cut -d' ' -f1)"
  done
} >"$work/download.yaml"
curl_args=()
for f in "$work/data/downloads"/*.bin; do curl_args+=(-o "'$work/curl-out/${f##*/}'" "http://127.0.0.1:$files_port/${f##*/}"); done
pair download-64 "rm -rf '$work/dl-cache' '$work/curl-out'; mkdir '$work/curl-out'" \
  "'$bin' -q fetch '$work/download.yaml' --cache-dir '$work/dl-cache' --jobs 8" \
  "curl -sS --fail --parallel --parallel-max 8 ${curl_args[*]}"

# The second pack is a delta on the first (pack --base): the nightly cycle, where last night's
# bundle is already inside. Night 1 and night 2 get their own SOURCE_DATE_EPOCH, a day apart, so
# that night 2's serial is the later one however fast the two runs follow each other.
echo "bench: a second pack (a delta, --base) of an unchanged manifest against the first, $runs pairs" >&2
for ((i = 0; i < runs; i++)); do
  measure second-pack reference "rm -rf '$work/dl-cache' '$work/dl.tar'" \
    "SOURCE_DATE_EPOCH=1767225600 '$bin' -q pack '$work/download.yaml' --key '$work/core-key.key' -o '$work/dl.tar' --compression none --cache-dir '$work/dl-cache' --jobs 8"
  measure second-pack gapbundle "rm -f '$work/dl2.tar'" \
    "SOURCE_DATE_EPOCH=1767312000 '$bin' -q pack '$work/download.yaml' --key '$work/core-key.key' -o '$work/dl2.tar' --compression none --cache-dir '$work/dl-cache' --jobs 8 --base '$work/dl.tar'"
done
rm -f "$work/dl2.tar"
rm -f "$work/dl.tar"
"$bin" --json pack "$work/download.yaml" --key "$work/core-key.key" -o "$work/dl.tar" --compression none \
  --cache-dir "$work/dl-cache" >"$work/dl-again.json"
stop_nginx "$work/files-server"
again_bytes=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["bytes_downloaded"])' "$work/dl-again.json")
python3 - "$work/data" "$size_mb" >"$work/core-facts.json" <<'PY'
import json, os, sys
def tree(path):
    files = [os.path.join(d, f) for d, _, names in os.walk(path) for f in names]
    return {"files": len(files), "bytes": sum(os.path.getsize(f) for f in files)}
root = sys.argv[1]
print(json.dumps({"size_mb": int(sys.argv[2]),
                  **{name: tree(os.path.join(root, "payload", name)) for name in ("model", "wheelhouse", "conda")},
                  "downloads": tree(os.path.join(root, "downloads"))}))
PY
rm -rf "$work/data" "$work/dl-cache" "$work/dl.tar" "$work/core-cache" "$work/core.tar" "$work/trash" \
  "$work/unpacked" "$work/manual"
