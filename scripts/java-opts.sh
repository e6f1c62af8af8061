# Sourced by ./sluice and bench/run-matrix.sh: the server JVM's default options, unless SLUICE_JAVA_OPTS is set.
#
# On a machine with at most two cores the JIT runs only its first tier (C1) and the heap is collected by the serial
# collector. There, the second tier's compilation (C2) competes for the same cores as the broker and its clients: in
# paired harness runs on a 2-core machine (docs/BENCHMARKS.md) C1-only served T1 as fast or faster for every
# protocol, and the server's CPU per message was lower even 200,000 messages into a run. G1's write barriers (kept
# whole in first-tier code) and its concurrent refinement cost CPU on every message, and its two-thread young pauses
# lost their CPUs to the clients: in alternated runs the serial collector's young pauses were mostly 1.5-7 ms against
# G1's 8-41 ms, server CPU per message was lower in T1 and L1 for every protocol, and F1 (16 readers) cost up to
# 15 % more. With more cores the compiler and G1 have room and the JVM's defaults stay.
#
# With the first tier only, a compilation is cheap, so it comes ten times sooner (CompileThresholdScaling=0.1): a
# method run once per batch (a 500-entry XREADGROUP, an XACK of 500 ids) is otherwise interpreted for its first 200
# calls or so, about the whole of a 100,000-message replay. In four alternated pairs of a fresh server running T1 then
# R1, R1's server CPU was 3.4-4.5 against 4.0-5.3 us per message and the cold T1's 44-48 against 45-63; start-up took
# as long, with 4 MiB more resident memory.
#
# On Java 23 and newer, --sun-misc-unsafe-memory-access=allow lets Netty use sun.misc.Unsafe for its direct buffers,
# as it does on older JDKs; without it Netty 4.2 turns Unsafe off on Java 25 (to avoid the JDK's warning) and copies
# through bounds-checked ByteBuffer views: reading a command's arguments out of the socket buffer took twice the
# event loop's time in a profile of Redis T1, and Kafka's F1 was faster with it in alternated runs.
sluice_java_feature() { # the running JDK's feature release (21, 25...), from $JAVA_HOME/release when it has one
  local v=""
  [ -r "${JAVA_HOME:-}/release" ] && v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$JAVA_HOME/release")
  if [ -z "$v" ] && command -v sluice_java_major >/dev/null 2>&1 && [ -n "${JAVA_HOME:-}" ]; then
    v=$(sluice_java_major "$JAVA_HOME")
  fi
  echo "${v:-0}"
}

sluice_java_opts() {
  if [ -n "${SLUICE_JAVA_OPTS:-}" ]; then
    echo "$SLUICE_JAVA_OPTS"
    return
  fi
  local opts="-Xms256m -Xmx2g"
  if [ "$(nproc 2>/dev/null || echo 4)" -le 2 ]; then
    opts="$opts -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=0.1"
  else
    opts="$opts -XX:+UseG1GC"
  fi
  if [ "$(sluice_java_feature)" -ge 23 ]; then
    opts="$opts --sun-misc-unsafe-memory-access=allow"
  fi
  echo "$opts"
}
