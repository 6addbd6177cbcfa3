package extractor

import (
	"strings"
	"testing"
)

// a realistic page of ~40 KB with the token near the end
var benchPage = strings.Repeat(`<div class="row"><a href="/item?id=42&amp;cat=books">Item</a><span>price 9.99</span></div>`+"\n", 400) + loginPage

func BenchmarkRegexExtractorFirst(b *testing.B) {
	x := build(b, "RegexExtractor", "RegexExtractor.refname", "csrf", "RegexExtractor.regex", `name="csrf" value="([^"]+)"`,
		"RegexExtractor.template", "$1$", "RegexExtractor.match_number", "1", "RegexExtractor.default", "NF")
	r := result(benchPage)
	c := newCtx(1)
	b.ReportAllocs()
	b.SetBytes(int64(len(benchPage)))
	for b.Loop() {
		x.Process(c, r)
	}
}

func BenchmarkRegexExtractorAll(b *testing.B) {
	x := build(b, "RegexExtractor", "RegexExtractor.refname", "id", "RegexExtractor.regex", `id=(\d+)`,
		"RegexExtractor.template", "$1$", "RegexExtractor.match_number", "-1")
	r := result(benchPage)
	c := newCtx(1)
	b.ReportAllocs()
	b.SetBytes(int64(len(benchPage)))
	for b.Loop() {
		x.Process(c, r)
	}
}

func BenchmarkJSONExtractor(b *testing.B) {
	x := build(b, "JSONPostProcessor", "JSONPostProcessor.referenceNames", "token;ids;user",
		"JSONPostProcessor.jsonPathExprs", "$.token;$..id;$.user", "JSONPostProcessor.match_numbers", "1;-1;1",
		"JSONPostProcessor.defaultValues", "NF;NF;NF")
	r := result(ordersJSON)
	c := newCtx(1)
	b.ReportAllocs()
	b.SetBytes(int64(len(ordersJSON)))
	for b.Loop() {
		x.Process(c, r)
	}
}
