package influxdb

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// The metrics sender classes JMeter's influxdbMetricsSender argument names.
const (
	HTTPSenderClass = "org.apache.jmeter.visualizers.backend.influxdb.HttpMetricsSender"
	UDPSenderClass  = "org.apache.jmeter.visualizers.backend.influxdb.UdpMetricsSender"
)

// userAgent is what JMeter 5.6.3's sender announces; some proxies in front
// of InfluxDB route or log by it.
const userAgent = "ApacheJMeter5.6.3"

// httpSender posts line-protocol batches as JMeter's HttpMetricsSender.
type httpSender struct {
	url    string
	token  string
	client *http.Client
}

func newHTTPSender(rawURL, token string, connect, socket time.Duration) (*httpSender, error) {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("influxdbUrl %q: want an http(s) URL such as http://host:8086/write?db=jmeter", rawURL)
	}
	tr := &http.Transport{
		Proxy:                 nil, // metrics go straight to the server, as JMeter's client does
		DialContext:           (&net.Dialer{Timeout: connect}).DialContext,
		MaxConnsPerHost:       2,
		MaxIdleConnsPerHost:   2,
		ResponseHeaderTimeout: socket,
		IdleConnTimeout:       time.Minute,
	}
	return &httpSender{url: u.String(), token: strings.TrimSpace(token), client: &http.Client{Transport: tr}}, nil
}

// StatusError is a write the server refused.
type StatusError struct {
	Code int
	Body string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("HTTP %d %s", e.Code, e.Body)
}

func (s *httpSender) Send(ctx context.Context, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("User-Agent", userAgent)
	req.Header.Set("Content-Type", "text/plain; charset=UTF-8")
	if s.token != "" {
		req.Header.Set("Authorization", "Token "+s.token)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // keep the connection reusable
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return &StatusError{resp.StatusCode, strings.TrimSpace(string(msg))}
	}
	return nil
}

func (s *httpSender) Close() error {
	s.client.CloseIdleConnections()
	return nil
}

// udpSender sends each batch as one datagram, as JMeter's UdpMetricsSender
// (its URL is host:port).
type udpSender struct{ addr string }

func newUDPSender(hostPort string) (*udpSender, error) {
	parts := strings.Split(hostPort, ":")
	if len(parts) != 2 || parts[0] == "" || parts[1] == "" {
		return nil, fmt.Errorf("influxdbUrl %q: the UDP sender wants <host/ip>:<port>", hostPort)
	}
	return &udpSender{hostPort}, nil
}

func (s *udpSender) Send(ctx context.Context, body []byte) error {
	var d net.Dialer
	c, err := d.DialContext(ctx, "udp", s.addr)
	if err != nil {
		return err
	}
	defer c.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = c.SetWriteDeadline(dl)
	}
	_, err = c.Write(body)
	return err
}

func (s *udpSender) Close() error { return nil }
