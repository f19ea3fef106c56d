package propertytest

import (
	"encoding/json"
	"net/http"
	"testing"
)

// getList sends a signed GET of property.listProperty with query (in the
// order given) under token.
func getList(t *testing.T, s *Server, token string, query [][2]string) result {
	t.Helper()
	return signedGet(t, s, ServiceListProperty, token, query...)
}

type listAnswer struct {
	Code    int
	Msg     string
	Data    []propertyEntry
	Records int
	Total   int
}

func decodeList(t *testing.T, got result) listAnswer {
	t.Helper()
	var a listAnswer
	if got.status != http.StatusOK || json.Unmarshal([]byte(got.body), &a) != nil {
		t.Fatalf("answer %d %s", got.status, got.body)
	}
	return a
}

func TestListProperty(t *testing.T) {
	s := NewServer()
	defer s.Close()
	for _, b := range []string{
		body(t, map[string]any{"name": "东方物业", "tel": "13900000001", "communityIds": nil, "groupIds": nil}),
		body(t, map[string]any{"name": "西方物业", "tel": "13900000002", "communityIds": nil, "groupIds": nil}),
		body(t, map[string]any{"name": "东方物业二", "tel": "13900000003", "nearByLandmarks": "国投广场", "communityIds": nil, "groupIds": nil}),
	} {
		wantJSON(t, do(t, newRequest(t, s, ServiceSaveProperty, b, s.Token)), http.StatusOK, 0, "成功")
	}
	// The operator's session sees every company; name by substring, tel exactly.
	a := decodeList(t, getList(t, s, s.Token, [][2]string{{"page", "1"}, {"row", "10"}}))
	if a.Code != 0 || a.Total != 3 || len(a.Data) != 3 || a.Records != 1 {
		t.Fatalf("all: %+v", a)
	}
	a = decodeList(t, getList(t, s, s.Token, [][2]string{{"page", "1"}, {"row", "10"}, {"name", "东方"}}))
	// Newest first (create_time desc).
	if a.Total != 2 || a.Data[0]["nearByLandmarks"] != "国投广场" || a.Data[0]["name"] != "东方物业二" {
		t.Errorf("by name: %+v", a)
	}
	a = decodeList(t, getList(t, s, s.Token, [][2]string{{"page", "1"}, {"row", "10"}, {"tel", "1390000000"}}))
	if a.Total != 0 || a.Data == nil {
		t.Errorf("tel is matched exactly: %+v", a)
	}
	a = decodeList(t, getList(t, s, s.Token, [][2]string{{"page", "2"}, {"row", "2"}}))
	if a.Total != 3 || len(a.Data) != 1 || a.Records != 2 || a.Data[0]["tel"] != "13900000001" {
		t.Errorf("page 2: %+v", a)
	}
	// A company's own admin sees only that company.
	admin := login(t, s, "13900000002", "13900000002")
	a = decodeList(t, getList(t, s, admin, [][2]string{{"page", "1"}, {"row", "10"}}))
	if a.Total != 1 || a.Data[0]["name"] != "西方物业" {
		t.Errorf("admin: %+v", a)
	}
	// Required page and row; an unknown store.
	wantResultError(t, getList(t, s, s.Token, [][2]string{{"row", "10"}}), "请求中未包含page信息")
	wantResultError(t, getList(t, s, s.Token, [][2]string{{"page", "1"}}), "请求中未包含row信息")
	wantResultError(t, getList(t, s, s.Token, [][2]string{{"page", "1"}, {"row", "10"}, {"storeId", "999"}}), "非法操作")
}
