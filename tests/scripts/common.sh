# Shared by the shell tests: a temp folder removed on success, kept on failure.
set -euo pipefail
bin=${1:?usage: $0 PATH/TO/gapbundle}
work=$(mktemp -d "${TMPDIR:-/tmp}/gapbundle-shelltest.XXXXXX")
finish() {
  local status=$?
  if ((status == 0)); then rm -rf "$work"; else echo "test folder kept: $work" >&2; fi
}
trap finish EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# make_local_manifest DIR: a manifest of local files and a folder, no server needed.
make_local_manifest() {
  local dir=$1
  mkdir -p "$dir/data/sub"
  head -c 200000 /dev/urandom >"$dir/data/weights.bin"
  printf 'alpha\n' >"$dir/data/a.txt"
  printf 'beta\n' >"$dir/data/sub/b.txt"
  printf '#!/bin/sh\necho hi\n' >"$dir/run.sh"
  chmod 755 "$dir/run.sh"
  cat >"$dir/manifest.yaml" <<YAML
apiVersion: gapbundle/v1
name: shelltest
serial: 7
files:
  - url: data
  - url: run.sh
    path: bin/run.sh
YAML
}

# sig_of BUNDLE_DIR N: the raw signature bytes of the Nth entry of index.json.sig, to stdout.
sig_of() {
  python3 -c 'import json,base64,sys; s=json.load(open(sys.argv[1]))[int(sys.argv[2])]; sys.stdout.buffer.write(base64.b64decode(s["sig"]))' \
    "$1/gapbundle/index.json.sig" "$2"
}
