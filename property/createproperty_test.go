package property

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fangsdk/fang/internal/testkit"
	"github.com/fangsdk/fang/property/propertytest"
)

// createFixture is a fake server and a client whose settle window runs on
// a manual clock: each wait advances the clock instead of sleeping.
type createFixture struct {
	srv    *propertytest.Server
	c      *Client
	clock  *testkit.Clock
	waits  int
	onWait func(n int) // called after each wait, with its number (1, 2, …)
}

const (
	testWindow = 10 * time.Second
	testPoll   = 2 * time.Second
	// testLooks is how many listings a settle window of testWindow polled
	// every testPoll makes: at 0, 2, …, 10 s.
	testLooks = 6
)

func newCreateFixture(t *testing.T, srvOpts []propertytest.Option, opts ...Option) *createFixture {
	t.Helper()
	f := &createFixture{clock: testkit.NewClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))}
	f.srv = propertytest.NewServer(append([]propertytest.Option{propertytest.WithClock(f.clock.Now)}, srvOpts...)...)
	t.Cleanup(f.srv.Close)
	f.c = newCredClient(t, f.srv, append([]Option{WithSettleWindow(testWindow, testPoll)}, opts...)...)
	f.c.settle.now = f.clock.Now
	f.c.settle.sleep = func(ctx context.Context, d time.Duration) error {
		f.waits++
		f.clock.Advance(d)
		if f.onWait != nil {
			f.onWait(f.waits)
		}
		return ctx.Err()
	}
	return f
}

// saves is how many saveProperty requests reached the server.
func (f *createFixture) saves() int { return f.srv.Requests(ServiceSaveProperty) }

// lists is how many listProperty requests reached the server.
func (f *createFixture) lists() int { return f.srv.Requests(ServiceListProperty) }

// TestCreatePropertyReturnsTheNewCompany: list, save once, list: the
// company returned is the one the server created, with its StoreID.
func TestCreatePropertyReturnsTheNewCompany(t *testing.T) {
	f := newCreateFixture(t, nil)
	if _, err := f.c.SaveProperty(context.Background(), company(1)); err != nil { // another tel
		t.Fatal(err)
	}
	req := company(2)
	p, err := f.c.CreateProperty(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	cs := f.srv.Companies()
	if len(cs) != 2 || p.StoreID == "" || p.StoreID != cs[1].StoreID || p.Name != req.Name || p.Tel != req.Tel {
		t.Fatalf("got %+v, companies %+v", p, cs)
	}
	if f.saves() != 2 || f.lists() != 2 || f.waits != 0 {
		t.Errorf("%d saves (want 2: one before), %d lists (want 2), %d waits", f.saves(), f.lists(), f.waits)
	}
}

// TestCreatePropertySameNameAndTel: a company with the same name and tel
// exists already; the new one is returned, never the old one.
func TestCreatePropertySameNameAndTel(t *testing.T) {
	f := newCreateFixture(t, nil)
	req := company(3)
	if _, err := f.c.SaveProperty(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	old := f.srv.Companies()[0]
	p, err := f.c.CreateProperty(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	cs := f.srv.Companies()
	if len(cs) != 2 || p.StoreID == old.StoreID || p.StoreID != cs[1].StoreID {
		t.Fatalf("got %s, old %s, companies %+v", p.StoreID, old.StoreID, cs)
	}
}

// TestCreatePropertyLandsLater: the gateway's read timeout, the command
// lands with the third request after the save: the third look finds it,
// the save was sent once.
func TestCreatePropertyLandsLater(t *testing.T) {
	f := newCreateFixture(t, nil)
	held := f.srv.HoldNextSave(3)
	p, err := f.c.CreateProperty(context.Background(), company(4))
	if err != nil {
		t.Fatal(err)
	}
	c, landed := held.Landed()
	if !landed || p.StoreID != c.StoreID || len(f.srv.Companies()) != 1 {
		t.Fatalf("got %+v, landed %+v %v", p, c, landed)
	}
	if f.saves() != 1 || f.lists() != 4 || f.waits != 2 {
		t.Errorf("%d saves (want 1), %d lists (want 4), %d waits (want 2)", f.saves(), f.lists(), f.waits)
	}
}

// TestCreatePropertyNeverLandsNotCreated: the save timed out and never
// lands; the account lists several companies, so it would see the new
// one: after the whole window, ErrNotCreated, wrapping the save's failure
// as a definite one, with its transaction-id. One save.
func TestCreatePropertyNeverLandsNotCreated(t *testing.T) {
	f := newCreateFixture(t, nil)
	for i := 10; i < 12; i++ { // other companies: the operator lists them
		if _, err := f.c.SaveProperty(context.Background(), company(i)); err != nil {
			t.Fatal(err)
		}
	}
	held := f.srv.HoldNextSave(0)
	_, err := f.c.CreateProperty(context.Background(), company(5))
	var cerr *CreatePropertyError
	var saveErr *Error
	if !errors.Is(err, ErrNotCreated) || errors.Is(err, ErrOutcomeUnknown) || !errors.As(err, &cerr) || !errors.As(err, &saveErr) {
		t.Fatalf("err %v", err)
	}
	if cerr.TransactionID != held.TransactionID() || saveErr.TransactionID != held.TransactionID() || !strings.Contains(saveErr.Msg, "Read timed out") {
		t.Errorf("transaction-ids %q %q, held %q; save %v", cerr.TransactionID, saveErr.TransactionID, held.TransactionID(), saveErr)
	}
	if !strings.Contains(err.Error(), "not created") || !strings.Contains(err.Error(), held.TransactionID()) {
		t.Errorf("message %q", err)
	}
	// The pre-list, the window's looks, and one probe: no company has this
	// tel, but the account lists the two others.
	if f.saves() != 3 || f.lists() != 1+testLooks+1 || f.waits != testLooks-1 || len(f.srv.Companies()) != 2 {
		t.Errorf("%d saves (want 3: two before), %d lists, %d waits, %d companies", f.saves(), f.lists(), f.waits, len(f.srv.Companies()))
	}
}

// TestCreatePropertyNeverLandsCannotTell: the same on a server where the
// account lists no company at all: it might be scoped to its own company
// and unable to see a new one, so CreateProperty cannot tell and says
// ErrOutcomeUnknown with the save's transaction-id, never "not created".
func TestCreatePropertyNeverLandsCannotTell(t *testing.T) {
	f := newCreateFixture(t, nil)
	held := f.srv.HoldNextSave(0)
	_, err := f.c.CreateProperty(context.Background(), company(6))
	var cerr *CreatePropertyError
	var saveErr *Error
	if !errors.Is(err, ErrOutcomeUnknown) || errors.Is(err, ErrNotCreated) || !errors.As(err, &cerr) || !errors.As(err, &saveErr) {
		t.Fatalf("err %v", err)
	}
	if cerr.TransactionID != held.TransactionID() || saveErr.TransactionID != held.TransactionID() {
		t.Errorf("transaction-id %q, held %q", cerr.TransactionID, held.TransactionID())
	}
	// The listings of the window, then one probe of what the account sees.
	if f.saves() != 1 || f.lists() != 1+testLooks+1 || f.waits != testLooks-1 {
		t.Errorf("%d saves (want 1), %d lists, %d waits", f.saves(), f.lists(), f.waits)
	}
	// It lands after all: that is why "not created" was not said.
	if _, ok := held.Land(); !ok {
		t.Fatal("did not land")
	}
}

// TestCreatePropertyContextEndsFirst: the context ends inside the window:
// ErrOutcomeUnknown, wrapping the context's error.
func TestCreatePropertyContextEndsFirst(t *testing.T) {
	f := newCreateFixture(t, nil)
	f.srv.HoldNextSave(0)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f.onWait = func(n int) {
		if n == 2 {
			cancel()
		}
	}
	_, err := f.c.CreateProperty(ctx, company(7))
	if !errors.Is(err, ErrOutcomeUnknown) || !errors.Is(err, context.Canceled) || errors.Is(err, ErrNotCreated) {
		t.Fatalf("err %v", err)
	}
	if f.saves() != 1 || f.lists() != 3 {
		t.Errorf("%d saves, %d lists", f.saves(), f.lists())
	}
}

// TestCreatePropertyListingFailsAtTheEnd: the listings fail from the
// second wait on: the last look failed, so CreateProperty cannot tell.
func TestCreatePropertyListingFailsAtTheEnd(t *testing.T) {
	f := newCreateFixture(t, nil)
	for i := 20; i < 22; i++ {
		if _, err := f.c.SaveProperty(context.Background(), company(i)); err != nil {
			t.Fatal(err)
		}
	}
	f.srv.HoldNextSave(0)
	f.onWait = func(n int) {
		if n == 2 {
			f.srv.FailNext(100, propertytest.Failure{Endpoint: ServiceListProperty, Code: 404, Message: "内部异常：数据库异常"})
		}
	}
	_, err := f.c.CreateProperty(context.Background(), company(8))
	if !errors.Is(err, ErrOutcomeUnknown) || errors.Is(err, ErrNotCreated) || !errors.Is(err, ErrGateway) {
		t.Fatalf("err %v", err)
	}
	if f.saves() != 3 {
		t.Errorf("%d saves", f.saves())
	}
}

// TestCreatePropertyDefiniteFailure: a save that definitely failed is
// returned as it is; nothing is looked for afterwards.
func TestCreatePropertyDefiniteFailure(t *testing.T) {
	f := newCreateFixture(t, []propertytest.Option{propertytest.WithoutDefaultPrivilege()})
	_, err := f.c.CreateProperty(context.Background(), company(9))
	var e *Error
	if !errors.Is(err, ErrDefaultPrivilegeMissing) || !errors.As(err, &e) || !strings.Contains(err.Error(), "SaveProperty: ") {
		t.Fatalf("err %v", err)
	}
	if f.saves() != 1 || f.lists() != 1 || f.waits != 0 {
		t.Errorf("%d saves, %d lists, %d waits", f.saves(), f.lists(), f.waits)
	}
}

// TestCreatePropertyPreListFails: listing before saving fails: that
// error, and no save.
func TestCreatePropertyPreListFails(t *testing.T) {
	f := newCreateFixture(t, nil)
	f.srv.FailNext(1, propertytest.Failure{Endpoint: ServiceListProperty, Code: 404, Message: "内部异常：数据库异常"})
	_, err := f.c.CreateProperty(context.Background(), company(10))
	if !errors.Is(err, ErrGateway) {
		t.Fatalf("err %v", err)
	}
	if f.saves() != 0 || len(f.srv.Companies()) != 0 {
		t.Errorf("%d saves", f.saves())
	}
}

// TestCreatePropertyInvalidRequest: validated as SaveProperty, under
// CreateProperty's name; nothing sent.
func TestCreatePropertyInvalidRequest(t *testing.T) {
	f := newCreateFixture(t, nil)
	for _, req := range []*SavePropertyRequest{nil, {Name: "x"}} {
		_, err := f.c.CreateProperty(context.Background(), req)
		var ire *InvalidRequestError
		if !errors.As(err, &ire) || ire.Op != "CreateProperty" {
			t.Errorf("%+v: %v", req, err)
		}
	}
	//nolint:staticcheck // a nil context is what is tested
	if _, err := f.c.CreateProperty(nil, company(1)); !errors.Is(err, ErrInvalidRequest) {
		t.Errorf("nil ctx: %v", err)
	}
	if f.srv.Requests("") != 0 {
		t.Errorf("%d requests", f.srv.Requests(""))
	}
	if _, err := NewClient(WithBaseURL(f.srv.URL), WithAppID("a"), WithSettleWindow(-time.Second, 0)); !errors.Is(err, ErrConfig) {
		t.Errorf("negative window: %v", err)
	}
}

// TestCreatePropertyScopedAccount: an account of a company other than the
// operator's lists only its own company. A save that succeeded: the
// company exists but cannot be seen — ErrCreatedNotVisible, never "not
// created". A save whose outcome is unknown and that lands: the account
// cannot see it either, and lists one company at most, so CreateProperty
// says ErrOutcomeUnknown, not ErrNotCreated.
func TestCreatePropertyScopedAccount(t *testing.T) {
	f := newCreateFixture(t, nil)
	own := company(30)
	if _, err := f.c.SaveProperty(context.Background(), own); err != nil {
		t.Fatal(err)
	}
	// The new company's admin: username and password are its tel.
	scoped, err := NewClient(WithBaseURL(f.srv.URL), WithAppID(f.srv.AppID), WithSecurityCode(f.srv.SecurityCode),
		WithCredentials(own.Tel, own.Tel))
	if err != nil {
		t.Fatal(err)
	}
	defer scoped.Close()
	scoped.settle = f.c.settle

	_, err = scoped.CreateProperty(context.Background(), company(31))
	var cerr *CreatePropertyError
	if !errors.Is(err, ErrCreatedNotVisible) || errors.Is(err, ErrOutcomeUnknown) || errors.Is(err, ErrNotCreated) || !errors.As(err, &cerr) {
		t.Fatalf("err %v", err)
	}
	cs := f.srv.Companies()
	if len(cs) != 2 || cerr.TransactionID == "" || cs[1].TransactionID != cerr.TransactionID {
		t.Errorf("companies %+v, error's transaction-id %q", cs, cerr.TransactionID)
	}

	f.srv.HoldNextSave(2)
	_, err = scoped.CreateProperty(context.Background(), company(32))
	if !errors.Is(err, ErrOutcomeUnknown) || errors.Is(err, ErrNotCreated) {
		t.Fatalf("unknown, landed unseen: %v", err)
	}
	if n := len(f.srv.Companies()); n != 3 {
		t.Errorf("%d companies, want 3: it landed", n)
	}
	if f.srv.Requests(ServiceSaveProperty) != 3 {
		t.Errorf("%d saves", f.srv.Requests(ServiceSaveProperty))
	}
}

// TestCreatePropertyAmbiguous: while the outcome is unknown, two
// companies with the same name and tel appear (another client): which
// one, if any, is this call's cannot be told.
func TestCreatePropertyAmbiguous(t *testing.T) {
	f := newCreateFixture(t, nil)
	req := company(40)
	f.srv.HoldNextSave(0)
	other := newCredClient(t, f.srv)
	defer other.Close()
	f.onWait = func(n int) {
		if n == 1 {
			for range 2 {
				if _, err := other.SaveProperty(context.Background(), req); err != nil {
					t.Error(err)
				}
			}
		}
	}
	_, err := f.c.CreateProperty(context.Background(), req)
	var cerr *CreatePropertyError
	if !errors.Is(err, ErrAmbiguousCreate) || !errors.Is(err, ErrOutcomeUnknown) || !errors.As(err, &cerr) || len(cerr.Candidates) != 2 {
		t.Fatalf("err %v", err)
	}
	if f.saves() != 3 {
		t.Errorf("%d saves", f.saves())
	}
}

// listPage is a listProperty answer of total companies with tel, holding
// the stores ids[from:to] (names 公司N).
func listPage(total int, tel string, ids []string) reply {
	var b strings.Builder
	b.WriteString(`{"code":0,"msg":"成功","data":[`)
	for i, id := range ids {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`{"storeId":"` + id + `","name":"公司` + id + `","tel":"` + tel + `"}`)
	}
	b.WriteString(`],"records":1,"total":` + strconv.Itoa(total) + `}`)
	return reply{200, b.String()}
}

// TestCreatePropertyReadsEveryPage: 150 companies have the tel; the new
// one (newest first) pushes one company of page 1 onto page 2, where it
// is read twice and counted once; the new one is found among them.
func TestCreatePropertyReadsEveryPage(t *testing.T) {
	const tel = "13900000077"
	var ids []string
	for i := range 150 {
		ids = append(ids, strconv.Itoa(1000+i))
	}
	withNew := append([]string{"99"}, ids...)
	rec := newRecorder(t,
		listPage(150, tel, ids[:100]), listPage(150, tel, ids[100:]), // before
		reply{200, `{"code":0,"msg":"成功"}`},                                 // the save
		listPage(151, tel, withNew[:100]), listPage(151, tel, withNew[99:]), // after: 1099 on both pages
	)
	c := newTestClient(t, rec.URL)
	p, err := c.CreateProperty(context.Background(), &SavePropertyRequest{Name: "公司99", Address: "a", Tel: tel, Corporation: "c", FoundingTime: "2020-01-02"})
	if err != nil {
		t.Fatal(err)
	}
	if p.StoreID != "99" {
		t.Fatalf("got %+v", p)
	}
	var queries []string
	for _, r := range rec.requests() {
		queries = append(queries, r.Method+" "+r.Query)
	}
	want := []string{
		"GET page=1&row=100&tel=" + tel, "GET page=2&row=100&tel=" + tel,
		"POST ",
		"GET page=1&row=100&tel=" + tel, "GET page=2&row=100&tel=" + tel,
	}
	if strings.Join(queries, "\n") != strings.Join(want, "\n") {
		t.Fatalf("requests:\n%s\nwant:\n%s", strings.Join(queries, "\n"), strings.Join(want, "\n"))
	}
}

// TestCreatePropertyListChangesWhileRead: the total changes between the
// pages of every attempt to list before saving: the list is read a
// bounded number of times, then CreateProperty gives up without saving.
func TestCreatePropertyListChangesWhileRead(t *testing.T) {
	const tel = "13900000078"
	ids := make([]string, 100)
	for i := range ids {
		ids[i] = strconv.Itoa(2000 + i)
	}
	var replies []reply
	for range createListTries {
		replies = append(replies, listPage(150, tel, ids), listPage(151, tel, ids[:51]))
	}
	rec := newRecorder(t, replies...)
	c := newTestClient(t, rec.URL)
	_, err := c.CreateProperty(context.Background(), &SavePropertyRequest{Name: "x", Address: "a", Tel: tel, Corporation: "c", FoundingTime: "2020-01-02"})
	if err == nil || !strings.Contains(err.Error(), "changed while it was read") {
		t.Fatalf("err %v", err)
	}
	for _, r := range rec.requests() {
		if r.Method != http.MethodGet {
			t.Fatalf("sent %s", r.Method)
		}
	}
	if n := len(rec.requests()); n != 2*createListTries {
		t.Errorf("%d requests, want %d", n, 2*createListTries)
	}
}

// TestCreatePropertyListingFailsAfterSuccess: the save succeeded, the
// listing after it fails: it is tried again within the window, and the
// company found; when it keeps failing, ErrCreatedNotVisible wraps the
// failure — the company exists: never ErrOutcomeUnknown or ErrNotCreated.
func TestCreatePropertyListingFailsAfterSuccess(t *testing.T) {
	f := newCreateFixture(t, nil)
	pass := propertytest.Failure{Endpoint: ServiceListProperty} // nothing but a zero delay: the normal answer
	broken := propertytest.Failure{Endpoint: ServiceListProperty, Code: 404, Message: "内部异常：数据库异常"}

	f.srv.FailNext(1, pass) // the listing before the save
	f.srv.FailNext(1, broken)
	p, err := f.c.CreateProperty(context.Background(), company(50))
	if err != nil || p.StoreID != f.srv.Companies()[0].StoreID {
		t.Fatalf("got %+v, %v", p, err)
	}
	if f.saves() != 1 || f.lists() != 3 || f.waits != 1 {
		t.Errorf("%d saves, %d lists, %d waits", f.saves(), f.lists(), f.waits)
	}

	f.srv.FailNext(1, pass)
	f.srv.FailNext(100, broken)
	_, err = f.c.CreateProperty(context.Background(), company(51))
	var cerr *CreatePropertyError
	if !errors.Is(err, ErrCreatedNotVisible) || !errors.Is(err, ErrGateway) || errors.Is(err, ErrOutcomeUnknown) || errors.Is(err, ErrNotCreated) ||
		!errors.As(err, &cerr) || cerr.TransactionID != f.srv.Companies()[1].TransactionID {
		t.Fatalf("err %v", err)
	}
	if f.saves() != 2 {
		t.Errorf("%d saves", f.saves())
	}
	f.srv.ClearFailures()
}

// TestCreatePropertyAfterReadTimeoutThatRan: the gateway's read timeout
// after the command ran (propertytest.ReadTimeout), on either dialect: the
// first look finds the company; one save, no wait.
func TestCreatePropertyAfterReadTimeoutThatRan(t *testing.T) {
	for _, dialect := range [][]propertytest.Option{nil, {propertytest.WithSeedDialect()}} {
		f := newCreateFixture(t, dialect)
		f.srv.FailNext(1, propertytest.ReadTimeout(ServiceSaveProperty))
		p, err := f.c.CreateProperty(context.Background(), company(60))
		if err != nil {
			t.Fatal(err)
		}
		if cs := f.srv.Companies(); len(cs) != 1 || p.StoreID != cs[0].StoreID {
			t.Fatalf("got %+v, companies %+v", p, cs)
		}
		if f.saves() != 1 || f.lists() != 2 || f.waits != 0 {
			t.Errorf("%d saves, %d lists, %d waits", f.saves(), f.lists(), f.waits)
		}
	}
}
