package engine

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"path/filepath"
	"strings"
	"sync"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/internal/datafile"
	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/sampler/raw"
)

// dataCandidates are the places a plugin data file is looked for: the
// plugins open a relative name from the working directory; gometer then
// tries beside the plan and in --data-dir.
func (c *compiler) dataCandidates(name string) []string {
	tries := []string{c.resolvePath(name)}
	if !filepath.IsAbs(name) {
		tries = []string{name, c.resolvePath(name)}
	}
	if alt, ok := inDataDir(c.t.props.GetOr(dataDirProp, ""), name); ok {
		tries = append(tries, alt)
	}
	return tries
}

// firstExisting is the first candidate that exists, else the last one and
// the error of opening it.
func firstExisting(tries []string, open func(string) error) (string, error) {
	var err error
	for _, p := range tries {
		if err = open(p); !errors.Is(err, fs.ErrNotExist) {
			return p, err
		}
	}
	return tries[len(tries)-1], err
}

// rawSource is the Raw Data Source pre-processor: before each sample in
// its scope it puts the next chunk of its file into a variable. All users
// share one reader; at the end of the file it starts over ("rewind") or
// stops the user that found the end.
type rawSource struct {
	el              *jmx.Element
	c               *compiler
	file, name      *functions.Template
	rewind, hexData bool
	tries           func(string) []string

	once sync.Once
	src  *raw.Source
	err  error
}

func (c *compiler) buildRawSource(el *jmx.Element) (*rawSource, error) {
	p := &rawSource{el: el, file: c.template(el, "filename", ""), name: c.template(el, "variable_name", ""),
		rewind: el.Bool("rewind", false), hexData: el.Bool("isHex", false), tries: c.dataCandidates}
	if raw := strings.TrimSpace(el.Str("filename")); p.file.IsLiteral() && raw != "" {
		path, err := firstExisting(c.dataCandidates(raw), func(p string) error {
			_, err := datafile.Check(p, math.MaxInt64) // streamed: any size
			return err
		})
		if err != nil {
			if e := c.missingFile("raw data file", raw, el.Str("filename"), path, err); e != nil {
				return nil, fmt.Errorf("%v: %w", e, errCannotRun)
			}
			return nil, fmt.Errorf("raw data file: %v: %w", err, errCannotRun)
		}
	}
	return p, nil
}

func (p *rawSource) open(u *vuser) {
	name := p.file.Eval(u.ctx)
	path, err := firstExisting(p.tries(name), func(path string) error {
		if _, err := datafile.Check(path, math.MaxInt64); err != nil {
			return err
		}
		s, err := raw.OpenSource(path, p.rewind, p.hexData, u.t.maxDataFile)
		if err == nil {
			p.src = s
			u.t.closeAtEnd(s)
		}
		return err
	})
	if err != nil {
		p.err = fmt.Errorf("%s: %w", path, err)
	}
}

func (p *rawSource) process(u *vuser) {
	p.once.Do(func() { p.open(u) })
	if p.err != nil {
		// the plugin logs and leaves the variable alone on every sample
		u.t.logf("ERROR", "%s: %s: %v", p.el.Where(), p.el.Path(), p.err)
		return
	}
	v, err := p.src.Next()
	switch {
	case errors.Is(err, raw.ErrEnd):
		u.t.logf("INFO", "%s: End of file reached, stopping %s", p.el.Path(), u.name)
		u.stop = true
	case err != nil:
		// the plugin's thread dies on the exception
		u.t.logf("ERROR", "%s: %s: %v; stopping %s", p.el.Where(), p.el.Path(), err, u.name)
		u.stop = true
	default:
		u.vars.Put(p.name.Eval(u.ctx), v)
	}
}
