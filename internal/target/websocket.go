package target

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/coder/websocket"
)

// WebSocket endpoints: /ws/echo sends every message back as it came (text
// or binary); /ws/push sends "tick N" text messages at ?rate= per second
// (default 10) until ?count= (default 100) or the client goes; /ws/slowclose
// echoes like /ws/echo but answers the client's close only after ?delay=
// milliseconds (default 2000): after each echo it reads nothing for that long.
// /ws/feed interleaves frames as a market feed does: at ?rate= per second
// (default 10), ?count= messages (default 12), every third one binary
// (0x01 and the message number's low byte), the others text "tick N"; after
// every ?ping=-th message (default 4, 0: none) it pings and waits for the
// pong; then it stays open, silent, until the client goes. /ws/prices
// streams JSON quotes for ?symbol= (default EURUSD) at ?rate= per second
// (default 10), {"symbol","seq","bid","ask"}, the prices a deterministic
// walk of the sequence number, with a heartbeat ping after every tenth
// quote, until ?count= (default 1,000,000) or the client goes.

func (s *Server) wsAccept(w http.ResponseWriter, r *http.Request) *websocket.Conn {
	c, err := websocket.Accept(w, r, &websocket.AcceptOptions{InsecureSkipVerify: true})
	if err != nil {
		s.logf("target: websocket accept: %v", err)
		return nil
	}
	c.SetReadLimit(16 << 20)
	return c
}

// wsContext ends when the request does or the server closes.
func (s *Server) wsContext(r *http.Request) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(r.Context())
	go func() {
		select {
		case <-s.done:
			cancel()
		case <-ctx.Done():
		}
	}()
	return ctx, cancel
}

func (s *Server) wsEcho(w http.ResponseWriter, r *http.Request) {
	c := s.wsAccept(w, r)
	if c == nil {
		return
	}
	defer c.CloseNow()
	ctx, cancel := s.wsContext(r)
	defer cancel()
	for {
		typ, data, err := c.Read(ctx)
		if err != nil {
			return
		}
		if err := c.Write(ctx, typ, data); err != nil {
			return
		}
	}
}

func (s *Server) wsPush(w http.ResponseWriter, r *http.Request) {
	s.wsTicks(w, r, 100, func(ctx context.Context, c *websocket.Conn, i int) error {
		return c.Write(ctx, websocket.MessageText, []byte("tick "+strconv.Itoa(i)))
	}, func(_ context.Context, c *websocket.Conn) { c.Close(websocket.StatusNormalClosure, "done") })
}

func (s *Server) wsFeed(w http.ResponseWriter, r *http.Request) {
	every := wsQueryInt(r, "ping", 4, 0, 1000000)
	s.wsTicks(w, r, 12, func(ctx context.Context, c *websocket.Conn, i int) error {
		var err error
		if i%3 == 0 {
			err = c.Write(ctx, websocket.MessageBinary, []byte{0x01, byte(i)})
		} else {
			err = c.Write(ctx, websocket.MessageText, []byte("tick "+strconv.Itoa(i)))
		}
		if err == nil && every > 0 && i%every == 0 {
			err = c.Ping(ctx)
		}
		return err
	}, func(ctx context.Context, _ *websocket.Conn) { <-ctx.Done() })
}

func (s *Server) wsPrices(w http.ResponseWriter, r *http.Request) {
	symbol := r.URL.Query().Get("symbol")
	if symbol == "" {
		symbol = "EURUSD"
	}
	sym, _ := json.Marshal(symbol)
	s.wsTicks(w, r, 1000000, func(ctx context.Context, c *websocket.Conn, i int) error {
		bid := 1.08 + float64((i*37)%200-100)/100000
		quote := fmt.Sprintf(`{"symbol":%s,"seq":%d,"bid":%.5f,"ask":%.5f}`, sym, i, bid, bid+0.00007)
		if err := c.Write(ctx, websocket.MessageText, []byte(quote)); err != nil {
			return err
		}
		if i%10 == 0 {
			return c.Ping(ctx)
		}
		return nil
	}, func(ctx context.Context, _ *websocket.Conn) { <-ctx.Done() })
}

// wsTicks accepts a connection that only the server writes to and calls
// send for messages 1…?count= (default defCount) at ?rate= per second
// (default 10), then done unless the client went first. Control frames
// (ping, close) the client sends are still answered.
func (s *Server) wsTicks(w http.ResponseWriter, r *http.Request, defCount int,
	send func(ctx context.Context, c *websocket.Conn, i int) error, done func(ctx context.Context, c *websocket.Conn)) {
	rate := wsQueryInt(r, "rate", 10, 1, 10000)
	count := wsQueryInt(r, "count", defCount, 0, 1000000)
	c := s.wsAccept(w, r)
	if c == nil {
		return
	}
	defer c.CloseNow()
	ctx, cancel := s.wsContext(r)
	defer cancel()
	ctx = c.CloseRead(ctx)
	t := time.NewTicker(time.Second / time.Duration(rate))
	defer t.Stop()
	for i := 1; i <= count; i++ {
		select {
		case <-t.C:
		case <-ctx.Done():
			return
		}
		if err := send(ctx, c, i); err != nil {
			return
		}
	}
	done(ctx, c)
}

func (s *Server) wsSlowClose(w http.ResponseWriter, r *http.Request) {
	delay := time.Duration(wsQueryInt(r, "delay", 2000, 0, 60000)) * time.Millisecond
	c := s.wsAccept(w, r)
	if c == nil {
		return
	}
	defer c.CloseNow()
	ctx, cancel := s.wsContext(r)
	defer cancel()
	for {
		typ, data, err := c.Read(ctx) // reading a close frame answers it
		if err != nil {
			return
		}
		if err := c.Write(ctx, typ, data); err != nil {
			return
		}
		// not reading for a while: a close the client sends now is
		// answered only after the delay
		select {
		case <-time.After(delay):
		case <-ctx.Done():
			return
		}
	}
}

func wsQueryInt(r *http.Request, name string, def, min, max int) int {
	v, err := strconv.Atoi(r.URL.Query().Get(name))
	if err != nil || v < min || v > max {
		return def
	}
	return v
}
