#!/usr/bin/env bash
# Builds if needed, then runs one node in the foreground on :8080 with embedded defaults
# (in-memory store, dev mode: POST /api/token hands out tokens). Extra arguments go to the node,
# e.g. scripts/run.sh --port 9090 --log-level debug
source "$(dirname "$0")/common.sh"

command -v java >/dev/null || { echo "java 17+ is needed" >&2; exit 1; }
command -v mvn >/dev/null || { echo "maven is needed to build" >&2; exit 1; }
build_if_needed

port=$DEFAULT_PORT
port_args=(--port "$port")   # the default, unless the caller names a port (the node takes --port once)
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  [[ "${args[$i]}" == "--port" ]] && { port="${args[$((i + 1))]}"; port_args=(); }
  [[ "${args[$i]}" == --port=* ]] && { port="${args[$i]#--port=}"; port_args=(); }
done
echo "Office Hours: http://localhost:$port/  (WebSocket bridge: ws://localhost:$port/eventbus/websocket?token=...)"
# shellcheck disable=SC2086
exec java $JAVA_OPTS -jar "$JAR" "${port_args[@]}" "$@"
