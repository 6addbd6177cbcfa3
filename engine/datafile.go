package engine

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// Data files (CSV Data Set files) are looked up as JMeter does: relative
// to the plan's folder. A plan copied from a laptop often names a file by
// its author's path (C:/Users/…/data.csv); property gometer.data_dir
// (--data-dir) names a folder where a file missing at that path is looked
// up by its base name, so the plan runs unedited.

const dataDirProp = "gometer.data_dir"

// baseName is the last element of a path written with / or \.
func baseName(p string) string { return p[strings.LastIndexAny(p, `/\`)+1:] }

// inDataDir returns the data-dir copy of a missing file, if there is one.
func inDataDir(dir, name string) (string, bool) {
	dir = strings.TrimSpace(dir)
	b := baseName(name)
	if dir == "" || b == "" {
		return "", false
	}
	p := filepath.Join(dir, b)
	if st, err := os.Stat(p); err == nil && !st.IsDir() {
		return p, true
	}
	return "", false
}

// MissingFileError explains a data file that is not where the plan says:
// the path tried, where a file of that name does exist, and how to point
// the plan to it.
type MissingFileError struct {
	What    string // "CSV file"
	Name    string // as the plan gives it (evaluated)
	Tried   string // the path gometer opened
	Beside  string // a file of that base name beside the plan, if any
	InWD    string // … in the working directory, if any
	Prop    string // the property the name comes from (${__P(name,…)}), if any
	DataDir string // gometer.data_dir, if set
}

func (e *MissingFileError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %q not found (tried %s", e.What, e.Name, e.Tried)
	if e.DataDir != "" {
		fmt.Fprintf(&b, ", then %s", filepath.Join(e.DataDir, baseName(e.Name)))
	}
	b.WriteString(")")
	var found []string
	if e.Beside != "" {
		found = append(found, "beside the plan: "+e.Beside)
	}
	if e.InWD != "" && e.InWD != e.Beside {
		found = append(found, "in the working directory: "+e.InWD)
	}
	if len(found) > 0 {
		fmt.Fprintf(&b, "; a file named %s exists %s", baseName(e.Name), strings.Join(found, " and "))
	}
	switch {
	case e.Prop != "":
		fmt.Fprintf(&b, "; the name comes from property %s: run with -J%s=<path>", e.Prop, e.Prop)
		if len(found) > 0 {
			fmt.Fprintf(&b, " (e.g. -J%s=%s)", e.Prop, firstNonEmpty(e.Beside, e.InWD))
		}
		fmt.Fprintf(&b, ", or with --data-dir <folder> (-J%s) to look files up by name", dataDirProp)
	case e.DataDir == "":
		fmt.Fprintf(&b, "; --data-dir <folder> (-J%s) looks files up there by name", dataDirProp)
	}
	return b.String()
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// propertyOf names the property a file name template reads, if it is one
// ${__P(name…)} or ${__property(name…)}.
var propertyRef = regexp.MustCompile(`\$\{__(?:P|property)\(\s*([^,)\s]+)`)

func propertyOf(raw string) string {
	if m := propertyRef.FindStringSubmatch(raw); m != nil {
		return m[1]
	}
	return ""
}

// awaitsProperty reports a file name read from a property that is not set
// and has no default (${__P(dataFile)}: "1" in JMeter): the plan expects
// -J on its command line, so the file is only looked for when it runs.
func (c *compiler) awaitsProperty(raw string) bool {
	for _, m := range propertyCall.FindAllStringSubmatch(raw, -1) {
		if _, set := c.t.props.Get(m[1]); !set && m[2] == "" {
			return true
		}
	}
	return false
}

var propertyCall = regexp.MustCompile(`\$\{__(?:P|property)\(\s*([^,)\s]+)\s*(,?)`)

// missingFile builds the explanation for a data file that could not be
// opened at tried, or returns nil when the failure is not a missing file.
func (c *compiler) missingFile(what, name, raw, tried string, err error) error {
	if !errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	e := &MissingFileError{What: what, Name: name, Tried: tried, Prop: propertyOf(raw), DataDir: strings.TrimSpace(c.t.props.GetOr(dataDirProp, ""))}
	if abs, aerr := filepath.Abs(tried); aerr == nil {
		e.Tried = abs
	}
	b := baseName(name)
	if c.plan.File != "" {
		if p, ok := inDataDir(filepath.Dir(c.plan.File), b); ok {
			e.Beside, _ = filepath.Abs(p)
		}
	}
	if wd, werr := os.Getwd(); werr == nil {
		if p, ok := inDataDir(wd, b); ok {
			e.InWD = p
		}
	}
	return e
}
