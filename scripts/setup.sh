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
)

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

((deps_only)) && exit 0

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_type=${GAPBUNDLE_BUILD_TYPE:-RelWithDebInfo}
cmake -S "$root" -B "$root/build" -G Ninja -DCMAKE_BUILD_TYPE="$build_type" \
  -DGAPBUNDLE_WERROR="${GAPBUNDLE_WERROR:-OFF}" >/dev/null
cmake --build "$root/build" -j "$(nproc)"
