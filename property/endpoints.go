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
	// Setting values is safe to repeat.
	endpointUpdateProperty = pipeline.Endpoint{Op: "UpdateProperty", Method: http.MethodPost, Path: "/app/" + ServiceUpdateProperty, Idempotent: true}
	// A deletion is never repeated once it may have reached the server.
	endpointDeleteProperty = pipeline.Endpoint{Op: "DeleteProperty", Method: http.MethodPost, Path: "/app/" + ServiceDeleteProperty}
	// The session filter skips community.listCommunitys and the list is
	// not scoped to a caller: sent without a session, so that a client
	// without one can list communities.
	endpointListCommunities = pipeline.Endpoint{Op: "ListCommunities", Method: http.MethodGet, Path: "/app/" + ServiceListCommunities, Idempotent: true, Auth: pipeline.NoToken}
	endpointListMenuGroups  = pipeline.Endpoint{Op: "ListMenuGroups", Method: http.MethodGet, Path: "/app/" + ServiceListMenuGroups, Idempotent: true}
)

// endpoints are the declarations bound to a client's base URL.
type endpoints struct {
	save, login, list *pipeline.Endpoint
	update, del       *pipeline.Endpoint
	communities       *pipeline.Endpoint
	menuGroups        *pipeline.Endpoint
}

func bindEndpoints(p *pipeline.Pipeline[*answer]) endpoints {
	return endpoints{
		save:  p.Bind(endpointSaveProperty),
		login: p.Bind(endpointLogin),
		list:  p.Bind(endpointListProperties),

		update:      p.Bind(endpointUpdateProperty),
		del:         p.Bind(endpointDeleteProperty),
		communities: p.Bind(endpointListCommunities),
		menuGroups:  p.Bind(endpointListMenuGroups),
	}
}
