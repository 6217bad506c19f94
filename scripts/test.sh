#!/usr/bin/env bash
# The whole test suite: set-up and build (scripts/setup.sh), then every test through ctest.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/setup.sh"
cd "$root/build"
ctest -j "$(nproc)" --output-on-failure --timeout 600 "$@"
