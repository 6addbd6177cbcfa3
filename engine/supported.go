package engine

import (
	"sort"

	"github.com/gometer/gometer/assertion"
	"github.com/gometer/gometer/extractor"
)

// otherPackageClasses are the classes extractor and assertion implement;
// listed here only so that Supported can name them (their Handles decides).
var otherPackageClasses = []string{
	"RegexExtractor", "JSONPostProcessor", "BoundaryExtractor", "XPathExtractor", "XPath2Extractor",
	"HtmlExtractor", "JMESPathExtractor", "DebugPostProcessor",
	"com.atlantbh.jmeter.plugins.jsonutils.jsonpathextractor.JSONPathExtractor",
	"ResponseAssertion", "JSONPathAssertion", "DurationAssertion", "SizeAssertion", "XPathAssertion",
	"XPath2Assertion", "XMLAssertion", "HTMLAssertion", "CompareAssertion",
	"com.atlantbh.jmeter.plugins.jsonutils.jsonpathassertion.JSONPathAssertion",
}

// Supported lists the element classes gometer runs, grouped by role
// ("thread groups", "samplers", …), each list sorted. `gometer -h` prints it.
func Supported() map[string][]string {
	names := map[kind]string{
		kThreadGroup: "thread groups", kSampler: "samplers", kController: "controllers", kFragment: "controllers",
		kConfig: "config elements", kUDV: "config elements", kData: "config elements", kPre: "pre-processors",
		kPost: "post-processors", kAssertion: "assertions", kTimer: "timers", kListener: "listeners",
	}
	out := map[string][]string{}
	for class, spec := range classes {
		if spec.unsupported != "" {
			continue
		}
		if n, ok := names[spec.kind]; ok {
			out[n] = append(out[n], class)
		}
	}
	for _, class := range otherPackageClasses {
		switch {
		case extractor.Handles(class):
			out["post-processors"] = append(out["post-processors"], class)
		case assertion.Handles(class):
			out["assertions"] = append(out["assertions"], class)
		}
	}
	for k := range out {
		sort.Strings(out[k])
	}
	return out
}
