package report

import (
	"bytes"
	"fmt"
	"io"
	"testing"
)

// genJTL builds a stock JMeter 5.6 CSV JTL of n rows (17 columns).
func genJTL(n int) []byte {
	var b bytes.Buffer
	b.WriteString("timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success,failureMessage,bytes,sentBytes,grpThreads,allThreads,URL,Latency,IdleTime,Connect\n")
	labels := []string{"Login", "Search products", "Add to cart", "Checkout", "GET /api/v1/portfolio"}
	for i := 0; i < n; i++ {
		l := labels[i%len(labels)]
		code, msg, ok, fail := "200", "OK", "true", ""
		if i%50 == 0 {
			code, msg, ok, fail = "500", "Internal Server Error", "false", "\"Test failed: code expected to contain /200/, got 500\""
		}
		fmt.Fprintf(&b, "%d,%d,%s,%s,%s,Users 1-%d,text,%s,%s,%d,%d,%d,%d,http://127.0.0.1:8080/%s?id=%d,%d,0,%d\n",
			1700000000000+int64(i)*3, 20+i%300, l, code, msg, 1+i%20, ok, fail, 1000+i%4000, 200+i%50, 20, 20, "api", i%100, 10+i%250, i%3)
	}
	return b.Bytes()
}

func BenchmarkReadJTL(b *testing.B) {
	const rows = 200000
	benchRead(b, genJTL(rows), "bench.jtl", rows)
}

func BenchmarkReadJTLXML(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testResults version=\"1.2\">\n")
	const rows = 20000
	for i := 0; i < rows; i++ {
		fmt.Fprintf(&buf, "<httpSample t=\"%d\" it=\"0\" lt=\"10\" ct=\"1\" ts=\"%d\" s=\"true\" lb=\"Login\" rc=\"200\" rm=\"OK\" tn=\"Users 1-1\" dt=\"text\" by=\"1000\" sby=\"200\" ng=\"1\" na=\"1\">\n  <java.net.URL>http://127.0.0.1/login</java.net.URL>\n</httpSample>\n", i%300, 1700000000000+int64(i))
	}
	buf.WriteString("</testResults>\n")
	benchRead(b, buf.Bytes(), "bench.xml", rows)
}

// benchRead reads data (named name, which picks CSV or XML) once per
// iteration and checks that every one of the rows came back.
func benchRead(b *testing.B, data []byte, name string, rows int) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		r, err := NewJTLReader(bytes.NewReader(data), name, ReadOptions{Strict: true})
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			_, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != rows {
			b.Fatalf("%d rows", n)
		}
	}
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
}
