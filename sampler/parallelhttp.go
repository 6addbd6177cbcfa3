package sampler

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
)

// ClassParallelHTTP is BlazeMeter's Parallel HTTP Requests sampler
// ("jpgc-parallel").
const ClassParallelHTTP = "com.blazemeter.jmeter.http.ParallelHTTPSampler"

// parallelListURL is the URL the plugin gives its own result.
const parallelListURL = "http://parallel-urls-list"

// NewParallelHTTP builds the Parallel HTTP Requests sampler: an HTTP
// sampler whose sample is not a request but the download of the URLs in its
// "urls" table, in parallel, as embedded resources of a page that frames
// them all. The plugin does exactly that (it hands JMeter's resource
// downloader a page of <iframe> tags), so the sampler's embedded-resource
// settings apply: HTTPSampler.concurrentDwn (on unless the plan turns it
// off) and concurrentPool (default 6) set the parallelism, the URL allow and
// exclude patterns filter the list, and with image_parser on (the plugin's
// default) the listed pages' own resources are fetched too.
func NewParallelHTTP(el *jmx.Element, opt HTTPOptions) (*HTTP, error) {
	m := *el
	m.Props = append([]*jmx.Property(nil), el.Props...)
	for _, name := range []string{"HTTPSampler.image_parser", "HTTPSampler.concurrentDwn"} {
		if !m.Has(name) { // the plugin's constructor sets these before the plan's values load
			m.Props = append(m.Props, &jmx.Property{Name: name, Kind: jmx.BoolProp, Value: "true"})
		}
	}
	h, err := NewHTTP(&m, opt)
	if err != nil {
		return nil, err
	}
	h.urlList = []*functions.Template{}
	for _, row := range el.Collection("urls") {
		if len(row.Items) == 0 {
			continue
		}
		tpl, err := functions.Compile(row.Items[0].Value)
		if err != nil {
			return nil, fmt.Errorf("%s (%s): urls: %w", el.Path(), el.Where(), err)
		}
		h.urlList = append(h.urlList, tpl)
	}
	h.discard = false
	return h, nil
}

// sampleURLList is the plugin's sample: a result for the list itself (GET
// http://parallel-urls-list, the URLs one per line as sampler data, the
// page of frames as its response) whose sub-results are the downloads.
// The plugin adds them while its result has no label yet, so they are
// labelled "-0", "-1" …; the result then takes the sampler's name.
func (h *HTTP) sampleURLList(ctx context.Context, s *Session, st *HTTPState) *Result {
	c := s.Ctx
	var req, page strings.Builder
	for _, t := range h.urlList {
		u := t.Eval(c)
		req.WriteString(u + "\n")
		page.WriteString("<iframe src='" + u + "'></iframe>\n")
	}
	res := &Result{
		Method:         "GET",
		URL:            parallelListURL,
		SamplerData:    req.String(),
		RequestHeaders: "\n",
		Body:           []byte(page.String()),
		ContentType:    "text/html",
		Success:        true,
		SampleCount:    1,
		Start:          time.Now(),
	}
	if urls := resourceURLs(res); len(urls) > 0 {
		h.addResources(res, h.fetchResources(ctx, s, st, urls, 0, ""), "")
	}
	if len(res.Subs) == 0 {
		res.Elapsed = time.Since(res.Start)
	}
	res.Label = h.label.Eval(c)
	return res
}
