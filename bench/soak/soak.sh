#!/usr/bin/env bash
# Soak run (issue 8): runs bench/soak/soak.jmx with gometer against
# bench/target for 30 minutes and samples the gometer process every 10 s:
# resident memory (VmRSS, VmHWM), OS threads and open file descriptors from
# /proc/<pid>, plus the target's count of answered requests. The series goes
# to a CSV; at the end a summary says whether memory stayed flat after the
# warm-up and checks that the JTL has one row per answered request.
#
#   bench/soak/soak.sh [--short] [--duration S] [--interval S] [--users N] [--out DIR]
#
#   --short        60 s instead of 1800 s, sampled every 5 s
#   --duration S   run length in seconds (default 1800)
#   --interval S   seconds between samples (default 10)
#   --users N      virtual users (default 40; each loops 5 requests + ~150 ms think time)
#   --out DIR      keep binaries, JTL, logs and soak.csv in DIR (default: a temp dir
#                  whose JTL and binaries are removed when the run is flat)
#
# GOMETER_BIN=path soaks a prebuilt gometer. Goroutines are not sampled (the
# CLI exposes no counter); OS threads and fds stand in for leaks of
# goroutines blocked in the network. Everything runs on 127.0.0.1 and is
# bounded by `timeout`. Exit status: 0 flat, 1 growth or lost samples, 2 usage.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DURATION=1800 INTERVAL=10 USERS=40 OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --short) DURATION=60 INTERVAL=5 ;;
    --duration) DURATION=${2:?--duration needs seconds}; shift ;;
    --interval) INTERVAL=${2:?--interval needs seconds}; shift ;;
    --users) USERS=${2:?--users needs a number}; shift ;;
    --out) OUT=${2:?--out needs a directory}; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "soak.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
for v in "$DURATION" "$INTERVAL" "$USERS"; do
  case "$v" in ''|*[!0-9]*|0) echo "soak.sh: --duration, --interval and --users take positive integers" >&2; exit 2 ;; esac
done

if [ -n "$OUT" ]; then
  mkdir -p "$OUT" && WORK=$(cd "$OUT" && pwd)
else
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/gometer-soak.XXXXXX")
fi
log() { printf 'soak: %s\n' "$*" >&2; }

TARGET_PID="" GOMETER_PID=""
cleanup() {
  [ -n "$GOMETER_PID" ] && kill "$GOMETER_PID" 2>/dev/null
  [ -n "$TARGET_PID" ] && kill "$TARGET_PID" 2>/dev/null
  wait 2>/dev/null
}
trap cleanup EXIT

cd "$ROOT" || exit 1
GOMETER=${GOMETER_BIN:-$WORK/gometer}
if [ -z "${GOMETER_BIN:-}" ]; then
  go build -o "$GOMETER" ./cmd/gometer || exit 1
fi
go build -o "$WORK/target" ./bench/target || exit 1

"$WORK/target" -url-file "$WORK/target.url" >"$WORK/target.log" 2>&1 &
TARGET_PID=$!
for _ in $(seq 50); do [ -s "$WORK/target.url" ] && break; sleep 0.1; done
URL=$(cat "$WORK/target.url" 2>/dev/null)
[ -n "$URL" ] || { log "the target did not start"; exit 1; }
PORT=${URL##*:}
count() { curl -s --max-time 5 "$URL/__count" | sed -n 's/.*"count":\([0-9]*\).*/\1/p'; }

log "gometer $DURATION s, $USERS users, sampled every $INTERVAL s; work dir $WORK"
timeout $((DURATION + 120)) "$GOMETER" -n -t bench/soak/soak.jmx -l "$WORK/soak.jtl" -j "$WORK/gometer.log" \
  -Jport="$PORT" -Jusers="$USERS" -Jduration="$DURATION" -Jsummariser.interval=60 >"$WORK/gometer.out" 2>&1 &
GOMETER_PID=$!
# timeout forks gometer: sample the child, not timeout itself.
for _ in $(seq 50); do
  CHILD=$(pgrep -P "$GOMETER_PID" | head -1)
  [ -n "$CHILD" ] && break
  sleep 0.1
done
[ -n "${CHILD:-}" ] || { log "gometer did not start"; exit 1; }

CSV=$WORK/soak.csv
echo "seconds,rss_kb,hwm_kb,threads,fds,answered" >"$CSV"
START=$(date +%s)
while kill -0 "$CHILD" 2>/dev/null; do
  NOW=$(( $(date +%s) - START ))
  RSS=$(awk '/^VmRSS:/ {print $2}' "/proc/$CHILD/status" 2>/dev/null)
  HWM=$(awk '/^VmHWM:/ {print $2}' "/proc/$CHILD/status" 2>/dev/null)
  THR=$(awk '/^Threads:/ {print $2}' "/proc/$CHILD/status" 2>/dev/null)
  FDS=$(ls "/proc/$CHILD/fd" 2>/dev/null | wc -l)
  [ -n "$RSS" ] && echo "$NOW,$RSS,$HWM,$THR,$FDS,$(count)" >>"$CSV"
  sleep "$INTERVAL"
done
wait "$GOMETER_PID"
CODE=$?
GOMETER_PID=""
ANSWERED=$(count)
ROWS=$(( $(wc -l <"$WORK/soak.jtl") - 1 ))

# Warm-up: the ramp-up plus the first fifth of the run; memory after it
# must stay within 20 % (and 8 MB) of the first sample after it.
awk -F, -v dur="$DURATION" -v rows="$ROWS" -v answered="$ANSWERED" -v code="$CODE" '
  NR == 1 { next }
  { n++; t[n] = $1; rss[n] = $2; thr[n] = $4; fds[n] = $5 }
  END {
    warm = dur / 5; if (warm < 15) warm = 15
    for (i = 1; i <= n && t[i] < warm; i++) ;
    if (i > n) { print "soak: too few samples after the warm-up"; exit 1 }
    base = rss[i]; maxr = base; maxt = thr[i]; mint = thr[i]; maxf = fds[i]; minf = fds[i]
    for (j = i; j <= n; j++) {
      if (rss[j] > maxr) maxr = rss[j]
      if (thr[j] > maxt) maxt = thr[j]; if (thr[j] < mint) mint = thr[j]
      if (fds[j] > maxf) maxf = fds[j]; if (fds[j] < minf) minf = fds[j]
    }
    printf "samples: %d (%d after the %d s warm-up)\n", n, n - i + 1, warm
    printf "RSS: %.1f MB after warm-up, %.1f MB at the end, %.1f MB max after warm-up (%+.1f%%)\n", base/1024, rss[n]/1024, maxr/1024, (maxr-base)*100/base
    printf "OS threads: %d..%d, open fds: %d..%d after warm-up\n", mint, maxt, minf, maxf
    printf "JTL rows: %d, target answered: %d, gometer exit: %d\n", rows, answered, code
    bad = 0
    if (maxr > base * 1.2 && maxr - base > 8192) { print "soak: RSS GREW after the warm-up"; bad = 1 }
    if (maxf - minf > 8) { print "soak: open fds GREW after the warm-up"; bad = 1 }
    if (rows != answered) { print "soak: JTL rows differ from the requests answered"; bad = 1 }
    if (code != 0) { print "soak: gometer failed"; bad = 1 }
    if (!bad) print "soak: flat"
    exit bad
  }' "$CSV"
RESULT=$?
grep '^summary =' "$WORK/gometer.out" | tail -1
log "series: $CSV"
if [ -z "$OUT" ] && [ $RESULT -eq 0 ]; then
  rm -f "$WORK/soak.jtl" "$WORK/target" "$WORK/gometer"  # keep the series and logs
fi
exit $RESULT
