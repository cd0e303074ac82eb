package smtpwire

// replyCacheSize bounds the distinct replies a client keeps. Servers
// repeat a handful of positive one-line replies ("250 2.1.0 Ok",
// "354 End data with <CR><LF>.<CR><LF>") message after message; a reply
// with a queue ID in it is new each time and is simply not kept once the
// cache is full.
const (
	replyCacheSize = 32
	replyCacheLine = 128 // longest line kept, in octets
)

// replyCache maps the raw line of a positive one-line reply to its parsed
// Reply, so that a stream of messages does not allocate one Reply per
// command. Replies are never modified after parsing, so sharing one is
// safe.
type replyCache map[string]*Reply

// readCached returns the next reply from the cache when it is a one-line
// positive reply seen before. It consumes nothing otherwise. With a trace
// hook it does nothing, since the trace needs a string per line anyway.
func (c *Client) readCached() (*Reply, bool) {
	if c.cfg.Trace != nil || c.replies == nil {
		return nil, false
	}
	b, err := c.br.Peek(1)
	if err != nil || len(b) == 0 || (b[0] != '2' && b[0] != '3') {
		return nil, false
	}
	// Peek what is already buffered: a cached reply must be whole there.
	n := c.br.Buffered()
	if n > replyCacheLine+2 {
		n = replyCacheLine + 2
	}
	buf, _ := c.br.Peek(n)
	end := -1
	for i, ch := range buf {
		if ch == '\n' {
			end = i
			break
		}
	}
	if end < 4 || buf[end-1] != '\r' {
		return nil, false
	}
	r, ok := c.replies[string(buf[:end-1])] // no allocation for a map lookup
	if !ok {
		return nil, false
	}
	c.br.Discard(end + 1)
	return r, true
}

// remember keeps r for readCached when it qualifies.
func (c *Client) remember(r *Reply) {
	if len(r.Raw) != 1 || !r.Positive() || len(r.Raw[0]) > replyCacheLine || r.Code == CodeAuthChallenge {
		return
	}
	if c.replies == nil {
		c.replies = make(replyCache, replyCacheSize)
	}
	if len(c.replies) < replyCacheSize {
		c.replies[r.Raw[0]] = r
	}
}
