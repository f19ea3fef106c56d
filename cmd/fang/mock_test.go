package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// signalBuffer is a goroutine-safe writer that closes ready once marker
// has been written.
type signalBuffer struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	marker string
	ready  chan struct{}
	once   sync.Once
}

func newSignalBuffer(marker string) *signalBuffer {
	return &signalBuffer{marker: marker, ready: make(chan struct{})}
}

func (b *signalBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	n, err := b.buf.Write(p)
	if strings.Contains(b.buf.String(), b.marker) {
		b.once.Do(func() { close(b.ready) })
	}
	return n, err
}

func (b *signalBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

var exportLine = regexp.MustCompile(`(?m)^export (FANG_\w+)='([^']*)'$`)

func TestMock(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stdout := newSignalBuffer("Serving until interrupted")
	var stderr bytes.Buffer // read only after run returns
	done := make(chan int, 1)
	go func() { done <- run(ctx, []string{"mock", "--addr", "127.0.0.1:0"}, stdout, &stderr, nil) }()

	select {
	case <-stdout.ready:
	case code := <-done:
		t.Fatalf("mock exited with %d before serving:\n%s\n%s", code, stdout, &stderr)
	case <-time.After(30 * time.Second): // a failure guard, not synchronisation
		t.Fatalf("mock did not start:\n%s", stdout)
	}
	out := stdout.String()
	first, _, _ := strings.Cut(out, "\n")
	base, ok := strings.CutPrefix(first, "listening on ")
	if !ok || !strings.HasPrefix(base, "http://127.0.0.1:") || strings.HasSuffix(base, ":0") {
		t.Fatalf("first line %q", first)
	}
	env := map[string]string{}
	for _, m := range exportLine.FindAllStringSubmatch(out, -1) {
		env[m[1]] = m[2]
	}
	for _, k := range []string{"FANG_KANFANG_BASE_URL", "FANG_KANFANG_TOKEN", "FANG_KANFANG_AUTH_KEY", "FANG_KANFANG_AUTH_VALUE",
		"FANG_PROPERTY_BASE_URL", "FANG_PROPERTY_URL", "FANG_PROPERTY_APP_ID", "FANG_PROPERTY_SECURITY_CODE", "FANG_PROPERTY_TOKEN",
		"FANG_PROPERTY_USERNAME", "FANG_PROPERTY_PASSWORD"} {
		if env[k] == "" {
			t.Errorf("no export line for %s", k)
		}
	}
	if env["FANG_KANFANG_BASE_URL"] != base || env["FANG_PROPERTY_BASE_URL"] != base || env["FANG_PROPERTY_URL"] != base {
		t.Errorf("exported URLs %q, %q, %q; want %q", env["FANG_KANFANG_BASE_URL"], env["FANG_PROPERTY_BASE_URL"], env["FANG_PROPERTY_URL"], base)
	}
	wantContains(t, out, env["FANG_KANFANG_AUTH_KEY"], env["FANG_PROPERTY_SECURITY_CODE"], env["FANG_PROPERTY_PASSWORD"])

	without := func(key string) map[string]string {
		m := map[string]string{}
		for k, v := range env {
			if k != key {
				m[k] = v
			}
		}
		return m
	}
	fang(t, env, "kanfang", "put-anjuke-bianhao", "--package-id", "p1", "--bianhao", "b1").wantCode(t, exitOK)
	fang(t, without("FANG_KANFANG_TOKEN"), "kanfang", "put-anjuke-bianhao", "--package-id", "p2", "--bianhao", "b2").wantCode(t, exitOK)
	r := fang(t, env, "kanfang", "token").wantCode(t, exitOK)
	wantContains(t, r.stdout, "access token expires:")
	fang(t, env, saveArgs()...).wantCode(t, exitOK)
	// The fake keeps its state: the community is now taken.
	r = fang(t, without("FANG_PROPERTY_TOKEN"), saveArgs()...).wantCode(t, exitAPI)
	wantContains(t, r.stderr, "小区已经入驻")
	fang(t, env, "property", "login").wantCode(t, exitOK)

	resp, err := http.Get(base + "/elsewhere")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /elsewhere: %d", resp.StatusCode)
	}

	cancel()
	if code := <-done; code != exitOK {
		t.Errorf("mock exited with %d, want 0\n%s", code, &stderr)
	}
	if c, err := net.Dial("tcp", strings.TrimPrefix(base, "http://")); err == nil {
		c.Close()
		t.Errorf("mock still listening on %s after it returned", base)
	}
}

func TestMockRefusesNonLoopback(t *testing.T) {
	t.Parallel()
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.0.2.1:0", "[::]:0", "example.com:80"} {
		r := fang(t, nil, "mock", "--addr", addr).wantCode(t, exitUsage)
		wantContains(t, r.stderr, "--allow-non-loopback")
	}
	r := fang(t, nil, "mock", "--addr", "no-port").wantCode(t, exitUsage)
	wantContains(t, r.stderr, "host:port")
}

func TestMockAddressInUse(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	r := fang(t, nil, "mock", "--addr", l.Addr().String()).wantCode(t, exitAPI)
	wantContains(t, r.stderr, "listening on "+l.Addr().String())
}
