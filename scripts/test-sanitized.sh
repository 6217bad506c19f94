#!/usr/bin/env bash
# The whole test suite again, built with AddressSanitizer and UndefinedBehaviorSanitizer in
# build-asan/. Any report fails the test that triggered it: UBSan is built not to recover, ASan
# aborts on its first error and LeakSanitizer runs at every exit. Arguments go to ctest.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/setup.sh" --deps-only
# Debug: -O0 builds in about two thirds of the time -O2 takes, which outweighs the slower run.
cmake -S "$root" -B "$root/build-asan" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  -DGAPBUNDLE_SANITIZE=address,undefined -DGAPBUNDLE_WERROR="${GAPBUNDLE_WERROR:-OFF}" >/dev/null
cmake --build "$root/build-asan" -j "$(nproc)"
export ASAN_OPTIONS=abort_on_error=1:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
cd "$root/build-asan"
ctest -j "$(nproc)" --output-on-failure --timeout 1200 "$@"
