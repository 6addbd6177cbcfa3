package target

import (
	"fmt"
	"strings"
)

// OrdersJSON is a 2 KB JSON document (a token, a user and a list of open
// orders) like the answers correlation scripts parse: the benchmark
// target's /orders.json and the engine's in-process script benchmark use
// it, so both measure the same script on the same input.
func OrdersJSON() []byte {
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
}
