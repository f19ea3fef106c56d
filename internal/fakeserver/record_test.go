package fakeserver

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestRecords: Log and Last hand out copies; Note changes a record in
// flight; a request without an endpoint is logged but not kept for Last.
func TestRecords(t *testing.T) {
	var lc *Lifecycle
	lc = Start("test", nil, nil, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		lc.Serve(w, r, Exchange{
			Endpoint: strings.TrimPrefix(r.URL.Path, "/"),
			Record:   Request{ServiceCode: "own"},
			Process: func(rec *Request, _ []byte) Response {
				lc.Note(rec, func(rec *Request) { rec.Sign = "valid" })
				return Response{Status: http.StatusTeapot, Code: 7}
			},
		})
	}))
	defer lc.Close()
	for _, path := range []string{"/a?q=1", "/"} {
		resp, err := http.Post(lc.URL+path, "text/plain", strings.NewReader("body"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	log := lc.Log()
	if len(log) != 2 || log[0].Path != "/a" || log[0].Query.Get("q") != "1" || string(log[0].Body) != "body" ||
		log[0].ServiceCode != "own" || log[0].Sign != "valid" || log[0].HTTPStatus != http.StatusTeapot || log[0].State != 7 || log[0].ReceivedAt.IsZero() {
		t.Fatalf("log %+v", log)
	}
	log[0].Body[0], log[0].Query["q"][0] = 'X', "changed"
	last, ok := lc.Last("a")
	if !ok || string(last.Body) != "body" || last.Query.Get("q") != "1" || lc.Log()[0].Body[0] != 'b' {
		t.Fatalf("Last %+v %v: not a copy", last, ok)
	}
	if _, ok := lc.Last(""); ok {
		t.Error("a request without an endpoint is kept for Last")
	}
}

func TestClock(t *testing.T) {
	base := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	c := NewClock(func() time.Time { return base })
	if !c.Now().Equal(base) {
		t.Fatalf("Now %v", c.Now())
	}
	c.Advance(time.Hour)
	c.Advance(-time.Minute)
	if want := base.Add(59 * time.Minute); !c.Now().Equal(want) {
		t.Fatalf("Now %v, want %v", c.Now(), want)
	}
	if NewClock(nil).Now().IsZero() {
		t.Fatal("nil base is not time.Now")
	}
}

func TestRoutes(t *testing.T) {
	type fn func() int
	rt := NewRoutes("fake", map[string]Route[fn]{"own": {http.MethodGet, func() int { return 7 }}})
	if _, ok := rt.Lookup("x"); ok {
		t.Fatal("x found before Handle")
	}
	if r, ok := rt.Lookup("own"); !ok || r.Fn() != 7 {
		t.Fatal("own endpoint not found")
	}
	rt.Handle(http.MethodGet, "x", func() int { return 1 })
	rt.Handle(http.MethodPost, "x", func() int { return 2 }) // replaces
	if r, ok := rt.Lookup("x"); !ok || r.Method != http.MethodPost || r.Fn() != 2 {
		t.Fatalf("Lookup x: %v %v", r.Method, ok)
	}
	for _, tt := range []struct {
		name, method, endpoint string
		fn                     fn
		want                   string
	}{
		{"own", http.MethodGet, "own", func() int { return 0 }, "fake: Handle: own is served by the fake itself"},
		{"method", http.MethodPut, "y", func() int { return 0 }, "fake: Handle: needs GET or POST and a function"},
		{"nil", http.MethodGet, "y", nil, "fake: Handle: needs GET or POST and a function"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if p, _ := recover().(string); !strings.Contains(p, tt.want) {
					t.Fatalf("panic %q, want %q", p, tt.want)
				}
			}()
			rt.Handle(tt.method, tt.endpoint, tt.fn)
		})
	}
	if _, ok := rt.Lookup("y"); ok {
		t.Fatal("a refused registration was kept")
	}
}
