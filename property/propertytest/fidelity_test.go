package propertytest

// Tests of the fake's fidelity to the real server: each names the java110
// MicroCommunity source (the 2025 line, commit 45102fc) it follows.

import (
	"net/http"
	"strings"
	"testing"
)

// TestListMenuGroupsRequiresPageAndRow: ListMenuGroupsCmd.validate calls
// validatePageInfo (service-dev/src/main/java/com/java110/dev/cmd/menuGroup/
// ListMenuGroupsCmd.java:30; Cmd.java:26-29), so a call without page or row
// is refused, not answered with every group.
func TestListMenuGroupsRequiresPageAndRow(t *testing.T) {
	s := NewServer()
	defer s.Close()
	wantResultError(t, signedGet(t, s, ServiceListMenuGroups, s.Token), "请求中未包含page信息")
	wantResultError(t, signedGet(t, s, ServiceListMenuGroups, s.Token, [2]string{"storeType", storeTypeProperty}), "请求中未包含page信息")
	wantResultError(t, signedGet(t, s, ServiceListMenuGroups, s.Token, [2]string{"page", "1"}), "请求中未包含row信息")
}

// TestShortAuthorizationIsNotTheSessionAnswer: JwtFilter.getToken takes
// authorization.substring("Bearer ".length()) of any non-empty header
// (service-api/src/main/java/com/java110/api/filter/JwtFilter.java:119-120);
// a shorter header throws StringIndexOutOfBoundsException, which the
// filter's catch-all answers with noLogin (JwtFilter.java:80-83) even for a
// POST: a redirect, or 401 with X-Requested-With — never the 1996 answer
// a client renews its session on. A valid cookie does not help: the header
// is read after it.
func TestShortAuthorizationIsNotTheSessionAnswer(t *testing.T) {
	s := NewServer()
	defer s.Close()
	for _, auth := range []string{"Bearer", "x"} {
		r := newRequest(t, s, ServiceSaveProperty, plainBody, "")
		r.Header.Set("Authorization", auth)
		r.AddCookie(&http.Cookie{Name: "_java110_token_", Value: s.Token})
		resp, err := http.DefaultTransport.RoundTrip(r)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/user.html#/pages/frame/login" {
			t.Errorf("Authorization %q: %d %v, want a redirect to the login page", auth, resp.StatusCode, resp.Header)
		}

		r = newRequest(t, s, ServiceSaveProperty, plainBody, "")
		r.Header.Set("Authorization", auth)
		r.Header.Set("X-Requested-With", "XMLHttpRequest")
		if got := do(t, r); got.status != http.StatusUnauthorized || got.body != "" {
			t.Errorf("Authorization %q with X-Requested-With: %d %q, want 401", auth, got.status, got.body)
		}
	}
	if n := len(s.Companies()); n != 0 {
		t.Errorf("%d companies created", n)
	}
	// Seven characters or more is a token, however wrong: the 1996 answer.
	r := newRequest(t, s, ServiceSaveProperty, plainBody, "")
	r.Header.Set("Authorization", "Bearer x")
	if got := do(t, r); got.status != http.StatusOK || !strings.Contains(got.body, `"code":"1996"`) {
		t.Errorf("a wrong token: %d %s", got.status, got.body)
	}
}
