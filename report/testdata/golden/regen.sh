#!/bin/sh
# Regenerates the golden files with a real JMeter 5.6.3 (JMETER_HOME must
# point to an installed copy; nothing of JMeter is kept in this repository).
# Run from this folder:  JMETER_HOME=/opt/jmeter ./regen.sh
set -eu
: "${JMETER_HOME:?set JMETER_HOME to a JMeter 5.6.3 installation}"
root=$(cd ../../.. && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for p in basic onlyfail mixed window long; do
  (cd "$root" && go run ./bench/report/genjtl -preset "$p" -o "$tmp/$p.jtl")
done
gzip -9n -c "$tmp/window.jtl" > window.jtl.gz
cp "$tmp/basic.jtl" "$tmp/onlyfail.jtl" "$tmp/mixed.jtl" "$tmp/long.jtl" .
run() { # name jtl [-Jprop=value ...]
  name=$1; jtl=$2; shift 2
  HEAP="-Xms256m -Xmx1g" "$JMETER_HOME/bin/jmeter" -g "$jtl" -o "$tmp/out-$name" -j "$tmp/$name.jmeter.log" "$@" > "$tmp/$name.log" 2>&1
  cp "$tmp/out-$name/statistics.json" "$name.statistics.json"
  python3 extract_dashboard.py "$tmp/out-$name" > "$name.dashboard.json"
  python3 extract_dashboard.py --graphs "$tmp/out-$name" > "$name.graphs.json"
}
run basic basic.jtl
run onlyfail onlyfail.jtl
run mixed mixed.jtl
run window "$tmp/window.jtl"
run long long.jtl
# same file, other percentiles and APDEX thresholds (props.properties)
run mixed-props mixed.jtl -q props.properties
