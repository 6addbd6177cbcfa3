package engine

import (
	"fmt"
	"sort"
	"strings"
	"testing"
)

// groovy is a JSR223 element in Groovy.
func groovy(class, name, src string) el {
	e := jsr(class, name, src)
	e.props = strings.Replace(e.props, sp("scriptLanguage", "javascript"), sp("scriptLanguage", "groovy"), 1)
	return e
}

// A script changes the HTTP request about to be sent: path, arguments and
// headers, for that sample of that user only; removing one of the
// sampler's own arguments lasts for the user's later samples.
func TestScriptChangesTheCurrentHTTPSampler(t *testing.T) {
	srv := newServer(t)
	base := get(srv, "edited", "/base",
		groovy("JSR223PreProcessor", "edit", `import org.apache.jmeter.protocol.http.control.Header
			def n = ctx.getThreadNum() + 1
			sampler.setPath(sampler.getPath() + "/" + n + "/" + vars.getIteration())
			sampler.addArgument("user", String.valueOf(n))
			if (vars.get("dropped") == null) {
				sampler.getArguments().removeArgument("once")
				vars.put("dropped", "1")
			}
			sampler.getHeaderManager().add(new Header("X-User", "u" + n))
			vars.put("url", sampler.getUrl().getFile())`),
		jsr("JSR223PostProcessor", "seen", `vars.put("post", sampler.getPath());`),
		headers("h", "X-Plan", "p"))
	base.props = strings.Replace(base.props, `<collectionProp name="Arguments.arguments"/>`, argsCollection("keep", "k", "once", "o"), 1)
	plan := planXML(tg("g", 2, 0, "2", "", base, get(srv, "after", "/after?url=${url}&post=${post}")))
	_, out := run(t, plan, nil)
	if n := len(out.all()); n != 8 {
		t.Fatalf("%d samples, want 8", n)
	}
	var got []string
	for _, r := range srv.requests() {
		got = append(got, fmt.Sprintf("%s?%s %s|%s", r.path, r.query.Encode(), r.header.Get("X-User"), r.header.Get("X-Plan")))
	}
	sort.Strings(got)
	want := []string{
		"/after?post=%2Fbase%2F1%2F1&url=%2Fbase%2F1%2F1%3Fkeep%3Dk&user=1 |",
		"/after?post=%2Fbase%2F1%2F2&url=%2Fbase%2F1%2F2%3Fkeep%3Dk&user=1 |",
		"/after?post=%2Fbase%2F2%2F1&url=%2Fbase%2F2%2F1%3Fkeep%3Dk&user=2 |",
		"/after?post=%2Fbase%2F2%2F2&url=%2Fbase%2F2%2F2%3Fkeep%3Dk&user=2 |",
		"/base/1/1?keep=k&user=1 u1|p",
		"/base/1/2?keep=k&user=1 u1|p",
		"/base/2/1?keep=k&user=2 u2|p",
		"/base/2/2?keep=k&user=2 u2|p",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("requests:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// The JavaScript of real plans (a cache-busting query, arguments from a
// list of objects) changes the request through goja the same way.
func TestJavaScriptChangesTheCurrentHTTPSampler(t *testing.T) {
	srv := newServer(t)
	plan := planXML(tg("g", 1, 0, "2", "",
		get(srv, "js", "/js", jsr("JSR223PreProcessor", "cache", `
			if (sampler.getClass().getName() == 'org.apache.jmeter.protocol.http.sampler.HTTPSamplerProxy') {
				sampler.setPath(sampler.getPath() + "?cacheModifier=" + vars.getIteration());
			}
			var attributes = [{code: "color", id: 7}, {code: "size", id: 9}];
			for (var i in attributes) {
				sampler.addArgument("attribute_codes[" + i + "]", attributes[i].code);
				sampler.addArgument("attributes[" + i + "]", attributes[i].id);
			}`)),
	))
	run(t, plan, nil)
	var got []string
	for _, r := range srv.requests() {
		got = append(got, r.path+"?"+r.query.Encode())
	}
	want := "/js?attribute_codes%5B0%5D=color&attribute_codes%5B1%5D=size&attributes%5B0%5D=7&attributes%5B1%5D=9&cacheModifier=1\n" +
		"/js?attribute_codes%5B0%5D=color&attribute_codes%5B1%5D=size&attributes%5B0%5D=7&attributes%5B1%5D=9&cacheModifier=2"
	if strings.Join(got, "\n") != want {
		t.Errorf("requests:\n%s\nwant:\n%s", strings.Join(got, "\n"), want)
	}
}
