#!/bin/sh
# Checks the loopback Hub of the tests against the Hugging Face JavaScript client.
#   tests/tools/hf_js_check.sh BUILD_DIR [HUB_JS_DIR]
# Builds hub_test_serve in BUILD_DIR, installs @huggingface/hub with npm into HUB_JS_DIR (a temp
# folder unless given; an existing install is reused) and runs hf_js_check.mjs against a Hub
# whose tree pages hold 3 entries. Needs node and npm, and the npm registry for the install;
# no test in the suite runs it.
set -eu
build=${1:?usage: hf_js_check.sh BUILD_DIR [HUB_JS_DIR]}
here=$(cd "$(dirname "$0")" && pwd)
js=${2:-$(mktemp -d)}
if [ ! -f "$js/node_modules/@huggingface/hub/package.json" ]; then
    (cd "$js" && npm install --no-audit --no-fund --silent @huggingface/hub >/dev/null)
fi
echo "@huggingface/hub $(node -p "require('$js/node_modules/@huggingface/hub/package.json').version")"
cmake --build "$build" --target hub_test_serve >/dev/null
fifo=$(mktemp -u)
mkfifo "$fifo"
out=$(mktemp)
"$build/tests/hub_test_serve" --page-size 3 <"$fifo" >"$out" &
server=$!
exec 3>"$fifo"
while ! grep -q HF_ENDPOINT= "$out"; do sleep 0.1; done
endpoint=$(sed -n 's/^HF_ENDPOINT=//p' "$out")
status=0
node "$here/hf_js_check.mjs" "$js" "$endpoint" || status=$?
exec 3>&-
wait "$server"
tail -n +2 "$out"
rm -f "$fifo" "$out"
exit $status
