#!/usr/bin/env bash
# Benchmarks gapbundle against the stock tools on the same data in the same run, and prints
# ratios (not absolute times: these machines are shared and noisy). Not a test.
# Usage: scripts/bench.sh [--runs N] [--size-mb N] [--image-mb N] [--pip-packages N] [--hf-mb N]
#                         [--conda-records N] [--only LIST] [--bin PATH] [--hub-serve PATH] [--json FILE]
#   --runs N           pairs per scenario, run A B A B … (default 3); medians are compared
#   --size-mb N        size of the core scenarios' payload (default 3072: a model repo, a
#                      wheelhouse, a conda channel), plus a third of it in 64 files to download
#   --image-mb N       size of the benchmark image (default 240, in 8 layers)
#   --pip-packages N   size of the generated Python dependency graph (default 150 projects)
#   --hf-mb N          size of the LFS file of hf-download (default 1024); 0: tiny-model's 2 MiB file
#   --conda-records N  records in the generated linux-64 repodata of conda-solve (default 100000)
#   --only LIST        scenarios to run, comma-separated: core (pack, verify, unpack, download,
#                      second pack, small files), image (image-pull and its second pack),
#                      pip (pip-download), hf (hf-download), conda (conda-solve);
#                      default core,image,pip,hf,conda
#   --bin PATH         a gapbundle binary to measure (default: build a Release one in build-release/)
#   --hub-serve PATH   the loopback Hub program (default: build hub_test_serve in build-release/)
#   --json FILE        where the figures go as JSON (default bench-results.json in the current folder)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/lib.sh"

usage() { sed -n '2,19p' "$0" >&2; exit 2; }
runs=3 size_mb=3072 image_mb=240 pip_packages=150 hf_mb=1024 conda_records=100000
only=core,image,pip,hf,conda bin="" hub_serve=""
json_out="$PWD/bench-results.json"
while (($#)); do
  (($# >= 2)) || usage
  case $1 in
    --runs) runs=$2 ;;
    --size-mb) size_mb=$2 ;;
    --image-mb) image_mb=$2 ;;
    --pip-packages) pip_packages=$2 ;;
    --hf-mb) hf_mb=$2 ;;
    --conda-records) conda_records=$2 ;;
    --only) only=$2 ;;
    --bin) bin=$2 ;;
    --hub-serve) hub_serve=$2 ;;
    --json) json_out=$2 ;;
    *) usage ;;
  esac
  shift 2
done
[[ $hf_mb =~ ^[0-9]+$ && $size_mb =~ ^[1-9][0-9]*$ && $runs =~ ^[1-9][0-9]*$ && $conda_records =~ ^[1-9][0-9]*$ ]] || usage
run_core=0 run_image=0 run_pip=0 run_hf=0 run_conda=0
for scenario in ${only//,/ }; do
  case $scenario in
    core) run_core=1 ;;
    image) run_image=1 ;;
    pip) run_pip=1 ;;
    hf) run_hf=1 ;;
    conda) run_conda=1 ;;
    *) echo "bench: --only takes core, image, pip, hf and conda, not '$scenario'" >&2; exit 2 ;;
  esac
done
((run_core || run_image || run_pip || run_hf || run_conda)) || usage

targets=()
[[ -z $bin ]] && targets+=(gapbundle)
[[ -z $hub_serve ]] && ((run_hf)) && targets+=(hub_test_serve)
if ((${#targets[@]})); then
  "$root/scripts/setup.sh" --deps-only
  cmake -S "$root" -B "$root/build-release" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$root/build-release" -j "$(nproc)" --target "${targets[@]}" >/dev/null
  [[ -z $bin ]] && bin="$root/build-release/src/cli/gapbundle"
  [[ -z $hub_serve ]] && hub_serve="$root/build-release/tests/hub_test_serve"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/gapbundle-bench.XXXXXX")
cleanup() {
  stop_hub "$work"; stop_registry "$work" registry; stop_nginx "$work/pypi-server"; stop_nginx "$work/files-server"
  stop_nginx "$work/conda-server"
  rm -rf "$work"
}
trap cleanup EXIT
export GAPBUNDLE_STATE_DIR="$work/state"  # unpack's channel state: not the machine's
results="$work/results.tsv"
: >"$results"

# measure NAME SIDE RESET COMMAND: runs RESET (untimed), then COMMAND under GNU time; appends
# "NAME SIDE seconds max-rss-kb" to the results. The sync (untimed) flushes what the run before
# left dirty, so that no run pays for the previous one's writes (a pack or a tar -x leaves
# gigabytes for the kernel to write back).
measure() {
  local name=$1 side=$2 reset=$3 command=$4
  bash -c "$reset"
  sync
  /usr/bin/time -f '%e %M' -o "$work/time.out" bash -c "$command" >"$work/last.out" 2>"$work/last.err" || {
    echo "bench: $name ($side) failed:" >&2; cat "$work/last.err" >&2; exit 1; }
  printf '%s\t%s\t%s\n' "$name" "$side" "$(cat "$work/time.out")" >>"$results"
}

# pair NAME RESET GAPBUNDLE_COMMAND REFERENCE_COMMAND [REFERENCE_RESET]: `runs` pairs,
# alternating; RESET runs before each command, or before gapbundle's only when REFERENCE_RESET
# is given for the reference's.
pair() {
  local i
  for ((i = 0; i < runs; i++)); do
    measure "$1" gapbundle "$2" "$3"
    measure "$1" reference "${5:-$2}" "$4"
  done
}

again_bytes=""
if ((run_core)); then
  source "$root/scripts/bench_core.sh"
fi

if ((run_image)); then
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
fi

if ((run_pip)); then
  # A generated dependency graph (layers, diamonds, extras, markers, a few yanked and pre-release
  # versions, some cp311 manylinux wheels), served as PEP 691 JSON by a loopback nginx.
  echo "bench: resolve and download from a Python index of about $pip_packages projects, $runs pairs" >&2
  py=/usr/bin/python3
  "$py" "$root/tests/tools/pypi_index.py" graph "$pip_packages" 42 "$work/pypi-spec.json"
  "$py" "$root/tests/tools/pypi_index.py" build "$work/pypi-spec.json" "$work/pypi-index"
  pip_port=$(free_port)
  mkdir -p "$work/pypi-server"
  start_simple_index "$work/pypi-index" "$work/pypi-server" "$pip_port" json
  mapfile -t pip_roots < <("$py" -c 'import json, sys; print("\n".join(json.load(open(sys.argv[1]))["roots"]))' "$work/pypi-spec.json")
  cat >"$work/pip.yaml" <<YAML
apiVersion: gapbundle/v1
name: bench-pip
pip:
  index: http://127.0.0.1:$pip_port/simple
  target: { python: "3.11", platforms: [manylinux_2_28_x86_64] }
  requirements: [$(printf '"%s", ' "${pip_roots[@]}" | sed 's/, $//')]
YAML
  # pip 23.0 does not widen --platform manylinux_2_28 to the older glibc tags as gapbundle does,
  # so it also gets manylinux_2_17 (the graph's wheels) to see the same files. No PIP_* variable,
  # pip.conf or pip cache takes part (env -u, --isolated, --no-cache-dir, a fresh -d folder).
  pip_env=(env)
  for v in $(compgen -e | grep '^PIP_' || true); do pip_env+=(-u "$v"); done
  pair pip-download "rm -rf '$work/pip-cache' '$work/pip-dl'" \
    "'$bin' -q --json fetch '$work/pip.yaml' --cache-dir '$work/pip-cache' --jobs 8 >'$work/pip-fetch.json'" \
    "${pip_env[*]} $py -m pip download -q --isolated --no-cache-dir --disable-pip-version-check \
       --only-binary=:all: --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 \
       --python-version 3.11 --implementation cp --index-url http://127.0.0.1:$pip_port/simple \
       -d '$work/pip-dl' ${pip_roots[*]}"
  stop_nginx "$work/pypi-server"
  "$py" - "$work/pypi-spec.json" "$work/pip-fetch.json" "$work/pip-dl" "$("$py" -m pip --version | cut -d' ' -f2)" \
    >"$work/pip-facts.json" <<'PY'
import json, os, sys
spec = json.load(open(sys.argv[1]))
fetched = json.load(open(sys.argv[2]))
print(json.dumps({"projects": len(spec["projects"]), "roots": spec["roots"], "seed": 42,
                  "wheels_downloaded": {"gapbundle": fetched["downloaded"],
                                        "reference": len([f for f in os.listdir(sys.argv[3]) if f.endswith(".whl")])},
                  "pip_version": sys.argv[4]}))
PY
fi

if ((run_hf)); then
  # One LFS file, downloaded by its resolve URL: the Hub answers 302 to its storage host, which
  # serves the bytes (both loopback, the file held in memory). gapbundle also asks the
  # revision-info API first and hashes the file (sha256) as it streams to the cache; curl does
  # neither. --hf-mb 0 takes tiny-model's 2 MiB model.safetensors (a check of the mechanics with
  # a hub_test_serve that has no --big-file-mb).
  if ((hf_mb > 0)); then
    hf_repo=gapbundle-test/big-model
    echo "bench: a loopback Hugging Face Hub with a ${hf_mb} MiB LFS file, $runs pairs" >&2
    start_hub "$hub_serve" "$work" --big-file-mb "$hf_mb"
  else
    hf_repo=gapbundle-test/tiny-model
    echo "bench: a loopback Hugging Face Hub, tiny-model's 2 MiB LFS file, $runs pairs" >&2
    start_hub "$hub_serve" "$work"
  fi
  hf_url="$hub_endpoint/$hf_repo/resolve/main/model.safetensors"
  curl -fsS -o /dev/null "$hub_endpoint/api/models/$hf_repo" || {
    echo "bench: the loopback Hub has no $hf_repo: $hub_serve predates --big-file-mb (rebuild hub_test_serve, or use --hf-mb 0)" >&2
    exit 1; }
  cat >"$work/hf.yaml" <<YAML
apiVersion: gapbundle/v1
name: bench-hf
huggingface:
  endpoint: $hub_endpoint
  repos:
    - repo: $hf_repo
      allow: [model.safetensors]
YAML
  # hf-download: files of 64 MiB and more come as parallel 16 MiB ranges (the default);
  # hf-download-1: one request per file (--range-mib 0), as curl does.
  pair hf-download "rm -rf '$work/hf-cache' '$work/hf-curl.bin'" \
    "'$bin' -q fetch '$work/hf.yaml' --cache-dir '$work/hf-cache'" \
    "curl -sS -L -o '$work/hf-curl.bin' '$hf_url'"
  pair hf-download-1 "rm -rf '$work/hf-cache' '$work/hf-curl.bin'" \
    "'$bin' -q fetch '$work/hf.yaml' --cache-dir '$work/hf-cache' --range-mib 0" \
    "curl -sS -L -o '$work/hf-curl.bin' '$hf_url'"
  hf_bytes=$(stat -c %s "$work/hf-curl.bin")
  hf_sha256=$(sha256sum <"$work/hf-curl.bin" | cut -d' ' -f1)
  # The same bytes on both sides (the last reset emptied gapbundle's cache: one more fetch,
  # untimed; the cache is content-addressed by sha256).
  "$bin" -q fetch "$work/hf.yaml" --cache-dir "$work/hf-cache" >/dev/null
  cmp -s "$work/hf-curl.bin" "$work/hf-cache/blobs/sha256/$hf_sha256" || {
    echo "bench: gapbundle's cache does not hold the file curl downloaded (sha256 $hf_sha256)" >&2; exit 1; }
  stop_hub "$work"
  python3 -c 'import json, sys; print(json.dumps({"repo": sys.argv[1], "file": "model.safetensors",
    "bytes": int(sys.argv[2]), "sha256": sys.argv[3], "curl_version": sys.argv[4]}))' \
    "$hf_repo" "$hf_bytes" "$hf_sha256" "$(curl --version | head -n 1 | cut -d' ' -f2)" >"$work/hf-facts.json"
fi

if ((run_conda)); then
  # A generated channel of conda-forge's size class (scripts/bench_conda_repodata.py), served by a
  # loopback nginx. Every record has sha256 and size, so lock downloads no package: each run
  # fetches the repodata into an empty cache, decompresses, parses and solves. The reference does
  # what any conda client does before it solves: fetch, decompress and parse the same file.
  echo "bench: lock against a generated conda channel of $conda_records records, $runs pairs" >&2
  python3 "$root/scripts/bench_conda_repodata.py" "$conda_records" "$work/conda-site/chan" "$work/conda-specs.json"
  for f in "$work"/conda-site/chan/*/repodata.json; do zstd -q -3 -T0 "$f" -o "$f.zst"; done
  conda_port=$(free_port)
  mkdir -p "$work/conda-server"
  start_nginx "$work/conda-site" "$work/conda-server" "$conda_port"
  channel="http://127.0.0.1:$conda_port/chan"
  cat >"$work/conda.yaml" <<YAML
apiVersion: gapbundle/v1
name: bench-conda
conda:
  channels: [$channel]
  subdirs: [linux-64]
  virtual_packages: { __glibc: "2.28", __unix: "0", __linux: "5.15" }
  specs: $(cat "$work/conda-specs.json")
YAML
  pair conda-solve "rm -rf '$work/conda-cache' '$work/conda.lock.json'" \
    "'$bin' -q lock '$work/conda.yaml' --cache-dir '$work/conda-cache' -o '$work/conda.lock.json'" \
    "set -o pipefail; curl -fsS '$channel/linux-64/repodata.json.zst' | zstd -dc | python3 -c 'import json,sys; json.load(sys.stdin)'" \
    true
  stop_nginx "$work/conda-server"
  if grep -E '\.(conda|tar\.bz2) HTTP' "$work/conda-server/nginx-access.log" >&2; then
    echo "bench: lock downloaded package files (above); conda-solve should fetch only repodata" >&2; exit 1
  fi
  python3 - "$work/conda-site/chan/linux-64/repodata.json" "$work/conda.lock.json" "$work/conda-specs.json" \
    >"$work/conda-facts.json" <<'PY'
import json, sys
repodata = json.load(open(sys.argv[1]))
lock = json.load(open(sys.argv[2]))
solved = [a for a in lock["artifacts"] if a.get("kind") == "conda" and a["bundle_path"].endswith((".conda", ".tar.bz2"))]
print(json.dumps({"records": len(repodata["packages"]) + len(repodata["packages.conda"]),
                  "packages_solved": len(solved), "specs": json.load(open(sys.argv[3]))}))
PY
fi

python3 - "$results" "$json_out" "$again_bytes" "$work/pip-facts.json" "$work/hf-facts.json" "$work/core-facts.json" \
  "$work/conda-facts.json" <<'PY'
import json, os, statistics, sys
rows = [line.split("\t") for line in open(sys.argv[1]).read().splitlines()]
scenarios = {}
for name, side, timing in rows:
    seconds, rss = timing.split()
    s = scenarios.setdefault(name, {"gapbundle": [], "reference": [], "rss_kb": []})
    s[side].append(float(seconds))
    if side == "gapbundle":
        s["rss_kb"].append(int(rss))
# name: (reference, bar, strict): the ratio must be <= bar, or < bar when strict.
bars = {"pack-none": ("tar -chf of the same tree", 1.2, False),
        "pack-zstd": ("tar -I 'zstd -T0 -3' -chf of the same tree", 1.1, False),
        "verify-none": ("openssl dgst -sha256 BUNDLE", 1.15, False),
        "verify-zstd": ("zstd -dc BUNDLE | openssl dgst -sha256", 1.0, False),
        "verify-manual": ("tar -xf BUNDLE + sha256sum -c (4x faster: 0.25)", 0.25, False),
        "unpack": ("tar -xf BUNDLE", 1.3, False),
        "unpack-sync": ("tar -xf BUNDLE && sync -f TREE", None, False),  # no bar: for comparison
        "small-verify": ("tar -xf + sha256sum -c, conda channel only (0.25)", 0.25, False),
        "download-64": ("curl --parallel --parallel-max 8", 1.1, False),
        "second-pack": ("the first pack, into an empty cache; the second is a delta on it (--base)", 0.1, False),
        "image-pull": ("skopeo copy docker:// oci:", 1.0, False),
        "pip-download": ("pip download --only-binary=:all: --platform ...", 1.0, True),
        "hf-download": ("curl -sS -L -o FILE RESOLVE-URL", 1.11, False),
        "hf-download-1": ("curl -sS -L -o FILE RESOLVE-URL", None, False),  # no bar: for comparison
        "conda-solve": ("curl .../repodata.json.zst | zstd -dc | python3 json.load (no solve)", None, False)}
# name: seconds: gapbundle's median must be under it, whatever the reference took (issue 8's bar).
absolute_bars = {"conda-solve": 5.0}
report = {}
print(f"{'scenario':<14} {'gapbundle s':>12} {'reference s':>12} {'ratio':>7} {'bar':>6} {'peak RSS':>10}  reference")
for name, s in scenarios.items():
    ours, theirs = statistics.median(s["gapbundle"]), statistics.median(s["reference"])
    ratios = [a / b for a, b in zip(s["gapbundle"], s["reference"]) if b > 0]
    ratio = statistics.median(ratios)
    label, bar, strict = bars[name]
    rss_mb = max(s["rss_kb"]) / 1024
    shown_bar = "-" if bar is None else f"{bar:.2f}"
    meets = None if bar is None else (ratio < bar if strict else ratio <= bar)
    if name in absolute_bars:
        shown_bar, meets = f"<{absolute_bars[name]:.1f}s", ours < absolute_bars[name]
    print(f"{name:<14} {ours:>12.2f} {theirs:>12.2f} {ratio:>7.2f} {shown_bar:>6} {rss_mb:>8.0f} MB  {label}")
    report[name] = {"gapbundle_median_s": ours, "reference_median_s": theirs, "ratio_median": ratio,
                    "ratios": ratios, "bar": bar, "bar_strict": strict,
                    "meets_bar": meets, "peak_rss_mb": rss_mb,
                    "reference": label}
    if name in absolute_bars:
        report[name]["absolute_bar_s"] = absolute_bars[name]
if sys.argv[3]:
    report.setdefault("second-pack", {})["bytes_downloaded"] = int(sys.argv[3])
    print(f"second pack of the same manifest downloaded {sys.argv[3]} bytes")
if os.path.exists(sys.argv[4]):
    facts = json.load(open(sys.argv[4]))
    report["pip-download"].update(facts)
    wheels = facts["wheels_downloaded"]
    print(f"pip-download: {facts['projects']} projects, roots {' '.join(facts['roots'])}; wheels: "
          f"gapbundle {wheels['gapbundle']}, pip {facts['pip_version']} {wheels['reference']} "
          "(each resolver picks its own versions)")
if os.path.exists(sys.argv[5]):
    facts = json.load(open(sys.argv[5]))
    report["hf-download"].update(facts)
    print(f"hf-download: {facts['repo']} {facts['file']}, {facts['bytes'] / 2**20:.0f} MiB, curl {facts['curl_version']}")
if os.path.exists(sys.argv[6]):
    facts = json.load(open(sys.argv[6]))
    report["core"] = facts
    print("core payload: " + ", ".join(f"{k} {v['files']} files {v['bytes'] / 2**20:.0f} MiB"
                                       for k, v in facts.items() if isinstance(v, dict)))
if os.path.exists(sys.argv[7]):
    facts = json.load(open(sys.argv[7]))
    report["conda-solve"].update(facts)
    print(f"conda-solve: {facts['records']} records in linux-64, {facts['packages_solved']} packages solved "
          f"(bar: gapbundle under {absolute_bars['conda-solve']:.1f} s, "
          f"{'met' if report['conda-solve']['meets_bar'] else 'NOT met'})")
print(f"peak RSS of any gapbundle run: {max(r['peak_rss_mb'] for r in report.values() if 'peak_rss_mb' in r):.0f} MB")
json.dump(report, open(sys.argv[2], "w"), indent=2)
print(f"figures written to {sys.argv[2]}")
PY
