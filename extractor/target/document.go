package target

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// DocumentText approximates JMeter's "body as document" (Apache Tika text
// extraction) for the formats a load test meets: markup becomes the text of
// its body, one line per block element, without script and style; other
// content is returned unchanged. Office and PDF formats are not decoded.
func DocumentText(body []byte) string {
	t := bytes.TrimSpace(body)
	if len(t) == 0 || t[0] != '<' {
		return string(body)
	}
	z := html.NewTokenizer(bytes.NewReader(body))
	var b strings.Builder
	skip := 0 // inside script/style
	inHead := false
	sawBody := false
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return strings.TrimLeft(b.String(), "\n")
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			switch a {
			case atom.Script, atom.Style:
				if tt == html.StartTagToken {
					skip++
				} else if tt == html.EndTagToken && skip > 0 {
					skip--
				}
			case atom.Head:
				inHead = tt == html.StartTagToken
			case atom.Body:
				sawBody = true
				if tt == html.StartTagToken && b.Len() > 0 && !strings.Contains(string(t[:min(len(t), 512)]), "<?xml") {
					// text before <body> (e.g. a stray title) is not body text
					b.Reset()
				}
			}
			if block[a] && b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") {
				b.WriteByte('\n')
			}
		case html.TextToken:
			if skip > 0 || (inHead && !sawBody) {
				continue
			}
			b.Write(z.Text())
		}
	}
}

var block = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Br: true, atom.Li: true, atom.Tr: true, atom.Table: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Ul: true, atom.Ol: true, atom.Pre: true, atom.Blockquote: true, atom.Title: true,
	atom.Section: true, atom.Article: true, atom.Header: true, atom.Footer: true, atom.Form: true,
	atom.Dd: true, atom.Dt: true, atom.Dl: true, atom.Hr: true, atom.Td: true, atom.Th: true,
}
