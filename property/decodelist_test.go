package property

import (
	"encoding/json"
	"reflect"
	"testing"
)

// decodeListReference is decodeList as it was before envelope.Object: the
// body decoded into a map of raw members, then again for the total, then
// the list. The one-pass decodeList must answer the same.
func decodeListReference[T any](op string, ans *answer, key string) ([]T, int, error) {
	var raw map[string]json.RawMessage
	if json.Unmarshal(ans.body, &raw) != nil || raw == nil {
		return nil, 0, &Error{op: op, Msg: "the answer is not a JSON object: " + ans.excerpt(), HTTPStatus: ans.status, TransactionID: ans.txID, shape: true}
	}
	if _, ok := raw[key]; !ok && len(raw["data"]) > 0 && raw["data"][0] == '[' {
		key = "data"
	}
	_, hasList := raw[key]
	_, hasTotal := raw["total"]
	if !hasList && !hasTotal {
		return nil, 0, &Error{op: op, Msg: "the answer has neither " + key + " nor total: " + ans.excerpt(), HTTPStatus: ans.status, TransactionID: ans.txID, shape: true}
	}
	var page struct {
		Total int `json:"total"`
	}
	list := []T{}
	if json.Unmarshal(ans.body, &page) != nil || hasList && string(raw[key]) != "null" && json.Unmarshal(raw[key], &list) != nil {
		return nil, 0, &Error{op: op, Msg: "the answer's " + key + " has the wrong shape", HTTPStatus: ans.status, TransactionID: ans.txID, shape: true}
	}
	return list, page.Total, nil
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
		sameDecoding[Community](t, body, "communitys")
		sameDecoding[MenuGroup](t, body, "menuGroups")
	})
}

// sameDecoding checks that decodeList and the decoding before it agree on
// body: the same entries and total, or errors with the same text.
func sameDecoding[T any](t *testing.T, body []byte, key string) {
	t.Helper()
	ans := &answer{body: body, status: 200, txID: "tx"}
	got, gotTotal, gotErr := decodeList[T]("op", ans, key)
	want, wantTotal, wantErr := decodeListReference[T]("op", ans, key)
	if (gotErr == nil) != (wantErr == nil) || gotErr != nil && gotErr.Error() != wantErr.Error() {
		t.Fatalf("%q: err %v, before %v", body, gotErr, wantErr)
	}
	if !reflect.DeepEqual(got, want) || gotTotal != wantTotal {
		t.Fatalf("%q: %+v total %d, before %+v total %d", body, got, gotTotal, want, wantTotal)
	}
}
