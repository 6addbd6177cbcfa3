#!/usr/bin/env bash
# Hostile-input probe: runs gometer against every kind of input that used to
# hang it or grow its memory without bound, each case under a memory cap
# (its resident memory is polled every 50 ms and the process killed past the
# cap: an address-space limit such as prlimit --as also counts what the Go
# runtime and libc only reserve) and a time limit, against bench/target's
# fault endpoints on a loopback port. A case passes when gometer ends in time,
# under the cap, with the expected exit code.
# Usage: bench/hostile/probe.sh [-m MiB] [-t seconds]
set -u
mem=512 limit=60
while getopts m:t: o; do
	case $o in
	m) mem=$OPTARG ;;
	t) limit=$OPTARG ;;
	*) echo "usage: $0 [-m MiB] [-t seconds]" >&2; exit 2 ;;
	esac
done
cd "$(dirname "$0")/../.."
root=$PWD
work=$(mktemp -d)
tpid=
cleanup() {
	[ -n "$tpid" ] && kill "$tpid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
go build -o "$work/gometer" ./cmd/gometer && go build -o "$work/target" ./bench/target || exit 1
"$work/target" -url-file "$work/url" >"$work/target.log" 2>&1 &
tpid=$!
for _ in $(seq 100); do [ -s "$work/url" ] && break; sleep 0.1; done
port=$(sed 's/.*://' "$work/url")
bad=$root/testdata/bad
mkfifo "$work/fifo.csv"
sed "s#no-such-accounts.csv#/dev/zero#" "$bad/csv-missing.jmx" >"$work/csv-dev-zero.jmx"
sed "s#no-such-accounts.csv#$work/fifo.csv#" "$bad/csv-missing.jmx" >"$work/csv-fifo.jmx"
head -c 3000000 /dev/zero | tr '\0' 'x' >"$work/big.csv"
sed "s#no-such-accounts.csv#$work/big.csv#" "$bad/csv-missing.jmx" >"$work/csv-big.jmx"
# larger than the memory cap: streamed, never held whole
yes 'account,password' | head -c $(((mem + 100) << 20)) >"$work/huge.csv"
sed "s#no-such-accounts.csv#$work/huge.csv#" "$bad/csv-missing.jmx" >"$work/csv-huge.jmx"
head -c $(((mem / 2) << 20)) /dev/zero >"$work/upload.bin"

pass=0 fail=0
# probe NAME WANT_EXIT PLAN [ARGS...]
probe() {
	local name=$1 want=$2 plan=$3
	shift 3
	local file start end code rss pid over=
	file=$work/$(echo "$name" | tr -c 'A-Za-z0-9=.\n-' _)
	start=$(date +%s%N)
	"$work/gometer" -n -t "$plan" -l "$file.jtl" -Jport="$port" "$@" >"$file.out" 2>&1 &
	pid=$!
	rss=0
	while kill -0 "$pid" 2>/dev/null; do
		local kb
		kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null)
		[ -n "$kb" ] && [ "$kb" -gt "$rss" ] && rss=$kb
		if [ "${kb:-0}" -gt $((mem << 10)) ]; then
			over="over the memory cap"
			kill -KILL "$pid"
		elif [ $(($(date +%s%N) - start)) -gt $((limit * 1000000000)) ]; then
			over="over the time limit"
			kill -KILL "$pid"
		fi
		sleep 0.05
	done
	wait "$pid"
	code=$?
	end=$(date +%s%N)
	local verdict=ok
	if [ "$code" != "$want" ] || [ -n "$over" ]; then
		verdict=FAIL
		fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
	printf '%-28s exit %3s (want %s)  %6.1f s  %6s MiB peak  %s %s\n' "$name" "$code" "$want" \
		"$(echo "($end - $start) / 1000000000" | bc -l)" "$((rss / 1024))" "$verdict" "$over"
	if [ "$verdict" = FAIL ]; then sed 's/^/    | /' "$file.out" | head -8; fi
}

neg=$bad/scheduler-negative.jmx
for v in NaN Infinity 1e30 99999999999999999999 -5 2.7 1000000000; do
	probe "threads=$v" 1 "$neg" -Jthreads="$v" -Jduration=5
done
probe "duration=18446744074" 1 "$neg" -Jduration=18446744074
probe "ramp=18446744074" 1 "$neg" -Jduration=5 -Jramp=18446744074
probe "duration=-20" 1 "$neg"
for p in "$bad"/*.jmx; do
	probe "bad/$(basename "$p" .jmx)" 1 "$p"
done
probe "csv=/dev/zero" 1 "$work/csv-dev-zero.jmx"
probe "csv=fifo" 1 "$work/csv-fifo.jmx"
probe "csv=3MB, limit 1MB" 1 "$work/csv-big.jmx" -Jgometer.max_data_file_mb=1
probe "csv larger than the cap, streamed" 0 "$work/csv-huge.jmx"
probe "4 users upload a file of half the cap" 0 bench/hostile/uploads.jmx -Jupload="$work/upload.bin"
probe "module-bomb (10^6 copies)" 1 bench/hostile/module-bomb.jmx
probe "runaway-regex" 0 bench/hostile/runaway-regex.jmx
probe "runaway-jsonpath-regex" 0 bench/hostile/runaway-jsonpath.jmx
probe "50,000 response headers" 0 bench/hostile/too-many-headers.jmx
probe "trickle+endless, 3 s plan" 0 bench/hostile/time-bounds.jmx -Jgometer.shutdown_grace=2
probe "gzip/deflate bombs 4 GiB" 0 bench/hostile/bombs.jmx
echo "$pass passed, $fail failed (memory cap ${mem} MiB resident, ${limit} s each)"
[ "$fail" = 0 ]
