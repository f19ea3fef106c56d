package property

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"testing"

	"github.com/fangsdk/fang/internal/envelope"
	"github.com/fangsdk/fang/internal/redact"
	"github.com/fangsdk/fang/internal/testkit"
)

// decodeListReference is decodeList as it was before envelope.Object: the
// body decoded into a map of raw members, then again for the total, then
// the list. It returns the error's message ("" for none); excerpt is what
// an error quotes of the body. The one-pass decodeList must answer the
// same.
func decodeListReference[T any](body []byte, key, excerpt string) ([]T, int, string) {
	var raw map[string]json.RawMessage
	if json.Unmarshal(body, &raw) != nil || raw == nil {
		return nil, 0, "the answer is not a JSON object: " + excerpt
	}
	if _, ok := raw[key]; !ok && len(raw["data"]) > 0 && raw["data"][0] == '[' {
		key = "data"
	}
	_, hasList := raw[key]
	_, hasTotal := raw["total"]
	if !hasList && !hasTotal {
		return nil, 0, "the answer has neither " + key + " nor total: " + excerpt
	}
	var page struct {
		Total int `json:"total"`
	}
	list := []T{}
	if json.Unmarshal(body, &page) != nil || hasList && string(raw[key]) != "null" && json.Unmarshal(raw[key], &list) != nil {
		return nil, 0, "the answer's " + key + " has the wrong shape"
	}
	return list, page.Total, ""
}

var decodeListSeeds = []string{
	`{"code":0,"communitys":[{"communityId":"1","name":"a"}],"total":1}`,
	`{"communitys":[],"total":0}`, `{"communitys":null,"total":3}`, `{"total":2}`, `{"communitys":[{}]}`,
	`{"data":[{"communityId":"9"}],"total":1}`, `{"data":{"x":1},"total":1}`, `{"data":null}`, `{"msg":"x"}`,
	`{"communitys":[1],"total":1}`, `{"communitys":[],"total":"1"}`, `{"communitys":[],"TOTAL":1.5,"total":1}`,
	`{"communitys":[],"Total":7}`, `{"communitys":[],"total":null}`, `{"communitys":[],"total":1,"total":2}`,
	`{"Communitys":[{"communityId":"1"}],"total":1}`, `{"communitys":[],"total":1,"data":[1]}`,
	`{"menuGroups":[{"gId":"g","seq":"3"}],"total":1}`, `{"menuGroups":[{"gId":"g","seq":[]}],"total":1}`,
	`null`, `[]`, `"x"`, `{`, `{"communitys":[]} x`, ``, `<html>502</html>`,
}

func FuzzDecodeList(f *testing.F) {
	for _, s := range decodeListSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if env, ok := envelope.DecodeHC(body); ok && env.Code != 0 {
			return // a failure, decoded before any list
		}
		if _, _, ok := sessionRejected(body); ok {
			return
		}
		c := newTestClient(t, "http://hc.invalid", WithHTTPClient(&http.Client{Transport: testkit.CannedTransport{Reply: string(body)}}))
		ctx := context.Background()
		// ListCommunities is sent without a session, ListMenuGroups with
		// one: errors quote the body scrubbed of what each was sent with.
		communities, err := c.ListCommunities(ctx, &ListCommunitiesRequest{})
		sameDecoding(t, body, "communitys", redact.Excerpt(body, "", testSecurity), communities, err, func(r *ListCommunitiesResponse) ([]Community, int) { return r.Communities, r.Total })
		groups, err := c.ListMenuGroups(ctx, &ListMenuGroupsRequest{})
		sameDecoding(t, body, "menuGroups", redact.Excerpt(body, testToken, testSecurity), groups, err, func(r *ListMenuGroupsResponse) ([]MenuGroup, int) { return r.MenuGroups, r.Total })
	})
}

// sameDecoding checks that a list call's answer to body (resp or err) and
// the decoding before decodeList agree: the same entries and total, or an
// *Error of the wrong shape with the same message.
func sameDecoding[T, R any](t *testing.T, body []byte, key, excerpt string, resp *R, err error, entries func(*R) ([]T, int)) {
	t.Helper()
	want, wantTotal, wantMsg := decodeListReference[T](body, key, excerpt)
	if wantMsg != "" {
		var e *Error
		if !errors.As(err, &e) || e.Msg != wantMsg || !errors.Is(err, ErrUnexpectedResponse) {
			t.Fatalf("%q: err %v, before %q", body, err, wantMsg)
		}
		return
	}
	if err != nil {
		t.Fatalf("%q: err %v, before none", body, err)
	}
	if got, gotTotal := entries(resp); !reflect.DeepEqual(got, want) || gotTotal != wantTotal {
		t.Fatalf("%q: %+v total %d, before %+v total %d", body, got, gotTotal, want, wantTotal)
	}
}
