package functions

import "errors"

func buildJEXL(args []*Template) (evalFunc, error) {
	return nil, errors.New("not yet implemented")
}

func buildJavaScript(args []*Template) (evalFunc, error) {
	return nil, errors.New("not yet implemented")
}

func buildRegexFunction(args []*Template) (evalFunc, error) {
	return nil, errors.New("not yet implemented")
}
