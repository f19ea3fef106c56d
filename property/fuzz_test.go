package property

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/internal/check"
)

// received is one request as the fuzz server got it.
type received struct {
	header http.Header
	body   []byte
}

// FuzzSavePropertySign: for arbitrary UTF-8 field values that pass
// validation, the sign header is the MD5 over exactly the bytes the server
// received, the body decodes back to the same fields, and no JSON null is
// sent. Values that fail validation send nothing.
func FuzzSavePropertySign(f *testing.F) {
	// The seed document's example (PROTOCOL.md's vector), then values that
	// stress JSON encoding. days counts from 1970-01-01: 19236 is
	// 2022-09-01.
	f.Add("物业公司A", "北京市朝阳区XX路XX号", "18909711449", "张三", uint16(19236), "国投广场", "2022092200930358", "802021080609660006")
	f.Add("A", "B", "1", "C", uint16(0), "", "", "")
	f.Add(`"null"`, `<script>&amp;</script>`, "\\u0000", "\u2028\u2029", uint16(65535), "null", "a,b", "c")
	f.Add("😀\ufeff\x7f", "\t\r\n", " ", "\x00", uint16(11016), `{"name":null}`, ",", "x")
	f.Add(strings.Repeat("名", 64), "a", "b", "c", uint16(1), "d", "1", "")

	var mu sync.Mutex
	got := map[string]received{} // by transaction-id
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		got[r.Header.Get("transaction-id")] = received{r.Header.Clone(), body}
		mu.Unlock()
		io.WriteString(w, `{"code":0,"msg":"成功"}`)
	}))
	f.Cleanup(srv.Close)
	c, err := NewClient(WithBaseURL(srv.URL), WithAppID(testAppID), WithSecurityCode(testSecurity),
		WithToken(auth.StaticToken(testToken)), WithoutRetry())
	if err != nil {
		f.Fatal(err)
	}

	f.Fuzz(func(t *testing.T, name, address, tel, corporation string, days uint16, landmarks, communities, groups string) {
		for _, s := range []string{name, address, tel, corporation, landmarks, communities, groups} {
			if !utf8.ValidString(s) {
				t.Skip("HC strings are UTF-8")
			}
		}
		req := &SavePropertyRequest{
			Name: name, Address: address, Tel: tel, Corporation: corporation,
			FoundingTime:    time.Unix(0, 0).UTC().AddDate(0, 0, int(days)).Format(FoundingTimeLayout),
			NearbyLandmarks: landmarks,
			CommunityIDs:    split(communities),
			GroupIDs:        split(groups),
		}
		mu.Lock()
		before := len(got)
		mu.Unlock()
		resp, err := c.SaveProperty(context.Background(), req)
		mu.Lock()
		after := len(got)
		var rec received
		if resp != nil {
			rec = got[resp.TransactionID]
			delete(got, resp.TransactionID)
		}
		mu.Unlock()

		chk := check.New("SaveProperty")
		checkSave(chk, req)
		if chk.Failed() {
			if !errors.Is(err, ErrInvalidRequest) || after != before {
				t.Fatalf("invalid request: err = %v, %d sent", err, after-before)
			}
			return
		}
		if err != nil {
			t.Fatalf("err = %v", err)
		}
		if after != before+1 || rec.body == nil {
			t.Fatalf("server saw %d requests, want 1 with transaction-id %s", after-before, resp.TransactionID)
		}
		h := rec.header
		sum := md5.Sum([]byte(h.Get("transaction-id") + h.Get("req-time") + h.Get("app-id") + string(rec.body) + testSecurity))
		if h.Get("sign") != hex.EncodeToString(sum[:]) {
			t.Fatalf("sign %s is not the MD5 over the %d bytes received", h.Get("sign"), len(rec.body))
		}
		var back SavePropertyRequest
		if err := json.Unmarshal(rec.body, &back); err != nil {
			t.Fatalf("body %q: %v", rec.body, err)
		}
		if !reflect.DeepEqual(&back, req) {
			t.Fatalf("body decodes to %+v, want %+v", back, *req)
		}
		var generic any
		json.Unmarshal(rec.body, &generic)
		if path, ok := findNull(generic, "$"); ok {
			t.Fatalf("null at %s in %s", path, rec.body)
		}
	})
}

// split turns "a,b" into ["a", "b"] and "" into nil; empty pieces stay, for
// validation to reject.
func split(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// findNull returns the path of a JSON null inside v.
func findNull(v any, path string) (string, bool) {
	switch v := v.(type) {
	case nil:
		return path, true
	case map[string]any:
		for k, e := range v {
			if p, ok := findNull(e, path+"."+k); ok {
				return p, true
			}
		}
	case []any:
		for i, e := range v {
			if p, ok := findNull(e, path+"["+strconv.Itoa(i)+"]"); ok {
				return p, true
			}
		}
	}
	return "", false
}
