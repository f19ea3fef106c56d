package kanfangtest

import "github.com/fangsdk/fang/internal/fakeserver"

// Failure describes how the server should misbehave for a request, for
// testing a client's error handling; register it with Server.FailNext. It
// is the type propertytest.Failure is, and its fields say what the client
// sees and what the server does. Here Endpoint is a path (such as
// PathPutAnjukeBianHao), Code the envelope's state and Message its
// payload: {"state": Code, "payload": Message}. Without AfterApply the
// request is not carried out (no token is checked or issued, no number is
// stored); with AfterApply it is (a number is stored, a token issued)
// and its answer is lost.
//
// Its fields (documented in full on internal/fakeserver.Failure): Endpoint;
// what the client sees — HTTPStatus (0 means 200), Code and Message, or a
// raw Body with its ContentType, RetryAfter, Delay before answering,
// CloseConnection to drop the connection instead; and AfterApply.
type Failure = fakeserver.Failure

// FailNext makes the next n requests for f.Endpoint (any request when it
// is "") fail as f describes. Calls add up: queued Failures are used in the
// order they were registered, each request taking the oldest one that
// matches its path. A request that matches none is processed normally.
// n <= 0 does nothing.
func (s *Server) FailNext(n int, f Failure) { s.lc.Failures.Push(n, f) }

// PendingFailures returns how many registered Failures have not been used
// yet.
func (s *Server) PendingFailures() int { return s.lc.Failures.Len() }

// ClearFailures discards every registered Failure not used yet.
func (s *Server) ClearFailures() { s.lc.Failures.Clear() }
