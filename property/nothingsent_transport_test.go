package property

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/internal/testkit"
)

// TestSaveNothingSentIsNotOutcomeUnknown: a save that never got a
// connection (refused, connect timeout, TLS handshake failure, a wait for
// a free pooled connection) fails definitely: not ErrOutcomeUnknown, and
// the server saw no save.
func TestSaveNothingSentIsNotOutcomeUnknown(t *testing.T) {
	for _, tt := range testkit.NothingSentCases("/" + ServiceSaveProperty) {
		t.Run(tt.Name, func(t *testing.T) {
			base, hc, saves := tt.Setup(t)
			var opts []Option
			if hc != nil {
				opts = append(opts, WithHTTPClient(hc))
			}
			opts = append(opts, WithBaseURL(base), WithAppID("app"), WithToken(auth.StaticToken("tok")),
				WithTimeout(50*time.Millisecond), WithRetry(2, time.Millisecond, time.Millisecond))
			c, err := NewClient(opts...)
			if err != nil {
				t.Fatal(err)
			}
			save := &SavePropertyRequest{Name: "n", Address: "a", Tel: "13900000000", Corporation: "c", FoundingTime: "2022-09-01"}
			_, err = c.SaveProperty(context.Background(), save)
			if err == nil || errors.Is(err, ErrOutcomeUnknown) || !errors.Is(err, ErrNoResponse) {
				t.Errorf("err = %v, want a definite failure matching ErrNoResponse, not ErrOutcomeUnknown", err)
			}
			if n := saves(); n != 0 {
				t.Errorf("the server received %d saves, want 0", n)
			}
		})
	}
}
