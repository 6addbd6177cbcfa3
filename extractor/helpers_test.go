package extractor

import (
	"math/rand/v2"
	"testing"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/internal/jmxtest"
	"github.com/gometer/gometer/sample"
)

// build compiles an element of the given tag with the properties.
func build(t testing.TB, tag string, kv ...string) Extractor {
	t.Helper()
	el := jmxtest.Element(t, `<`+tag+` guiclass="X" testclass="`+tag+`" testname="ex" enabled="true">`+jmxtest.Props(kv...)+`</`+tag+`>`)
	x, err := New(el)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return x
}

func newCtx(seed uint64) *functions.Context {
	return &functions.Context{
		Vars:   functions.NewVars(),
		Props:  functions.NewProperties(),
		Shared: functions.NewShared(),
		Rand:   rand.New(rand.NewPCG(seed, seed)),
	}
}

const unset = "\x00unset"

// checkVars compares variables; the value unset means "must not exist".
func checkVars(t *testing.T, v *functions.Vars, want map[string]string) {
	t.Helper()
	for k, w := range want {
		got, ok := v.Get(k)
		if w == unset {
			if ok {
				t.Errorf("var %s = %q, want unset", k, got)
			}
			continue
		}
		if !ok {
			t.Errorf("var %s unset, want %q", k, w)
		} else if got != w {
			t.Errorf("var %s = %q, want %q", k, got, w)
		}
	}
}

func result(body string) *sample.Result {
	return &sample.Result{Body: []byte(body), ResponseCode: "200", ResponseMessage: "OK", Success: true}
}
