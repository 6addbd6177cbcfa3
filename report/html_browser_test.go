package report

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gometer/gometer/internal/skipped"
)

var coloredBar = regexp.MustCompile(`<rect [^>]*fill="#`)

// findChromium returns Debian's chromium (or another Chrome) or "".
func findChromium() string {
	for _, n := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	return ""
}

// needChromium returns the browser, or skips the test (loudly) when there
// is none or under -short.
func needChromium(t *testing.T) string {
	t.Helper()
	bin := findChromium()
	if bin == "" {
		skipped.Need(t, "Chromium", "chromium not installed: apt-get install -y chromium")
	}
	if testing.Short() {
		t.Skip("browser check skipped in -short mode")
	}
	return bin
}

// runChromium runs headless Chromium on a file URL with extra flags and
// returns stdout and stderr.
func runChromium(t *testing.T, bin, url string, extra ...string) (string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	args := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--no-first-run", "--disable-dev-shm-usage",
		"--user-data-dir=" + t.TempDir(), "--enable-logging=stderr", "--v=0"}
	args = append(append(args, extra...), url)
	cmd := exec.CommandContext(ctx, bin, args...)
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %v: %v\n%s", extra, err, errb.String())
	}
	return out.String(), errb.String()
}

// The report opened in a real browser: the script runs without a console
// message, every chart is drawn, the statistics table has a row per label
// plus Total, and a hostile label stays text.
func TestReportInHeadlessChromium(t *testing.T) {
	bin := needChromium(t)
	dir := t.TempDir()
	src, err := os.ReadFile(filepath.Join(goldenDir(), "mixed.jtl"))
	if err != nil {
		t.Fatal(err)
	}
	// Add a hostile label and an HTML-laden error message.
	extra := `1700000330000,120,"<script>alert(1)</script>",500,"<img src=x onerror=alert(2)>",Thread Group 1 1-1,text,false,,100,10,1,1,http://127.0.0.1/x,100,0,1` + "\n" +
		`1700000331000,80,"<script>alert(1)</script>",200,OK,Thread Group 1 1-1,text,true,,100,10,1,1,http://127.0.0.1/x,60,0,1` + "\n"
	jtl := writeJTL(t, dir, "mixed-hostile.jtl", string(src)+extra)
	out := filepath.Join(dir, "report")
	sum, err := Generate([]string{jtl}, out, GenerateOptions{Title: "Browser check <b>bold?</b>"})
	if err != nil {
		t.Fatal(err)
	}
	url := "file://" + filepath.Join(out, "index.html")

	dom, logs := runChromium(t, bin, url, "--dump-dom", "--virtual-time-budget=5000")
	if m := regexp.MustCompile(`(?m)^.*CONSOLE.*$`).FindAllString(logs, -1); len(m) > 0 {
		t.Errorf("console messages (the page logs nothing when healthy):\n%s", strings.Join(m, "\n"))
	}
	if !strings.Contains(dom, `data-charts="done"`) {
		t.Fatalf("the report script did not finish; DOM starts:\n%.2000s", dom)
	}
	charts := regexp.MustCompile(`<div class="chart" id="chart-([A-Za-z]+)"[^>]*data-drawn="(\w+)"`).FindAllStringSubmatch(dom, -1)
	if len(charts) < 12 {
		t.Errorf("only %d charts in the DOM", len(charts))
	}
	for _, c := range charts {
		if c[2] != "yes" {
			t.Errorf("chart %s drawn as %q", c[1], c[2])
		}
	}
	// each chart box holds an SVG with marks in it
	for _, box := range strings.Split(dom, `<div class="chart" id="chart-`)[1:] {
		id := box[:strings.IndexByte(box, '"')]
		svg := box[strings.Index(box, "<svg"):]
		svg = svg[:strings.Index(svg, "</svg>")]
		i := strings.Index(svg, `<g class="series"`)
		// lines, bars, or points (scatter charts)
		if i < 0 || !strings.Contains(svg[i:], `<path d="M`) && !coloredBar.MatchString(svg[i:]) && !strings.Contains(svg[i:], "<circle") {
			t.Errorf("chart %s has no drawn series", id)
		}
	}
	body := dom[strings.Index(dom, `<tbody class="items">`):]
	body = body[:strings.Index(body, "</tbody>")]
	if n := strings.Count(body, "<tr"); n != len(sum.Rows) {
		t.Errorf("statistics rows %d, labels %d", n, len(sum.Rows))
	}
	if !strings.Contains(dom, `<tr class="total-row"><td>Total</td>`) {
		t.Error("no Total row in the statistics table")
	}
	if strings.Contains(dom, "<script>alert(1)</script>") || strings.Contains(dom, "<img src=\"x\"") || strings.Contains(dom, "<b>bold?</b>") {
		t.Error("hostile text became markup")
	}
	if !strings.Contains(dom, "&lt;script&gt;alert(1)&lt;/script&gt;") || !strings.Contains(dom, "&lt;img src=x onerror=alert(2)&gt;") {
		t.Error("hostile label or message not shown as text")
	}

	// A report of no samples still renders cleanly.
	empty := writeJTL(t, dir, "empty.jtl", jtlHeader)
	emptyOut := filepath.Join(dir, "empty-report")
	if _, err := Generate([]string{empty}, emptyOut, GenerateOptions{}); err != nil {
		t.Fatal(err)
	}
	dom, logs = runChromium(t, bin, "file://"+filepath.Join(emptyOut, "index.html"), "--dump-dom", "--virtual-time-budget=5000")
	if strings.Contains(logs, "CONSOLE") || !strings.Contains(dom, `data-charts="done"`) || !strings.Contains(dom, "No samples") {
		t.Errorf("empty report: console or rendering problem\n%s", logs)
	}

	// Keep a screenshot as an artifact.
	art := os.Getenv("GOMETER_ARTIFACTS")
	if art == "" {
		art = t.TempDir()
	}
	if err := os.MkdirAll(art, 0o755); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(art, "report-screenshot.png")
	runChromium(t, bin, url, "--screenshot="+shot, "--window-size=1400,3200", "--hide-scrollbars", "--virtual-time-budget=5000")
	st, err := os.Stat(shot)
	if err != nil || st.Size() < 20000 {
		t.Fatalf("screenshot %s missing or blank: %v", shot, err)
	}
	t.Logf("screenshot: %s (%d bytes)", shot, st.Size())
}
