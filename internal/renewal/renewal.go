// Package renewal carries a token renewal's note from auth.RenewingSource
// down to the pipeline, through the context given to the RenewFunc: the
// source says why it renews (the note's Cause), and the pipeline records
// which login or refresh endpoint the RenewFunc called (Kind and Op), so
// that the source can report and log "logged in" or "token refreshed".
package renewal

import (
	"context"
	"sync"

	"github.com/fangsdk/fang/observe"
)

// Note is one renewal's note.
type Note struct {
	Cause observe.Cause

	mu      sync.Mutex
	kind    observe.RenewalKind
	op      string
	errKind observe.ErrorKind
}

// Did records that the renewal called op, a login or a refresh.
func (n *Note) Did(kind observe.RenewalKind, op string) {
	n.mu.Lock()
	n.kind, n.op, n.errKind = kind, op, ""
	n.mu.Unlock()
}

// Ended records how the login or refresh recorded last ended: "" when it
// succeeded.
func (n *Note) Ended(k observe.ErrorKind) {
	n.mu.Lock()
	n.errKind = k
	n.mu.Unlock()
}

// ErrorKind is what Ended recorded last.
func (n *Note) ErrorKind() observe.ErrorKind {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.errKind
}

// Done returns the last login or refresh recorded: RenewalUnknown and ""
// when none was.
func (n *Note) Done() (observe.RenewalKind, string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.kind == "" {
		return observe.RenewalUnknown, ""
	}
	return n.kind, n.op
}

type key struct{}

// With returns ctx carrying n.
func With(ctx context.Context, n *Note) context.Context { return context.WithValue(ctx, key{}, n) }

// From returns the note ctx carries, or nil.
func From(ctx context.Context) *Note {
	n, _ := ctx.Value(key{}).(*Note)
	return n
}
