package extractor

import (
	"context"
	"strconv"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/sample"
	"github.com/gometer/gometer/sampler"
)

// debugPost is JMeter's DebugPostProcessor: it adds a sub-sample to the
// sample holding the user's variables (and, if asked, the properties), as
// the Debug Sampler prints them. Like JMeter it names the sub-sample
// "<parent>-<n>" and stretches the parent to the end of it, adding its
// bytes. The "sampler properties" section is not produced (the sampler's
// raw properties are not kept at run time).
type debugPost struct{ d sampler.Sampler }

func newDebugPost(el *jmx.Element) (Extractor, error) {
	d, err := sampler.NewDebug(el)
	if err != nil {
		return nil, err
	}
	return debugPost{d}, nil
}

func (x debugPost) Process(c *functions.Context, r *sample.Result) {
	if r == nil {
		return
	}
	sub := x.d.Sample(context.Background(), &sampler.Session{Ctx: c})
	if sub == nil {
		return
	}
	sub.Label = r.Label + "-" + strconv.Itoa(len(r.Subs))
	sub.ThreadName, sub.GrpThreads, sub.AllThreads = r.ThreadName, r.GrpThreads, r.AllThreads
	if end := sub.End().Sub(r.Start) - r.Idle; !r.Start.IsZero() && end > r.Elapsed {
		r.Elapsed = end
	}
	r.Bytes += sub.Bytes
	r.SentBytes += sub.SentBytes
	r.Subs = append(r.Subs, sub)
}
