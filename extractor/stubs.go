package extractor

import "gometer/jmx"

func newXPath(el *jmx.Element) (Extractor, error)    { return nil, ErrUnsupported }
func newXPath2(el *jmx.Element) (Extractor, error)   { return nil, ErrUnsupported }
func newHTML(el *jmx.Element) (Extractor, error)     { return nil, ErrUnsupported }
func newJMESPath(el *jmx.Element) (Extractor, error) { return nil, ErrUnsupported }
