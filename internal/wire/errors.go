package wire

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
)

// SendError reports a call that got no HTTP answer: the connection failed,
// the attempt timed out, the context ended, or the answer could not be
// read. Err is the cause with any URL query redacted; errors.Is sees
// through it (context.DeadlineExceeded, for instance).
type SendError struct {
	// Sent is true when the request may have reached the server: a
	// connection was obtained before the failure, or the failure cannot
	// be told apart from one after sending. It is false only when no byte
	// of the request can have left: the connection was refused or its dial
	// timed out, the name lookup or the TLS handshake failed, the context
	// ended while waiting for a free pooled connection, or it was already
	// done.
	Sent     bool
	Attempts int
	Err      error
}

func (e *SendError) Error() string { return e.Err.Error() }
func (e *SendError) Unwrap() error { return e.Err }

// Is matches ErrNoResponse.
func (e *SendError) Is(target error) bool { return target == ErrNoResponse }

// Sentinels the clients re-export, so that callers can tell the transport
// failures apart with errors.Is.
var (
	// ErrNoResponse matches a *SendError: no HTTP answer was received.
	ErrNoResponse = errors.New("no response from the server")
	// ErrRedirected matches a *RedirectError.
	ErrRedirected = errors.New("redirect not followed")
	// ErrNilContext is the cause of the *SendError for a call given a nil
	// context: nothing is sent.
	ErrNilContext = errors.New("nil context (use context.Background())")
)

// RedirectError reports a 3xx answer. fang never follows redirects: one to
// another host would carry the token there (in a header, a cookie, a
// re-sent form body or the query).
type RedirectError struct {
	Status   int
	Location string // the target's scheme and host; the rest is redacted
}

// Is matches ErrRedirected.
func (e *RedirectError) Is(target error) bool { return target == ErrRedirected }

func (e *RedirectError) Error() string {
	return fmt.Sprintf("server answered HTTP %d redirecting to %q; redirects are not followed (they could carry the token to another host): configure the final URL as the base URL", e.Status, e.Location)
}

// BodyError reports an answer whose body could not be read in full (too
// large, or the connection broke while reading). The request reached the
// server.
type BodyError struct {
	Status int
	Err    error
}

func (e *BodyError) Error() string {
	return fmt.Sprintf("reading the HTTP %d response body: %v", e.Status, e.Err)
}
func (e *BodyError) Unwrap() error { return e.Err }

// neverSent reports whether err proves that no byte of the request left
// this host: a failed dial, name lookup, proxy connection or TLS handshake
// (no request is written before the handshake completes). It judges the
// errors of a RoundTripper whose connections the client trace does not
// show.
func neverSent(err error) bool {
	var (
		dns     *net.DNSError
		op      *net.OpError
		record  tls.RecordHeaderError
		verify  *tls.CertificateVerificationError
		alert   tls.AlertError
		ech     *tls.ECHRejectionError
		unknown x509.UnknownAuthorityError
		host    x509.HostnameError
		invalid x509.CertificateInvalidError
	)
	switch {
	case errors.As(err, &dns):
		return true
	case errors.As(err, &op):
		if op.Op == "dial" || op.Op == "proxyconnect" {
			return true
		}
	}
	if errors.As(err, &record) {
		// Conn is set only for a first record that is not TLS at all (an
		// HTTP server spoken to over https); a bad record later may
		// follow the request.
		return record.Conn != nil
	}
	return errors.As(err, &verify) || errors.As(err, &alert) || errors.As(err, &ech) ||
		errors.As(err, &unknown) || errors.As(err, &host) || errors.As(err, &invalid)
}
