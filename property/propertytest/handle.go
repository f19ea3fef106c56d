package propertytest

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// HandlerFunc carries out a call of a service registered with Handle. It
// returns the envelope's code (0 for a success) and its data: on success
// the answer's data (any JSON value, nil for none), otherwise the message
// (a string; anything else is formatted with fmt.Sprint). The shape is
// that of kanfangtest.HandlerFunc.
type HandlerFunc func(params Params) (code int, data any)

// Params are a call's parameters as a command receives them: the members
// of a POST's JSON body, or a GET's query parameters (each a JSON string),
// with the session's userId, loginUserId and storeId added where the call
// gave none.
type Params map[string]json.RawMessage

// Get returns the parameter name as HC's commands read it (fastjson's
// getString): a JSON string unquoted, a number or boolean as written, ""
// when absent or null.
func (p Params) Get(name string) string {
	v, _ := p.lookup(name)
	return v
}

// lookup is Get that also reports whether the parameter is there (not
// absent, not null).
func (p Params) lookup(name string) (string, bool) { return value(p[name]) }

// Handle serves method service — a service the fake does not know, one
// your code calls through property.Client.Do — with fn, under the rules
// every service of the fake keeps: the session filter (a live session
// token, otherwise the 1996 answer, and a client with credentials logs in
// again), the dispatcher's checks (app-id, transaction-id, req-time and
// the sign, noted in Request.Sign), another method answered
// 调用方式不对; FailNext, HoldNextSave's counting, Requests, RequestLog
// and LastRequest apply as to every service. Registering a service again
// replaces its handler; the fake's own services cannot be replaced, and
// method must be GET or POST. kanfangtest's Handle works the same way.
func (s *Server) Handle(method, service string, fn HandlerFunc) {
	var cmd command // stays nil for a nil fn, which Routes refuses
	if fn != nil {
		cmd = func(_ *Server, c *call) response { return handled(fn, c) }
	}
	s.routes.Handle(method, service, cmd)
}

// handled is the answer of fn, a command registered with Handle.
func handled(fn HandlerFunc, c *call) response {
	code, data := fn(c.params)
	if code != 0 {
		msg, ok := data.(string)
		if !ok {
			msg = fmt.Sprint(data)
		}
		return jsonResponse(http.StatusOK, code, msg)
	}
	if _, err := json.Marshal(data); err != nil {
		return controllerError("propertytest: the handler's data: " + err.Error())
	}
	return answer(envelope{Code: 0, Msg: "成功", Data: data})
}
