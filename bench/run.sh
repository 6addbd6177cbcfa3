#!/usr/bin/env bash
# Benchmark harness (issue 7): runs each scenario with gometer and with every
# peer load generator found on this machine, against the same target, and
# prints one markdown table with each figure and its ratio to wrk and to
# JMeter from the same run.
#
#   bench/run.sh [--smoke] [--runs N] [--scenarios s1,s2,s3,s4] [--tools LIST] [--out DIR]
#
#   --smoke      every scenario for ~2 s with small user counts (CI: proves the harness runs)
#   --runs N     repeat each measurement N times and report medians (default 1)
#   --scenarios  which scenarios to run (default all: s1,s2,s3,s4,s5)
#   --tools      which generators to run, of those found (default all: gometer,wrk,hey,k6,jmeter)
#   --out DIR    keep binaries, plans, JTLs and logs in DIR (default: a temp dir, removed)
#
# Scenarios: S1 throughput (64 users, no think time, GET /fast ~100 B, JTL on),
# S2 think time (10,000 users, GET then 2 s think, 10 s ramp-up, 60 s),
# S3 latency fidelity (50 users, /fixed/20: latency minus 20 ms),
# S4 start-up (time from launch to the first request for a ~1 MB plan),
# S5 scripts (4 users × 2,000 GETs of a 2 KB JSON, each parsed by a 10-line
# Groovy JSR223 PostProcessor with JsonSlurper setting three variables;
# gometer and JMeter only; also runs the engine's in-process Go benchmark of
# the same script for its time and allocations per sample).
#
# Peers, each skipped when absent: wrk, hey, k6 (S1-S3 where they can express
# the scenario), JMeter from $JMETER_HOME/bin/jmeter or `jmeter` on PATH.
# GOMETER_BIN=path benchmarks a prebuilt gometer instead of building one.
# Scenario sizes can be overridden from the environment: S1_USERS S1_DUR
# S2_USERS S2_RAMP S2_DUR S3_USERS S3_DUR THINK_MS FIXED_MS S5_USERS S5_LOOPS.
#
# Method: the target (bench/target) and the generator run on different cores
# (taskset: target on core 0, generator on core 1, when there are two);
# throughput is the target's own count of answered requests divided by the
# time from its first to its last answer; CPU seconds and peak RSS of the
# generator come from /usr/bin/time -v. Everything runs on 127.0.0.1 and
# every run is bounded by `timeout`.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SMOKE=0 RUNS=1 SCENARIOS="s1,s2,s3,s4,s5" OUT="" ONLY=""
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) SMOKE=1 ;;
    --runs) RUNS=${2:?--runs needs a number}; shift ;;
    --runs=*) RUNS=${1#*=} ;;
    --scenarios) SCENARIOS=${2:?--scenarios needs a list}; shift ;;
    --scenarios=*) SCENARIOS=${1#*=} ;;
    --tools) ONLY=${2:?--tools needs a list}; shift ;;
    --tools=*) ONLY=${1#*=} ;;
    --out) OUT=${2:?--out needs a directory}; shift ;;
    --out=*) OUT=${1#*=} ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
case "$RUNS" in ''|*[!0-9]*|0) echo "run.sh: --runs must be a positive integer" >&2; exit 2 ;; esac

if [ -n "$OUT" ]; then
  mkdir -p "$OUT" && WORK=$(cd "$OUT" && pwd)
else
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/gometer-bench.XXXXXX")
  trap 'rm -rf "$WORK"' EXIT
fi
RESULTS=$WORK/results.tsv
: >"$RESULTS"

log() { printf '%s\n' "$*" >&2; }
have() { command -v "$1" >/dev/null 2>&1; }

# ---- scenario sizes --------------------------------------------------------
# Each size can be overridden from the environment, e.g. S2_USERS=2000 bench/run.sh.
if [ "$SMOKE" = 1 ]; then
  : "${S1_USERS:=64}" "${S1_DUR:=2}" "${S2_USERS:=200}" "${S2_RAMP:=1}" "${S2_DUR:=5}" "${S3_USERS:=50}" "${S3_DUR:=2}"
  : "${S5_USERS:=2}" "${S5_LOOPS:=50}"
else
  : "${S1_USERS:=64}" "${S1_DUR:=20}" "${S2_USERS:=10000}" "${S2_RAMP:=10}" "${S2_DUR:=60}" "${S3_USERS:=50}" "${S3_DUR:=20}"
  : "${S5_USERS:=4}" "${S5_LOOPS:=2000}"
fi
: "${THINK_MS:=2000}" "${FIXED_MS:=20}"
for v in S1_USERS S1_DUR S2_USERS S2_RAMP S2_DUR S3_USERS S3_DUR THINK_MS FIXED_MS S5_USERS S5_LOOPS; do
  case ${!v} in ''|*[!0-9]*) echo "run.sh: $v must be a whole number, not '${!v}'" >&2; exit 2 ;; esac
done

# ---- tools -----------------------------------------------------------------
for t in /usr/bin/time curl timeout; do
  [ -x "$t" ] || have "$t" || { log "run.sh: $t is required"; exit 1; }
done
PIN_TARGET=() PIN_GEN=() PINNING="not pinned"
if have taskset && [ "$(nproc)" -ge 2 ]; then
  PIN_TARGET=(taskset -c 0) PIN_GEN=(taskset -c 1)
  PINNING="target on core 0, generator on core 1"
fi

log "building gometer and the target in $WORK"
cd "$ROOT" || exit 1
if [ -n "${GOMETER_BIN:-}" ]; then
  cp "$GOMETER_BIN" "$WORK/gometer" || exit 1
else
  go build -o "$WORK/gometer" ./cmd/gometer || { log "run.sh: building gometer failed"; exit 1; }
fi
go build -o "$WORK/target" ./bench/target || { log "run.sh: building the target failed"; exit 1; }
go run ./bench/gen-bigplan -o "$WORK/big.jmx" || { log "run.sh: generating the big plan failed"; exit 1; }

TOOLS=(gometer)
have wrk && TOOLS+=(wrk)
have hey && TOOLS+=(hey)
have k6 && TOOLS+=(k6)
JMETER=""
if [ -n "${JMETER_HOME:-}" ] && [ -x "$JMETER_HOME/bin/jmeter" ]; then
  JMETER=$JMETER_HOME/bin/jmeter
elif have jmeter; then
  JMETER=$(command -v jmeter)
fi
[ -n "$JMETER" ] && TOOLS+=(jmeter)
if [ -n "$ONLY" ]; then
  picked=()
  for tool in "${TOOLS[@]}"; do
    case ",$ONLY," in *",$tool,"*) picked+=("$tool") ;; esac
  done
  TOOLS=("${picked[@]}")
  [ ${#TOOLS[@]} -gt 0 ] || { log "run.sh: none of --tools $ONLY is available"; exit 2; }
fi
log "generators: ${TOOLS[*]} ($PINNING)"
export HEAP="${HEAP:--Xms1g -Xmx4g}" # JMeter's heap for 10,000 threads

# ---- target ----------------------------------------------------------------
TARGET_PID="" URL="" HOST="" PORT=""
start_target() {
  rm -f "$WORK/url"
  "${PIN_TARGET[@]}" "$WORK/target" -url-file "$WORK/url" >"$WORK/target.log" 2>&1 &
  TARGET_PID=$!
  for _ in $(seq 100); do [ -s "$WORK/url" ] && break; sleep 0.05; done
  URL=$(cat "$WORK/url" 2>/dev/null) || { log "run.sh: the target did not start"; exit 1; }
  HOST=${URL#http://}; PORT=${HOST##*:}; HOST=${HOST%:*}
}
stop_target() {
  [ -n "$TARGET_PID" ] && kill -TERM "$TARGET_PID" 2>/dev/null && wait "$TARGET_PID" 2>/dev/null
  TARGET_PID=""
}
trap 'stop_target; exit 130' INT TERM
# target_figure NAME: a number from the target's /__count answer.
target_figure() {
  sed -n "s/.*\"$1\":\([0-9.eE+-]*\).*/\1/p" "$WORK/count.json"
}

# steady_rate SKIP: the median of the target's per-second counts after the
# first SKIP seconds, leaving out the last (partial) second; empty when too short.
steady_rate() {
  sed -n 's/.*"perSecond":\[\([0-9,]*\)\].*/\1/p' "$WORK/count.json" | tr ',' '\n' |
    awk -v skip="$1" 'NR > skip { v[++n] = $1 } END { for (i = 1; i < n; i++) print v[i] }' | sort -n |
    awk '{ v[NR] = $1 } END { if (NR == 0) exit; print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# ---- measurement helpers ---------------------------------------------------
# time_field LABEL: a value from /usr/bin/time -v output.
time_field() { sed -n "s/^[[:space:]]*$1:[[:space:]]*//p" "$WORK/time.txt" | head -1; }

# jtl_latency JTL: "p50 p99 rows" of the elapsed column (ms) of a CSV JTL.
jtl_latency() {
  tail -n +2 "$1" | cut -d, -f2 | sort -n | awk '
    { v[NR] = $1 }
    END { if (NR == 0) { print "- - 0"; exit }
          i50 = int(NR * 0.50 + 0.5); if (i50 < 1) i50 = 1
          i99 = int(NR * 0.99 + 0.5); if (i99 < 1) i99 = 1; if (i99 > NR) i99 = NR
          print v[i50], v[i99], NR }'
}

# to_ms VALUE-WITH-UNIT: converts wrk's 512.00us / 1.20ms / 2.00s to ms.
to_ms() {
  awk -v x="$1" 'BEGIN {
    if (x ~ /us$/) { sub(/us$/, "", x); print x / 1000 }
    else if (x ~ /ms$/) { sub(/ms$/, "", x); print x + 0 }
    else if (x ~ /s$/) { sub(/s$/, "", x); print x * 1000 }
    else print "-" }'
}

# record SCENARIO TOOL METRIC VALUE
record() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$RESULTS"; }

# ---- one run ---------------------------------------------------------------
# run_one SCENARIO TOOL: runs the generator against a fresh target and records figures.
run_one() {
  local sc=$1 tool=$2 dur users plan path think=0 ramp=0 bound
  case $sc in
    s1) dur=$S1_DUR users=$S1_USERS plan=$ROOT/bench/plans/s1-throughput.jmx path=/fast ;;
    s2) dur=$S2_DUR users=$S2_USERS plan=$ROOT/bench/plans/s2-think.jmx path=/fast think=$THINK_MS ramp=$S2_RAMP ;;
    s3) dur=$S3_DUR users=$S3_USERS plan=$ROOT/bench/plans/s3-latency.jmx path=/fixed/$FIXED_MS ;;
    s4) dur=30 users=1 plan=$WORK/big.jmx path=/fast ;;
    s5) dur=600 users=$S5_USERS plan=$ROOT/bench/plans/script/s5-script.jmx path=/orders.json ;;
  esac
  bound=$((dur + 120))
  local jtl=$WORK/$sc-$tool.jtl out=$WORK/$sc-$tool.log cmd=()
  rm -f "$jtl"
  start_target
  local props=(-Jhost="$HOST" -Jport="$PORT" -Jusers="$users" -Jduration="$dur" -Jrampup="$ramp" -Jthink="$think" -Jfixed_ms="$FIXED_MS")
  [ "$sc" = s5 ] && props=(-Jhost="$HOST" -Jport="$PORT" -Jthreads="$S5_USERS" -Jloops="$S5_LOOPS")
  case $tool in
    gometer) cmd=("$WORK/gometer" -n -t "$plan" -l "$jtl" "${props[@]}") ;;
    jmeter) cmd=("$JMETER" -n -t "$plan" -l "$jtl" -j "$WORK/$sc-jmeter.jmeter.log" "${props[@]}") ;;
    wrk) cmd=(wrk -t1 -c"$users" -d"${dur}s" --latency "$URL$path") ;;
    hey) cmd=(hey -z "${dur}s" -c "$users" -cpus 1 "$URL$path") ;;
    k6)
      local js=$WORK/$sc.k6.js
      if [ "$sc" = s2 ]; then
        cat >"$js" <<EOF
import http from 'k6/http';
import { sleep } from 'k6';
export const options = { discardResponseBodies: true, summaryTrendStats: ['p(50)', 'p(99)'], scenarios: { s2: { executor: 'ramping-vus', startVUs: 0,
  stages: [{ duration: '${ramp}s', target: $users }, { duration: '$((dur - ramp))s', target: $users }], gracefulRampDown: '0s' } } };
export default function () { http.get('$URL$path'); sleep($think / 1000); }
export function handleSummary(data) { return { '$WORK/$sc-k6.json': JSON.stringify(data) }; }
EOF
      else
        cat >"$js" <<EOF
import http from 'k6/http';
export const options = { vus: $users, duration: '${dur}s', discardResponseBodies: true, summaryTrendStats: ['p(50)', 'p(99)'] };
export default function () { http.get('$URL$path'); }
export function handleSummary(data) { return { '$WORK/$sc-k6.json': JSON.stringify(data) }; }
EOF
      fi
      rm -f "$WORK/$sc-k6.json"
      cmd=(k6 run --quiet "$js") ;;
  esac
  local launch rc
  launch=$(date +%s%N)
  /usr/bin/time -v -o "$WORK/time.txt" "${PIN_GEN[@]}" timeout --kill-after=10 "$bound" "${cmd[@]}" >"$out" 2>&1
  rc=$?
  curl -s --max-time 5 "$URL/__count" >"$WORK/count.json"
  stop_target
  local count rps user sys rss cpu
  count=$(target_figure count) rps=$(target_figure rps)
  user=$(time_field 'User time (seconds)') sys=$(time_field 'System time (seconds)')
  rss=$(time_field 'Maximum resident set size (kbytes)')
  if [ "$rc" != 0 ]; then
    log "  $sc $tool: exit code $rc (log: $out)"
    record "$sc" "$tool" failed "exit $rc"
  fi
  [ -z "$count" ] && count=0
  if [ "$sc" = s4 ]; then
    local first
    first=$(target_figure firstArrivalUnixNs)
    if [ -n "$first" ] && [ "$first" != 0 ]; then
      record "$sc" "$tool" startup_ms "$(awk -v a="$first" -v b="$launch" 'BEGIN { printf "%.1f", (a - b) / 1e6 }')"
    fi
  else
    # S2: the steady rate once every user is running, from the target's per-second series.
    [ "$sc" = s2 ] && rps=$(steady_rate $((ramp + 1)))
    [ -z "$rps" ] && rps=$(target_figure rps)
    [ -n "$rps" ] && record "$sc" "$tool" rps "$rps"
  fi
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
  record "$sc" "$tool" cpu_s "$cpu"
  [ "$count" -gt 0 ] && record "$sc" "$tool" cpu_per_10k "$(awk -v c="$cpu" -v n="$count" 'BEGIN { printf "%.3f", c / n * 10000 }')"
  [ "$count" -gt 0 ] && record "$sc" "$tool" cpu_per_sample "$(awk -v c="$cpu" -v n="$count" 'BEGIN { printf "%.7f", c / n }')"
  record "$sc" "$tool" rss_mb "$(awk -v k="$rss" 'BEGIN { printf "%.0f", k / 1024 }')"
  # Latency as each tool reports it.
  local p50="" p99="" rows=""
  case $tool in
    gometer|jmeter)
      if [ -s "$jtl" ]; then
        read -r p50 p99 rows < <(jtl_latency "$jtl")
        # Every answered request must be exactly one JTL row (issue 8).
        if [ "$rows" != "$count" ]; then
          log "  $sc $tool: JTL has $rows rows, target answered $count"
          record "$sc" "$tool" lost "$rows JTL rows for $count answers"
        fi
      fi ;;
    wrk)
      p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$out")")
      p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")") ;;
    hey)
      p50=$(awk '$1 == "50%%" || $1 == "50%" { print $3 * 1000 }' "$out")
      p99=$(awk '$1 == "99%%" || $1 == "99%" { print $3 * 1000 }' "$out") ;;
    k6)
      if have jq && [ -s "$WORK/$sc-k6.json" ]; then
        p50=$(jq -r '.metrics.http_req_duration.values["p(50)"] // empty' "$WORK/$sc-k6.json")
        p99=$(jq -r '.metrics.http_req_duration.values["p(99)"] // empty' "$WORK/$sc-k6.json")
      fi ;;
  esac
  [ -n "$p50" ] && [ "$p50" != "-" ] && record "$sc" "$tool" p50_ms "$p50"
  [ -n "$p99" ] && [ "$p99" != "-" ] && record "$sc" "$tool" p99_ms "$p99"
  log "  $sc $tool: $count answered, $rps req/s, cpu $cpu s, rss $((${rss:-0} / 1024)) MB, p50 ${p50:--} ms, p99 ${p99:--} ms"
}

# Which tools can express which scenario.
runs_scenario() {
  case "$1:$2" in
    s2:wrk|s2:hey) return 1 ;; # no think time without scripting
    s4:wrk|s4:hey|s4:k6) return 1 ;; # start-up of a .jmx plan only
    s5:wrk|s5:hey|s5:k6) return 1 ;; # a JSR223 script of a .jmx plan
  esac
  return 0
}

for sc in ${SCENARIOS//,/ }; do
  case $sc in s1|s2|s3|s4|s5) ;; *) log "run.sh: unknown scenario $sc"; exit 2 ;; esac
  log "scenario $sc"
  for tool in "${TOOLS[@]}"; do
    runs_scenario "$sc" "$tool" || continue
    for _ in $(seq "$RUNS"); do run_one "$sc" "$tool"; done
  done
done

# S5's script in process: time and allocations per sample of the whole
# sample pipeline with the same Groovy post-processor on the same document.
GOBENCH=""
case ",$SCENARIOS," in
  *,s5,*)
    log "S5: the engine's in-process benchmark of the script (go test -bench ScriptPostProcessor/groovy)"
    n=2000; [ "$SMOKE" = 1 ] && n=20
    go test ./engine -run '^$' -bench 'ScriptPostProcessor/groovy$' -benchmem -benchtime "${n}x" >"$WORK/gobench.txt" 2>&1 ||
      log "  the Go benchmark failed (log: $WORK/gobench.txt)"
    GOBENCH=$(awk '/^BenchmarkScriptPostProcessor\/groovy/ { for (i = 1; i < NF; i++) { if ($(i+1) == "ns/op") ns = $i; if ($(i+1) == "allocs/op") a = $i; if ($(i+1) == "B/op") b = $i }
      printf "%.1f µs, %s allocations (%s B) per sample", ns / 1000, a, b }' "$WORK/gobench.txt") ;;
esac

# ---- table -----------------------------------------------------------------
# Medians per (scenario, tool, metric), then one row per scenario and tool with
# each figure followed by its ratio to wrk and to JMeter in the same scenario.
MEDIANS=$WORK/medians.tsv
awk -F'\t' '$3 != "failed" && $3 != "lost"' "$RESULTS" | sort -t$'\t' -k1,1 -k2,2 -k3,3 -k4,4g | awk -F'\t' '
  { k = $1 "\t" $2 "\t" $3; n[k]++; v[k, n[k]] = $4; if (!(k in seen)) { seen[k] = 1; order[++m] = k } }
  END { for (i = 1; i <= m; i++) { k = order[i]; c = n[k]
          med = (c % 2) ? v[k, (c + 1) / 2] : (v[k, c / 2] + v[k, c / 2 + 1]) / 2
          print k "\t" med } }' >"$MEDIANS"

{
  echo "gometer benchmark — $(date -u '+%Y-%m-%d %H:%M UTC') — $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1) — $PINNING — runs per figure: $RUNS$([ "$SMOKE" = 1 ] && echo ' — SMOKE (short runs, figures not meaningful)')"
  echo
  echo "S1: $S1_USERS users, no think time, GET /fast, ${S1_DUR} s, JTL on · S2: $S2_USERS users, GET + ${THINK_MS} ms think, ${S2_RAMP} s ramp-up, ${S2_DUR} s (ideal $((S2_USERS * 1000 / THINK_MS)) req/s; req/s is the median per-second rate after the ramp-up) · S3: $S3_USERS users, /fixed/$FIXED_MS, ${S3_DUR} s, latency shown minus $FIXED_MS ms · S4: ~1 MB plan, launch to first request · S5: $S5_USERS users × $S5_LOOPS GETs of a 2 KB JSON, Groovy JsonSlurper post-processor"
  echo
} >"$WORK/table.md"
awk -F'\t' -v fixed="$FIXED_MS" -v ideal="$((S2_USERS * 1000 / THINK_MS))" '
  function fmt(x) { return (x >= 100) ? sprintf("%.0f", x) : (x >= 10) ? sprintf("%.1f", x) : sprintf("%.2f", x) }
  function cell(sc, tool, metric,   x, s, w, j) {
    if (!((sc, tool, metric) in val)) return "–"
    x = val[sc, tool, metric]
    if (sc == "s3" && (metric == "p50_ms" || metric == "p99_ms")) x = x - fixed
    s = fmt(x)
    if (metric == "rps" && sc == "s2") s = s sprintf(" (%.0f%% of ideal)", 100 * x / ideal)
    w = ((sc, "wrk", metric) in val) ? val[sc, "wrk", metric] : ""
    j = ((sc, "jmeter", metric) in val) ? val[sc, "jmeter", metric] : ""
    if (sc == "s3" && (metric == "p50_ms" || metric == "p99_ms")) { if (w != "") w -= fixed; if (j != "") j -= fixed }
    if (tool != "wrk" && w != "" && w + 0 != 0) s = s sprintf(" · %.2f× wrk", x / w)
    if (tool != "jmeter" && j != "" && j + 0 != 0) s = s sprintf(" · %.2f× JMeter", x / j)
    return s
  }
  { val[$1, $2, $3] = $4; if (!(($1, $2) in row)) { row[$1, $2] = 1; rows[++n] = $1 SUBSEP $2 } }
  END {
    print "| scenario | generator | req/s (target count) | CPU-s per 10k req | max RSS MB | p50 ms | p99 ms | start-up ms |"
    print "| --- | --- | --- | --- | --- | --- | --- | --- |"
    for (i = 1; i <= n; i++) {
      split(rows[i], k, SUBSEP); sc = k[1]; tool = k[2]
      printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", toupper(sc), tool, cell(sc, tool, "rps"), cell(sc, tool, "cpu_per_10k"),
        cell(sc, tool, "rss_mb"), cell(sc, tool, "p50_ms"), cell(sc, tool, "p99_ms"), cell(sc, tool, "startup_ms")
    }
  }' "$MEDIANS" >>"$WORK/table.md"
if grep -q $'^s5\t' "$MEDIANS"; then
  echo >>"$WORK/table.md"
  awk -F'\t' -v users="$S5_USERS" -v loops="$S5_LOOPS" -v gobench="$GOBENCH" '
    $1 == "s5" { v[$2, $3] = $4 }
    END {
      printf "S5 (GET of a 2 KB JSON + a 10-line Groovy JsonSlurper post-processor, %s users × %s loops):", users, loops
      for (t = 1; t <= 2; t++) { tool = (t == 1) ? "gometer" : "jmeter"
        if ((tool, "rps") in v) printf " %s %.0f req/s, %.6f CPU-s per sample;", tool, v[tool, "rps"], v[tool, "cpu_per_sample"] }
      if (("gometer", "rps") in v && ("jmeter", "rps") in v && v["jmeter", "rps"] > 0 && v["jmeter", "cpu_per_sample"] > 0)
        printf " gometer/JMeter: %.2f× the req/s, %.3f× the CPU per sample.", v["gometer", "rps"] / v["jmeter", "rps"], v["gometer", "cpu_per_sample"] / v["jmeter", "cpu_per_sample"]
      if (gobench != "") printf " gometer in process (go test ./engine -bench ScriptPostProcessor/groovy): %s.", gobench
      print ""
    }' "$MEDIANS" >>"$WORK/table.md"
fi
if grep -q $'^s2\t[^\t]*\trss_mb\t' "$MEDIANS"; then
  echo >>"$WORK/table.md"
  echo "S2 memory per virtual user (max RSS / $S2_USERS users): $(awk -F'\t' -v u="$S2_USERS" '$1 == "s2" && $3 == "rss_mb" { printf "%s %.1f KB; ", $2, $4 * 1024 / u }' "$MEDIANS")" >>"$WORK/table.md"
fi
if grep -q $'\tlost\t' "$RESULTS"; then
  echo >>"$WORK/table.md"
  echo "JTL rows differing from the target's count: $(awk -F'\t' '$3 == "lost" { printf "%s %s (%s); ", toupper($1), $2, $4 }' "$RESULTS")" >>"$WORK/table.md"
else
  echo >>"$WORK/table.md"
  echo "Every JTL had exactly one row per request the target answered." >>"$WORK/table.md"
fi
if grep -q $'\tfailed\t' "$RESULTS"; then
  echo >>"$WORK/table.md"
  echo "Failed runs: $(awk -F'\t' '$3 == "failed" { printf "%s %s (%s); ", toupper($1), $2, $4 }' "$RESULTS")" >>"$WORK/table.md"
fi
cat "$WORK/table.md"
# A failed gometer run or a sample lost by gometer fails the harness (and
# CI's smoke); a peer's failure is only reported.
awk -F'\t' '$2 == "gometer" && ($3 == "failed" || $3 == "lost") { bad = 1 } END { exit !bad }' "$RESULTS" && exit 1
exit 0
