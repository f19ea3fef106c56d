package kanfangtest

import (
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fangsdk/fang/internal/fakeserver"
)

// Paths of the endpoints the fake serves (the names of kanfang's own
// constants).
const (
	PathGetAccessToken   = "/v2/Authorization/GetAccessToken" //nolint:gosec // G101: a path (GET, log in)
	PathRefreshToken     = "/v2/Authorization/RefreshToken"   //nolint:gosec // G101: a path (GET, refresh tokens)
	PathPutAnjukeBianHao = "/v2/houseTask/putAnjukeBianHao"   // POST, set a number
	// PathAddNewNotifyTaskByPackageID is the endpoint that pushes a
	// package (POST, kanfang's AddNotifyTask).
	PathAddNewNotifyTaskByPackageID = "/v2/houseTask/AddNewNotifyTaskByPackageID"
)

// ClientEdition is the only clientEdtion query value the Authorization
// endpoints accept ("partner server").
const ClientEdition = "ps_1.0.0"

// Default values used when no option overrides them.
const (
	DefaultAuthKey              = "kanfangtest-auth-key"   // see WithCredentials
	DefaultAuthValue            = "kanfangtest-auth-value" // see WithCredentials
	DefaultTokenLifetime        = 48 * time.Hour           // tokenExpireIn 172800
	DefaultRefreshTokenLifetime = 30 * 24 * time.Hour      // refreshTokenExpireIn 2592000
)

// MaxFieldLength is the largest number of characters (Unicode code points)
// packageId and anjukeBianHao may each hold.
const MaxFieldLength = 128

// SignWindow is how far the timestamp header of a signed request may be from
// the fake's clock, in either direction.
const SignWindow = 5 * time.Minute

// maxBody bounds the request body the fake reads.
const maxBody = 64 << 10

// Server is a running fake 123kanfang server. Create it with NewServer and
// stop it with Close. It is safe for concurrent use.
//
// The exported fields describe the server for the code under test; changing
// them has no effect on how the server behaves.
type Server struct {
	// URL is the base URL to give kanfang.WithBaseURL, such as
	// "http://127.0.0.1:54321", without a trailing slash.
	URL string
	// Token is an access token issued when the server started. It is valid
	// until it expires (see WithTokenLifetime) or RevokeTokens is called.
	Token string
	// RefreshToken is a refresh token issued when the server started. It is
	// valid until it expires, is used once, or RevokeRefreshTokens is called.
	RefreshToken string
	// AuthKey and AuthValue are the credentials GetAccessToken accepts.
	AuthKey, AuthValue string

	cfg config

	lc     *fakeserver.Lifecycle
	routes *fakeserver.Routes[handler]

	mu        sync.Mutex
	access    map[string]time.Time // access token -> expiry
	refresh   map[string]time.Time // refresh token -> expiry
	numbers   map[string]string    // packageId -> anjukeBianHao
	tasks     []NotifyTask         // notify tasks, oldest first
	houseTask map[string]string    // packageId -> its house task, made by its first push
	logins    atomic.Int64
	refreshes atomic.Int64
}

// NewServer starts a fake 123kanfang server on a fresh loopback port (or
// on WithListener's listener) and issues Token and RefreshToken; call
// Close when done. It panics when it cannot listen, as
// httptest.NewServer does, and on a bad option, naming it; nil options
// are skipped.
func NewServer(opts ...Option) *Server {
	cfg := config{
		authKey:     DefaultAuthKey,
		authValue:   DefaultAuthValue,
		tokenLife:   DefaultTokenLifetime,
		refreshLife: DefaultRefreshTokenLifetime,
	}
	fakeserver.Apply(&cfg, opts)
	cfg.tokenLife = wholeSeconds(cfg.tokenLife)
	cfg.refreshLife = wholeSeconds(cfg.refreshLife)

	s := &Server{
		AuthKey:   cfg.authKey,
		AuthValue: cfg.authValue,
		cfg:       cfg,
		access:    make(map[string]time.Time),
		refresh:   make(map[string]time.Time),
		numbers:   make(map[string]string),
		houseTask: make(map[string]string),
		routes:    fakeserver.NewRoutes("kanfangtest", endpoints),
	}
	s.lc = fakeserver.Start("kanfangtest", cfg.listener, cfg.clock, s.Handler())
	s.URL = s.lc.URL
	s.Token = s.IssueToken()
	s.RefreshToken = s.IssueRefreshToken()
	return s
}

// wholeSeconds truncates d to whole seconds, with a minimum of one second,
// so that the lifetime reported to clients and the real one agree.
func wholeSeconds(d time.Duration) time.Duration {
	if d < time.Second {
		return time.Second
	}
	return d.Truncate(time.Second)
}

// Close stops the server: it stops listening, closes open connections, ends
// injected delays at once and waits for requests in progress to finish. It
// never waits for a delay to run out. Close may be called more than once.
// After Close, the handler returned by Handler answers HTTP 503.
func (s *Server) Close() { s.lc.Close() }

// Handler returns the fake's HTTP handler, for mounting in a server of your
// own (an httptest.NewTLSServer, say). It shares the state of s; the server s
// started itself keeps running until Close.
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.serveHTTP) }

// Now returns the fake's current time: the clock given by WithClock (the
// real clock by default) moved forward by every Advance so far. Use it to
// compute the timestamp header of a signed request when the clock is fake.
func (s *Server) Now() time.Time { return s.lc.Now() }

// Advance moves the fake's clock forward by d, so that tokens can be made to
// expire without waiting. A negative d moves it back. propertytest's
// Advance does the same to sessions.
func (s *Server) Advance(d time.Duration) { s.lc.Advance(d) }

// IssueToken mints a new access token, valid for the configured token
// lifetime from now, and returns it.
func (s *Server) IssueToken() string { return s.issue(s.access, s.cfg.tokenLife) }

// IssueRefreshToken mints a new refresh token, valid for the configured
// refresh-token lifetime from now, and returns it.
func (s *Server) IssueRefreshToken() string { return s.issue(s.refresh, s.cfg.refreshLife) }

// issue mints a token of 48 random hex digits into tokens, valid for life
// from now.
func (s *Server) issue(tokens map[string]time.Time, life time.Duration) string {
	t := fakeserver.RandomHex(24)
	s.mu.Lock()
	tokens[t] = s.Now().Add(life)
	s.mu.Unlock()
	return t
}

// RevokeTokens invalidates every access token issued so far (Token
// included), so that clients using them get state 401. Refresh tokens stay
// valid.
func (s *Server) RevokeTokens() {
	s.mu.Lock()
	clear(s.access)
	s.mu.Unlock()
}

// RevokeRefreshTokens invalidates every refresh token issued so far
// (RefreshToken included), so that refreshing answers state 4011 and clients
// must log in again. Access tokens stay valid.
func (s *Server) RevokeRefreshTokens() {
	s.mu.Lock()
	clear(s.refresh)
	s.mu.Unlock()
}

// AnjukeBianHao returns the number stored for packageID by a successful
// putAnjukeBianHao, and whether there is one.
func (s *Server) AnjukeBianHao(packageID string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.numbers[packageID]
	return v, ok
}

// Requests returns how many requests were received for path (for example
// PathPutAnjukeBianHao), whatever their outcome (rejected, failed by
// FailNext, dropped), counted as they arrive, before they are answered;
// "" counts every request. propertytest's Requests counts the same way.
func (s *Server) Requests(path string) int { return s.lc.Count(path) }

// Logins returns how many GetAccessToken requests the server carried out,
// successful or not: wrong credentials count, requests answered with HTTP
// 405 or by a FailNext failure without AfterApply do not. propertytest's
// Logins counts the same way.
func (s *Server) Logins() int { return int(s.logins.Load()) }

// Refreshes returns how many RefreshToken requests the server carried out,
// successful or not, counted as Logins counts.
func (s *Server) Refreshes() int { return int(s.refreshes.Load()) }

// RequestLog returns a copy of the record of every request answered (or
// abandoned) so far, oldest first. An entry is added before the response is
// written, so once a client has its answer the entry is there.
// propertytest's RequestLog keeps the same record.
func (s *Server) RequestLog() []Request { return s.lc.Log() }

// Placement says where a request carried its token.
type Placement = fakeserver.Placement

// Token placements the fake recognises, in the order it looks for them.
const (
	PlacementNone   Placement = ""       // no token found
	PlacementHeader Placement = "header" // Authorization header
	PlacementForm   Placement = "form"   // Authorization form field (body)
	PlacementCookie Placement = "cookie" // Authorization cookie
	PlacementQuery  Placement = "query"  // Authorization query parameter
)

// Request records one request the fake received and how it answered; it
// is the type propertytest.Request is (documented in full on
// internal/fakeserver.Request). Its fields here: Method, Path, Header (a
// copy), Query, Body (the raw body) and Form (a POST's form without the
// Authorization field); TokenPlacement, where the token checked was
// found; HTTPStatus and State, the HTTP status and envelope state
// answered (both 0 when no answer was written, State 0 for a body that is
// not an envelope); Injected, when an injected Failure answered or
// delayed it; Sign and SignProblem, what the fake made of the
// strong-validation headers (timestamp and sign) with WithSignKey —
// SignNone without a sign key or without either header; the fake never
// refuses a call for them, tests of a client's signing assert on this
// instead; and ReceivedAt, on the fake's clock. ServiceCode,
// TransactionID and UserID stay empty.
type Request = fakeserver.Request

// SignCheck is the worth of a request's strong-validation headers.
type SignCheck = fakeserver.SignCheck

// What a request's strong-validation headers are worth.
const (
	SignNone    SignCheck = ""        // no sign key, or neither header sent
	SignValid   SignCheck = "valid"   // both headers, over every value received, within SignWindow
	SignInvalid SignCheck = "invalid" // missing, malformed, stale or not matching (see SignProblem)
)
