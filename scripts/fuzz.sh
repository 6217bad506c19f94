#!/usr/bin/env bash
# Runs the libFuzzer targets of fuzz/ (docs/fuzzing.md): configures and builds build-fuzz/ with
# clang++-16, makes a seed corpus in a temp folder (bundles signed by gapbundle pack with the fuzz
# key fuzz/fuzz_signer.key, their index.json files, the project's manifests, and the hostile corpus
# when its tool is built), then runs each target for N seconds. Fails naming every target that
# crashed, leaked, ran out of memory or time, or broke an invariant; its input stays under
# build-fuzz/fuzz-out/NAME/. Installs nothing: scripts/setup.sh does. Reads no stdin.
# Usage: scripts/fuzz.sh [--seconds N] [--only NAME] [--jobs N] [--bin PATH]
#   --seconds N   how long each target runs (default 60)
#   --only NAME   one target: manifest_fuzzer, index_parser_fuzzer, verify_unpack_fuzzer,
#                 conda_parser_fuzzer or helm_parser_fuzzer
#   --jobs N      build jobs (default: the number of cores)
#   --bin PATH    the gapbundle that packs the seed bundles (default build/src/cli/gapbundle)
set -euo pipefail
exec </dev/null
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

seconds=60
only=
jobs=$(nproc)
bin="$root/build/src/cli/gapbundle"
targets=(manifest_fuzzer index_parser_fuzzer verify_unpack_fuzzer conda_parser_fuzzer helm_parser_fuzzer)
usage() { echo "usage: $0 [--seconds N] [--only NAME] [--jobs N] [--bin PATH]" >&2; exit 2; }
while (($#)); do
  case $1 in
    --seconds) [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || usage; seconds=$2; shift ;;
    --only) only=${2:-}; shift ;;
    --jobs) [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || usage; jobs=$2; shift ;;
    --bin) bin=${2:-}; shift ;;
    *) usage ;;
  esac
  shift
done
if [[ -n $only ]]; then
  [[ " ${targets[*]} " == *" $only "* ]] || { echo "fuzz.sh: no target '$only' (${targets[*]})" >&2; exit 2; }
  targets=("$only")
fi

cxx=$(command -v clang++-16 || true)
[[ -n $cxx ]] || { echo "fuzz.sh: clang++-16 is missing (scripts/setup.sh installs clang-16 and libclang-rt-16-dev)" >&2; exit 2; }
[[ -x $bin ]] || { echo "fuzz.sh: $bin is missing: run scripts/setup.sh (it builds build/), or give --bin" >&2; exit 2; }

build="$root/build-fuzz"
out="$build/fuzz-out"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER="$cxx" \
  -DGAPBUNDLE_FUZZ=ON >/dev/null
cmake --build "$build" -j "$jobs" --target "${targets[@]}"

work=$(mktemp -d "${TMPDIR:-/tmp}/gapbundle-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
seeds="$work/seeds"
mkdir -p "$seeds/manifest_fuzzer" "$seeds/index_parser_fuzzer" "$seeds/verify_unpack_fuzzer" "$seeds/conda_parser_fuzzer" \
  "$seeds/helm_parser_fuzzer"

# Seed bundles: a small tree (executable, nested folders, an empty file) packed by the real tool,
# signed with the key the verify fuzzer trusts; as .tar and .tar.zst, with and without expiry.
key="$work/fuzz_signer.key"
install -m 0600 "$root/fuzz/fuzz_signer.key" "$key"
src="$work/src"
mkdir -p "$src/payload/sub/deeper"
printf 'hello\n' >"$src/note.txt"
printf '#!/bin/sh\necho run\n' >"$src/payload/run.sh"
chmod 755 "$src/payload/run.sh"
: >"$src/payload/empty"
head -c 2000 /dev/urandom >"$src/payload/sub/data.bin"
printf '{"a": 1}\n' >"$src/payload/sub/deeper/config.json"
cat >"$src/plain.yaml" <<'YAML'
apiVersion: gapbundle/v1
name: fuzz-seed
serial: 1
files:
  - url: payload
    path: payload
  - url: note.txt
YAML
cat >"$src/channel.yaml" <<'YAML'
apiVersion: gapbundle/v1
name: fuzz-seed-channel
channel: stable
serial: 7
expires: 2999-01-01T00:00:00Z
files:
  - url: note.txt
    path: docs/note.txt
YAML
for manifest in plain channel; do
  for ext in tar tar.zst; do
    "$bin" pack "$src/$manifest.yaml" --key "$key" -o "$seeds/verify_unpack_fuzzer/$manifest.$ext" \
      --cache-dir "$work/cache" >/dev/null 2>"$work/pack.log" || { cat "$work/pack.log" >&2; exit 4; }
  done
done

# The hostile corpus (tests/tools/hostile_corpus), when it is built: its bundles are seeds, and the
# key that signed them is trusted too (kept under fuzz-out/ so that a crash can be replayed).
hostile=$(find "$root/build" -name hostile_corpus -type f -perm -u+x 2>/dev/null | head -n 1 || true)
trust_env=
if [[ -n $hostile ]]; then
  if "$hostile" "$work/hostile" >"$work/hostile.log" 2>&1; then
    while IFS= read -r -d '' file; do
      cp "$file" "$seeds/verify_unpack_fuzzer/hostile-$(basename "$file")"
    done < <(find "$work/hostile" -type f ! -name '*.pub' -size -1025k -print0)
    if [[ -f $work/hostile/signer.pub ]]; then
      mkdir -p "$out/trust"
      cp "$work/hostile/signer.pub" "$out/trust/hostile-signer.pub"
      trust_env="$out/trust/hostile-signer.pub"
    fi
    echo "fuzz.sh: seeds from $hostile" >&2
  else
    echo "fuzz.sh: $hostile failed; its corpus is left out:" >&2
    tail -n 5 "$work/hostile.log" >&2
  fi
else
  echo "fuzz.sh: no hostile_corpus built under build/; the verify seeds are the packed bundles only" >&2
fi

# Index and signature seeds: the head files of every seed bundle that has them.
n=0
for bundle in "$seeds/verify_unpack_fuzzer"/*; do
  for head in index.json index.json.sig; do
    n=$((n + 1))
    tar -xOf "$bundle" "gapbundle/$head" >"$seeds/index_parser_fuzzer/$n-$head" 2>/dev/null || rm -f "$seeds/index_parser_fuzzer/$n-$head"
  done
done

# Manifest seeds: the project's manifests, the seed manifests above, and every YAML example in
# docs/manifest.md (each section, pip, huggingface, images, registries).
cp "$root"/manifests/*.yaml "$src"/*.yaml "$seeds/manifest_fuzzer/"
python3 - "$root/docs/manifest.md" "$seeds/manifest_fuzzer" <<'PY'
import pathlib, re, sys
blocks = re.findall(r"```yaml\n(.*?)```", pathlib.Path(sys.argv[1]).read_text(), re.S)
for n, block in enumerate(blocks, 1):
    (pathlib.Path(sys.argv[2]) / f"doc-{n}.yaml").write_text(block)
PY

# conda seeds: the first byte picks the parser (0: a MatchSpec, 1: two versions on two lines,
# 2: a repodata.json).
n=0
for spec in 'numpy' 'numpy >=1.26,<2.0a0' 'conda-forge::python 3.11.* *_cpython' 'pytorch[version=">=2.3", build=cuda*]' \
  'blas=*=mkl' 'python_abi 3.11.* *_cp311' 'foo 1.2|1.4*' 'conda-forge/linux-64::bar ==1.0 py311_0' \
  'openssl !=3.0.0,~=3.0' '__cuda >=12' 'numpy ^1\.2[0-9]\.(0|[1-9][0-9]*)$' 'python ^3\.(10|11)\..*$ ^[^d]+_cp3[0-9]+$' \
  'scipy >=1|^(1|2)(\.\d+)*(rc\d+)?$'; do
  n=$((n + 1))
  printf '\000%s' "$spec" >"$seeds/conda_parser_fuzzer/spec-$n"
done
for pair in '1.1dev1\n1.1a1' '1.0.0post1\n1.0.1' '1!0.4\n2.1.1+local' '1.1_1\n1.1-1' '0.4\n0.4.0'; do
  n=$((n + 1))
  printf "\001$pair" >"$seeds/conda_parser_fuzzer/versions-$n"
done
printf '\002{"info":{"subdir":"linux-64"},"packages":{"a-1.0-0.tar.bz2":{"name":"a","version":"1.0","build":"0","build_number":0,"depends":["python >=3.11"],"sha256":"%s","size":10}},"packages.conda":{"a-1.0-0.conda":{"name":"a","version":"1.0","build":"0","build_number":0,"depends":[],"constrains":["b <2"],"track_features":"mkl","timestamp":1700000000}},"removed":[],"repodata_version":1}' \
  "$(printf '%064d' 0)" >"$seeds/conda_parser_fuzzer/repodata-1"

# Helm: constraints from Masterminds' documentation, SemVer 2.0.0's precedence examples, an
# index.yaml shaped like a real repository's, and a chart packed as helm package packs it.
n=0
for pair in '^1.2.3\n1.4.0' '~1.2\n1.2.9' '>= 1.2, < 3.0.0 || >= 4.2.3\n4.3.0' '1.2 - 1.4.5\n1.3.0-beta.1' '1.2.x\n1.2.7' '*\n2.0.0-rc.1' '!=1.0.0\nv1.0.1'; do
  n=$((n + 1))
  printf "\000$pair" >"$seeds/helm_parser_fuzzer/constraint-$n"
done
for pair in '1.0.0-alpha\n1.0.0-alpha.1' '1.0.0-alpha.beta\n1.0.0-beta' '1.0.0-beta.2\n1.0.0-beta.11' '1.0.0-rc.1\n1.0.0' '1.0.0+build.5\n1.0.0'; do
  n=$((n + 1))
  printf "\001$pair" >"$seeds/helm_parser_fuzzer/versions-$n"
done
printf '\002apiVersion: v1\nentries:\n  redis:\n    - name: redis\n      version: 18.6.4\n      appVersion: "7.2.4"\n      digest: %s\n      urls: [redis-18.6.4.tgz]\n    - name: redis\n      version: 19.0.0-rc.1\n      urls: ["https://cdn.example/redis-19.0.0-rc.1.tgz"]\n' \
  "$(printf '%064d' 0)" >"$seeds/helm_parser_fuzzer/index-1"
mkdir -p "$work/chart/web/templates" "$work/chart/web/charts/side"
printf 'apiVersion: v2\nname: web\nversion: 1.2.0\nappVersion: "1.0"\ndependencies:\n  - name: common\n    version: ^2.0.0\n    repository: https://charts.example\nannotations:\n  artifacthub.io/images: |\n    - name: app\n      image: quay.io/a/app:1.0\n' >"$work/chart/web/Chart.yaml"
printf 'global:\n  imageRegistry: ""\nimage:\n  registry: docker.io\n  repository: bitnami/redis\n  tag: ""\nsidecar:\n  image: busybox:1.36\n' >"$work/chart/web/values.yaml"
printf 'apiVersion: v2\nname: side\nversion: 0.1.0\n' >"$work/chart/web/charts/side/Chart.yaml"
printf 'kind: ConfigMap\n' >"$work/chart/web/templates/cm.yaml"
{ printf '\003'; tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$work/chart" -cz web; } >"$seeds/helm_parser_fuzzer/chart-1"

symbolizer=$(ls /usr/lib/llvm-*/bin/llvm-symbolizer 2>/dev/null | tail -n 1 || true)
[[ -n $symbolizer ]] && export ASAN_SYMBOLIZER_PATH=$symbolizer
# Where verify_unpack_fuzzer makes its temp root: memory, so that unpacking's fsyncs cost nothing.
# A crash leaves the temp root behind; the trap removes it with the rest.
fuzz_tmp=$work
if [[ -d /dev/shm && -w /dev/shm ]]; then
  fuzz_tmp=$(mktemp -d /dev/shm/gapbundle-fuzz.XXXXXX)
  trap 'rm -rf "$work" "$fuzz_tmp"' EXIT
fi

declare -A max_len=([manifest_fuzzer]=16384 [index_parser_fuzzer]=65536 [verify_unpack_fuzzer]=131072 [conda_parser_fuzzer]=16384 [helm_parser_fuzzer]=65536)
failed=()
for target in "${targets[@]}"; do
  dir="$out/$target"
  rm -rf "$dir"
  mkdir -p "$dir"
  corpus="$work/corpus/$target"
  mkdir -p "$corpus"
  echo "fuzz.sh: $target for ${seconds}s ($(ls "$seeds/$target" | wc -l) seeds; log $dir/log)" >&2
  status=0
  # The kill is a backstop: after an out-of-memory libFuzzer prints a heap profile, which can take
  # many minutes on a heap of millions of small blocks.
  GAPBUNDLE_FUZZ_TMP=$fuzz_tmp GAPBUNDLE_FUZZ_TRUST=$trust_env timeout --signal=KILL $((seconds + 300)) \
    "$build/fuzz/$target" -max_total_time="$seconds" -max_len="${max_len[$target]}" -timeout=60 \
    -rss_limit_mb=2048 -malloc_limit_mb=1024 -artifact_prefix="$dir/" -print_final_stats=1 \
    "$corpus" "$seeds/$target" >"$dir/log" 2>&1 || status=$?
  grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb)' "$dir/log" >&2 || true
  if ((status != 0)); then
    failed+=("$target")
    echo "fuzz.sh: FAILED $target (exit $status$( ((status == 137)) && echo ', killed: see docs/fuzzing.md for an out-of-memory input')):" >&2
    grep -E 'ERROR: |invariant broken|SUMMARY: |Test unit written to|out-of-memory|Timeout|leak' "$dir/log" | head -n 12 >&2 || true
    for crash in "$dir"/crash-* "$dir"/leak-* "$dir"/oom-* "$dir"/timeout-*; do
      [[ -e $crash ]] || continue
      echo "fuzz.sh: reproduce: GAPBUNDLE_FUZZ_TRUST=$trust_env $build/fuzz/$target $crash" >&2
    done
  fi
done

if ((${#failed[@]})); then
  echo "fuzz.sh: failed: ${failed[*]} (inputs and logs under $out)" >&2
  exit 1
fi
echo "fuzz.sh: ${#targets[@]} target(s) ran ${seconds}s each without a crash, leak or broken invariant" >&2
