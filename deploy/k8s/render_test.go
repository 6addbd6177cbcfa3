package k8s

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

var update = flag.Bool("update", false, "rewrite deploy/k8s/example.yaml from the example plan")

// decodeStrict decodes every document into the Kubernetes API type of its
// kind, refusing unknown fields (what `kubectl apply` would reject).
func decodeStrict(t *testing.T, manifests []byte) (cms []corev1.ConfigMap, pvcs []corev1.PersistentVolumeClaim, jobs []batchv1.Job) {
	t.Helper()
	for i, doc := range bytes.Split(manifests, []byte("\n---\n")) {
		if len(bytes.TrimSpace(doc)) == 0 || i == 0 && !bytes.Contains(doc, []byte("kind:")) {
			continue
		}
		var head struct{ Kind string }
		if err := yaml.Unmarshal(doc, &head); err != nil {
			t.Fatalf("document %d: %v", i, err)
		}
		var err error
		switch head.Kind {
		case "ConfigMap":
			var v corev1.ConfigMap
			err = yaml.UnmarshalStrict(doc, &v)
			cms = append(cms, v)
		case "PersistentVolumeClaim":
			var v corev1.PersistentVolumeClaim
			err = yaml.UnmarshalStrict(doc, &v)
			pvcs = append(pvcs, v)
		case "Job":
			var v batchv1.Job
			err = yaml.UnmarshalStrict(doc, &v)
			jobs = append(jobs, v)
		default:
			t.Fatalf("document %d: unexpected kind %q", i, head.Kind)
		}
		if err != nil {
			t.Fatalf("document %d (%s) does not decode strictly into the Kubernetes API type: %v\n%s", i, head.Kind, err, doc)
		}
	}
	return
}

func examplePlan(t *testing.T) (dir string, o Options) {
	dir = filepath.Join("testdata", "example")
	return dir, Options{
		Name: "checkout-load", Plan: filepath.Join(dir, "checkout.jmx"), Data: []string{"data/users.csv"},
		Shards: 4, Image: "registry.example/gometer:1.0",
		StartAt: time.Date(2026, 12, 6, 18, 0, 0, 0, time.UTC),
		Props:   []string{"host=checkout.shop.svc", "threads=2500"},
		FailOn:  []string{"error%>1", "p95>500ms"},
	}
}

func TestRenderedManifestsAreValidKubernetesObjects(t *testing.T) {
	_, o := examplePlan(t)
	out, err := Render(o)
	if err != nil {
		t.Fatal(err)
	}
	cms, pvcs, jobs := decodeStrict(t, out)
	if len(cms) != 1 || len(pvcs) != 1 || len(jobs) != 2 {
		t.Fatalf("want 1 ConfigMap, 1 PVC, 2 Jobs; got %d, %d, %d", len(cms), len(pvcs), len(jobs))
	}
	// the plan and its data file travel in the ConfigMap and are mounted
	// where the plan's relative file name finds them
	cm := cms[0]
	if !strings.Contains(cm.Data["checkout.jmx"], "<jmeterTestPlan") || cm.Data["data__users.csv"] == "" {
		t.Errorf("ConfigMap keys: %v", keys(cm.Data))
	}
	shards, report := jobs[0], jobs[1]
	sp := shards.Spec
	if sp.CompletionMode == nil || *sp.CompletionMode != batchv1.IndexedCompletion || *sp.Completions != 4 || *sp.Parallelism != 4 || *sp.BackoffLimit != 0 {
		t.Errorf("shard Job spec: mode %v completions %v parallelism %v backoff %v", sp.CompletionMode, *sp.Completions, *sp.Parallelism, *sp.BackoffLimit)
	}
	pod := sp.Template.Spec
	c := pod.Containers[0]
	args := strings.Join(c.Args, " ")
	for _, want := range []string{"run /plan/checkout.jmx", "--shard auto", "--start-at 2026-12-06T18:00:00Z", "-l /results/shard-$(JOB_COMPLETION_INDEX).jtl", "-Jthreads=2500"} {
		if !strings.Contains(args, want) {
			t.Errorf("shard args %q lack %q", args, want)
		}
	}
	var mounted []string
	for _, v := range pod.Volumes {
		if v.ConfigMap != nil {
			for _, it := range v.ConfigMap.Items {
				mounted = append(mounted, it.Path)
			}
		}
	}
	if !slices.Equal(mounted, []string{"checkout.jmx", "data/users.csv"}) {
		t.Errorf("plan volume paths %v", mounted)
	}
	if sc := pod.SecurityContext; sc == nil || sc.RunAsNonRoot == nil || !*sc.RunAsNonRoot {
		t.Errorf("shards must run as non-root")
	}
	rargs := strings.Join(report.Spec.Template.Spec.Containers[0].Args, " ")
	for _, want := range []string{"report --wait-for-shards 4", "--fail-on error%>1", "--fail-on p95>500ms", "/results/shard-*.jtl"} {
		if !strings.Contains(rargs, want) {
			t.Errorf("report args %q lack %q", rargs, want)
		}
	}
	if pvcs[0].Spec.AccessModes[0] != corev1.ReadWriteMany {
		t.Errorf("results volume must be shared by every pod: %v", pvcs[0].Spec.AccessModes)
	}
}

// deploy/k8s/example.yaml is what the README shows: it must be exactly what
// `gometer k8s render` prints for the example plan, and valid.
func TestExampleManifestsAreCurrent(t *testing.T) {
	_, o := examplePlan(t)
	out, err := Render(o)
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("example.yaml", out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	committed, err := os.ReadFile("example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(committed, out) {
		t.Fatalf("deploy/k8s/example.yaml is stale: run go test ./deploy/k8s -update")
	}
	decodeStrict(t, committed)
}

func TestRenderRefusesWhatCannotWork(t *testing.T) {
	dir, base := examplePlan(t)
	big := filepath.Join(t.TempDir(), "big.csv")
	if err := os.WriteFile(big, bytes.Repeat([]byte("x,y\n"), 300_000), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		mod  func(*Options)
		want string
	}{
		{"bad name", func(o *Options) { o.Name = "Checkout_Load" }, "DNS label"},
		{"no shards", func(o *Options) { o.Shards = 0 }, "--shards 0"},
		{"missing data", func(o *Options) { o.Data = []string{"data/nope.csv"} }, "nope.csv"},
		{"outside the plan folder", func(o *Options) { o.Data = []string{"../x.csv"} }, "plan's folder"},
		{"too large for a ConfigMap", func(o *Options) { o.Data = []string{big} }, "1 MiB"},
		{"bad property", func(o *Options) { o.Props = []string{"threads"} }, "name=value"},
	} {
		o := base
		tc.mod(&o)
		_, err := Render(o)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one mentioning %q", tc.name, err, tc.want)
		}
	}
	_ = dir
}

func keys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// The image the manifests name runs gometer as its entry point, static and
// non-root, as the pods' security context requires.
func TestDockerfileMatchesTheManifests(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	d := string(b)
	for _, want := range []string{"CGO_ENABLED=0 go build", "./cmd/gometer", "FROM scratch", "USER 65532:65532", `ENTRYPOINT ["/gometer"]`} {
		if !strings.Contains(d, want) {
			t.Errorf("deploy/Dockerfile lacks %q", want)
		}
	}
	_, o := examplePlan(t)
	out, err := Render(o)
	if err != nil {
		t.Fatal(err)
	}
	_, _, jobs := decodeStrict(t, out)
	for _, j := range jobs {
		c := j.Spec.Template.Spec.Containers[0]
		if len(c.Command) != 0 || c.Args[0] != "run" && c.Args[0] != "report" {
			t.Errorf("%s: the container must pass gometer's arguments to the image's entry point: command %v args %v", j.Name, c.Command, c.Args)
		}
		if u := j.Spec.Template.Spec.SecurityContext.RunAsUser; u == nil || *u != 65532 {
			t.Errorf("%s runs as %v, the image's user is 65532", j.Name, u)
		}
	}
}
