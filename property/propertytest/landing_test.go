package propertytest

import (
	"net/http"
	"testing"
)

// TestHoldNextSaveLandsAfterFurtherRequests: the held save answers the
// gateway's read timeout and creates nothing; the company appears just
// before the second request after it is processed, with the save's
// transaction-id; the next save is not held.
func TestHoldNextSaveLandsAfterFurtherRequests(t *testing.T) {
	s := NewServer()
	defer s.Close()
	h := s.HoldNextSave(2)
	if h.Received() || h.TransactionID() != "" {
		t.Fatal("received before any save")
	}
	req := newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)
	wantResultError(t, do(t, req), readTimeoutMsg(ServiceSaveProperty))
	if !h.Received() || h.TransactionID() != req.Header.Get("transaction-id") {
		t.Fatalf("received %v, txid %q", h.Received(), h.TransactionID())
	}
	if n := len(s.Companies()); n != 0 {
		t.Fatalf("%d companies before landing", n)
	}
	if a := decodeList(t, getList(t, s, s.Token, [][2]string{{"page", "1"}, {"row", "10"}})); a.Total != 0 {
		t.Fatalf("first request after the save sees %+v", a)
	}
	a := decodeList(t, getList(t, s, s.Token, [][2]string{{"page", "1"}, {"row", "10"}}))
	if a.Total != 1 || a.Data[0]["name"] != "物业公司B" {
		t.Fatalf("second request after the save sees %+v", a)
	}
	c, ok := h.Landed()
	if !ok || c.TransactionID != h.TransactionID() || c.StoreID != a.Data[0]["storeId"] {
		t.Fatalf("landed %+v %v", c, ok)
	}
	if _, again := h.Land(); again {
		t.Error("landed twice")
	}
	// The admin of the landed company can log in.
	login(t, s, "13800000000", "13800000000")
	// Not held any more.
	wantJSON(t, do(t, newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)), http.StatusOK, 0, "成功")
	if n := len(s.Companies()); n != 2 {
		t.Fatalf("%d companies", n)
	}
}

// TestHoldNextSaveLandOrNever: after <= 0 lands only on Land; a dropped
// save never lands; a landing command that fails then creates nothing.
func TestHoldNextSaveLandOrNever(t *testing.T) {
	s := NewServer()
	defer s.Close()
	never := s.HoldNextSave(0)
	manual := s.HoldNextSave(-1)
	late := s.HoldNextSave(1)
	late.Drop()
	wantResultError(t, do(t, newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)), readTimeoutMsg(ServiceSaveProperty))
	wantResultError(t, do(t, newRequest(t, s, ServiceSaveProperty, seedBody, s.Token)), readTimeoutMsg(ServiceSaveProperty))
	wantResultError(t, do(t, newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)), readTimeoutMsg(ServiceSaveProperty))
	for range 3 {
		decodeList(t, getList(t, s, s.Token, [][2]string{{"page", "1"}, {"row", "10"}}))
	}
	if n := len(s.Companies()); n != 0 {
		t.Fatalf("%d companies, none landed", n)
	}
	c, ok := manual.Land()
	if !ok || c.Name != "物业公司A" || len(s.Companies()) != 1 {
		t.Fatalf("manual land: %+v %v", c, ok)
	}
	if _, ok := late.Land(); ok {
		t.Error("a dropped save landed")
	}
	never.Drop()
	if _, ok := never.Land(); ok || len(s.Companies()) != 1 {
		t.Error("a dropped save landed")
	}
	// The community is settled now: a held save for it fails when it
	// lands, and creates nothing.
	h := s.HoldNextSave(0)
	wantResultError(t, do(t, newRequest(t, s, ServiceSaveProperty, seedBody, s.Token)), readTimeoutMsg(ServiceSaveProperty))
	if _, ok := h.Land(); ok || len(s.Companies()) != 1 {
		t.Fatalf("a failing command created something: %+v", s.Companies())
	}
}

// TestLandedIsTheHeldSavesOwnCompany: the real gateway lets two saves
// carry one transaction-id. A held save whose command fails when it lands
// created nothing, even when an earlier company has its transaction-id;
// one that succeeds reports its own company, not the earlier one.
func TestLandedIsTheHeldSavesOwnCompany(t *testing.T) {
	s := NewServer()
	defer s.Close()
	first := newRequest(t, s, ServiceSaveProperty, seedBody, s.Token)
	txid := first.Header.Get("transaction-id")
	wantJSON(t, do(t, first), http.StatusOK, 0, "成功")
	again := func(body string) *HeldSave {
		h := s.HoldNextSave(0)
		r := newRequest(t, s, ServiceSaveProperty, body, s.Token)
		r.Header.Set("transaction-id", txid)
		resign(r, body, s.SecurityCode)
		wantResultError(t, do(t, r), readTimeoutMsg(ServiceSaveProperty))
		return h
	}
	// The community is settled: this command fails when it lands.
	if c, ok := again(seedBody).Land(); ok {
		t.Fatalf("a failed command reports the earlier company %+v", c)
	}
	c, ok := again(plainBody).Land()
	if !ok || c.Name != "物业公司B" || c.StoreID == s.Companies()[0].StoreID {
		t.Fatalf("landed %+v %v, want the new company", c, ok)
	}
}
