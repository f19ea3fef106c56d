package call

import "encoding/json"

// Answer is a successful answer to one call: the body was the API's
// success envelope (or, for HC, a 2xx body without a code that only the
// endpoint can judge).
type Answer struct {
	Body      []byte // the whole body
	Data      []byte // what Into decodes: kanfang's payload, HC's whole body
	Code      int    // the envelope's state or code
	Msg       string // the envelope's message, if any
	Enveloped bool   // the body was the API's envelope (HC: it had a code)

	Status        int    // the HTTP status
	Attempts      int    // how many attempts the call made
	TransactionID string // HC's transaction-id of the attempt answered

	op     string
	api    API
	quoter Quoter
}

// Excerpt is what an error may quote of the body: secrets scrubbed, then
// cut.
func (a *Answer) Excerpt() string { return a.quoter.Quote(a.Body) }

// failure is a Failure of this answer.
func (a *Answer) failure(msg string) Failure {
	return Failure{Code: a.Code, Msg: msg, HTTPStatus: a.Status, TransactionID: a.TransactionID,
		Meta: Meta{Op: a.op, Attempts: a.Attempts, Shape: true}}
}

// Fail is the API's *Error of a success that is not the success it should
// be: a payload of the wrong shape, or without what the endpoint needs.
// msg describes it; it never quotes the payload (it may hold tokens).
func (a *Answer) Fail(msg string) error { return a.api.Error(a.failure(msg)) }

// Unknown is the API's *Error of a 2xx answer to a write that does not say
// whether it was done (cut short, a proxy's page): the outcome is
// unknown. The body is quoted scrubbed (such a page may echo the request).
func (a *Answer) Unknown() error {
	f := a.failure(a.Excerpt())
	f.Shape, f.Unknown = false, true
	return a.api.Error(f)
}

// Into decodes the answer's Data into out (nothing when out is nil).
func (a *Answer) Into(out any) error {
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(a.Data, out); err != nil {
		return a.Fail("success without the expected payload: " + JSONErrorKind(err))
	}
	return nil
}
