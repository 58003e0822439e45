#!/usr/bin/env bash
# The classic tutoring run (1000 students, 10 teachers, 50 messages per chat, capacity 5: 100,000
# chat lines), unpaced (--client-rate 0), against a JIT-warm server: each setup is started fresh,
# warmed up with a short run and one full classic run, then measured on the next run. The node's
# CPU (utime+stime of its process, all threads) is read from /proc/PID/stat around the measured
# run, in all and by thread kind (event loops, JIT compilers, GC, Hazelcast, the rest); the generator's is
# measured apart. Both share this machine's cores, so the figure to
# compare is node CPU-seconds per chat line, not wall time.
#
#   scripts/bench.sh [--setups one,one-redis,three,three-redis] [--nodes 3] [--against JAR] [--out DIR]
#                    [--students N] [--teachers N] [--messages N] [--capacity N] [--runs N]
#                    [--node-args "ARGS"]
#
# Setups: one (one node, in memory; the default), one-redis, three (3 nodes behind nginx),
# three-redis; --nodes 3 is short for --setups one,three (the cluster against one node, with the
# 3-nodes/one-node ratios of CPU, wall time and p99). Nodes run with --rate 100000
# --rate-burst 100000 so the per-socket limit does not pace the generator. --against JAR also runs that server jar (any server that speaks the
# contract's frames and POST /api/token, e.g. ../shared/floor built as its README says; started
# as `java -jar JAR --host 127.0.0.1 --port P`) the same way in the same invocation, as the setup
# "against", and prints each setup's node CPU and p99 over its.
# --runs N measures N runs per setup and reports the one with the median node CPU. --node-args
# passes more options to every Office Hours node (e.g. "--gateways 1"), not to the --against server.
# Writes DIR/summary.txt, DIR/<setup>/run-<k>/result.json and each server's log (default DIR:
# results/bench-<time>). Everything it starts runs on its own ports and is stopped by pid.
source "$(dirname "$0")/common.sh"

setups="one"
against=""
node_args=""
out="$ROOT/results/bench-$(date +%Y%m%d-%H%M%S)"
students=1000 teachers=10 messages=50 capacity=5 runs=1
while (($#)); do
  case "$1" in
    --setups) setups=$2; shift 2 ;;
    --nodes)
      case "$2" in
        1) setups=one ;;
        3) setups=one,three ;;
        *) echo "--nodes: 1 or 3 (the cluster setups have 3 nodes)" >&2; exit 2 ;;
      esac
      shift 2 ;;
    --out) out=$2; shift 2 ;;
    --students) students=$2; shift 2 ;;
    --teachers) teachers=$2; shift 2 ;;
    --messages) messages=$2; shift 2 ;;
    --capacity) capacity=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --against) against=$2; shift 2 ;;
    --node-args) node_args=$2; shift 2 ;;
    -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (scripts/bench.sh --help)" >&2; exit 2 ;;
  esac
done
build_if_needed
if [[ -n $against ]]; then
  [[ -f $against ]] || { echo "--against: no such jar: $against" >&2; exit 2; }
  against=$(cd "$(dirname "$against")" && pwd)/$(basename "$against")
  setups="against,$setups"
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)
TICKS=$(getconf CLK_TCK)
GEN_OPTS="${LOADTEST_JAVA_OPTS:--Xms256m -Xmx1g -XX:+UseG1GC}"

pids=()            # what the current setup started, stopped by stop_all
redis_url=""
cleanup() { stop_all; }
trap cleanup EXIT

stop_all() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$p" 2>/dev/null || true
  done
  pids=()
}

# Sum of utime+stime (clock ticks) of the given pids.
cpu_ticks() {
  local sum=0 p f
  for p in "$@"; do
    # fields after the ")" that closes the command name: f[0] is field 3 (state), utime is 14, stime 15
    read -r -a f <<<"$(sed 's/^.*) //' "/proc/$p/stat")"
    sum=$((sum + f[11] + f[12]))
  done
  echo "$sum"
}

# Kernel time alone (stime, clock ticks) of the given pids: how much of the CPU is system calls and wake-ups.
sys_ticks() {
  local sum=0 p f
  for p in "$@"; do
    read -r -a f <<<"$(sed 's/^.*) //' "/proc/$p/stat")"
    sum=$((sum + f[12]))
  done
  echo "$sum"
}

# Read and write system calls (/proc/PID/io syscr + syscw) of the given pids: one or two per socket
# read or written frame, so the count of messages the nodes sent and received.
io_calls() {
  local sum=0 p
  for p in "$@"; do
    sum=$((sum + $(awk '/^sysc[rw]:/ { n += $2 } END { print n }' "/proc/$p/io")))
  done
  echo "$sum"
}

# CPU ticks of the given pids' threads, by kind: "loops jit gc other" (event loops, JIT compilers, GC, the rest).
thread_ticks() {
  local p t comm f loops=0 jit=0 gc=0 hz=0 other=0 n
  for p in "$@"; do
    for t in /proc/"$p"/task/*; do
      comm=$(cat "$t/comm" 2>/dev/null) || continue
      read -r -a f <<<"$(sed 's/^.*) //' "$t/stat" 2>/dev/null)" || continue
      n=$((f[11] + f[12]))
      case "$comm" in
        vert.x-eventloo*|*eventloop*) loops=$((loops + n)) ;;
        C1\ Compiler*|C2\ Compiler*) jit=$((jit + n)) ;;
        GC\ Thread*|G1\ *) gc=$((gc + n)) ;;
        hz.*) hz=$((hz + n)) ;;
        *) other=$((other + n)) ;;
      esac
    done
  done
  echo "$loops $jit $gc $hz $other"
}

# "pid:tid ticks name" per thread of the given pids; names from the JVM's thread dump where it has
# them (/proc keeps only 15 characters), digits folded (hz.x.partition-operation.thread-1 ->
# hz.x.partition-operation.thread-N), for the by-name breakdown of a run (node-threads-by-name).
thread_names() {
  local p t comm f
  declare -A names=()
  for p in "$@"; do
    while read -r tid name; do names[$p:$tid]=$name; done < <(jcmd "$p" Thread.print 2>/dev/null \
      | sed -n 's/^"\([^"]*\)".* nid=\(0x[0-9a-f]*\).*/\2 \1/p' | while read -r nid name; do echo "$((nid)) $name"; done)
    for t in /proc/"$p"/task/*; do
      comm=$(cat "$t/comm" 2>/dev/null) || continue
      read -r -a f <<<"$(sed 's/^.*) //' "$t/stat" 2>/dev/null)" || continue
      comm=${names[$p:${t##*/}]:-$comm}
      echo "$p:${t##*/} $((f[11] + f[12])) ${comm//[0-9]/N}"
    done
  done
}

start_redis() {
  local dir=$1 port
  port=$(free_port)
  mkdir -p "$dir"
  redis-server --port "$port" --bind 127.0.0.1 --dir "$dir" --appendonly yes --save '' \
    --logfile "$dir/redis.log" >/dev/null 2>&1 &
  pids+=($!)
  until redis-cli -p "$port" ping 2>/dev/null | grep -q PONG; do sleep 0.1; done
  redis_url="redis://127.0.0.1:$port"
}

# Starts one node (a clustered member with --cluster options); its pid is the last of pids.
start_node() {
  local dir=$1 port=$2; shift 2
  # shellcheck disable=SC2086
  java $JAVA_OPTS -jar "$JAR" --host 127.0.0.1 --port "$port" --rate 100000 --rate-burst 100000 $node_args "$@" \
    >"$dir/node-$port.log" 2>&1 &
  pids+=($!)
}

wait_ready() {
  local port=$1 path=${2:-ready} deadline=$((SECONDS + 90))
  until curl -fsS -m 2 "http://127.0.0.1:$port/$path" >/dev/null 2>&1; do
    (( SECONDS > deadline )) && { echo "node on :$port did not become ready" >&2; return 1; }
    sleep 0.2
  done
}

# Runs the generator once against TARGET; writes DIR/result.json and DIR/gen-cpu (user+sys seconds).
generate() {
  local target=$1 dir=$2; shift 2
  mkdir -p "$dir"
  # shellcheck disable=SC2086
  /usr/bin/time -f "%U %S" -o "$dir/gen-cpu" java $GEN_OPTS -cp "$JAR" io.officehours.loadtest.LoadTest tutoring \
    --targets "$target" --client-rate 0 --quiet --out "$dir" "$@" >"$dir/generator.log" 2>&1 || true
}

# Brings SETUP up; sets target (host:port the generator uses) and node_pids.
up() {
  local setup=$1 dir=$2 store=() i
  node_pids=()
  redis_url=""
  if [[ $setup == *-redis ]]; then
    command -v redis-server >/dev/null || { echo "redis-server is not installed (apt-get install redis-server)" >&2; exit 1; }
    start_redis "$dir/redis"
    store=(--redis "$redis_url")
  fi
  case "$setup" in
    against)
      local port; port=$(free_port)
      # shellcheck disable=SC2086
      java $JAVA_OPTS -jar "$against" --host 127.0.0.1 --port "$port" >"$dir/server-$port.log" 2>&1 &
      pids+=($!)
      node_pids+=("${pids[-1]}")
      wait_ready "$port" health
      target="127.0.0.1:$port"
      ;;
    one|one-redis)
      local port; port=$(free_port)
      start_node "$dir" "$port" "${store[@]}"
      node_pids+=("${pids[-1]}")
      wait_ready "$port"
      target="127.0.0.1:$port"
      ;;
    three|three-redis)
      command -v nginx >/dev/null || { echo "nginx is not installed (apt-get install nginx)" >&2; exit 1; }
      local ports=() hz=() members="" backends=() name="bench-$RANDOM-$$"
      for i in 1 2 3; do ports+=("$(free_port)"); hz+=("$(free_port)"); done
      for i in 0 1 2; do members+="${members:+,}127.0.0.1:${hz[$i]}"; backends+=("127.0.0.1:${ports[$i]}"); done
      for i in 0 1 2; do
        start_node "$dir" "${ports[$i]}" --node-id "node$((i + 1))" --cluster --cluster-name "$name" \
          --cluster-host 127.0.0.1 --cluster-port "${hz[$i]}" --cluster-members "$members" "${store[@]}"
        node_pids+=("${pids[-1]}")
        wait_ready "${ports[$i]}"
      done
      local lb; lb=$(free_port)
      mkdir -p "$dir/nginx"
      write_nginx_conf "$dir/nginx/nginx.conf" "$dir/nginx" "$lb" "${backends[@]}"
      nginx -p "$dir/nginx" -c "$dir/nginx/nginx.conf" -e "$dir/nginx/error.log" >"$dir/nginx/stdout.log" 2>&1 &
      pids+=($!)
      wait_healthy "$lb" 20 || { echo "nginx did not answer; see $dir/nginx/error.log" >&2; exit 1; }
      # the cluster is measured once every member sees the others
      sleep 2
      target="127.0.0.1:$lb"
      ;;
    *) echo "unknown setup $setup (one, one-redis, three, three-redis)" >&2; exit 2 ;;
  esac
}

classic=(--students "$students" --teachers "$teachers" --messages "$messages" --capacity "$capacity")
summary="$out/summary.txt"
: >"$summary"
printf '%-12s %8s %10s %10s %10s %10s %9s %9s %6s %5s %6s  %s\n' setup wall_s node_cpu_s node_us/ln gen_cpu_s gen_us/ln rt_p50_ms rt_p99_ms lost dup errors 'node s: loops/jit/gc/hz/other' | tee -a "$summary"

IFS=, read -r -a setup_list <<<"$setups"
for setup in "${setup_list[@]}"; do
  dir="$out/$setup"
  mkdir -p "$dir"
  log "$setup: starting"
  up "$setup" "$dir"
  log "$setup: warm-up (short run, then one full classic run)"
  generate "$target" "$dir/warmup-short" --students 100 --teachers "$teachers" --messages 10 --capacity "$capacity"
  generate "$target" "$dir/warmup-full" "${classic[@]}"
  for ((k = 1; k <= runs; k++)); do
    log "$setup: measured run $k of $runs"
    thread_names "${node_pids[@]}" >"$dir/names-before"   # before the window: the thread dump costs the node a little
    before=$(cpu_ticks "${node_pids[@]}")
    sys_before=$(sys_ticks "${node_pids[@]}")
    io_before=$(io_calls "${node_pids[@]}")
    threads_before=$(thread_ticks "${node_pids[@]}")
    generate "$target" "$dir/run-$k" "${classic[@]}" --warmup 0
    after=$(cpu_ticks "${node_pids[@]}")
    sys_after=$(sys_ticks "${node_pids[@]}")
    io_after=$(io_calls "${node_pids[@]}")
    threads_after=$(thread_ticks "${node_pids[@]}")
    thread_names "${node_pids[@]}" >"$dir/names-after"
    # seconds per thread name over all nodes, largest first
    awk -v hz="$TICKS" 'NR == FNR { b[$1] = $2; next } { n = $0; sub(/^[^ ]+ [^ ]+ /, "", n); s[n] += $2 - b[$1] }
      END { for (n in s) if (s[n] > 0) printf "%.2f %s\n", s[n] / hz, n }' \
      "$dir/names-before" "$dir/names-after" | sort -rn >"$dir/run-$k/node-threads-by-name"
    rm -f "$dir/names-before" "$dir/names-after"
    awk -v t=$((after - before)) -v hz="$TICKS" 'BEGIN { printf "%.2f\n", t / hz }' >"$dir/run-$k/node-cpu"
    awk -v t=$((sys_after - sys_before)) -v hz="$TICKS" 'BEGIN { printf "%.2f\n", t / hz }' >"$dir/run-$k/node-cpu-sys"
    echo $((io_after - io_before)) >"$dir/run-$k/node-io-calls"
    # the node's CPU by thread kind, in seconds: event loops, JIT compilers, GC, Hazelcast, the rest
    paste -d' ' <(tr ' ' '\n' <<<"$threads_before") <(tr ' ' '\n' <<<"$threads_after") \
      | awk -v hz="$TICKS" '{ printf "%.2f ", ($2 - $1) / hz } END { print "" }' >"$dir/run-$k/node-threads"
  done
  stop_all
  python3 - "$dir" "$runs" "$setup" <<'PY' | tee -a "$summary"
import json, sys, os
d, runs, setup = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rows = []
for k in range(1, runs + 1):
    r = os.path.join(d, f"run-{k}")
    try:
        res = json.load(open(os.path.join(r, "result.json")))
    except Exception as e:
        print(f"{setup:<12} run {k} failed: no result.json ({e}); see {r}/generator.log")
        continue
    node = float(open(os.path.join(r, "node-cpu")).read())
    gu, gs = map(float, open(os.path.join(r, "gen-cpu")).read().split()[-2:])
    s, c, l = res["summary"], res["correctness"], res["latency"]
    lines = max(1, s["messages"])
    rows.append((node, s["wallTimeMs"] / 1000, node, node * 1e6 / lines, gu + gs, (gu + gs) * 1e6 / lines,
                 l["roundTrip"]["p50"], l["roundTrip"]["p99"], c["lost"], c["duplicated"], res["passed"],
                 sum(res.get("errors", {}).values()) + c["outOfOrder"] + c["unexpectedSeq"],
                 "/".join(open(os.path.join(r, "node-threads")).read().split())))
if rows:
    rows.sort()
    m = rows[len(rows) // 2]
    flag = "" if m[10] else "  (run did not pass: see result.json)"
    print(f"{setup:<12} {m[1]:8.2f} {m[2]:10.2f} {m[3]:10.1f} {m[4]:10.2f} {m[5]:10.1f} {m[6]:9.2f} {m[7]:9.2f} {m[8]:6d} {m[9]:5d} {m[11]:6d}  {m[12]}{flag}")
PY
done

python3 - "$summary" <<'PY' | tee -a "$summary"
import sys
rows = {}
for line in open(sys.argv[1]):
    f = line.split()
    if len(f) >= 10 and f[0] in ("against", "one", "one-redis", "three", "three-redis") and f[1] != "run":
        rows[f[0]] = dict(wall=float(f[1]), cpu=float(f[2]), p99=float(f[7]))
def ratio(a, b, what, key):
    if a in rows and b in rows and rows[b][key] > 0:
        print(f"{what:<44} {rows[a][key] / rows[b][key]:5.2f}x")
print()
for s in ("one", "one-redis", "three", "three-redis"):
    ratio(s, "against", f"{s} / against, node CPU (one node target <= 1.3)", "cpu")
    ratio(s, "against", f"{s} / against, round-trip p99 (target <= 1.2)", "p99")
ratio("three", "one", "3 nodes / one node, node CPU (target <= 1.5)", "cpu")
ratio("three", "one", "3 nodes / one node, wall (target <= 1.5)", "wall")
ratio("three", "one", "3 nodes / one node, round-trip p99 (target <= 2)", "p99")
ratio("one-redis", "one", "Redis / in memory, one node CPU (target <= 1.3)", "cpu")
ratio("three-redis", "three", "Redis / in memory, 3 nodes CPU", "cpu")
PY
log "results in $out"
