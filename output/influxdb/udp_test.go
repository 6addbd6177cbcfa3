package influxdb

import (
	"net"
	"strings"
	"testing"
	"time"

	"github.com/gometer/gometer/internal/backendtest"
	"github.com/gometer/gometer/output"
	"github.com/gometer/gometer/output/backend"
)

// JMeter's UdpMetricsSender: influxdbUrl is host:port and each send is one
// datagram of lines; the same lines as the HTTP sender.
func TestUDPSenderSendsTheLines(t *testing.T) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	samples, err := backendtest.ReadJTL(goldenDir + "jmeter.jtl")
	if err != nil {
		t.Fatal(err)
	}
	var args map[string]string
	for _, a := range goldenArgs("") {
		args = a
		break
	}
	args["influxdbMetricsSender"] = UDPSenderClass
	args["influxdbUrl"] = pc.LocalAddr().String()
	clock := backend.NewManualClock(time.UnixMilli(samples[0].Start.UnixMilli() - 100))
	o, err := newOutput(args, output.Run{}, clock)
	if err != nil {
		t.Fatal(err)
	}
	if err := o.Start(output.Run{}); err != nil {
		t.Fatal(err)
	}
	for _, s := range samples {
		o.Add(s)
	}
	if err := o.Stop(); err != nil {
		t.Fatal(err)
	}
	var got strings.Builder
	buf := make([]byte, 64<<10)
	pc.SetReadDeadline(time.Now().Add(10 * time.Second))
	for !strings.Contains(got.String(), "ended") { // the end annotation comes last
		n, _, err := pc.ReadFrom(buf)
		if err != nil {
			t.Fatalf("datagrams so far:\n%s\nread: %v", got.String(), err)
		}
		got.Write(buf[:n])
	}
	body := got.String()
	for _, want := range []string{"events,", "transaction=all", "statut=all", "transaction=internal"} {
		if !strings.Contains(body, want) {
			t.Errorf("UDP datagrams lack %q:\n%s", want, body)
		}
	}
	args["influxdbUrl"] = "http://127.0.0.1:8086/write?db=jmeter"
	bad, err := newOutput(args, output.Run{}, clock)
	if err == nil {
		err = bad.Start(output.Run{})
	}
	if err == nil || !strings.Contains(err.Error(), "<host/ip>:<port>") {
		t.Errorf("a UDP sender with an http URL: %v", err)
	}
}
