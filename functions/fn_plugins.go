package functions

import (
	"crypto/md5"
	"encoding/hex"
	"os"
	"strconv"
	"strings"

	"github.com/gometer/gometer/internal/javafmt"
)

// Functions of the jmeter-plugins "Custom JMeter Functions" package
// (kg.apc.jmeter.functions) that plans use besides __base64Encode/Decode.

func buildEnv(args []*Template) (evalFunc, error) {
	name, def, v := args[0], arg(args, 1), varArg{arg(args, 2)}
	return func(c *Context) string {
		out, ok := os.LookupEnv(name.Eval(c))
		if !ok && def != nil {
			out = def.Eval(c)
		}
		v.store(c, out)
		return out
	}, nil
}

// buildStringFunc wraps plugin functions of the form f(string[, var]).
func buildStringFunc(f func(string) string) func(args []*Template) (evalFunc, error) {
	return func(args []*Template) (evalFunc, error) {
		src, v := args[0], varArg{arg(args, 1)}
		return func(c *Context) string {
			out := f(src.Eval(c))
			v.store(c, out)
			return out
		}, nil
	}
}

func strLen(s string) string { return strconv.Itoa(utf16Len(s)) }

func md5Hex(s string) string {
	h := md5.Sum([]byte(s))
	return hex.EncodeToString(h[:])
}

func buildStrReplace(args []*Template) (evalFunc, error) {
	src, search, repl, v := args[0], args[1], args[2], varArg{arg(args, 3)}
	return func(c *Context) string {
		out := strings.ReplaceAll(src.Eval(c), search.Eval(c), repl.Eval(c))
		v.store(c, out)
		return out
	}, nil
}

func buildIsDefined(args []*Template) (evalFunc, error) {
	name := args[0]
	return func(c *Context) string {
		_, ok := c.vars().Get(name.Eval(c))
		return strconv.FormatBool(ok)
	}, nil
}

func buildSubstring(args []*Template) (evalFunc, error) {
	for i := 1; i < 3 && i < len(args); i++ {
		if s, ok := args[i].literalValue(); ok && s != "" {
			if _, err := strconv.Atoi(strings.TrimSpace(s)); err != nil {
				return nil, badArg(i, "%q is not a number", s)
			}
		}
	}
	src, v := args[0], varArg{arg(args, 3)}
	return func(c *Context) string {
		s := src.Eval(c)
		b, err := strconv.Atoi(strings.TrimSpace(args[1].Eval(c)))
		if err != nil {
			c.logf("ERROR", "__substring: bad begin index")
			return ""
		}
		e := -1
		if es := strings.TrimSpace(evalArg(c, args, 2)); es != "" {
			if e, err = strconv.Atoi(es); err != nil {
				c.logf("ERROR", "__substring: bad end index %q", es)
				return ""
			}
		}
		out, err := substringUnits(s, b, e)
		if err != nil {
			c.logf("ERROR", "__substring: %v", err)
			return ""
		}
		v.store(c, out)
		return out
	}, nil
}

// buildDoubleSum adds numbers as doubles; a last argument that is not a
// number names the variable to store the sum in.
func buildDoubleSum(args []*Template) (evalFunc, error) {
	return func(c *Context) string {
		sum := 0.0
		for i := 0; i < len(args)-1; i++ {
			f, err := strconv.ParseFloat(strings.TrimSpace(args[i].Eval(c)), 64)
			if err != nil {
				c.logf("ERROR", "__doubleSum: %q is not a number", args[i].Eval(c))
				return ""
			}
			sum += f
		}
		last := strings.TrimSpace(args[len(args)-1].Eval(c))
		f, err := strconv.ParseFloat(last, 64)
		if err == nil {
			sum += f
		}
		out := javafmt.Double(sum)
		if err != nil && last != "" {
			c.vars().Put(last, out)
		}
		return out
	}, nil
}

// buildChooseRandom picks one of the arguments; the last one names the
// variable that receives the choice.
func buildChooseRandom(args []*Template) (evalFunc, error) {
	return func(c *Context) string {
		out := args[c.rng().IntN(len(args)-1)].Eval(c)
		c.putVar(args[len(args)-1].Eval(c), out)
		return out
	}, nil
}

func buildIf(args []*Template) (evalFunc, error) {
	v := varArg{arg(args, 4)}
	return func(c *Context) string {
		out := args[3].Eval(c)
		if args[0].Eval(c) == args[1].Eval(c) {
			out = args[2].Eval(c)
		}
		v.store(c, out)
		return out
	}, nil
}

// FunctionNames lists the functions gometer runs, sorted.
func FunctionNames() []string {
	return []string{
		"__BeanShell", "__CSVRead", "__FileToString", "__MD5", "__P", "__Random", "__RandomDate", "__RandomFromMultipleVars",
		"__RandomString", "__StringFromFile", "__StringToFile", "__TestPlanName", "__UUID", "__V", "__XPath", "__base64Decode", "__base64Encode",
		"__changeCase", "__char", "__chooseRandom", "__counter", "__dateTimeConvert", "__digest", "__doubleSum",
		"__env", "__escapeHtml", "__escapeOroRegexpChars", "__escapeXml", "__eval", "__evalVar", "__fifoGet", "__fifoPop",
		"__fifoPut", "__fifoSize", "__groovy", "__if",
		"__intSum", "__isDefined", "__isPropDefined", "__isVarDefined", "__javaScript",
		"__jexl2", "__jexl3", "__log", "__logn", "__longSum", "__lowerCase", "__machineIP", "__machineName",
		"__property", "__regexFunction", "__samplerName", "__setProperty", "__split", "__strLen",
		"__strReplace", "__substring", "__threadGroupName", "__threadNum", "__time", "__timeShift", "__tstFeedback",
		"__unescape", "__unescapeHtml", "__upperCase", "__urldecode", "__urlencode",
	}
}
