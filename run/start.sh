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
exec java ${JAVA_OPTS:-} "$@" -jar "$jar"
