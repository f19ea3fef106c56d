package pipeline

import (
	"context"
	"errors"
	"testing"

	"github.com/fangsdk/fang/auth"
)

var errRejected = errors.New("rejected")

type renewer struct {
	auth.TokenSource
	renewals int
}

func (r *renewer) Renew(context.Context, *auth.Token) (*auth.Token, error) {
	r.renewals++
	return &auth.Token{Value: "new"}, nil
}

func TestRecoverOnce(t *testing.T) {
	var sent []string
	h := hooks[string]{
		send: func(_ context.Context, token string) (string, error) {
			sent = append(sent, token)
			if token == "old" {
				return "", errRejected
			}
			return "answer to " + token, nil
		},
		rejected:   func(err error) bool { return errors.Is(err, errRejected) },
		tokenError: func(doing string, _ error) error { return errors.New(doing) },
	}
	// A renewing source: rejected once, renewed once, sent again.
	r := &renewer{TokenSource: auth.StaticToken("old")}
	if ans, err := recoverOnce(context.Background(), r, h); err != nil || ans != "answer to new" || r.renewals != 1 || len(sent) != 2 || sent[1] != "new" {
		t.Fatalf("ans %q, err %v, renewals %d, sent %v", ans, err, r.renewals, sent)
	}
	// A static source cannot renew: the rejection is returned.
	sent = nil
	if _, err := recoverOnce(context.Background(), auth.StaticToken("old"), h); !errors.Is(err, errRejected) || len(sent) != 1 {
		t.Fatalf("static: err %v, sent %v", err, sent)
	}
	// No token: tokenError, nothing sent.
	sent = nil
	if _, err := recoverOnce(context.Background(), auth.StaticToken(""), h); err == nil || err.Error() != "obtaining a token" || len(sent) != 0 {
		t.Fatalf("empty: err %v, sent %v", err, sent)
	}
	// A failure other than a rejection is not recovered from.
	sent = nil
	other := errors.New("other")
	h2 := h
	h2.send = func(_ context.Context, token string) (string, error) { sent = append(sent, token); return "", other }
	r = &renewer{TokenSource: auth.StaticToken("old")}
	if _, err := recoverOnce(context.Background(), r, h2); !errors.Is(err, other) || r.renewals != 0 || len(sent) != 1 {
		t.Fatalf("other: err %v, renewals %d, sent %v", err, r.renewals, sent)
	}
}
