package report

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/gometer/gometer/output"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/sample"
)

// ReportOptions gather what the report's parts read from JMeter properties.
type ReportOptions struct {
	Stats  StatsOptions
	Apdex  ApdexOptions
	Errors ErrorsOptions
	Series SeriesOptions
	// SampleFilter (jmeter.reportgenerator.sample_filter) keeps only labels it fully matches.
	SampleFilter *regexp.Regexp
	Title        string // jmeter.reportgenerator.report_title
	// StartDate/EndDate (jmeter.reportgenerator.start_date/end_date, read
	// with date_format) keep only samples starting within [StartDate, EndDate];
	// zero = unbounded.
	StartDate, EndDate time.Time
	// SkipSubResults leaves run results' sub-results out (jmeter.save.saveservice.subresults=false).
	SkipSubResults bool
}

// ReportOptionsFromProps reads every report property; nil p = JMeter's defaults.
func ReportOptionsFromProps(p *functions.Properties) (ReportOptions, error) {
	var o ReportOptions
	var err error
	if o.Stats, err = StatsOptionsFromProps(p); err != nil {
		return o, err
	}
	if o.Apdex, err = ApdexOptionsFromProps(p); err != nil {
		return o, err
	}
	if o.Series, err = SeriesOptionsFromProps(p); err != nil {
		return o, err
	}
	o.Series.Satisfied, o.Series.Tolerated = o.Apdex.Satisfied, o.Apdex.Tolerated
	o.Series.Percentiles = o.Stats.Percentiles
	o.Errors = ErrorsOptions{UseFailureMessage: true, ExcludeTCFromTop5: true}
	if p == nil {
		return o, nil
	}
	o.SkipSubResults = strings.EqualFold(strings.TrimSpace(p.GetOr("jmeter.save.saveservice.subresults", "true")), "false")
	o.Errors.UseFailureMessage = !strings.EqualFold(strings.TrimSpace(p.GetOr("jmeter.save.saveservice.assertion_results_failure_message", "true")), "false")
	o.Errors.ExcludeTCFromTop5 = !strings.EqualFold(strings.TrimSpace(p.GetOr("jmeter.reportgenerator.exclude_tc_from_top5_errors_by_sampler", "true")), "false")
	if f := p.GetOr("jmeter.reportgenerator.sample_filter", ""); f != "" {
		re, err := regexp.Compile(`^(?:` + f + `)$`)
		if err != nil {
			return o, fmt.Errorf("property jmeter.reportgenerator.sample_filter: %w", err)
		}
		o.SampleFilter = re
	}
	o.Title = p.GetOr("jmeter.reportgenerator.report_title", "")
	format := p.GetOr("jmeter.reportgenerator.date_format", "yyyyMMddHHmmss")
	for _, d := range []struct {
		name string
		dst  *time.Time
	}{{"start_date", &o.StartDate}, {"end_date", &o.EndDate}} {
		v := strings.TrimSpace(p.GetOr("jmeter.reportgenerator."+d.name, ""))
		if v == "" {
			continue
		}
		l, err := compileTimestampLayout(format)
		if err != nil {
			return o, fmt.Errorf("property jmeter.reportgenerator.date_format=%q: %w", format, err)
		}
		ms, ok := parseJavaDate(l, []byte(v), time.Local)
		if !ok {
			return o, fmt.Errorf("property jmeter.reportgenerator.%s=%q does not match date_format %q", d.name, v, format)
		}
		*d.dst = time.UnixMilli(ms)
	}
	return o, nil
}

// Collector aggregates samples into everything the report shows, in
// memory bounded by labels × time buckets. Add and AddSample are safe for
// concurrent use: a Collector is a run Output, so a run can feed it its
// results as they come and render the report at the end without
// re-reading the JTL (WriteReport).
type Collector struct {
	mu         sync.Mutex
	opts       ReportOptions
	stats      *Stats
	apdex      *Apdex
	errors     *Errors
	series     *Series
	begin, end int64
	rows       int64
	scratch    Sample
	done       bool
	from, to   int64 // date range, epoch ms; 0 = open
}

// NewCollector returns an empty collector.
func NewCollector(o ReportOptions) *Collector {
	if o.Apdex.Satisfied == 0 && o.Apdex.Tolerated == 0 {
		o.Apdex.Satisfied, o.Apdex.Tolerated = 500, 1500
	}
	c := &Collector{opts: o, stats: NewStats(o.Stats), apdex: NewApdex(o.Apdex), errors: NewErrors(o.Errors),
		series: NewSeries(o.Series), begin: math.MaxInt64, end: math.MinInt64}
	if !o.StartDate.IsZero() {
		c.from = o.StartDate.UnixMilli()
	}
	if !o.EndDate.IsZero() {
		c.to = o.EndDate.UnixMilli()
	}
	return c
}

var _ output.Output = (*Collector)(nil)

// AddSample counts one JTL row. It keeps no reference to x.
func (c *Collector) AddSample(x *Sample) {
	c.mu.Lock()
	c.add(x)
	c.mu.Unlock()
}

// Add counts a run's result and, like the JTL writer with
// jmeter.save.saveservice.subresults on (the default), its sub-results
// depth-first, so the in-run report equals one made from the JTL.
func (c *Collector) Add(r *sample.Result) {
	c.mu.Lock()
	c.addResult(r, 0)
	c.mu.Unlock()
}

func (c *Collector) addResult(r *sample.Result, depth int) {
	if r == nil || depth > maxSubDepth {
		return
	}
	ResultToSample(r, &c.scratch)
	c.add(&c.scratch)
	if c.opts.SkipSubResults {
		return
	}
	for _, s := range r.Subs {
		c.addResult(s, depth+1)
	}
}

// Start and Stop do nothing: they let a Collector serve as a run output.
func (c *Collector) Start(output.Run) error { return nil }

// Stop does nothing; the collector stays readable.
func (c *Collector) Stop() error { return nil }

func (c *Collector) add(x *Sample) {
	if c.done {
		return
	}
	c.rows++
	if c.from != 0 && x.TimeStamp < c.from || c.to != 0 && x.TimeStamp > c.to {
		return
	}
	// begin/end cover every sample in the date range, name-filtered or not, as in JMeter.
	c.begin = min(c.begin, x.TimeStamp)
	c.end = max(c.end, x.TimeStamp+x.Elapsed)
	if c.opts.SampleFilter != nil && !c.opts.SampleFilter.MatchString(x.Label) {
		return
	}
	c.stats.Add(x)
	c.apdex.Add(x)
	c.errors.Add(x)
	c.series.Add(x)
}

// Stats exposes the statistics gathered so far (not synchronised: call
// after the run).
func (c *Collector) Stats() *Stats { return c.stats }

// Summary is what a report says at a glance, for the CLI to print.
type Summary struct {
	Title        string
	Sources      []string
	Samples      int64 // rows counted in Total (transaction controllers excluded)
	Errors       int64
	ErrorPct     float64
	Begin, End   time.Time
	Total        LabelStats
	Rows         []LabelStats
	Apdex        ApdexRow
	Mode         PercentileMode
	Granularity  time.Duration
	Verdict      string
	OK           bool   // no errors (or the caller's verdict said so)
	Warning      bool   // samples failed but no threshold judged the run: a warning, not a FAIL
	TopError     string // most frequent error type, "" when none
	IndexPath    string
	StatsPath    string
	RowsRead     int64
	BadRows      int64
	GeneratedAt  time.Time
	PercentTitle [3]string
	// Violations are the --fail-on thresholds the merged data broke.
	Violations []Violation
	// Generators are the shards' run records (beside their JTLs);
	// ShardProblems says which failed, started late, were saturated or
	// never reported.
	Generators    []RunRecord
	ShardProblems []string
	// Evidence is what the server monitors say (nil without monitors).
	Evidence *Evidence
	// Note is shown under the verdict (e.g. what a report from summaries
	// leaves out).
	Note    string
	monitor []MonitorLine
}

// Verdict lets a caller (thresholds) state the report's verdict line.
type Verdict struct {
	OK   bool
	Text string
}

// WriteOptions control WriteReport.
type WriteOptions struct {
	Force   bool
	Title   string
	Sources []string // JTL names shown in the report
	Verdict *Verdict // nil: verdict from the error count
	BadRows int64
	Now     time.Time // zero: time.Now()
	// Generators and ShardProblems describe the shards of a merged run.
	Generators    []RunRecord
	ShardProblems []string
	// Monitor is the server monitors' series for the run (drawn and ranked
	// against the response times).
	Monitor []MonitorLine
	// Note is shown under the verdict.
	Note string
}

// WriteReport checks the output folder (see PrepareOutputDir) and writes
// index.html and statistics.json. The collector must not be fed afterwards.
func (c *Collector) WriteReport(outDir string, o WriteOptions) (*Summary, error) {
	if err := PrepareOutputDir(outDir, o.Force); err != nil {
		return nil, err
	}
	return c.write(outDir, o)
}

func (c *Collector) write(outDir string, o WriteOptions) (*Summary, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.done = true
	sum := c.summary(o)
	rows := sum.Rows
	sum.StatsPath = filepath.Join(outDir, "statistics.json")
	sum.IndexPath = filepath.Join(outDir, "index.html")
	err := writeFileAtomic(sum.StatsPath, func(w io.Writer) error {
		if sum.Total.Samples == 0 && len(rows) == 0 {
			// JMeter fails here; gometer writes an empty object and a report that says so.
			_, err := io.WriteString(w, "{ }")
			return err
		}
		return WriteStatisticsJSON(w, rows, sum.Total)
	})
	if err != nil {
		return nil, err
	}
	if err := writeFileAtomic(sum.IndexPath, func(w io.Writer) error { return renderHTML(w, c, sum) }); err != nil {
		return nil, err
	}
	return sum, nil
}

func (c *Collector) summary(o WriteOptions) *Summary {
	s := &Summary{Title: o.Title, Sources: o.Sources, Mode: c.opts.Stats.Mode, RowsRead: c.rows, BadRows: o.BadRows, GeneratedAt: o.Now,
		Generators: o.Generators, ShardProblems: o.ShardProblems, monitor: o.Monitor, Note: o.Note}
	if s.Title == "" {
		s.Title = c.opts.Title
	}
	if s.Title == "" {
		s.Title = "gometer report"
	}
	if s.GeneratedAt.IsZero() {
		s.GeneratedAt = time.Now()
	}
	for _, l := range c.stats.Labels() {
		s.Rows = append(s.Rows, c.stats.Row(l))
	}
	s.Total = c.stats.Total()
	s.Samples, s.Errors = s.Total.Samples, s.Total.Errors
	if s.Samples > 0 {
		s.ErrorPct = s.Total.ErrorPct
	}
	if c.begin <= c.end {
		s.Begin, s.End = time.UnixMilli(c.begin), time.UnixMilli(c.end)
	}
	s.Apdex = c.apdex.Overall()
	s.PercentTitle = c.stats.opts.PercentileLabels
	switch {
	case o.Verdict != nil:
		s.OK, s.Verdict = o.Verdict.OK, o.Verdict.Text
	case s.Samples == 0 && len(s.Rows) == 0:
		s.OK, s.Verdict = false, "No samples: the results hold no rows to report on."
	case s.Errors == 0:
		s.OK = true
		s.Verdict = fmt.Sprintf("PASS — %s samples, no errors; %sth pct %s ms, %s/s.",
			groupThousands(s.Samples), s.PercentTitle[1], fmtNum(s.Total.P2, 0), fmtNum(s.Total.Throughput, 2))
	default:
		// Only a threshold fails a run (the caller's verdict above); failed
		// samples alone are worth a warning with their share, as JMeter's
		// exit code does not change for them either.
		s.Warning = true
		s.Verdict = fmt.Sprintf("WARNING — %s of %s samples failed (%s%%); %sth pct %s ms, %s/s. No threshold was set (--fail-on), so the run is not judged.",
			groupThousands(s.Errors), groupThousands(s.Samples), fmtNum(s.ErrorPct, 2), s.PercentTitle[1], fmtNum(s.Total.P2, 0), fmtNum(s.Total.Throughput, 2))
		if t := c.errors.Table(); len(t) > 0 {
			s.TopError = t[0].Type
			s.Verdict += fmt.Sprintf(" Most frequent error: %s (%s).", shorten(t[0].Type, 120), groupThousands(t[0].Count))
		}
	}
	return s
}

func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// NotJTLError is returned when every row of the input was malformed.
type NotJTLError struct {
	First error // the first malformed row, a *RowError naming file and line
	Bad   int64 // malformed rows in all
}

func (e *NotJTLError) Error() string {
	return fmt.Sprintf("not a JTL: no row could be read (%d malformed); first: %v", e.Bad, e.First)
}

func (e *NotJTLError) Unwrap() error { return e.First }

// GenerateOptions control Generate.
type GenerateOptions struct {
	Props    *functions.Properties
	Force    bool
	Title    string
	Progress io.Writer // nil = none; shown only when it is a terminal
	Read     ReadOptions
	Verdict  *Verdict
	// Thresholds are evaluated on the merged statistics; they decide the
	// verdict (unless Verdict is set) and fill Summary.Violations.
	Thresholds []Threshold
	// Shards is how many shards' results are expected (0: as their run
	// records say); a missing one is a problem of the run.
	Shards int
}

// Generate reads the JTLs (merged by time when several), computes the
// statistics and writes index.html and statistics.json into outDir. The
// output folder is checked before anything is read.
func Generate(jtls []string, outDir string, opts GenerateOptions) (*Summary, error) {
	if len(jtls) == 0 {
		return nil, errors.New("report: no results file given")
	}
	ro, err := ReportOptionsFromProps(opts.Props)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	if err := PrepareOutputDir(outDir, opts.Force); err != nil {
		return nil, err
	}
	c := NewCollector(ro)
	read := opts.Read
	if read.Props == nil {
		read.Props = opts.Props
	}
	var bad int64
	var firstBad error
	user := read.OnBadRow
	read.OnBadRow = func(err error) {
		bad++
		if firstBad == nil {
			firstBad = err
		}
		if user != nil {
			user(err)
		}
	}
	var total int64
	for _, p := range jtls {
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("report: cannot read results file %s: %w", p, err)
		}
		if st.IsDir() {
			return nil, fmt.Errorf("report: results file %s is a directory", p)
		}
		total += st.Size()
	}
	var rd interface {
		Next() (*Sample, error)
		Close() error
		BytesRead() int64
		Rows() int64
	}
	if len(jtls) == 1 {
		rd, err = OpenJTL(jtls[0], read)
	} else {
		rd, err = MergeJTL(jtls, read)
	}
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	defer rd.Close()
	pr := newProgress(opts.Progress, total)
	var good int64
	for i := 0; ; i++ {
		x, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			pr.done(rd.Rows(), rd.BytesRead())
			return nil, fmt.Errorf("report: %w", err)
		}
		c.add(x)
		good++
		if i&0xFFFF == 0 {
			pr.update(rd.Rows(), rd.BytesRead())
		}
	}
	pr.done(rd.Rows(), rd.BytesRead())
	// Rows, but not one a JTL reader understands: the input is not a JTL
	// (or not in the format the properties describe), which an empty
	// report would hide.
	if good == 0 && bad > 0 {
		return nil, &NotJTLError{First: firstBad, Bad: bad}
	}
	names := make([]string, len(jtls))
	for i, p := range jtls {
		names[i] = filepath.Base(p)
	}
	recs, err := ReadRunRecords(jtls)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	probs := shardProblems(recs, opts.Shards)
	mon, err := ReadMonitorSeries(jtls)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	verdict, violations := mergedVerdict(opts, c.stats, recs, probs)
	sum, err := c.write(outDir, WriteOptions{Force: opts.Force, Title: opts.Title, Sources: names, Verdict: verdict, BadRows: bad,
		Generators: recs, ShardProblems: probs, Monitor: mon})
	if err != nil {
		return nil, err
	}
	sum.Violations = violations
	return sum, nil
}

// shardsIncomplete reports whether a shard failed or never reported: the
// merged results then miss part of the load, whatever the thresholds say.
func shardsIncomplete(recs []RunRecord, probs []string) bool {
	for _, r := range recs {
		if r.ExitCode != 0 && r.ExitCode != 3 {
			return true
		}
	}
	for _, p := range probs {
		if strings.Contains(p, "wrote no run record") {
			return true
		}
	}
	return false
}

// ThresholdVerdict is the report's verdict line for --fail-on results.
func ThresholdVerdict(v []Violation) *Verdict {
	if len(v) == 0 {
		return &Verdict{OK: true, Text: "PASS — every --fail-on threshold held"}
	}
	first := v[0]
	text := fmt.Sprintf("FAIL — %d threshold(s) exceeded; first: %s on %s", len(v), first.Threshold.Spec, first.Label)
	if first.Reason != "" {
		text += " (" + first.Reason + ")"
	} else if !math.IsNaN(first.Actual) {
		text += fmt.Sprintf(" (actual %.4g)", first.Actual)
	}
	return &Verdict{OK: false, Text: text}
}

// GenerateFromStats renders the report of a Collector a run fed (no
// re-reading of the JTL): the same checks of outDir and the same files as
// Generate. sources names the JTL(s) shown in the header, if any.
func GenerateFromStats(c *Collector, outDir string, opts GenerateOptions, sources ...string) (*Summary, error) {
	return c.WriteReport(outDir, WriteOptions{Force: opts.Force, Title: opts.Title, Verdict: opts.Verdict, Sources: sources})
}

// reportFiles are the only entries a previous report folder may hold.
var reportFiles = map[string]bool{"index.html": true, "statistics.json": true}

// PrepareOutputDir makes outDir ready for a report. A missing folder is
// created; an empty one is used; a non-empty one is refused unless force,
// and force only clears a folder that holds a previous gometer report
// (index.html and/or statistics.json and nothing else) — it never deletes
// anything else.
func PrepareOutputDir(outDir string, force bool) error {
	ents, err := checkOutputDir(outDir, force)
	if err != nil {
		return err
	}
	abs, _ := filepath.Abs(outDir)
	if ents == nil {
		if err := os.MkdirAll(outDir, 0o755); err != nil {
			return fmt.Errorf("report: cannot create output folder %s: %w", abs, err)
		}
		return nil
	}
	for _, e := range ents {
		if err := os.Remove(filepath.Join(outDir, e.Name())); err != nil {
			return fmt.Errorf("report: clearing %s: %w", abs, err)
		}
	}
	return nil
}

// CheckOutputDir says, without touching anything, whether PrepareOutputDir
// would accept outDir: a run that ends with a report checks it before it
// sends anything, so a folder -f may not clear is refused first, not after
// the test.
func CheckOutputDir(outDir string, force bool) error {
	_, err := checkOutputDir(outDir, force)
	return err
}

// checkOutputDir returns the previous report's files to clear (an empty,
// non-nil slice for an empty folder; nil when the folder does not exist).
func checkOutputDir(outDir string, force bool) ([]os.DirEntry, error) {
	if outDir == "" {
		return nil, errors.New("report: no output folder given (-o)")
	}
	abs, _ := filepath.Abs(outDir)
	st, err := os.Stat(outDir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("report: output folder %s: %w", abs, err)
	case !st.IsDir():
		return nil, fmt.Errorf("report: cannot write to %s: it is an existing file", abs)
	}
	ents, err := os.ReadDir(outDir)
	if err != nil {
		return nil, fmt.Errorf("report: cannot list output folder %s: %w", abs, err)
	}
	if len(ents) == 0 {
		return []os.DirEntry{}, nil
	}
	if !force {
		return nil, fmt.Errorf("report: cannot write to %s: folder is not empty (use -f to replace a previous report)", abs)
	}
	for _, e := range ents {
		if !reportFiles[e.Name()] || !e.Type().IsRegular() {
			return nil, fmt.Errorf("report: refusing to clear %s: it holds %q, which is not part of a gometer report; choose an empty or new folder", abs, e.Name())
		}
	}
	return ents, nil
}

// writeFileAtomic streams write's output to a temporary file beside path
// and renames it into place, so a reader never sees half a report.
func writeFileAtomic(path string, write func(w io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	bw := bufio.NewWriterSize(tmp, 256<<10)
	werr := write(bw)
	if werr == nil {
		werr = bw.Flush()
	}
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Chmod(tmp.Name(), 0o644)
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), path)
	}
	if werr != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("report: writing %s: %w", path, werr)
	}
	return nil
}
