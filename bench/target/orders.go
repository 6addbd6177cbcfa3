package main

import (
	"net/http"
	"strconv"

	"github.com/gometer/gometer/internal/target"
)

// ordersPath answers a fixed 2 KB JSON document (a token, a user and a list
// of orders), the answer benchmark S5's script post-processor parses.
const ordersPath = "/orders.json"

// ordersDoc is the document (target.OrdersJSON, which the engine's
// in-process script benchmark parses too).
var ordersDoc = target.OrdersJSON()

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
