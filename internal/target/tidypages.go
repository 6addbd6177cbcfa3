package target

import "net/http"

// tidyPages are HTML documents with known markup problems, served at
// /page/tidy/{name} for HTML Assertion conformance plans.
var tidyPages = map[string]string{
	"clean": `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN">
<html><head><title>Clean</title></head>
<body><p>Nothing to report &amp; nothing to fix.</p><ul><li>one</li><li>two</li></ul></body></html>
`,
	"legacy": `<html><head><title>Legacy</title></head><body><p>hello<b>bold</p><foo>x</foo></body></html>`,
	"modern": `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Shop</title>
<link rel="stylesheet" href="/s.css">
<script src="/a.js"></script>
</head>
<body>
<header class="top"><nav><ul><li><a href="/">Home</a></li><li><a href="/cart?x=1&y=2">Cart</a></li></ul></nav></header>
<main>
<section id="hero"><h1>Welcome</h1><p>Deals &amp; more</p><img src="/h.png"></section>
<div class="grid"><div class="card" data-id="1"><i class="icon"></i><span>Item</span></div></div>
<form><input type="text" placeholder="Search"><button>Go</button></form>
</main>
<footer><p>&copy; 2024</p></footer>
</body>
</html>
`,
	"xml": `<?xml version="1.0"?><order id="7"><item sku="a">x</item><item sku="b">y</order>`,
}

// tidyPage serves one of tidyPages as text/html.
func (s *Server) tidyPage(w http.ResponseWriter, r *http.Request) {
	p, ok := tidyPages[r.PathValue("name")]
	if !ok {
		writeError(w, http.StatusNotFound, "no such page")
		return
	}
	writeBody(w, http.StatusOK, "text/html; charset=utf-8", []byte(p))
}
