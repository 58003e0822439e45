#!/usr/bin/env bash
# The classic tutoring run against one fresh node, with the in-memory store or with Redis (AOF on),
# for docs/benchmarks.md. Usage: scripts/bench-store.sh memory|redis RUN_NUMBER
# Writes /tmp/bench/<mode>-<n>/ (result.json, report.html) and, for Redis, /tmp/bench/cmdstats-<n>.txt
# (INFO commandstats after the run). Starts and stops its own node and redis-server by pid.
set -u
cd "$(dirname "$0")/.."
mkdir -p /tmp/bench
mode=$1; n=$2
RP=16390
P=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
extra=()
if [[ $mode == redis ]]; then
  D=$(mktemp -d); redis-server --port $RP --bind 127.0.0.1 --dir $D --appendonly yes --save '' --logfile $D/redis.log --daemonize no & RPID=$!
  until redis-cli -p $RP ping 2>/dev/null | grep -q PONG; do sleep 0.1; done
  extra=(--redis redis://127.0.0.1:$RP)
fi
[[ -f target/officehours.jar ]] || mvn -B -q package -DskipTests
java -Xmx1g -jar target/officehours.jar --port $P --host 127.0.0.1 "${extra[@]}" > /tmp/bench/node-$mode-$n.log 2>&1 & NPID=$!
until curl -fsS http://127.0.0.1:$P/health >/dev/null 2>&1; do sleep 0.2; done
[[ $mode == redis ]] && redis-cli -p $RP CONFIG RESETSTAT >/dev/null
scripts/loadtest.sh tutoring --students 1000 --teachers 10 --messages 50 --capacity 5 --targets 127.0.0.1:$P --client-rate 0 --out /tmp/bench/$mode-$n --quiet > /tmp/bench/gen-$mode-$n.log 2>&1
echo "exit $?"
if [[ $mode == redis ]]; then
  redis-cli -p $RP INFO commandstats | grep -E "cmdstat_(evalsha|eval|hmget|xadd|hset|xrange|get|batch)" > /tmp/bench/cmdstats-$n.txt
  redis-cli -p $RP INFO commandstats | awk -F'[=,:]' '/^cmdstat/ {s+=$3} END {print "total calls", s}' >> /tmp/bench/cmdstats-$n.txt
  kill $RPID
fi
kill $NPID; wait $NPID 2>/dev/null
python3 - <<PY
import json
r=json.load(open("/tmp/bench/$mode-$n/result.json"))
s=r["summary"]; l=r["latency"]; c=r["correctness"]
print("$mode", "$n", "wall", s["wallTimeMs"], "msg/s", s["messagesPerSecond"], "send p50", l["send"]["p50"], "p99", l["send"]["p99"], "rt p99", l["roundTrip"]["p99"], "lost", c["lost"], "dup", c["duplicated"], "429", s["retries429"])
PY
