#!/usr/bin/env bash
# A console on the raw bridge endpoint: type one JSON frame per line, see every frame received.
# Usage: scripts/wsclient.sh "ws://localhost:8080/eventbus/websocket?token=$TOKEN"
source "$(dirname "$0")/common.sh"
build_if_needed
exec java -cp "$JAR" io.officehours.loadtest.WsConsole "$@"
