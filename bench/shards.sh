#!/usr/bin/env bash
# bench/shards.sh: scale-out figures on this machine.
#   A. N shards (default 4) x USERS users each (default 10,000), GET then 2 s think, started
#      together with --start-at, each against its own bench/target process (one process here may
#      hold at most `ulimit -n` connections, and so may the target); their JTLs merged into one
#      report. The merged rate is read from the JTLs (successful samples per second after the ramp).
#      Prints the merged steady rate against the ideal (N*USERS/2 per second), the rows merged
#      against the target's count, and each shard's max RSS.
#   B. One process with BIG users (default 50,000), same plan: steady rate against the ideal
#      and max RSS; the open-file limit is reported, since each kept-alive user holds a socket.
# Usage: bench/shards.sh [--shards N] [--users N] [--big N] [--duration S] [--ramp S]
# Load goes only to the target on 127.0.0.1; each run is bounded in time.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=4 USERS=10000 BIG=50000 DUR=40 RAMP=10 THINK=2000
while [ $# -gt 0 ]; do
  case $1 in
    --shards) N=$2; shift ;;
    --users) USERS=$2; shift ;;
    --big) BIG=$2; shift ;;
    --duration) DUR=$2; shift ;;
    --ramp) RAMP=$2; shift ;;
    *) echo "usage: $0 [--shards N] [--users N] [--big N] [--duration S] [--ramp S]" >&2; exit 2 ;;
  esac
  shift
done
WORK=$(mktemp -d /tmp/gometer-shards.XXXXXX)
log() { echo "[shards] $*" >&2; }
cd "$ROOT" || exit 1
go build -o "$WORK/gometer" ./cmd/gometer && go build -o "$WORK/target" ./bench/target || { log "build failed"; exit 1; }
PLAN=$ROOT/bench/plans/s2-think.jmx

TARGET_PID="" TARGETS=()
start_target() {
  rm -f "$WORK/url"
  "$WORK/target" -url-file "$WORK/url" >"$WORK/target.log" 2>&1 &
  TARGET_PID=$!
  TARGETS+=("$TARGET_PID")
  for _ in $(seq 100); do [ -s "$WORK/url" ] && break; sleep 0.05; done
  URL=$(cat "$WORK/url"); HOSTPORT=${URL#http://}; PORT=${HOSTPORT##*:}
}
stop_target() { for p in "${TARGETS[@]}"; do kill -TERM "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; TARGETS=(); }
trap 'stop_target; exit 130' INT TERM
# jtl_rate FILES…: successful samples per second between the end of the ramp-up and the last
# full second, from the JTLs' timestamps
jtl_rate() {
  cat "$@" | awk -F, -v ramp="$RAMP" 'NR > 0 && $1 ~ /^[0-9]+$/ && $8 == "true" { s = int($1 / 1000); c[s]++; if (!min || s < min) min = s; if (s > max) max = s }
    END { n = 0; t = 0; for (s = min + ramp + 1; s < max; s++) { t += c[s]; n++ } if (n) printf "%.0f", t / n; else print 0 }'
}
# the median per-second count after the ramp-up, without the last second
steady() {
  sed -n 's/.*"perSecond":\[\([0-9,]*\)\].*/\1/p' "$1" | tr ',' '\n' |
    awk -v skip="$((RAMP + 1))" 'NR > skip { v[++n] = $1 } END { for (i = 1; i < n; i++) print v[i] }' | sort -n |
    awk '{ v[NR] = $1 } END { if (NR) print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
rss_mb() { sed -n 's/^[[:space:]]*Maximum resident set size (kbytes):[[:space:]]*//p' "$1" | awk '{ printf "%.0f", $1 / 1024 }'; }

echo "open files: soft $(ulimit -Sn), hard $(ulimit -Hn); cores: $(nproc)"
ulimit -n "$(ulimit -Hn)"

# A: N shards, each against its own target
START=$(date -u -d "+4 seconds" +%Y-%m-%dT%H:%M:%SZ)
GEN=()
for i in $(seq 1 "$N"); do
  start_target
  echo "$URL" >"$WORK/url-$i"
  /usr/bin/time -v -o "$WORK/time-$i.txt" timeout --kill-after=10 $((DUR + 60)) "$WORK/gometer" -n -t "$PLAN" -l "$WORK/shard-$i.jtl" \
    -Jhost=127.0.0.1 -Jport="$PORT" -Jusers=$((N * USERS)) -Jrampup="$RAMP" -Jduration="$DUR" -Jthink="$THINK" \
    --shard "$i/$N" --start-at "$START" --quiet >"$WORK/shard-$i.log" 2>&1 &
  GEN+=($!)
done
for p in "${GEN[@]}"; do wait "$p"; done
COUNT=0
for i in $(seq 1 "$N"); do
  c=$(curl -s --max-time 5 "$(cat "$WORK/url-$i")/__count" | sed -n 's/.*"count":\([0-9]*\).*/\1/p')
  COUNT=$((COUNT + ${c:-0}))
done
stop_target
"$WORK/gometer" report "$WORK/shard-*.jtl" -o "$WORK/report-a" >/dev/null 2>"$WORK/report-a.log" || log "merge: $(cat "$WORK/report-a.log")"
RATE_A=$(for i in $(seq 1 "$N"); do tail -n +2 "$WORK/shard-$i.jtl"; done | jtl_rate)
ROWS=$(for i in $(seq 1 "$N"); do tail -n +2 "$WORK/shard-$i.jtl"; done | wc -l)
ERRS=$(for i in $(seq 1 "$N"); do tail -n +2 "$WORK/shard-$i.jtl"; done | awk -F, '$8 != "true" { e++ } END { print e + 0 }')
IDEAL_A=$((N * USERS * 1000 / THINK))
echo "A: $N shards x $USERS users: merged steady rate $RATE_A req/s of ideal $IDEAL_A ($(awk -v r="$RATE_A" -v i="$IDEAL_A" 'BEGIN { printf "%.1f", 100 * r / i }') %); $ROWS JTL rows merged ($ERRS failed), the targets answered $COUNT"
for i in $(seq 1 "$N"); do echo "   shard $i/$N: max RSS $(rss_mb "$WORK/time-$i.txt") MB"; done

# B: one process
start_target
/usr/bin/time -v -o "$WORK/time-b.txt" timeout --kill-after=10 $((DUR + 60)) "$WORK/gometer" -n -t "$PLAN" -l "$WORK/big.jtl" \
  -Jhost=127.0.0.1 -Jport="$PORT" -Jusers="$BIG" -Jrampup="$RAMP" -Jduration="$DUR" -Jthink="$THINK" --quiet >"$WORK/big.log" 2>&1
curl -s --max-time 5 "$URL/__count" >"$WORK/count-b.json"
stop_target
RATE_B=$(steady "$WORK/count-b.json")
IDEAL_B=$((BIG * 1000 / THINK))
ERR=$(tail -n +2 "$WORK/big.jtl" | awk -F, '$8 != "true" { e++ } END { print e + 0 }')
echo "B: one process, $BIG users: steady rate $RATE_B req/s of ideal $IDEAL_B ($(awk -v r="$RATE_B" -v i="$IDEAL_B" 'BEGIN { printf "%.1f", 100 * r / i }') %), max RSS $(rss_mb "$WORK/time-b.txt") MB, $ERR failed samples"
grep -i -m3 'open files\|too many open\|warning' "$WORK/big.log" | sed 's/^/   /'
echo "(work files in $WORK)"
