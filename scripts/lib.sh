# Shared helpers for the project's scripts (sourced, not run).

# A free TCP port on 127.0.0.1.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# run_nginx WORKDIR PORT PROBE_PATH SERVER_BODY: nginx on 127.0.0.1:PORT with SERVER_BODY (the
# directives of its one server block) until stop_nginx WORKDIR; returns once PROBE_PATH answers.
run_nginx() {
  local work=$1 port=$2 probe=$3 body=$4
  mkdir -p "$work/nginx-tmp"
  cat >"$work/nginx.conf" <<CONF
daemon off;
master_process off;
worker_processes 1;
user root;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 64; }
http {
  access_log $work/nginx-access.log;
  client_body_temp_path $work/nginx-tmp/body;
  proxy_temp_path $work/nginx-tmp/proxy;
  fastcgi_temp_path $work/nginx-tmp/fastcgi;
  uwsgi_temp_path $work/nginx-tmp/uwsgi;
  scgi_temp_path $work/nginx-tmp/scgi;
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:$port;
$body
  }
}
CONF
  local nginx_bin
  nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
  "$nginx_bin" -p "$work" -c "$work/nginx.conf" >"$work/nginx.out" 2>&1 &
  echo $! >"$work/nginx.launcher.pid"
  for _ in $(seq 1 50); do
    # Any HTTP answer means nginx is up (a folder without an index may answer 403 or 404).
    if curl -sS -o /dev/null "http://127.0.0.1:$port$probe" 2>/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  echo "nginx did not start on 127.0.0.1:$port:" >&2
  cat "$work/nginx-error.log" "$work/nginx.out" >&2 2>/dev/null || true
  stop_nginx "$work"
  return 1
}

# start_nginx ROOT WORKDIR PORT: serves ROOT on 127.0.0.1:PORT until stop_nginx WORKDIR.
start_nginx() {
  local root=$1 work=$2 port=$3
  run_nginx "$work" "$port" / "    root $root;"
}

stop_nginx() {
  local work=$1
  if [[ -f "$work/nginx.launcher.pid" ]]; then
    kill "$(cat "$work/nginx.launcher.pid")" 2>/dev/null || true
    wait "$(cat "$work/nginx.launcher.pid")" 2>/dev/null || true
    rm -f "$work/nginx.launcher.pid"
  fi
}

# start_simple_index ROOT WORKDIR PORT FORMAT: a Python package index (tests/tools/pypi_index.py
# build's ROOT) on 127.0.0.1:PORT until stop_nginx WORKDIR. FORMAT json serves each
# ROOT/simple/NAME/index.json as application/vnd.pypi.simple.v1+json (PEP 691); html serves
# index.html as text/html (PEP 503). nginx redirects /simple/NAME to /simple/NAME/ itself;
# ROOT/files/ are static files (Range requests work). The index URL is http://127.0.0.1:PORT/simple/.
start_simple_index() {
  local root=$1 work=$2 port=$3 format=$4 index_file type
  case $format in
    json) index_file=index.json type=application/vnd.pypi.simple.v1+json ;;
    html) index_file=index.html type=text/html ;;
    *) echo "start_simple_index: FORMAT is json or html, not '$format'" >&2; return 2 ;;
  esac
  run_nginx "$work" "$port" /simple/ "    root $root;
    location /simple/ {
      index $index_file;
      types { }
      default_type $type;
      # Only the chosen format answers; the other file is not part of this index.
      location ~ /index\\.(json|html)\$ { if (\$uri !~ /$index_file\$) { return 404; } }
    }
    location /files/ {
      types { }
      default_type application/octet-stream;
    }
    location = / { return 404; }"
}

# start_registry WORKDIR NAME PORT: a Distribution registry (docker-registry) on 127.0.0.1:PORT,
# storage under WORKDIR/NAME, until stop_registry WORKDIR NAME.
start_registry() {
  local work=$1 name=$2 port=$3
  mkdir -p "$work/$name/storage"
  cat >"$work/$name/config.yml" <<CONF
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $work/$name/storage
http:
  addr: 127.0.0.1:$port
  secret: gapbundle-demo-secret
CONF
  docker-registry serve "$work/$name/config.yml" >"$work/$name/registry.log" 2>&1 &
  echo $! >"$work/$name/registry.pid"
  for _ in $(seq 1 100); do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/v2/" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "docker-registry did not start on 127.0.0.1:$port:" >&2
  cat "$work/$name/registry.log" >&2
  return 1
}

stop_registry() {
  local work=$1 name=$2
  if [[ -f "$work/$name/registry.pid" ]]; then
    kill "$(cat "$work/$name/registry.pid")" 2>/dev/null || true
    wait "$(cat "$work/$name/registry.pid")" 2>/dev/null || true
    rm -f "$work/$name/registry.pid"
  fi
}

# build_demo_image LAYOUT: a small two-layer image "tiny-server" in an OCI layout, with umoci.
build_demo_image() {
  local layout=$1 bundle
  bundle=$(mktemp -d "${TMPDIR:-/tmp}/gapbundle-umoci.XXXXXX")
  rm -rf "$bundle"
  umoci init --layout "$layout"
  umoci new --image "$layout:tiny-server"
  umoci unpack --rootless --image "$layout:tiny-server" "$bundle"
  mkdir -p "$bundle/rootfs/srv"
  head -c 2000000 /dev/urandom >"$bundle/rootfs/srv/weights.bin"
  umoci repack --image "$layout:tiny-server" "$bundle"
  rm -rf "$bundle"
  umoci unpack --rootless --image "$layout:tiny-server" "$bundle"
  printf '#!/bin/sh\necho serving /srv/weights.bin\n' >"$bundle/rootfs/srv/serve.sh"
  chmod 0755 "$bundle/rootfs/srv/serve.sh"
  umoci repack --image "$layout:tiny-server" "$bundle"
  rm -rf "$bundle"
  umoci config --image "$layout:tiny-server" --config.entrypoint /srv/serve.sh
}

# start_hub BINARY WORKDIR [ARGS...]: the loopback Hugging Face Hub of the tests
# (tests/tools/hub_serve.cpp, target hub_test_serve) until stop_hub WORKDIR; sets hub_endpoint to
# the HF_ENDPOINT it prints. It serves until its stdin closes: its stdin is a FIFO that this shell
# holds open for writing (so the caller may read no stdin itself). Processes started after this
# inherit the writing end, so stop_hub also ends the server by its pid if closing is not enough.
start_hub() {
  local binary=$1 work=$2
  shift 2
  [[ -x $binary ]] || { echo "start_hub: $binary is not an executable (build the hub_test_serve target)" >&2; return 1; }
  rm -f "$work/hub.stdin"
  mkfifo "$work/hub.stdin"
  "$binary" "$@" <"$work/hub.stdin" >"$work/hub.out" 2>"$work/hub.err" &
  echo $! >"$work/hub.pid"
  exec {hub_stdin_fd}>"$work/hub.stdin"
  hub_endpoint=""
  # Up to 2 minutes: a big file (--big-file-mb) is generated and hashed before the Hub listens.
  for _ in $(seq 1 1200); do
    hub_endpoint=$(sed -n 's/^HF_ENDPOINT=//p' "$work/hub.out")
    [[ -n $hub_endpoint ]] && return 0
    kill -0 "$(cat "$work/hub.pid")" 2>/dev/null || break
    sleep 0.1
  done
  echo "the loopback Hub ($binary) did not start:" >&2
  cat "$work/hub.out" "$work/hub.err" >&2
  stop_hub "$work"
  return 1
}

# stop_hub WORKDIR: closes the Hub's stdin and waits for it (up to 10 s, then ends it by its pid).
# Its summary of the requests both hosts saw stays in WORKDIR/hub.out.
stop_hub() {
  local work=$1 pid
  if [[ -n ${hub_stdin_fd:-} ]]; then
    exec {hub_stdin_fd}>&-
    hub_stdin_fd=""
  fi
  [[ -f "$work/hub.pid" ]] || return 0
  pid=$(cat "$work/hub.pid")
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -f "$work/hub.pid"
}
