# Sourced by the other scripts: the one place that knows the jar, the ports and the run folder.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/target/officehours.jar"
RUN_DIR="${OFFICEHOURS_RUN_DIR:-$ROOT/.run}"
DEFAULT_PORT=8080

# JVM flags for every node: a capped G1 heap holds many idle sockets better than a big one.
JAVA_OPTS="${JAVA_OPTS:--Xms256m -Xmx1g -XX:+UseG1GC}"

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# Installs the web client's pinned browser libraries (web-client/package-lock.json) into
# web-client/node_modules, from which the Maven build copies them into the jar's webroot/.
web_client_deps() {
  command -v npm >/dev/null || { echo "npm is needed to build the web client (apt-get install nodejs npm)" >&2; return 1; }
  (cd "$ROOT/web-client" && npm ci --no-audit --no-fund --loglevel=error)
}

# Builds the fat jar when it is missing or older than any source file (web client included).
build_if_needed() {
  if [[ ! -f "$JAR" ]] || [[ -n "$(find "$ROOT/src" "$ROOT/pom.xml" "$ROOT/web-client/src" "$ROOT/web-client/package-lock.json" -newer "$JAR" -print -quit)" ]]; then
    log "building $JAR"
    [[ -d "$ROOT/web-client/node_modules" ]] || web_client_deps
    (cd "$ROOT" && mvn -B -q package -DskipTests)
  fi
}

# Waits until http://127.0.0.1:PORT/health answers, or fails after SECONDS.
wait_healthy() {
  local port=$1 seconds=${2:-60}
  local deadline=$((SECONDS + seconds))
  until curl -fsS -m 2 "http://127.0.0.1:$port/health" >/dev/null 2>&1; do
    if (( SECONDS > deadline )); then return 1; fi
    sleep 0.2
  done
}

# Stops the process whose pid is in FILE (TERM, then KILL after 10 s) and removes the file.
stop_pidfile() {
  local file=$1 pid
  [[ -f "$file" ]] || return 0
  pid=$(cat "$file")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

# Prints a free TCP port on 127.0.0.1.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

CLUSTER_DIR="$RUN_DIR/cluster"
NODE_BASE_PORT=${OFFICEHOURS_NODE_BASE_PORT:-8081}
HZ_BASE_PORT=${OFFICEHOURS_HZ_BASE_PORT:-5701}
LB_PORT=${OFFICEHOURS_LB_PORT:-8080}
REDIS_PORT=${OFFICEHOURS_REDIS_PORT:-6379}

# Writes an nginx config to FILE: plain round-robin over the given backends for everything,
# except SockJS session requests (/eventbus/<server>/<session>/<transport>), which are hashed on
# the session id so every poll and send of one session reaches the node that holds it. No cookies.
# Usage: write_nginx_conf FILE PREFIX_DIR LISTEN_PORT host:port...
write_nginx_conf() {
  local file=$1 prefix=$2 listen=$3; shift 3
  local servers="" b
  for b in "$@"; do servers+="    server $b max_fails=1 fail_timeout=2s;"$'\n'; done
  cat >"$file" <<NGINX
worker_processes 1;
daemon off;
pid $prefix/nginx.pid;
error_log $prefix/error.log warn;
events { worker_connections 16384; }
http {
  access_log off;
  client_body_temp_path $prefix/client_temp;
  proxy_temp_path $prefix/proxy_temp;
  fastcgi_temp_path $prefix/fastcgi_temp;
  uwsgi_temp_path $prefix/uwsgi_temp;
  scgi_temp_path $prefix/scgi_temp;

  # only WebSocket upgrades pass; an h2c upgrade must not reach the nodes through a proxy
  map \$http_upgrade \$ws_upgrade { ~*^websocket\$ websocket; default ""; }
  map \$ws_upgrade \$connection_upgrade { websocket upgrade; default ""; }
  map \$uri \$sockjs_session { ~^/eventbus/[^/]+/([^/]+)/ \$1; default ""; }

  upstream officehours { 
$servers  }
  upstream officehours_sockjs {
    hash \$sockjs_session consistent;
$servers  }

  server {
    listen 127.0.0.1:$listen;
    proxy_http_version 1.1;
    proxy_set_header Upgrade \$ws_upgrade;
    proxy_set_header Connection \$connection_upgrade;
    proxy_set_header Host \$host;
    proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
    proxy_read_timeout 3600s;
    proxy_send_timeout 3600s;
    proxy_buffering off;
    proxy_next_upstream error timeout;

    location ~ ^/eventbus/[^/]+/[^/]+/ { proxy_pass http://officehours_sockjs; }
    location / { proxy_pass http://officehours; }
  }
}
NGINX
}
