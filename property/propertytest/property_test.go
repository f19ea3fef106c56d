package propertytest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// body returns a valid saveProperty body with edit applied to its fields
// (a nil value in edit deletes the field).
func body(t testing.TB, edit map[string]any) string {
	t.Helper()
	m := map[string]any{
		"name":            "物业公司A",
		"address":         "北京市朝阳区XX路XX号",
		"tel":             "18909711449",
		"corporation":     "张三",
		"foundingTime":    "2022-09-01",
		"nearbyLandmarks": "国投广场",
		"communityIds":    []string{DefaultCommunityID},
		"groupIds":        []string{DefaultMenuGroupID},
	}
	for k, v := range edit {
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// null is a field value marshalled as JSON null.
var null = json.RawMessage("null")

// TestSavePropertyValidation: SavePropertyCmd's checks, each answered
// HTTP 200 {"code":404,"msg":...} by the real server, creating nothing.
func TestSavePropertyValidation(t *testing.T) {
	tests := []struct {
		name string
		body string
		msg  string
	}{
		{"missing name", body(t, map[string]any{"name": nil}), "请求报文中未包含名称"},
		{"missing address", body(t, map[string]any{"address": nil}), "请求报文中未包含地址"},
		{"missing tel", body(t, map[string]any{"tel": nil}), "请求报文中未包含tel"},
		{"missing corporation", body(t, map[string]any{"corporation": nil}), "请求报文中未包含法人"},
		{"missing foundingTime", body(t, map[string]any{"foundingTime": nil}), "请求报文中未包含成立日期"},
		{"empty name", body(t, map[string]any{"name": ""}), "请求报文中未包含名称"},
		{"empty object", `{}`, "请求报文中未包含名称"},
		{"null name", body(t, map[string]any{"name": null}), "请求报文中未包含名称"},
		{"null tel", body(t, map[string]any{"tel": null}), "请求报文中未包含tel"},
		// A null array is a NullPointerException: no message at all.
		{"null communityIds", body(t, map[string]any{"communityIds": null}), ""},
		{"null groupIds", body(t, map[string]any{"groupIds": null}), ""},
		{"communities without groupIds", body(t, map[string]any{"groupIds": nil}), "未包含小区开通功能"},
		{"communities with empty groupIds", body(t, map[string]any{"groupIds": []string{}}), "未包含小区开通功能"},
		// Values wider than their columns make MySQL refuse the insert,
		// in its own words.
		{"name of 51 characters", body(t, map[string]any{"name": strings.Repeat("物", 51)}), "Data truncation: Data too long for column 'name' at row 1"},
		{"address of 201", body(t, map[string]any{"address": strings.Repeat("路", 201)}), "Data truncation: Data too long for column 'address' at row 1"},
		{"tel of 12", body(t, map[string]any{"tel": "189097114490"}), "Data truncation: Data too long for column 'tel' at row 1"},
		{"corporation of 51", body(t, map[string]any{"corporation": strings.Repeat("张", 51)}), "Data truncation: Data too long for column 'value' at row 1"},
		{"landmarks of 201", body(t, map[string]any{"nearByLandmarks": strings.Repeat("场", 201)}), "Data truncation: Data too long for column 'nearby_landmarks' at row 1"},
		{"mapX of 21", body(t, map[string]any{"mapX": strings.Repeat("1", 21)}), "Data truncation: Data too long for column 'map_x' at row 1"},
		{"unknown community", body(t, map[string]any{"communityIds": []string{"999"}}), "小区不存在"},
		{"unknown group", body(t, map[string]any{"groupIds": []string{"999"}}), "没有分配任何功能"},
	}
	s := NewServer()
	defer s.Close()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantResultError(t, do(t, newRequest(t, s, ServiceSaveProperty, tt.body, s.Token)), tt.msg)
		})
	}
	// Bodies that are no JSON object fail in the dispatcher (see
	// TestBodyThatIsNotAJSONObject).
	for b, msg := range map[string]string{
		`name=x`: "内部异常：syntax error",
		`null`:   "内部异常：nullnull",
		`[]`:     "内部异常：can not cast to JSONObject.can not cast to JSONObject.",
	} {
		if got := do(t, newRequest(t, s, ServiceSaveProperty, b, s.Token)); got.status != http.StatusOK || !strings.HasPrefix(got.envelope(t).Msg, msg) {
			t.Errorf("body %s: %d %s", b, got.status, got.body)
		}
	}
	if n := len(s.Companies()); n != 0 {
		t.Fatalf("failed requests created %d companies", n)
	}
	// Nothing was bound either: the community is still free.
	wantJSON(t, do(t, newRequest(t, s, ServiceSaveProperty, seedBody, s.Token)), http.StatusOK, 0, "成功")
}

func TestSavePropertyAccepts(t *testing.T) {
	s := NewServer()
	defer s.Close()
	for name, b := range map[string]string{
		"name of 50 characters":      body(t, map[string]any{"name": strings.Repeat("物", 50), "communityIds": nil, "groupIds": nil}),
		"no optional fields":         body(t, map[string]any{"nearbyLandmarks": nil, "communityIds": nil, "groupIds": nil}),
		"empty communityIds":         body(t, map[string]any{"communityIds": []string{}, "groupIds": nil}),
		"groups without communities": body(t, map[string]any{"communityIds": nil, "groupIds": []string{"999"}}),
		"unknown fields are ignored": body(t, map[string]any{"communityIds": nil, "extra": 1}),
		"blank address passes":       body(t, map[string]any{"communityIds": nil, "address": "  "}),
		"numeric tel":                body(t, map[string]any{"communityIds": nil, "tel": 13900000001}),
		"date not checked":           body(t, map[string]any{"communityIds": nil, "foundingTime": "2022/02/30"}),
	} {
		t.Run(name, func(t *testing.T) {
			wantJSON(t, do(t, newRequest(t, s, ServiceSaveProperty, b, s.Token)), http.StatusOK, 0, "成功")
		})
	}
	wantJSON(t, do(t, newRequest(t, s, ServiceSaveProperty, body(t, map[string]any{"communityIds": nil, "mapX": "116.4", "mapY": "39.9"}), s.Token)), http.StatusOK, 0, "成功")
	cs := s.Companies()
	if last := cs[len(cs)-1]; last.MapX != "116.4" || last.MapY != "39.9" {
		t.Errorf("map = %q,%q", last.MapX, last.MapY)
	}
	if cs[0].MapX != "1" || cs[0].MapY != "1" {
		t.Errorf("default map = %q,%q", cs[0].MapX, cs[0].MapY)
	}
}

// TestLandmarkField: the server fills StorePo by field name, nearByLandmarks;
// the seed's nearbyLandmarks alone is lost (kept in the seed dialect).
func TestLandmarkField(t *testing.T) {
	for _, tt := range []struct {
		seed bool
		edit map[string]any
		want string
	}{
		{false, map[string]any{"nearbyLandmarks": "A"}, ""},
		{false, map[string]any{"nearbyLandmarks": nil, "nearByLandmarks": "B"}, "B"},
		{false, map[string]any{"nearbyLandmarks": "C", "nearByLandmarks": "C"}, "C"},
		{true, map[string]any{"nearbyLandmarks": "D"}, "D"},
	} {
		var opts []Option
		if tt.seed {
			opts = append(opts, WithSeedDialect())
		}
		s := NewServer(opts...)
		tt.edit["communityIds"] = nil
		wantJSON(t, do(t, newRequest(t, s, ServiceSaveProperty, body(t, tt.edit), s.Token)), http.StatusOK, 0, "成功")
		if got := s.Companies()[0].NearbyLandmarks; got != tt.want {
			t.Errorf("seed %v %v: landmark %q, want %q", tt.seed, tt.edit, got, tt.want)
		}
		s.Close()
	}
}

func TestWithoutDefaultPrivilege(t *testing.T) {
	for _, seed := range []bool{false, true} {
		opts := []Option{WithoutDefaultPrivilege()}
		code := 404
		if seed {
			opts, code = append(opts, WithSeedDialect()), -3
		}
		s := NewServer(opts...)
		wantJSON(t, do(t, newRequest(t, s, ServiceSaveProperty, seedBody, s.Token)), http.StatusOK, code, "未配置物业默认权限")
		wantJSON(t, do(t, newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)), http.StatusOK, code, "未配置物业默认权限")
		// Validation still comes first.
		wantResultError(t, do(t, newRequest(t, s, ServiceSaveProperty, `{}`, s.Token)), "请求报文中未包含名称")
		if n := len(s.Companies()); n != 0 {
			t.Errorf("%d companies", n)
		}
		s.Close()
	}
}

func TestCommunityAlreadySettled(t *testing.T) {
	for _, seed := range []bool{false, true} {
		opts := []Option{WithCommunities("c1", "c2", "c3"), WithMenuGroups("g1", "g2")}
		settled := func(id string) (int, string) { return 404, "小区已经入驻" + id }
		if seed {
			opts = append(opts, WithSeedDialect())
			settled = func(string) (int, string) { return -2, "小区已入驻" }
		}
		s := NewServer(opts...)
		save := func(communities ...string) result {
			return do(t, newRequest(t, s, ServiceSaveProperty, body(t, map[string]any{"communityIds": communities, "groupIds": []string{"g1", "g2"}}), s.Token))
		}
		wantSettled := func(got result, id string) {
			t.Helper()
			code, msg := settled(id)
			wantJSON(t, got, http.StatusOK, code, msg)
		}

		wantJSON(t, save("c1"), http.StatusOK, 0, "成功")
		wantSettled(save("c1"), "c1")
		// All or nothing: c2 is not bound by a request that fails on c1.
		wantSettled(save("c2", "c1"), "c1")
		// Nor by one that fails on an unknown community.
		wantResultError(t, save("c2", "c9"), "小区不存在")
		// A community listed twice settles on its first mention.
		wantSettled(save("c3", "c3"), "c3")
		wantJSON(t, save("c2", "c3"), http.StatusOK, 0, "成功")

		cs := s.Companies()
		if len(cs) != 2 || strings.Join(cs[1].CommunityIDs, ",") != "c2,c3" || strings.Join(cs[1].GroupIDs, ",") != "g1,g2" {
			t.Fatalf("companies = %+v", cs)
		}
		// The default community is not known on this server.
		wantResultError(t, do(t, newRequest(t, s, ServiceSaveProperty, seedBody, s.Token)), "小区不存在")
		s.Close()
	}
}

func TestSavePropertyNotIdempotent(t *testing.T) {
	s := NewServer()
	defer s.Close()
	wantJSON(t, do(t, newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)), http.StatusOK, 0, "成功")
	wantJSON(t, do(t, newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)), http.StatusOK, 0, "成功")
	cs := s.Companies()
	if len(cs) != 2 || cs[0].StoreID == cs[1].StoreID || cs[0].Name != cs[1].Name || cs[0].TransactionID == cs[1].TransactionID {
		t.Fatalf("companies = %+v", cs)
	}
	login(t, s, "13800000000", "13800000000")
}

func TestConcurrentSaves(t *testing.T) {
	s := NewServer()
	defer s.Close()
	const goroutines, each = 32, 8
	bodies := make([][]string, goroutines)
	for g := range bodies {
		for i := range each {
			bodies[g] = append(bodies[g], body(t, map[string]any{"tel": fmt.Sprintf("139%04d%04d", g, i), "communityIds": nil, "groupIds": nil}))
		}
	}
	var wg sync.WaitGroup
	errs := make(chan string, goroutines*each+16)
	for g := range goroutines {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i, b := range bodies[g] {
				got, err := try(newRequest(t, s, ServiceSaveProperty, b, s.Token))
				if err != nil || got.status != http.StatusOK || got.body != `{"code":0,"msg":"成功","page":0,"records":0,"rows":0,"total":0}` {
					errs <- fmt.Sprintf("save: %v %s", err, got.body)
				}
				if i == 0 {
					s.Companies()
					s.Requests(ServiceSaveProperty)
					s.LastRequest(ServiceSaveProperty)
					s.TransactionIDs()
				}
			}
		}(g)
	}
	// Meanwhile, logins and competing claims of one community.
	var wins, losses int
	var mu sync.Mutex
	loginBody := loginBody(s.Username, s.Password)
	for range 8 {
		wg.Go(func() {
			if got, err := try(newRequest(t, s, ServiceLogin, loginBody, "")); err != nil || got.status != http.StatusOK {
				errs <- fmt.Sprintf("login: %v %s", err, got.body)
			}
			got, err := try(newRequest(t, s, ServiceSaveProperty, seedBody, s.Token))
			var e envelope
			if err == nil {
				err = json.Unmarshal([]byte(got.body), &e)
			}
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil:
				errs <- fmt.Sprintf("claim: %v", err)
			case e.Code == 0:
				wins++
			case e.Code == 404 && strings.HasPrefix(e.Msg, "小区已经入驻"):
				losses++
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if wins != 1 || losses != 7 {
		t.Errorf("community claimed %d times, refused %d times", wins, losses)
	}

	cs := s.Companies()
	if len(cs) != goroutines*each+1 {
		t.Fatalf("%d companies, want %d", len(cs), goroutines*each+1)
	}
	ids := make(map[string]bool)
	for _, c := range cs {
		if ids[c.StoreID] {
			t.Fatalf("duplicate storeId %s", c.StoreID)
		}
		ids[c.StoreID] = true
	}
	if s.Logins() != 8 || len(s.TransactionIDs()) != goroutines*each+16 {
		t.Errorf("Logins %d, transaction ids %d", s.Logins(), len(s.TransactionIDs()))
	}
}
