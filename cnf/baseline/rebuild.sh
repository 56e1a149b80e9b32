#!/usr/bin/env bash
# Rebuilds io.patchbay.api 1.0.0 from the commit it was released from and checks that it is byte for byte the jar
# kept here (bundle jars are reproducible). Extra arguments go to Maven, e.g. -o -Dmaven.repo.local=...
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
commit=3a466f3  # the last commit with every api package at 1.0.0
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
git -C "$root" archive "$commit" pom.xml bnd.bnd cnf bundles/io.patchbay.api | tar -x -C "$work"
# the release is that tree with the reactor's version set to 1.0.0
sed -i 's#<version>0.1.0-SNAPSHOT</version>#<version>1.0.0</version>#' "$work/pom.xml" "$work/bundles/io.patchbay.api/pom.xml"
mvn -B -q "$@" -f "$work/bundles/io.patchbay.api/pom.xml" package -DskipTests -Dbnd.baseline.skip=true
built="$work/bundles/io.patchbay.api/target/io.patchbay.api-1.0.0.jar"
if cmp -s "$built" "$here/io.patchbay.api-1.0.0.jar"; then
  echo "io.patchbay.api-1.0.0.jar is the build of $commit ($(sha256sum "$built" | cut -d' ' -f1))"
else
  echo "io.patchbay.api-1.0.0.jar differs from the build of $commit"; exit 1
fi
