#!/usr/bin/env bash
# The hub cache of an unpacked bundle is one the Hugging Face JavaScript client (@huggingface/hub,
# pinned in tests/tools/hf-js) reads as its own: packs two repos from the loopback Hub, unpacks,
# and runs tests/tools/hf-js/check_cache.mjs on OUT/hf/hub against what the Hub serves. Then, as
# negative controls, the same check must fail on copies with a link pointed at the wrong blob and
# with a newline after the commit in refs/main.
#   tests/scripts/hf_real_client.sh GAPBUNDLE_BIN HUB_SERVE_BIN
# Needs node and tests/tools/hf-js/node_modules (scripts/setup.sh). Reads no standard input.
set -euo pipefail
serve=${2:?usage: $0 PATH/TO/gapbundle PATH/TO/hub_test_serve}
js=$(cd "$(dirname "$0")/../tools/hf-js" && pwd)
if ! command -v node >/dev/null || [[ ! -f $js/node_modules/@huggingface/hub/package.json ]]; then
  echo "FAIL: node or @huggingface/hub missing: run scripts/setup.sh (npm ci in tests/tools/hf-js)" >&2
  exit 1
fi
source "$(dirname "$0")/common.sh"
echo "@huggingface/hub $(node -p "require('$js/node_modules/@huggingface/hub/package.json').version"), node $(node --version)"

# The Hub runs until its standard input (a fifo held open on fd 3) closes.
server=
stop_server() {
  [[ -n $server ]] || return 0
  exec 3>&-
  for _ in {1..50}; do kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  server=
}
on_exit() {
  local status=$?
  stop_server
  if ((status == 0)); then rm -rf "$work"; else echo "test folder kept: $work" >&2; fi
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mkfifo "$work/hub.in"
exec 3<>"$work/hub.in"
"$serve" <"$work/hub.in" >"$work/hub.out" 2>&1 &
server=$!
for _ in {1..100}; do
  grep -q '^HF_ENDPOINT=' "$work/hub.out" && break
  kill -0 "$server" 2>/dev/null || fail "hub_test_serve exited: $(cat "$work/hub.out")"
  sleep 0.1
done
endpoint=$(sed -n 's/^HF_ENDPOINT=//p' "$work/hub.out")
[[ -n $endpoint ]] || fail "hub_test_serve printed no HF_ENDPOINT"

model=gapbundle-test/tiny-model
dataset=gapbundle-test/tiny-dataset
cat >"$work/manifest.yaml" <<YAML
apiVersion: gapbundle/v1
name: hf
huggingface:
  endpoint: $endpoint
  repos:
    - repo: $model
      allow: ["*.json", "*.safetensors", "tokenizer*"]
    - { repo: $dataset, type: dataset }
YAML
# What the bundle must hold, as the client reads the Hub: the model's files kept by the allow
# patterns (fnmatch, so "*.json" keeps original/params.json too), every file of the dataset.
node "$js/list_hub.mjs" "$endpoint" "model:$model:*.json,*.safetensors,tokenizer*" "dataset:$dataset" >"$work/expected.json" \
  || fail "list_hub.mjs could not read the Hub"
kept=$(node -e 'for (const r of require(process.argv[1])) console.log(r.type, r.files.map((f) => f.path).join(" "))' "$work/expected.json") \
  || fail "cannot read $work/expected.json"
[[ $kept == "model config.json generation_config.json model.safetensors original/params.json special_tokens_map.json tokenizer.json tokenizer_config.json
dataset .gitattributes README.md data/test.csv data/train-00000-of-00001.parquet data/train.csv data/validation.jsonl" ]] \
  || fail "the Hub serves other files than this test expects: $kept"

mkdir "$work/hf-home"
"$bin" -q keygen --out "$work/k" >/dev/null
env -u HF_HUB_CACHE -u HUGGINGFACE_HUB_CACHE -u HF_ENDPOINT HF_HOME="$work/hf-home" HF_TOKEN= \
  "$bin" -q pack "$work/manifest.yaml" --key "$work/k.key" -o "$work/b.tar" --cache-dir "$work/cache" >/dev/null </dev/null
"$bin" -q unpack "$work/b.tar" --trust "$work/k.pub" --state-dir "$work/state" --to "$work/out" >/dev/null </dev/null
stop_server

cache=$work/out/hf/hub
node "$js/check_cache.mjs" "$cache" "$work/expected.json" || fail "the JavaScript client does not read the unpacked cache as expected"

# Negative controls: the check must fail on a broken cache.
expect_failure() {
  local what=$1 dir=$2 status=0
  node "$js/check_cache.mjs" "$dir" "$work/expected.json" >"$dir.log" 2>&1 || status=$?
  ((status == 1)) || fail "check_cache.mjs exited $status on a cache with $what"
  echo "negative control ($what): check_cache.mjs failed as it must:"
  grep -E '^(FAIL|check_cache:)' "$dir.log" | sed 's/^/  /'
}
commit=$(node -p 'require(process.argv[1])[0].commit' "$work/expected.json")
etag_of() { node -p "require(process.argv[1])[0].files.find((f) => f.path === process.argv[2]).etag" "$work/expected.json" "$1"; }
cp -a "$cache" "$work/wrong-link"
ln -sfn "../../blobs/$(etag_of tokenizer.json)" "$work/wrong-link/models--gapbundle-test--tiny-model/snapshots/$commit/config.json"
expect_failure "config.json linked to the blob of tokenizer.json" "$work/wrong-link"
cp -a "$cache" "$work/ref-newline"
printf '%s\n' "$commit" >"$work/ref-newline/models--gapbundle-test--tiny-model/refs/main"
expect_failure "a newline after the commit in refs/main" "$work/ref-newline"
echo "hf real client: 3 passed, 0 failed"
