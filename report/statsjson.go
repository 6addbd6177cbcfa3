package report

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// WriteStatisticsJSON writes statistics.json in JMeter 5.6's schema: one
// object per label plus "Total", each with the fields in JMeter's order,
// pretty-printed the way Jackson's default printer does ("key" : value,
// two-space indent). Numbers are formatted as Java prints doubles (12.0,
// 1.5E7) and errorPct as a 32-bit float (33.333332); NaN/Infinity are
// quoted strings as Jackson writes them. Labels come in first-seen order
// (JMeter's is a HashMap's).
func WriteStatisticsJSON(w io.Writer, rows []LabelStats, total LabelStats) error {
	bw := bufio.NewWriter(w)
	all := append(append([]LabelStats(nil), rows...), total)
	bw.WriteString("{\n")
	for i, r := range all {
		key := r.Label
		fmt.Fprintf(bw, "  %s : {\n", jsonString(key))
		fields := []struct {
			k string
			v string
		}{
			{"transaction", jsonString(r.Label)},
			{"sampleCount", strconv.FormatInt(r.Samples, 10)},
			{"errorCount", strconv.FormatInt(r.Errors, 10)},
			{"errorPct", javaFloat32(float32(r.ErrorPct))},
			{"meanResTime", javaDouble(r.Mean)},
			{"medianResTime", javaDouble(r.Median)},
			{"minResTime", javaDouble(r.Min)},
			{"maxResTime", javaDouble(r.Max)},
			{"pct1ResTime", javaDouble(r.P1)},
			{"pct2ResTime", javaDouble(r.P2)},
			{"pct3ResTime", javaDouble(r.P3)},
			{"throughput", javaDouble(r.Throughput)},
			{"receivedKBytesPerSec", javaDouble(r.ReceivedKBps)},
			{"sentKBytesPerSec", javaDouble(r.SentKBps)},
		}
		for j, f := range fields {
			sep := ","
			if j == len(fields)-1 {
				sep = ""
			}
			fmt.Fprintf(bw, "    %q : %s%s\n", f.k, f.v, sep)
		}
		if i == len(all)-1 {
			bw.WriteString("  }\n")
		} else {
			bw.WriteString("  },\n")
		}
	}
	bw.WriteString("}")
	return bw.Flush()
}

// jsonString quotes s as Jackson does: '"', '\\' and control characters escaped.
func jsonString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// javaDouble formats like Java's Double.toString (shortest digits; plain
// notation for 1e-3 ≤ |v| < 1e7, else d.dddE±n), non-finite values as
// Jackson's quoted "NaN"/"Infinity".
func javaDouble(v float64) string { return javaFloat(v, 64) }

func javaFloat32(v float32) string { return javaFloat(float64(v), 32) }

func javaFloat(v float64, bitSize int) string {
	switch {
	case math.IsNaN(v):
		return `"NaN"`
	case math.IsInf(v, 1):
		return `"Infinity"`
	case math.IsInf(v, -1):
		return `"-Infinity"`
	case v == 0:
		if math.Signbit(v) {
			return "-0.0"
		}
		return "0.0"
	}
	a := math.Abs(v)
	if a >= 1e-3 && a < 1e7 {
		s := strconv.FormatFloat(v, 'f', -1, bitSize)
		if !strings.ContainsRune(s, '.') {
			s += ".0"
		}
		return s
	}
	s := strconv.FormatFloat(v, 'e', -1, bitSize) // 1.5e+07
	mant, exp, _ := strings.Cut(s, "e")
	if !strings.ContainsRune(mant, '.') {
		mant += ".0"
	}
	n, _ := strconv.Atoi(exp)
	return mant + "E" + strconv.Itoa(n)
}
