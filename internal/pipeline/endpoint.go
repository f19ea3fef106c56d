package pipeline

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

// Endpoint declares one remote call.
type Endpoint struct {
	Op         string // the Go method, e.g. "PutAnjukeBianHao": names errors and log lines
	Method     string // "GET" or "POST"
	Path       string // relative to the base URL, e.g. "/app/property.saveProperty"
	Idempotent bool   // may be repeated after it may have reached the server
	Auth       Auth

	url string // absolute; set by Pipeline.Bind
}

// kind is what a NoToken endpoint (a login) or a GivenToken endpoint (a
// refresh) does for a token renewal.
func (e *Endpoint) kind() observe.RenewalKind {
	if e.Auth == GivenToken {
		return observe.RenewalRefresh
	}
	return observe.RenewalLogin
}

// URL is the absolute URL of a bound endpoint.
func (e *Endpoint) URL() string { return e.url }

// Request is one call of an endpoint.
type Request struct {
	Endpoint *Endpoint
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

// Secrets are the values an error built from a server's answer must not
// quote. All allocates, so it is called on failure paths only.
type Secrets struct {
	Token   string
	Client  []string // the sign key, the security code
	Request []string
}

// All lists every secret.
func (s Secrets) All() []string {
	out := make([]string, 0, 1+len(s.Client)+len(s.Request))
	out = append(out, s.Token)
	out = append(out, s.Client...)
	return append(out, s.Request...)
}
