package script

// compileJava compiles Groovy, Java and BeanShell on the Java-family
// interpreter (gometer/script/java); this build has none yet.
func compileJava(name, src string, lang Language) (runner, error) {
	return nil, &CompileError{Lang: lang, Name: name, Construct: lang.String() + " interpreter",
		Msg: "the " + lang.String() + " interpreter is not available in this build"}
}
