#!/bin/sh
# Report-generation benchmark: gometer vs JMeter's -g on generated
# 17-column JTLs of 1 M and 10 M rows. Prints wall time and peak RSS.
#   bench/report/run.sh                 # 1M and 10M rows
#   ROWS="1000000" bench/report/run.sh  # just 1M
#   JMETER_HOME=/opt/jmeter bench/report/run.sh   # also time JMeter 5.6.3 -g
# Files go to $BENCH_DIR (default /tmp/gometer-report-bench, ~1.4 GB for 10M).
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=${BENCH_DIR:-/tmp/gometer-report-bench}
rows=${ROWS:-"1000000 10000000"}
mkdir -p "$dir"
cd "$root"
go build -o "$dir/genjtl" ./bench/report/genjtl
go build -o "$dir/reportgen" ./bench/report/reportgen

measure() { # label cmd...
  label=$1; shift
  /usr/bin/time -v "$@" > "$dir/last.out" 2> "$dir/last.time" || { cat "$dir/last.time" >&2; return 1; }
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$dir/last.time")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$dir/last.time")
  usr=$(sed -n 's/.*User time (seconds): //p' "$dir/last.time")
  sys=$(sed -n 's/.*System time (seconds): //p' "$dir/last.time")
  cpu=$(echo "$usr $sys" | awk '{printf "%.1f", $1 + $2}')
  printf '%-34s wall %-9s CPU %7ss  peak RSS %6d MB\n' "$label" "$wall" "$cpu" $((rss / 1024))
}

for n in $rows; do
  f="$dir/r$n.jtl"
  [ -s "$f" ] || "$dir/genjtl" -n "$n" -labels 20 -users 50 -o "$f"
  size=$(($(stat -c %s "$f") / 1000000))
  echo "== $n rows ($size MB)"
  rm -rf "$dir/out-g"
  measure "gometer (exact percentiles)" "$dir/reportgen" -o "$dir/out-g" "$f"
  rm -rf "$dir/out-g"
  measure "gometer (--percentiles=jmeter)" "$dir/reportgen" -percentiles jmeter -o "$dir/out-g" "$f"
  if [ -n "${JMETER_HOME:-}" ]; then
    rm -rf "$dir/out-j"
    measure "JMeter 5.6.3 -g" env HEAP="${JMETER_HEAP:--Xms1g -Xmx1g}" "$JMETER_HOME/bin/jmeter" -g "$f" -o "$dir/out-j" -j "$dir/jmeter.log"
  fi
done
