package propertytest

import "slices"

// A HeldSave is a property.saveProperty that timed out at the gateway and
// whose command runs later, or never: the real gateway gives up on the
// command service after its 10 s read timeout and answers
// 内部异常：…Read timed out, while the command may still be running and
// may still create the company. Server.HoldNextSave makes one.
//
// Until it lands, nothing of the save is visible: no company, no admin
// account, no settled community. When it lands the command runs as it
// would have then — with the checks of the moment, so a community settled
// meanwhile makes it fail and create nothing — and its answer is
// discarded (the client was already told the read timed out). A HeldSave
// that never lands is a save that timed out and then failed.
//
// A HeldSave is safe for concurrent use.
type HeldSave struct {
	s *Server

	// Guarded by s.mu.
	after    int   // further requests before it lands; 0: only Land
	received *call // the save, once it arrived and was held
	done     bool  // landed or dropped
	company  *Company
}

// HoldNextSave makes the next saveProperty that reaches the command (a
// request answered by a FailNext failure without AfterApply does not)
// time out at the gateway: the client gets HTTP 200 {"code":404,
// "msg":"内部异常：…Read timed out…"}, the answer of ReadTimeout, but the
// command has not run yet. It lands — runs — when the server has received
// after further requests (of any service, counted as they arrive, as
// Requests counts them: it lands just before the after-th is processed,
// so that request already sees the company), or when Land is called,
// whichever comes first. after <= 0 means only when Land is called: a
// save that is never landed never happens. Calls queue up: each save
// takes the oldest HeldSave not yet taken.
func (s *Server) HoldNextSave(after int) *HeldSave {
	h := &HeldSave{s: s, after: max(after, 0)}
	s.mu.Lock()
	s.held = append(s.held, h)
	s.mu.Unlock()
	return h
}

// Received reports whether the save arrived and was held.
func (h *HeldSave) Received() bool {
	h.s.mu.Lock()
	defer h.s.mu.Unlock()
	return h.received != nil
}

// TransactionID returns the transaction-id of the held save, "" until it
// arrives.
func (h *HeldSave) TransactionID() string {
	h.s.mu.Lock()
	defer h.s.mu.Unlock()
	if h.received == nil {
		return ""
	}
	return h.received.txid
}

// Landed returns the company the save created when it landed, and false
// while it has not landed, when it was dropped, or when its command failed.
func (h *HeldSave) Landed() (Company, bool) {
	h.s.mu.Lock()
	defer h.s.mu.Unlock()
	if h.company == nil {
		return Company{}, false
	}
	return *h.company, true
}

// Land runs the held command now, if the save has arrived and has neither
// landed nor been dropped, and returns the company it created; false when
// there was nothing to run or the command failed (it then creates
// nothing, as the real command's rollback leaves nothing).
func (h *HeldSave) Land() (Company, bool) {
	if !h.s.land(h) {
		return Company{}, false
	}
	return h.Landed()
}

// Drop makes the save never land: its command failed after the gateway
// gave up. A HeldSave dropped before its save arrives still holds it.
func (h *HeldSave) Drop() {
	h.s.mu.Lock()
	defer h.s.mu.Unlock()
	h.done = true
	h.s.landing = slices.DeleteFunc(h.s.landing, func(p *HeldSave) bool { return p == h })
}

// holdSave is the hook of saveProperty: when a HeldSave is queued, the
// save is kept for later and the answer is the gateway's read timeout.
func (s *Server) holdSave(c *call) (response, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.held) == 0 {
		return response{}, false
	}
	h := s.held[0]
	s.held = s.held[1:]
	h.received = c
	if !h.done {
		s.landing = append(s.landing, h)
	}
	return resultError(readTimeoutMsg(ServiceSaveProperty)), true
}

// landDue counts one more request received and lands the held saves whose
// count has run out, oldest first. The gateway calls it for every request
// as it arrives.
func (s *Server) landDue() {
	s.mu.Lock()
	var due []*HeldSave
	for _, h := range s.landing {
		if h.after > 0 {
			if h.after--; h.after == 0 {
				due = append(due, h) // land takes it off the list
			}
		}
	}
	s.mu.Unlock()
	for _, h := range due {
		s.land(h)
	}
}

// land runs h's command, if its save arrived and it has neither landed
// nor been dropped, and reports whether it did.
func (s *Server) land(h *HeldSave) bool {
	s.mu.Lock()
	run := h.received != nil && !h.done
	if run {
		h.done = true
		s.landing = slices.DeleteFunc(s.landing, func(p *HeldSave) bool { return p == h })
	}
	s.mu.Unlock()
	if !run {
		return false
	}
	s.save(h.received)            // its answer goes nowhere
	created := h.received.created // its own, not an earlier save's with the same transaction-id
	s.mu.Lock()
	h.company = created
	s.mu.Unlock()
	return true
}
