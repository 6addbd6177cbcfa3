package assertion

import (
	"regexp"
	"strings"
	"testing"

	"github.com/gometer/gometer/sample"
)

const accountJSON = `{"status":"ok","user":{"id":42,"name":"Ann","email":null,"tags":["vip","beta"]},
"orders":[{"id":1001,"total":19.5},{"id":1002,"total":5.0}],"links":{"self":"/u/42"}}`

var pluginMsg = regexp.MustCompile(`^Value in json path '[^']*' `)

func TestJSONPathAssertion(t *testing.T) {
	cases := []struct {
		name string
		kv   []string
		body string
		want string // "" = passes
	}{
		{"exists", []string{"JSON_PATH", "$.user.id"}, accountJSON, ""},
		{"missing leaf", []string{"JSON_PATH", "$.user.phone"}, accountJSON, "No results for path: $['user']['phone']"},
		{"missing branch", []string{"JSON_PATH", "$.profile.phone"}, accountJSON, "Missing property in path $['profile']"},
		{"index out of range", []string{"JSON_PATH", "$.orders[5].id"}, accountJSON, "No results for path: $['orders'][5]['id']"},
		{"not JSON", []string{"JSON_PATH", "$.status"}, "<html><body>Service unavailable</body></html>",
			"Expected to find an object with property ['status'] in path $ but found 'java.lang.String'. This is not a json object according to the JsonProvider: 'com.jayway.jsonpath.spi.json.JsonSmartJsonProvider'."},
		{"empty body", []string{"JSON_PATH", "$.status"}, "", "Response was null"},
		{"indefinite and empty", []string{"JSON_PATH", "$.orders[?(@.total > 100)]"}, accountJSON,
			"JSONPath '$.orders[?(@.total > 100)]' is indefinite and the extracted Value is an empty Array. Please use an assertion value, to be sure to get a correct result. Expected value was ''"},
		{"value equals", []string{"JSON_PATH", "$.user.id", "JSONVALIDATION", "true", "ISREGEX", "false", "EXPECTED_VALUE", "42"}, accountJSON, ""},
		{"value differs", []string{"JSON_PATH", "$.user.id", "JSONVALIDATION", "true", "ISREGEX", "false", "EXPECTED_VALUE", "43"}, accountJSON,
			"Value in json path '$.user.id' expected to be '43', but found '42'"},
		{"integer is not a double", []string{"JSON_PATH", "$.orders[1].total", "JSONVALIDATION", "true", "ISREGEX", "false", "EXPECTED_VALUE", "5"}, accountJSON,
			"Value in json path '$.orders[1].total' expected to be '5', but found '5.0'"},
		{"double equals double", []string{"JSON_PATH", "$.orders[1].total", "JSONVALIDATION", "true", "ISREGEX", "false", "EXPECTED_VALUE", "5.0"}, accountJSON, ""},
		{"regex is the default", []string{"JSON_PATH", "$.user.name", "JSONVALIDATION", "true", "EXPECTED_VALUE", "A.."}, accountJSON, ""},
		{"regex must match whole", []string{"JSON_PATH", "$.user.name", "JSONVALIDATION", "true", "EXPECTED_VALUE", "A"}, accountJSON,
			"Value in json path '$.user.name' expected to match regexp 'A', but it did not match: 'Ann'"},
		{"object printed as JSON", []string{"JSON_PATH", "$.links", "JSONVALIDATION", "true", "EXPECTED_VALUE", "x"}, accountJSON,
			`Value in json path '$.links' expected to match regexp 'x', but it did not match: '{"self":"\/u\/42"}'`},
		{"any array element", []string{"JSON_PATH", "$.orders[*].id", "JSONVALIDATION", "true", "ISREGEX", "false", "EXPECTED_VALUE", "1002"}, accountJSON, ""},
		{"array value element", []string{"JSON_PATH", "$.user.tags", "JSONVALIDATION", "true", "EXPECTED_VALUE", "be.a"}, accountJSON, ""},
		{"whole array equals", []string{"JSON_PATH", "$.user.tags", "JSONVALIDATION", "true", "ISREGEX", "false", "EXPECTED_VALUE", `["vip","beta"]`}, accountJSON, ""},
		{"array mismatch", []string{"JSON_PATH", "$.orders[*].id", "JSONVALIDATION", "true", "ISREGEX", "false", "EXPECTED_VALUE", "7"}, accountJSON,
			"Value in json path '$.orders[*].id' expected to be '7', but found '[1001,1002]'"},
		{"empty array expected", []string{"JSON_PATH", "$.orders[?(@.total > 100)].id", "JSONVALIDATION", "true", "EXPECTED_VALUE", "[]"}, accountJSON, ""},
		{"expect null", []string{"JSON_PATH", "$.user.email", "JSONVALIDATION", "true", "EXPECT_NULL", "true"}, accountJSON, ""},
		{"expect null, found value", []string{"JSON_PATH", "$.user", "JSONVALIDATION", "true", "EXPECT_NULL", "true"}, accountJSON,
			"Value in json path '$.user' expected to be null, but found '{id=42, name=Ann, email=null, tags=[\"vip\",\"beta\"]}'"},
		{"invert existence", []string{"JSON_PATH", "$.user.id", "INVERT", "true"}, accountJSON, "Failed that JSONPath not exists: $.user.id"},
		{"invert on missing passes", []string{"JSON_PATH", "$.user.phone", "INVERT", "true"}, accountJSON, ""},
		{"invert value", []string{"JSON_PATH", "$.status", "INVERT", "true", "JSONVALIDATION", "true", "EXPECTED_VALUE", "ok"}, accountJSON,
			"Failed that JSONPath $.status not matches ok"},
		{"invert null", []string{"JSON_PATH", "$.user.email", "INVERT", "true", "JSONVALIDATION", "true", "EXPECT_NULL", "true"}, accountJSON,
			"Failed that JSONPath $.user.email not matches null"},
		{"expected from a variable", []string{"JSON_PATH", "$.user.${field}", "JSONVALIDATION", "true", "EXPECTED_VALUE", "${want}"}, accountJSON,
			"Value in json path '$.user.name' expected to match regexp 'Bob', but it did not match: 'Ann'"},
	}
	for _, tc := range cases {
		for _, tag := range []string{"JSONPathAssertion", JSONPathPluginClass} {
			t.Run(tc.name+"/"+tag, func(t *testing.T) {
				a := build(t, tag, "", tc.kv...)
				c := newCtx(1)
				c.Vars.Put("field", "name")
				c.Vars.Put("want", "Bob")
				r := &sample.Result{Body: []byte(tc.body), Success: true, ResponseCode: "200"}
				Apply(a, c, r)
				got := r.Assertions[0]
				want := tc.want
				if tag == JSONPathPluginClass {
					// the plugin's messages do not name the path, and it
					// does not reject empty indefinite results
					want = pluginMsg.ReplaceAllString(want, "Value ")
					if strings.HasPrefix(want, "JSONPath '") {
						want = ""
					}
				}
				if want == "" {
					if got.Failure || got.Error || !r.Success {
						t.Fatalf("want pass, got %+v", got)
					}
					return
				}
				if !got.Failure || r.Success || got.FailureMessage != want {
					t.Fatalf("got failure=%v %q\nwant %q", got.Failure, got.FailureMessage, want)
				}
			})
		}
	}
}

func TestJSONPathAssertionIgnoresScope(t *testing.T) {
	a := build(t, "JSONPathAssertion", "", "JSON_PATH", "$.id", "Assertion.scope", "children")
	r := &sample.Result{Body: []byte(`{"id":1}`), Success: true}
	r.Subs = []*sample.Result{{Body: []byte(`{}`), Success: true}}
	Apply(a, newCtx(1), r)
	if len(r.Assertions) != 1 || !r.Success || len(r.Subs[0].Assertions) != 0 {
		t.Fatalf("JSON assertion judged sub-samples: %+v / %+v", r.Assertions, r.Subs[0].Assertions)
	}
}

// The core assertion compares parsed JSON; the plugin compares the printed
// value as text.
func TestJSONPathAssertionCoreVsPlugin(t *testing.T) {
	kv := []string{"JSON_PATH", "$.links", "JSONVALIDATION", "true", "ISREGEX", "false", "EXPECTED_VALUE", `{ "self" : "/u/42" }`}
	core := &sample.Result{Body: []byte(accountJSON), Success: true}
	Apply(build(t, "JSONPathAssertion", "", kv...), newCtx(1), core)
	if !core.Success {
		t.Errorf("core: %q", core.FailureMessage())
	}
	plugin := &sample.Result{Body: []byte(accountJSON), Success: true}
	Apply(build(t, JSONPathPluginClass, "", kv...), newCtx(1), plugin)
	if plugin.Success || plugin.FailureMessage() != `Value expected to be '{ "self" : "/u/42" }', but found '{"self":"\/u\/42"}'` {
		t.Errorf("plugin: %q", plugin.FailureMessage())
	}
}

func TestJSONPathPluginAssertionYAML(t *testing.T) {
	r := &sample.Result{Body: []byte("status: ok\ncount: 3\n"), Success: true}
	Apply(build(t, JSONPathPluginClass, "", "JSON_PATH", "$.status", "JSONVALIDATION", "true", "EXPECTED_VALUE", "ok", "INPUT_FORMAT", "YAML"), newCtx(1), r)
	if !r.Success {
		t.Fatalf("YAML body: %q", r.FailureMessage())
	}
	r = &sample.Result{Body: []byte("status: ok\n"), Success: true}
	Apply(build(t, JSONPathPluginClass, "", "JSON_PATH", "$.status", "JSONVALIDATION", "true", "ISREGEX", "false", "EXPECTED_VALUE", "down", "INPUT_FORMAT", "YAML"), newCtx(1), r)
	if r.Success || r.FailureMessage() != "Value expected to be 'down', but found 'ok'" {
		t.Fatalf("got %q", r.FailureMessage())
	}
}
