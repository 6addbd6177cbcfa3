package functions

import (
	"strconv"
	"strings"

	"github.com/gometer/gometer/script"
)

// funcSpec describes one __function: its argument count and how to build
// the evaluator from the compiled arguments. max < 0 means no upper bound.
type funcSpec struct {
	min, max    int
	build       func(args []*Template) (evalFunc, error)
	unsupported string // non-empty: known to JMeter, not runnable by gometer
}

// lookup returns the function called name, or nil when there is none (the
// reference is then a variable, as in JMeter). It is only used at compile
// time; a switch keeps the table read-only and free of init cycles.
func lookup(name string) *funcSpec {
	if !strings.HasPrefix(name, "__") {
		return nil
	}
	switch name {
	// properties and variables
	case "__P":
		return &funcSpec{1, 2, buildP, ""}
	case "__property":
		return &funcSpec{1, 3, buildProperty, ""}
	case "__setProperty":
		return &funcSpec{2, 3, buildSetProperty, ""}
	case "__isPropDefined":
		return &funcSpec{1, 1, buildIsPropDefined, ""}
	case "__isVarDefined":
		return &funcSpec{1, 1, buildIsVarDefined, ""}
	case "__V":
		return &funcSpec{1, 2, buildV, ""}
	case "__eval":
		return &funcSpec{1, 1, buildEval, ""}
	case "__evalVar":
		return &funcSpec{1, 1, buildEvalVar, ""}
	case "__split":
		return &funcSpec{2, 3, buildSplit, ""}
	// numbers and randomness
	case "__Random":
		return &funcSpec{2, 3, buildRandom, ""}
	case "__RandomString":
		return &funcSpec{1, 3, buildRandomString, ""}
	case "__RandomFromMultipleVars":
		return &funcSpec{1, 2, buildRandomFromMultipleVars, ""}
	case "__UUID":
		return &funcSpec{0, 0, buildUUID, ""}
	case "__counter":
		return &funcSpec{1, 2, buildCounter, ""}
	case "__intSum":
		return &funcSpec{2, -1, buildSum(32), ""}
	case "__longSum":
		return &funcSpec{2, -1, buildSum(64), ""}
	// identity of the user and the run
	case "__threadNum":
		return &funcSpec{0, 0, buildThreadNum, ""}
	case "__threadGroupName":
		return &funcSpec{0, 0, buildThreadGroupName, ""}
	case "__samplerName":
		return &funcSpec{0, 1, buildSamplerName, ""}
	case "__TestPlanName":
		return &funcSpec{0, 0, buildTestPlanName, ""}
	case "__machineName":
		return &funcSpec{0, 1, buildMachineName, ""}
	case "__machineIP":
		return &funcSpec{0, 1, buildMachineIP, ""}
	case "__log":
		return &funcSpec{1, 4, buildLog(true), ""}
	case "__logn":
		return &funcSpec{1, 3, buildLog(false), ""}
	// strings and encodings
	case "__urlencode":
		return &funcSpec{1, 1, buildString1(urlEncode), ""}
	case "__urldecode":
		return &funcSpec{1, 1, buildString1(urlDecode), ""}
	case "__escapeHtml":
		return &funcSpec{1, 1, buildString1(escapeHTML), ""}
	case "__unescapeHtml":
		return &funcSpec{1, 1, buildString1(unescapeHTML), ""}
	case "__escapeXml":
		return &funcSpec{1, 1, buildString1(escapeXML), ""}
	case "__unescape":
		return &funcSpec{1, 1, buildString1(unescapeJava), ""}
	case "__escapeOroRegexpChars":
		return &funcSpec{1, 2, buildEscapeRegexp, ""}
	case "__char":
		return &funcSpec{1, -1, buildChar, ""}
	case "__changeCase":
		return &funcSpec{1, 3, buildChangeCase, ""}
	case "__digest":
		return &funcSpec{2, 5, buildDigest, ""}
	case "__base64Encode":
		return &funcSpec{1, 2, buildBase64(true), ""}
	case "__base64Decode":
		return &funcSpec{1, 2, buildBase64(false), ""}
	// time
	case "__time":
		return &funcSpec{0, 2, buildTime, ""}
	case "__dateTimeConvert":
		return &funcSpec{3, 4, buildDateTimeConvert, ""}
	case "__timeShift":
		return &funcSpec{4, 5, buildTimeShift, ""}
	case "__RandomDate":
		return &funcSpec{3, 5, buildRandomDate, ""}
	// files
	case "__CSVRead":
		return &funcSpec{2, 2, buildCSVRead, ""}
	case "__StringFromFile":
		return &funcSpec{1, 4, buildStringFromFile, ""}
	case "__FileToString":
		return &funcSpec{1, 3, buildFileToString, ""}
	case "__StringToFile":
		return &funcSpec{2, 4, buildStringToFile, ""}
	case "__XPath":
		return &funcSpec{2, 2, buildXPath, ""}
	// expressions and the previous response
	case "__jexl3", "__jexl2":
		return &funcSpec{1, 2, buildJEXL, ""}
	case "__javaScript":
		return &funcSpec{1, 2, buildScriptFunc("__javaScript", script.JavaScript), ""}
	case "__regexFunction":
		return &funcSpec{2, 7, buildRegexFunction, ""}
	// jmeter-plugins custom functions
	case "__env":
		return &funcSpec{1, 3, buildEnv, ""}
	case "__tstFeedback":
		return &funcSpec{2, 4, buildTSTFeedback, ""}
	case "__strLen":
		return &funcSpec{1, 2, buildStringFunc(strLen), ""}
	case "__strReplace":
		return &funcSpec{3, 4, buildStrReplace, ""}
	case "__upperCase":
		return &funcSpec{1, 2, buildStringFunc(strings.ToUpper), ""}
	case "__lowerCase":
		return &funcSpec{1, 2, buildStringFunc(strings.ToLower), ""}
	case "__MD5":
		return &funcSpec{1, 2, buildStringFunc(md5Hex), ""}
	case "__isDefined":
		return &funcSpec{1, 1, buildIsDefined, ""}
	case "__substring":
		return &funcSpec{2, 4, buildSubstring, ""}
	case "__doubleSum":
		return &funcSpec{2, -1, buildDoubleSum, ""}
	case "__chooseRandom":
		return &funcSpec{2, -1, buildChooseRandom, ""}
	case "__if":
		return &funcSpec{4, 5, buildIf, ""}
	// jmeter-plugins Inter-Thread Communication
	case "__fifoPut":
		return &funcSpec{2, -1, buildFifoPut, ""}
	case "__fifoPop":
		return &funcSpec{1, -1, buildFifoPop, ""}
	case "__fifoGet":
		return &funcSpec{1, -1, buildFifoRead(fifoPeek), ""}
	case "__fifoSize":
		return &funcSpec{1, -1, buildFifoRead(fifoLen), ""}
	// known to JMeter, not runnable here
	case "__groovy":
		return &funcSpec{1, 2, buildScriptFunc("__groovy", script.Groovy), ""}
	case "__BeanShell":
		return &funcSpec{1, 2, buildScriptFunc("__BeanShell", script.BeanShell), ""}
	}
	return nil
}

// arg returns args[i] or nil when the call has fewer arguments.
func arg(args []*Template, i int) *Template {
	if i < len(args) {
		return args[i]
	}
	return nil
}

// evalArg evaluates args[i], or returns "" when it is absent.
func evalArg(c *Context, args []*Template, i int) string {
	if i < len(args) {
		return args[i].Eval(c)
	}
	return ""
}

// literalArg returns the value of args[i] when it is present and literal.
func literalArg(args []*Template, i int) (string, bool) {
	if i < len(args) {
		return args[i].literalValue()
	}
	return "", false
}

// checkInt validates a literal integer argument (trimmed as JMeter trims it).
func checkInt(args []*Template, i, bits int, trim bool) error {
	s, ok := literalArg(args, i)
	if !ok {
		return nil
	}
	if trim {
		s = strings.TrimSpace(s)
	}
	if _, err := strconv.ParseInt(s, 10, bits); err != nil {
		return badArg(i, "%q is not a number", s)
	}
	return nil
}

// varArg is the optional "name of variable to store the result" argument.
type varArg struct{ t *Template }

func (v varArg) store(c *Context, value string) {
	if v.t == nil {
		return
	}
	if name, ok := v.t.literalValue(); ok {
		if name = strings.TrimSpace(name); name != "" {
			c.vars().Put(name, value)
		}
		return
	}
	c.putVar(v.t.Eval(c), value)
}
