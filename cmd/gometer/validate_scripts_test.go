package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// validate sums up the script elements it accepts, by language, so a user
// running it over many plans sees how much of their scripting runs.
func TestValidateCountsAcceptedScriptsByLanguage(t *testing.T) {
	dir := t.TempDir()
	plan := filepath.Join(dir, "scripts.jmx")
	data, err := os.ReadFile(repoFile("testdata", "e2e", "basic.jmx"))
	if err != nil {
		t.Fatal(err)
	}
	script := func(class, lang, src string) string {
		l := ""
		if lang != "" {
			l = `<stringProp name="scriptLanguage">` + lang + `</stringProp>`
		}
		return `<` + class + ` guiclass="TestBeanGUI" testclass="` + class + `" testname="` + class + ` ` + lang + `">` + l +
			`<stringProp name="script">` + src + `</stringProp></` + class + `><hashTree/>`
	}
	scripts := script("JSR223Sampler", "groovy", `def x = [1, 2].sum(); SampleResult.setResponseData("" + x, "UTF-8")`) +
		script("JSR223Sampler", "groovy", `vars.put("a", "1")`) +
		script("JSR223Sampler", "javascript", `vars.put("b", "2")`) +
		script("BeanShellSampler", "", `vars.put("c", "3"); return "ok";`)
	anchor := `<HTTPSamplerProxy guiclass="HttpTestSampleGui" testclass="HTTPSamplerProxy" testname="Missing page">`
	if !strings.Contains(string(data), anchor) {
		t.Fatal("basic.jmx has no Missing page sampler to put the scripts before")
	}
	if err := os.WriteFile(plan, []byte(strings.Replace(string(data), anchor, scripts+anchor, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	res := runGometer(t, dir, 30*time.Second, "validate", plan)
	if res.code != 0 {
		t.Fatalf("validate: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	if !strings.Contains(res.stdout, "4 script element(s) accepted: beanshell 1, groovy 2, javascript 1") {
		t.Errorf("validate does not count the accepted scripts by language:\n%s", res.stdout)
	}
}
