#!/usr/bin/env bash
# Per-protocol benchmarks: gometer and the nearest peer in the same run, on
# the same local servers, and one markdown table.
#
#   bench/protocols.sh [--scenarios ws,ws1k,h2,jdbc] [--dur S] [--out DIR]
#
# Scenarios and peers (a peer that is not installed is named and skipped):
#   ws     50 WebSocket users, each on one connection, echoing a 46-byte text
#          frame without pause (bench/plans/protocols/ws-echo.jmx, target
#          /ws/echo). Peer: JMeter 5.6.3 with the Luminis WebSocket Samplers
#          plugin, whose jar must be given as LUMINIS_JAR=/path/to.jar (build it
#          from github.com/ptrd/jmeter-websocket-samplers outside this
#          repository; nothing of it is kept here).
#   ws1k   1,000 WebSocket users holding their connections open (10 s ramp-up),
#          each echoing one frame a second: peak memory (RSS) of the
#          generator. Same peer.
#   h2     50 users, GET /fast over HTTP/2 (h2 by ALPN over TLS, one
#          connection each) against the target's h2 listener. Peer: h2load
#          (Debian nghttp2-client) with -c 50 -m 1; gometer also writes its JTL,
#          h2load writes nothing.
#   jdbc   50 users, each on its own connection, a prepared select of one row
#          by a random id from a 1,000-row table, on a PostgreSQL 15 this script
#          starts (bench/dbserver). Peer: JMeter 5.6.3 with the PostgreSQL JDBC
#          driver (/usr/share/java/postgresql.jar, or PG_JDBC_JAR).
#
# JMeter is $JMETER_HOME/bin/jmeter (or `jmeter` on PATH), run with its
# default heap settings. Each generator runs on core 1, the servers on core 0
# (taskset, two cores or more). Figures: samples (JTL rows; h2load's own
# count), samples per second of wall time, samples per CPU-second of the
# generator (user+sys from /usr/bin/time -v: throughput per core), peak RSS
# (/usr/bin/time: all resident pages, the mapped executable's included) and
# peak private memory (RssAnon of the generator's processes, sampled every
# 0.2 s: heap and stacks, what each more user or connection costs).
# Everything listens on 127.0.0.1 and every run is bounded by `timeout`.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SCENARIOS="ws,ws1k,h2,jdbc" DUR=20 OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --scenarios) SCENARIOS=${2:?--scenarios needs a list}; shift ;;
    --scenarios=*) SCENARIOS=${1#*=} ;;
    --dur) DUR=${2:?--dur needs seconds}; shift ;;
    --dur=*) DUR=${1#*=} ;;
    --out) OUT=${2:?--out needs a directory}; shift ;;
    --out=*) OUT=${1#*=} ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "protocols.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
case "$DUR" in ''|*[!0-9]*|0) echo "protocols.sh: --dur must be a positive number of seconds" >&2; exit 2 ;; esac

if [ -n "$OUT" ]; then
  mkdir -p "$OUT" && WORK=$(cd "$OUT" && pwd)
else
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/gometer-protocols.XXXXXX")
fi
log() { printf '%s\n' "$*" >&2; }
have() { command -v "$1" >/dev/null 2>&1; }
want() { case ",$SCENARIOS," in *",$1,"*) return 0 ;; esac; return 1; }
for t in /usr/bin/time go; do
  have "$t" || { log "protocols.sh: $t is needed"; exit 1; }
done
PIN_SRV=() PIN_GEN=()
if have taskset && [ "$(nproc)" -ge 2 ]; then PIN_SRV=(taskset -c 0) PIN_GEN=(taskset -c 1); fi

JMETER=""
if [ -n "${JMETER_HOME:-}" ] && [ -x "$JMETER_HOME/bin/jmeter" ]; then JMETER=$JMETER_HOME/bin/jmeter
elif have jmeter; then JMETER=$(command -v jmeter); fi
PG_JDBC_JAR=${PG_JDBC_JAR:-/usr/share/java/postgresql.jar}

log "building gometer, the target and the database helper into $WORK …"
# gometer is built as the README's release build (static, no symbols): the
# binary users run, and the one whose mapped code the peak RSS counts.
(cd "$ROOT" && CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o "$WORK/gometer" ./cmd/gometer &&
  go build -o "$WORK/target" ./bench/target &&
  go build -o "$WORK/dbserver" ./bench/dbserver) || { log "protocols.sh: build failed"; exit 1; }

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; [ -z "$OUT" ] && rm -rf "$WORK"; }
trap cleanup EXIT

# wait_file FILE: until the file has a line (a server's address), 60 s at most.
wait_file() {
  for _ in $(seq 600); do [ -s "$1" ] && return 0; sleep 0.1; done
  return 1
}

"${PIN_SRV[@]}" "$WORK/target" -url-file "$WORK/url" -h2-url-file "$WORK/h2url" >"$WORK/target.log" 2>&1 &
PIDS+=($!)
wait_file "$WORK/url" && wait_file "$WORK/h2url" || { log "protocols.sh: the target did not start"; cat "$WORK/target.log" >&2; exit 1; }
HP=$(sed 's#^http://##' "$WORK/url") H2=$(cat "$WORK/h2url")
H2HP=${H2#https://}

RESULTS=$WORK/results.tsv
: >"$RESULTS"
# private_peak PID FILE: until PID ends, samples the anonymous resident
# memory (RssAnon: heap, stacks — not the mapped executable and libraries,
# which are clean, shared file pages) of PID and its descendants every 0.2 s
# and keeps the largest sum in FILE (kB).
private_peak() {
  local root=$1 out=$2 max=0 sum pids p
  while kill -0 "$root" 2>/dev/null; do
    pids=$root; p=$root
    while p=$(pgrep -P "$(echo $p | tr ' ' ',')" 2>/dev/null | tr '\n' ' ') && [ -n "$p" ]; do pids="$pids $p"; done
    sum=0
    for p in $pids; do sum=$((sum + $(awk '/^RssAnon:/ { print $2 }' "/proc/$p/status" 2>/dev/null || echo 0))); done
    [ "$sum" -gt "$max" ] && max=$sum && echo "$max" >"$out"
    sleep 0.2
  done
}
# measure NAME CMD…: runs the generator on its core under /usr/bin/time.
measure() {
  local name=$1; shift
  echo 0 >"$WORK/$name.anon"
  timeout $((DUR * 3 + 180)) /usr/bin/time -v -o "$WORK/$name.time" "${PIN_GEN[@]}" "$@" >"$WORK/$name.out" 2>&1 &
  local pid=$!
  private_peak "$pid" "$WORK/$name.anon" &
  local watcher=$!
  wait "$pid"
  local rc=$?
  wait "$watcher"
  [ $rc -ne 0 ] && log "  $name exited $rc (see $WORK/$name.out)"
  return 0
}
tfield() { sed -n "s/^[[:space:]]*$2:[[:space:]]*//p" "$WORK/$1.time" | head -1; }
# wall seconds from "h:mm:ss" or "m:ss.cc"
wall() { tfield "$1" "Elapsed (wall clock) time (h:mm:ss or m:ss)" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }'; }
rows() { [ -f "$1" ] && echo $(($(wc -l <"$1") - 1)) || echo 0; }
# record SCENARIO TOOL SAMPLES ERRORS SECONDS(active) NAME
record() {
  local cpu rss
  cpu=$(awk -v u="$(tfield "$6" "User time (seconds)")" -v s="$(tfield "$6" "System time (seconds)")" 'BEGIN { printf "%.2f", u + s }')
  rss=$(tfield "$6" "Maximum resident set size (kbytes)")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$cpu" "$rss" "$(cat "$WORK/$6.anon" 2>/dev/null || echo 0)" >>"$RESULTS"
}
errors() { awk -F, 'NR > 1 && $8 != "true" { n++ } END { print n + 0 }' "$1" 2>/dev/null || echo 0; }
# jtl_span JTL: seconds from the first sample's start to the last one's end.
jtl_span() { awk -F, 'NR > 1 { s = $1; e = $1 + $2; if (min == "" || s < min) min = s; if (e > max) max = e } END { if (max > min) printf "%.2f", (max - min) / 1000; else print 0 }' "$1"; }

run_gometer() { # SCENARIO PLAN PROPS…
  local sc=$1 plan=$2; shift 2
  log "  gometer"
  measure "$sc-gometer" "$WORK/gometer" -n -t "$ROOT/bench/plans/protocols/$plan" -l "$WORK/$sc-gometer.jtl" "$@"
  record "$sc" gometer "$(rows "$WORK/$sc-gometer.jtl")" "$(errors "$WORK/$sc-gometer.jtl")" "$(jtl_span "$WORK/$sc-gometer.jtl")" "$sc-gometer"
}
run_jmeter() { # SCENARIO PLAN JARS PROPS…
  local sc=$1 plan=$2 jars=$3; shift 3
  log "  JMeter"
  measure "$sc-jmeter" "$JMETER" -n -t "$ROOT/bench/plans/protocols/$plan" -l "$WORK/$sc-jmeter.jtl" -j "$WORK/$sc-jmeter.log" \
    -Jplugin_dependency_paths="$jars" "$@"
  record "$sc" "JMeter 5.6.3" "$(rows "$WORK/$sc-jmeter.jtl")" "$(errors "$WORK/$sc-jmeter.jtl")" "$(jtl_span "$WORK/$sc-jmeter.jtl")" "$sc-jmeter"
}
missing() { log "  peer skipped: $*"; printf '%s\t%s\t-\t-\t-\t-\t-\t-\n' "$1" "(peer missing: ${*:2})" >>"$RESULTS"; }

ws_peer() {
  if [ -z "$JMETER" ]; then echo "JMeter (set JMETER_HOME)"; elif [ -z "${LUMINIS_JAR:-}" ] || [ ! -f "${LUMINIS_JAR:-}" ]; then
    echo "the Luminis WebSocket Samplers jar (set LUMINIS_JAR)"; fi
}

WSPROPS=(-Jhost="${HP%:*}" -Jport="${HP#*:}")
if want ws; then
  log "ws: 50 WebSocket users echoing for ${DUR}s"
  run_gometer ws ws-echo.jmx "${WSPROPS[@]}" -Jusers=50 -Jduration="$DUR"
  p=$(ws_peer); if [ -n "$p" ]; then missing ws "$p"; else run_jmeter ws ws-echo.jmx "$LUMINIS_JAR" "${WSPROPS[@]}" -Jusers=50 -Jduration="$DUR"; fi
fi
if want ws1k; then
  d=$((DUR + 20))
  log "ws1k: 1,000 WebSocket users holding their connections for ${d}s, one echo a second each"
  run_gometer ws1k ws-echo.jmx "${WSPROPS[@]}" -Jusers=1000 -Jrampup=10 -Jthink=1000 -Jduration="$d"
  p=$(ws_peer); if [ -n "$p" ]; then missing ws1k "$p"; else
    run_jmeter ws1k ws-echo.jmx "$LUMINIS_JAR" "${WSPROPS[@]}" -Jusers=1000 -Jrampup=10 -Jthink=1000 -Jduration="$d"; fi
fi
if want h2; then
  log "h2: 50 users, GET /fast over HTTP/2 for ${DUR}s"
  run_gometer h2 h2-get.jmx -Jhost="${H2HP%:*}" -Jport="${H2HP#*:}" -Jusers=50 -Jduration="$DUR" -Jgometer.http2=on
  if have h2load; then
    log "  h2load"
    measure h2-h2load h2load -D "$DUR" -c 50 -m 1 -t 1 "$H2/fast"
    n=$(sed -n 's/^requests: .* \([0-9]*\) succeeded.*/\1/p' "$WORK/h2-h2load.out")
    e=$(sed -n 's/^requests: .* \([0-9]*\) failed.*/\1/p' "$WORK/h2-h2load.out")
    record h2 h2load "${n:-0}" "${e:-0}" "$DUR" h2-h2load
  else missing h2 "h2load (apt-get install nghttp2-client)"; fi
fi
if want jdbc; then
  log "jdbc: 50 users, prepared select by id on PostgreSQL for ${DUR}s"
  "${PIN_SRV[@]}" "$WORK/dbserver" -url-file "$WORK/dburl" >"$WORK/dbserver.log" 2>&1 &
  PIDS+=($!)
  if ! wait_file "$WORK/dburl"; then
    missing jdbc "PostgreSQL 15 did not start ($(head -c 200 "$WORK/dbserver.log"))"
  else
    read -r DBURL DBUSER <"$WORK/dburl"
    run_gometer jdbc jdbc-select.jmx -Jdb_url="$DBURL" -Jdb_user="$DBUSER" -Jusers=50 -Jduration="$DUR"
    if [ -z "$JMETER" ]; then missing jdbc "JMeter (set JMETER_HOME)"
    elif [ ! -f "$PG_JDBC_JAR" ]; then missing jdbc "the PostgreSQL JDBC driver (apt-get install libpostgresql-jdbc-java or PG_JDBC_JAR)"
    else run_jmeter jdbc jdbc-select.jmx "$PG_JDBC_JAR" -Jdb_url="$DBURL" -Jdb_user="$DBUSER" -Jusers=50 -Jduration="$DUR"; fi
  fi
fi

# ---- table -------------------------------------------------------------
{
  echo "protocols benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "| scenario | generator | samples | errors | samples/s | samples per CPU-s | CPU-s | peak RSS MB | peak private MB | gometer's advantage |"
  echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
  awk -F'\t' '
    { sc[NR] = $1; tool[NR] = $2; n[NR] = $3; err[NR] = $4; secs[NR] = $5; cpu[NR] = $6; rss[NR] = $7; anon[NR] = $8
      if ($2 == "gometer") { gper[$1] = ($6 > 0 ? $3 / $6 : 0); grss[$1] = $7; ganon[$1] = $8 } }
    END {
      for (i = 1; i <= NR; i++) {
        if (n[i] == "-") { printf "| %s | %s | | | | | | | | |\n", sc[i], tool[i]; continue }
        per = (cpu[i] > 0 ? n[i] / cpu[i] : 0); rate = (secs[i] > 0 ? n[i] / secs[i] : 0)
        adv = ""
        if (tool[i] != "gometer" && per > 0 && rss[i] > 0) {
          adv = sprintf("%.1fx samples per CPU-s, %.1fx less memory (RSS)", gper[sc[i]] / per, rss[i] / grss[sc[i]])
          if (anon[i] > 0 && ganon[sc[i]] > 0) adv = adv sprintf(", %.1fx less private memory", anon[i] / ganon[sc[i]])
        }
        printf "| %s | %s | %d | %d | %.0f | %.0f | %.1f | %.0f | %.0f | %s |\n", sc[i], tool[i], n[i], err[i], rate, per, cpu[i], rss[i] / 1024, anon[i] / 1024, adv
      }
    }' "$RESULTS"
} | tee "$WORK/results.md"
[ -n "$OUT" ] && log "JTLs, logs and results.md are in $WORK"
