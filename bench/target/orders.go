package main

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// ordersPath answers a fixed 2 KB JSON document (a token, a user and a list
// of orders), the answer benchmark S5's script post-processor parses.
const ordersPath = "/orders.json"

// ordersDoc is the document: the same shape as the engine's in-process
// script benchmark (BenchmarkScriptPostProcessor), so both measure one script.
var ordersDoc = func() []byte {
	var b strings.Builder
	b.WriteString(`{"token":"tok-8f2a9c","user":{"id":4711,"name":"ada"},"orders":[`)
	for i := 0; b.Len() < 1900; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"id":%d,"symbol":"SYM%d","qty":%d,"price":%d.25,"status":"open"}`, 1000+i, i, i*10, 100+i)
	}
	b.WriteString(`],"count":3}`)
	return []byte(b.String())
}()

// serveOrders answers GET /orders.json; it counts with the raw fast path.
func (c *counting) serveOrders(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET")
		http.Error(w, "GET only", http.StatusMethodNotAllowed)
	} else {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(ordersDoc)))
		w.Write(ordersDoc)
	}
	c.raw.Add(1)
}
