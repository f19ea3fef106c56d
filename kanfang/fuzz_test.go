package kanfang

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/internal/check"
)

const fuzzSignKey = "CdLvNRRQvy0xjORPNvuVaA" // PROTOCOL.md's vector

// formCapture is what the fuzz server parsed from the last request.
type formCapture struct {
	n                 int
	form, query       url.Values
	header            http.Header
	contentType, body string
	parseErr          error
}

// FuzzPutAnjukeForm: arbitrary packageId and anjukeBianHao values that pass
// validation reach the server as exactly those form values, signed over
// exactly those values; values that fail validation send nothing.
func FuzzPutAnjukeForm(f *testing.F) {
	// PROTOCOL.md's example call, and values that stress form encoding.
	f.Add("pkg 1/数据", "00000000010101", false)
	f.Add("pkg-20240101-0001", "AJK-0001", true)
	f.Add("a&b=c+d%20e;f", "x\x00y\r\nz", true)
	f.Add("Authorization", "Authorization=evil&packageId=other", false)
	f.Add("😀\u2028\ufeff", "\xff\xfe", true)
	f.Add("", "x", false)

	var mu sync.Mutex
	var last formCapture
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		form, err := url.ParseQuery(string(body))
		mu.Lock()
		last = formCapture{n: last.n + 1, form: form, query: r.URL.Query(), header: r.Header.Clone(),
			contentType: r.Header.Get("Content-Type"), body: string(body), parseErr: err}
		mu.Unlock()
		out, _ := json.Marshal(map[string]any{"state": 200, "payload": map[string]string{
			"packageId": form.Get("packageId"), "anjukeBianHao": form.Get("anjukeBianHao")}})
		w.Write(out)
	}))
	f.Cleanup(srv.Close)
	clients := map[bool]*Client{}
	for _, inForm := range []bool{false, true} {
		p := auth.InHeader
		if inForm {
			p = auth.InForm
		}
		c, err := NewClient(WithBaseURL(srv.URL), WithToken(auth.StaticToken(faultToken)), WithTokenPlacement(p),
			WithSignKey(fuzzSignKey), WithoutRetry())
		if err != nil {
			f.Fatal(err)
		}
		clients[inForm] = c
	}

	f.Fuzz(func(t *testing.T, packageID, bianHao string, inForm bool) {
		mu.Lock()
		before := last.n
		mu.Unlock()
		req := &PutAnjukeBianHaoRequest{PackageID: packageID, AnjukeBianHao: bianHao}
		resp, err := clients[inForm].PutAnjukeBianHao(context.Background(), req)

		mu.Lock()
		got := last
		mu.Unlock()
		chk := check.New("")
		putAnjukeBianHao.Check(chk, req)
		if chk.Failed() {
			if !errors.Is(err, ErrInvalidRequest) {
				t.Fatalf("invalid request: err = %v, want ErrInvalidRequest", err)
			}
			if got.n != before {
				t.Fatal("an invalid request was sent")
			}
			return
		}
		if err != nil {
			t.Fatalf("err = %v", err)
		}
		if got.n != before+1 {
			t.Fatalf("server saw %d requests, want 1", got.n-before)
		}
		if got.parseErr != nil || got.contentType != "application/x-www-form-urlencoded" {
			t.Fatalf("body %q (%s) does not parse: %v", got.body, got.contentType, got.parseErr)
		}
		want := url.Values{"packageId": {packageID}, "anjukeBianHao": {bianHao}}
		if inForm {
			want.Set("Authorization", faultToken)
		}
		if !equalValues(got.form, want) {
			t.Fatalf("server parsed %q, want %q", got.form, want)
		}
		if len(got.query) != 0 {
			t.Fatalf("query %q, want none", got.query)
		}
		if inForm == (got.header.Get("Authorization") == faultToken) {
			t.Fatalf("Authorization header %q with inForm=%v", got.header.Get("Authorization"), inForm)
		}
		// sign = md5(signKey + values ordered by name + timestamp), over
		// every form value sent: Authorization < anjukeBianHao < packageId.
		ts := got.header.Get("timestamp")
		if _, err := strconv.ParseInt(ts, 10, 64); err != nil {
			t.Fatalf("timestamp %q", ts)
		}
		signedToken := ""
		if inForm {
			signedToken = faultToken
		}
		sum := md5.Sum([]byte(fuzzSignKey + signedToken + bianHao + packageID + ts))
		if got.header.Get("sign") != hex.EncodeToString(sum[:]) {
			t.Fatalf("sign %q is not over the values received", got.header.Get("sign"))
		}
		if utf8.ValidString(packageID) && utf8.ValidString(bianHao) &&
			(resp.PackageID != packageID || resp.AnjukeBianHao != bianHao) {
			t.Fatalf("response %+v does not echo the request", resp)
		}
	})
}

func equalValues(a, b url.Values) bool {
	if len(a) != len(b) {
		return false
	}
	for k, av := range a {
		bv := b[k]
		if len(av) != len(bv) {
			return false
		}
		for i := range av {
			if av[i] != bv[i] {
				return false
			}
		}
	}
	return true
}
