// Package functions evaluates JMeter's ${} language: variables, properties
// and the __functions. A string is compiled once into a Template (a list of
// literal text, variable references and function calls whose implementation
// and compiled arguments are fixed at compile time) and then evaluated many
// times, once per use, against a virtual user's Context.
//
// Syntax, following JMeter 5.6's FunctionParser:
//
//   - ${name} is a variable; an unset variable stays as the literal text
//     "${name}". ${__fn(a,b)}, ${__fn()} and ${__fn} call a function; an
//     unknown function name is treated as a variable name, so it stays
//     literal too ("${__nope(x)}"). Names are case-sensitive.
//   - A backslash escapes "$", "," and "\" ("\${x}" is not evaluated, "\,"
//     is a comma inside an argument); before any other character the
//     backslash is kept. Arguments split on unescaped commas outside nested
//     ${…}; parentheses nest but commas inside them still split, as in
//     JMeter. Whitespace in arguments is not trimmed (functions trim the
//     arguments JMeter trims).
//   - A string without any ${} reference is literal and evaluates to itself,
//     escapes included: JMeter does not process such strings at all.
//   - An unterminated "${…" (no closing "}") is kept as written. JMeter keeps
//     it too when it is the whole string, but drops the "${" when other text
//     precedes it; gometer keeps the text in both cases.
//   - A function call with a malformed argument list (no ")" or no "}" after
//     it), a wrong argument count, or a literal argument that can never work
//     (`${__Random(ten,1000)}`, an unknown __time pattern letter …) is a
//     compile *Error, so a plan fails at load time rather than on every
//     sample. Errors found at evaluation time (a variable holding "ten") are
//     sent to Context.Log and the function returns "" like JMeter's.
//   - Functions JMeter has but gometer cannot run (__BeanShell, and __groovy
//     beyond one-line expressions) are compile errors wrapping ErrUnsupported.
//
// State: per-user function state (__counter(TRUE), the current __CSVRead
// row) lives in the Context; run-wide state (__counter(FALSE), files of
// __CSVRead and __StringFromFile, compiled expressions) lives in Shared.
// The package has no mutable package-level state.
//
// Where gometer differs from JMeter on purpose or by necessity:
//
//   - __RandomString with an empty character set draws from [A-Za-z0-9]
//     (JMeter draws arbitrary Unicode); lengths above 1 MiB are refused.
//   - __FileToString reads a file once per run (JMeter re-reads it on every
//     call); device files and pipes are refused by all file functions.
//   - __StringFromFile's start/end file-sequence arguments are not supported
//     (compile error); files are resolved against the plan's directory first.
//   - __escapeHtml writes characters beyond Latin-1 as decimal references
//     (JMeter uses an HTML5 name where one exists, e.g. &euro;).
//   - __regexFunction uses Go's RE2 syntax: no look-around or back-references.
//   - The locale argument of __timeShift/__RandomDate knows full month and
//     day names of en, fr, de, es, it, pt and nl; abbreviated names are
//     English only (a literal non-English locale with MMM/EEE is refused).
//     Supported java.time pattern letters: G y u Y M L d D F H h k K m s S n
//     N A a E e c w W Q q z Z X x O V and 'quoted text'; others are compile
//     errors.
//   - __time and the date functions use Context.Now and its time zone.
//   - __StringToFile writes through Context.AppendFile; a Context without it
//     (a struct literal, the fuzz target) does not write and returns "false".
//   - There is no __iterationNum: JMeter 5.6.3 has none either and leaves
//     "${__iterationNum}" as written (Context.Iteration is for the engine).
//
// Expressions: __jexl3/__jexl2, __javaScript and one-line __groovy are
// translated to github.com/expr-lang/expr programs; see expression.go for
// the subset. If and While conditions are ordinary templates (usually
// ${__jexl3(…)}), except the If Controller's legacy JavaScript mode, which
// the engine compiles with CompileJavaScript. CompileJEXL, CompileGroovy and
// EvalExpression serve callers holding a bare expression.
package functions
