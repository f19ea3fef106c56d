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
	// DefaultUserTel is the phone number of the DefaultUsername account.
	DefaultUserTel = "18900000001"
	// PropertyAppID is the app-id of HC's own property web application:
	// for it, login.pcUserLogin hashes the received password itself
	// (PcUserLoginCmd.validate); every other app sends the hash.
	PropertyAppID = "992020022270580001"
	// LoginLockout is how long an account stays locked after
	// MaxLoginFailures failed logins (CommonCache.defaultExpireTime, five
	// minutes, renewed by every failure).
	LoginLockout = 5 * time.Minute
	// MaxLoginFailures is how many failed logins lock an account
	// (AuthenticationFactory.checkLoginErrorCount).
	MaxLoginFailures = 5
)

// An Option configures a Server built by NewServer.
type Option func(*config)

type config struct {
	appID, securityCode string
	username, password  string
	communities         []CommunityDetails // in the order given
	groups              []MenuGroupDetails // in the order given
	noDefaultPrivilege  bool
	seedDialect         bool
	strictTxIDs         bool
	oldCommunityShape   bool
	demo                bool
	users               []extraUser
	lifetime            time.Duration
	clock               func() time.Time
	listener            net.Listener
}

// WithCommunities sets the communities that exist on the server, replacing
// those set so far (by default DefaultCommunityID), each with made-up
// details (see CommunityDetails). With no ids no community exists, so every
// saveProperty naming one fails with 小区不存在. Empty ids are ignored.
func WithCommunities(ids ...string) Option {
	return func(c *config) {
		c.communities = nil
		for _, id := range ids {
			WithCommunity(madeUpCommunity(id))(c)
		}
	}
}

// WithMenuGroups sets the menu groups (permission bundles) that exist on the
// server, replacing those set so far (by default DefaultMenuGroupID), each
// with made-up details (see MenuGroupDetails). Empty ids are ignored.
func WithMenuGroups(ids ...string) Option {
	return func(c *config) {
		c.groups = nil
		for _, id := range ids {
			WithMenuGroup(madeUpMenuGroup(id))(c)
		}
	}
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
	return func(c *config) {
		if appID == "" {
			panic("propertytest: WithApp: empty app id")
		}
		c.appID, c.securityCode = appID, securityCode
	}
}

// WithCredentials sets the account login.pcUserLogin accepts, for which
// Server.Token is issued at start. NewServer panics if either is empty.
func WithCredentials(username, password string) Option {
	return func(c *config) {
		if username == "" || password == "" {
			panic("propertytest: WithCredentials: empty username or password")
		}
		c.username, c.password = username, password
	}
}

// WithSeedDialect makes the server answer as the seed document describes
// HC instead of as the platform's code does: saveProperty failures carry
// the codes -1 (保存数据失败), -2 (小区已入驻) and -3 (未配置物业默认权限) at
// HTTP 200; login.pcUserLogin answers the bare user object
// {"userId","userName","token"} without code, and wrong credentials as HTTP
// 401 with the plain-text body 用户或密码错误; a missing or expired session
// is HTTP 401 with the plain-text body 用户未登录或登录已失效; the landmark
// is read from nearbyLandmarks. Everything else is as by default. Older
// servers behave this way, so clients must understand both.
func WithSeedDialect() Option { return func(c *config) { c.seedDialect = true } }

// WithStrictTransactionIDs adds two rules the real server does not have:
// transaction-id must be exactly 30 decimal digits, and a transaction-id
// seen before is rejected (鉴权失败：transactionId 重复). The real gateway
// only requires the header to be present; fang promises never to repeat
// one, and a test of that promise opts in here.
func WithStrictTransactionIDs() Option { return func(c *config) { c.strictTxIDs = true } }

// WithUser adds a staff account (username, phone number, password) to the
// server's company, newer than the accounts added before it. The login
// staff query matches names by substring and lists the newest user first,
// so WithUser("admin2", ...) makes logging in as "admin" list admin2's
// entry before admin's, as a real server does. NewServer panics if username
// or password is empty.
func WithUser(username, tel, password string) Option {
	return func(c *config) {
		if username == "" || password == "" {
			panic("propertytest: WithUser: empty username or password")
		}
		c.users = append(c.users, extraUser{username, tel, password})
	}
}

type extraUser struct{ name, tel, password string }

// WithSessionLifetime sets how long a session token stays valid after it is
// issued, measured on the server's clock (default 2h). NewServer panics if d
// is not positive.
func WithSessionLifetime(d time.Duration) Option {
	return func(c *config) {
		if d <= 0 {
			panic("propertytest: WithSessionLifetime: the lifetime must be positive")
		}
		c.lifetime = d
	}
}

// WithClock sets the clock the server reads for session expiry, for
// Request.ReceivedAt and Company.CreatedAt; use it to test token expiry
// without waiting. Server.Advance moves it further. now must be safe for
// concurrent use. nil means time.Now.
func WithClock(now func() time.Time) Option {
	return func(c *config) { c.clock = now } // fakeserver.NewClock reads nil as time.Now
}

// WithListener makes the server serve on l instead of a new listener on
// 127.0.0.1 with a free port, for instance to serve on a fixed address from
// a command-line tool. The server takes ownership of l: Close closes it.
// When l listens on an unspecified address (0.0.0.0, [::]), Server.URL names
// the loopback address of the same family.
func WithListener(l net.Listener) Option {
	return func(c *config) { c.listener = l }
}
