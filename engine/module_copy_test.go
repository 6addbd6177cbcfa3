package engine

import (
	"fmt"
	"strings"
	"testing"
)

// TestModuleCopyHasItsOwnConfigState: a Module Controller runs a copy of
// its target. As in JMeter 5.6.3 (the same plan run there gave the same
// requests), the copy's Counter and Random Variable keep their own state,
// while CSV Data Sets share their position with the original, JMeter
// keying it by file name, in every share mode.
func TestModuleCopyHasItsOwnConfigState(t *testing.T) {
	f := writeFile(t, t.TempDir(), "rows.csv", "v\nr1\nr2\nr3\nr4\nr5\n")
	counter := func(perUser bool) el {
		return ctrl("CounterConfig", "cnt", sp("CounterConfig.start", "1")+sp("CounterConfig.incr", "1")+sp("CounterConfig.name", "n")+bp("CounterConfig.per_user", perUser))
	}
	random := func(perUser bool) el {
		return el{tag: "RandomVariableConfig", gui: "TestBeanGUI", name: "rv", props: sp("variableName", "r") + sp("minimumValue", "1") + sp("maximumValue", "1000") + sp("randomSeed", "5") + bp("perThread", perUser)}
	}
	mod := ctrl("ModuleController", "use shared",
		`<collectionProp name="ModuleController.node_path">`+sp("1", "Test Plan")+sp("2", "Test Plan")+sp("3", "G")+sp("4", "Shared")+`</collectionProp>`)
	for _, c := range []struct {
		perUser bool
		share   string
	}{{true, "shareMode.thread"}, {false, "shareMode.all"}, {true, "shareMode.group"}} {
		t.Run(fmt.Sprint(c.share, " per user ", c.perUser), func(t *testing.T) {
			srv := newServer(t)
			xml := planXML(tg("G", 1, 0, "2", "",
				ctrl("GenericController", "Shared", "",
					counter(c.perUser), random(c.perUser), csvEl(f, "", sp("shareMode", c.share)),
					get(srv, "s", "/c/${n}/${v}/${r}")),
				mod,
			))
			run(t, xml, nil)
			// the random numbers are java.util.Random(5)'s first two draws
			want := "/c/1/r1/488,/c/1/r2/488,/c/2/r3/93,/c/2/r4/93"
			if got := strings.Join(srv.paths(), ","); got != want {
				t.Errorf("got  %s\nwant %s", got, want)
			}
		})
	}
}
