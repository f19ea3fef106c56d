package auth

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/fangsdk/fang/internal/renewal"
	"github.com/fangsdk/fang/internal/testkit"
	"github.com/fangsdk/fang/observe"
)

// TestObserverSeesRenewalCauses: each renewal is reported once, with why
// it was made: no token yet, the token due for renewal, expired, rejected
// by the server, and the store down (which wins over the need).
func TestObserverSeesRenewalCauses(t *testing.T) {
	clk := testkit.NewClock(time.Unix(0, 0))
	iss := &issuer{clk: clk, lifetime: 10 * time.Second}
	fs := newFaultStore(clk)
	rec := &testkit.Recorder{}
	s := NewRenewingSource(RenewingConfig{Key: "k", Store: fs, Renew: iss.renew, Now: clk.Now, Observer: rec})
	defer s.Close()
	noJitter(s)
	ctx := context.Background()

	if _, err := s.Token(ctx); err != nil { // cold start
		t.Fatal(err)
	}
	clk.Advance(9500 * time.Millisecond) // due, still valid
	if _, err := s.Token(ctx); err != nil {
		t.Fatal(err)
	}
	s.settle()
	clk.Advance(time.Minute) // expired
	tok, err := s.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if tok, err = s.Renew(ctx, tok); err != nil { // rejected
		t.Fatal(err)
	}
	fs.down.Store(true)
	if _, err = s.Renew(ctx, tok); err != nil { // rejected, store down
		t.Fatal(err)
	}

	got := rec.Snapshot()
	want := []observe.Cause{observe.CauseColdStart, observe.CauseAheadOfExpiry, observe.CauseExpired, observe.CauseRejected, observe.CauseStoreDown}
	if len(got.Renewals) != len(want) || int(iss.calls.Load()) != len(want) {
		t.Fatalf("%d renewals reported, %d made, want %d: %s", len(got.Renewals), iss.calls.Load(), len(want), rec.Dump())
	}
	for i, r := range got.Renewals {
		if r.Cause != want[i] || r.Kind != observe.RenewalUnknown || r.Err != nil || r.ErrorKind != "" || r.Start.IsZero() {
			t.Errorf("renewal %d = %+v, want cause %s", i, r, want[i])
		}
	}
	// The store failed once (its Load); the failure is remembered, so
	// nothing else was tried.
	if len(got.Stores) != 1 {
		t.Fatalf("store errors: %+v", got.Stores)
	}
	if se := got.Stores[0]; se.Op != "Load" || se.ErrorKind != observe.KindStoreUnavailable || !errors.Is(se.Err, ErrStoreUnavailable) {
		t.Errorf("store error = %+v, want Load, store_unavailable, matching ErrStoreUnavailable", se)
	}
	if dump := rec.Dump(); strings.Contains(dump, "tok-") {
		t.Errorf("a token in the events:\n%s", dump)
	}
}

// TestObserverSeesStoreErrorKinds: a store that does not answer in time,
// one that panics and a corrupt stored token are reported with their kind
// and an error matching ErrStoreUnavailable (ErrCorruptToken).
func TestObserverSeesStoreErrorKinds(t *testing.T) {
	clk := testkit.NewClock(time.Unix(0, 0))
	for _, tt := range []struct {
		name  string
		store func(t *testing.T) Store
		want  observe.StoreError
		is    error
	}{
		{"timeout", func(t *testing.T) Store {
			h := hangStore{Store: NewMemoryStore(), release: make(chan struct{})}
			t.Cleanup(func() { close(h.release) })
			return h
		}, observe.StoreError{Op: "Load", ErrorKind: observe.KindTimeout}, ErrStoreUnavailable},
		{"panic", func(*testing.T) Store { f := newFaultStore(clk); f.panicOn = "Save"; return f },
			observe.StoreError{Op: "Save", ErrorKind: observe.KindPanic}, ErrStoreUnavailable},
		{"corrupt", func(*testing.T) Store { return unreadableStore{NewMemoryStore()} },
			observe.StoreError{Op: "Load", ErrorKind: observe.KindCorruptToken}, ErrCorruptToken},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := &testkit.Recorder{}
			iss := &issuer{clk: clk, lifetime: time.Hour}
			s := NewRenewingSource(RenewingConfig{Key: "k", Store: tt.store(t), Renew: iss.renew, Now: clk.Now, Observer: rec,
				StoreTimeout: 10 * time.Millisecond})
			defer s.Close()
			noJitter(s)
			if _, err := s.Token(context.Background()); err != nil {
				t.Fatal(err)
			}
			got := rec.Snapshot().Stores
			if len(got) == 0 {
				t.Fatal("no store error reported")
			}
			se := got[0]
			if se.Op != tt.want.Op || se.ErrorKind != tt.want.ErrorKind || !errors.Is(se.Err, tt.is) {
				t.Errorf("store error = %+v, want %+v matching %v", se, tt.want, tt.is)
			}
			if strings.Contains(rec.Dump(), panicSecret) {
				t.Errorf("the panic's value in the events: %s", rec.Dump())
			}
		})
	}
}

// unreadableStore's Load finds a value it cannot read.
type unreadableStore struct{ Store }

func (unreadableStore) Load(context.Context, string) (*Token, error) {
	return nil, ErrCorruptToken
}

// TestRenewalLoggedAndKindReported: a RenewFunc that logs in through a
// fang client's pipeline (which notes it in the context) is reported as a
// login with its op, and logged once at Info as "fang: logged in" with op
// and cause; a refused one as a failed login with its kind.
func TestRenewalLoggedAndKindReported(t *testing.T) {
	clk := testkit.NewClock(time.Unix(0, 0))
	var logs bytes.Buffer
	rec := &testkit.Recorder{}
	refuse := false
	n := 0
	renew := func(ctx context.Context, last *Token) (*Token, error) {
		note := renewal.From(ctx)
		if note == nil {
			t.Fatal("no renewal note in the RenewFunc's context")
		}
		if last != nil && !refuse {
			note.Did(observe.RenewalRefresh, "RefreshToken")
		} else {
			note.Did(observe.RenewalLogin, "GetAccessToken")
		}
		if refuse {
			return nil, errors.Join(ErrLoginRefused, errors.New("kanfang: GetAccessToken: state 401: wrong authValue"))
		}
		n++
		return &Token{Value: "tok-secret-" + string(rune('a'+n)), Expiry: clk.Now().Add(time.Hour)}, nil
	}
	s := NewRenewingSource(RenewingConfig{Key: "fang:kanfang:http://x:key", Renew: renew, Now: clk.Now, Observer: rec,
		Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))})
	defer s.Close()
	tok, err := s.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if tok, err = s.Renew(context.Background(), tok); err != nil {
		t.Fatal(err)
	}
	refuse = true
	if _, err = s.Renew(context.Background(), tok); !errors.Is(err, ErrLoginRefused) {
		t.Fatalf("err = %v", err)
	}
	got := rec.Snapshot().Renewals
	if len(got) != 3 {
		t.Fatalf("renewals: %s", rec.Dump())
	}
	for i, want := range []observe.Renewal{
		{Kind: observe.RenewalLogin, Op: "GetAccessToken", Cause: observe.CauseColdStart},
		{Kind: observe.RenewalRefresh, Op: "RefreshToken", Cause: observe.CauseRejected},
		{Kind: observe.RenewalLogin, Op: "GetAccessToken", Cause: observe.CauseRejected, ErrorKind: observe.KindLoginRefused},
	} {
		r := got[i]
		if r.Kind != want.Kind || r.Op != want.Op || r.Cause != want.Cause || r.ErrorKind != want.ErrorKind || (r.Err != nil) != (want.ErrorKind != "") {
			t.Errorf("renewal %d = %+v, want %+v", i, r, want)
		}
	}
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("log lines:\n%s", logs.String())
	}
	for i, want := range []string{
		`level=INFO msg="fang: logged in" key=fang:kanfang:http://x:key op=GetAccessToken cause=cold_start`,
		`level=INFO msg="fang: token refreshed" key=fang:kanfang:http://x:key op=RefreshToken cause=rejected`,
		`level=WARN msg="fang: login failed" key=fang:kanfang:http://x:key op=GetAccessToken cause=rejected`,
	} {
		if !strings.Contains(lines[i], want) {
			t.Errorf("log line %d = %s\nwant it to contain %s", i, lines[i], want)
		}
	}
	if strings.Contains(logs.String(), "tok-secret") || strings.Contains(rec.Dump(), "tok-secret") {
		t.Errorf("a token in the logs or events:\n%s\n%s", logs.String(), rec.Dump())
	}
}

// TestNoNoteWithoutObserverOrLogger: with neither, the RenewFunc's context
// is left as it is (nothing to report, nothing allocated for it).
func TestNoNoteWithoutObserverOrLogger(t *testing.T) {
	s := NewRenewingSource(RenewingConfig{Key: "k", Renew: func(ctx context.Context, _ *Token) (*Token, error) {
		if renewal.From(ctx) != nil {
			t.Error("a renewal note without an observer or logger")
		}
		return &Token{Value: "v"}, nil
	}})
	defer s.Close()
	if _, err := s.Token(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// TestRenewPanicReported: a RenewFunc that panics is reported as a failed
// renewal of kind panic, and the callers get an error as before.
func TestRenewPanicReported(t *testing.T) {
	rec := &testkit.Recorder{}
	s := NewRenewingSource(RenewingConfig{Key: "k", Observer: rec, Renew: func(context.Context, *Token) (*Token, error) {
		panic(secretPanic{panicSecret})
	}})
	defer s.Close()
	if _, err := s.Token(context.Background()); err == nil {
		t.Fatal("no error")
	}
	got := rec.Snapshot().Renewals
	if len(got) != 1 || got[0].ErrorKind != observe.KindPanic || got[0].Cause != observe.CauseColdStart {
		t.Fatalf("renewals: %s", rec.Dump())
	}
	if strings.Contains(rec.Dump(), panicSecret) {
		t.Errorf("the panic's value in the events: %s", rec.Dump())
	}
}
