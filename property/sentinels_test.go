package property

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/internal/call"
)

// gatewayRelation decides, for every sentinel of the table, how it relates
// to ErrGateway (code 404 and none of the sentinels gatewayFailure
// excludes):
//   - "excluded": gatewayFailure names it, a failure matching it is never
//     ErrGateway;
//   - "disjoint": its failures are never code 404 (or are unknown), so
//     they are never ErrGateway either;
//   - "overlaps": a failure may match both.
//
// A sentinel added to the table without an entry here fails
// TestSentinelTable: decide, and when ErrGateway must exclude it, name it
// in gatewayFailure.
var gatewayRelation = map[error]string{
	ErrSaveFailed:              "excluded",
	ErrCommunityAlreadySettled: "excluded",
	ErrDefaultPrivilegeMissing: "excluded",
	ErrUnauthorized:            "excluded",
	auth.ErrLoginRefused:       "excluded",
	ErrAmbiguousLogin:          "disjoint",
	ErrGateway:                 "overlaps",
	ErrSignatureRejected:       "overlaps",
	ErrUnexpectedResponse:      "disjoint",
	ErrOutcomeUnknown:          "excluded",
}

// sentinelExamples are a failure of each sentinel, code 404 wherever the
// sentinel can be: an excluded sentinel's example would otherwise be
// ErrGateway.
var sentinelExamples = map[error]*Error{
	ErrSaveFailed:              {Code: 404, Msg: "保存数据失败", HTTPStatus: 200},
	ErrCommunityAlreadySettled: {Code: 404, Msg: "小区已经入驻 702020", HTTPStatus: 200},
	ErrDefaultPrivilegeMissing: {Code: 404, Msg: "未配置物业默认权限", HTTPStatus: 200},
	ErrUnauthorized:            {Code: 404, Msg: "用户或密码错误", HTTPStatus: 200, meta: call.Meta{Login: true}},
	auth.ErrLoginRefused:       {Code: 404, Msg: "当前商户限制登录", HTTPStatus: 200, meta: call.Meta{Login: true}},
	ErrAmbiguousLogin:          {Msg: "login answer lists 2 different users", HTTPStatus: 200, meta: call.Meta{Login: true, Shape: true, Ambiguous: true}},
	ErrGateway:                 {Code: 404, Msg: "初始化失败：no such service", HTTPStatus: 200},
	ErrSignatureRejected:       {Code: 404, Msg: "鉴权失败：签名失败", HTTPStatus: 200},
	ErrUnexpectedResponse:      {Msg: "<html>502</html>", HTTPStatus: 502, meta: call.Meta{Unknown: true}},
	ErrOutcomeUnknown:          {Code: 404, Msg: "内部异常：I/O error on POST request: Read timed out", HTTPStatus: 200, meta: call.Meta{Unknown: true}},
}

// TestSentinelTable lists the table: every sentinel matched by one rule,
// each with an example that matches it, and each deciding its relation to
// ErrGateway, which its example then bears out.
func TestSentinelTable(t *testing.T) {
	seen := map[error]bool{}
	for _, r := range sentinels {
		if seen[r.Sentinel] {
			t.Errorf("%v: two rules", r.Sentinel)
		}
		seen[r.Sentinel] = true
		rel, ok := gatewayRelation[r.Sentinel]
		if !ok {
			t.Errorf("%v: new sentinel: decide its relation to ErrGateway in gatewayRelation (and gatewayFailure)", r.Sentinel)
			continue
		}
		e, ok := sentinelExamples[r.Sentinel]
		if !ok {
			t.Errorf("%v: no example failure", r.Sentinel)
			continue
		}
		if !errors.Is(e, r.Sentinel) {
			t.Errorf("%v: its example %v does not match it", r.Sentinel, e)
		}
		if gateway := errors.Is(e, ErrGateway); gateway != (rel == "overlaps") {
			t.Errorf("%v is %s, but its example %v matches ErrGateway: %v", r.Sentinel, rel, e, gateway)
		}
		if rel == "excluded" && e.Code != 404 {
			t.Errorf("%v: an excluded sentinel's example must be code 404, or the exclusion is not tested", r.Sentinel)
		}
	}
	if len(seen) != len(gatewayRelation) {
		t.Errorf("gatewayRelation has %d sentinels, the table %d", len(gatewayRelation), len(seen))
	}
	for _, s := range []error{ErrInvalidRequest, ErrConfig, ErrNotCreated} {
		if seen[s] {
			t.Errorf("%v is not an *Error's to match", s)
		}
	}
}

// TestErrorBuiltByUser: Is reads the public fields, so an *Error a user
// builds in a test matches like one of fang's.
func TestErrorBuiltByUser(t *testing.T) {
	for target, e := range map[error]*Error{
		ErrSaveFailed:              {Code: -1},
		ErrCommunityAlreadySettled: {Code: -2},
		ErrDefaultPrivilegeMissing: {Code: -3},
		ErrUnauthorized:            {Code: SessionRejectedCode, HTTPStatus: 200},
		ErrGateway:                 {Code: 404, Msg: "鉴权失败：app-id"},
		ErrUnexpectedResponse:      {HTTPStatus: 502},
	} {
		if !errors.Is(e, target) {
			t.Errorf("%+v does not match %v", e, target)
		}
	}
	if e := (&Error{Code: 404, Msg: "x"}); e.Attempts() != 1 || e.OutcomeUnknown() || errors.Is(e, ErrOutcomeUnknown) {
		t.Errorf("a bare *Error: Attempts %d, OutcomeUnknown %v", e.Attempts(), e.OutcomeUnknown())
	}
}

// TestErrorAttemptsAndOutcome: Attempts counts the attempts of a read
// retried after a 503, and OutcomeUnknown says a 5xx page leaves the
// outcome open; a write is attempted once, and a 4xx refusal is definite.
func TestErrorAttemptsAndOutcome(t *testing.T) {
	for _, tt := range []struct {
		status   int
		save     bool
		attempts int
		unknown  bool
	}{
		{http.StatusServiceUnavailable, false, 3, true},
		{http.StatusServiceUnavailable, true, 1, true},
		{http.StatusBadRequest, false, 1, false},
	} {
		rec := newRecorder(t, reply{tt.status, "<html>down</html>"})
		c := newTestClient(t, rec.URL)
		var err error
		if tt.save {
			_, err = c.SaveProperty(context.Background(), vectorRequest)
		} else {
			_, err = c.ListProperties(context.Background(), &ListPropertiesRequest{})
		}
		var pe *Error
		if !errors.As(err, &pe) || pe.Attempts() != tt.attempts || pe.OutcomeUnknown() != tt.unknown ||
			errors.Is(err, ErrOutcomeUnknown) != tt.unknown || len(rec.requests()) != tt.attempts {
			t.Errorf("HTTP %d, save %v: %d requests, err %v", tt.status, tt.save, len(rec.requests()), err)
			continue
		}
		if after := strings.Contains(err.Error(), "(after 3 attempts)"); after != (tt.attempts == 3) {
			t.Errorf("HTTP %d, save %v: the text names the attempts: %v", tt.status, tt.save, err)
		}
	}
}
