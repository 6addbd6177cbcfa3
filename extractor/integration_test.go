package extractor

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gometer/gometer/sample"
)

// fetch does a real HTTP GET and builds the Result a sampler would.
func fetch(t testing.TB, client *http.Client, url string) *sample.Result {
	t.Helper()
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
		Start: start, Elapsed: time.Since(start), URL: url, Body: body,
		ResponseCode: strconv.Itoa(resp.StatusCode), ResponseMessage: strings.TrimPrefix(resp.Status, strconv.Itoa(resp.StatusCode)+" "),
		ResponseHeaders: h.String(), Success: resp.StatusCode < 400, Bytes: int64(len(body) + h.Len()),
	}
}

func TestIntegrationWithHTTPServer(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/login":
			http.SetCookie(w, &http.Cookie{Name: "JSESSIONID", Value: "node7-" + r.URL.Query().Get("u")})
			w.Header().Set("Location", "/home")
			w.WriteHeader(http.StatusFound)
		case "/home":
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, loginPage)
		case "/api/orders":
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, ordersJSON)
		}
	}))
	defer srv.Close()
	client := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	// a redirect-following sample: the parent carries the final response,
	// the hops are sub-samples, as JMeter records them
	hop1 := fetch(t, client, srv.URL+"/login?u=ann")
	hop2 := fetch(t, client, srv.URL+"/home")
	parent := *hop2
	parent.Subs = []*sample.Result{hop1, hop2}
	api := fetch(t, client, srv.URL+"/api/orders")

	c := newCtx(7)
	cookie := build(t, "RegexExtractor", "Sample.scope", "children", "RegexExtractor.useHeaders", "true",
		"RegexExtractor.refname", "session", "RegexExtractor.regex", `JSESSIONID=([^;\r\n]+)`,
		"RegexExtractor.template", "$1$", "RegexExtractor.match_number", "1", "RegexExtractor.default", "NONE")
	csrf := build(t, "HtmlExtractor", "HtmlExtractor.refname", "csrf", "HtmlExtractor.expr", "input[name=csrf]",
		"HtmlExtractor.attribute", "value", "HtmlExtractor.match_number", "1")
	ids := build(t, "JSONPostProcessor", "JSONPostProcessor.referenceNames", "id;sku",
		"JSONPostProcessor.jsonPathExprs", "$.orders[*].id;$..items[?(@.qty > 1)].sku",
		"JSONPostProcessor.match_numbers", "-1;-1", "JSONPostProcessor.defaultValues", "NF;NF",
		"JSONPostProcessor.compute_concat", "true")
	code := build(t, "BoundaryExtractor", "BoundaryExtractor.useHeaders", "code", "BoundaryExtractor.refname", "code",
		"BoundaryExtractor.lboundary", "", "BoundaryExtractor.rboundary", "", "BoundaryExtractor.match_number", "1")

	cookie.Process(c, &parent)
	csrf.Process(c, &parent)
	code.Process(c, hop1)
	ids.Process(c, api)
	checkVars(t, c.Vars, map[string]string{
		"session": "node7-ann", "csrf": "a1b2c3", "code": "302",
		"id_matchNr": "3", "id_ALL": "1001,1002,1003", "sku_ALL": "A-1,C-3",
	})
}

// One compiled extractor serves many virtual users at once.
func TestConcurrentUsers(t *testing.T) {
	xs := []Extractor{
		build(t, "RegexExtractor", "RegexExtractor.refname", "id", "RegexExtractor.regex", `id=(${d})`,
			"RegexExtractor.template", "$1$", "RegexExtractor.match_number", "-1"),
		build(t, "JSONPostProcessor", "JSONPostProcessor.referenceNames", "j", "JSONPostProcessor.jsonPathExprs", "$.orders[${i}].id",
			"JSONPostProcessor.match_numbers", "1", "JSONPostProcessor.defaultValues", "D"),
		build(t, "XPathExtractor", "XPathExtractor.refname", "x", "XPathExtractor.xpathQuery", "//input[@name='${f}']/@value",
			"XPathExtractor.tolerant", "true"),
		build(t, "JMESPathExtractor", "JMESExtractor.referenceName", "m", "JMESExtractor.jmesPathExpr", "orders[*].id",
			"JMESExtractor.matchNumber", "-1"),
		build(t, "RegexExtractor", "RegexExtractor.refname", "bt", "RegexExtractor.regex", `<(\w+)>([^<]*)</\1>`,
			"RegexExtractor.template", "$2$", "RegexExtractor.match_number", "1"),
		build(t, "HtmlExtractor", "HtmlExtractor.refname", "h", "HtmlExtractor.expr", "a", "HtmlExtractor.match_number", "-1"),
	}
	done := make(chan error, 8)
	for u := 0; u < 8; u++ {
		go func(u int) {
			c := newCtx(uint64(u))
			c.Vars.Put("d", `\d+`)
			c.Vars.Put("i", strconv.Itoa(u%3))
			c.Vars.Put("f", "csrf")
			for n := 0; n < 50; n++ {
				xs[0].Process(c, result(loginPage))
				xs[1].Process(c, result(ordersJSON))
				xs[2].Process(c, result(loginPage))
				xs[3].Process(c, result(ordersJSON))
				xs[4].Process(c, result(loginPage))
				xs[5].Process(c, result(loginPage))
			}
			want := []string{"1001", "1002", "1003"}[u%3]
			if v, _ := c.Vars.Get("j"); v != want {
				done <- fmt.Errorf("user %d: j=%q want %q", u, v, want)
				return
			}
			if v, _ := c.Vars.Get("bt"); v != "Sign in" {
				done <- fmt.Errorf("user %d: bt=%q", u, v)
				return
			}
			if v, _ := c.Vars.Get("m_matchNr"); v != "3" {
				done <- fmt.Errorf("user %d: m_matchNr=%q", u, v)
				return
			}
			if v, _ := c.Vars.Get("x"); v != "a1b2c3" {
				done <- fmt.Errorf("user %d: x=%q", u, v)
				return
			}
			if v, _ := c.Vars.Get("id_matchNr"); v != "3" {
				done <- fmt.Errorf("user %d: id_matchNr=%q", u, v)
				return
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
