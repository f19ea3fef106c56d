package testkit

import (
	"bytes"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
)

// SecretTap sits in front of a fake server and collects every secret that
// crosses the wire, so that a test can check none of them reached a log
// line or an error. It is safe for concurrent use.
type SecretTap struct {
	mu      sync.Mutex
	secrets map[string]bool
}

// NewSecretTap returns a tap that already knows the given secrets.
func NewSecretTap(known ...string) *SecretTap {
	s := &SecretTap{secrets: map[string]bool{}}
	for _, v := range known {
		s.Add(v)
	}
	return s
}

// Add records a secret; "" is ignored.
func (s *SecretTap) Add(v string) {
	if v == "" {
		return
	}
	s.mu.Lock()
	s.secrets[v] = true
	s.mu.Unlock()
}

// List returns the secrets seen so far.
func (s *SecretTap) List() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Collect(maps.Keys(s.secrets))
}

// Wrap returns h behind the tap: for each exchange, collect is given the
// request, its body and the response body, and calls add for every secret
// in them.
func (s *SecretTap) Wrap(h http.Handler, collect func(r *http.Request, reqBody, respBody []byte, add func(string))) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		maps.Copy(w.Header(), rec.Header())
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())
		collect(r, body, rec.Body.Bytes(), s.Add)
	})
}

// LogLines parses the output of a slog JSON handler, one object a line.
func LogLines(t *testing.T, out []byte) []map[string]any {
	t.Helper()
	var lines []map[string]any
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			t.Fatalf("log line %d: %v", len(lines)+1, err)
		}
		lines = append(lines, m)
	}
	return lines
}

// HasLine reports whether some line has every attribute of want (numbers
// compared as float64, as JSON decodes them).
func HasLine(lines []map[string]any, want map[string]any) bool {
	for _, l := range lines {
		ok := true
		for k, v := range want {
			if n, isInt := v.(int); isInt {
				v = float64(n)
			}
			if l[k] != v {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}
