package functions

import "github.com/gometer/gometer/internal/javatime"

// The java.time pattern engine lives in internal/javatime (shared with the
// script interpreter); these names keep the function code short.
type (
	javaFormat    = javatime.Format
	langNames     = javatime.LangNames
	parseDefaults = javatime.Defaults
)

func compileJavaFormat(p string) (*javaFormat, error) { return javatime.Compile(p) }

func localeNames(locale string) (*langNames, bool) { return javatime.LocaleNames(locale) }

func isLetter(b byte) bool { return ('a' <= b && b <= 'z') || ('A' <= b && b <= 'Z') }

// timeAlias resolves __time's named formats (YMD, HMS …), each
// overridable by its time.* property.
func timeAlias(c *Context, name string) (string, bool) {
	def := ""
	switch name {
	case "YMD":
		def = "yyyyMMdd"
	case "HMS":
		def = "HHmmss"
	case "YMDHMS":
		def = "yyyyMMdd-HHmmss"
	case "USER1", "USER2":
	default:
		return "", false
	}
	if c != nil && c.Props != nil {
		return c.Props.GetOr("time."+name, def), true
	}
	return def, true
}
