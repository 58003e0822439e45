# Sourced by the other scripts: the one place that knows the jar, the ports and the run folder.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/target/officehours.jar"
RUN_DIR="${OFFICEHOURS_RUN_DIR:-$ROOT/.run}"
DEFAULT_PORT=8080

# JVM flags for every node: a capped G1 heap holds many idle sockets better than a big one.
JAVA_OPTS="${JAVA_OPTS:--Xms256m -Xmx1g -XX:+UseG1GC}"

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# Builds the fat jar when it is missing or older than any source file.
build_if_needed() {
  if [[ ! -f "$JAR" ]] || [[ -n "$(find "$ROOT/src" "$ROOT/pom.xml" -newer "$JAR" -print -quit)" ]]; then
    log "building $JAR"
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
