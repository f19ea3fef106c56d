package wire

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/fangsdk/fang/internal/testkit"
)

// TestReadBoundedHugeHintUnderHugeLimit: a limit of math.MaxInt64 lets an
// announced math.MaxInt64 through; sizing the buffer from it must not
// overflow (make panicked with a negative capacity).
func TestReadBoundedHugeHintUnderHugeLimit(t *testing.T) {
	for _, tt := range []struct {
		limit, hint int64
	}{
		{math.MaxInt64, math.MaxInt64},
		{math.MaxInt64, math.MaxInt64 - 1},
		{math.MaxInt64 - 1, math.MaxInt64 - 1},
		{math.MaxInt64, maxPrealloc},
		{math.MaxInt64, -1},
	} {
		body, err := readBounded(strings.NewReader(`{"code":0}`), tt.limit, tt.hint)
		if err != nil || string(body) != `{"code":0}` {
			t.Errorf("limit %d hint %d: body %q, err %v", tt.limit, tt.hint, body, err)
		}
	}
	// The announcement is still refused when it exceeds the limit.
	if _, err := readBounded(strings.NewReader("x"), math.MaxInt64-1, math.MaxInt64); !errors.Is(err, ErrBodyTooLarge) {
		t.Errorf("announced beyond the limit: err %v, want ErrBodyTooLarge", err)
	}
}

// TestAnnouncedMaxInt64Body: end to end, an answer announcing
// math.MaxInt64 bytes to an Engine without a practical limit is a read
// failure after sending (Sent=true), not a panic.
func TestAnnouncedMaxInt64Body(t *testing.T) {
	srv := httptest.NewServer(testkit.MaxLengthAnswer(`{"code":0`))
	defer srv.Close()
	e, err := New(Config{BaseURL: srv.URL, MaxBodyBytes: math.MaxInt64, Retry: NoRetry})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.Do(context.Background(), &Call{Op: "save", Method: http.MethodPost, URL: e.URL("/x"), Header: http.Header{}, Body: []byte("a=1")})
	var se *SendError
	if !errors.As(err, &se) || !se.Sent {
		t.Fatalf("err = %v, want a *SendError with Sent=true", err)
	}
}

// chunkReader hands out body in reads of at most 32 KiB, as a connection
// does, then fails with end (io.EOF, or io.ErrUnexpectedEOF for a body
// cut short).
type chunkReader struct {
	body []byte
	end  error
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.body) == 0 {
		return 0, c.end
	}
	n := copy(p[:min(len(p), 32<<10)], c.body)
	c.body = c.body[n:]
	return n, nil
}

// allocated is the bytes the heap handed out while f ran.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestReadBoundedGrowth: a large body (a 10,000-row list is about 4 MB)
// read with its Content-Length costs its chunks up to the announced length
// and one copy, twice its size in all; without a length, chunks doubling
// what arrived, at most three times. The 1.25× steps of append cost five
// times its size.
func TestReadBoundedGrowth(t *testing.T) {
	const size = 4 << 20
	body := bytes.Repeat([]byte("x"), size)
	for _, tt := range []struct {
		hint   int64
		factor float64 // with room for what other goroutines allocate meanwhile
	}{{size, 2.5}, {-1, 3.5}} {
		var got []byte
		var err error
		n := allocated(func() { got, err = readBounded(&chunkReader{body: body, end: io.EOF}, 32<<20, tt.hint) })
		if err != nil || !bytes.Equal(got, body) {
			t.Fatalf("hint %d: %d bytes, err %v", tt.hint, len(got), err)
		}
		if float64(n) > tt.factor*size {
			t.Errorf("hint %d: reading %d bytes allocated %d (%.2f×), want at most %.1f×", tt.hint, size, n, float64(n)/size, tt.factor)
		}
	}
}

// TestReadBoundedLyingLength: an answer announcing 64 MiB that sends 1 MiB
// and stops costs about twice what arrived, not what was announced.
func TestReadBoundedLyingLength(t *testing.T) {
	const arrives = 1 << 20
	var err error
	n := allocated(func() {
		_, err = readBounded(&chunkReader{body: bytes.Repeat([]byte("x"), arrives), end: io.ErrUnexpectedEOF}, 128<<20, 64<<20)
	})
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("err %v, want io.ErrUnexpectedEOF", err)
	}
	if n > 2*arrives+4*maxPrealloc+arrives { // the body given to the reader is 1 MiB of it
		t.Errorf("1 MiB arrived of 64 MiB announced: allocated %d bytes", n)
	}
}

// TestReadBoundedLimit: the limit holds whatever is announced, and a body
// longer than its announcement is read until the limit.
func TestReadBoundedLimit(t *testing.T) {
	body := bytes.Repeat([]byte("x"), 300<<10)
	for _, tt := range []struct {
		limit, hint int64
		ok          bool
	}{
		{300 << 10, 300 << 10, true},
		{300 << 10, -1, true},
		{300<<10 - 1, -1, false},
		{300<<10 - 1, 100, false},
		{1 << 20, 100, true}, // more than announced, under the limit
	} {
		got, err := readBounded(&chunkReader{body: body, end: io.EOF}, tt.limit, tt.hint)
		if tt.ok != (err == nil) || tt.ok && !bytes.Equal(got, body) {
			t.Errorf("limit %d hint %d: %d bytes, err %v", tt.limit, tt.hint, len(got), err)
		}
		if !tt.ok && !errors.Is(err, ErrBodyTooLarge) {
			t.Errorf("limit %d hint %d: err %v, want ErrBodyTooLarge", tt.limit, tt.hint, err)
		}
	}
}
