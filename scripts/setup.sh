#!/usr/bin/env bash
# Installs every build and test dependency (Debian 12, as root), then configures and builds into build/.
# A no-op for apt when everything is already there. No standard input is read.
# Usage: scripts/setup.sh [--deps-only]   (--deps-only: install the packages, build nothing)
set -euo pipefail
deps_only=0
[[ ${1:-} == --deps-only ]] && deps_only=1

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  libcurl4-openssl-dev libarchive-dev libssl-dev libzstd-dev
  nlohmann-json3-dev libcli11-dev libyaml-cpp-dev libspdlog-dev
  libgtest-dev libgmock-dev libcpp-httplib-dev zlib1g-dev
  openssl tar zstd coreutils curl nginx-light python3 time
  python3-venv python3-pip python3-pip-whl python3-setuptools-whl python3-wheel-whl
  docker-registry skopeo umoci apache2-utils
  prometheus-node-exporter python3-jsonschema conda-package-handling
  clang-16 libclang-rt-16-dev
  chromium fonts-liberation
)
# prometheus-node-exporter reads --metrics-file's output in the textfile-collector test; the
# package's service is not needed (the test starts its own on loopback).
# python3-jsonschema validates every bundle's SBOM against the vendored CycloneDX 1.5 schema.
# conda-package-handling's cph makes the loopback conda channels' packages (.conda and .tar.bz2)
# and reads them back.
# chromium renders gapbundle report's page headless in the report tests (the DOM is read and a
# screenshot kept); fonts-liberation is only its recommended font, so the screenshots have text.
# clang-16 and its libFuzzer runtime build scripts/fuzz.sh's targets (clang 14 cannot compile
# libstdc++ 12's <expected>; docs/fuzzing.md).
# node and npm run the Hugging Face JavaScript client of tests/scripts/hf_real_client.sh. Debian's
# packages are nodejs and npm; a node from elsewhere on PATH is used as it is (NodeSource's nodejs
# bundles npm and conflicts with Debian's npm package).
command -v node >/dev/null || packages+=(nodejs)
command -v npm >/dev/null || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup.sh: missing packages: ${missing[*]} (run as root to install them)" >&2
    exit 2
  fi
  echo "setup.sh: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
fi

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# The pinned @huggingface/hub (package-lock.json), when not installed yet or the lock is newer than
# the install (npm ci writes node_modules/.package-lock.json). Needs the npm registry.
hf_js=$root/tests/tools/hf-js
if [[ ! -f $hf_js/node_modules/.package-lock.json || $hf_js/package-lock.json -nt $hf_js/node_modules/.package-lock.json ]]; then
  echo "setup.sh: npm ci in tests/tools/hf-js" >&2
  (cd "$hf_js" && npm ci --no-audit --no-fund </dev/null)
fi

((deps_only)) && exit 0

build_type=${GAPBUNDLE_BUILD_TYPE:-RelWithDebInfo}
cmake -S "$root" -B "$root/build" -G Ninja -DCMAKE_BUILD_TYPE="$build_type" \
  -DGAPBUNDLE_WERROR="${GAPBUNDLE_WERROR:-OFF}" >/dev/null
cmake --build "$root/build" -j "$(nproc)"
