package java

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gometer/gometer/internal/corpus"
)

// TestCorpusScripts compiles every Java-family script of the public plans
// in ../shared/corpus (read in place, never copied) and reports what is
// accepted; a script must compile or be refused with a located error,
// never crash the compiler.
func TestCorpusScripts(t *testing.T) {
	// the corpus sits next to the repository (../shared/corpus from its
	// root), or where GOMETER_CORPUS says
	files := corpus.Plans(t)
	dollar := regexp.MustCompile(`\$\{[^{}]*\}`)
	var ok, refused int
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range scriptsIn(string(b)) {
			d := Groovy
			switch strings.ToLower(s.lang) {
			case "javascript", "js", "nashorn", "rhino", "ecmascript":
				continue
			case "java":
				d = Java
			case "beanshell", "bsh":
				d = BeanShell
			}
			// ${} is substituted by JMeter before the script runs; a number
			// stands in for it here.
			src := s.text
			for dollar.MatchString(src) {
				src = dollar.ReplaceAllString(src, "1")
			}
			_, err := Compile(filepath.Base(f), src, d)
			if err != nil {
				if strings.Contains(err.Error(), "internal error") {
					t.Errorf("%s: compiler crashed: %v", filepath.Base(f), err)
				}
				refused++
				t.Logf("%s (%s): refused: %v", filepath.Base(f), s.lang, strings.ReplaceAll(err.Error(), "\n", "; "))
				continue
			}
			ok++
		}
	}
	t.Logf("corpus scripts: %d accepted, %d refused with located errors", ok, refused)
}

type corpusScript struct{ lang, text string }

// scriptsIn finds JSR223/BeanShell script texts in a plan.
func scriptsIn(plan string) []corpusScript {
	var out []corpusScript
	dec := xml.NewDecoder(strings.NewReader(plan))
	dec.Strict = false
	lang := ""
	elemStart := 0 // index in out of the first script of the current element
	var stack []string
	for {
		tok, err := dec.Token()
		if err != nil {
			return out
		}
		switch x := tok.(type) {
		case xml.StartElement:
			name := ""
			for _, a := range x.Attr {
				if a.Name.Local == "name" {
					name = a.Value
				}
				if a.Name.Local == "testclass" {
					if strings.HasPrefix(a.Value, "BeanShell") {
						lang, elemStart = "beanshell", len(out)
					} else if strings.HasPrefix(a.Value, "JSR223") {
						lang, elemStart = "groovy", len(out)
					}
				}
			}
			stack = append(stack, name)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) == 0 {
				continue
			}
			switch stack[len(stack)-1] {
			case "scriptLanguage":
				if l := strings.TrimSpace(string(x)); l != "" {
					lang = l
					for i := elemStart; i < len(out); i++ {
						out[i].lang = l // the language may follow the script
					}
				}
			case "script", "BeanShellSampler.query", "BeanShellAssertion.query":
				if strings.TrimSpace(string(x)) != "" {
					out = append(out, corpusScript{lang: lang, text: string(x)})
				}
			}
		}
	}
}
