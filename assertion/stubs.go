package assertion

import "gometer/jmx"

func newXPath(el *jmx.Element) (Assertion, error)  { return nil, ErrUnsupported }
func newXPath2(el *jmx.Element) (Assertion, error) { return nil, ErrUnsupported }
func newHTML(el *jmx.Element) (Assertion, error)   { return nil, ErrUnsupported }
