#!/usr/bin/env bash
# Starts the packaged jar the way scripts/run.sh does, on a free port, and checks it from the
# outside: start-up time, /health, a dev token, a refused upgrade without a token, the bridge
# answering tutor.me over a real WebSocket, and a clean stop on SIGTERM. Stops only what it started.
source "$(dirname "$0")/common.sh"
build_if_needed

work=$(mktemp -d)
port=$(free_port)
pidfile="$work/node.pid"
trap 'stop_pidfile "$pidfile"; rm -rf "$work"' EXIT

start_ns=$(date +%s%N)
# shellcheck disable=SC2086
java $JAVA_OPTS -jar "$JAR" --port "$port" --host 127.0.0.1 >"$work/node.log" 2>&1 &
echo $! >"$pidfile"
wait_healthy "$port" 60 || { cat "$work/node.log"; echo "smoke: node did not become healthy" >&2; exit 1; }
ready_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))

fail() { echo "smoke: $*" >&2; cat "$work/node.log" >&2; exit 1; }
token=$(curl -fsS -XPOST "http://127.0.0.1:$port/api/token" -d '{"userId":"smoke","role":"student"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])') \
  || fail "no dev token"
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Connection: Upgrade' -H 'Upgrade: websocket' \
  -H 'Sec-WebSocket-Version: 13' -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' "http://127.0.0.1:$port/eventbus/websocket")
[[ "$code" == 401 ]] || fail "upgrade without token answered $code, expected 401"

reply=$(printf '%s\n' '{"type":"send","address":"tutor.me","body":{},"replyAddress":"r1"}' \
  | (cat; sleep 1) | timeout 20 java -cp "$JAR" io.officehours.loadtest.WsConsole "ws://127.0.0.1:$port/eventbus/websocket?token=$token" 2>/dev/null || true)
grep -q '"userId":"smoke"' <<<"$reply" || fail "tutor.me over the bridge answered: $reply"

stop_pidfile "$pidfile"
grep -q "ready in" "$work/node.log" || fail "no ready line in the log"
node_ms=$(grep -o 'ready in [0-9]* ms' "$work/node.log" | grep -o '[0-9]*')
echo "smoke: ok (process start to healthy: ${ready_ms} ms; node reports ready in ${node_ms} ms)"
