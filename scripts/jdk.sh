# Sourced by ./sluice, ./run-tests and .ci/run: selects a JDK 21 or newer and exports JAVA_HOME.
# Order: an existing JAVA_HOME if it is 21+, then the JDKs under /usr/lib/jvm (newest first), then `java` on PATH.
sluice_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p'
}
sluice_select_jdk() {
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  for d in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do candidates+=("${d%/}"); done
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  local c v
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    v=$(sluice_java_major "$c")
    if [ -n "$v" ] && [ "$v" -ge 21 ]; then
      export JAVA_HOME="$c"
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  done
  echo "sluice: no JDK 21 or newer found (looked at JAVA_HOME, /usr/lib/jvm and PATH); install one, e.g. Temurin 21+" >&2
  return 1
}
sluice_select_jdk
