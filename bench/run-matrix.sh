#!/usr/bin/env bash
# Runs the benchmark matrix (bench/WORKLOADS.md) against Sluice and the real peers, one system at a time,
# and appends one JSON line per run to bench/results/<UTC timestamp>[-quick].jsonl.
#
#   bench/run-matrix.sh [--quick] [--only sluice|peers] [--systems "kafka rabbitmq nats redis sluice"]
#                       [--workloads "M1 T1 L1 F1 R1"] [--protocols "kafka amqp jetstream nats redis"]
#                       [--sluice-durability "fsync os-cache"] [--out FILE] [--no-build]
#
#   --quick      small message counts (CI smoke mode: `--quick --only sluice` needs no peer; target 2 minutes)
#   --only       sluice: Sluice alone; peers: the peers alone
#   --systems    explicit list (default: all); --workloads and --protocols likewise
#   --sluice-durability  Sluice's log.durability modes to measure, each as its own rows (default:
#                $SLUICE_LOG_DURABILITY or fsync). The peers run with their own defaults (Kafka: page cache, Redis:
#                appendfsync everysec, JetStream: write cache, RabbitMQ quorum: fsync), so "fsync os-cache" gives a
#                like-for-like row against each of them.
#
# Peers are started and stopped with the scripts in $SLUICE_PEERS_SCRIPTS (default /work/shared/peers), each
# on a clean data dir; Sluice is started from sluice-server/target/sluice-server-*-all.jar (`./sluice serve` when
# there is no jar) on a fresh SLUICE_DATA_DIR for each protocol and durability mode.
# Every peer or Sluice process this script started is stopped on exit, also on error or Ctrl-C.
# Message counts can be overridden: BENCH_<WORKLOAD>_MESSAGES (e.g. BENCH_R1_MESSAGES=10000000), BENCH_M1_QUEUES,
# BENCH_T1_WARMUP_MESSAGES / BENCH_F1_WARMUP_MESSAGES (full mode 10000 / 1000, quick mode 0; 0 = no warm-up pass).
# R1 fills its backlog through each client's bulk path (BENCH_R1_FILL_WINDOW unconfirmed, default 10000) and, when
# /proc/sys/vm/drop_caches is writable (root), drops the OS page cache before the replay (BENCH_DROP_CACHES=0: don't;
# quick mode doesn't unless BENCH_DROP_CACHES=1).
# HARNESS_JAVA_OPTS replaces the clients' JVM options (see below for the default and why).
# The log prints each server's start-up time and each run's duration; the last line the total elapsed time.
# Exit status: 0 when every run verified; 1 when any run failed or a system could not be started.
set -uo pipefail
{ # the whole script is one compound command: bash parses it completely before running, so editing this file
  # while a matrix runs cannot change what the running matrix does

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PEERS="${SLUICE_PEERS_SCRIPTS:-/work/shared/peers}"
QUICK=0; ONLY=""; SYSTEMS=""; WORKLOADS="M1 T1 L1 F1 R1"; OUT=""; BUILD=1
SLUICE_MODES="${SLUICE_LOG_DURABILITY:-fsync}"; PROTOCOLS="kafka amqp jetstream nats redis"

while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --only) ONLY="$2"; shift ;;
    --systems) SYSTEMS="$2"; shift ;;
    --workloads) WORKLOADS="$2"; shift ;;
    --sluice-durability) SLUICE_MODES="$2"; shift ;;
    --protocols) PROTOCOLS="$2"; shift ;;
    --out) OUT="$2"; shift ;;
    --no-build) BUILD=0 ;;
    -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
    *) echo "run-matrix: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

for m in $SLUICE_MODES; do
  case "$m" in fsync|os-cache) ;; *) echo "run-matrix: --sluice-durability takes fsync and/or os-cache, not $m" >&2; exit 2 ;; esac
done

if [ -z "$SYSTEMS" ]; then
  case "$ONLY" in
    sluice) SYSTEMS="sluice" ;;
    peers) SYSTEMS="kafka rabbitmq nats redis" ;;
    "") SYSTEMS="kafka rabbitmq nats redis sluice" ;;
    *) echo "run-matrix: --only sluice|peers" >&2; exit 2 ;;
  esac
fi

# Message counts, sized so the whole matrix fits 15 minutes (quick: 2) on a quiet 2-core machine; the time goes to
# fixed costs more than to messages: server start-ups, consumer-group joins, and in M1 creating 1,000 durable
# queues (with Sluice in fsync mode each costs several fsyncs). M1 sends 2 messages per queue (its figures are the
# idle cost, not throughput), L1 runs 6 s at 5,000 msg/s (25,000 recorded samples after the warm-up).
if [ "$QUICK" = 1 ]; then
  T1=5000; L1=5000; F1=500; M1=500; R1=10000; M1_QUEUES=50; IDLE=1; STALL=30; MODE=quick; T1_WARM=0; F1_WARM=0
else
  T1=50000; L1=30000; F1=5000; M1=2000; R1=100000; M1_QUEUES=1000; IDLE=5; STALL=30; MODE=full; T1_WARM=10000; F1_WARM=1000
fi
T1="${BENCH_T1_MESSAGES:-$T1}"; L1="${BENCH_L1_MESSAGES:-$L1}"; F1="${BENCH_F1_MESSAGES:-$F1}"
M1="${BENCH_M1_MESSAGES:-$M1}"; R1="${BENCH_R1_MESSAGES:-$R1}"; M1_QUEUES="${BENCH_M1_QUEUES:-$M1_QUEUES}"
# T1 and F1 are preceded by an unmeasured warm-up pass of this many messages on their own destinations (every
# system alike: the JVMs' JIT and every server's caches are warm when the measured pass starts, as L1's first second is)
T1_WARM="${BENCH_T1_WARMUP_MESSAGES:-$T1_WARM}"; F1_WARM="${BENCH_F1_WARMUP_MESSAGES:-$F1_WARM}"

mkdir -p "$ROOT/bench/results"
[ -n "$OUT" ] || OUT="$ROOT/bench/results/$(date -u +%Y%m%dT%H%M%SZ)$([ "$QUICK" = 1 ] && echo -quick).jsonl"
LOG="${OUT%.jsonl}.log"

log() { echo "run-matrix: $*" | tee -a "$LOG" >&2; }

cd "$ROOT"
# shellcheck source=/dev/null
. "$ROOT/scripts/jdk.sh"
# shellcheck source=/dev/null
. "$ROOT/scripts/java-opts.sh"
if [ "$BUILD" = 1 ]; then
  log "building the harness"
  ./mvnw -B -ntp -q -pl sluice-bench -am package -DskipTests >>"$LOG" 2>&1 || { log "build failed, see $LOG"; exit 1; }
  if [[ " $SYSTEMS " == *" sluice "* ]] && [ -x "$ROOT/sluice" ]; then
    # the launcher rebuilds its jar when sources are newer; build it now so start-up time is not build time
    log "building the Sluice server"
    ./mvnw -B -ntp -q -pl sluice-server -am package -DskipTests -Dmaven.javadoc.skip=true >>"$LOG" 2>&1 \
      || { log "Sluice build failed, see $LOG"; exit 1; }
  fi
fi
CP="$ROOT/sluice-bench/target/classes:$(cat "$ROOT/sluice-bench/target/classpath.txt")"

# ---- process control: remember what we started, stop exactly that on exit --------------------------------
RUNNING_PEER=""
SLUICE_PID=""
SLUICE_DIR=""
cleanup() {
  if [ -n "$RUNNING_PEER" ]; then "$PEERS/$RUNNING_PEER.sh" stop >>"$LOG" 2>&1 || true; RUNNING_PEER=""; fi
  stop_sluice
}
trap cleanup EXIT
trap 'exit 130' INT TERM

stop_sluice() {
  if [ -n "$SLUICE_PID" ] && kill -0 "$SLUICE_PID" 2>/dev/null; then
    kill "$SLUICE_PID" 2>/dev/null
    for _ in $(seq 1 60); do kill -0 "$SLUICE_PID" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$SLUICE_PID" 2>/dev/null && kill -9 "$SLUICE_PID" 2>/dev/null
  fi
  SLUICE_PID=""
  if [ -n "$SLUICE_DIR" ]; then
    cat "$SLUICE_DIR.out" >>"$LOG" 2>/dev/null
    rm -rf "$SLUICE_DIR" "$SLUICE_DIR.out"; SLUICE_DIR=""
  fi
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

sluice_port() {
  case "$1" in
    kafka) echo "${SLUICE_KAFKA_PORT:-9092}" ;;
    amqp) echo "${SLUICE_AMQP_PORT:-5672}" ;;
    nats|jetstream) echo "${SLUICE_NATS_PORT:-4222}" ;;
    redis) echo "${SLUICE_RESP_PORT:-6379}" ;;
  esac
}

SLUICE_MODE=fsync # the log.durability of the Sluice being measured
start_sluice() { # protocol
  local port; port="$(sluice_port "$1")"
  local t0=$SECONDS
  [ -x "$ROOT/sluice" ] || { log "no ./sluice launcher in $ROOT: Sluice cannot be measured yet"; return 1; }
  if port_open "$port"; then log "port $port is already taken; not starting Sluice over it"; return 1; fi
  SLUICE_DIR="$(mktemp -d /tmp/sluice-bench-data.XXXXXX)"
  # the jar itself rather than ./sluice: the launcher rebuilds when any src/main is newer than the jar, and a
  # rebuild in the middle of a matrix (after editing the harness, say) would be timed as start-up
  local jar; jar="$(ls "$ROOT"/sluice-server/target/sluice-server-*-all.jar 2>/dev/null | head -n 1)"
  local cmd=("$ROOT/sluice" serve)
  # shellcheck disable=SC2046
  [ -n "$jar" ] && cmd=("$JAVA_HOME/bin/java" $(sluice_java_opts) -jar "$jar" serve)
  # quick (smoke) mode only: Kafka consumer groups form without the 3 s initial rebalance delay, which is most of a
  # quick Kafka run; full mode keeps Kafka's default on both sides, so R1's time to the first message compares
  local delay="${SLUICE_KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS:-}"
  [ "$QUICK" = 1 ] && [ -z "$delay" ] && delay=0
  SLUICE_DATA_DIR="$SLUICE_DIR" SLUICE_LOG_DURABILITY="$SLUICE_MODE" \
    SLUICE_KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS="${delay:-3000}" "${cmd[@]}" >"$SLUICE_DIR.out" 2>&1 &
  SLUICE_PID=$!
  local up_since=""
  for _ in $(seq 1 240); do
    # the port opens when its listener binds; the server says when every listener is bound, and on a loaded
    # machine the gap between the two is long enough for a client's connect to time out
    if port_open "$port" && grep -q "sluice is running" "$SLUICE_DIR.out" 2>/dev/null; then
      log "sluice up in $((SECONDS - t0)) s (pid $SLUICE_PID, $1 on port $port, log.durability=$SLUICE_MODE, data $SLUICE_DIR, JVM options: $(sluice_java_opts))"
      return 0
    fi
    kill -0 "$SLUICE_PID" 2>/dev/null || { log "sluice exited during start-up, see $LOG"; stop_sluice; return 1; }
    # once the server says it runs, a missing $1 listener fails fast instead of in 120 s
    if [ -z "$up_since" ]; then
      grep -q "sluice is running" "$SLUICE_DIR.out" 2>/dev/null && up_since=$SECONDS
    elif [ $((SECONDS - up_since)) -ge 10 ]; then
      log "sluice is up (pid $SLUICE_PID) but nothing listens on the $1 port $port"; stop_sluice; return 1
    fi
    sleep 0.5
  done
  log "sluice did not open port $port within 120 s"; stop_sluice; return 1
}

start_peer() { # system
  [ -x "$PEERS/$1.sh" ] || { log "no peer script $PEERS/$1.sh"; return 1; }
  case "$1" in kafka|redis) "$PEERS/$1.sh" clean >>"$LOG" 2>&1 ;; *) "$PEERS/$1.sh" reset >>"$LOG" 2>&1 ;; esac
  local t0=$SECONDS
  "$PEERS/$1.sh" start >>"$LOG" 2>&1 || { log "$1 did not start, see $LOG"; "$PEERS/$1.sh" stop >>"$LOG" 2>&1; return 1; }
  RUNNING_PEER="$1"
  log "$1 up in $((SECONDS - t0)) s"
}

stop_peer() {
  [ -n "$RUNNING_PEER" ] || return 0
  "$PEERS/$RUNNING_PEER.sh" stop >>"$LOG" 2>&1
  case "$RUNNING_PEER" in kafka|redis) "$PEERS/$RUNNING_PEER.sh" clean >>"$LOG" 2>&1 ;; *) "$PEERS/$RUNNING_PEER.sh" reset >>"$LOG" 2>&1 ;; esac
  RUNNING_PEER=""
}

# ---- what runs where ----------------------------------------------------------------------------------------
protocols_of() {
  case "$1" in
    kafka) echo kafka ;;
    rabbitmq) echo amqp ;;
    nats) echo "jetstream nats" ;;
    redis) echo redis ;;
    sluice) echo "kafka amqp jetstream nats redis" ;;
  esac
}

# Core NATS stores nothing and acknowledges nothing: only the fan-out and latency workloads apply.
applies() { # protocol workload
  [[ " $PROTOCOLS " == *" $1 "* ]] || return 1
  [ "$1" != nats ] || [ "$2" = F1 ] || [ "$2" = L1 ]
}

durability_of() { # system protocol
  case "$1/$2" in
    kafka/*) echo "acks=all; no fsync per message (page cache), one node" ;;
    rabbitmq/*) echo "quorum queue, persistent, confirm after WAL fsync" ;;
    nats/jetstream) echo "file stream R1; PubAck from write cache, fsync every 60 s" ;;
    nats/nats) echo "core NATS: at-most-once, not stored" ;;
    sluice/nats) echo "log.durability=$SLUICE_MODE (unused): core NATS is at-most-once, not stored" ;;
    redis/*) echo "AOF appendfsync everysec" ;;
    sluice/*) if [ "$SLUICE_MODE" = fsync ]; then echo "log.durability=fsync: acknowledged after the covering fsync"
              else echo "log.durability=$SLUICE_MODE: acknowledged after the write (page cache), fsync every ${SLUICE_LOG_FLUSH_INTERVAL_MS:-1000} ms"; fi ;;
  esac
}

messages_of() { case "$1" in T1) echo "$T1" ;; L1) echo "$L1" ;; F1) echo "$F1" ;; M1) echo "$M1" ;; R1) echo "$R1" ;; esac; }

# The harness JVM (the clients), the same for every system. Its heap is touched at start-up (AlwaysPreTouch) and
# class metadata gets room (MetaspaceSize): otherwise the first young collections of each workload's fresh JVM
# touched new pages and a metadata threshold forced a full collection, and on this 2-core VM those paused the clients
# 69-135 ms in the middle of L1, which every message in flight counted as latency. With them the largest client pause
# was 9-14 ms and L1 p99 6.6-10.4 ms for Redis, 7.8-10.6 ms for Sluice, in test runs; without, Sluice's p99 was
# 20-32 ms (docs/BENCHMARKS.md).
HARNESS_JAVA_OPTS="${HARNESS_JAVA_OPTS:--Xms256m -Xmx1g -XX:+AlwaysPreTouch -XX:MetaspaceSize=128m}"

FAILED=0
RUNS=0
run_one() { # system protocol workload port
  local extra=()
  [ "$1" = kafka ] && extra+=(--server-version "Apache Kafka ${KAFKA_VERSION:-4.4.0}")
  [ "$1" = sluice ] && [ "$2" = kafka ] && extra+=(--server-version "sluice $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)")
  [ "$3" = M1 ] && [ "$QUICK" = 0 ] && extra+=(--jvm-heap)
  [ "$3" = T1 ] && [ "$T1_WARM" -gt 0 ] && extra+=(--warmup-messages "$T1_WARM")
  [ "$3" = F1 ] && [ "$F1_WARM" -gt 0 ] && extra+=(--warmup-messages "$F1_WARM")
  if [ "$3" = R1 ]; then
    extra+=(--fill-window "${BENCH_R1_FILL_WINDOW:-10000}")
    # quick (smoke) mode reads warm by default: a cold read costs more than the rest of a quick run
    [ "${BENCH_DROP_CACHES:-$((1 - QUICK))}" = 1 ] && [ -w /proc/sys/vm/drop_caches ] && extra+=(--drop-caches)
  fi
  RUNS=$((RUNS + 1))
  local t0=$SECONDS
  log "$1/$2 $3 ($(messages_of "$3") messages$([ "$1" = sluice ] && echo ", log.durability=$SLUICE_MODE"))"
  java $HARNESS_JAVA_OPTS -cp "$CP" io.sluice.bench.harness.BenchMain \
      --system "$1" --protocol "$2" --port "$4" --workload "$3" --messages "$(messages_of "$3")" \
      --durability "$(durability_of "$1" "$2")" --queues "$M1_QUEUES" --idle-seconds "$IDLE" \
      --stall-timeout "$STALL" --out "$OUT" "${extra[@]}" >/dev/null 2>>"$LOG"
  local rc=$?
  if [ $rc != 0 ]; then FAILED=$((FAILED + 1)); log "FAILED: $1/$2 $3 (exit $rc), see $LOG"
  else log "$1/$2 $3 took $((SECONDS - t0)) s"; fi
}

peer_port() { case "$1" in kafka) echo 19092 ;; amqp) echo 35672 ;; nats|jetstream) echo 14222 ;; redis) echo 16379 ;; esac; }

START=$(date +%s)
log "mode=$MODE systems=[$SYSTEMS] workloads=[$WORKLOADS] sluice durability=[$SLUICE_MODES] results: $OUT"
for system in $SYSTEMS; do
  if [ "$system" = sluice ]; then
    for SLUICE_MODE in $SLUICE_MODES; do
      for protocol in $(protocols_of sluice); do
        any=0; for w in $WORKLOADS; do applies "$protocol" "$w" && any=1; done
        [ "$any" = 1 ] || continue # no server start for a protocol none of the workloads apply to
        start_sluice "$protocol" || { FAILED=$((FAILED + 1)); continue; }
        for w in $WORKLOADS; do
          applies "$protocol" "$w" && run_one sluice "$protocol" "$w" "$(sluice_port "$protocol")"
        done
        stop_sluice
      done
    done
  else
    any=0; for protocol in $(protocols_of "$system"); do for w in $WORKLOADS; do applies "$protocol" "$w" && any=1; done; done
    [ "$any" = 1 ] || continue
    start_peer "$system" || { FAILED=$((FAILED + 1)); continue; }
    for protocol in $(protocols_of "$system"); do
      for w in $WORKLOADS; do
        applies "$protocol" "$w" && run_one "$system" "$protocol" "$w" "$(peer_port "$protocol")"
      done
    done
    stop_peer
  fi
done
ELAPSED=$(( $(date +%s) - START ))
log "done: $RUNS runs, $FAILED failures; results in $OUT"
log "total elapsed: $((ELAPSED / 60)) min $((ELAPSED % 60)) s ($ELAPSED s)"
[ "$FAILED" = 0 ]; exit $?
}
