package kanfang

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/fangsdk/fang/internal/call"
	"github.com/fangsdk/fang/internal/check"
)

// Limits of AddNotifyTaskRequest's fields, in characters (PackageID holds
// at most MaxFieldLength).
const (
	MaxNotifyConfigIDLength = 32
	MaxPayloadLength        = 255
)

// AddNotifyTaskRequest pushes a panorama data package to a receiver
// configured on the platform (Anjuke, say): the second step after
// PutAnjukeBianHao. The `url` tags are the form's names, so that it may
// also be given to Do.
type AddNotifyTaskRequest struct {
	PackageID      string `url:"packageId"`      // the data package (≤ 128 characters)
	NotifyConfigID string `url:"notifyconfigId"` // the push configuration 123kanfang gave (≤ 32 characters)
	// ForcePush pushes a package already pushed to this configuration
	// again. 123kanfang pushes a package once by default and bans accounts
	// that force-push needlessly: a forced push is never repeated once it
	// may have reached the server.
	ForcePush bool   `url:"forcePush,omitempty"`
	Payload   string `url:"payload,omitempty"` // optional extra data, usually JSON (≤ 255 characters)
}

// NotifyResult is the outcome of a notify task's push.
type NotifyResult int

// The outcomes the platform reports.
const (
	NotNotified   NotifyResult = 0 // not notified (yet)
	NotifyOK      NotifyResult = 1 // the receiver accepted the push
	NotifyRefused NotifyResult = 2 // the receiver refused it
	NotifyError   NotifyResult = 3 // the push failed
)

// String returns "not notified", "ok", "refused" or "error", and
// "NotifyResult(n)" for a value the platform does not document.
func (r NotifyResult) String() string {
	switch r {
	case NotNotified:
		return "not notified"
	case NotifyOK:
		return "ok"
	case NotifyRefused:
		return "refused"
	case NotifyError:
		return "error"
	}
	return "NotifyResult(" + strconv.Itoa(int(r)) + ")"
}

// NotifyTask is the task AddNotifyTask created, or the one that already
// pushed the package to this configuration (a push without ForcePush is
// not made twice). The json tags are the platform's names.
type NotifyTask struct {
	ID             string       `json:"id"`
	NotifyConfigID string       `json:"notifyConfigId"`
	HouseTaskID    string       `json:"houseTaskId"`
	NotifyResult   NotifyResult `json:"notifyResult"`
}

// addNotifyTask and forcePush are the endpoint without and with
// ForcePush. Without it the platform does not push a package twice:
// repeating the call is harmless. A forced push is made again each time:
// it is never repeated once it may have reached the server (123kanfang
// bans accounts that re-push).
var (
	addNotifyTask = call.Endpoint[AddNotifyTaskRequest, NotifyTask]{
		Spec:  call.Spec{Op: "AddNotifyTask", Method: http.MethodPost, Path: PathAddNewNotifyTaskByPackageID, Idempotent: true},
		Check: checkNotifyTask, Decode: decodeNotifyTask,
	}
	forcePush = call.Endpoint[AddNotifyTaskRequest, NotifyTask]{
		Spec:  call.Spec{Op: "AddNotifyTask", Method: http.MethodPost, Path: PathAddNewNotifyTaskByPackageID},
		Check: checkNotifyTask, Decode: decodeForcedTask,
	}
)

// decodeForcedTask reads the task of a forced push's state-200 answer. A
// payload that does not name the task still says the platform accepted
// the push (state 200): the error says the outcome is unknown, so that
// the caller looks before pushing again.
func decodeForcedTask(a *call.Answer, out *NotifyTask) error {
	err := decodeNotifyTask(a, out)
	if e, ok := errors.AsType[*Error](err); ok {
		e.meta.Unknown = true
	}
	return err
}

// checkNotifyTask records the problems of an AddNotifyTaskRequest.
func checkNotifyTask(c *check.Checker, r *AddNotifyTaskRequest) {
	c.RequiredText("PackageID", r.PackageID, MaxFieldLength)
	c.RequiredText("NotifyConfigID", r.NotifyConfigID, MaxNotifyConfigIDLength)
	if r.Payload != "" && strings.TrimSpace(r.Payload) == "" {
		c.Add("Payload", check.Blank)
	} else {
		c.OptionalText("Payload", r.Payload, MaxPayloadLength)
	}
}

// decodeNotifyTask reads the task of a state-200 answer.
func decodeNotifyTask(a *call.Answer, out *NotifyTask) error {
	if err := a.Into(out); err != nil {
		return err
	}
	if out.ID == "" {
		// A state-200 answer that names no task is not a success ({},
		// null, another object).
		return a.Fail("success without the task's id in the payload")
	}
	return nil
}

// AddNotifyTask creates a notify task that pushes a data package to the
// receiver of a push configuration (POST
// /v2/houseTask/AddNewNotifyTaskByPackageID, form encoded); the platform
// then reports through the customer's callbacks. Without ForcePush the
// call is harmless to repeat (a package already pushed to the
// configuration is not pushed again) and transient failures are retried;
// with ForcePush it is never repeated once it may have reached the server
// — only a failure that certainly sent nothing is retried, and a rejected
// token is renewed and the call sent again, as for every call.
//
// Errors: one matching ErrInvalidRequest when req fails validation (nothing
// is sent); an *Error for everything after that: a failure the server
// answered (ErrRejected for an unknown package, for instance), a state-200
// answer without the task's id (ErrUnexpectedResponse), or no answer
// (wrapping the cause, with context errors visible to errors.Is). A forced
// push that fails with ErrOutcomeUnknown (Error.OutcomeUnknown) may have
// been made: look before pushing again. That includes a state-200 answer
// without the task's id: the platform said it accepted the push.
func (c *Client) AddNotifyTask(ctx context.Context, req *AddNotifyTaskRequest) (*NotifyTask, error) {
	if req != nil && req.ForcePush {
		return forcePush.Call(ctx, c.caller, req)
	}
	return addNotifyTask.Call(ctx, c.caller, req)
}
