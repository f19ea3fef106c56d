package session

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

func TestDo(t *testing.T) {
	var sent []string
	hooks := Hooks{
		Send: func(_ context.Context, token string) error {
			sent = append(sent, token)
			if token == "old" {
				return errRejected
			}
			return nil
		},
		Rejected:   func(err error) bool { return errors.Is(err, errRejected) },
		TokenError: func(doing string, err error) error { return errors.New(doing) },
	}
	// A renewing source: rejected once, renewed once, sent again.
	r := &renewer{TokenSource: auth.StaticToken("old")}
	if err := Do(context.Background(), r, hooks); err != nil || r.renewals != 1 || len(sent) != 2 || sent[1] != "new" {
		t.Fatalf("err %v, renewals %d, sent %v", err, r.renewals, sent)
	}
	// A static source cannot renew: the rejection is returned.
	sent = nil
	if err := Do(context.Background(), auth.StaticToken("old"), hooks); !errors.Is(err, errRejected) || len(sent) != 1 {
		t.Fatalf("static: err %v, sent %v", err, sent)
	}
	// No token: TokenError, nothing sent.
	sent = nil
	if err := Do(context.Background(), auth.StaticToken(""), hooks); err == nil || err.Error() != "obtaining a token" || len(sent) != 0 {
		t.Fatalf("empty: err %v, sent %v", err, sent)
	}
}
