package engine

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gometer/gometer/functions"
)

func fifoPutEl(queue, value string) el {
	return el{tag: classFifoPut, gui: classFifoPut + "Gui", name: "put", props: sp("FifoName", queue) + sp("Value", value)}
}

func fifoPopEl(queue, variable string, timeout *string) el {
	props := sp("FifoName", queue) + sp("Variable", variable)
	if timeout != nil {
		props += sp("Timeout", *timeout)
	}
	return el{tag: classFifoPop, gui: classFifoPop + "Gui", name: "pop", props: props}
}

// A consumer in one thread group takes, in order, the values a producer in
// another puts: its pre-processor waits for each (no timers order them).
func TestFifoProcessorsPassValuesBetweenThreadGroups(t *testing.T) {
	srv := newServer(t)
	xml := planXML(
		tg("consumer", 1, 0, "3", "", get(srv, "use", "/got/${token}", fifoPopEl("tokens", "token", nil))),
		tg("producer", 1, 0, "3", "", get(srv, "make", "/made/${__counter(FALSE,)}", fifoPutEl("tokens", "t${__counter(FALSE,)}"))),
	)
	run(t, xml, nil)
	var got []string
	for _, p := range srv.paths() {
		if strings.HasPrefix(p, "/got/") {
			got = append(got, p)
		}
	}
	if strings.Join(got, ",") != "/got/t1,/got/t2,/got/t3" {
		t.Fatalf("consumer paths %v, want the three tokens in the order put (all: %v)", got, srv.paths())
	}
}

// The functions share the processors' queues: put returns the value, get
// peeks, size counts, pop takes; a pop past its timeout yields "null" and
// leaves its variable unset.
func TestFifoFunctions(t *testing.T) {
	srv := newServer(t)
	xml := planXML(tg("G", 1, 0, "1", "",
		get(srv, "put", "/put/${__fifoPut(q,a)}/${__fifoPut(q,b)}"),
		get(srv, "look", "/look/${__fifoSize(q,n)}/${__fifoGet(q,first)}/${n}/${first}"),
		get(srv, "pop", "/pop/${__fifoPop(q,x)}/${x}/${__fifoSize(q)}"),
		get(srv, "drain", "/drain/${__fifoPop(q)}/${__fifoPop(q,y)}/${__isVarDefined(y)}/${__fifoGet(q)}."),
		get(srv, "processor", "/proc/${__fifoSize(q)}", fifoPutEl("q", "c")),
		get(srv, "after", "/after/${__fifoPop(q)}"),
	))
	run(t, xml, map[string]string{"kg.apc.jmeter.functions.FifoTimeout": "0"})
	want := "/put/a/b,/look/2/a/2/a,/pop/a/a/1,/drain/b/null/false/.,/proc/0,/after/c"
	if got := strings.Join(srv.paths(), ","); got != want {
		t.Fatalf("paths\n got %s\nwant %s", got, want)
	}
}

// A pre-processor's own Timeout (seconds) bounds the wait: 0 gives up at
// once and unsets the variable.
func TestFifoPopTimeoutUnsetsTheVariable(t *testing.T) {
	srv := newServer(t)
	zero := "0"
	xml := planXML(tg("G", 1, 0, "1", "",
		get(srv, "pop", "/pop/${__isVarDefined(v)}", fifoPopEl("empty", "v", &zero)),
	))
	run(t, xml, nil)
	if got := strings.Join(srv.paths(), ","); got != "/pop/false" {
		t.Fatalf("paths %s", got)
	}
}

// A user waiting on a queue nobody fills does not hold the run open: a
// graceful stop ends the wait and the sample is not sent.
func TestFifoPopEndsAtTestStop(t *testing.T) {
	srv := newServer(t)
	ready := make(chan struct{})
	srv.handler = func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path == "/ready" {
			close(ready)
		}
		return false
	}
	xml := planXML(tg("G", 1, 0, "1", "",
		get(srv, "ready", "/ready"),
		get(srv, "never", "/never/${v}", fifoPopEl("nobody", "v", nil)),
	))
	tst, err := compileXML(t, xml, Options{Props: functions.NewProperties()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- tst.Run(ctx) }()
	<-ready
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the run did not end after a graceful stop while a user waited on an empty queue")
	}
	if got := strings.Join(srv.paths(), ","); got != "/ready" {
		t.Fatalf("paths %s, want only /ready", got)
	}
}

// A plan's literal Timeout that is not a number is refused at load.
func TestFifoPopBadTimeoutIsRefused(t *testing.T) {
	bad := "soon"
	xml := planXML(tg("G", 1, 0, "1", "", el{tag: "DebugSampler", name: "d", kids: []el{fifoPopEl("q", "v", &bad)}}))
	_, err := compileXML(t, xml, Options{Props: functions.NewProperties()})
	if err == nil || !strings.Contains(err.Error(), `Timeout "soon" is not a whole number`) {
		t.Fatalf("got %v", err)
	}
}
