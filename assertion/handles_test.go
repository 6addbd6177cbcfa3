package assertion

import (
	"errors"
	"testing"

	"github.com/gometer/gometer/internal/jmxtest"
)

// Handles and New agree: New takes every class Handles claims (an element
// with no properties may still be refused for what it lacks, but not as
// unsupported), and a class not claimed is ErrUnsupported.
func TestHandlesAndNewAgree(t *testing.T) {
	for _, class := range []string{"ResponseAssertion", "JSONPathAssertion", JSONPathPluginClass,
		"DurationAssertion", "SizeAssertion", "XPathAssertion", "XPath2Assertion", "XMLAssertion", "HTMLAssertion", "CompareAssertion"} {
		if !Handles(class) {
			t.Errorf("Handles(%s) = false", class)
			continue
		}
		if _, err := New(jmxtest.Element(t, `<`+class+` testclass="`+class+`" testname="a"/>`)); errors.Is(err, ErrUnsupported) {
			t.Errorf("New(%s): %v", class, err)
		}
	}
	for _, class := range []string{"JSR223Assertion", "BeanShellAssertion", "MD5HexAssertion"} {
		if Handles(class) {
			t.Errorf("Handles(%s) = true", class)
		}
		if _, err := New(jmxtest.Element(t, `<`+class+` testclass="`+class+`" testname="a"/>`)); !errors.Is(err, ErrUnsupported) {
			t.Errorf("New(%s) error = %v, want ErrUnsupported", class, err)
		}
	}
}
