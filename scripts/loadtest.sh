#!/usr/bin/env bash
# Runs the load generator that ships in the jar against running nodes (it starts none itself).
# Usage: scripts/loadtest.sh SCENARIO [options]      (scripts/loadtest.sh SCENARIO --help for all)
#   tutoring  --students 1000 --teachers 10 --messages 50 --capacity 5
#   idle      --connections N --rate R --duration 60s [--server-pid PID]
#   broadcast --subscribers N --messages M [--subscriber-role teacher|admin] [--rate R]
#   arrival   --connections C
# Common: --targets host:port,... --procs K --out DIR --timeout 120s --jwt-secret KEY
# Writes DIR/result.json and DIR/report.html (default DIR: results/<scenario>-<time>); exits 1
# when the run did not pass (lost or duplicated lines, unfinished chats, failed connections).
# LOADTEST_JAVA_OPTS sets the generator's JVM flags (each --procs child takes --child-jvm-opts).
source "$(dirname "$0")/common.sh"
build_if_needed

# shellcheck disable=SC2086
exec java ${LOADTEST_JAVA_OPTS:--Xms256m -Xmx1g -XX:+UseG1GC} -cp "$JAR" io.officehours.loadtest.LoadTest "$@"
