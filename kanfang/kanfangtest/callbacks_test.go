package kanfangtest_test

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fangsdk/fang/kanfang"
	"github.com/fangsdk/fang/kanfang/kanfangtest"
)

// capture is a receiver that records the last request and answers with
// status and body.
type capture struct {
	mu     sync.Mutex
	method string
	header http.Header
	query  string
	body   string
	n      int
}

func (c *capture) serve(t *testing.T, status int, body string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		c.mu.Lock()
		c.method, c.header, c.query, c.body = r.Method, r.Header.Clone(), r.URL.RawQuery, string(b)
		c.n++
		c.mu.Unlock()
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func md5hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

// TestCallbackSenderWire checks what the sender puts on the wire: a form
// POST (or a GET query) with the headers timestamp (ms, or s) and sign =
// md5(key + values by name + timestamp).
func TestCallbackSenderWire(t *testing.T) {
	at := time.UnixMilli(1532059200000)
	var c capture
	target := c.serve(t, 200, `{"state":200,"payload":"Success"}`)
	values := url.Values{"B": {"2"}, "A": {"1"}, "C": {"3"}}
	s := &kanfangtest.CallbackSender{SignKey: "CdLvNRRQvy0xjORPNvuVaA", Now: func() time.Time { return at }}
	a, err := s.SendValues(context.Background(), target, values)
	if err != nil || !a.OK() || a.Payload != "Success" {
		t.Fatalf("answer %+v %v", a, err)
	}
	if c.method != http.MethodPost || c.header.Get("Content-Type") != "application/x-www-form-urlencoded" || c.body != "A=1&B=2&C=3" {
		t.Errorf("sent %s %q %q", c.method, c.header.Get("Content-Type"), c.body)
	}
	if c.header.Get("timestamp") != "1532059200000" || c.header.Get("sign") != "d5680a902dd2de08cf2bf9df819ffb9d" {
		t.Errorf("headers timestamp %q sign %q: not the published vector", c.header.Get("timestamp"), c.header.Get("sign"))
	}

	s.Seconds, s.Method = true, "GET"
	if _, err := s.SendValues(context.Background(), target, values); err != nil {
		t.Fatal(err)
	}
	if c.method != http.MethodGet || c.query != "A=1&B=2&C=3" || c.header.Get("timestamp") != "1532059200" ||
		c.header.Get("sign") != md5hex("CdLvNRRQvy0xjORPNvuVaA1231532059200") {
		t.Errorf("GET in seconds: %s ?%s timestamp %q sign %q", c.method, c.query, c.header.Get("timestamp"), c.header.Get("sign"))
	}
}

func TestCallbackSenderAnswers(t *testing.T) {
	var c capture
	s := &kanfangtest.CallbackSender{SignKey: "k"}
	ctx := context.Background()
	a, err := s.SendValues(ctx, c.serve(t, 401, `{"state":401,"payload":"Unauthorized"}`), url.Values{"a": {"1"}})
	if err != nil || a.OK() || a.HTTPStatus != 401 || a.State != 401 || a.Payload != "Unauthorized" {
		t.Errorf("401: %+v %v", a, err)
	}
	a, err = s.SendValues(ctx, c.serve(t, 200, `<html>oops</html>`), url.Values{"a": {"1"}})
	if err != nil || a.OK() || a.State != 0 || a.Body != "<html>oops</html>" {
		t.Errorf("not an envelope: %+v %v", a, err)
	}
	a, err = s.SendValues(ctx, c.serve(t, 200, `{"state":200,"payload":{"ok":true}}`), url.Values{"a": {"1"}})
	if err != nil || !a.OK() || a.Payload != `{"ok":true}` {
		t.Errorf("object payload: %+v %v", a, err)
	}
	// A redirect is an answer, never followed.
	var moved capture
	redirect := moved.serve(t, 200, "")
	srv := httptest.NewServer(http.RedirectHandler(redirect, http.StatusTemporaryRedirect))
	t.Cleanup(srv.Close)
	if a, err := s.SendValues(ctx, srv.URL, url.Values{"a": {"1"}}); err != nil || a.HTTPStatus != 307 || moved.n != 0 {
		t.Errorf("redirect: %+v %v, followed %d times", a, err, moved.n)
	}
	if _, err := (&kanfangtest.CallbackSender{}).SendValues(ctx, srv.URL, nil); err == nil {
		t.Error("a sender with no key sent")
	}
	if _, err := (&kanfangtest.CallbackSender{SignKey: "k", Method: "PUT"}).SendValues(ctx, srv.URL, nil); err == nil {
		t.Error("a PUT was sent")
	}
	if _, err := s.SendValues(ctx, "http://127.0.0.1:1/", nil); err == nil {
		t.Error("no error without an answer")
	}
}

// TestServerCallbackSender: the Server's sender signs with WithSignKey's
// key and the server's clock, so a kanfang.CallbackHandler given the same
// key and clock accepts it, and refuses it once the clock moved a day.
func TestServerCallbackSender(t *testing.T) {
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	srv := kanfangtest.NewServer(kanfangtest.WithSignKey("fake-sign-key"), kanfangtest.WithClock(func() time.Time { return start }))
	t.Cleanup(srv.Close)
	var got []*kanfang.TaskStateChange
	h := &kanfang.CallbackHandler{SignKey: "fake-sign-key", Now: func() time.Time { return start },
		OnTaskStateChange: func(_ context.Context, n *kanfang.TaskStateChange) error { got = append(got, n); return nil }}
	recv := httptest.NewServer(h)
	t.Cleanup(recv.Close)

	sender := srv.CallbackSender()
	n := &kanfang.TaskStateChange{State: kanfang.TaskStateCustomerReview, HouseTaskID: "t1", HouseID: "h1", PackageID: "p1"}
	if a, err := sender.Send(context.Background(), recv.URL, n); err != nil || !a.OK() {
		t.Fatalf("answer %+v %v", a, err)
	}
	srv.Advance(24 * time.Hour)
	if a, err := sender.Send(context.Background(), recv.URL, n); err != nil || a.State != 401 {
		t.Fatalf("a day later: %+v %v", a, err)
	}
	if len(got) != 1 || got[0].State != kanfang.TaskStateCustomerReview || got[0].PackageID != "p1" {
		t.Errorf("received %+v", got)
	}
	unsigned := kanfangtest.NewServer()
	t.Cleanup(unsigned.Close)
	if _, err := unsigned.CallbackSender().Send(context.Background(), recv.URL, n); err == nil || !strings.Contains(err.Error(), "SignKey") {
		t.Errorf("no WithSignKey: err = %v", err)
	}
}

// TestPackageDownloadFileHashOnlyForAZip: the platform sends fileHash
// only when the package is downloaded as a zip ("否则无此参数",
// 123Docs HouseModel/v2/HouseTask/CustomerReceivePackageDownloadNotify.md),
// so a PackageDownload without a FileHash reaches the receiver without
// the parameter, not with an empty one: a receiver that reads
// form["fileHash"][0], or tells a zip by the parameter, must fail here.
func TestPackageDownloadFileHashOnlyForAZip(t *testing.T) {
	var c capture
	target := c.serve(t, 200, `{"state":200,"payload":"Success"}`)
	s := &kanfangtest.CallbackSender{SignKey: "k"}
	for _, tt := range []struct {
		cb   *kanfang.PackageDownload
		want []string // fileHash's values on the wire
	}{
		{&kanfang.PackageDownload{State: kanfang.PackageDownloadFailed, PackageID: "p1", HouseID: "h1", NotifyID: "n1", Comments: "stitching failed"}, nil},
		{&kanfang.PackageDownload{State: kanfang.PackageDownloadFinished, PanoramaPackage: "https://dl.example/list", PackageID: "p1", HouseID: "h1", NotifyID: "n1",
			Raw: url.Values{"fileHash": {"stale"}}}, nil},
		{&kanfang.PackageDownload{State: kanfang.PackageDownloadFinished, PanoramaPackage: "https://dl.example/p.zip", FileHash: "0123abcd", PackageID: "p1", HouseID: "h1", NotifyID: "n1"}, []string{"0123abcd"}},
	} {
		if a, err := s.Send(context.Background(), target, tt.cb); err != nil || !a.OK() {
			t.Fatalf("answer %+v %v", a, err)
		}
		c.mu.Lock()
		body := c.body
		c.mu.Unlock()
		form, err := url.ParseQuery(body)
		if err != nil {
			t.Fatal(err)
		}
		if got := form["fileHash"]; strings.Join(got, ",") != strings.Join(tt.want, ",") || (got == nil) != (tt.want == nil) {
			t.Errorf("FileHash %q: fileHash sent as %q (body %s), want %q", tt.cb.FileHash, got, body, tt.want)
		}
	}
}
