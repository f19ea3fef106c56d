package propertytest

import (
	"net"
	"time"
)

// Defaults of a Server built without options.
const (
	// DefaultAppID is the application id a Server accepts unless WithApp
	// says otherwise.
	DefaultAppID = "fang-test-app"
	// DefaultSecurityCode is the application's security code unless WithApp
	// says otherwise.
	DefaultSecurityCode = "fang-test-security-code"
	// DefaultUsername is the account login.pcUserLogin accepts unless
	// WithCredentials says otherwise.
	DefaultUsername = "admin"
	// DefaultPassword is DefaultUsername's password.
	DefaultPassword = "admin-password"
	// DefaultCommunityID is the community known unless WithCommunities says
	// otherwise (the seed document's example).
	DefaultCommunityID = "2022092200930358"
	// DefaultMenuGroupID is the menu group known unless WithMenuGroups says
	// otherwise (the seed document's example).
	DefaultMenuGroupID = "802021080609660006"
	// DefaultSessionLifetime is how long a session token stays valid unless
	// WithSessionLifetime says otherwise.
	DefaultSessionLifetime = 2 * time.Hour
)

// An Option configures a Server built by NewServer.
type Option func(*config)

type config struct {
	appID, securityCode string
	username, password  string
	communities         []string
	groups              []string
	noDefaultPrivilege  bool
	lifetime            time.Duration
	clock               func() time.Time
	listener            net.Listener
}

func defaultConfig() config {
	return config{
		appID:        DefaultAppID,
		securityCode: DefaultSecurityCode,
		username:     DefaultUsername,
		password:     DefaultPassword,
		communities:  []string{DefaultCommunityID},
		groups:       []string{DefaultMenuGroupID},
		lifetime:     DefaultSessionLifetime,
		clock:        time.Now,
	}
}

// WithCommunities sets the communities that exist on the server, replacing
// the default DefaultCommunityID. With no ids no community exists, so every
// saveProperty naming one fails with 小区不存在. Empty ids are ignored.
func WithCommunities(ids ...string) Option {
	return func(c *config) { c.communities = nonEmpty(ids) }
}

// WithMenuGroups sets the menu groups (permission bundles) that exist on the
// server, replacing the default DefaultMenuGroupID. Empty ids are ignored.
func WithMenuGroups(ids ...string) Option {
	return func(c *config) { c.groups = nonEmpty(ids) }
}

// WithoutDefaultPrivilege makes the platform lack its default property
// privilege, so that every otherwise valid saveProperty answers HTTP 200
// {"code":-3,"msg":"未配置物业默认权限"} and creates nothing.
func WithoutDefaultPrivilege() Option {
	return func(c *config) { c.noDefaultPrivilege = true }
}

// WithApp sets the one application the gateway knows. An empty securityCode
// means the application has none: the gateway then skips the sign check, as
// the real server does. NewServer panics if appID is empty.
func WithApp(appID, securityCode string) Option {
	return func(c *config) { c.appID, c.securityCode = appID, securityCode }
}

// WithCredentials sets the account login.pcUserLogin accepts, for which
// Server.Token is issued at start. NewServer panics if either is empty.
func WithCredentials(username, password string) Option {
	return func(c *config) { c.username, c.password = username, password }
}

// WithSessionLifetime sets how long a session token stays valid after it is
// issued, measured on the server's clock (default 2h). NewServer panics if d
// is not positive.
func WithSessionLifetime(d time.Duration) Option {
	return func(c *config) { c.lifetime = d }
}

// WithClock sets the clock the server reads for session expiry, for
// Request.ReceivedAt and Company.CreatedAt; use it to test token expiry
// without waiting. now must be safe for concurrent use. nil means time.Now.
func WithClock(now func() time.Time) Option {
	return func(c *config) {
		if now == nil {
			now = time.Now
		}
		c.clock = now
	}
}

// WithListener makes the server serve on l instead of a new listener on
// 127.0.0.1 with a free port, for instance to serve on a fixed address from
// a command-line tool. The server takes ownership of l: Close closes it.
// When l listens on an unspecified address (0.0.0.0, [::]), Server.URL names
// the loopback address of the same family.
func WithListener(l net.Listener) Option {
	return func(c *config) { c.listener = l }
}

func nonEmpty(ids []string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if id != "" {
			out = append(out, id)
		}
	}
	return out
}
