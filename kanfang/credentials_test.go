package kanfang

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/internal/testkit"
	"github.com/fangsdk/fang/kanfang/kanfangtest"
)

func newCredClient(t *testing.T, srv *kanfangtest.Server, clk *testkit.Clock, opts ...Option) *Client {
	t.Helper()
	c, err := NewClient(append([]Option{WithBaseURL(srv.URL), WithCredentials(srv.AuthKey, srv.AuthValue), WithoutRetry()}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	if clk != nil {
		c.proto.now = clk.Now
	}
	return c
}

func put(c *Client, i int) error {
	_, err := c.PutAnjukeBianHao(context.Background(), &PutAnjukeBianHaoRequest{PackageID: "pkg", AnjukeBianHao: strings.Repeat("1", i%5+1)})
	return err
}

func TestColdClientLogsInOnce(t *testing.T) {
	srv := kanfangtest.NewServer()
	defer srv.Close()
	c := newCredClient(t, srv, nil)
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() {
			if err := put(c, i); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := srv.Logins(); n != 1 {
		t.Fatalf("%d logins for 50 concurrent calls on a cold client", n)
	}
}

func TestRevokedTokenRenewedOnceAndCallRepeated(t *testing.T) {
	srv := kanfangtest.NewServer()
	defer srv.Close()
	c := newCredClient(t, srv, nil)
	if err := put(c, 0); err != nil {
		t.Fatal(err)
	}
	srv.RevokeTokens()
	before := srv.Requests(kanfangtest.PathPutAnjukeBianHao)
	var wg sync.WaitGroup
	for i := range 30 {
		wg.Go(func() {
			if err := put(c, i); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if r, l := srv.Refreshes(), srv.Logins(); r != 1 || l != 1 {
		t.Fatalf("after revocation: %d refreshes and %d logins, want 1 refresh and the first login", r, l)
	}
	// Each call was answered 401 at most once, then repeated once.
	if n := srv.Requests(kanfangtest.PathPutAnjukeBianHao) - before; n < 30 || n > 60 {
		t.Fatalf("%d put requests for 30 calls", n)
	}
}

func TestRefreshFailureFallsBackToLogin(t *testing.T) {
	srv := kanfangtest.NewServer()
	defer srv.Close()
	c := newCredClient(t, srv, nil)
	if err := put(c, 0); err != nil {
		t.Fatal(err)
	}
	srv.RevokeTokens()
	srv.RevokeRefreshTokens()
	if err := put(c, 1); err != nil {
		t.Fatal(err)
	}
	if r, l := srv.Refreshes(), srv.Logins(); r != 1 || l != 2 {
		t.Fatalf("%d refreshes (4011) and %d logins, want 1 and 2", r, l)
	}
}

func TestShortLivedTokensRenewedBeforeExpiry(t *testing.T) {
	clk := testkit.NewClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	srv := kanfangtest.NewServer(kanfangtest.WithClock(clk.Now), kanfangtest.WithTokenLifetime(2*time.Second))
	defer srv.Close()
	c := newCredClient(t, srv, clk)
	for step := range 100 { // 10 s in 100 ms steps: five lifetimes
		if err := put(c, step); err != nil {
			t.Fatalf("at %v: %v", clk.Now(), err)
		}
		clk.Advance(100 * time.Millisecond)
	}
	for _, r := range srv.RequestLog() {
		if r.State == 401 {
			t.Fatalf("an expired or invalid token was sent: %+v", r)
		}
	}
	if renewals := srv.Logins() + srv.Refreshes(); renewals < 5 || renewals > 7 {
		t.Fatalf("%d logins+refreshes over five 2 s lifetimes", renewals)
	}
}

func TestWrongCredentialsFailFastWithoutLoop(t *testing.T) {
	srv := kanfangtest.NewServer()
	defer srv.Close()
	c, err := NewClient(WithBaseURL(srv.URL), WithCredentials(srv.AuthKey, "wrong-secret-value"))
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 3; i++ {
		err := put(c, i)
		if !errors.Is(err, ErrUnauthorized) {
			t.Fatalf("err = %v, want ErrUnauthorized", err)
		}
		if strings.Contains(err.Error(), "wrong-secret-value") {
			t.Fatalf("password in error: %v", err)
		}
		// A failed login is remembered for a moment: the calls right
		// after it get its error without logging in again.
		if n := srv.Logins(); n != 1 {
			t.Fatalf("call %d: %d login attempts, want 1", i, n)
		}
	}
	if n := srv.Requests(kanfangtest.PathPutAnjukeBianHao); n != 0 {
		t.Fatalf("%d puts sent without a token", n)
	}
}

func TestStaticTokenRejectedIsNotRetried(t *testing.T) {
	srv := kanfangtest.NewServer()
	defer srv.Close()
	c, _ := NewClient(WithBaseURL(srv.URL), WithToken(auth.StaticToken("not-a-token")))
	if err := put(c, 0); !errors.Is(err, ErrUnauthorized) {
		t.Fatal(err)
	}
	if n := srv.Requests(kanfangtest.PathPutAnjukeBianHao); n != 1 {
		t.Fatalf("%d attempts with a static token", n)
	}
}

func TestSharedStoreAcrossClients(t *testing.T) {
	srv := kanfangtest.NewServer()
	defer srv.Close()
	store := auth.NewMemoryStore()
	clients := make([]*Client, 4)
	for i := range clients {
		clients[i] = newCredClient(t, srv, nil, WithTokenStore(store))
	}
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Go(func() {
			if err := put(clients[i%4], i); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := srv.Logins(); n != 1 {
		t.Fatalf("%d logins across 4 clients sharing a store", n)
	}
	// Another account on the same server does not reuse that token.
	other := kanfangtest.NewServer(kanfangtest.WithCredentials("someone-else", "pw-2"))
	defer other.Close()
	c := newCredClient(t, other, nil, WithTokenStore(store))
	if err := put(c, 0); err != nil {
		t.Fatal(err)
	}
	if other.Logins() != 1 {
		t.Fatal("a different account reused another's token")
	}
}

func TestGetAccessTokenAndRefreshTokenWire(t *testing.T) {
	srv := kanfangtest.NewServer(kanfangtest.WithTokenLifetime(time.Hour), kanfangtest.WithRefreshTokenLifetime(24*time.Hour))
	defer srv.Close()
	c := newCredClient(t, srv, nil)
	now := time.Unix(1700000000, 0)
	c.proto.now = func() time.Time { return now }
	tok, err := c.GetAccessToken(context.Background(), srv.AuthKey, srv.AuthValue)
	if err != nil {
		t.Fatal(err)
	}
	if tok.Value == "" || !tok.Expiry.Equal(now.Add(time.Hour)) || !tok.RefreshExpiry.Equal(now.Add(24*time.Hour)) {
		t.Fatalf("token %v", tok)
	}
	login := srv.RequestLog()[0]
	if login.Method != http.MethodGet || login.Query.Get("clientEdtion") != "ps_1.0.0" || login.Query.Get("authKey") != srv.AuthKey {
		t.Fatalf("login request %+v", login)
	}
	for _, p := range []auth.Placement{auth.InHeader, auth.InCookie, auth.InQuery, auth.InForm} {
		c.proto.placement = p
		next, err := c.RefreshToken(context.Background(), tok.RefreshToken)
		if err != nil {
			t.Fatalf("%v: %v", p, err)
		}
		log := srv.RequestLog()
		want := kanfangtest.Placement(p.String())
		if p == auth.InForm {
			want = kanfangtest.PlacementQuery // a GET has no form body
		}
		if got := log[len(log)-1].TokenPlacement; got != want {
			t.Errorf("%v: refresh token travelled in %q", p, got)
		}
		tok = next
	}
	if _, err := c.RefreshToken(context.Background(), "bogus"); !errors.Is(err, ErrRefreshFailed) {
		t.Fatalf("bogus refresh: %v", err)
	}
}
