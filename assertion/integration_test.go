package assertion

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gometer/gometer/internal/jmxtest"
	"github.com/gometer/gometer/sample"
	"github.com/gometer/gometer/sampler"
)

func fetch(t testing.TB, url string) *sample.Result {
	t.Helper()
	client := &http.Client{Timeout: 10 * time.Second}
	start := time.Now()
	resp, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var h strings.Builder
	fmt.Fprintf(&h, "%s %s\r\n", resp.Proto, resp.Status)
	for k, vs := range resp.Header {
		for _, v := range vs {
			fmt.Fprintf(&h, "%s: %s\r\n", k, v)
		}
	}
	return &sample.Result{
		Elapsed: time.Since(start), URL: url, Body: body,
		ResponseCode: strconv.Itoa(resp.StatusCode), ResponseMessage: strings.TrimPrefix(resp.Status, strconv.Itoa(resp.StatusCode)+" "),
		ResponseHeaders: h.String(), Success: resp.StatusCode < 400, Bytes: int64(len(body) + h.Len()),
	}
}

func TestIntegrationWithHTTPServer(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/account":
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, accountJSON)
		case "/broken":
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, "<html><body>Service unavailable</body></html>")
		}
	}))
	defer srv.Close()
	c := newCtx(1)

	ok := fetch(t, srv.URL+"/account")
	for _, a := range []Assertion{
		build(t, "ResponseAssertion", patterns("200")+`<intProp name="Assertion.test_type">8</intProp>`, "Assertion.test_field", "Assertion.response_code"),
		build(t, "ResponseAssertion", patterns("application/json"), "Assertion.test_field", "Assertion.response_headers"),
		build(t, "JSONPathAssertion", "", "JSON_PATH", "$.user.name", "JSONVALIDATION", "true", "EXPECTED_VALUE", "Ann"),
		build(t, "SizeAssertion", "", "SizeAssertion.size", "100", "SizeAssertion.operator", "3"),
		build(t, "DurationAssertion", "", "DurationAssertion.duration", "60000"),
	} {
		Apply(a, c, ok)
	}
	if !ok.Success || ok.FailureMessage() != "" || len(ok.Assertions) != 5 {
		t.Fatalf("healthy response failed: %+v", ok.Assertions)
	}

	bad := fetch(t, srv.URL+"/broken")
	Apply(build(t, "ResponseAssertion", patterns("unavailable")+`<boolProp name="Assertion.assume_success">true</boolProp>`,
		"Assertion.test_field", "Assertion.response_data"), c, bad)
	if !bad.Success {
		t.Fatalf("assume_success on an expected 503 should pass: %+v", bad.Assertions)
	}
	Apply(build(t, "JSONPathAssertion", "", "JSON_PATH", "$.status"), c, bad)
	want := "Expected to find an object with property ['status'] in path $ but found 'java.lang.String'. This is not a json object according to the JsonProvider: 'com.jayway.jsonpath.spi.json.JsonSmartJsonProvider'."
	if bad.Success || bad.FailureMessage() != want {
		t.Fatalf("JSON assertion on an HTML error page: %q", bad.FailureMessage())
	}
}

// One compiled assertion serves many virtual users at once.
func TestConcurrentUsers(t *testing.T) {
	as := []Assertion{
		build(t, "ResponseAssertion", patterns(`Welcome back, ${user}`, `^<html>.*</html>$`), "Assertion.test_field", "Assertion.response_data"),
		build(t, "XPathAssertion", "", "XPath.xpath", "//h1", "XPath.tolerant", "true"),
		build(t, "JSONPathAssertion", "", "JSON_PATH", "$.user.${f}", "JSONVALIDATION", "true", "EXPECTED_VALUE", "A.*"),
	}
	done := make(chan error, 8)
	for u := 0; u < 8; u++ {
		go func(u int) {
			c := newCtx(uint64(u))
			c.Vars.Put("user", "Ann")
			c.Vars.Put("f", "name")
			for n := 0; n < 50; n++ {
				r := baseSample()
				Apply(as[0], c, r)
				Apply(as[1], c, r)
				j := baseSample()
				j.Body = []byte(accountJSON)
				Apply(as[2], c, j)
				if !r.Success || !j.Success {
					done <- fmt.Errorf("user %d: %q %q", u, r.FailureMessage(), j.FailureMessage())
					return
				}
			}
			done <- nil
		}(u)
	}
	for u := 0; u < 8; u++ {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}

// TestSizeAssertionFieldsWithHTTPSampler measures a real HTTP sample: the
// body field is the body's length (JMeter takes the received bytes minus the
// header block as sent on the wire, with CRLFs), the headers field the rest.
func TestSizeAssertionFieldsWithHTTPSampler(t *testing.T) {
	body := strings.Repeat("b", 517)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("X-Extra", "one")
		io.WriteString(w, body)
	}))
	defer srv.Close()
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	el := jmxtest.Element(t, `<HTTPSamplerProxy guiclass="HttpTestSampleGui" testclass="HTTPSamplerProxy" testname="get" enabled="true">`+
		jmxtest.Props("HTTPSampler.domain", u.Hostname(), "HTTPSampler.port", u.Port(), "HTTPSampler.path", "/", "HTTPSampler.method", "GET")+
		`</HTTPSamplerProxy>`)
	h, err := sampler.NewHTTP(el, sampler.HTTPOptions{})
	if err != nil {
		t.Fatal(err)
	}
	c := newCtx(1)
	r := h.Sample(context.Background(), &sampler.Session{Ctx: c})
	if r.ResponseCode != "200" || len(r.Body) != 517 {
		t.Fatalf("sample: %s %q, %d bytes", r.ResponseCode, r.ResponseMessage, len(r.Body))
	}
	head := strconv.FormatInt(r.Bytes-517, 10)
	for _, tc := range []struct{ field, size string }{
		{"SizeAssertion.response_data", "517"},
		{"SizeAssertion.response_headers", head},
		{"SizeAssertion.response_network_size", strconv.FormatInt(r.Bytes, 10)},
		{"SizeAssertion.response_code", "3"},
		{"SizeAssertion.response_message", "2"},
	} {
		Apply(build(t, "SizeAssertion", "", "Assertion.test_field", tc.field, "SizeAssertion.size", tc.size, "SizeAssertion.operator", "1"), c, r)
		if !r.Success {
			t.Fatalf("%s should equal %s: %s", tc.field, tc.size, r.FailureMessage())
		}
	}
}
