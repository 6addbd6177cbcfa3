// Package k8s renders the Kubernetes manifests of a distributed gometer run:
// an Indexed Job whose N pods each run one shard of the plan (--shard auto
// reads the pod's completion index), started together (--start-at), writing
// their JTLs to a shared volume, and a report Job that waits for every shard,
// merges their results exactly and gates on thresholds. Kubernetes schedules
// and restarts nothing more: gometer adds no cluster protocol of its own.
//
// The manifests are built from small typed structs (the subset of the API the
// run needs) and printed as YAML; tests decode them strictly into the real
// Kubernetes API types, so a field Kubernetes does not know fails there.
package k8s

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"sigs.k8s.io/yaml"
)

// Options describe one distributed run.
type Options struct {
	Name      string   // prefix of every object's name (DNS label)
	Namespace string   // "" leaves it to kubectl's context
	Plan      string   // the .jmx file on this machine
	Data      []string // data files the plan reads, relative to the plan's folder or absolute
	Shards    int      // pods, one shard each
	Image     string
	StartAt   time.Time // when every shard starts its load; zero starts each at once
	// Props are extra -J properties for every shard (name=value).
	Props []string
	// FailOn are --fail-on thresholds the report Job evaluates on the merged
	// results.
	FailOn []string
	// ResultsSize and StorageClass describe the shared results volume
	// (ReadWriteMany).
	ResultsSize, StorageClass string
	// CPU and Memory are each shard's resource requests (memory is also its
	// limit, so a shard that outgrows it is stopped by Kubernetes, visibly).
	CPU, Memory string
	// ReportWait bounds how long the report Job waits for the shards.
	ReportWait time.Duration
}

// DefaultImage is the image `gometer k8s render` names unless told otherwise;
// build it from deploy/Dockerfile.
const DefaultImage = "gometer:latest"

// maxConfigMap is Kubernetes' limit on one ConfigMap (1 MiB), less room for
// its metadata.
const maxConfigMap = 1000 * 1024

var dnsLabel = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
var keyChars = regexp.MustCompile(`[^-._a-zA-Z0-9]`)

// Render returns the manifests as one multi-document YAML text.
func Render(o Options) ([]byte, error) {
	if err := o.check(); err != nil {
		return nil, err
	}
	cm, items, err := o.configMap()
	if err != nil {
		return nil, err
	}
	docs := []any{cm, o.resultsClaim(), o.shardJob(items), o.reportJob()}
	var b bytes.Buffer
	fmt.Fprintf(&b, "# gometer distributed run %q: %d shards of %s\n", o.Name, o.Shards, filepath.Base(o.Plan))
	fmt.Fprintf(&b, "# kubectl apply -f this file; the report Job's log has the verdict, /results/report the HTML report.\n")
	for _, d := range docs {
		y, err := yaml.Marshal(d)
		if err != nil {
			return nil, err
		}
		b.WriteString("---\n")
		b.Write(y)
	}
	return b.Bytes(), nil
}

func (o *Options) check() error {
	var errs []error
	if !dnsLabel.MatchString(o.Name) || len(o.Name) > 40 {
		errs = append(errs, fmt.Errorf("--name %q: want a lower-case DNS label of at most 40 characters (e.g. checkout-load)", o.Name))
	}
	if o.Namespace != "" && !dnsLabel.MatchString(o.Namespace) {
		errs = append(errs, fmt.Errorf("--namespace %q is not a DNS label", o.Namespace))
	}
	if o.Shards < 1 || o.Shards > 10000 {
		errs = append(errs, fmt.Errorf("--shards %d: want 1 to 10000", o.Shards))
	}
	if o.Plan == "" {
		errs = append(errs, errors.New("--plan is required"))
	}
	for _, p := range o.Props {
		if !strings.Contains(p, "=") {
			errs = append(errs, fmt.Errorf("-J %q: want name=value", p))
		}
	}
	if o.Image == "" {
		o.Image = DefaultImage
	}
	if o.ResultsSize == "" {
		o.ResultsSize = "1Gi"
	}
	if o.CPU == "" {
		o.CPU = "1"
	}
	if o.Memory == "" {
		o.Memory = "1Gi"
	}
	if o.ReportWait <= 0 {
		o.ReportWait = 24 * time.Hour
	}
	return errors.Join(errs...)
}

// The objects, as far as the run needs them (field names as in the API).

type meta struct {
	Name      string            `json:"name"`
	Namespace string            `json:"namespace,omitempty"`
	Labels    map[string]string `json:"labels,omitempty"`
}

type object struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   meta   `json:"metadata"`
}

type configMap struct {
	object
	Data       map[string]string `json:"data,omitempty"`
	BinaryData map[string][]byte `json:"binaryData,omitempty"`
}

type pvc struct {
	object
	Spec struct {
		AccessModes      []string `json:"accessModes"`
		StorageClassName *string  `json:"storageClassName,omitempty"`
		Resources        struct {
			Requests map[string]string `json:"requests"`
		} `json:"resources"`
	} `json:"spec"`
}

type job struct {
	object
	Spec jobSpec `json:"spec"`
}

type jobSpec struct {
	CompletionMode string `json:"completionMode,omitempty"`
	Completions    int    `json:"completions"`
	Parallelism    int    `json:"parallelism"`
	// a retried shard would send its load twice: a failed shard is
	// reported by the merge instead
	BackoffLimit int `json:"backoffLimit"`
	Template     struct {
		Metadata struct {
			Labels map[string]string `json:"labels"`
		} `json:"metadata"`
		Spec podSpec `json:"spec"`
	} `json:"template"`
}

type podSpec struct {
	RestartPolicy   string `json:"restartPolicy"`
	SecurityContext struct {
		RunAsNonRoot bool  `json:"runAsNonRoot"`
		RunAsUser    int64 `json:"runAsUser"`
		RunAsGroup   int64 `json:"runAsGroup"`
		FSGroup      int64 `json:"fsGroup"`
	} `json:"securityContext"`
	Containers []container `json:"containers"`
	Volumes    []volume    `json:"volumes"`
}

type container struct {
	Name            string        `json:"name"`
	Image           string        `json:"image"`
	Args            []string      `json:"args"`
	Env             []envVar      `json:"env,omitempty"`
	VolumeMounts    []volumeMount `json:"volumeMounts"`
	Resources       resources     `json:"resources"`
	SecurityContext struct {
		AllowPrivilegeEscalation bool `json:"allowPrivilegeEscalation"`
		ReadOnlyRootFilesystem   bool `json:"readOnlyRootFilesystem"`
		Capabilities             struct {
			Drop []string `json:"drop"`
		} `json:"capabilities"`
	} `json:"securityContext"`
}

type envVar struct {
	Name      string     `json:"name"`
	Value     string     `json:"value,omitempty"`
	ValueFrom *envSource `json:"valueFrom,omitempty"`
}

type envSource struct {
	FieldRef struct {
		FieldPath string `json:"fieldPath"`
	} `json:"fieldRef"`
}

type volumeMount struct {
	Name      string `json:"name"`
	MountPath string `json:"mountPath"`
	ReadOnly  bool   `json:"readOnly,omitempty"`
}

type resources struct {
	Requests map[string]string `json:"requests,omitempty"`
	Limits   map[string]string `json:"limits,omitempty"`
}

type keyPath struct {
	Key  string `json:"key"`
	Path string `json:"path"`
}

type volume struct {
	Name      string `json:"name"`
	ConfigMap *struct {
		Name  string    `json:"name"`
		Items []keyPath `json:"items"`
	} `json:"configMap,omitempty"`
	PersistentVolumeClaim *struct {
		ClaimName string `json:"claimName"`
	} `json:"persistentVolumeClaim,omitempty"`
}

func (o *Options) meta(suffix, component string) meta {
	return meta{Name: o.Name + suffix, Namespace: o.Namespace, Labels: o.labels(component)}
}

func (o *Options) labels(component string) map[string]string {
	return map[string]string{"app.kubernetes.io/name": "gometer", "app.kubernetes.io/instance": o.Name, "app.kubernetes.io/component": component}
}

// Paths inside the pods.
const (
	planDir    = "/plan"
	resultsDir = "/results"
)

// configMap holds the plan and its data files; items maps each key to its
// path under /plan, so the plan's relative file names resolve as on the
// author's machine.
func (o *Options) configMap() (*configMap, []keyPath, error) {
	cm := &configMap{object: object{"v1", "ConfigMap", o.meta("-plan", "plan")}, Data: map[string]string{}}
	planName := filepath.Base(o.Plan)
	files := []struct{ src, rel string }{{o.Plan, planName}}
	for _, d := range o.Data {
		rel := d
		src := d
		if filepath.IsAbs(d) {
			rel = filepath.Base(d)
		} else {
			src = filepath.Join(filepath.Dir(o.Plan), d)
		}
		rel = path.Clean(filepath.ToSlash(rel))
		if strings.HasPrefix(rel, "../") || rel == ".." {
			return nil, nil, fmt.Errorf("--data %s: a data file must be in the plan's folder or below it (or given by an absolute path, which the pods see beside the plan)", d)
		}
		files = append(files, struct{ src, rel string }{src, rel})
	}
	var items []keyPath
	size := 0
	seen := map[string]string{}
	for _, f := range files {
		b, err := os.ReadFile(f.src)
		if err != nil {
			return nil, nil, fmt.Errorf("reading %s for the ConfigMap: %w", f.src, err)
		}
		size += len(b)
		key := keyChars.ReplaceAllString(strings.ReplaceAll(f.rel, "/", "__"), "_")
		if prev, dup := seen[key]; dup {
			return nil, nil, fmt.Errorf("%s and %s would share the ConfigMap key %q: rename one", prev, f.rel, key)
		}
		seen[key] = f.rel
		if utf8.Valid(b) {
			cm.Data[key] = string(b)
		} else {
			if cm.BinaryData == nil {
				cm.BinaryData = map[string][]byte{}
			}
			cm.BinaryData[key] = b
		}
		items = append(items, keyPath{Key: key, Path: f.rel})
	}
	if size > maxConfigMap {
		return nil, nil, fmt.Errorf("the plan and its data files are %d bytes; a ConfigMap holds at most 1 MiB: put large data files on a volume and mount it at %s yourself", size, planDir)
	}
	sort.Slice(items, func(i, j int) bool { return items[i].Path < items[j].Path })
	return cm, items, nil
}

func (o *Options) resultsClaim() *pvc {
	p := &pvc{object: object{"v1", "PersistentVolumeClaim", o.meta("-results", "results")}}
	p.Spec.AccessModes = []string{"ReadWriteMany"} // every shard and the report Job write or read it
	p.Spec.Resources.Requests = map[string]string{"storage": o.ResultsSize}
	if o.StorageClass != "" {
		sc := o.StorageClass
		p.Spec.StorageClassName = &sc
	}
	return p
}

func (o *Options) pod(component string, args []string, env []envVar, planItems []keyPath, res resources) podSpec {
	c := container{Name: "gometer", Image: o.Image, Args: args, Env: env, Resources: res}
	c.SecurityContext.ReadOnlyRootFilesystem = true
	c.SecurityContext.Capabilities.Drop = []string{"ALL"}
	c.VolumeMounts = []volumeMount{{Name: "results", MountPath: resultsDir}}
	ps := podSpec{RestartPolicy: "Never"}
	ps.SecurityContext.RunAsNonRoot = true
	ps.SecurityContext.RunAsUser, ps.SecurityContext.RunAsGroup, ps.SecurityContext.FSGroup = 65532, 65532, 65532
	ps.Volumes = []volume{{Name: "results"}}
	ps.Volumes[0].PersistentVolumeClaim = &struct {
		ClaimName string `json:"claimName"`
	}{o.Name + "-results"}
	if planItems != nil {
		c.VolumeMounts = append([]volumeMount{{Name: "plan", MountPath: planDir, ReadOnly: true}}, c.VolumeMounts...)
		v := volume{Name: "plan"}
		v.ConfigMap = &struct {
			Name  string    `json:"name"`
			Items []keyPath `json:"items"`
		}{o.Name + "-plan", planItems}
		ps.Volumes = append([]volume{v}, ps.Volumes...)
	}
	ps.Containers = []container{c}
	return ps
}

// shardJob is the Indexed Job: pod k runs shard k+1 of N.
func (o *Options) shardJob(items []keyPath) *job {
	j := &job{object: object{"batch/v1", "Job", o.meta("-shards", "shard")}}
	j.Spec.CompletionMode = "Indexed"
	j.Spec.Completions, j.Spec.Parallelism = o.Shards, o.Shards
	j.Spec.Template.Metadata.Labels = o.labels("shard")
	args := []string{"run", planDir + "/" + filepath.Base(o.Plan),
		"-l", resultsDir + "/shard-$(JOB_COMPLETION_INDEX).jtl",
		"-j", resultsDir + "/shard-$(JOB_COMPLETION_INDEX).log",
		"--shard", "auto"}
	if !o.StartAt.IsZero() {
		args = append(args, "--start-at", o.StartAt.UTC().Format(time.RFC3339))
	}
	for _, p := range o.Props {
		args = append(args, "-J"+p)
	}
	env := []envVar{
		{Name: "GOMETER_SHARDS", Value: strconv.Itoa(o.Shards)},
		// set by the Job controller too; named here so $(…) in args expands
		{Name: "JOB_COMPLETION_INDEX", ValueFrom: &envSource{}},
		{Name: "GOMETER_GENERATOR", ValueFrom: &envSource{}},
	}
	env[1].ValueFrom.FieldRef.FieldPath = "metadata.annotations['batch.kubernetes.io/job-completion-index']"
	env[2].ValueFrom.FieldRef.FieldPath = "metadata.name"
	res := resources{Requests: map[string]string{"cpu": o.CPU, "memory": o.Memory}, Limits: map[string]string{"memory": o.Memory}}
	j.Spec.Template.Spec = o.pod("shard", args, env, items, res)
	return j
}

// reportJob waits until every shard has written its run summary, then
// merges the shards' JTLs into one report and one verdict (its exit code is
// the Job's outcome).
func (o *Options) reportJob() *job {
	j := &job{object: object{"batch/v1", "Job", o.meta("-report", "report")}}
	j.Spec.Completions, j.Spec.Parallelism = 1, 1
	j.Spec.Template.Metadata.Labels = o.labels("report")
	args := []string{"report", "--wait-for-shards", strconv.Itoa(o.Shards), "--wait-timeout", o.ReportWait.String(),
		"-o", resultsDir + "/report", "-f"}
	for _, f := range o.FailOn {
		args = append(args, "--fail-on", f)
	}
	args = append(args, resultsDir+"/shard-*.jtl")
	res := resources{Requests: map[string]string{"cpu": "500m", "memory": "512Mi"}, Limits: map[string]string{"memory": "2Gi"}}
	j.Spec.Template.Spec = o.pod("report", args, nil, nil, res)
	return j
}
