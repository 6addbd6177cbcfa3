package xdoc

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// DoctypeDisallowed is Xerces's message when a DOCTYPE is refused (JMeter's
// XML Assertion refuses them).
const DoctypeDisallowed = `DOCTYPE is disallowed when the feature "http://apache.org/xml/features/disallow-doctype-decl" set to true.`

// WellFormed checks that s is one well-formed XML document and reports the
// first problem in the words of the Xerces parser JMeter uses, for the
// cases load tests meet (an HTML or JSON body, a missing end tag, a cut
// response); other problems keep Go's description.
func WellFormed(s string, allowDoctype bool) error {
	t := strings.TrimLeft(s, " \t\r\n\ufeff")
	if t == "" {
		return errors.New("Premature end of file.")
	}
	if t[0] != '<' {
		return errors.New("Content is not allowed in prolog.")
	}
	d := xml.NewDecoder(strings.NewReader(s))
	d.Strict = true
	depth, roots := 0, 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			if roots == 0 || depth > 0 {
				return errors.New("XML document structures must start and end within the same entity.")
			}
			return nil
		}
		if err != nil {
			return xercesMessage(err)
		}
		switch v := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
				if roots > 1 {
					return errors.New("The markup in the document following the root element must be well-formed.")
				}
			}
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			if depth == 0 && strings.TrimSpace(string(v)) != "" {
				if roots == 0 {
					return errors.New("Content is not allowed in prolog.")
				}
				return errors.New("Content is not allowed in trailing section.")
			}
		case xml.Directive:
			if !allowDoctype && strings.HasPrefix(strings.TrimSpace(string(v)), "DOCTYPE") {
				return errors.New(DoctypeDisallowed)
			}
		}
	}
}

var (
	closedBy   = regexp.MustCompile(`element <([^>]+)> closed by </([^>]+)>`)
	unexpEOF   = regexp.MustCompile(`unexpected EOF`)
	badEntity  = regexp.MustCompile(`invalid character entity &([^;\s]*);?`)
	attrNoQuot = regexp.MustCompile(`unquoted or missing attribute value`)
)

func xercesMessage(err error) error {
	msg := err.Error()
	if m := closedBy.FindStringSubmatch(msg); m != nil {
		return fmt.Errorf(`The element type "%s" must be terminated by the matching end-tag "</%s>".`, m[1], m[1])
	}
	if unexpEOF.MatchString(msg) {
		return errors.New("XML document structures must start and end within the same entity.")
	}
	if m := badEntity.FindStringSubmatch(msg); m != nil {
		return fmt.Errorf(`The entity "%s" was referenced, but not declared.`, m[1])
	}
	if attrNoQuot.MatchString(msg) {
		return errors.New("Open quote is expected for attribute associated with an element type.")
	}
	if se, ok := err.(*xml.SyntaxError); ok {
		return errors.New(se.Msg)
	}
	return err
}
