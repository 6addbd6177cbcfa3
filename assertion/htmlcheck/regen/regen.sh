#!/bin/sh
# Regenerates testdata/jtidy-counts.txt with the JTidy of a JMeter install:
#   JMETER_HOME=/opt/jmeter assertion/htmlcheck/regen/regen.sh
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
jar=$(ls "$JMETER_HOME"/lib/jtidy-*.jar | head -n 1)
cd "$here/testdata/jtidy"
java -cp "$jar" "$here/regen/Counts.java" *.html > "$here/testdata/jtidy-counts.txt"
