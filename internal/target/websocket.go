package target

import (
	"context"
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
// pong; then it stays open, silent, until the client goes.

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
	rate := wsQueryInt(r, "rate", 10, 1, 10000)
	count := wsQueryInt(r, "count", 100, 0, 1000000)
	c := s.wsAccept(w, r)
	if c == nil {
		return
	}
	defer c.CloseNow()
	ctx, cancel := s.wsContext(r)
	defer cancel()
	ctx = c.CloseRead(ctx) // control frames (ping, close) are still answered
	t := time.NewTicker(time.Second / time.Duration(rate))
	defer t.Stop()
	for i := 1; i <= count; i++ {
		select {
		case <-t.C:
		case <-ctx.Done():
			return
		}
		if err := c.Write(ctx, websocket.MessageText, []byte("tick "+strconv.Itoa(i))); err != nil {
			return
		}
	}
	c.Close(websocket.StatusNormalClosure, "done")
}

func (s *Server) wsFeed(w http.ResponseWriter, r *http.Request) {
	rate := wsQueryInt(r, "rate", 10, 1, 10000)
	count := wsQueryInt(r, "count", 12, 0, 1000000)
	every := wsQueryInt(r, "ping", 4, 0, 1000000)
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
		var err error
		if i%3 == 0 {
			err = c.Write(ctx, websocket.MessageBinary, []byte{0x01, byte(i)})
		} else {
			err = c.Write(ctx, websocket.MessageText, []byte("tick "+strconv.Itoa(i)))
		}
		if err == nil && every > 0 && i%every == 0 {
			err = c.Ping(ctx)
		}
		if err != nil {
			return
		}
	}
	<-ctx.Done()
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
