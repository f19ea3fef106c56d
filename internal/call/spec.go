package call

import (
	"net/url"

	"github.com/fangsdk/fang/observe"
)

// Auth says where an endpoint's token comes from.
type Auth int

const (
	// FromSource takes the token from the client's token source and
	// renews it once when the server rejects it. The default.
	FromSource Auth = iota
	// NoToken sends no token (a login).
	NoToken
	// GivenToken sends Request.Token (a refresh sends the refresh token).
	GivenToken
)

// Spec is what every endpoint declares about the request on the wire.
type Spec struct {
	Op         string // the Go method, e.g. "PutAnjukeBianHao": names errors and log lines
	Method     string // "GET" or "POST"
	Path       string // relative to the base URL, e.g. "/app/property.saveProperty"
	Idempotent bool   // may be repeated after it may have reached the server
	Auth       Auth
}

// kind is what a NoToken endpoint (a login) or a GivenToken endpoint (a
// refresh) does for a token renewal.
func (s *Spec) kind() observe.RenewalKind {
	if s.Auth == GivenToken {
		return observe.RenewalRefresh
	}
	return observe.RenewalLogin
}

// Request is one call of a Spec, encoded.
type Request struct {
	Spec *Spec
	// Params are kanfang's form (POST) or query (GET) values, and the
	// query of an HC GET. They are only read.
	Params url.Values
	// Body is the JSON body of an HC POST, sent and signed as is.
	Body []byte
	// Token is the token of a GivenToken endpoint.
	Token string
	// Secrets are what no error may quote, besides the token and the
	// client's own secrets (a password, say).
	Secrets []string
}
