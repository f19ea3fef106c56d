package property

import (
	"context"
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/internal/testkit"
)

// maxLengthServer answers every request with testkit.MaxLengthAnswer and
// counts the saves it received.
func maxLengthServer(t *testing.T) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var saves atomic.Int64
	answer := testkit.MaxLengthAnswer(`{"code":0`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/"+ServiceSaveProperty) {
			saves.Add(1)
		}
		answer(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &saves
}

// TestAnnouncedMaxInt64BodyProperty: WithMaxResponseBytes(math.MaxInt64)
// and an answer announcing math.MaxInt64 bytes. The save reached the
// server and its answer could not be read: ErrOutcomeUnknown, not a panic.
// Login fails too.
func TestAnnouncedMaxInt64BodyProperty(t *testing.T) {
	srv, saves := maxLengthServer(t)
	c, err := NewClient(WithBaseURL(srv.URL), WithAppID("app"), WithToken(auth.StaticToken("tok")), WithMaxResponseBytes(math.MaxInt64))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	save := &SavePropertyRequest{Name: "n", Address: "a", Tel: "13900000000", Corporation: "c", FoundingTime: "2022-09-01"}
	if _, err := c.SaveProperty(ctx, save); !errors.Is(err, ErrOutcomeUnknown) {
		t.Errorf("SaveProperty: err = %v, want one matching ErrOutcomeUnknown", err)
	}
	if got := saves.Load(); got != 1 {
		t.Errorf("the server received %d saves, want 1 (never repeated)", got)
	}
	if _, err := c.Login(ctx, "user", "password"); err == nil {
		t.Error("Login: no error")
	}
}
