package engine

import (
	"strings"

	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/output"
	"github.com/gometer/gometer/sampler/websocket"
)

// level holds the scoped elements that are direct children of one tree
// node. A sampler is in scope of every level on its path to the root
// (JMeter's TestCompiler.saveSamplerConfigs); levels are built once per
// element and shared by every sampler below it.
type level struct {
	el       *jmx.Element
	httpConf []*jmx.Element // ConfigTestElements an HTTP sampler merges (guiclass whitelist)
	tcpConf  []*jmx.Element // ConfigTestElements a TCP sampler merges (TCP Sampler Config …)
	headers  []*jmx.Element // HeaderManagers, document order
	cookie   *jmx.Element   // last CookieManager of the level (a later one supersedes)
	cache    *jmx.Element
	auth     *jmx.Element
	dns      *jmx.Element
	// wsFilters are the WebSocket frame filters, document order
	wsFilters []*websocket.Filter

	timers    []timer
	pres      []preProcessor
	posts     []postProcessor
	asserts   []checker
	listeners []output.Output
	actions   []*resultAction
	data      []iterListener  // iteration listeners of the nearest enclosing controller
	slisten   []postProcessor // listeners run by the user: JSR223/BeanShell Listener, Save Responses to a file
}

// httpConfigGUIs are the guiclasses of config elements an HTTP sampler
// merges (HTTPSamplerBase.APPLIABLE_CONFIG_CLASSES), by short name.
var httpConfigGUIs = map[string]bool{
	"LoginConfigGui":  true,
	"HttpDefaultsGui": true,
	"SimpleConfigGui": true,
	"HeaderPanel":     true,
	"DNSCacheManager": true,
	"DNSCachePanel":   true,
	"AuthPanel":       true,
	"CacheManagerGui": true,
	"CookiePanel":     true,
	"TestBeanGUI":     true,
}

// tcpConfigGUIs are the guiclasses of config elements a TCP sampler merges
// (TCPSampler.APPLIABLE_CONFIG_CLASSES): TCP Sampler Config, Login Config
// Element and the simple config element.
var tcpConfigGUIs = map[string]bool{"TCPConfigGui": true, "LoginConfigGui": true, "SimpleConfigGui": true}

func shortClass(s string) string {
	if i := strings.LastIndexByte(s, '.'); i >= 0 {
		return s[i+1:]
	}
	return s
}

// levelOf classifies and builds the scoped children of el once.
func (c *compiler) levelOf(el *jmx.Element) *level {
	if l, ok := c.levels[el]; ok {
		return l
	}
	l := &level{el: el}
	c.levels[el] = l
	for _, ch := range el.Children {
		s, ok := c.runnable(ch)
		if !ok {
			continue
		}
		switch s.kind {
		case kConfig:
			switch ch.Class() {
			case "ConfigTestElement":
				if httpConfigGUIs[shortClass(ch.GUIClass)] {
					l.httpConf = append(l.httpConf, ch)
				}
				if tcpConfigGUIs[shortClass(ch.GUIClass)] {
					l.tcpConf = append(l.tcpConf, ch)
				}
			case "HeaderManager":
				l.headers = append(l.headers, ch)
			case "CookieManager":
				l.cookie = ch
			case "CacheManager":
				l.cache = ch
			case "AuthManager":
				l.auth = ch
			case "DNSCacheManager":
				l.dns = ch
			case "KeystoreConfig":
				c.keystoreConfigs = append(c.keystoreConfigs, ch)
			default:
				if strings.HasPrefix(ch.Class(), "eu.luminis.jmeter.wssampler.") {
					if f, err := websocket.NewFilter(ch, c.regexTimeout()); err != nil {
						c.badConfig(ch, err)
					} else {
						l.wsFilters = append(l.wsFilters, f)
					}
				}
			}
		case kTimer, kPre, kPost, kAssertion, kListener:
			if _, isScript := scriptClass(ch.Class()); isScript {
				c.addScript(l, ch, s.kind)
				continue
			}
		}
		switch s.kind {
		case kTimer:
			if tm, err := c.buildTimer(ch); err != nil {
				c.badConfig(ch, err)
			} else if tm != nil {
				if tr := c.t.opts.Trace; tr != nil {
					tm = tracedTimer{tm, ch.Name, tr}
				}
				l.timers = append(l.timers, tm)
			}
		case kData:
			if d, err := c.buildData(ch); err != nil {
				c.problemOrBad(ch, err)
			} else if d != nil {
				l.data = append(l.data, d)
			}
		case kPre:
			pre, it, err := c.buildPre(ch)
			if err != nil {
				c.problemOrBad(ch, err)
				continue
			}
			if pre != nil {
				l.pres = append(l.pres, pre)
			}
			if it != nil {
				l.data = append(l.data, it)
			}
		case kPost:
			if ch.Class() == "ResultAction" {
				l.actions = append(l.actions, &resultAction{action: int(ch.Int("OnError.action", 0))})
				continue
			}
			if p, err := c.buildPost(ch); err != nil {
				c.problemOrBad(ch, err)
			} else if p != nil {
				if tr := c.t.opts.Trace; tr != nil {
					p = tracedPost{p, ch.Name, tr}
				}
				l.posts = append(l.posts, p)
			}
		case kAssertion:
			if a, err := c.buildAssertion(ch); err != nil {
				c.problemOrBad(ch, err)
			} else if a != nil {
				l.asserts = append(l.asserts, a)
				if it := assertionIterListener(a); it != nil {
					l.data = append(l.data, it)
				}
			}
		case kListener:
			if ch.Class() == "ResultSaver" {
				l.slisten = append(l.slisten, c.buildResultSaver(ch))
				continue
			}
			if o := c.openListener(ch); o != nil {
				l.listeners = append(l.listeners, o)
			}
		}
	}
	return l
}

// openListener makes a listener element's output once.
func (c *compiler) openListener(el *jmx.Element) output.Output {
	if o, ok := c.opened[el]; ok {
		return o
	}
	c.opened[el] = nil
	if c.t.opts.OpenListener == nil {
		if el.Class() == "BackendListener" {
			c.problem(el, "Backend Listener is not run here: unsupported element")
		}
		return nil
	}
	o, err := c.t.opts.OpenListener(el)
	if err != nil {
		c.problemOrBad(el, err)
		return nil
	}
	c.opened[el] = o
	return o
}

// scope is everything that applies to one sampler, resolved from its chain
// of levels (outermost first, the sampler's own level last).
type scope struct {
	httpConf  []*jmx.Element // innermost first
	tcpConf   []*jmx.Element // innermost first
	headers   []*jmx.Element // innermost first
	cookie    *jmx.Element   // outermost wins
	cache     *jmx.Element
	auth      *jmx.Element
	dns       *jmx.Element
	wsFilters []*websocket.Filter // innermost level first, document order within a level
	timers    []timer
	pres      []preProcessor  // outermost first
	posts     []postProcessor // outermost first
	asserts   []checker       // outermost first
	listeners []output.Output // innermost first, no duplicates
	actions   []*resultAction // outermost first
	slisten   []postProcessor // script listeners, outermost first
}

func resolveScope(chain []*level) scope {
	var s scope
	for i := len(chain) - 1; i >= 0; i-- { // innermost first
		l := chain[i]
		s.httpConf = append(s.httpConf, l.httpConf...)
		s.tcpConf = append(s.tcpConf, l.tcpConf...)
		s.headers = append(s.headers, l.headers...)
		s.wsFilters = append(s.wsFilters, l.wsFilters...)
		if l.cookie != nil {
			s.cookie = l.cookie
		}
		if l.cache != nil {
			s.cache = l.cache
		}
		if l.auth != nil {
			s.auth = l.auth
		}
		if l.dns != nil {
			s.dns = l.dns
		}
		s.timers = append(s.timers, l.timers...)
		for _, o := range l.listeners {
			if !containsOutput(s.listeners, o) {
				s.listeners = append(s.listeners, o)
			}
		}
	}
	for _, l := range chain { // outermost first
		s.pres = append(s.pres, l.pres...)
		s.posts = append(s.posts, l.posts...)
		s.asserts = append(s.asserts, l.asserts...)
		s.actions = append(s.actions, l.actions...)
		s.slisten = append(s.slisten, l.slisten...)
	}
	return s
}

func containsOutput(list []output.Output, o output.Output) bool {
	for _, x := range list {
		if x == o {
			return true
		}
	}
	return false
}

// mergeHTTPDefaults returns a copy of an HTTP sampler element with the
// empty or absent properties filled from the config elements in scope
// (innermost first, so the sampler's own value wins, then the nearest
// config); argument collections are appended, as AbstractTestElement.mergeIn
// does.
func mergeHTTPDefaults(el *jmx.Element, confs []*jmx.Element) *jmx.Element {
	if len(confs) == 0 {
		return el
	}
	m := *el
	m.Props = append([]*jmx.Property(nil), el.Props...)
	for _, conf := range confs {
		for _, p := range conf.Props {
			if p.Kind == jmx.ElementProp && p.Name == "HTTPsampler.Arguments" {
				mergeArguments(&m, p)
				continue
			}
			idx := -1
			for i, q := range m.Props {
				if q.Name == p.Name {
					idx = i
					break
				}
			}
			switch {
			case idx < 0:
				m.Props = append(m.Props, p)
			case isEmptyProp(m.Props[idx]):
				m.Props[idx] = p
			}
		}
	}
	return &m
}

func isEmptyProp(p *jmx.Property) bool {
	switch p.Kind {
	case jmx.ElementProp:
		return p.Elem == nil
	case jmx.CollectionProp, jmx.MapProp:
		return len(p.Items) == 0
	}
	return p.Value == ""
}

// argumentCount is the number of arguments an HTTP sampler element holds
// (the collection's elements, as the sampler compiles them).
func argumentCount(el *jmx.Element) int {
	n := 0
	if args := el.Elem("HTTPsampler.Arguments"); args != nil {
		for _, item := range args.Collection("Arguments.arguments") {
			if item.Elem != nil {
				n++
			}
		}
	}
	return n
}

// mergeArguments appends the config's arguments to the sampler's.
func mergeArguments(m *jmx.Element, confArgs *jmx.Property) {
	if confArgs.Elem == nil {
		return
	}
	extra := confArgs.Elem.Collection("Arguments.arguments")
	if len(extra) == 0 {
		return
	}
	for i, q := range m.Props {
		if q.Name != "HTTPsampler.Arguments" {
			continue
		}
		if q.Elem == nil {
			m.Props[i] = confArgs
			return
		}
		ne := *q.Elem
		ne.Props = append([]*jmx.Property(nil), q.Elem.Props...)
		found := false
		for j, ap := range ne.Props {
			if ap.Name == "Arguments.arguments" {
				np := *ap
				np.Items = append(append([]*jmx.Property(nil), ap.Items...), extra...)
				ne.Props[j] = &np
				found = true
			}
		}
		if !found {
			ne.Props = append(ne.Props, &jmx.Property{Name: "Arguments.arguments", Kind: jmx.CollectionProp, Items: extra})
		}
		np := *q
		np.Elem = &ne
		m.Props[i] = &np
		return
	}
	m.Props = append(m.Props, confArgs)
}
