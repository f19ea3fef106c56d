package testkit

import (
	"context"
	"fmt"
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

// CallStart records c and returns ctx.
func (r *Recorder) CallStart(ctx context.Context, c observe.Call) context.Context {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Calls = append(r.Calls, c)
	return ctx
}

// CallEnd records c.
func (r *Recorder) CallEnd(_ context.Context, c observe.CallEnd) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Ends = append(r.Ends, c)
}

// Attempt records a.
func (r *Recorder) Attempt(_ context.Context, a observe.Attempt) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Attempts = append(r.Attempts, a)
}

// Retry records rt.
func (r *Recorder) Retry(_ context.Context, rt observe.Retry) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Retries = append(r.Retries, rt)
}

// Renewal records rn.
func (r *Recorder) Renewal(_ context.Context, rn observe.Renewal) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Renewals = append(r.Renewals, rn)
}

// StoreError records e.
func (r *Recorder) StoreError(_ context.Context, e observe.StoreError) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Stores = append(r.Stores, e)
}

// Snapshot returns a copy of what was recorded so far.
func (r *Recorder) Snapshot() *Recorder {
	r.mu.Lock()
	defer r.mu.Unlock()
	return &Recorder{
		Calls: append([]observe.Call(nil), r.Calls...), Ends: append([]observe.CallEnd(nil), r.Ends...),
		Attempts: append([]observe.Attempt(nil), r.Attempts...), Retries: append([]observe.Retry(nil), r.Retries...),
		Renewals: append([]observe.Renewal(nil), r.Renewals...), Stores: append([]observe.StoreError(nil), r.Stores...),
	}
}

// Dump is every recorded event with all its fields (%+v, errors as their
// messages), one per line: what a test searches for secrets.
func (r *Recorder) Dump() string {
	s := r.Snapshot()
	out := ""
	add := func(v any) { out += fmt.Sprintf("%+v\n", v) }
	for _, v := range s.Calls {
		add(v)
	}
	for _, v := range s.Ends {
		add(v)
	}
	for _, v := range s.Attempts {
		add(v)
	}
	for _, v := range s.Retries {
		add(v)
	}
	for _, v := range s.Renewals {
		add(v)
	}
	for _, v := range s.Stores {
		add(v)
	}
	return out
}
