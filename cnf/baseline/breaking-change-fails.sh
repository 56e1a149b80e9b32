#!/usr/bin/env bash
# Shows that baselining guards the api: on a copy of it, removing a method of an exported package without a major
# version bump must fail the build with bnd's baseline report, and the same change with the bump must pass.
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
api="$work/bundles/io.patchbay.api/src/main/java/io/patchbay/api"
# InvalidInputException.value() has been public since 1.0.0
python3 - "$api/InvalidInputException.java" <<'PY'
import re, sys
p = sys.argv[1]
s = open(p).read()
t = re.sub(r'\n    /\*\* The value that was refused; may be null\. \*/\n    public Object value\(\) \{\n        return value;\n    \}\n', '\n', s)
assert t != s, "the method to remove was not found"
open(p, 'w').write(t)
PY
build() { mvn -B "$@" -f "$work/bundles/io.patchbay.api/pom.xml" verify -DskipTests 2>&1; }
out="$(build "$@")"
if [ $? -eq 0 ] || ! grep -q "Baseline problems detected" <<<"$out" \
    || ! grep -qE '^\[ERROR\] \* io\.patchbay\.api +PACKAGE +MAJOR' <<<"$out"; then
  echo "FAILED: removing InvalidInputException.value() without a major bump did not fail the baseline"
  echo "$out" | tail -40; exit 1
fi
echo "ok: removing a method without a major bump fails the build:"
grep -E '^\[ERROR\] \* io\.patchbay\.api ' <<<"$out"
version=$(grep -o 'Version("[0-9.]*")' "$api/package-info.java" | grep -o '[0-9][0-9.]*')
major=$(( ${version%%.*} + 1 ))
sed -i "s/Version(\"$version\")/Version(\"$major.0.0\")/" "$api/package-info.java"
out="$(build "$@")"
if [ $? -ne 0 ]; then
  echo "FAILED: the same change with io.patchbay.api at $major.0.0 did not pass"; echo "$out" | tail -40; exit 1
fi
echo "ok: with io.patchbay.api at $major.0.0 the same change passes"
