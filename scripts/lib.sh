# Shared helpers for the project's scripts (sourced, not run).

# A free TCP port on 127.0.0.1.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# start_nginx ROOT WORKDIR PORT: serves ROOT on 127.0.0.1:PORT until stop_nginx WORKDIR.
start_nginx() {
  local root=$1 work=$2 port=$3
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
    root $root;
  }
}
CONF
  local nginx_bin
  nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
  "$nginx_bin" -p "$work" -c "$work/nginx.conf" >"$work/nginx.out" 2>&1 &
  echo $! >"$work/nginx.launcher.pid"
  for _ in $(seq 1 50); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null || curl -sS -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  echo "nginx did not start on 127.0.0.1:$port:" >&2
  cat "$work/nginx-error.log" "$work/nginx.out" >&2 2>/dev/null || true
  return 1
}

stop_nginx() {
  local work=$1
  if [[ -f "$work/nginx.launcher.pid" ]]; then
    kill "$(cat "$work/nginx.launcher.pid")" 2>/dev/null || true
    wait "$(cat "$work/nginx.launcher.pid")" 2>/dev/null || true
    rm -f "$work/nginx.launcher.pid"
  fi
}
