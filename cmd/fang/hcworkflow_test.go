package main

import (
	"testing"

	"github.com/fangsdk/fang/property/propertytest"
)

// savedStoreID saves a company on srv and returns its storeId.
func savedStoreID(t *testing.T, srv *propertytest.Server) string {
	t.Helper()
	fang(t, propertyEnv(srv), saveArgs()...).wantCode(t, exitOK)
	cs := srv.Companies()
	return cs[len(cs)-1].StoreID
}

func TestPropertyUpdate(t *testing.T) {
	t.Parallel()
	srv := propertyServer(t)
	id := savedStoreID(t, srv)
	r := fang(t, propertyEnv(srv), "property", "update", "--store-id", id, "--address", "新地址", "--nearby-landmarks", "国贸").wantCode(t, exitOK)
	wantContains(t, r.stdout, "company "+id+" updated: address, nearByLandmarks")
	if c := srv.Companies()[0]; c.Address != "新地址" || c.NearbyLandmarks != "国贸" || c.Name != "物业公司A" {
		t.Errorf("company %+v", c)
	}
	m := fang(t, propertyCredEnv(srv), "property", "update", "--store-id", id, "--name", "新名", "--json").wantCode(t, exitOK).jsonOut(t)
	res := m["result"].(map[string]any)
	if m["ok"] != true || res["storeId"] != id || res["updated"].(map[string]any)["name"] != "新名" {
		t.Errorf("JSON %v", m)
	}
	wantNotContains(t, r.all(), srv.Token, srv.SecurityCode)

	// No --store-id: refused before sending, naming the flag.
	r = fang(t, propertyEnv(srv), "property", "update", "--name", "x").wantCode(t, exitUsage)
	wantContains(t, r.stderr, "--store-id")
	r = fang(t, propertyEnv(srv), "property", "update", "--store-id", "999", "--name", "x").wantCode(t, exitAPI)
	wantContains(t, r.stderr, "更新数据失败")
	if n := srv.Requests(propertytest.ServiceUpdateProperty); n != 3 {
		t.Errorf("%d updates sent, want 3", n)
	}
}

func TestPropertyDelete(t *testing.T) {
	t.Parallel()
	srv := propertyServer(t)
	id := savedStoreID(t, srv)
	r := fang(t, propertyEnv(srv), "property", "delete", "--store-id", id).wantCode(t, exitOK)
	wantContains(t, r.stdout, "company "+id+" deleted")
	if !srv.Companies()[0].Deleted {
		t.Error("not deleted")
	}
	last, _ := srv.LastRequest(propertytest.ServiceDeleteProperty)
	if string(last.Body) != `{"storeId":"`+id+`","storeTypeCd":"800900000003"}` {
		t.Errorf("body %s", last.Body)
	}
	// An unknown store is an API error (a deleted one is deleted again: 成功).
	m := fang(t, propertyEnv(srv), "property", "delete", "--store-id", "999", "--json").wantCode(t, exitAPI).jsonOut(t)
	if e := m["error"].(map[string]any); m["ok"] != false || e["kind"] != "api" {
		t.Errorf("JSON %v", m)
	}
	r = fang(t, propertyEnv(srv), "property", "delete").wantCode(t, exitUsage)
	wantContains(t, r.stderr, "--store-id")
	// A proxy's 502 after sending: the outcome is unknown, never repeated.
	srv.FailNext(3, propertytest.Failure{Endpoint: propertytest.ServiceDeleteProperty, HTTPStatus: 502})
	m = fang(t, propertyEnv(srv), "property", "delete", "--store-id", id, "--json").wantCode(t, exitUnknown).jsonOut(t)
	if e := m["error"].(map[string]any); e["kind"] != "outcome_unknown" || srv.PendingFailures() != 2 {
		t.Errorf("JSON %v, %d failures left", m, srv.PendingFailures())
	}
}

func TestPropertyCommunities(t *testing.T) {
	t.Parallel()
	srv := propertyServer(t, propertytest.WithCommunity(propertytest.CommunityDetails{CommunityID: "c9", Name: "东方花园", CityCode: "310115", Address: "上海"}))
	// Neither token nor credentials: the service needs no session.
	env := propertyEnv(srv)
	delete(env, "FANG_PROPERTY_TOKEN")
	r := fang(t, env, "property", "communities", "--name", "东方").wantCode(t, exitOK)
	wantContains(t, r.stdout, "1 community matches (page 1)", "c9  东方花园  city 310115  state 1100  上海")
	m := fang(t, env, "property", "communities", "--json").wantCode(t, exitOK).jsonOut(t)
	res := m["result"].(map[string]any)
	list := res["communities"].([]any)
	if res["total"] != 2.0 || len(list) != 2 || list[0].(map[string]any)["communityId"] != "c9" || list[0].(map[string]any)["nearbyLandmarks"] == nil { // newest first
		t.Errorf("JSON %v", m)
	}
	last, _ := srv.LastRequest(propertytest.ServiceListCommunities)
	if last.Header.Get("Authorization") != "" {
		t.Error("a session was sent")
	}
	// With a session configured it works the same.
	fang(t, propertyEnv(srv), "property", "communities", "--page", "1", "--row", "1").wantCode(t, exitOK)
	r = fang(t, env, "property", "communities", "--row", "-1").wantCode(t, exitUsage)
	wantContains(t, r.stderr, "--row")
}

func TestPropertyMenuGroups(t *testing.T) {
	t.Parallel()
	srv := propertyServer(t)
	r := fang(t, propertyEnv(srv), "property", "menu-groups", "--store-type", "800900000003").wantCode(t, exitOK)
	wantContains(t, r.stdout, "1 menu group matches", propertytest.DefaultMenuGroupID)
	m := fang(t, propertyCredEnv(srv), "property", "menu-groups", "--json").wantCode(t, exitOK).jsonOut(t)
	res := m["result"].(map[string]any)
	if g := res["menuGroups"].([]any); res["total"] != 1.0 || g[0].(map[string]any)["gId"] != propertytest.DefaultMenuGroupID {
		t.Errorf("JSON %v", m)
	}
	// This one needs a session.
	env := propertyEnv(srv)
	delete(env, "FANG_PROPERTY_TOKEN")
	r = fang(t, env, "property", "menu-groups").wantCode(t, exitUsage)
	wantContains(t, r.stderr, "--token")
}
