#!/usr/bin/env bash
# The whole trip on the demo manifest, on loopback: set-up and build, then a loopback nginx
# serves the downloads, two loopback docker-registry instances the image, a loopback Python
# package index the pip: section and a loopback Hugging Face Hub (tests/tools/hub_serve.cpp) the
# huggingface: section, a loopback conda channel the conda: section, and a chart repository on
# the nginx the helm: section; keygen → lock → pack → rehearse (network cut) → report →
# inspect → verify → unpack → install into a registry, into two fresh virtual environments, into a
# hub cache, (by hand, following the explicit lock file) into a conda prefix, and the chart into
# the registry → check with stock tools.
# Reads no stdin.
# Usage: scripts/demo.sh [--no-build] [--bin PATH] [--hub-serve PATH]
#   --hub-serve PATH   the loopback Hub program (default build/tests/hub_test_serve)
set -euo pipefail
exec </dev/null
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/lib.sh"

build=1
bin="$root/build/src/cli/gapbundle"
hub_serve="$root/build/tests/hub_test_serve"
while (($#)); do
  case $1 in
    --no-build) build=0 ;;
    --bin) bin=$2; shift ;;
    --hub-serve) hub_serve=$2; shift ;;
    *) echo "usage: $0 [--no-build] [--bin PATH] [--hub-serve PATH]" >&2; exit 2 ;;
  esac
  shift
done
((build)) && "$root/scripts/setup.sh"  # builds gapbundle and the loopback Hub (hub_test_serve)

work=$(mktemp -d "${TMPDIR:-/tmp}/gapbundle-demo.XXXXXX")
cleanup() { stop_hub "$work"; stop_nginx "$work"; stop_nginx "$work/pypi-server"; stop_registry "$work" source-registry; stop_registry "$work" gap-registry; rm -rf "$work"; }
trap cleanup EXIT
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
say() { printf '$ %s\n' "$*"; }

step "serving the demo downloads from a loopback nginx"
mkdir -p "$work/www/models/tiny-llm" "$work/www/tools" "$work/side"
head -c 3000000 /dev/urandom >"$work/www/models/tiny-llm/tokenizer.model"
printf '{"architectures": ["TinyLlm"], "hidden_size": 64, "vocab_size": 512}\n' >"$work/www/models/tiny-llm/config.json"
printf '#!/usr/bin/env python3\nprint("pre-processing")\n' >"$work/www/tools/preprocess.py"
port=$(free_port)
start_nginx "$work/www" "$work" "$port"
echo "http://127.0.0.1:$port/"

step "an image built with umoci, pushed into a loopback registry (the connected side's source)"
source_port=$(free_port)
start_registry "$work" source-registry "$source_port"
build_demo_image "$work/image-layout"
skopeo copy --quiet --preserve-digests --dest-tls-verify=false \
  "oci:$work/image-layout:tiny-server" "docker://127.0.0.1:$source_port/demo/tiny-server:1.0"
source_digest=$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://127.0.0.1:$source_port/demo/tiny-server:1.0")
echo "127.0.0.1:$source_port/demo/tiny-server:1.0 is $source_digest"

step "a Python package index on loopback (wheels built by tests/tools/pypi_index.py from scripts/demo/pypi-spec.json)"
# The gap's interpreter is Debian 12's CPython 3.11 on this machine's architecture.
py=/usr/bin/python3
pip_platform="manylinux_2_28_$(uname -m)"
"$py" "$root/tests/tools/pypi_index.py" build "$root/scripts/demo/pypi-spec.json" "$work/pypi-index" --distro-wheels
pypi_port=$(free_port)
mkdir -p "$work/pypi-server"
start_simple_index "$work/pypi-index" "$work/pypi-server" "$pypi_port" json
wheels=("$work/pypi-index/files/"*.whl)
echo "http://127.0.0.1:$pypi_port/simple/ serves ${#wheels[@]} wheels (with pip, setuptools and wheel from python3-*-whl):"
echo "  Tiny.Serve needs tiny-http and tiny-json, which both need tiny-core (a diamond; tiny-http 2.2.0 is yanked),"
echo "  fastparse (cp311 manylinux wheels), prom-lite for the [metrics] extra, winpipe only on Windows"

step "a Hugging Face Hub on loopback (tests/tools/hub_serve.cpp: the Hub's API, and LFS files redirected to a storage host)"
start_hub "$hub_serve" "$work"
hf_commit=$(curl -fsS "$hub_endpoint/api/models/gapbundle-test/tiny-model/revision/main" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["sha"])')
curl -fsS -o "$work/side/hub-config.json" "$hub_endpoint/gapbundle-test/tiny-model/resolve/main/config.json"
echo "HF_ENDPOINT=$hub_endpoint serves gapbundle-test/tiny-model; main is at commit $hf_commit"

step "a conda channel on loopback (packages built by conda-package-handling from scripts/demo/conda-spec.json)"
/usr/bin/python3 "$root/scripts/demo/conda_channel.py" "$root/scripts/demo/conda-spec.json" "$work/www/conda/demo-forge"
conda_channel="http://127.0.0.1:$port/conda/demo-forge"
(cd "$work/www/conda/demo-forge" && find . -name '*.conda' | sort)
echo "$conda_channel serves them, with repodata.json and repodata.json.zst per subdir;"
echo "  tiny-app needs python, libtiny and tiny-util (noarch); libtiny 2.0.0 needs __glibc >=2.40, newer than the target's"

step "a classic Helm chart repository on loopback (scripts/demo/chart, packed as helm package packs it)"
mkdir -p "$work/www/charts" "$work/chart-src"
cp -r "$root/scripts/demo/chart/tiny-server" "$work/chart-src/"
sed -i "s/127.0.0.1:5765/127.0.0.1:$source_port/" "$work/chart-src/tiny-server/values.yaml"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$work/chart-src" -czf "$work/www/charts/tiny-server-0.1.0.tgz" tiny-server
cat >"$work/www/charts/index.yaml" <<YAML
apiVersion: v1
entries:
  tiny-server:
    - apiVersion: v2
      name: tiny-server
      version: 0.1.0
      appVersion: "1.0"
      digest: $(sha256sum <"$work/www/charts/tiny-server-0.1.0.tgz" | cut -d' ' -f1)
      urls: [tiny-server-0.1.0.tgz]
YAML
echo "http://127.0.0.1:$port/charts serves tiny-server 0.1.0, whose values.yaml deploys 127.0.0.1:$source_port/demo/tiny-server:1.0"

cp -r "$root/manifests/demo" "$work/side/demo"
sed -e "s/127.0.0.1:8765/127.0.0.1:$port/" -e "s/127.0.0.1:5765/127.0.0.1:$source_port/" \
  "$root/manifests/demo.yaml" >"$work/side/demo.yaml"
cat >>"$work/side/demo.yaml" <<YAML
pip:                           # resolved here for the gap's interpreter; pip itself travels too
  index: http://127.0.0.1:$pypi_port/simple
  target: { python: "3.11", platforms: [$pip_platform] }
  requirements: ["Tiny.Serve[metrics]", "pip"]
huggingface:                   # pinned to main's commit by the lock, carried as a hub cache
  endpoint: $hub_endpoint
  repos:
    - repo: gapbundle-test/tiny-model
      allow: ["*.json", "*.safetensors", "tokenizer*"]
conda:                         # solved here for the gap's platform and glibc
  channels: [$conda_channel]
  subdirs: [linux-64]
  virtual_packages: { __glibc: "2.36", __unix: "0" }
  specs: ["tiny-app"]
helm:                          # the chart, and the images it deploys (here the demo image, already listed)
  - repo: http://127.0.0.1:$port/charts
    chart: tiny-server
    version: "^0.1"
YAML
echo "manifests/demo.yaml, with these pip:, huggingface:, conda: and helm: sections added:"
sed -n '/^pip:/,$p' "$work/side/demo.yaml"
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(date +%s)}

step "gapbundle keygen --out signer"
"$bin" keygen --out "$work/signer"

step "gapbundle lock demo.yaml"
"$bin" lock "$work/side/demo.yaml" --cache-dir "$work/cache"

step "gapbundle pack demo.yaml --lock ... -o demo.tar.zst"
"$bin" pack "$work/side/demo.yaml" --lock "$work/side/gapbundle.lock.json" --key "$work/signer.key" \
  -o "$work/demo.tar.zst" --cache-dir "$work/cache"
stop_hub "$work"
echo "(the loopback Hub is stopped; it saw $(sed -n 's/^hub requests: //p' "$work/hub.out") requests, and its storage host \
$(sed -n 's/^storage requests: //p' "$work/hub.out"), $(sed -n 's/^storage requests with Authorization: //p' "$work/hub.out") of them with an Authorization header)"

step "gapbundle rehearse demo.tar.zst --trust signer.pub (with the network cut, does it install from the bundle alone?)"
"$bin" rehearse "$work/demo.tar.zst" --trust "$work/signer.pub" --work-dir "$work"

step "gapbundle report demo.tar.zst -o demo.html (one self-contained page for the reviewer)"
"$bin" report "$work/demo.tar.zst" -o "$work/demo.html" --trust "$work/signer.pub"
echo "(demo.html lists $(grep -o '<tr class="component"' "$work/demo.html" | wc -l) components and loads nothing from anywhere)"

step "gapbundle inspect demo.tar.zst (unverified listing)"
"$bin" inspect "$work/demo.tar.zst"

step "---- the air gap ----  gapbundle verify demo.tar.zst --trust signer.pub --state-dir state"
"$bin" verify "$work/demo.tar.zst" --trust "$work/signer.pub" --state-dir "$work/state"

step "gapbundle unpack demo.tar.zst --trust signer.pub --state-dir state --to unpacked"
"$bin" unpack "$work/demo.tar.zst" --trust "$work/signer.pub" --state-dir "$work/state" --to "$work/unpacked"
echo "the channel's accepted serial and index, kept so that an older bundle is refused later:"
cat "$work/state/channels/"*.json
(cd "$work/unpacked" && find . -type f | sort)

step "install: the files are in place and match what the server sent"
cmp "$work/www/models/tiny-llm/tokenizer.model" "$work/unpacked/files/models/tiny-llm/tokenizer.model"
cmp "$root/manifests/demo/configs/serving.yaml" "$work/unpacked/files/configs/serving.yaml"
[[ -f "$work/unpacked/files/preprocess.py" ]]
echo "the weights, the model card and the configs folder are in place, byte for byte"

step "install: the image goes into the gap's own registry (another loopback registry)"
gap_port=$(free_port)
start_registry "$work" gap-registry "$gap_port"
skopeo inspect --format '{{.Digest}} {{.Layers}}' "oci:$work/unpacked/oci:127.0.0.1:$source_port/demo/tiny-server:1.0"
"$bin" install images "$work/unpacked" --registry "127.0.0.1:$gap_port" --prefix mirror --insecure
gap_digest=$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://127.0.0.1:$gap_port/mirror/demo/tiny-server:1.0")
[[ $gap_digest == "$source_digest" ]] || { echo "demo: digest in the gap's registry is $gap_digest, expected $source_digest" >&2; exit 1; }
echo "127.0.0.1:$gap_port/mirror/demo/tiny-server:1.0 is $gap_digest, the same digest as at the source"
"$bin" install images "$work/unpacked" --registry "127.0.0.1:$gap_port" --prefix mirror --insecure
echo "(the second run found everything in place and pushed nothing)"

step "install: the chart, a chart repository under helm/ and an OCI artifact in the gap's registry"
cat "$work/unpacked/helm/index.yaml"
(cd "$work/unpacked/helm" && echo "$(sed -n 's/^ *digest: //p' index.yaml)  tiny-server-0.1.0.tgz" | sha256sum -c -)
echo "any web server serving unpacked/helm is a chart repository: helm repo add demo http://HOST/helm"
"$bin" install helm "$work/unpacked" --registry "127.0.0.1:$gap_port" --prefix charts --insecure
chart_config=$(skopeo inspect --raw --tls-verify=false "docker://127.0.0.1:$gap_port/charts/tiny-server:0.1.0" |
  python3 -c 'import json,sys; m=json.load(sys.stdin); print(m["config"]["mediaType"], m["layers"][0]["mediaType"])')
[[ $chart_config == "application/vnd.cncf.helm.config.v1+json application/vnd.cncf.helm.chart.content.v1.tar+gzip" ]] ||
  { echo "demo: the pushed chart has media types $chart_config" >&2; exit 1; }
echo "127.0.0.1:$gap_port/charts/tiny-server:0.1.0 has Helm's media types: $chart_config"
"$bin" install helm "$work/unpacked" --registry "127.0.0.1:$gap_port" --prefix charts --insecure
echo "(the second run found the chart there and sent nothing)"
echo "in the gap, with helm installed (it is not, here):"
say "helm install server oci://127.0.0.1:$gap_port/charts/tiny-server --version 0.1.0 --plain-http --set image.registry=127.0.0.1:$gap_port/mirror"

step "install: the Python packages, with no network, into fresh virtual environments"
# Only the bundle counts in the gap: no PIP_* variable, pip.conf or pip cache of this machine's
# (--isolated --no-cache-dir); --no-compile only saves the demo a second.
for v in $(compgen -e | grep '^PIP_' || true); do unset "$v"; done
gap_pip() { "$py" -m pip --isolated --disable-pip-version-check --no-cache-dir "$@"; }
bundle_pypi="$work/unpacked/pypi"
(cd "$bundle_pypi/files" && printf '%s\n' *)
if compgen -G "$bundle_pypi/files/winpipe-*" >/dev/null || [[ ! -f "$bundle_pypi/files/tiny_http-2.1.0-py3-none-any.whl" ]]; then
  echo "demo: expected tiny-http 2.1.0 and no winpipe in $bundle_pypi/files" >&2
  exit 1
fi
echo "(no winpipe: its marker sys_platform == 'win32' does not hold for the target; tiny-http 2.1.0, as 2.2.0 is yanked)"

say "python3 -m venv --without-pip venv-index"
say "python3 -m pip --python venv-index/bin/python install --index-url file://$bundle_pypi/simple 'Tiny.Serve[metrics]' pip"
"$py" -m venv --without-pip "$work/venv-index"
gap_pip --python "$work/venv-index/bin/python" install -q --no-compile \
  --index-url "file://$bundle_pypi/simple" "Tiny.Serve[metrics]" pip
say "venv-index/bin/python -c 'import tiny_serve, ...'; venv-index/bin/pip check"
"$work/venv-index/bin/python" -c 'import tiny_serve, tiny_http, tiny_json, tiny_core, fastparse, prom_lite
print(f"Tiny.Serve {tiny_serve.__version__}, tiny-core {tiny_core.__version__}, fastparse {fastparse.__version__} imported")'
"$work/venv-index/bin/pip" --isolated --disable-pip-version-check check

say "gapbundle install pip unpacked --venv venv-locked   # pip --require-hashes --no-index -r pypi/requirements.lock"
"$bin" install pip "$work/unpacked" --python "$py" --venv "$work/venv-locked" | tail -n 1
say "venv-locked/bin/python -c 'import tiny_serve'; venv-locked/bin/pip check"
"$work/venv-locked/bin/python" -c 'import tiny_serve; print(f"Tiny.Serve {tiny_serve.__version__} imported, every file checked against its pinned hash")'
"$work/venv-locked/bin/pip" --isolated --disable-pip-version-check check
echo "(in venv-index, pip came from the bundle too: its bin/pip works from here on)"

step "install: the model repository, a Hugging Face hub cache, merged into this machine's"
hf_repo="$work/unpacked/hf/hub/models--gapbundle-test--tiny-model"
(cd "$work/unpacked" && find hf/hub -maxdepth 4 -not -path '*/blobs/*' \( -type l -printf '%p -> %l\n' -o -print \) | sort)
echo "($(find "$hf_repo/blobs" -type f | wc -l) blobs, named by git blob id or, for LFS files, by sha256)"
[[ $(cat "$hf_repo/refs/main") == "$hf_commit" ]] ||
  { echo "demo: refs/main holds $(cat "$hf_repo/refs/main"), expected $hf_commit" >&2; exit 1; }
config_link="$hf_repo/snapshots/$hf_commit/config.json"
config_blob="$hf_repo/blobs/$(git hash-object "$work/side/hub-config.json")"
[[ -L $config_link && $(readlink -f "$config_link") == "$(readlink -f "$config_blob")" ]] ||
  { echo "demo: $config_link is not a link to $config_blob" >&2; exit 1; }
cmp "$work/side/hub-config.json" "$config_link"
weights_link="$hf_repo/snapshots/$hf_commit/model.safetensors"
[[ -L $weights_link && $(basename "$(readlink -f "$weights_link")") == "$(sha256sum <"$weights_link" | cut -d' ' -f1)" ]] ||
  { echo "demo: $weights_link does not resolve to its sha256-named blob" >&2; exit 1; }
echo "refs/main holds $hf_commit; snapshots/$hf_commit/config.json links to the blob of the Hub's config.json, byte for byte;"
echo "model.safetensors links to the blob named by its sha256"

say "gapbundle install hf unpacked --cache machine-hub-cache"
"$bin" install hf "$work/unpacked" --cache "$work/machine-hub-cache"
hub_cache_state() { find "$work/machine-hub-cache" -printf '%p %y %s %T@ %l\n' | sort; }
hub_cache_state >"$work/hub-cache-before"
say "gapbundle install hf unpacked --cache machine-hub-cache   # again"
"$bin" install hf "$work/unpacked" --cache "$work/machine-hub-cache"
hub_cache_state | cmp -s - "$work/hub-cache-before" ||
  { echo "demo: the second install hf changed the cache" >&2; exit 1; }
echo "(the second run found everything in place and changed nothing)"
# What huggingface_hub does offline (try_to_load_from_cache): refs/main → snapshots/COMMIT/FILE.
"$py" - "$work/machine-hub-cache" <<'PY'
import json, pathlib, sys
repo = pathlib.Path(sys.argv[1]) / "models--gapbundle-test--tiny-model"
commit = (repo / "refs" / "main").read_text()
config = json.loads((repo / "snapshots" / commit / "config.json").read_text())
print(f"offline lookup as huggingface_hub does it: main → {commit[:12]}…, config.json model_type {config.get('model_type')!r}")
PY
echo "in the gap, with transformers installed (it is not, here):"
say "HF_HUB_CACHE=$work/machine-hub-cache HF_HUB_OFFLINE=1 python3 -c 'from transformers import AutoConfig, AutoTokenizer; AutoConfig.from_pretrained(\"gapbundle-test/tiny-model\"); AutoTokenizer.from_pretrained(\"gapbundle-test/tiny-model\")'"

step "install: the conda environment; this machine has no conda, so the lock file is followed by hand"
# What `conda create --offline --file conda/environment.lock.txt` does, run in the unpacked folder:
# each line's file checked against its sha256, then extracted into the prefix, dependencies first.
(cd "$work/unpacked" && cat conda/environment.lock.txt && find conda -name repodata.json | sort)
grep -q '^conda/demo-forge/linux-64/libtiny-1.2.0-h0_0.conda#' "$work/unpacked/conda/environment.lock.txt" ||
  { echo "demo: expected libtiny 1.2.0 (2.0.0 needs a newer glibc than the target's)" >&2; exit 1; }
mkdir -p "$work/conda-env"
sed -n '/^@EXPLICIT$/,$p' "$work/unpacked/conda/environment.lock.txt" | tail -n +2 | while IFS= read -r line; do
  file=${line%%#sha256:*}
  echo "${line##*#sha256:}  $file" | (cd "$work/unpacked" && sha256sum --quiet -c -)
  cph extract --dest "$work/conda-env" "$work/unpacked/$file" >/dev/null
  echo "checked and extracted $file"
done
cat "$work/conda-env/share/tiny-app/README"
echo "in the gap, with conda installed (it is not, here):"
say "cd unpacked && conda create -n app --offline --file conda/environment.lock.txt"
say "conda create -n app --offline --override-channels -c file://$work/unpacked/conda/demo-forge tiny-app"

step "the same check with stock tools only: openssl + sha256sum"
(cd "$work/unpacked" &&
  python3 -c 'import json,base64,sys; s=json.load(open("gapbundle/index.json.sig"))[0]; sys.stdout.buffer.write(base64.b64decode(s["sig"]))' >"$work/index.sig" &&
  openssl pkeyutl -verify -pubin -inkey "$work/signer.pub" -rawin -in gapbundle/index.json -sigfile "$work/index.sig" &&
  sha256sum --strict -c gapbundle/SHA256SUMS)

step "a tampered bundle is refused (exit 1) and leaves nothing behind"
cp "$work/demo.tar.zst" "$work/tampered.tar.zst"
printf 'x' | dd of="$work/tampered.tar.zst" bs=1 seek=$(( $(stat -c %s "$work/tampered.tar.zst") / 2 )) conv=notrunc status=none
set +e
"$bin" unpack "$work/tampered.tar.zst" --trust "$work/signer.pub" --state-dir "$work/state" --to "$work/tampered-out"
status=$?
set -e
[[ $status -eq 1 && ! -e "$work/tampered-out" ]] || { echo "demo: tampered bundle was not refused (exit $status)" >&2; exit 1; }
echo "refused with exit $status; $work/tampered-out does not exist"

step "demo finished: pack → rehearse → report → verify → unpack → install (files, an image, Python packages, a model repository, conda packages, a Helm chart), all on loopback"
