package report

import (
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// chartCheck is what the page reports about one drawn chart (see
// chartProbe).
type chartCheck struct {
	ID             string
	Kind           string
	YLabels        []string
	XLabels        []string
	XLabelsOutside []string // x tick labels reaching past the chart's box
	Series         int
	LegendNames    []string
	LegendCut      []string // names not shown whole
	LegendHidden   bool     // the legend overflows without a scroll bar
	LegendTools    string
	Paths          int
	Circles        int
	Partial        int // marks of partial intervals
	Rect           [4]float64
}

// chartProbe runs in the page after the report's script and writes what
// each chart drew into body[data-check], for --dump-dom to carry out.
const chartProbe = `<script>
(function () {
  var out = [];
  document.querySelectorAll(".chart").forEach(function (box) {
    var svg = box.querySelector("svg"), sb = svg.getBoundingClientRect();
    var legend = box.querySelector(".legend"), tools = box.querySelector(".legend-tools");
    var c = { ID: box.id.replace("chart-", ""), YLabels: [], XLabels: [], XLabelsOutside: [], LegendNames: [], LegendCut: [],
      Paths: svg.querySelectorAll("g.series path").length, Circles: svg.querySelectorAll("g.series circle").length,
      Partial: svg.querySelectorAll(".partial").length, Series: svg.querySelectorAll("g.series").length,
      LegendTools: tools ? tools.textContent : "", LegendHidden: false };
    var r = box.getBoundingClientRect();
    c.Rect = [r.left + window.scrollX, r.top + window.scrollY, r.width, r.height];
    svg.querySelectorAll("text.ytick").forEach(function (t) { c.YLabels.push(t.textContent); });
    svg.querySelectorAll("text.xtick").forEach(function (t) {
      c.XLabels.push(t.textContent);
      var b = t.getBoundingClientRect();
      if (b.left < sb.left - 0.5 || b.right > sb.right + 0.5) { c.XLabelsOutside.push(t.textContent); }
    });
    legend.querySelectorAll("span").forEach(function (s) {
      c.LegendNames.push(s.textContent);
      if (s.scrollWidth > s.clientWidth + 1) { c.LegendCut.push(s.textContent); }
    });
    var oy = getComputedStyle(legend).overflowY;
    c.LegendHidden = legend.scrollHeight > legend.clientHeight + 1 && oy !== "auto" && oy !== "scroll";
    out.push(c);
  });
  document.body.setAttribute("data-check", JSON.stringify({ charts: out, height: document.documentElement.scrollHeight,
    zone: (document.getElementById("zone") || {}).textContent || "" }));
})();
</script>
`

var dataCheck = regexp.MustCompile(`data-check="([^"]*)"`)

// The report's charts as a browser draws them: axis labels that never
// repeat on small ranges (whole steps for counts), x labels inside the
// chart, legends of many series that show every name, scatter charts as
// points, the partial first and last intervals marked, and the charts'
// times in the header's time zone whatever the viewer's. Each chart is
// saved as a PNG (GOMETER_ARTIFACTS, else a temporary folder).
func TestReportChartsReadInChromium(t *testing.T) {
	bin := needChromium(t)
	dir := t.TempDir()
	// 20.1 s of samples starting 300 ms into a second: the first and last
	// 1 s intervals are partial. 30 labels, some long; times of 0–2 ms; one
	// label almost always 0 ms, so its mean is a few hundredths.
	t0 := int64(1700000000300)
	var b strings.Builder
	b.WriteString(jtlHeader)
	for i := int64(0); i < 20100; i += 100 {
		for l := range 30 {
			if (int64(l)+i/100)%3 != 0 {
				continue
			}
			label := fmt.Sprintf("Step %02d", l)
			if l%7 == 3 {
				label += " — a long label that names a whole business transaction and wraps"
			}
			ok := (i/100+int64(l))%41 != 0
			fmt.Fprintf(&b, "%d,%d,%s,%s,%s,T 1-%d,text,%v,,100,10,%d,%d,http://127.0.0.1/x,%d,0,0\n",
				t0+i, (i/100+int64(l))%3, label, map[bool]string{true: "200", false: "500"}[ok], map[bool]string{true: "OK", false: "Server Error"}[ok], l, ok, 1+l%5, 1+l%5, (i/100+int64(l))%2)
		}
		for k := range 40 {
			fmt.Fprintf(&b, "%d,%d,Rare,200,OK,T 2-1,text,true,,100,10,1,1,http://127.0.0.1/r,0,0,0\n", t0+i, map[bool]int{true: 1, false: 0}[k == 0 && i%1000 == 0])
		}
	}
	jtl := writeJTL(t, dir, "many.jtl", b.String())
	out := filepath.Join(dir, "report")
	if _, err := Generate([]string{jtl}, out, GenerateOptions{Title: "Chart check"}); err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	probe := filepath.Join(out, "probe.html")
	if err := os.WriteFile(probe, []byte(strings.Replace(string(page), "</body>", chartProbe+"</body>", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	// The viewer is in another zone than the report's (the test process's).
	viewerTZ := "Pacific/Auckland"
	if _, off := time.Now().Zone(); off == 13*3600 || off == 12*3600 {
		viewerTZ = "America/New_York"
	}
	t.Setenv("TZ", viewerTZ) // inherited by chromium; Go's time.Local is already loaded
	dom, logs := runChromium(t, bin, "file://"+probe, "--dump-dom", "--window-size=1400,1000", "--virtual-time-budget=5000")
	if m := regexp.MustCompile(`(?m)^.*CONSOLE.*$`).FindAllString(logs, -1); len(m) > 0 {
		t.Errorf("console messages:\n%s", strings.Join(m, "\n"))
	}
	m := dataCheck.FindStringSubmatch(dom)
	if m == nil {
		t.Fatalf("the probe did not run; DOM starts:\n%.1500s", dom)
	}
	var got struct {
		Charts []chartCheck
		Height float64
		Zone   string
	}
	if err := json.Unmarshal([]byte(htmlUnescape(m[1])), &got); err != nil {
		t.Fatalf("probe output: %v", err)
	}
	byID := map[string]chartCheck{}
	for _, c := range got.Charts {
		byID[c.ID] = c
		if dup := duplicate(c.YLabels); dup != "" {
			t.Errorf("chart %s: y label %q twice in %q", c.ID, dup, c.YLabels)
		}
		if dup := duplicate(c.XLabels); dup != "" {
			t.Errorf("chart %s: x label %q twice in %q", c.ID, dup, c.XLabels)
		}
		if len(c.XLabelsOutside) > 0 {
			t.Errorf("chart %s: x labels %q reach past the chart", c.ID, c.XLabelsOutside)
		}
		if len(c.LegendCut) > 0 || c.LegendHidden {
			t.Errorf("chart %s: legend names not all visible (cut %q, overflow hidden %v)", c.ID, c.LegendCut, c.LegendHidden)
		}
	}

	// Counts get whole steps.
	if d, ok := byID["responseTimeDistribution"]; !ok {
		t.Error("no response time distribution chart")
	} else {
		for _, l := range d.YLabels {
			if strings.Contains(l, ".") {
				t.Errorf("count axis with a fractional tick %q: %q", l, d.YLabels)
			}
		}
	}
	// Many series: every name in the legend, a count of those drawn, and
	// the tools to show them all.
	tps := byID["transactionsPerSecond"]
	if len(tps.LegendNames) < 30 || !strings.Contains(tps.LegendTools, "12 of ") || !strings.Contains(tps.LegendTools, "show all") {
		t.Errorf("transactions per second legend: %d names, tools %q", len(tps.LegendNames), tps.LegendTools)
	}
	if tps.Series != 12 {
		t.Errorf("transactions per second draws %d series, want the first 12", tps.Series)
	}
	// Scatter charts are points only.
	for _, id := range []string{"responseTimeVsRequest", "latencyVsRequest"} {
		c, ok := byID[id]
		if !ok || c.Paths != 0 || c.Circles == 0 {
			t.Errorf("%s: %d path(s), %d point(s), want points only", id, c.Paths, c.Circles)
		}
	}
	// The first and last intervals are partial: marked, on each time chart.
	if h := byID["hitsPerSecond"]; h.Partial < 4 { // two dashed segments, two hollow points
		t.Errorf("hits per second marks %d partial parts, want the first and last intervals", h.Partial)
	}
	// One zone: the header names it, the charts' first tick is in it.
	zone := zoneName(time.UnixMilli(t0).In(time.Local))
	if got.Zone != "Times in "+zone {
		t.Errorf("header zone %q, want %q", got.Zone, "Times in "+zone)
	}
	// each time tick, read as a time of day in the report's zone, falls
	// within the run (in the viewer's zone it would be hours off)
	start := time.UnixMilli(t0 - t0%1000).In(time.Local)
	for _, l := range byID["hitsPerSecond"].XLabels {
		tod, err := time.ParseInLocation("15:04:05", l, time.Local)
		if err != nil {
			t.Errorf("x label %q is not a time", l)
			continue
		}
		at := time.Date(start.Year(), start.Month(), start.Day(), tod.Hour(), tod.Minute(), tod.Second(), 0, time.Local)
		if at.Before(start) || at.After(start.Add(22*time.Second)) {
			t.Errorf("x label %q is not in the header's zone %s: the run is %s to %s there", l, zone, start.Format("15:04:05"), start.Add(21*time.Second).Format("15:04:05"))
		}
	}

	// Screenshots: the whole page, then each chart cut out of it.
	art := os.Getenv("GOMETER_ARTIFACTS")
	if art == "" {
		art = t.TempDir()
	}
	art = filepath.Join(art, "report-charts")
	if err := os.MkdirAll(art, 0o755); err != nil {
		t.Fatal(err)
	}
	full := filepath.Join(art, "page.png")
	runChromium(t, bin, "file://"+probe, "--screenshot="+full, fmt.Sprintf("--window-size=1400,%d", int(got.Height)+20),
		"--hide-scrollbars", "--force-device-scale-factor=1", "--virtual-time-budget=5000")
	f, err := os.Open(full)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(f)
	f.Close()
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	for _, c := range got.Charts {
		r := image.Rect(int(c.Rect[0]), int(c.Rect[1]), int(c.Rect[0]+c.Rect[2]), int(c.Rect[1]+c.Rect[3])).Intersect(img.Bounds())
		if r.Empty() {
			t.Errorf("chart %s is outside the screenshot", c.ID)
			continue
		}
		sub := img.(interface {
			SubImage(image.Rectangle) image.Image
		}).SubImage(r)
		if err := writePNG(filepath.Join(art, c.ID+".png"), sub); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("screenshots in %s", art)
}

func duplicate(labels []string) string {
	seen := map[string]bool{}
	for _, l := range labels {
		if seen[l] {
			return l
		}
		seen[l] = true
	}
	return ""
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&quot;", `"`, "&amp;", "&", "&lt;", "<", "&gt;", ">", "&#39;", "'").Replace(s)
}

func writePNG(path string, img image.Image) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
