package engine

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/keystore"
	"github.com/gometer/gometer/sampler"
)

// loadClientCerts reads the key store of javax.net.ssl.keyStore (a system
// property: -D, system.properties, -S) and selects its aliases as JMeter's
// SSLManager does: without a Keystore Configuration only the first key
// entry (SSLManager's indexes start at 0 and 0), with one its start and end
// indexes and its alias variable. A store that cannot be read is a load
// error (JMeter logs it and sends no certificate).
func (c *compiler) loadClientCerts() {
	var cfg *jmx.Element
	for _, el := range c.keystoreConfigs {
		cfg = el // the last one started wins
	}
	path := strings.TrimSpace(c.t.props.GetOr("javax.net.ssl.keyStore", ""))
	if path == "" {
		if cfg != nil {
			c.t.logf("WARN", "%s: javax.net.ssl.keyStore is not set: no client certificate is sent", cfg.Path())
		}
		return
	}
	fail := func(format string, args ...any) {
		p := Problem{File: c.plan.File, Msg: fmt.Sprintf(format, args...)}
		if cfg != nil {
			p = Problem{File: cfg.File, Line: cfg.Line, Path: cfg.Path(), Class: cfg.Class(), Msg: p.Msg}
		}
		c.problems = append(c.problems, p)
	}
	if strings.EqualFold(path, "NONE") {
		fail("javax.net.ssl.keyStore=NONE (a PKCS#11 token) is not supported")
		return
	}
	data, err := os.ReadFile(path)
	if err != nil {
		if os.IsNotExist(err) {
			// as JMeter: an empty key store
			c.t.logf("WARN", "Keystore file not found, loading empty keystore: %s", path)
			return
		}
		fail("javax.net.ssl.keyStore %s: %v", path, err)
		return
	}
	store, err := keystore.Load(data, c.t.props.GetOr("javax.net.ssl.keyStorePassword", ""), c.t.props.GetOr("javax.net.ssl.keyStoreType", ""))
	if err != nil {
		fail("javax.net.ssl.keyStore %s: %v (wrong javax.net.ssl.keyStorePassword?)", path, err)
		return
	}
	start, end, aliasVar := 0, 0, ""
	if cfg != nil {
		ev := c.evalContext()
		num := func(prop, def string) int {
			v := strings.TrimSpace(c.template(cfg, prop, "").Eval(ev))
			if n, err := strconv.Atoi(v); err == nil {
				return n
			}
			if v != "" {
				c.t.logf("WARN", "%s: %s %q is not a number, %s is used", cfg.Path(), prop, v, def)
			}
			n, _ := strconv.Atoi(def)
			return n
		}
		start = num("startIndex", c.t.props.GetOr("https.keyStoreStartIndex", "0"))
		end = num("endIndex", c.t.props.GetOr("https.keyStoreEndIndex", "-1"))
		aliasVar = c.template(cfg, "clientCertAliasVarName", "").Eval(ev)
		if end != -1 && start > end {
			fail("Keystore Config error : Alias start index must be lower than Alias end index")
			return
		}
		if start < 0 {
			fail("Keystore Config: invalid index(es). Start=%d, end=%d", start, end)
			return
		}
	}
	sel := store.Select(start, end)
	if sel.Len() == 0 {
		fail("javax.net.ssl.keyStore %s: no key entry at indexes %d to %d (%d key entries)", path, start, end, len(store.Entries))
		return
	}
	c.t.clientCerts = &sampler.ClientCerts{Sel: sel, AliasVar: aliasVar}
	c.t.logf("INFO", "Total of %d aliases loaded OK from keystore %s", sel.Len(), path)
}
