package kanfangtest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// newServer starts a server closed at the end of the test.
func newServer(t *testing.T, opts ...Option) *Server {
	t.Helper()
	s := NewServer(opts...)
	t.Cleanup(s.Close)
	return s
}

// result is a decoded answer.
type result struct {
	HTTPStatus  int
	ContentType string
	Header      http.Header
	Body        string
	State       int
	Payload     json.RawMessage
}

// text returns the payload as a string (failure payloads).
func (r result) text(t *testing.T) string {
	t.Helper()
	var s string
	if err := json.Unmarshal(r.Payload, &s); err != nil {
		t.Fatalf("payload %s is not a string: %v", r.Payload, err)
	}
	return s
}

// send performs req and decodes the envelope when the body is JSON.
func send(t *testing.T, req *http.Request) result {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	res := result{HTTPStatus: resp.StatusCode, ContentType: resp.Header.Get("Content-Type"), Header: resp.Header, Body: string(body)}
	if strings.HasPrefix(res.ContentType, "application/json") {
		var env struct {
			State   int             `json:"state"`
			Payload json.RawMessage `json:"payload"`
		}
		if err := json.Unmarshal(body, &env); err != nil {
			t.Fatalf("bad JSON %q: %v", body, err)
		}
		if res.ContentType != "application/json; charset=utf-8" {
			t.Errorf("Content-Type = %q", res.ContentType)
		}
		res.State, res.Payload = env.State, env.Payload
	}
	return res
}

// putRequest builds a putAnjukeBianHao request with the token in the header.
func putRequest(t *testing.T, s *Server, form url.Values) *http.Request {
	t.Helper()
	return putRequestTo(t, s, PathPutAnjukeBianHao, form)
}

// putRequestTo is a form POST to path with s.Token in the header.
func putRequestTo(t *testing.T, s *Server, path string, form url.Values) *http.Request {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, s.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", s.Token)
	return req
}

// put sends a putAnjukeBianHao with the token in the header.
func put(t *testing.T, s *Server, pkg, num string) result {
	t.Helper()
	return send(t, putRequest(t, s, url.Values{"packageId": {pkg}, "anjukeBianHao": {num}}))
}

// getRequest builds a GET for path with query q.
func getRequest(t *testing.T, s *Server, path string, q url.Values) *http.Request {
	t.Helper()
	u := s.URL + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// tokenPayload is the success payload of GetAccessToken and RefreshToken.
type tokenPayload struct {
	Token                string `json:"token"`
	TokenExpireIn        int64  `json:"tokenExpireIn"`
	RefreshToken         string `json:"refreshToken"`
	RefreshTokenExpireIn int64  `json:"refreshTokenExpireIn"`
}

// login calls GetAccessToken with s's credentials and decodes the payload.
func login(t *testing.T, s *Server) tokenPayload {
	t.Helper()
	res := send(t, getRequest(t, s, PathGetAccessToken, url.Values{
		"authKey": {s.AuthKey}, "authValue": {s.AuthValue}, "clientEdtion": {ClientEdition},
	}))
	return decodeTokens(t, res)
}

func decodeTokens(t *testing.T, res result) tokenPayload {
	t.Helper()
	if res.HTTPStatus != 200 || res.State != 200 {
		t.Fatalf("token call: HTTP %d state %d body %s", res.HTTPStatus, res.State, res.Body)
	}
	var p tokenPayload
	if err := json.Unmarshal(res.Payload, &p); err != nil {
		t.Fatal(err)
	}
	return p
}

func wantState(t *testing.T, res result, state int, contains string) {
	t.Helper()
	if res.HTTPStatus != http.StatusOK || res.State != state {
		t.Fatalf("HTTP %d state %d (body %s), want HTTP 200 state %d", res.HTTPStatus, res.State, res.Body, state)
	}
	if contains != "" && !strings.Contains(res.text(t), contains) {
		t.Fatalf("payload %q does not contain %q", res.text(t), contains)
	}
}

// tokenCall performs a GET token call, with tok as the Authorization header
// when not empty, and decodes a successful payload.
func tokenCall(c *http.Client, u, tok string) (tokenPayload, error) {
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return tokenPayload{}, err
	}
	if tok != "" {
		req.Header.Set("Authorization", tok)
	}
	resp, err := c.Do(req)
	if err != nil {
		return tokenPayload{}, err
	}
	defer resp.Body.Close()
	var env struct {
		State   int          `json:"state"`
		Payload tokenPayload `json:"payload"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
		return tokenPayload{}, err
	}
	if env.State != 200 {
		return tokenPayload{}, fmt.Errorf("%s: state %d", u, env.State)
	}
	return env.Payload, nil
}
