package kanfang

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/fangsdk/fang/sign"
)

// Callbacks: 123kanfang calls the customer's own URLs when a task changes
// state, a package is ready to download, or a notification failed, and
// signs each call with "strong validation" (headers timestamp and sign).

const (
	// CallbackWindow is how far a callback's timestamp may be from the
	// receiver's clock, in either direction, for VerifyCallback to accept
	// it: a few minutes absorb clock skew and delivery delay, and a
	// captured callback cannot be replayed later than that.
	CallbackWindow = 5 * time.Minute
	// CallbackMaxBody is the largest callback body VerifyCallback reads
	// (1 MiB); a larger one is refused with ErrCallbackTooLarge, having
	// read no more than one byte beyond it.
	CallbackMaxBody = 1 << 20
)

// Callback verification failures, matched with errors.Is. Their texts
// never hold the sign key, the sign received or the sign expected.
var (
	// ErrCallbackSignature: the sign header is missing or does not match
	// the form and the timestamp under the sign key.
	ErrCallbackSignature = errors.New("kanfang: callback sign does not match")
	// ErrCallbackStale: the timestamp header is missing, not a Unix time,
	// or outside CallbackWindow of the receiver's clock.
	ErrCallbackStale = errors.New("kanfang: callback timestamp missing or outside the window")
	// ErrCallbackMalformed: not a GET or a form POST, a form that does not
	// parse, or (for CallbackHandler) a field of the wrong type.
	ErrCallbackMalformed = errors.New("kanfang: malformed callback")
	// ErrCallbackTooLarge: the body exceeds the limit (CallbackMaxBody).
	ErrCallbackTooLarge = errors.New("kanfang: callback body too large")
)

// VerifyCallback checks that r is a callback signed by 123kanfang with
// signKey and returns its parameters: the form of a POST
// (application/x-www-form-urlencoded, x-www-form-urlencoded as two of the
// platform's callback pages write it, or no Content-Type; the query of a
// POST is neither signed nor returned) or the query of a GET.
//
// The sign (header sign) must equal the lower-case hex MD5 of signKey,
// then every value ordered by parameter name (a name's values in the
// order received), then the timestamp header's text; it is compared in
// constant time, its hex digits in either case. The timestamp header is
// Unix time in milliseconds (a value above 10^12) or seconds, and must be
// within CallbackWindow of now, either way. Both must be headers, as
// 123kanfang's page on strong validation says: the same names in the
// query are not read (its transport example shows them there with a
// placeholder sign).
//
// The body is read up to CallbackMaxBody (never more than one byte
// beyond), then r.Body is replaced by a reader of what was read, so a
// caller may read it again. An empty signKey refuses every callback with
// ErrConfig. Failures match ErrCallbackSignature, ErrCallbackStale,
// ErrCallbackMalformed or ErrCallbackTooLarge.
func VerifyCallback(r *http.Request, signKey string, now time.Time) (url.Values, error) {
	return verifyCallback(r, signKey, now, CallbackMaxBody)
}

// constantTimeEqual compares signs; a variable so that a test can see it
// used.
var constantTimeEqual = subtle.ConstantTimeCompare

func verifyCallback(r *http.Request, signKey string, now time.Time, maxBody int64) (url.Values, error) {
	if signKey == "" {
		return nil, fmt.Errorf("%w: callback verification needs a sign key", ErrConfig)
	}
	form, err := callbackForm(r, maxBody)
	if err != nil {
		return nil, err
	}
	ts, got := r.Header.Get("timestamp"), r.Header.Get("sign")
	if ts == "" || got == "" {
		where := ""
		if q := r.URL.Query(); q.Has("timestamp") || q.Has("sign") {
			where = " (the query's are not read: they must be headers)"
		}
		if ts == "" {
			return nil, fmt.Errorf("%w: no timestamp header%s", ErrCallbackStale, where)
		}
		return nil, fmt.Errorf("%w: no sign header%s", ErrCallbackSignature, where)
	}
	// Decimal digits only (ParseInt takes a sign); milliseconds above 10^12.
	n, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || n <= 0 || ts[0] == '+' {
		return nil, fmt.Errorf("%w: timestamp %.32q is not a Unix time", ErrCallbackStale, ts)
	}
	at := time.Unix(n, 0)
	if n > 1e12 {
		at = time.UnixMilli(n)
	}
	if d := now.Sub(at); d.Abs() > CallbackWindow {
		return nil, fmt.Errorf("%w: timestamp %s is %s away from the clock (window %s)", ErrCallbackStale, ts, d.Abs().Round(time.Second), CallbackWindow)
	}
	want := sign.KanfangTimestamp(signKey, form, ts)
	if constantTimeEqual([]byte(want), []byte(strings.ToLower(got))) != 1 {
		return nil, fmt.Errorf("%w (%d parameters, timestamp %s): wrong sign key, or the request was altered", ErrCallbackSignature, len(form), ts)
	}
	return form, nil
}

// callbackForm reads the signed parameters of r: the query of a GET, the
// url-encoded form of a POST, reading at most maxBody+1 bytes.
func callbackForm(r *http.Request, maxBody int64) (url.Values, error) {
	if r.Method == http.MethodGet {
		form, err := url.ParseQuery(r.URL.RawQuery)
		if err != nil {
			return nil, fmt.Errorf("%w: query: %w", ErrCallbackMalformed, err)
		}
		return form, nil
	}
	if r.Method != http.MethodPost {
		return nil, fmt.Errorf("%w: method %s (want POST or GET)", ErrCallbackMalformed, r.Method)
	}
	if ct := r.Header.Get("Content-Type"); ct != "" && !formContentType(ct) {
		return nil, fmt.Errorf("%w: Content-Type %.64q (want application/x-www-form-urlencoded)", ErrCallbackMalformed, ct)
	}
	if r.ContentLength > maxBody {
		return nil, fmt.Errorf("%w: %d bytes announced, limit %d", ErrCallbackTooLarge, r.ContentLength, maxBody)
	}
	var body []byte
	if r.Body != nil {
		b, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
		if err != nil {
			return nil, fmt.Errorf("%w: reading the body: %w", ErrCallbackMalformed, err)
		}
		if int64(len(b)) > maxBody {
			return nil, fmt.Errorf("%w: more than %d bytes", ErrCallbackTooLarge, maxBody)
		}
		body = b
		r.Body = io.NopCloser(bytes.NewReader(b))
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, fmt.Errorf("%w: form: %w", ErrCallbackMalformed, err)
	}
	return form, nil
}

// formContentType reports whether ct is a url-encoded form: the media type
// application/x-www-form-urlencoded, or x-www-form-urlencoded alone, the
// value two of 123kanfang's callback pages give (parameters, such as a
// charset, allowed either way).
func formContentType(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct) // lower-cased; a bare token parses too
	return err == nil && (mt == "application/x-www-form-urlencoded" || mt == "x-www-form-urlencoded")
}

// TaskState is the state of a house task, as TaskStateChange reports it.
type TaskState int

// The task states of 123kanfang's documentation.
const (
	TaskStateNoTask            TaskState = -1    // no task
	TaskStateUploadFailed      TaskState = 0     // upload failed
	TaskStateWaitingForCapture TaskState = 9000  // waiting for capture
	TaskStateAppUploading      TaskState = 10000 // the app is uploading
	TaskStateUploaded          TaskState = 20000 // uploaded
	TaskStateAIBuilt           TaskState = 30000 // built by the AI
	TaskStateManualStitching   TaskState = 40000 // manual stitching
	TaskStateCustomerReview    TaskState = 45000 // waiting for the customer's review
	TaskStateDone              TaskState = 50000 // done
	TaskStateCancelled         TaskState = 51000 // cancelled
	TaskStateFailed            TaskState = 52000 // failed
)

var taskStateNames = map[TaskState]string{
	TaskStateNoTask: "NoTask", TaskStateUploadFailed: "UploadFailed", TaskStateWaitingForCapture: "WaitingForCapture",
	TaskStateAppUploading: "AppUploading", TaskStateUploaded: "Uploaded", TaskStateAIBuilt: "AIBuilt",
	TaskStateManualStitching: "ManualStitching", TaskStateCustomerReview: "CustomerReview", TaskStateDone: "Done",
	TaskStateCancelled: "Cancelled", TaskStateFailed: "Failed",
}

// String returns the state's name ("Done"), or its number for a state
// the documentation does not list.
func (s TaskState) String() string {
	if name, ok := taskStateNames[s]; ok {
		return name
	}
	return strconv.Itoa(int(s))
}

// The states of a PackageDownload.
const (
	PackageDownloadFinished = "Finished"
	PackageDownloadCancel   = "Cancel"
	PackageDownloadFailed   = "Failed"
)

// Callback is one verified callback: *TaskStateChange, *PackageDownload or
// *NotifyFailed.
type Callback interface {
	// Kind is "TaskStateChange", "PackageDownload" or "NotifyFailed".
	Kind() string
	// Values is the form the platform sends for the callback: the named
	// fields over Raw.
	Values() url.Values
}

// TaskStateChange is the callback CustomerReceiveTaskStateChangeNotify: a
// house task changed state.
type TaskStateChange struct {
	State       TaskState
	HouseTaskID string
	HouseID     string
	PackageID   string
	// Raw holds every parameter received, those named above included.
	Raw url.Values
}

// PackageDownload is the callback CustomerReceivePackageDownloadNotify: a
// panorama package can be downloaded (or will not be).
type PackageDownload struct {
	State           string // PackageDownloadFinished, PackageDownloadCancel or PackageDownloadFailed
	PanoramaPackage string // how to download the package; do not name a saved file after it
	FileHash        string // MD5 of the zip; empty (no fileHash sent) for another download way
	HouseID         string
	PackageID       string
	CityID          string
	NotifyID        string
	Comments        string
	// Raw holds every parameter received, those named above included.
	Raw url.Values
}

// NotifyFailed is the callback CustomerReceiveNotifyFailedNotify: pushing
// a notify task failed.
type NotifyFailed struct {
	NotifyID       string
	NotifyConfigID string
	NotifyType     string
	NotifyResult   NotifyResult // NotNotified, NotifyOK, NotifyRefused or NotifyError
	Param          string
	Response       string
	CityID         string
	PackageID      string
	HouseID        string
	State          string
	// Raw holds every parameter received, those named above included.
	Raw url.Values
}

// Kind returns "TaskStateChange".
func (n *TaskStateChange) Kind() string { return "TaskStateChange" }

// Kind returns "PackageDownload".
func (n *PackageDownload) Kind() string { return "PackageDownload" }

// Kind returns "NotifyFailed".
func (n *NotifyFailed) Kind() string { return "NotifyFailed" }

// Values returns the form of the callback: Raw with the named fields set.
func (n *TaskStateChange) Values() url.Values {
	return withFields(n.Raw, "state", strconv.Itoa(int(n.State)), "houseTaskId", n.HouseTaskID, "houseId", n.HouseID, "packageId", n.PackageID)
}

// Values returns the form of the callback: Raw with the named fields set,
// except fileHash, which is there only when FileHash is set: the platform
// sends it for a zip package only.
func (n *PackageDownload) Values() url.Values {
	v := withFields(n.Raw, "state", n.State, "panoramaPackage", n.PanoramaPackage,
		"houseId", n.HouseID, "packageId", n.PackageID, "cityId", n.CityID, "notifyId", n.NotifyID, "comments", n.Comments)
	if n.FileHash == "" {
		v.Del("fileHash")
	} else {
		v.Set("fileHash", n.FileHash)
	}
	return v
}

// Values returns the form of the callback: Raw with the named fields set.
func (n *NotifyFailed) Values() url.Values {
	return withFields(n.Raw, "notifyId", n.NotifyID, "notifyConfigId", n.NotifyConfigID, "notifyType", n.NotifyType,
		"notifyResult", strconv.Itoa(int(n.NotifyResult)), "param", n.Param, "response", n.Response,
		"cityId", n.CityID, "packageId", n.PackageID, "houseId", n.HouseID, "state", n.State)
}

func withFields(raw url.Values, kv ...string) url.Values {
	v := make(url.Values, len(raw)+len(kv)/2)
	for name, vals := range raw {
		v[name] = append([]string(nil), vals...)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

// ParseCallback tells the kind of a verified callback by its fields
// (notifyResult: NotifyFailed; else notifyId: PackageDownload; else
// TaskStateChange) and parses it. A state or notifyResult that is not an
// integer fails with ErrCallbackMalformed.
func ParseCallback(form url.Values) (Callback, error) {
	switch {
	case form.Has("notifyResult"):
		res, err := callbackInt(form, "notifyResult")
		if err != nil {
			return nil, err
		}
		return &NotifyFailed{
			NotifyID: form.Get("notifyId"), NotifyConfigID: form.Get("notifyConfigId"), NotifyType: form.Get("notifyType"),
			NotifyResult: NotifyResult(res), Param: form.Get("param"), Response: form.Get("response"), CityID: form.Get("cityId"),
			PackageID: form.Get("packageId"), HouseID: form.Get("houseId"), State: form.Get("state"), Raw: form,
		}, nil
	case form.Has("notifyId"):
		return &PackageDownload{
			State: form.Get("state"), PanoramaPackage: form.Get("panoramaPackage"), FileHash: form.Get("fileHash"),
			HouseID: form.Get("houseId"), PackageID: form.Get("packageId"), CityID: form.Get("cityId"),
			NotifyID: form.Get("notifyId"), Comments: form.Get("comments"), Raw: form,
		}, nil
	default:
		state, err := callbackInt(form, "state")
		if err != nil {
			return nil, err
		}
		return &TaskStateChange{
			State: TaskState(state), HouseTaskID: form.Get("houseTaskId"), HouseID: form.Get("houseId"),
			PackageID: form.Get("packageId"), Raw: form,
		}, nil
	}
}

func callbackInt(form url.Values, name string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(form.Get(name)))
	if err != nil {
		return 0, fmt.Errorf("%w: %s %.32q is not an integer", ErrCallbackMalformed, name, form.Get(name))
	}
	return n, nil
}

// CallbackHandler receives 123kanfang's callbacks: mount it at the URLs
// given to the platform (one handler may serve all three kinds on one
// URL). For each request it verifies the sign with VerifyCallback (the
// clock window CallbackWindow), tells the kind apart with ParseCallback,
// calls that kind's On* function with the request's context, and answers
// the platform's envelope, with the same number as the HTTP status:
//
//   - 200 {"state":200,"payload":"Success"}: verified, and the On*
//     function returned nil. A kind whose On* function is nil is
//     acknowledged the same way (and logged), so that the platform does
//     not retry what nobody will handle.
//   - 401: a missing or wrong sign, or a missing or stale timestamp;
//     nothing is called.
//   - 500: the On* function returned an error (the payload is a fixed
//     text, never the error's: the error goes to Logger), or SignKey is
//     empty (every callback is refused).
//   - 400 a malformed callback, 413 a body over MaxBodyBytes, 405 a
//     method other than POST or GET; nothing is called.
//
// No answer or log line holds the sign key or a sign.
type CallbackHandler struct {
	SignKey           string
	OnTaskStateChange func(ctx context.Context, n *TaskStateChange) error
	OnPackageDownload func(ctx context.Context, n *PackageDownload) error
	OnNotifyFailed    func(ctx context.Context, n *NotifyFailed) error

	// Logger, if set, gets a line for every callback refused, unhandled
	// or failed (nil: none).
	Logger *slog.Logger
	// Now is the clock timestamps are checked against (nil: time.Now).
	Now func() time.Time
	// MaxBodyBytes bounds the body (0: CallbackMaxBody).
	MaxBodyBytes int64
}

// ServeHTTP verifies the callback, calls its kind's On* function and
// answers the platform's envelope (see CallbackHandler).
func (h *CallbackHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost && r.Method != http.MethodGet {
		w.Header().Set("Allow", "POST, GET")
		h.answer(w, r, http.StatusMethodNotAllowed, "Method Not Allowed", "callback refused", ErrCallbackMalformed)
		return
	}
	now := time.Now
	if h.Now != nil {
		now = h.Now
	}
	maxBody := h.MaxBodyBytes
	if maxBody <= 0 {
		maxBody = CallbackMaxBody
	}
	form, err := verifyCallback(r, h.SignKey, now(), maxBody)
	var cb Callback
	if err == nil {
		cb, err = ParseCallback(form)
	}
	switch {
	case err == nil:
		h.dispatch(w, r, cb)
	case errors.Is(err, ErrConfig):
		h.answer(w, r, http.StatusInternalServerError, "Receiver not configured", "callback refused", err)
	case errors.Is(err, ErrCallbackTooLarge):
		h.answer(w, r, http.StatusRequestEntityTooLarge, "Body too large", "callback refused", err)
	case errors.Is(err, ErrCallbackMalformed):
		h.answer(w, r, http.StatusBadRequest, "Malformed callback", "callback refused", err)
	default:
		h.answer(w, r, http.StatusUnauthorized, "Unauthorized: bad sign or timestamp", "callback refused", err)
	}
}

// dispatch calls the On* function of cb's kind and answers.
func (h *CallbackHandler) dispatch(w http.ResponseWriter, r *http.Request, cb Callback) {
	ctx := r.Context()
	var err error
	handled := true
	switch n := cb.(type) {
	case *TaskStateChange:
		if handled = h.OnTaskStateChange != nil; handled {
			err = h.OnTaskStateChange(ctx, n)
		}
	case *PackageDownload:
		if handled = h.OnPackageDownload != nil; handled {
			err = h.OnPackageDownload(ctx, n)
		}
	case *NotifyFailed:
		if handled = h.OnNotifyFailed != nil; handled {
			err = h.OnNotifyFailed(ctx, n)
		}
	}
	switch {
	case err != nil:
		h.answer(w, r, http.StatusInternalServerError, "Callback handler failed", "callback handler failed: "+cb.Kind(), err)
	case !handled:
		h.answer(w, r, http.StatusOK, "Success", "callback acknowledged with no handler: "+cb.Kind(), nil)
	default:
		h.answer(w, r, http.StatusOK, "Success", "", nil)
	}
}

// answer writes the envelope {"state":status,"payload":payload} with HTTP
// status, and logs msg with err when msg is not empty.
func (h *CallbackHandler) answer(w http.ResponseWriter, r *http.Request, status int, payload, msg string, err error) {
	if msg != "" && h.Logger != nil {
		level := slog.LevelWarn
		if status == http.StatusInternalServerError {
			level = slog.LevelError
		}
		attrs := []slog.Attr{slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Int("state", status)}
		if err != nil {
			attrs = append(attrs, slog.String("error", err.Error()))
		}
		h.Logger.LogAttrs(r.Context(), level, "kanfang: "+msg, attrs...)
	}
	body, err := json.Marshal(struct {
		State   int    `json:"state"`
		Payload string `json:"payload"`
	}{status, payload})
	if err != nil { // an int and a string: cannot fail
		status, body = http.StatusInternalServerError, []byte(`{"state":500,"payload":"internal error"}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
