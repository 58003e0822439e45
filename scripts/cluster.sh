#!/usr/bin/env bash
# Runs a local cluster of Office Hours nodes as background JVMs, optionally behind nginx and with
# redis-server. Everything it starts is tracked by pid files under .run/cluster and stopped by pid.
#
#   scripts/cluster.sh up N [--lb] [--redis]   start N nodes on :8081.. (Hazelcast :5701..), nginx on :8080,
#                                              redis-server on :6379 with the nodes' chat logs in it
#   scripts/cluster.sh status                  pid, port and readiness of each node
#   scripts/cluster.sh logs NODE               follow node NODE's log (1-based)
#   scripts/cluster.sh kill NODE               kill -9 node NODE (to watch the others cope)
#   scripts/cluster.sh down                    stop what `up` started
source "$(dirname "$0")/common.sh"

usage() { sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }

node_pidfile() { echo "$CLUSTER_DIR/node$1.pid"; }

up() {
  local n=${1:-}; shift || true
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || usage
  local lb=false redis=false arg
  for arg in "$@"; do
    case "$arg" in --lb) lb=true ;; --redis) redis=true ;; *) usage ;; esac
  done
  if compgen -G "$CLUSTER_DIR/*.pid" >/dev/null; then echo "a cluster is up already (scripts/cluster.sh down)" >&2; exit 1; fi
  build_if_needed
  mkdir -p "$CLUSTER_DIR"
  local name="officehours-$(date +%s)" members="" i
  for ((i = 0; i < n; i++)); do members+="${members:+,}127.0.0.1:$((HZ_BASE_PORT + i))"; done
  echo "$n" >"$CLUSTER_DIR/size"
  if $redis; then
    command -v redis-server >/dev/null || { echo "redis-server is not installed (apt-get install redis-server)" >&2; exit 1; }
    mkdir -p "$CLUSTER_DIR/redis"
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$CLUSTER_DIR/redis" --appendonly yes --save '' \
      --logfile "$CLUSTER_DIR/redis/redis.log" >/dev/null 2>&1 &
    echo $! >"$CLUSTER_DIR/redis.pid"
    until redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; do sleep 0.1; done
    log "redis-server on 127.0.0.1:$REDIS_PORT"
  fi
  local store=()
  $redis && store=(--redis "redis://127.0.0.1:$REDIS_PORT")
  for ((i = 1; i <= n; i++)); do
    local port=$((NODE_BASE_PORT + i - 1)) hz=$((HZ_BASE_PORT + i - 1))
    # shellcheck disable=SC2086
    java $JAVA_OPTS -jar "$JAR" --port "$port" --node-id "node$i" --cluster --cluster-name "$name" \
      --cluster-host 127.0.0.1 --cluster-port "$hz" --cluster-members "$members" "${store[@]}" \
      >"$CLUSTER_DIR/node$i.log" 2>&1 &
    echo $! >"$(node_pidfile "$i")"
    wait_ready "$port" 90 || { echo "node$i did not become ready; see $CLUSTER_DIR/node$i.log" >&2; exit 1; }
    log "node$i ready on http://127.0.0.1:$port/ (Hazelcast :$hz)"
  done
  wait_members "$NODE_BASE_PORT" "$n" 60 || { echo "the cluster did not reach $n members" >&2; exit 1; }
  if $lb; then
    command -v nginx >/dev/null || { echo "nginx is not installed (apt-get install nginx)" >&2; exit 1; }
    local backends=() 
    for ((i = 1; i <= n; i++)); do backends+=("127.0.0.1:$((NODE_BASE_PORT + i - 1))"); done
    mkdir -p "$CLUSTER_DIR/nginx"
    write_nginx_conf "$CLUSTER_DIR/nginx/nginx.conf" "$CLUSTER_DIR/nginx" "$LB_PORT" "${backends[@]}"
    nginx -p "$CLUSTER_DIR/nginx" -c "$CLUSTER_DIR/nginx/nginx.conf" -e "$CLUSTER_DIR/nginx/error.log" >"$CLUSTER_DIR/nginx/stdout.log" 2>&1 &
    echo $! >"$CLUSTER_DIR/nginx.pid"
    wait_healthy "$LB_PORT" 20 || { echo "nginx did not answer; see $CLUSTER_DIR/nginx/error.log" >&2; exit 1; }
    log "nginx round-robin on http://127.0.0.1:$LB_PORT/"
  fi
  log "cluster of $n up; scripts/cluster.sh status"
}

# Waits until a node answers /ready (joined and partitions safe).
wait_ready() {
  local port=$1 seconds=$2 deadline=$((SECONDS + $2))
  until curl -fsS -m 2 "http://127.0.0.1:$port/ready" >/dev/null 2>&1; do
    (( SECONDS > deadline )) && return 1
    sleep 0.3
  done
}

# Waits until the node on PORT counts N members (GET /api/cluster with a dev admin token).
wait_members() {
  local port=$1 n=$2 deadline=$((SECONDS + $3)) token count
  token=$(curl -fsS -XPOST "http://127.0.0.1:$port/api/token" -d '{"userId":"cluster-sh","role":"admin"}' \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])') || return 1
  until count=$(curl -fsS -m 2 "http://127.0.0.1:$port/api/cluster?token=$token" \
      | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["members"]))' 2>/dev/null) && [[ "$count" == "$n" ]]; do
    (( SECONDS > deadline )) && return 1
    sleep 0.3
  done
  log "cluster has $n members"
}

status() {
  [[ -f "$CLUSTER_DIR/size" ]] || { echo "no cluster is up"; return 0; }
  local n i pid port
  n=$(cat "$CLUSTER_DIR/size")
  for ((i = 1; i <= n; i++)); do
    port=$((NODE_BASE_PORT + i - 1))
    pid=$(cat "$(node_pidfile "$i")" 2>/dev/null || echo -)
    if [[ "$pid" != - ]] && kill -0 "$pid" 2>/dev/null; then
      printf 'node%-3s pid %-8s http://127.0.0.1:%s  ready: %s\n' "$i" "$pid" "$port" \
        "$(curl -s -m 2 "http://127.0.0.1:$port/ready" || echo 'no answer')"
    else
      printf 'node%-3s down\n' "$i"
    fi
  done
  [[ -f "$CLUSTER_DIR/nginx.pid" ]] && echo "nginx   pid $(cat "$CLUSTER_DIR/nginx.pid") http://127.0.0.1:$LB_PORT"
  [[ -f "$CLUSTER_DIR/redis.pid" ]] && echo "redis   pid $(cat "$CLUSTER_DIR/redis.pid") 127.0.0.1:$REDIS_PORT"
  return 0
}

down() {
  if [[ -f "$CLUSTER_DIR/nginx.pid" ]]; then
    kill -QUIT "$(cat "$CLUSTER_DIR/nginx.pid")" 2>/dev/null || true
    rm -f "$CLUSTER_DIR/nginx.pid"
  fi
  local f
  for f in "$CLUSTER_DIR"/node*.pid "$CLUSTER_DIR/redis.pid"; do
    [[ -f "$f" ]] && stop_pidfile "$f"
  done
  rm -f "$CLUSTER_DIR/size"
  log "cluster down"
}

case "${1:-}" in
  up) shift; up "$@" ;;
  status) status ;;
  logs) [[ -n "${2:-}" ]] || usage; exec tail -n 100 -f "$CLUSTER_DIR/node$2.log" ;;
  kill) [[ -n "${2:-}" ]] || usage; kill -9 "$(cat "$(node_pidfile "$2")")" && rm -f "$(node_pidfile "$2")" && log "node$2 killed" ;;
  down) down ;;
  *) usage ;;
esac
