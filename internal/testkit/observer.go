package testkit

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/fangsdk/fang/observe"
)

// Recorder is an observe.Observer that keeps every event. It is safe for
// concurrent use.
type Recorder struct {
	mu       sync.Mutex
	Calls    []observe.Call
	Ends     []observe.CallEnd
	Attempts []observe.Attempt
	Retries  []observe.Retry
	Renewals []observe.Renewal
	Stores   []observe.StoreError
}

// record appends event to events under r's lock.
func record[E any](r *Recorder, events *[]E, event E) {
	r.mu.Lock()
	defer r.mu.Unlock()
	*events = append(*events, event)
}

// CallStart records c and returns ctx.
func (r *Recorder) CallStart(ctx context.Context, c observe.Call) context.Context {
	record(r, &r.Calls, c)
	return ctx
}

// CallEnd records c.
func (r *Recorder) CallEnd(_ context.Context, c observe.CallEnd) { record(r, &r.Ends, c) }

// Attempt records a.
func (r *Recorder) Attempt(_ context.Context, a observe.Attempt) { record(r, &r.Attempts, a) }

// Retry records rt.
func (r *Recorder) Retry(_ context.Context, rt observe.Retry) { record(r, &r.Retries, rt) }

// Renewal records rn.
func (r *Recorder) Renewal(_ context.Context, rn observe.Renewal) { record(r, &r.Renewals, rn) }

// StoreError records e.
func (r *Recorder) StoreError(_ context.Context, e observe.StoreError) { record(r, &r.Stores, e) }

// Snapshot returns a copy of what was recorded so far.
func (r *Recorder) Snapshot() *Recorder {
	r.mu.Lock()
	defer r.mu.Unlock()
	return &Recorder{
		Calls: slices.Clone(r.Calls), Ends: slices.Clone(r.Ends), Attempts: slices.Clone(r.Attempts),
		Retries: slices.Clone(r.Retries), Renewals: slices.Clone(r.Renewals), Stores: slices.Clone(r.Stores),
	}
}

// Dump is every recorded event with all its fields (%+v, errors as their
// messages), one line per kind: what a test searches for secrets.
func (r *Recorder) Dump() string {
	s := r.Snapshot()
	return fmt.Sprintf("calls %+v\nends %+v\nattempts %+v\nretries %+v\nrenewals %+v\nstore errors %+v\n",
		s.Calls, s.Ends, s.Attempts, s.Retries, s.Renewals, s.Stores)
}
