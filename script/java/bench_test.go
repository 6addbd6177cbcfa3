package java

import (
	"context"
	"strconv"
	"strings"
	"testing"
)

type benchVars struct{ m map[string]string }

func (v *benchVars) Put(k, val string)   { v.m[k] = val }
func (v *benchVars) Get(k string) string { return v.m[k] }

type benchPrev struct{ body string }

func (p *benchPrev) GetResponseDataAsString() string { return p.body }

// benchBody is a ~2 KB JSON response.
func benchBody() string {
	var b strings.Builder
	b.WriteString(`{"token":"eyJhbGciOiJIUzI1NiJ9.abc.def","session":{"id":"s-1234","expires":3600},"items":[`)
	for i := 0; i < 30; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"id":` + strconv.Itoa(i) + `,"name":"item number ` + strconv.Itoa(i) + `","price":` + strconv.Itoa(i*3) + `.5,"tags":["a","b"]}`)
	}
	b.WriteString(`],"user":{"name":"bob","email":"bob@example.com"}}`)
	return b.String()
}

const benchScript = `import groovy.json.JsonSlurper

def json = new JsonSlurper().parseText(prev.getResponseDataAsString())
def token = json.token
def sessionId = json.session.id
def first = json.items.find { it.price > 10 }
vars.put("token", token)
vars.put("sessionId", sessionId)
vars.put("firstItem", first.name)
log.info("extracted ${token.length()} chars")
`

type benchLog struct{ n int }

func (l *benchLog) Info(s string) { l.n += len(s) }

// BenchmarkJSONPostProcessor: a 10-line Groovy post-processor parsing a
// 2 KB JSON body with JsonSlurper and setting three variables.
func BenchmarkJSONPostProcessor(b *testing.B) {
	p, err := Compile("bench", benchScript, Groovy)
	if err != nil {
		b.Fatal(err)
	}
	body := benchBody()
	if len(body) < 1900 || len(body) > 2300 {
		b.Fatalf("body is %d bytes", len(body))
	}
	vars := &benchVars{m: map[string]string{}}
	g := map[string]any{"vars": vars, "prev": &benchPrev{body: body}, "log": &benchLog{}}
	ctx := context.Background()
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := p.Run(ctx, g); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if vars.m["sessionId"] != "s-1234" || vars.m["firstItem"] != "item number 4" || !strings.HasPrefix(vars.m["token"], "eyJ") {
		b.Fatalf("vars = %v", vars.m)
	}
}

func BenchmarkCompile(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Compile("bench", benchScript, Groovy); err != nil {
			b.Fatal(err)
		}
	}
}
