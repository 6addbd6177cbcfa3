// Command genjtl writes a synthetic JMeter 5.6 CSV JTL (the 17 default
// columns) of a given size, deterministically from a seed. It models
// virtual users that loop over a few requests inside a transaction
// controller: timestamps advance per user, response times are skewed,
// some requests fail (HTTP errors, assertion failures, connection errors)
// and one request follows a redirect (a "-0" sub-result row).
//
//	genjtl -n 1000000 -o big.jtl
//	genjtl -preset basic -o basic.jtl
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
)

const header = "timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success,failureMessage,bytes,sentBytes,grpThreads,allThreads,URL,Latency,IdleTime,Connect\n"

type opts struct {
	rows      int
	labels    int
	users     int
	errRate   float64
	tc        bool
	redirect  bool
	seed      uint64
	start     int64
	onlyFail  bool
	bigLabel  int // extra rows of one label at the end (window tests)
	meanMs    float64
	zeroLabel bool  // a label with one 0 ms sample (infinite throughput)
	think     int64 // pause between a user's iterations, ms (plus up to 200 ms)
}

func main() {
	var o opts
	out := flag.String("o", "", "output file (default stdout)")
	preset := flag.String("preset", "", "basic | onlyfail | window | mixed | long (fixed small files for golden tests)")
	flag.IntVar(&o.rows, "n", 1000, "rows to write (approximate for presets)")
	flag.IntVar(&o.labels, "labels", 8, "distinct request labels")
	flag.IntVar(&o.users, "users", 20, "virtual users")
	flag.Float64Var(&o.errRate, "errors", 0.02, "failure ratio")
	flag.BoolVar(&o.tc, "tc", true, "emit a transaction controller row per iteration")
	flag.BoolVar(&o.redirect, "redirect", true, "first request follows a redirect (sub-result row)")
	flag.Uint64Var(&o.seed, "seed", 1, "random seed")
	flag.Int64Var(&o.start, "start", 1700000000000, "first timestamp, epoch ms")
	flag.Float64Var(&o.meanMs, "mean", 120, "typical response time, ms")
	flag.Int64Var(&o.think, "think", 0, "pause between a user's iterations, ms")
	flag.Parse()
	switch *preset {
	case "":
	case "basic":
		o = opts{rows: 400, labels: 5, users: 4, errRate: 0.1, tc: true, redirect: true, seed: 7, start: 1700000000000, meanMs: 150, zeroLabel: true}
	case "onlyfail":
		o = opts{rows: 60, labels: 3, users: 2, errRate: 1, tc: false, redirect: false, seed: 3, start: 1700000100000, meanMs: 80, onlyFail: true}
	case "window":
		o = opts{rows: 300, labels: 3, users: 3, errRate: 0.05, tc: false, redirect: false, seed: 11, start: 1700000200000, meanMs: 60, bigLabel: 25000}
	case "long":
		o = opts{rows: 3000, labels: 5, users: 5, errRate: 0.04, tc: true, redirect: true, seed: 13, start: 1700000400000, meanMs: 180, think: 3000}
	case "mixed":
		o = opts{rows: 3000, labels: 12, users: 25, errRate: 0.03, tc: true, redirect: true, seed: 5, start: 1700000300000, meanMs: 250}
	default:
		fmt.Fprintf(os.Stderr, "genjtl: unknown preset %q\n", *preset)
		os.Exit(2)
	}
	w := os.Stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			fmt.Fprintln(os.Stderr, "genjtl:", err)
			os.Exit(1)
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	if err := generate(bw, o); err != nil {
		fmt.Fprintln(os.Stderr, "genjtl:", err)
		os.Exit(1)
	}
	if err := bw.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, "genjtl:", err)
		os.Exit(1)
	}
}

type row struct {
	ts, elapsed             int64
	label, code, msg, tname string
	dtype                   string
	ok                      bool
	fail                    string
	bytes, sent             int64
	grp, all                int
	url                     string
	latency, idle, connect  int64
}

func appendRow(b []byte, r *row) []byte {
	b = strconv.AppendInt(b, r.ts, 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, r.elapsed, 10)
	b = append(b, ',')
	b = appendField(b, r.label)
	b = append(b, ',')
	b = appendField(b, r.code)
	b = append(b, ',')
	b = appendField(b, r.msg)
	b = append(b, ',')
	b = appendField(b, r.tname)
	b = append(b, ',')
	b = append(b, r.dtype...)
	b = append(b, ',')
	b = strconv.AppendBool(b, r.ok)
	b = append(b, ',')
	b = appendField(b, r.fail)
	b = append(b, ',')
	b = strconv.AppendInt(b, r.bytes, 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, r.sent, 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(r.grp), 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(r.all), 10)
	b = append(b, ',')
	b = appendField(b, r.url)
	b = append(b, ',')
	b = strconv.AppendInt(b, r.latency, 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, r.idle, 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, r.connect, 10)
	return append(b, '\n')
}

// appendField quotes as JMeter does: only when the value holds a comma, quote or line break.
func appendField(b []byte, s string) []byte {
	need := false
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == ',' || c == '"' || c == '\n' || c == '\r' {
			need = true
			break
		}
	}
	if !need {
		return append(b, s...)
	}
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			b = append(b, '"')
		}
		b = append(b, s[i])
	}
	return append(b, '"')
}

type user struct {
	t    int64
	name string
	grp  int
}

func generate(w *bufio.Writer, o opts) error {
	rng := rand.New(rand.NewPCG(o.seed, o.seed^0x9e3779b97f4a7c15))
	labels := make([]string, o.labels)
	for i := range labels {
		labels[i] = fmt.Sprintf("GET /api/item/%d", i+1)
	}
	if o.labels > 2 {
		labels[1] = "POST /login, with \"quotes\""
	}
	users := make([]user, o.users)
	for i := range users {
		g := 1 + i%2
		users[i] = user{t: o.start + int64(i)*37, name: fmt.Sprintf("Thread Group %d %d-%d", g, g, i/2+1), grp: g}
	}
	grpCount := [3]int{0, (o.users + 1) / 2, o.users / 2}
	buf := make([]byte, 0, 512)
	written := 0
	emit := func(r *row) error {
		buf = appendRow(buf[:0], r)
		written++
		_, err := w.Write(buf)
		return err
	}
	if _, err := w.WriteString(header); err != nil {
		return err
	}
	elapsed := func() int64 {
		// log-normal around meanMs with a heavy tail
		v := math.Exp(rng.NormFloat64()*0.6) * o.meanMs
		if rng.IntN(200) == 0 {
			v *= 8
		}
		return int64(v)
	}
	if o.zeroLabel {
		if err := emit(&row{ts: o.start, elapsed: 0, label: "ping", code: "200", msg: "OK", tname: users[0].name, dtype: "text", ok: true, bytes: 10, sent: 5, grp: 1, all: 1, url: "http://127.0.0.1/ping"}); err != nil {
			return err
		}
	}
	for iter, u := 0, 0; written < o.rows; iter, u = iter+1, (u+1)%len(users) {
		us := &users[u]
		iterStart := us.t
		var tcBytes, tcSent, tcLat, tcConn int64
		tcFail := 0
		n := 0
		for li, l := range labels {
			e := elapsed()
			r := row{ts: us.t, elapsed: e, label: l, code: "200", msg: "OK", tname: us.name, dtype: "text", ok: true,
				bytes: 200 + rng.Int64N(5000), sent: 100 + rng.Int64N(300), grp: grpCount[us.grp], all: o.users,
				url: "http://127.0.0.1:8080/api/item/" + strconv.Itoa(li+1), latency: e * 2 / 3, connect: rng.Int64N(3)}
			if o.onlyFail || rng.Float64() < o.errRate {
				r.ok = false
				switch rng.IntN(5) {
				case 4:
					r.msg = "OK" // failed with a 200 and no message: "Assertion failed"
				case 0:
					r.code, r.msg = "500", "Internal Server Error"
				case 1:
					r.code, r.msg = "404", "Not Found"
				case 2:
					r.fail = "Test failed: text expected to contain /welcome/"
				default:
					r.code, r.msg = "Non HTTP response code: java.net.ConnectException", "Non HTTP response message: Connection refused"
					r.bytes, r.sent, r.dtype, r.latency = 1500, 0, "text", 0
				}
			}
			if li == 0 && o.redirect {
				// parent then its redirect hop, as JMeter writes sub-results
				sub := r
				sub.label = l + "-0"
				sub.code, sub.msg, sub.elapsed, sub.latency = "302", "Found", e/3, e/4
				r.elapsed = e + sub.elapsed
				if err := emit(&r); err != nil {
					return err
				}
				if err := emit(&sub); err != nil {
					return err
				}
			} else if err := emit(&r); err != nil {
				return err
			}
			n++
			if !r.ok {
				tcFail++
			}
			tcBytes += r.bytes
			tcSent += r.sent
			tcLat += r.latency
			tcConn += r.connect
			us.t += r.elapsed + 1 + rng.Int64N(20)
		}
		if o.tc {
			tc := row{ts: iterStart, elapsed: us.t - iterStart, label: "TC Checkout flow", code: "200", tname: us.name, ok: tcFail == 0,
				msg:   fmt.Sprintf("Number of samples in transaction : %d, number of failing samples : %d", n, tcFail),
				bytes: tcBytes, sent: tcSent, grp: grpCount[us.grp], all: o.users, url: "null", latency: tcLat, connect: tcConn}
			if tcFail > 0 {
				tc.code = ""
			}
			if err := emit(&tc); err != nil {
				return err
			}
			if iter%7 == 3 { // an empty controller now and then: the dashboard ignores it
				empty := tc
				empty.label, empty.elapsed, empty.msg, empty.ok, empty.code = "TC empty", 0, "Number of samples in transaction : 0, number of failing samples : 0", true, "200"
				empty.bytes, empty.sent, empty.latency, empty.connect = 0, 0, 0, 0
				if err := emit(&empty); err != nil {
					return err
				}
			}
		}
		us.t += o.think + rng.Int64N(200)
	}
	// one label with many samples at the end, to exercise JMeter's 20000-sample window
	t := users[0].t
	for i := 0; i < o.bigLabel; i++ {
		e := elapsed()
		if i < o.bigLabel/5 {
			e += 400 // the early samples, which JMeter's window forgets, are slower
		}
		r := row{ts: t, elapsed: e, label: "GET /big", code: "200", msg: "OK", tname: users[0].name, dtype: "text", ok: rng.IntN(100) != 0,
			bytes: 1000, sent: 120, grp: 1, all: o.users, url: "http://127.0.0.1:8080/big", latency: e / 2, connect: 0}
		if !r.ok {
			r.code, r.msg = "503", "Service Unavailable"
		}
		if err := emit(&r); err != nil {
			return err
		}
		t += 3
	}
	return nil
}
