package property

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/fangsdk/fang/internal/call"
	"github.com/fangsdk/fang/internal/check"
)

// Defaults of WithSettleWindow.
const (
	// DefaultSettleWindow is how long CreateProperty keeps looking for a
	// company whose save ended with an unknown outcome: twice the 30 s
	// that the gateway's three 10 s timeouts towards the command service
	// (connection from the pool, connect, read) add up to.
	DefaultSettleWindow = 60 * time.Second
	// DefaultSettlePoll is how often CreateProperty lists the companies
	// during the settle window.
	DefaultSettlePoll = 2 * time.Second
)

// Bounds of one listing of the companies with a tel.
const (
	createListRow   = 100 // companies per page
	createListPages = 10  // pages at most: 1,000 companies with one tel
	createListTries = 3   // listings of all pages, when the list changes while it is read
)

// More sentinels, for CreateProperty.
var (
	// ErrNotCreated matches a CreateProperty whose save ended with an
	// unknown outcome, and whose company did not appear within the settle
	// window (WithSettleWindow) to an account that sees other companies
	// than its own: nothing was created, and saving again is safe. The
	// error wraps the save's failure, no longer as an unknown outcome.
	ErrNotCreated = errors.New("property: company not created")
	// ErrCreatedNotVisible matches a CreateProperty whose save succeeded
	// but whose company this account cannot find: listProperty shows an
	// account of a company other than the platform operator's only that
	// company. The company exists: do not save again; find it with the
	// operator's account (ListProperties by tel).
	ErrCreatedNotVisible = errors.New("property: company created, but this account cannot see it")
	// ErrAmbiguousCreate matches a CreateProperty that found several new
	// companies with the request's name and tel (names and tels are not
	// unique: someone else created one at the same time). Which one is
	// this call's cannot be told; CreatePropertyError.Candidates lists
	// them. When the save's outcome was unknown, the error also matches
	// ErrOutcomeUnknown: none of them may be this call's.
	ErrAmbiguousCreate = errors.New("property: several new companies with this name and tel")
)

// CreatePropertyError is a failure of CreateProperty after the save was
// sent, when the save's answer alone does not say what happened. It
// matches one of ErrNotCreated, ErrCreatedNotVisible, ErrAmbiguousCreate
// or ErrOutcomeUnknown (see CreateProperty), and unwraps to the save's
// *Error (when the save failed) and to the last listing's failure, if any.
type CreatePropertyError struct {
	// TransactionID is the transaction-id the save was sent with: the
	// handle to find it in the server's logs.
	TransactionID string
	// Candidates are the new companies found, with ErrAmbiguousCreate.
	Candidates []Property

	kind   error  // the sentinel
	save   *Error // the save's failure; nil when it succeeded
	cause  error  // why CreateProperty could not tell, if it could not
	reason string // what happened, in words
}

func (e *CreatePropertyError) Error() string {
	s := "property: CreateProperty: " + e.reason
	if e.save != nil {
		s += "; the save: " + strings.TrimPrefix(e.save.Error(), "property: ")
	} else if e.TransactionID != "" {
		s += " (transaction-id " + e.TransactionID + ")"
	}
	if e.cause != nil {
		s += "; last look: " + strings.TrimPrefix(e.cause.Error(), "property: ")
	}
	return s
}

// Is matches the sentinel e stands for.
func (e *CreatePropertyError) Is(target error) bool { return target == e.kind }

// Unwrap returns the save's failure and the cause, those that are set.
func (e *CreatePropertyError) Unwrap() []error {
	var errs []error
	if e.save != nil {
		errs = append(errs, e.save)
	}
	if e.cause != nil {
		errs = append(errs, e.cause)
	}
	return errs
}

// settle is how CreateProperty waits for a save whose outcome is unknown.
type settle struct {
	window, poll time.Duration
	now          func() time.Time
	sleep        func(ctx context.Context, d time.Duration) error
}

// CreateProperty is SaveProperty that returns the created company with
// its StoreID, exactly once: it lists the companies with req.Tel before
// saving, saves, and finds the company that was not there before (tel,
// name). On an outcome that is unknown it keeps looking (listProperty) for
// a bounded settle window instead of guessing; it reports "not created"
// only when the company cannot still appear, and ErrOutcomeUnknown when it
// cannot tell. It never sends the save twice.
//
// Every listing reads every page of the companies with req.Tel (up to
// 1,000); names are compared exactly. The answers, in order:
//
//   - req failed validation (as SaveProperty's; the error's Op is
//     "CreateProperty"), or listing before saving failed: that error;
//     nothing was sent or saved.
//   - the save failed definitely (ErrSaveFailed, ErrCommunityAlreadySettled,
//     ErrGateway, …): SaveProperty's error; nothing was created.
//   - the save succeeded: the one new company with req's name and tel.
//     None found: ErrCreatedNotVisible (the company exists, but an account
//     of a company other than the platform operator's sees only its own).
//     Several: ErrAmbiguousCreate. A listing that fails is tried again
//     every poll interval within the settle window; when none works,
//     ErrCreatedNotVisible wraps the last failure.
//   - the save's outcome was unknown (the gateway's read timeout, a
//     connection lost after sending, a proxy's error page): CreateProperty
//     lists every poll interval until the company appears — then it
//     returns it — or until the settle window (WithSettleWindow, default
//     one minute after the save's answer) is over. It then reports
//     ErrNotCreated (a *CreatePropertyError wrapping the save's failure)
//     when the last look, at the window's end, succeeded and the account
//     has been seen to list two companies or more (an account scoped to
//     its own company lists one at most, and could not see the new one).
//     Otherwise it cannot tell, and the error matches ErrOutcomeUnknown
//     and carries the save's transaction-id: when ctx ends first, when the
//     last look failed, or when the account may be scoped. Several new
//     matches: ErrAmbiguousCreate, also matching ErrOutcomeUnknown.
//
// ErrNotCreated rests on the window: a command that runs longer than the
// window after the gateway gave up on it would land unseen. Give ctx a
// deadline beyond the window, or the call ends with ErrOutcomeUnknown.
// A company another client creates with the same name and tel while
// CreateProperty runs cannot be told from this call's: one such company
// appearing while this save fails unseen would be taken for this call's.
//
// SaveProperty remains the low-level call: one request, and the caller
// reconciles.
func (c *Client) CreateProperty(ctx context.Context, req *SavePropertyRequest) (*Property, error) {
	chk := check.New("CreateProperty")
	switch {
	case ctx == nil:
		chk.Context(ctx)
	case req == nil:
		chk.Add("request", "is nil")
	default:
		checkSave(chk, req)
		checkForwardable(chk, "Tel", req.Tel) // the searches for the company are GETs by tel
	}
	if err := c.caller.Invalid(chk); err != nil {
		return nil, err
	}
	list, seen, err := c.companiesWithTel(ctx, req.Tel) // seen: the most companies one listing returned
	if err != nil {
		return nil, err
	}
	before := make(map[string]bool, len(list))
	for _, p := range list {
		before[p.StoreID] = true
	}
	resp, saveErr := c.SaveProperty(ctx, req)
	var unknown *Error // the save's failure when its outcome is unknown; nil after a success
	var txid string
	switch {
	case saveErr == nil:
		txid = resp.TransactionID
	case errors.Is(saveErr, ErrOutcomeUnknown) && errors.As(saveErr, &unknown):
		txid = unknown.TransactionID
	default:
		return nil, saveErr
	}
	fail := func(kind, cause error, reason string) *CreatePropertyError {
		return &CreatePropertyError{TransactionID: txid, kind: kind, save: unknown, cause: cause, reason: reason}
	}

	// Look until the company appears, or (outcome unknown) the settle
	// window is over; after a success, until a listing works.
	s := c.settle
	end := s.now().Add(s.window)
	var lastErr error
	for look := 0; look <= int(s.window/s.poll)+2; look++ {
		after, total, err := c.companiesWithTel(ctx, req.Tel)
		lastErr = err
		if err == nil {
			seen = max(seen, total)
			// after holds the companies with req's tel only: the new ones
			// with its name are this call's.
			found := slices.DeleteFunc(after, func(p Property) bool { return before[p.StoreID] || p.Name != req.Name })
			switch {
			case len(found) == 1:
				return &found[0], nil
			case len(found) > 1:
				reason := fmt.Sprintf("the company was created, but %d new companies with this name and tel appeared: it is one of them", len(found))
				if unknown != nil {
					reason = fmt.Sprintf("outcome unknown: %d new companies with this name and tel appeared: none, one or all of them may be this call's", len(found))
				}
				e := fail(ErrAmbiguousCreate, nil, reason)
				e.Candidates = found
				return nil, e
			case unknown == nil:
				return nil, fail(ErrCreatedNotVisible, nil, "the company was created, but this account cannot see it (an account of a company other than the platform operator's lists only its own): do not save again; find it with the operator's account")
			}
		}
		left := end.Sub(s.now())
		if left <= 0 {
			break
		}
		if err := s.sleep(ctx, min(s.poll, left)); err != nil {
			if unknown == nil {
				return nil, fail(ErrCreatedNotVisible, errors.Join(lastErr, err), "the company was created, but listing the companies failed until the context ended: do not save again; find it with ListProperties by tel")
			}
			return nil, fail(ErrOutcomeUnknown, err, "outcome unknown: the company has not appeared, and the context ended before the settle window did")
		}
	}
	switch {
	case unknown == nil:
		return nil, fail(ErrCreatedNotVisible, lastErr, "the company was created, but listing the companies kept failing: do not save again; find it with ListProperties by tel")
	case s.now().Before(end): // out of looks before the window's end: only if the clock stalls
		return nil, fail(ErrOutcomeUnknown, lastErr, "outcome unknown: the company has not appeared, and the settle window is not over")
	case lastErr != nil:
		return nil, fail(ErrOutcomeUnknown, lastErr, "outcome unknown: the company had not appeared when listing the companies failed at the end of the settle window")
	}
	if seen < 2 {
		// A scoped account lists its own company only: is this one?
		probe, err := c.ListProperties(ctx, &ListPropertiesRequest{Row: 1})
		if err != nil {
			return nil, fail(ErrOutcomeUnknown, err, "outcome unknown: the company did not appear within the settle window, and whether this account can see it could not be checked")
		}
		seen = max(seen, probe.Total)
	}
	if seen < 2 {
		return nil, fail(ErrOutcomeUnknown, nil, "outcome unknown: the company did not appear within the settle window, but this account lists one company at most, so it may be unable to see it")
	}
	e := fail(ErrNotCreated, nil, fmt.Sprintf("not created: nothing was created (the company did not appear within the settle window of %s); saving again is safe", s.window))
	definite := *unknown
	definite.meta.Unknown = false
	e.save = &definite
	return nil, e
}

// companiesWithTel lists every page of the companies with tel, in the
// server's order, and returns them with the total the server reported.
// The list is read again when it changed while it was read (a company
// created or deleted between pages), a bounded number of times.
func (c *Client) companiesWithTel(ctx context.Context, tel string) ([]Property, int, error) {
	for range createListTries {
		list, total, err := c.readTel(ctx, tel)
		if !errors.Is(err, errListChanged) {
			return list, total, err
		}
	}
	return nil, 0, &Error{Msg: errListChanged.Error(), meta: call.Meta{Op: "CreateProperty", Cause: errListChanged}}
}

// errListChanged reports a list that changed while its pages were read.
var errListChanged = errors.New("the list of companies changed while it was read")

// readTel reads every page of the companies with tel once; errListChanged
// when the list changed meanwhile.
func (c *Client) readTel(ctx context.Context, tel string) ([]Property, int, error) {
	var list []Property
	ids := map[string]bool{}
	total := -1
	for page := 1; page <= createListPages; page++ {
		resp, err := c.ListProperties(ctx, &ListPropertiesRequest{Tel: tel, Page: page, Row: createListRow})
		if err != nil {
			return nil, 0, err
		}
		switch {
		case total < 0:
			total = resp.Total
		case resp.Total != total:
			return nil, 0, errListChanged
		}
		for _, p := range resp.Properties {
			if ids[p.StoreID] {
				continue // shifted onto this page by a company created meanwhile
			}
			ids[p.StoreID] = true
			if p.Tel == tel {
				list = append(list, p)
			}
		}
		if page*createListRow >= total || len(resp.Properties) == 0 {
			if len(ids) != total {
				return nil, 0, errListChanged
			}
			return list, total, nil
		}
	}
	return nil, 0, &Error{meta: call.Meta{Op: "CreateProperty"}, Msg: fmt.Sprintf("more than %d companies have this tel: CreateProperty cannot tell a new one among them; use SaveProperty and ListProperties", createListRow*createListPages)}
}
