package main

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/sampler"
)

// defaultProps are the JMeter 5.6.3 settings gometer's behaviour depends on
// (bin/jmeter.properties as shipped), used when there is neither -p nor a
// JMeter installation to read them from.
var defaultProps = [][2]string{
	{"summariser.name", "summary"},
	{"summariser.interval", "30"},
	{"sampleresult.timestamp.start", "true"},
	{"user.properties", "user.properties"},
	{"system.properties", "system.properties"},
}

// runConfig is what the property files and flags of a run add up to.
type runConfig struct {
	props *functions.Properties // JMeter properties (system properties show through, as in JMeter)
	proxy *sampler.Proxy        // run-wide HTTP proxy, nil for none
	home  string                // JMeter installation in use ("" for none)
	// loaded says which files were read, in order, for the log.
	loaded []string
	// warnings are settings ignored (a JMETER_HOME that is no JMeter installation).
	warnings []string
}

// loadProperties returns the run's JMeter properties (see loadConfig).
func loadProperties(o *options, planPath string) (*functions.Properties, error) {
	cfg, err := loadConfig(o, planPath)
	if err != nil {
		return nil, err
	}
	return cfg.props, nil
}

// jmeterHome is -d, else $JMETER_HOME, else "".
func jmeterHome(o *options) string {
	if o.home != "" {
		return o.home
	}
	return os.Getenv("JMETER_HOME")
}

// loadConfig reads properties in JMeter 5.6's order (JMeter.initializeProperties):
//
//  1. -p file, else $JMETER_HOME/bin/jmeter.properties, else gometer's
//     built-in defaults; with a JMeter installation its
//     bin/reportgenerator.properties lies beneath (the report generator
//     merges it under the JMeter properties);
//  2. the file named by property user.properties, looked up as given (the
//     working directory) then in $JMETER_HOME/bin — gometer also looks
//     beside the plan when neither has it;
//  3. the file named by system.properties, the same way, into the system
//     properties;
//  4. the command line in the order given: -q files and -J/-G over the
//     JMeter properties, -S files and -D over the system properties; an
//     empty -J/-D value removes the property;
//  5. the proxy flags: -H/-P/-N/-E as the system properties http.proxyHost,
//     http.proxyPort, http.nonProxyHosts, http.proxyScheme; -u/-a as the
//     JMeter properties http.proxyUser/http.proxyPass.
//
// JMeter properties fall back to system properties (JMeter creates them
// with the system properties as defaults), so ${__P(name)} sees both.
func loadConfig(o *options, planPath string) (*runConfig, error) {
	cfg := &runConfig{props: functions.NewProperties(), home: jmeterHome(o)}
	p, sys := cfg.props, functions.NewProperties()
	load := func(path string, into *functions.Properties, what string) error {
		if err := functions.LoadPropertiesFile(path, into); err != nil {
			return fmt.Errorf("%s %s: %w", what, path, err)
		}
		cfg.loaded = append(cfg.loaded, what+" "+path)
		return nil
	}
	bin := ""
	if cfg.home != "" {
		bin = filepath.Join(cfg.home, "bin")
		if fi, err := os.Stat(bin); err != nil || !fi.IsDir() {
			if o.home != "" {
				return nil, fmt.Errorf("-d %s: no JMeter installation there (no bin folder)", o.home)
			}
			// The environment may be stale; a run does not fail for it.
			cfg.warnings = append(cfg.warnings, "JMETER_HOME="+cfg.home+" has no bin folder: ignored")
			cfg.home, bin = "", ""
		}
	}
	if bin != "" {
		rg := filepath.Join(bin, "reportgenerator.properties")
		if _, err := os.Stat(rg); err == nil {
			if err := load(rg, p, "report generator properties"); err != nil {
				return nil, err
			}
		}
	}
	switch {
	case o.propFile != "":
		if err := load(o.propFile, p, "properties file -p"); err != nil {
			return nil, err
		}
	case bin != "":
		if err := load(filepath.Join(bin, "jmeter.properties"), p, "JMeter properties"); err != nil {
			return nil, err
		}
	default:
		for _, d := range defaultProps {
			p.Set(d[0], d[1])
		}
	}
	// findFile is JMeter's lookup: the name as given, else in bin/.
	findFile := func(name string, besidePlan bool) string {
		if _, err := os.Stat(name); err == nil {
			return name
		}
		if bin != "" && !filepath.IsAbs(name) {
			if f := filepath.Join(bin, name); fileExists(f) {
				return f
			}
		}
		if besidePlan && planPath != "" && !filepath.IsAbs(name) {
			if f := filepath.Join(filepath.Dir(planPath), name); fileExists(f) {
				return f
			}
		}
		return ""
	}
	if name := p.GetOr("user.properties", ""); name != "" {
		if f := findFile(name, true); f != "" {
			if err := load(f, p, "user properties"); err != nil {
				return nil, err
			}
		}
	}
	if name := p.GetOr("system.properties", ""); name != "" {
		if f := findFile(name, false); f != "" {
			if err := load(f, sys, "system properties"); err != nil {
				return nil, err
			}
		}
	}
	for _, a := range o.propArgs {
		switch a.flag {
		case 'q':
			if err := load(a.name, p, "properties file -q"); err != nil {
				return nil, err
			}
		case 'S':
			if err := load(a.name, sys, "system properties file -S"); err != nil {
				return nil, err
			}
		case 'J', 'G', 'D':
			into := p
			if a.flag == 'D' {
				into = sys
			}
			if a.value == "" {
				into.Remove(a.name)
			} else {
				into.Set(a.name, a.value)
			}
		}
	}
	px := o.proxy
	for name, v := range map[string]string{"http.proxyHost": px.host, "https.proxyHost": px.host, "http.proxyPort": px.port,
		"https.proxyPort": px.port, "http.nonProxyHosts": px.nonProxy, "https.nonProxyHosts": px.nonProxy, "http.proxyScheme": px.scheme} {
		if v != "" {
			sys.Set(name, v)
		}
	}
	if px.user != "" {
		p.Set("http.proxyUser", px.user)
		if px.pass != "" {
			p.Set("http.proxyPass", px.pass)
		}
	}
	// JMeter's HttpClient reads the proxy from the system properties and
	// the credentials from the JMeter properties.
	proxy, err := sampler.NewProxy(sys.GetOr("http.proxyHost", ""), sys.GetOr("http.proxyPort", ""), sys.GetOr("http.proxyScheme", ""),
		sys.GetOr("http.nonProxyHosts", ""), p.GetOr("http.proxyUser", ""), p.GetOr("http.proxyPass", ""))
	if err != nil {
		return nil, err
	}
	cfg.proxy = proxy
	for _, name := range sys.Names() {
		if _, ok := p.Get(name); !ok {
			v, _ := sys.Get(name)
			p.Set(name, v)
		}
	}
	return cfg, nil
}

func fileExists(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && !fi.IsDir()
}

// logConfig records what configuration the run uses, as JMeter's log does
// at start-up.
func logConfig(l *slog.Logger, o *options, cfg *runConfig) {
	if cfg.home != "" {
		l.Info("JMeter home: " + cfg.home)
	}
	for _, w := range cfg.warnings {
		l.Warn(w)
	}
	for _, f := range cfg.loaded {
		l.Info("Loading " + f)
	}
	if cfg.proxy != nil {
		l.Info("Set proxy: " + cfg.proxy.String())
	}
	if o.logConf != "" {
		l.Warn("-i " + o.logConf + " is ignored: gometer has no log4j2 configuration; use -j and -L")
	}
}
