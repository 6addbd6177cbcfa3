package main

import (
	"fmt"
	"strconv"
	"strings"
)

// options are the command-line settings, in JMeter's vocabulary.
type options struct {
	command    string    // "run", "report", "validate", "compare", "demo", "version", "help"
	nonGUI     bool      // -n (accepted; gometer is always headless)
	plan       string    // -t
	results    string    // -l
	logFile    string    // -j
	logLevels  []string  // -L, repeatable: LEVEL or category=LEVEL
	propFile   string    // -p (replaces bin/jmeter.properties or the built-in defaults)
	propArgs   []propArg // -q -J -G -D -S, in command-line order (JMeter applies them so)
	home       string    // -d (else $JMETER_HOME)
	logConf    string    // -i (accepted, ignored: gometer has no log4j2)
	proxy      proxyFlags
	report     bool     // -e
	reportOut  string   // -o
	reportOnly []string // -g (and `report` arguments)
	force      bool     // -f
	skipUnsup  bool     // --skip-unsupported
	quiet      bool     // --quiet: no live status
	tlsVerify  bool     // --tls-verify
	promListen string   // --prometheus-listen
	failOn     []string // --fail-on
	percentile string   // --percentiles=exact|jmeter
	strict     bool     // --strict (report reading)
	title      string   // --title
	compare    compareFlags
	debug      debugFlags
	demoDur    string // --duration for demo
	bottleneck bool   // demo --bottlenecks
	shard      int    // --shard i/N: this copy runs shard i (0-based) of N
	shards     int
	startAt    string   // --start-at: RFC 3339 or Unix ms
	monitors   []string // --monitor (repeatable)
	waitShards int      // report --wait-for-shards N
	waitFor    string   // report --wait-timeout
	positional []string
}

// propArg is one property flag: 'q' a properties file, 'J' (or 'G') a
// JMeter property, 'D' a system property, 'S' a system properties file.
// For J/G/D a name without "=value" removes the property, as in JMeter.
type propArg struct {
	flag        byte
	name, value string
}

// proxyFlags are JMeter's -H -P -N -u -a -E.
type proxyFlags struct{ host, port, nonProxy, user, pass, scheme string }

// debugFlags are `gometer debug`'s, and `run --trace`'s.
type debugFlags struct {
	json      bool   // --json: JSON Lines
	samples   int    // --samples N: only the first N samples
	bodyLimit int    // --body-limit N: bytes of each body shown
	trace     int    // run --trace N: trace the run's first N samples
	traceFile string // run --trace-file F: the trace goes there, not to stderr
}

type compareFlags struct {
	maxP95Regression  string
	maxErrorIncrease  string
	maxMeanRegression string
	maxThroughputDrop string
	minDelta          string // --min-delta 5ms: absolute floor for time regressions
	detail            bool   // --detail: every metric on its own line
}

type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

// parseArgs reads JMeter-style flags (-n -t plan.jmx -l r.jtl -Jname=value
// -J name=value …) and gometer's subcommands. JMeter's single-letter flags
// may take their value glued (-tplan.jmx) or as the next argument.
func parseArgs(args []string) (*options, error) {
	o := &options{}
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		switch args[0] {
		case "run", "report", "validate", "compare", "demo", "debug", "version", "help":
			o.command = args[0]
			args = args[1:]
		case "k8s":
			// its own flags (cmd/gometer/k8s.go)
			o.command, o.positional = "k8s", args[1:]
			return o, nil
		default:
			return nil, usagef("unknown command %q (see gometer -h)", args[0])
		}
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		next := func(flag string) (string, error) {
			if i+1 >= len(args) {
				return "", usagef("flag %s needs a value", flag)
			}
			i++
			return args[i], nil
		}
		// value returns the glued value of a one-letter flag or the next argument.
		value := func(flag string) (string, error) {
			if len(a) > len(flag) {
				return strings.TrimPrefix(a[len(flag):], "="), nil
			}
			return next(flag)
		}
		if strings.HasPrefix(a, "--") {
			name, val, hasVal := strings.Cut(a[2:], "=")
			get := func() (string, error) {
				if hasVal {
					return val, nil
				}
				return next("--" + name)
			}
			var err error
			switch name {
			case "nongui":
				o.nonGUI = true
			case "testfile":
				o.plan, err = get()
			case "logfile":
				o.results, err = get()
			case "jmeterlogfile":
				o.logFile, err = get()
			case "loglevel":
				var v string
				v, err = get()
				o.logLevels = append(o.logLevels, v)
			case "propfile":
				o.propFile, err = get()
			case "addprop":
				var v string
				v, err = get()
				o.propArgs = append(o.propArgs, propArg{flag: 'q', name: v})
			case "jmeterproperty", "globalproperty", "systemproperty":
				var v string
				if v, err = get(); err == nil {
					err = o.addProp(map[string]byte{"jmeterproperty": 'J', "globalproperty": 'G', "systemproperty": 'D'}[name], v)
				}
			case "systemPropertyFile":
				var v string
				v, err = get()
				o.propArgs = append(o.propArgs, propArg{flag: 'S', name: v})
			case "homedir":
				o.home, err = get()
			case "jmeterlogconf":
				o.logConf, err = get()
			case "proxyHost":
				o.proxy.host, err = get()
			case "proxyPort":
				o.proxy.port, err = get()
			case "nonProxyHosts":
				o.proxy.nonProxy, err = get()
			case "username":
				o.proxy.user, err = get()
			case "password":
				o.proxy.pass, err = get()
			case "proxyScheme":
				o.proxy.scheme, err = get()
			case "reportatendofloadtests":
				o.report = true
			case "reportoutputfolder":
				o.reportOut, err = get()
			case "reportonly":
				var v string
				v, err = get()
				o.reportOnly = append(o.reportOnly, v)
			case "forceDeleteResultFile", "force":
				o.force = true
			case "skip-unsupported":
				o.skipUnsup = true
			case "quiet":
				o.quiet = true
			case "tls-verify":
				o.tlsVerify = true
			case "prometheus-listen":
				o.promListen, err = get()
			case "data-dir":
				var v string
				if v, err = get(); err == nil {
					err = o.addProp('J', "gometer.data_dir="+v)
				}
			case "fail-on":
				var v string
				v, err = get()
				o.failOn = append(o.failOn, v)
			case "percentiles":
				o.percentile, err = get()
			case "strict":
				o.strict = true
			case "title":
				o.title, err = get()
			case "max-p95-regression":
				o.compare.maxP95Regression, err = get()
			case "max-error-rate-increase":
				o.compare.maxErrorIncrease, err = get()
			case "max-mean-regression":
				o.compare.maxMeanRegression, err = get()
			case "max-throughput-drop":
				o.compare.maxThroughputDrop, err = get()
			case "json":
				o.debug.json = true
			case "trace-file":
				o.debug.traceFile, err = get()
			case "samples", "body-limit", "trace":
				var v string
				if v, err = get(); err == nil {
					n, perr := strconv.Atoi(v)
					if perr != nil || n <= 0 {
						err = usagef("--%s %q: want a positive number", name, v)
					} else if name == "samples" {
						o.debug.samples = n
					} else if name == "trace" {
						o.debug.trace = n
					} else {
						o.debug.bodyLimit = n
					}
				}
			case "min-delta":
				o.compare.minDelta, err = get()
			case "detail":
				o.compare.detail = true
			case "duration":
				o.demoDur, err = get()
			case "shard":
				var v string
				if v, err = get(); err == nil {
					err = o.parseShard(v)
				}
			case "bottlenecks":
				o.bottleneck = true
			case "monitor":
				var v string
				v, err = get()
				o.monitors = append(o.monitors, v)
			case "start-at":
				if o.startAt, err = get(); err == nil {
					if _, perr := parseStartAt(o.startAt); perr != nil {
						err = usageError{perr.Error()}
					}
				}
			case "wait-for-shards":
				var v string
				if v, err = get(); err == nil {
					if _, serr := fmt.Sscanf(v, "%d", &o.waitShards); serr != nil || o.waitShards < 1 {
						err = usagef("--wait-for-shards %q: want a number of shards", v)
					}
				}
			case "wait-timeout":
				o.waitFor, err = get()
			case "help":
				o.command = "help"
			case "version":
				o.command = "version"
			default:
				return nil, usagef("unknown flag %s (see gometer -h)", a)
			}
			if err != nil {
				return nil, err
			}
			continue
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			o.positional = append(o.positional, a)
			continue
		}
		var err error
		switch a[1] {
		case 'n':
			if a != "-n" {
				return nil, usagef("unknown flag %s", a)
			}
			o.nonGUI = true
		case 't':
			o.plan, err = value("-t")
		case 'l':
			o.results, err = value("-l")
		case 'j':
			o.logFile, err = value("-j")
		case 'L':
			var v string
			v, err = value("-L")
			o.logLevels = append(o.logLevels, v)
		case 'p':
			o.propFile, err = value("-p")
		case 'q', 'S':
			var v string
			v, err = value(a[:2])
			o.propArgs = append(o.propArgs, propArg{flag: a[1], name: v})
		case 'J', 'G', 'D':
			var v string
			if v, err = value(a[:2]); err == nil {
				err = o.addProp(a[1], v)
			}
		case 'd':
			o.home, err = value("-d")
		case 'i':
			o.logConf, err = value("-i")
		case 'H':
			o.proxy.host, err = value("-H")
		case 'P':
			o.proxy.port, err = value("-P")
		case 'N':
			o.proxy.nonProxy, err = value("-N")
		case 'u':
			o.proxy.user, err = value("-u")
		case 'a':
			o.proxy.pass, err = value("-a")
		case 'E':
			o.proxy.scheme, err = value("-E")
		case 'e':
			if a != "-e" {
				return nil, usagef("unknown flag %s", a)
			}
			o.report = true
		case 'o':
			o.reportOut, err = value("-o")
		case 'g':
			var v string
			v, err = value("-g")
			o.reportOnly = append(o.reportOnly, v)
		case 'f':
			if a != "-f" {
				return nil, usagef("unknown flag %s", a)
			}
			o.force = true
		case 'r', 'R', 'X':
			return nil, distributedFlagError(a)
		case 'h', '?':
			o.command = "help"
		case 'v':
			o.command = "version"
		default:
			return nil, usagef("unknown flag %s (see gometer -h)", a)
		}
		if err != nil {
			return nil, err
		}
	}
	if o.command == "" {
		switch {
		case len(o.reportOnly) > 0:
			o.command = "report"
		case o.plan != "":
			o.command = "run"
		case len(o.positional) == 0:
			o.command = "help"
		default:
			return nil, usagef("unexpected argument %q (see gometer -h)", o.positional[0])
		}
	}
	switch o.command {
	case "run", "validate", "debug":
		if o.plan == "" && len(o.positional) > 0 {
			o.plan, o.positional = o.positional[0], o.positional[1:]
		}
		if o.plan == "" {
			return nil, usagef("%s needs a plan: gometer %s plan.jmx (or -t plan.jmx)", o.command, o.command)
		}
		if len(o.positional) > 0 {
			return nil, usagef("unexpected argument %q", o.positional[0])
		}
		if o.report && o.results == "" {
			return nil, usagef("-e needs -l: the report is made from the results file")
		}
		if o.report && o.reportOut == "" {
			return nil, usagef("-e needs -o: the folder for the report")
		}
	case "report":
		o.reportOnly = append(o.reportOnly, o.positional...)
		o.positional = nil
		if len(o.reportOnly) == 0 {
			return nil, usagef("report needs at least one JTL file")
		}
		if o.reportOut == "" {
			return nil, usagef("report needs -o <folder>")
		}
	case "compare":
		if len(o.positional) != 2 {
			return nil, usagef("compare needs two JTL files: gometer compare baseline.jtl current.jtl")
		}
	}
	if _, err := parseLevels(o.logLevels); err != nil {
		return nil, err
	}
	if (o.proxy.host == "") != (o.proxy.port == "") {
		return nil, usagef("-H (proxy host) and -P (proxy port) go together")
	}
	if o.percentile != "" && o.percentile != "exact" && o.percentile != "jmeter" {
		return nil, usagef("--percentiles must be exact or jmeter, not %q", o.percentile)
	}
	return o, nil
}

// parseShard reads "i/N" with 1 <= i <= N, as people count copies; the
// engine numbers shards from 0.
func (o *options) parseShard(s string) error {
	if s == "auto" || strings.HasPrefix(s, "auto/") {
		return o.parseAutoShard(s)
	}
	var i, n int
	if _, err := fmt.Sscanf(s, "%d/%d", &i, &n); err != nil || n < 1 || i < 1 || i > n {
		return usagef("--shard %q: want i/N with 1 <= i <= N, e.g. --shard 2/4", s)
	}
	o.shard, o.shards = i-1, n
	return nil
}

// addProp records -J/-G/-D name=value; "name" alone (or "name=") removes
// the property, as JMeter does with an empty value.
func (o *options) addProp(flag byte, s string) error {
	name, value, _ := strings.Cut(s, "=")
	if name == "" {
		return usagef("-%c %q: want name=value", flag, s)
	}
	o.propArgs = append(o.propArgs, propArg{flag: flag, name: name, value: value})
	return nil
}
