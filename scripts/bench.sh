#!/usr/bin/env bash
# Benchmarks gapbundle against the stock tools on the same data in the same run, and prints
# ratios (not absolute times: these machines are shared and noisy). Not a test.
# Usage: scripts/bench.sh [--runs N] [--image-mb N] [--bin PATH] [--json FILE]
#   --runs N       pairs per scenario, run A B A B … (default 3); medians are compared
#   --image-mb N   size of the benchmark image (default 240, in 8 layers)
#   --bin PATH     a gapbundle binary to measure (default: build a Release one in build-release/)
#   --json FILE    where the figures go as JSON (default bench-results.json in the current folder)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/lib.sh"

runs=3 image_mb=240 bin="" json_out="$PWD/bench-results.json"
while (($#)); do
  case $1 in
    --runs) runs=$2; shift ;;
    --image-mb) image_mb=$2; shift ;;
    --bin) bin=$2; shift ;;
    --json) json_out=$2; shift ;;
    *) sed -n '2,9p' "$0" >&2; exit 2 ;;
  esac
  shift
done

if [[ -z $bin ]]; then
  "$root/scripts/setup.sh" --deps-only
  cmake -S "$root" -B "$root/build-release" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$root/build-release" -j "$(nproc)" --target gapbundle >/dev/null
  bin="$root/build-release/src/cli/gapbundle"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/gapbundle-bench.XXXXXX")
cleanup() { stop_registry "$work" registry; rm -rf "$work"; }
trap cleanup EXIT
results="$work/results.tsv"
: >"$results"

# measure NAME SIDE RESET COMMAND: runs RESET (untimed), then COMMAND under GNU time; appends
# "NAME SIDE seconds max-rss-kb" to the results.
measure() {
  local name=$1 side=$2 reset=$3 command=$4
  bash -c "$reset"
  /usr/bin/time -f '%e %M' -o "$work/time.out" bash -c "$command" >"$work/last.out" 2>"$work/last.err" || {
    echo "bench: $name ($side) failed:" >&2; cat "$work/last.err" >&2; exit 1; }
  printf '%s\t%s\t%s\n' "$name" "$side" "$(cat "$work/time.out")" >>"$results"
}

# pair NAME RESET GAPBUNDLE_COMMAND REFERENCE_COMMAND: `runs` pairs, alternating.
pair() {
  local i
  for ((i = 0; i < runs; i++)); do
    measure "$1" gapbundle "$2" "$3"
    measure "$1" reference "$2" "$4"
  done
}

echo "bench: building a ${image_mb} MB image in 8 layers with umoci, in a loopback registry" >&2
port=$(free_port)
start_registry "$work" registry "$port"
layout="$work/layout" rootfs="$work/rootfs"
umoci init --layout "$layout"
umoci new --image "$layout:big"
for layer in 1 2 3 4 5 6 7 8; do
  umoci unpack --rootless --image "$layout:big" "$rootfs" >/dev/null
  head -c $((image_mb * 1024 * 1024 / 8)) /dev/urandom >"$rootfs/rootfs/layer-$layer.bin"
  umoci repack --image "$layout:big" "$rootfs" >/dev/null
  rm -rf "$rootfs"
done
skopeo copy --quiet --preserve-digests --dest-tls-verify=false "oci:$layout:big" "docker://127.0.0.1:$port/bench/big:1"
"$bin" keygen --out "$work/key" >/dev/null
cat >"$work/images.yaml" <<YAML
apiVersion: gapbundle/v1
name: bench
images:
  - 127.0.0.1:$port/bench/big:1
registries:
  "127.0.0.1:$port": { insecure: true }
YAML

echo "bench: image pull into the store, $runs pairs" >&2
pair image-pull "rm -rf '$work/cache' '$work/oci-copy'" \
  "'$bin' -q fetch '$work/images.yaml' --cache-dir '$work/cache' --jobs 8" \
  "skopeo copy --quiet --src-tls-verify=false docker://127.0.0.1:$port/bench/big:1 oci:'$work/oci-copy':big"

echo "bench: a second pack of the same manifest" >&2
"$bin" -q fetch "$work/images.yaml" --cache-dir "$work/cache" >/dev/null
"$bin" --json pack "$work/images.yaml" --key "$work/key.key" -o "$work/again.tar" --compression none \
  --cache-dir "$work/cache" >"$work/again.json"
again_bytes=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["bytes_downloaded"])' "$work/again.json")

python3 - "$results" "$json_out" "$again_bytes" <<'PY'
import json, statistics, sys
rows = [line.split("\t") for line in open(sys.argv[1]).read().splitlines()]
scenarios = {}
for name, side, timing in rows:
    seconds, rss = timing.split()
    s = scenarios.setdefault(name, {"gapbundle": [], "reference": [], "rss_kb": []})
    s[side].append(float(seconds))
    if side == "gapbundle":
        s["rss_kb"].append(int(rss))
bars = {"image-pull": ("skopeo copy docker:// oci:", 1.0)}
report = {}
print(f"{'scenario':<14} {'gapbundle s':>12} {'reference s':>12} {'ratio':>7} {'bar':>6} {'peak RSS':>10}  reference")
for name, s in scenarios.items():
    ours, theirs = statistics.median(s["gapbundle"]), statistics.median(s["reference"])
    ratios = [a / b for a, b in zip(s["gapbundle"], s["reference"]) if b > 0]
    ratio = statistics.median(ratios)
    label, bar = bars[name]
    rss_mb = max(s["rss_kb"]) / 1024
    print(f"{name:<14} {ours:>12.2f} {theirs:>12.2f} {ratio:>7.2f} {bar:>6.2f} {rss_mb:>8.0f} MB  {label}")
    report[name] = {"gapbundle_median_s": ours, "reference_median_s": theirs, "ratio_median": ratio,
                    "ratios": ratios, "bar": bar, "meets_bar": ratio <= bar, "peak_rss_mb": rss_mb,
                    "reference": label}
report["second-pack"] = {"bytes_downloaded": int(sys.argv[3])}
print(f"second pack of the same manifest downloaded {sys.argv[3]} bytes")
json.dump(report, open(sys.argv[2], "w"), indent=2)
print(f"figures written to {sys.argv[2]}")
PY
