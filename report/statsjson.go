package report

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/gometer/gometer/internal/javafmt"
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

// javaDouble and javaFloat32 format as Jackson writes a Java double or
// float: Double.toString/Float.toString, with the non-finite values quoted
// ("NaN", "Infinity") as JMeter's statistics.json has them.
func javaDouble(v float64) string { return jacksonNumber(javafmt.Double(v), v) }

func javaFloat32(v float32) string { return jacksonNumber(javafmt.Float(v), float64(v)) }

func jacksonNumber(s string, v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return `"` + s + `"`
	}
	return s
}
