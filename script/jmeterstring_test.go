package script

import "testing"

// Groovy's JSR223 engine wraps Exceptions in a ScriptException but lets
// Errors through: JMeter shows an AssertionError as itself.
func TestJMeterStringWrapsExceptionsOnly(t *testing.T) {
	for _, c := range []struct {
		e    RunError
		want string
	}{
		{RunError{Lang: Groovy, Class: "java.lang.AssertionError", Message: "expected a 404"}, "java.lang.AssertionError: expected a 404"},
		{RunError{Lang: Groovy, Class: "org.junit.ComparisonFailure", Message: "expected:<a[b]> but was:<a[c]>"}, "org.junit.ComparisonFailure: expected:<a[b]> but was:<a[c]>"},
		{RunError{Lang: Groovy, Class: "java.lang.AssertionError"}, "java.lang.AssertionError"},
		{RunError{Lang: Groovy, Class: "java.lang.NumberFormatException", Message: "For input string: \"x\""}, "javax.script.ScriptException: java.lang.NumberFormatException: For input string: \"x\""},
		{RunError{Lang: Java, Class: "java.lang.AssertionError", Message: "m"}, "javax.script.ScriptException: java.lang.AssertionError: m"},
	} {
		if got := c.e.JMeterString(); got != c.want {
			t.Errorf("%+v: got %q, want %q", c.e, got, c.want)
		}
	}
}
