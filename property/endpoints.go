package property

import (
	"net/http"

	"github.com/fangsdk/fang/internal/pipeline"
)

// The services fang wraps, declared over the one call pipeline.
var (
	// Creating a company is not idempotent: never repeated once it may
	// have reached the server.
	endpointSaveProperty = pipeline.Endpoint{Op: "SaveProperty", Method: http.MethodPost, Path: "/app/" + ServiceSaveProperty}
	// A login is never repeated either: five failures lock the account.
	endpointLogin = pipeline.Endpoint{Op: "Login", Method: http.MethodPost, Path: "/app/" + ServiceLogin, Auth: pipeline.NoToken}
	// A list only reads.
	endpointListProperties = pipeline.Endpoint{Op: "ListProperties", Method: http.MethodGet, Path: "/app/" + ServiceListProperty, Idempotent: true}
)

// endpoints are the declarations bound to a client's base URL.
type endpoints struct {
	save, login, list *pipeline.Endpoint
}

func bindEndpoints(p *pipeline.Pipeline[*answer]) endpoints {
	return endpoints{
		save:  p.Bind(endpointSaveProperty),
		login: p.Bind(endpointLogin),
		list:  p.Bind(endpointListProperties),
	}
}
