# Sourced by ./sluice and bench/run-matrix.sh: the server JVM's default options, unless SLUICE_JAVA_OPTS is set.
#
# On a machine with at most two cores the JIT runs only its first tier (C1). There, the second tier's compilation
# (C2) competes for the same cores as the broker and its clients: in paired harness runs on a 2-core machine
# (docs/BENCHMARKS.md) C1-only served T1 as fast or faster for every protocol, and the server's CPU per message was
# lower even 200,000 messages into a run. With more cores the compiler has room and the JVM's defaults stay.
sluice_java_opts() {
  if [ -n "${SLUICE_JAVA_OPTS:-}" ]; then
    echo "$SLUICE_JAVA_OPTS"
    return
  fi
  local opts="-Xms256m -Xmx2g -XX:+UseG1GC"
  if [ "$(nproc 2>/dev/null || echo 4)" -le 2 ]; then
    opts="$opts -XX:TieredStopAtLevel=1"
  fi
  echo "$opts"
}
