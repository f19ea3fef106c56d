package call

import (
	"strings"
	"testing"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/internal/envelope"
)

// answer is a successful answer of the fake API whose body and data are
// body, to a call sent with the token "token-abc".
func answer(body string) *Answer {
	return &Answer{Body: []byte(body), Data: []byte(body), Code: 200, Status: 200, Attempts: 2, TransactionID: "tx-7",
		op: "Get", api: &fakeAPI{}, quoter: Quoter{token: "token-abc", client: []string{"client-xyz"}}}
}

// TestAnswerFail: Fail is the API's error of a success of the wrong
// shape, with the answer's code, status, transaction-id and attempts, and
// only the message given.
func TestAnswerFail(t *testing.T) {
	err := answer(`{"token":"token-abc"}`).Fail("success without packageId")
	fe := asFake(t, err)
	want := Failure{Code: 200, Msg: "success without packageId", HTTPStatus: 200, TransactionID: "tx-7",
		Meta: Meta{Op: "Get", Attempts: 2, Shape: true}}
	if fe.f != want {
		t.Errorf("failure %+v\nwant %+v", fe.f, want)
	}
}

// TestAnswerUnknown: Unknown is the API's error of an answer that does not
// say whether the call was done; it quotes the body scrubbed.
func TestAnswerUnknown(t *testing.T) {
	fe := asFake(t, answer("<html>token-abc client-xyz</html>").Unknown())
	want := Failure{Code: 200, Msg: "<html>" + auth.Redacted + " " + auth.Redacted + "</html>", HTTPStatus: 200, TransactionID: "tx-7",
		Meta: Meta{Op: "Get", Attempts: 2, Unknown: true}}
	if fe.f != want {
		t.Errorf("failure %+v\nwant %+v", fe.f, want)
	}
}

// TestAnswerInto: Into decodes Data; nil decodes nothing; a payload of
// the wrong shape is the API's error, which never quotes the payload.
func TestAnswerInto(t *testing.T) {
	var out struct {
		Name string `json:"name"`
	}
	if err := answer(`{"name":"Ada"}`).Into(&out); err != nil || out.Name != "Ada" {
		t.Errorf("out %+v, err %v", out, err)
	}
	if err := answer(`not JSON`).Into(nil); err != nil {
		t.Errorf("Into(nil) = %v", err)
	}
	err := answer(`{"name":["token-abc"]}`).Into(&out)
	fe := asFake(t, err)
	if fe.f.Msg != `success without the expected payload: field "name" is a JSON array` || !fe.f.Shape || strings.Contains(err.Error(), "token-abc") {
		t.Errorf("err %v", err)
	}
	if err := answer(`token-abc`).Into(&out); err == nil || strings.Contains(err.Error(), "token-abc") {
		t.Errorf("err %v", err)
	}
}

// TestAnswerExcerpt: the excerpt of the body is scrubbed, then cut.
func TestAnswerExcerpt(t *testing.T) {
	long := strings.Repeat("x", envelope.MaxExcerpt-4) + "token-abc" + strings.Repeat("y", 100)
	got := answer(long).Excerpt()
	if strings.Contains(got, "toke") || strings.Contains(got, "y") || len(got) > envelope.MaxExcerpt+len("…") {
		t.Errorf("excerpt of %d bytes ends %q", len(got), got[len(got)-20:])
	}
	if got := answer(" client-xyz ").Excerpt(); got != auth.Redacted {
		t.Errorf("Excerpt = %q", got)
	}
}
