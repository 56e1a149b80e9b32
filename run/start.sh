#!/usr/bin/env bash
# Starts the Patchbay server on its embedded defaults, building it first when needed.
# Plugins and data folders are created in the current directory unless set with
#   -Dfelix.fileinstall.dir=DIR  -Dpatchbay.data=DIR  (and -Dorg.osgi.service.http.port=PORT)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
jar="$here/target/patchbay.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$here/.." -path '*/src/*' -newer "$jar" -print -quit 2>/dev/null)" ]; then
  (cd "$here/.." && mvn -B -q install -DskipTests)
fi
# Start-up and idle memory (run/benchmarks/startup.py): C1 only needs about half the CPU to the first answer, and a
# serial collector with a heap that starts small and gives memory back keeps the idle server near 150 MiB instead of
# 250. A server with heavy API traffic may prefer the JVM's defaults: set JAVA_OPTS (even empty) to replace these.
defaults="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xms32m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -Xss512k"
defaults+=" -XX:ReservedCodeCacheSize=32m"
exec java ${JAVA_OPTS-$defaults} "$@" -jar "$jar"
