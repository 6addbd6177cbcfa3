package target

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"html"
	"io"
	"math"
	"math/rand/v2"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
)

const (
	demoPassword  = "secret"
	startCash     = 100000.0
	keepPerUser   = 1000 // orders and payments kept per user; older ones are forgotten
	tokensPerUser = 16   // live tokens per user; older logins' tokens expire
	defaultList   = 100  // orders listed when no ?limit= is given
	maxFieldsBody = 1 << 20
)

// quote is one market symbol. Prices are fixed per seed.
type quote struct {
	Symbol string  `json:"symbol"`
	Name   string  `json:"name"`
	Price  float64 `json:"price"`
	Change float64 `json:"change"` // percent
}

type order struct {
	ID     string  `json:"orderId"`
	Symbol string  `json:"symbol"`
	Side   string  `json:"side"`
	Qty    int64   `json:"qty"`
	Price  float64 `json:"price"`
	Status string  `json:"status"`
	seq    int64   // 1-based per user
	owner  *user
}

type payment struct {
	ID       string  `json:"paymentId"`
	Amount   float64 `json:"amount"`
	Currency string  `json:"currency"`
	To       string  `json:"to"`
	Status   string  `json:"status"`
}

type user struct {
	id        int64
	name      string
	logins    int64
	tokens    []string // live tokens, oldest first
	sessions  []string
	orders    []*order // oldest first, at most keepPerUser
	nOrders   int64
	payments  []*payment
	nPayments int64
	cash      float64
	positions map[string]int64
}

// state is the demo API's in-memory data.
type state struct {
	seed       int64
	market     []quote
	marketJSON []byte
	symbols    map[string]bool

	mu       sync.Mutex
	users    map[string]*user // by username
	ids      map[int64]*user
	tokens   map[string]*user
	sessions map[string]*user
	orders   map[string]*order
}

func newState(seed int64) *state {
	st := &state{
		seed:     seed,
		symbols:  map[string]bool{},
		users:    map[string]*user{},
		ids:      map[int64]*user{},
		tokens:   map[string]*user{},
		sessions: map[string]*user{},
		orders:   map[string]*order{},
	}
	rng := rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15))
	for _, b := range []struct {
		sym, name string
		base      float64
	}{
		{"AAPL", "Apple Inc.", 190}, {"MSFT", "Microsoft Corp.", 410}, {"GOOG", "Alphabet Inc.", 140},
		{"AMZN", "Amazon.com Inc.", 180}, {"TSLA", "Tesla Inc.", 240}, {"NVDA", "NVIDIA Corp.", 880},
		{"JPM", "JPMorgan Chase & Co.", 195}, {"V", "Visa Inc.", 275},
	} {
		st.market = append(st.market, quote{
			Symbol: b.sym, Name: b.name,
			Price:  cents(b.base * (0.95 + 0.1*rng.Float64())),
			Change: cents((rng.Float64() - 0.5) * 4),
		})
		st.symbols[b.sym] = true
	}
	st.marketJSON, _ = json.Marshal(map[string]any{"currency": "USD", "symbols": st.market})
	return st
}

func cents(v float64) float64 { return math.Round(v*100) / 100 }

// hash64 mixes the seed and parts into a stable 64-bit value.
func hash64(seed int64, parts ...string) uint64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%d", seed)
	for _, p := range parts {
		h.Write([]byte{0})
		io.WriteString(h, p)
	}
	return h.Sum64()
}

// userLocked returns the user with this name, creating it. Its id depends
// on the name only, so ids do not depend on the order users log in.
func (st *state) userLocked(name string) *user {
	if u := st.users[name]; u != nil {
		return u
	}
	id := int64(hash64(0, "user", name)%900000) + 100000
	for st.ids[id] != nil { // a collision: probe (rare; only then order-dependent)
		id++
	}
	u := &user{id: id, name: name, cash: startCash, positions: map[string]int64{}}
	st.users[name] = u
	st.ids[id] = u
	return u
}

// login registers a new token and session for name.
func (st *state) login(name string) (token, session string, id int64) {
	st.mu.Lock()
	defer st.mu.Unlock()
	u := st.userLocked(name)
	u.logins++
	n := strconv.FormatInt(u.logins, 10)
	token = fmt.Sprintf("tk_%016x", hash64(st.seed, "token", name, n))
	session = fmt.Sprintf("s_%016x", hash64(st.seed, "session", name, n))
	u.tokens = append(u.tokens, token)
	u.sessions = append(u.sessions, session)
	st.tokens[token] = u
	st.sessions[session] = u
	if len(u.tokens) > tokensPerUser {
		delete(st.tokens, u.tokens[0])
		delete(st.sessions, u.sessions[0])
		u.tokens = u.tokens[1:]
		u.sessions = u.sessions[1:]
	}
	return token, session, u.id
}

// bearer returns the user of an "Authorization: Bearer <token>" header.
func (st *state) bearer(r *http.Request) *user {
	auth := r.Header.Get("Authorization")
	scheme, tok, ok := strings.Cut(auth, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return nil
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.tokens[strings.TrimSpace(tok)]
}

// caller returns the user of a Bearer token, or else of the SESSION cookie.
func (st *state) caller(r *http.Request) *user {
	if u := st.bearer(r); u != nil {
		return u
	}
	c, err := r.Cookie("SESSION")
	if err != nil {
		return nil
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.sessions[c.Value]
}

// fields reads a request body as a flat set of fields: a JSON object (when
// the content type says JSON or the body starts with '{'), else a form
// (urlencoded or multipart). JMeter plans often send raw JSON without a
// Content-Type header, hence the sniffing.
func fields(r *http.Request) (map[string]string, error) {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "multipart/form-data" {
		if err := r.ParseMultipartForm(maxFieldsBody); err != nil {
			return nil, fmt.Errorf("bad multipart body: %v", err)
		}
		return firstValues(r.MultipartForm.Value), nil
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxFieldsBody+1))
	if err != nil {
		return nil, fmt.Errorf("reading body: %v", err)
	}
	if len(body) > maxFieldsBody {
		return nil, fmt.Errorf("body larger than %d bytes", maxFieldsBody)
	}
	trimmed := strings.TrimSpace(string(body))
	if strings.HasSuffix(ct, "json") || strings.HasPrefix(trimmed, "{") {
		dec := json.NewDecoder(strings.NewReader(trimmed))
		dec.UseNumber()
		var obj map[string]any
		if err := dec.Decode(&obj); err != nil {
			return nil, fmt.Errorf("bad JSON body: %v", err)
		}
		out := make(map[string]string, len(obj))
		for k, v := range obj {
			switch v := v.(type) {
			case string:
				out[k] = v
			case json.Number:
				out[k] = v.String()
			case nil:
				out[k] = ""
			default:
				b, _ := json.Marshal(v)
				out[k] = string(b)
			}
		}
		return out, nil
	}
	vals, err := url.ParseQuery(trimmed)
	if err != nil {
		return nil, fmt.Errorf("bad form body: %v", err)
	}
	return firstValues(vals), nil
}

func firstValues(v map[string][]string) map[string]string {
	out := make(map[string]string, len(v))
	for k, vs := range v {
		if len(vs) > 0 {
			out[k] = vs[0]
		}
	}
	return out
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeBody(w, code, "application/json", b)
}

func writeBody(w http.ResponseWriter, code int, contentType string, b []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(code)
	w.Write(b)
}

func writeError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, map[string]string{"error": msg})
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	f, err := fields(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	name, pass := f["username"], f["password"]
	if name == "" || pass == "" {
		writeError(w, http.StatusBadRequest, "username and password are required")
		return
	}
	if pass != demoPassword {
		writeError(w, http.StatusUnauthorized, "invalid credentials")
		return
	}
	token, session, id := s.state.login(name)
	http.SetCookie(w, &http.Cookie{Name: "SESSION", Value: session, Path: "/api", HttpOnly: true})
	writeJSON(w, http.StatusOK, map[string]any{"token": token, "userId": id, "username": name})
}

func (s *Server) market(w http.ResponseWriter, r *http.Request) {
	writeBody(w, http.StatusOK, "application/json", s.state.marketJSON)
}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) {
	who := "guest"
	if u := s.state.caller(r); u != nil {
		who = u.name
	}
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Trading Dashboard</title>\n</head>\n<body>\n")
	fmt.Fprintf(&b, "<h1 id=\"welcome\">Welcome, %s</h1>\n", html.EscapeString(who))
	b.WriteString("<nav>\n<a href=\"/api/market\">Market data</a>\n<a href=\"/api/portfolio\">Portfolio</a>\n" +
		"<a href=\"/api/orders\">Orders</a>\n<a href=\"/api/payments\">Payments</a>\n</nav>\n<table id=\"quotes\">\n")
	for _, q := range s.state.market {
		fmt.Fprintf(&b, "<tr data-symbol=\"%s\"><td class=\"symbol\">%s</td><td class=\"price\">%.2f</td></tr>\n",
			q.Symbol, q.Symbol, q.Price)
	}
	b.WriteString("</table>\n</body>\n</html>\n")
	writeBody(w, http.StatusOK, "text/html; charset=utf-8", []byte(b.String()))
}

func (s *Server) portfolio(w http.ResponseWriter, r *http.Request) {
	u := s.state.bearer(r)
	if u == nil {
		w.Header().Set("WWW-Authenticate", `Bearer realm="gometer-demo"`)
		writeError(w, http.StatusUnauthorized, "missing or invalid bearer token")
		return
	}
	type position struct {
		Symbol string `json:"symbol"`
		Qty    int64  `json:"qty"`
	}
	s.state.mu.Lock()
	pos := make([]position, 0, len(u.positions))
	for sym, q := range u.positions {
		if q != 0 {
			pos = append(pos, position{sym, q})
		}
	}
	open := 0
	for _, o := range u.orders {
		if o.Status == "PENDING" {
			open++
		}
	}
	cash := cents(u.cash)
	s.state.mu.Unlock()
	sort.Slice(pos, func(i, j int) bool { return pos[i].Symbol < pos[j].Symbol })
	writeJSON(w, http.StatusOK, map[string]any{
		"userId": u.id, "username": u.name, "cash": cash, "positions": pos, "openOrders": open,
	})
}

// needCaller writes 401 and returns nil when the request carries no valid
// token or session.
func (s *Server) needCaller(w http.ResponseWriter, r *http.Request) *user {
	u := s.state.caller(r)
	if u == nil {
		w.Header().Set("WWW-Authenticate", `Bearer realm="gometer-demo"`)
		writeError(w, http.StatusUnauthorized, "login required")
	}
	return u
}

func (s *Server) placeOrder(w http.ResponseWriter, r *http.Request) {
	u := s.needCaller(w, r)
	if u == nil {
		return
	}
	f, err := fields(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	sym := strings.ToUpper(strings.TrimSpace(f["symbol"]))
	side := strings.ToUpper(strings.TrimSpace(f["side"]))
	qty, qerr := strconv.ParseInt(strings.TrimSpace(f["qty"]), 10, 64)
	price, perr := strconv.ParseFloat(strings.TrimSpace(f["price"]), 64)
	switch {
	case !s.state.symbols[sym]:
		writeError(w, http.StatusBadRequest, fmt.Sprintf("unknown symbol %q", f["symbol"]))
		return
	case side != "BUY" && side != "SELL":
		writeError(w, http.StatusBadRequest, "side must be BUY or SELL")
		return
	case qerr != nil || qty <= 0:
		writeError(w, http.StatusBadRequest, "qty must be a positive integer")
		return
	case perr != nil || price <= 0 || math.IsInf(price, 0) || math.IsNaN(price):
		writeError(w, http.StatusBadRequest, "price must be a positive number")
		return
	}
	st := s.state
	st.mu.Lock()
	u.nOrders++
	o := &order{
		ID:     fmt.Sprintf("ORD-%d-%d", u.id, u.nOrders),
		Symbol: sym, Side: side, Qty: qty, Price: cents(price), Status: "PENDING",
		seq: u.nOrders, owner: u,
	}
	// Fill this user's order placed two orders ago, if still pending.
	for i := len(u.orders) - 1; i >= 0 && i >= len(u.orders)-2; i-- {
		if p := u.orders[i]; p.seq == o.seq-2 && p.Status == "PENDING" {
			p.Status = "FILLED"
			v := float64(p.Qty) * p.Price
			if p.Side == "BUY" {
				u.cash -= v
				u.positions[p.Symbol] += p.Qty
			} else {
				u.cash += v
				u.positions[p.Symbol] -= p.Qty
			}
		}
	}
	u.orders = append(u.orders, o)
	st.orders[o.ID] = o
	if len(u.orders) > keepPerUser {
		delete(st.orders, u.orders[0].ID)
		u.orders = u.orders[1:]
	}
	out := *o
	st.mu.Unlock()
	w.Header().Set("Location", "/api/orders/"+out.ID)
	writeJSON(w, http.StatusCreated, out)
}

func (s *Server) listOrders(w http.ResponseWriter, r *http.Request) {
	u := s.needCaller(w, r)
	if u == nil {
		return
	}
	q := r.URL.Query()
	limit := defaultList
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			writeError(w, http.StatusBadRequest, "limit must be a non-negative integer")
			return
		}
		limit = min(n, keepPerUser)
	}
	status := strings.ToUpper(q.Get("status"))
	s.state.mu.Lock()
	list := make([]order, 0, min(len(u.orders), limit))
	for _, o := range u.orders {
		if status == "" || o.Status == status {
			list = append(list, *o)
		}
	}
	s.state.mu.Unlock()
	if len(list) > limit { // keep the most recent ones
		list = list[len(list)-limit:]
	}
	writeJSON(w, http.StatusOK, map[string]any{"orders": list, "count": len(list)})
}

// orderOp applies op to the caller's order named in the path under the
// state lock and answers with the result: 404 when the order is unknown or
// another user's, else op's code and a copy of the order (or op's error).
func (s *Server) orderOp(w http.ResponseWriter, r *http.Request, op func(*order) (int, string)) {
	u := s.needCaller(w, r)
	if u == nil {
		return
	}
	id := r.PathValue("id")
	st := s.state
	st.mu.Lock()
	o := st.orders[id]
	if o == nil || o.owner != u {
		st.mu.Unlock()
		writeError(w, http.StatusNotFound, fmt.Sprintf("order %q not found", id))
		return
	}
	code, msg := op(o)
	out := *o
	st.mu.Unlock()
	if msg != "" {
		writeError(w, code, msg)
		return
	}
	writeJSON(w, code, out)
}

func (s *Server) getOrder(w http.ResponseWriter, r *http.Request) {
	s.orderOp(w, r, func(*order) (int, string) { return http.StatusOK, "" })
}

func (s *Server) cancelOrder(w http.ResponseWriter, r *http.Request) {
	s.orderOp(w, r, func(o *order) (int, string) {
		if o.Status != "PENDING" {
			return http.StatusConflict, fmt.Sprintf("order %s is %s", o.ID, o.Status)
		}
		o.Status = "CANCELLED"
		return http.StatusOK, ""
	})
}

func (s *Server) pay(w http.ResponseWriter, r *http.Request) {
	u := s.needCaller(w, r)
	if u == nil {
		return
	}
	f, err := fields(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	amount, aerr := strconv.ParseFloat(strings.TrimSpace(f["amount"]), 64)
	cur := strings.ToUpper(strings.TrimSpace(f["currency"]))
	to := strings.TrimSpace(f["to"])
	switch {
	case aerr != nil || math.IsNaN(amount):
		writeError(w, http.StatusBadRequest, "amount must be a number")
		return
	case len(cur) != 3 || strings.Trim(cur, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "":
		writeError(w, http.StatusBadRequest, "currency must be a three-letter code")
		return
	case to == "":
		writeError(w, http.StatusBadRequest, "to is required")
		return
	case amount < 10 || amount > 1000:
		writeError(w, http.StatusUnprocessableEntity, "amount must be between 10 and 1000")
		return
	}
	status := "COMPLETED"
	if amount > 500 {
		status = "PENDING_REVIEW"
	}
	s.state.mu.Lock()
	u.nPayments++
	p := &payment{
		ID: fmt.Sprintf("PAY-%d-%d", u.id, u.nPayments), Amount: cents(amount), Currency: cur, To: to, Status: status,
	}
	u.payments = append(u.payments, p)
	if len(u.payments) > keepPerUser {
		u.payments = u.payments[1:]
	}
	out := *p
	s.state.mu.Unlock()
	writeJSON(w, http.StatusCreated, out)
}

func (s *Server) listPayments(w http.ResponseWriter, r *http.Request) {
	u := s.needCaller(w, r)
	if u == nil {
		return
	}
	s.state.mu.Lock()
	list := make([]payment, 0, len(u.payments))
	for _, p := range u.payments {
		list = append(list, *p)
	}
	s.state.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"payments": list, "count": len(list)})
}
