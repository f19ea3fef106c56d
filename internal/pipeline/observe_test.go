package pipeline

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/internal/renewal"
	"github.com/fangsdk/fang/internal/testkit"
	"github.com/fangsdk/fang/internal/wire"
	"github.com/fangsdk/fang/observe"
)

// TestObserverSeesCalls: an observed call is started and ended once,
// however many sends its token recovery takes; a call whose renewed token
// is rejected again ends as token_rejected with the last status; a login
// or refresh made for a renewal carries its cause and is noted for the
// renewing source, with or without an observer.
func TestObserverSeesCalls(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if tok := r.Header.Get("Authorization"); tok != "" && tok != "new" && tok != "given" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		_, _ = w.Write([]byte("ok"))
	}))
	defer srv.Close()
	rec := &testkit.Recorder{}
	engine, err := wire.New(wire.Config{BaseURL: srv.URL, Retry: wire.NoRetry, Observer: rec, API: "fake"})
	if err != nil {
		t.Fatal(err)
	}
	p := New[string](engine, &renewing{}, &fakeProto{})
	ep := p.Bind(Endpoint{Op: "Get", Method: http.MethodGet, Path: "/get", Idempotent: true})
	if _, err := p.Do(context.Background(), &Request{Endpoint: ep}); err != nil {
		t.Fatal(err)
	}
	got := rec.Snapshot()
	if len(got.Calls) != 1 || len(got.Ends) != 1 || len(got.Attempts) != 2 {
		t.Fatalf("events: %s", rec.Dump())
	}
	if c := got.Calls[0]; c.Name() != "fake.Get" || c.Method != http.MethodGet || c.Path != "/get" || c.Renewal != "" || c.Start.IsZero() {
		t.Errorf("call = %+v", c)
	}
	if e := got.Ends[0]; e.Status != http.StatusOK || e.ErrorKind != "" || e.Err != nil || e.Op != "Get" {
		t.Errorf("end = %+v", e)
	}
	if got.Attempts[0].N != 1 || got.Attempts[0].Status != 401 || got.Attempts[1].N != 1 || got.Attempts[1].Status != 200 {
		t.Errorf("attempts: %+v", got.Attempts)
	}

	// Rejected again after the renewal.
	rec2 := &testkit.Recorder{}
	engine2, _ := wire.New(wire.Config{BaseURL: srv.URL, Retry: wire.NoRetry, Observer: rec2, API: "fake"})
	bad := New[string](engine2, auth.StaticToken("bad"), &fakeProto{})
	if _, err := bad.Do(context.Background(), &Request{Endpoint: bad.Bind(*ep)}); err == nil {
		t.Fatal("no error")
	}
	if ends := rec2.Snapshot().Ends; len(ends) != 1 || ends[0].ErrorKind != observe.KindTokenRejected || ends[0].Status != 401 || ends[0].Err == nil {
		t.Errorf("ends: %s", rec2.Dump())
	}

	// Logins and refreshes of a renewal.
	login := p.Bind(Endpoint{Op: "Login", Method: http.MethodPost, Path: "/login", Auth: NoToken})
	refresh := p.Bind(Endpoint{Op: "Refresh", Method: http.MethodGet, Path: "/refresh", Auth: GivenToken})
	bare, _ := wire.New(wire.Config{BaseURL: srv.URL, Retry: wire.NoRetry})
	for _, pl := range []*Pipeline[string]{p, New[string](bare, nil, &fakeProto{})} {
		for _, tt := range []struct {
			ep   *Endpoint
			kind observe.RenewalKind
		}{{login, observe.RenewalLogin}, {refresh, observe.RenewalRefresh}} {
			note := &renewal.Note{Cause: observe.CauseExpired}
			ctx := renewal.With(context.Background(), note)
			if _, err := pl.Do(ctx, &Request{Endpoint: tt.ep, Token: "given"}); err != nil {
				t.Fatal(err)
			}
			if kind, op := note.Done(); kind != tt.kind || op != tt.ep.Op || note.ErrorKind() != "" {
				t.Errorf("note after %s: %s %s %s", tt.ep.Op, kind, op, note.ErrorKind())
			}
		}
	}
	calls := rec.Snapshot().Calls
	if len(calls) != 3 || calls[1].Renewal != observe.CauseExpired || calls[2].Renewal != observe.CauseExpired {
		t.Errorf("calls: %+v", calls)
	}
}
