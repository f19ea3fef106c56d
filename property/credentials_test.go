package property

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/internal/testkit"
	"github.com/fangsdk/fang/property/propertytest"
)

func newCredClient(t *testing.T, srv *propertytest.Server, opts ...Option) *Client {
	t.Helper()
	c, err := NewClient(append([]Option{
		WithBaseURL(srv.URL), WithAppID(srv.AppID), WithSecurityCode(srv.SecurityCode),
		WithCredentials(srv.Username, srv.Password),
	}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// company returns a valid request without communities, so saves never
// conflict.
func company(i int) *SavePropertyRequest {
	return &SavePropertyRequest{Name: fmt.Sprintf("公司%d", i), Address: "地址", Tel: fmt.Sprintf("139%08d", i), Corporation: "法人", FoundingTime: "2020-01-02"}
}

func TestColdClientLogsInOnce(t *testing.T) {
	srv := propertytest.NewServer()
	defer srv.Close()
	c := newCredClient(t, srv)
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() {
			if _, err := c.SaveProperty(context.Background(), company(i)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := srv.Logins(); n != 1 {
		t.Fatalf("%d logins for 50 concurrent calls", n)
	}
	if n := len(srv.Companies()); n != 50 {
		t.Fatalf("%d companies for 50 saves", n)
	}
}

func TestRejectedSessionRenewedOnceWithoutDuplicateSave(t *testing.T) {
	srv := propertytest.NewServer()
	defer srv.Close()
	c := newCredClient(t, srv)
	if _, err := c.SaveProperty(context.Background(), company(0)); err != nil {
		t.Fatal(err)
	}
	srv.RevokeSessions()
	var wg sync.WaitGroup
	for i := range 30 {
		wg.Go(func() {
			if _, err := c.SaveProperty(context.Background(), company(i+1)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := srv.Logins(); n != 2 {
		t.Fatalf("%d logins, want the first and one renewal", n)
	}
	// Every call created exactly one company: a 401 is answered before
	// the command runs, so repeating it duplicated nothing.
	if n := len(srv.Companies()); n != 31 {
		t.Fatalf("%d companies for 31 saves", n)
	}
}

func TestShortSessionsRenewedBeforeExpiry(t *testing.T) {
	clk := testkit.NewClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	srv := propertytest.NewServer(propertytest.WithClock(clk.Now), propertytest.WithSessionLifetime(2*time.Second))
	defer srv.Close()
	c := newCredClient(t, srv, WithSessionLifetime(2*time.Second))
	c.proto.now = clk.Now
	for step := range 100 {
		if _, err := c.SaveProperty(context.Background(), company(step)); err != nil {
			t.Fatalf("at %v: %v", clk.Now(), err)
		}
		clk.Advance(100 * time.Millisecond)
	}
	// No 401 ever: each save reached the command exactly once.
	if got, want := srv.Requests(ServiceSaveProperty), 100; got != want {
		t.Fatalf("%d save requests for 100 saves (a 401 forced repeats)", got)
	}
	if n := srv.Logins(); n < 5 || n > 7 {
		t.Fatalf("%d logins over five 2 s sessions", n)
	}
}

func TestWrongCredentials(t *testing.T) {
	srv := propertytest.NewServer()
	defer srv.Close()
	c, err := NewClient(WithBaseURL(srv.URL), WithAppID(srv.AppID), WithSecurityCode(srv.SecurityCode), WithCredentials(srv.Username, "not-the-password"))
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 3; i++ {
		_, err := c.SaveProperty(context.Background(), company(i))
		if !errors.Is(err, ErrUnauthorized) || strings.Contains(err.Error(), "not-the-password") || strings.Contains(err.Error(), srv.SecurityCode) {
			t.Fatalf("err = %v", err)
		}
		// A failed login is remembered for a moment (five failures lock
		// an HC account): the calls right after it get its error at once.
		if n := srv.Requests(ServiceLogin); n != 1 {
			t.Fatalf("call %d: %d login attempts, want 1", i, n)
		}
	}
	if srv.Requests(ServiceSaveProperty) != 0 {
		t.Fatal("a save was sent without a session")
	}
}

func TestNewAdminCanLogIn(t *testing.T) {
	srv := propertytest.NewServer()
	defer srv.Close()
	c := newCredClient(t, srv)
	req := company(7)
	if _, err := c.SaveProperty(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	admin, _ := NewClient(WithBaseURL(srv.URL), WithAppID(srv.AppID), WithSecurityCode(srv.SecurityCode))
	if _, err := admin.Login(context.Background(), req.Tel, req.Tel); err != nil {
		t.Fatalf("the new company's admin cannot log in: %v", err)
	}
}

func TestFakeAcceptsTheSDKsRequests(t *testing.T) {
	srv := propertytest.NewServer()
	defer srv.Close()
	c, _ := NewClient(WithBaseURL(srv.URL), WithAppID(srv.AppID), WithSecurityCode(srv.SecurityCode), WithToken(auth.StaticToken(srv.Token)))
	req := *vectorRequest
	if _, err := c.SaveProperty(context.Background(), &req); err != nil {
		t.Fatal(err)
	}
	_, err := c.SaveProperty(context.Background(), &req)
	if !errors.Is(err, ErrCommunityAlreadySettled) {
		t.Fatalf("second save with the same community: %v", err)
	}
	// A wrong security code is caught by the fake as the real gateway does.
	bad, _ := NewClient(WithBaseURL(srv.URL), WithAppID(srv.AppID), WithSecurityCode("wrong"), WithToken(auth.StaticToken(srv.Token)))
	if _, err := bad.SaveProperty(context.Background(), company(1)); !errors.Is(err, ErrSignatureRejected) {
		t.Fatalf("wrong security code: %v", err)
	}
}

// TestWrongPasswordNeverLocksTheAccount: HC locks an account after five
// failed logins within 300 s, a window each failure restarts, and then
// refuses even the right password. A client with a wrong password, called
// every second for ten minutes, must try at most one login per 300 s, and
// every call in between gets the remembered refusal at once: the account
// is never locked by fang.
func TestWrongPasswordNeverLocksTheAccount(t *testing.T) {
	clk := testkit.NewClock(time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC))
	srv := propertytest.NewServer(propertytest.WithClock(clk.Now))
	defer srv.Close()
	c, err := NewClient(WithBaseURL(srv.URL), WithAppID(srv.AppID), WithSecurityCode(srv.SecurityCode), WithCredentials(srv.Username, "not-the-password"))
	if err != nil {
		t.Fatal(err)
	}
	c.proto.now = clk.Now
	for i := range 600 {
		_, err := c.SaveProperty(context.Background(), company(i))
		if !errors.Is(err, ErrUnauthorized) || !errors.Is(err, auth.ErrLoginRefused) {
			t.Fatalf("second %d: err = %v", i, err)
		}
		clk.Advance(time.Second)
	}
	// Logins at 0 s, 300 s (and none more within 600 s).
	if n := srv.Requests(ServiceLogin); n != 2 {
		t.Fatalf("%d login attempts in 600 s, want 2 (one per 300 s)", n)
	}
	if srv.Requests(ServiceSaveProperty) != 0 {
		t.Fatal("a save was sent without a session")
	}
	// The account is not locked: the right password still works.
	good := newCredClient(t, srv)
	if _, err := good.SaveProperty(context.Background(), company(1)); err != nil {
		t.Fatalf("the right password after 600 s of wrong ones: %v", err)
	}
}
