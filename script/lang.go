package script

import (
	"fmt"
	"strings"
)

// Language is a script language gometer runs.
type Language uint8

const (
	Groovy Language = iota
	Java
	BeanShell
	JavaScript
)

func (l Language) String() string {
	switch l {
	case Groovy:
		return "groovy"
	case Java:
		return "java"
	case BeanShell:
		return "beanshell"
	case JavaScript:
		return "javascript"
	}
	return fmt.Sprintf("Language(%d)", uint8(l))
}

// UnsupportedLanguageError names a script language gometer cannot run.
type UnsupportedLanguageError struct{ Name string }

func (e *UnsupportedLanguageError) Error() string {
	return fmt.Sprintf("script language %q is not supported (gometer runs groovy, java, beanshell and javascript)", e.Name)
}

// ParseLanguage maps a JSR223/BSF scriptLanguage value to a Language, with
// JMeter's names: an empty name is groovy (the JSR223 default).
func ParseLanguage(name string) (Language, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "", "groovy":
		return Groovy, nil
	case "java":
		return Java, nil
	case "beanshell", "bsh":
		return BeanShell, nil
	case "javascript", "js", "nashorn", "rhino", "ecmascript":
		return JavaScript, nil
	}
	return 0, &UnsupportedLanguageError{Name: name}
}
