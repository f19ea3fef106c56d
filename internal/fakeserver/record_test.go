package fakeserver

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestLog(t *testing.T) {
	var l Log[[]string]
	l.Add([]string{"first"})
	l.Add([]string{"second"})
	clone := func(s []string) []string { return append([]string(nil), s...) }
	log := l.Entries(clone)
	if len(log) != 2 || log[0][0] != "first" || log[1][0] != "second" {
		t.Fatalf("log %v", log)
	}
	log[0][0] = "changed"
	if l.Entries(clone)[0][0] != "first" {
		t.Fatal("Entries does not clone")
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
	rt := NewRoutes[fn]("fake", "own")
	if _, ok := rt.Lookup("x"); ok {
		t.Fatal("x found before Handle")
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
