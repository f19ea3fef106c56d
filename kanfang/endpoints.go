package kanfang

import (
	"net/http"

	"github.com/fangsdk/fang/internal/pipeline"
)

// The endpoints fang wraps, declared over the one call pipeline.
var (
	// Setting a number is idempotent: transient failures are retried.
	endpointPutAnjukeBianHao = pipeline.Endpoint{Op: "PutAnjukeBianHao", Method: http.MethodPost, Path: PathPutAnjukeBianHao, Idempotent: true}
	// Logging in twice is harmless.
	endpointGetAccessToken = pipeline.Endpoint{Op: "GetAccessToken", Method: http.MethodGet, Path: PathGetAccessToken, Idempotent: true, Auth: pipeline.NoToken}
	// A refresh rotates the refresh token, which travels as the request's
	// token: repeating one that reached the server would fail with 4011.
	endpointRefreshToken = pipeline.Endpoint{Op: "RefreshToken", Method: http.MethodGet, Path: PathRefreshToken, Auth: pipeline.GivenToken}
	// Without forcePush the platform does not push a package twice:
	// repeating the call is harmless.
	endpointAddNotifyTask = pipeline.Endpoint{Op: "AddNotifyTask", Method: http.MethodPost, Path: PathAddNewNotifyTaskByPackageID, Idempotent: true}
	// A forced push is made again each time: it is never repeated once it
	// may have reached the server (123kanfang bans accounts that re-push).
	endpointForcePush = pipeline.Endpoint{Op: "AddNotifyTask", Method: http.MethodPost, Path: PathAddNewNotifyTaskByPackageID}
)

// endpoints are the declarations bound to a client's base URL.
type endpoints struct {
	put, login, refresh *pipeline.Endpoint
	notify, forcePush   *pipeline.Endpoint
}

func bindEndpoints(p *pipeline.Pipeline[answer]) endpoints {
	return endpoints{
		put:       p.Bind(endpointPutAnjukeBianHao),
		login:     p.Bind(endpointGetAccessToken),
		refresh:   p.Bind(endpointRefreshToken),
		notify:    p.Bind(endpointAddNotifyTask),
		forcePush: p.Bind(endpointForcePush),
	}
}
