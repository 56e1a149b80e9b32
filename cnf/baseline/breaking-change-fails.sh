#!/usr/bin/env bash
# Shows that baselining guards the api: on a copy of it, an incompatible change to an exported package without a
# major version bump must fail the build with bnd's baseline report, and the same change with the bump must pass.
# Extra arguments go to Maven, e.g. -o -Dmaven.repo.local=...
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bundles"
cp -r "$root/pom.xml" "$root/bnd.bnd" "$root/cnf" "$work/"
cp -r "$root/bundles/io.patchbay.api" "$work/bundles/"
rm -rf "$work/bundles/io.patchbay.api/target" "$work/bundles/io.patchbay.api/src/test"
api="$work/bundles/io.patchbay.api/src/main/java/io/patchbay/api/source"
# UpdateSource is a consumer type (plugins implement it) in a package still at 1.x: a new abstract method breaks
# every vendor plugin, so it needs a major bump of the package
python3 - "$api/UpdateSource.java" <<'PY'
import sys
p = sys.argv[1]
s = open(p).read().rstrip()
assert s.endswith("}"), "UpdateSource.java does not end with its closing brace"
open(p, 'w').write(s[:-1] + "    void anAbstractMethodEveryPluginMustNowImplement();\n}\n")
PY
build() { mvn -B "$@" -f "$work/bundles/io.patchbay.api/pom.xml" verify -DskipTests 2>&1; }
out="$(build "$@")"
if [ $? -eq 0 ] || ! grep -q "Baseline problems detected" <<<"$out" \
    || ! grep -qE '^\[ERROR\] \* io\.patchbay\.api\.source +PACKAGE +MAJOR' <<<"$out"; then
  echo "FAILED: adding an abstract method to UpdateSource without a major bump did not fail the baseline"
  echo "$out" | tail -40; exit 1
fi
echo "ok: a new abstract method in a consumer type without a major bump fails the build:"
grep -E '^\[ERROR\] \* io\.patchbay\.api\.source ' <<<"$out"
version=$(grep -o 'Version("[0-9.]*")' "$api/package-info.java" | grep -o '[0-9][0-9.]*')
major=$(( ${version%%.*} + 1 ))
sed -i "s/Version(\"$version\")/Version(\"$major.0.0\")/" "$api/package-info.java"
out="$(build "$@")"
if [ $? -ne 0 ]; then
  echo "FAILED: the same change with io.patchbay.api.source at $major.0.0 did not pass"; echo "$out" | tail -40; exit 1
fi
echo "ok: with io.patchbay.api.source at $major.0.0 the same change passes"
