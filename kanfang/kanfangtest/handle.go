package kanfangtest

import (
	"net/http"
	"net/url"
)

// HandlerFunc carries out a request on an endpoint registered with Handle.
// values are the form of a POST or the query of a GET, without the token.
// It returns the envelope's state (StateOK for a success) and its payload
// (any JSON value: an object on success, a message otherwise).
type HandlerFunc func(values url.Values) (state int, payload any)

// Handle serves method path — an endpoint the fake does not know, one your
// code calls through kanfang.Client.Do — with fn, under the rules every
// endpoint of the fake keeps: the access token must be valid, wherever
// the method lets it travel (otherwise state 401, and a client with
// credentials renews it); with WithSignKey, Request.Sign notes what its
// strong-validation headers are worth; another method is answered HTTP
// 405; FailNext, Requests and RequestLog apply as to every endpoint.
// Registering a path again replaces its handler; the fake's own paths
// cannot be replaced.
func (s *Server) Handle(method, path string, fn HandlerFunc) {
	var h handler // stays nil for a nil fn, which Routes refuses
	if fn != nil {
		h = func(s *Server, r *http.Request, body []byte, rec *Request) response {
			values, refused, ok := s.authorize(r, body, rec)
			if !ok {
				return refused
			}
			return reply(fn(values))
		}
	}
	s.routes.Handle(method, path, h)
}
