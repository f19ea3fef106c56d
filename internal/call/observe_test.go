package call

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/internal/renewal"
	"github.com/fangsdk/fang/internal/testkit"
	"github.com/fangsdk/fang/observe"
)

// TestObserverSeesCalls: an observed call is started and ended once,
// however many sends its token recovery takes; a call whose renewed token
// is rejected again ends as token_rejected with the last status; a login
// or refresh made for a renewal carries its cause and is noted for the
// renewing source, with or without an observer.
func TestObserverSeesCalls(t *testing.T) {
	rec := &testkit.Recorder{}
	fx := newFixture(t, &renewing{}, rec)
	if _, err := fx.caller.Do(context.Background(), &Request{Spec: &getSpec}); err != nil {
		t.Fatal(err)
	}
	got := rec.Snapshot()
	if len(got.Calls) != 1 || len(got.Ends) != 1 || len(got.Attempts) != 2 {
		t.Fatalf("events: %s", rec.Dump())
	}
	if c := got.Calls[0]; c.Name() != "fake.Get" || c.Method != http.MethodGet || c.Path != "/get" || c.Renewal != "" || c.Start.IsZero() {
		t.Errorf("call = %+v", c)
	}
	if e := got.Ends[0]; e.Status != http.StatusOK || e.ErrorKind != "" || e.Err != nil || e.Op != "Get" || e.TransactionID != "tx-2" || e.Duration <= 0 {
		t.Errorf("end = %+v", e)
	}
	if got.Attempts[0].N != 1 || got.Attempts[0].Status != 401 || got.Attempts[1].N != 1 || got.Attempts[1].Status != 200 {
		t.Errorf("attempts: %+v", got.Attempts)
	}

	// Rejected again after the renewal.
	rec2 := &testkit.Recorder{}
	bad := newFixtureOn(t, fx.srv, &renewing{next: "still-bad-token"}, rec2)
	_, err := bad.caller.Do(context.Background(), &Request{Spec: &getSpec})
	if err == nil {
		t.Fatal("no error")
	}
	if ends := rec2.Snapshot().Ends; len(ends) != 1 || ends[0].ErrorKind != observe.KindTokenRejected || ends[0].Status != 401 ||
		ends[0].Err != err || ends[0].TransactionID != "tx-2" { //nolint:errorlint // the very error Do returned
		t.Errorf("ends: %s", rec2.Dump())
	}

	// Logins and refreshes of a renewal.
	bare := newFixtureOn(t, fx.srv, nil, nil)
	for _, c := range []*Caller{fx.caller, bare.caller} {
		for _, tt := range []struct {
			spec *Spec
			kind observe.RenewalKind
		}{{&loginSpec, observe.RenewalLogin}, {&refreshSpec, observe.RenewalRefresh}} {
			note := &renewal.Note{Cause: observe.CauseExpired}
			ctx := renewal.With(context.Background(), note)
			if _, err := c.Do(ctx, &Request{Spec: tt.spec, Token: tokGiven}); err != nil {
				t.Fatal(err)
			}
			if kind, op := note.Done(); kind != tt.kind || op != tt.spec.Op || note.ErrorKind() != "" {
				t.Errorf("note after %s: %s %s %s", tt.spec.Op, kind, op, note.ErrorKind())
			}
		}
	}
	calls := rec.Snapshot().Calls
	if len(calls) != 3 || calls[1].Renewal != observe.CauseExpired || calls[2].Renewal != observe.CauseExpired {
		t.Errorf("calls: %+v", calls)
	}
}

// TestObserverErrorKinds: the end of a failed call says what kind of
// failure it was, and so does the note of a failed login or refresh made
// for a renewal.
func TestObserverErrorKinds(t *testing.T) {
	srv := newFakeServer(t)
	wrapped := func(sentinel error) auth.TokenSource {
		return failing{fmt.Errorf("the source: %w", sentinel)}
	}
	closed := newFakeServer(t)
	closed.Close()
	for _, tt := range []struct {
		name   string
		srv    *fakeServer
		src    auth.TokenSource
		spec   *Spec
		kind   observe.ErrorKind
		status int
	}{
		{"token rejected", srv, auth.StaticToken(tokOld), &getSpec, observe.KindTokenRejected, 401},
		{"API error", srv, &renewing{first: tokNew}, &failSpec, observe.KindAPIError, 500},
		{"login refused", srv, wrapped(auth.ErrLoginRefused), &getSpec, observe.KindLoginRefused, 0},
		{"store unavailable", srv, wrapped(auth.ErrStoreUnavailable), &getSpec, observe.KindStoreUnavailable, 0},
		{"no tokens", srv, nil, &getSpec, observe.KindOther, 0},
		{"no response", closed, &renewing{}, &getSpec, observe.KindNoResponse, 0},
		{"redirect", srv, &renewing{first: tokNew}, &Spec{Op: "Moved", Method: http.MethodGet, Path: "/redirect"}, observe.KindRedirect, 302},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := &testkit.Recorder{}
			fx := newFixtureOn(t, tt.srv, tt.src, rec)
			_, err := fx.caller.Do(context.Background(), &Request{Spec: tt.spec})
			if err == nil {
				t.Fatal("no error")
			}
			ends := rec.Snapshot().Ends
			if len(ends) != 1 || ends[0].ErrorKind != tt.kind || ends[0].Status != tt.status || !errors.Is(ends[0].Err, err) {
				t.Errorf("ends: %s", rec.Dump())
			}
		})
	}

	// A login made for a renewal that fails: the note says how.
	note := &renewal.Note{Cause: observe.CauseRejected}
	fx := newFixtureOn(t, srv, nil, nil)
	_, err := fx.caller.Do(renewal.With(context.Background(), note), &Request{Spec: &Spec{Op: "Login", Method: http.MethodPost, Path: "/fail", Auth: NoToken}})
	if err == nil || note.ErrorKind() != observe.KindAPIError {
		t.Errorf("err %v, note's kind %q", err, note.ErrorKind())
	}
}

// TestFromSourceIgnoresNote: a call that takes its token from the source
// is not the login or refresh of a renewal, even under a renewal's
// context: the note is left alone and the call carries no cause.
func TestFromSourceIgnoresNote(t *testing.T) {
	rec := &testkit.Recorder{}
	fx := newFixture(t, &renewing{first: tokNew}, rec)
	note := &renewal.Note{Cause: observe.CauseExpired}
	if _, err := fx.caller.Do(renewal.With(context.Background(), note), &Request{Spec: &getSpec}); err != nil {
		t.Fatal(err)
	}
	if kind, op := note.Done(); kind != observe.RenewalUnknown || op != "" {
		t.Errorf("note: %s %s", kind, op)
	}
	if calls := rec.Snapshot().Calls; len(calls) != 1 || calls[0].Renewal != "" {
		t.Errorf("calls: %+v", calls)
	}
}
