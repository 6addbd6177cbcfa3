package assertion

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/internal/jmxtest"
)

// build compiles an element of the given tag with the properties (raw
// XML for collection properties may follow in extra).
func build(t testing.TB, tag, extra string, kv ...string) Assertion {
	t.Helper()
	el := jmxtest.Element(t, `<`+tag+` guiclass="X" testclass="`+tag+`" testname="check" enabled="true">`+jmxtest.Props(kv...)+extra+`</`+tag+`>`)
	a, err := New(el)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return a
}

// patterns renders the Asserion.test_strings collection.
func patterns(ps ...string) string {
	var b strings.Builder
	b.WriteString(`<collectionProp name="Asserion.test_strings">`)
	for i, p := range ps {
		b.WriteString(`<stringProp name="` + strconv.Itoa(i) + `">` + jmxtest.Escape(p) + `</stringProp>`)
	}
	b.WriteString(`</collectionProp>`)
	return b.String()
}

func newCtx(seed uint64) *functions.Context {
	return &functions.Context{
		Vars:   functions.NewVars(),
		Props:  functions.NewProperties(),
		Shared: functions.NewShared(),
		Rand:   rand.New(rand.NewPCG(seed, seed)),
	}
}
