package redisstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/fangsdk/fang/auth"
)

// DefaultPrefix starts every key a Store made by New writes.
const DefaultPrefix = "fang:"

// Store is an auth.Store on Redis. Make one with New; it is safe for
// concurrent use, and any number of Stores, in any number of processes,
// that use the same Redis and prefix share their tokens and locks.
type Store struct {
	rdb    redis.UniversalClient
	prefix string
	// reload, for a Cluster client, refreshes its slot map after an
	// operation failed for want of a node; nil for other clients.
	reload *reloader
}

var _ auth.Store = (*Store)(nil)

// New returns a Store that keeps its keys in rdb under DefaultPrefix. It
// panics if rdb is nil. The Store does not close rdb.
func New(rdb redis.UniversalClient) *Store {
	if rdb == nil {
		panic("redisstore: New(nil)")
	}
	s := &Store{rdb: rdb, prefix: DefaultPrefix}
	if c, ok := rdb.(*redis.ClusterClient); ok {
		s.reload = &reloader{c: c}
	}
	return s
}

// clusterReloadInterval is how often at most a Store on a Redis Cluster
// asks its client to reload the cluster's slot map (ReloadState) after an
// operation failed on a connection or a timeout. go-redis reloads it by
// itself only on MOVED or READONLY replies and every
// ClusterStateReloadInterval (one minute by default): when a master dies,
// it keeps dialling the dead master until then, long after a replica took
// its slots. A reload asks one live node for CLUSTER SLOTS, so a dead
// cluster sees at most a few of them per second from each Store's client.
const clusterReloadInterval = 250 * time.Millisecond

// reloader rate-limits ReloadState on one Cluster client; the copies that
// WithPrefix makes share it.
type reloader struct {
	c    *redis.ClusterClient
	last atomic.Int64 // UnixNano of the last reload asked for
}

// after looks at the error of an operation and, when it says the node
// serving the slot is gone or not answering, asks for a reload of the slot
// map unless one was asked for less than clusterReloadInterval ago.
func (r *reloader) after(ctx context.Context, err error) {
	if r == nil || !nodeTrouble(err) {
		return
	}
	now := time.Now().UnixNano()
	last := r.last.Load()
	if now-last < int64(clusterReloadInterval) || !r.last.CompareAndSwap(last, now) {
		return
	}
	// ReloadState only starts a reload in the background.
	r.c.ReloadState(ctx)
}

// nodeTrouble reports whether err may mean that the cluster's slot map is
// stale: a connection error, a timeout, or a reply saying the node cannot
// serve the slot. Redis's other replies (and redis.Nil) do not.
func nodeTrouble(err error) bool {
	if err == nil || errors.Is(err, redis.Nil) || errors.Is(err, context.Canceled) {
		return false
	}
	if re, ok := errors.AsType[redis.Error](err); ok {
		msg := re.Error()
		for _, p := range []string{"CLUSTERDOWN", "READONLY", "MASTERDOWN", "LOADING", "TRYAGAIN"} {
			if strings.HasPrefix(msg, p) {
				return true
			}
		}
		return false
	}
	// Connection refused or reset, EOF, a read or dial timeout, a pool
	// timeout, a context deadline: the node may be dead or hung.
	return true
}

// WithPrefix returns a copy of s whose keys start with prefix instead, for
// instance to keep several applications apart on one Redis. Stores with
// different prefixes share nothing.
func (s *Store) WithPrefix(prefix string) *Store {
	c := *s
	c.prefix = prefix
	return &c
}

// String describes the store by its prefix only: it reveals no token,
// address or password.
func (s *Store) String() string { return fmt.Sprintf("redisstore.Store(prefix=%q)", s.prefix) }

// tokenKey is where the token named key lives: the prefix, the key in
// braces (a Redis Cluster hash tag, so the token and its lock share one
// slot, hence one master) and ":token".
func (s *Store) tokenKey(key string) string { return s.prefix + "{" + key + "}:token" }

// lockSuffix ends the lock names auth.RenewingSource uses: the lock of the
// token named k is named k + ":lock".
const lockSuffix = ":lock"

// lockKey is where the lock named name lives. The lock of the token named
// k (name k + ":lock") is prefix + "{k}:lock", in the token's slot; any
// other lock name n is prefix + "{n}:lock:". The two forms never collide
// (one ends in "lock", the other in ":").
func (s *Store) lockKey(name string) string {
	if base, ok := strings.CutSuffix(name, lockSuffix); ok && base != "" {
		return s.prefix + "{" + base + "}" + lockSuffix
	}
	return s.prefix + "{" + name + "}" + lockSuffix + ":"
}

// stored is a token as saved in Redis. Times are RFC 3339 with nanoseconds
// in UTC, "" for the zero time.
type stored struct {
	Value         string `json:"value"`
	Expiry        string `json:"expiry,omitempty"`
	RefreshToken  string `json:"refresh_token,omitempty"`
	RefreshExpiry string `json:"refresh_expiry,omitempty"`
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(time.RFC3339Nano, s)
}

// Load returns the token saved under key, or (nil, nil) when there is none
// or it has expired from Redis. Its times are in UTC and equal (time.Equal)
// the saved ones to the nanosecond.
func (s *Store) Load(ctx context.Context, key string) (*auth.Token, error) {
	data, err := s.rdb.Get(ctx, s.tokenKey(key)).Bytes()
	s.reload.after(ctx, err)
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err != nil && strings.HasPrefix(err.Error(), "WRONGTYPE") {
		return nil, fmt.Errorf("redisstore: loading token %q: %w (a key of another type)", key, auth.ErrCorruptToken)
	}
	if err != nil {
		return nil, fmt.Errorf("redisstore: loading token %q: %w", key, err)
	}
	// The decoding errors are not wrapped: they may quote the data.
	var st stored
	if err := json.Unmarshal(data, &st); err != nil || st.Value == "" {
		return nil, fmt.Errorf("redisstore: loading token %q: %w (malformed data)", key, auth.ErrCorruptToken)
	}
	tok := &auth.Token{Value: st.Value, RefreshToken: st.RefreshToken}
	if tok.Expiry, err = parseTime(st.Expiry); err != nil {
		return nil, fmt.Errorf("redisstore: loading token %q: %w (malformed expiry)", key, auth.ErrCorruptToken)
	}
	if tok.RefreshExpiry, err = parseTime(st.RefreshExpiry); err != nil {
		return nil, fmt.Errorf("redisstore: loading token %q: %w (malformed refresh expiry)", key, auth.ErrCorruptToken)
	}
	return tok, nil
}

// Save saves tok under key, replacing any previous token. With ttl > 0
// Redis forgets it after ttl, rounded up to a whole millisecond; with
// ttl <= 0 it is kept until replaced.
func (s *Store) Save(ctx context.Context, key string, tok *auth.Token, ttl time.Duration) error {
	if tok == nil {
		return fmt.Errorf("redisstore: saving token %q: nil token", key)
	}
	data, err := json.Marshal(stored{ //nolint:gosec // G117: storing the tokens is the store's job
		Value:         tok.Value,
		Expiry:        formatTime(tok.Expiry),
		RefreshToken:  tok.RefreshToken,
		RefreshExpiry: formatTime(tok.RefreshExpiry),
	})
	if err != nil { // cannot happen with string fields
		return fmt.Errorf("redisstore: saving token %q: encoding failed", key)
	}
	var exp time.Duration // 0: no expiry
	if ttl > 0 {
		exp = ceilMillis(ttl)
	}
	err = s.rdb.Set(ctx, s.tokenKey(key), data, exp).Err()
	s.reload.after(ctx, err)
	if err != nil {
		return fmt.Errorf("redisstore: saving token %q: %w", key, err)
	}
	return nil
}

// unlockScript deletes the lock only if it still holds the caller's owner
// token.
var unlockScript = redis.NewScript(`
if redis.call("GET", KEYS[1]) == ARGV[1] then
	return redis.call("DEL", KEYS[1])
end
return 0
`)

// extendScript moves the lock's expiry only if it still holds the
// caller's owner token.
var extendScript = redis.NewScript(`
if redis.call("GET", KEYS[1]) == ARGV[1] then
	return redis.call("PEXPIRE", KEYS[1], ARGV[2])
end
return 0
`)

// TryLease takes the lock named key for ttl, rounded up to a whole
// millisecond, without waiting. It returns auth.ErrLocked when another
// owner holds the lock, and an error when ttl <= 0: a lock that never
// expires would outlive a crashed owner.
//
// Its holder extends the lease (a compare-and-PEXPIRE on the owner token)
// while its work runs. Release frees the lock if this lease still holds
// it, and does nothing (returning nil) if the lock has expired, whether or
// not another owner has taken it since. It may be called more than once.
func (s *Store) TryLease(ctx context.Context, key string, ttl time.Duration) (auth.Lease, error) {
	if ttl <= 0 {
		return nil, fmt.Errorf("redisstore: locking %q: ttl %v is not positive", key, ttl)
	}
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, fmt.Errorf("redisstore: locking %q: making an owner token: %w", key, err)
	}
	l := &lease{s: s, key: key, lk: s.lockKey(key), owner: hex.EncodeToString(b[:])}
	ok, err := s.rdb.SetNX(ctx, l.lk, l.owner, ceilMillis(ttl)).Result()
	s.reload.after(ctx, err)
	if err != nil {
		return nil, fmt.Errorf("redisstore: locking %q: %w", key, err)
	}
	if !ok {
		return nil, auth.ErrLocked
	}
	return l, nil
}

// lease is a lock held in Redis under an owner token.
type lease struct {
	s       *Store
	key, lk string
	owner   string
}

func (l *lease) Extend(ctx context.Context, ttl time.Duration) error {
	if ttl <= 0 {
		return fmt.Errorf("redisstore: extending %q: ttl %v is not positive", l.key, ttl)
	}
	n, err := extendScript.Run(ctx, l.s.rdb, []string{l.lk}, l.owner, ceilMillis(ttl).Milliseconds()).Int()
	l.s.reload.after(ctx, err)
	if err != nil {
		return fmt.Errorf("redisstore: extending %q: %w", l.key, err)
	}
	if n == 0 {
		return fmt.Errorf("redisstore: extending %q: %w (the lease expired)", l.key, auth.ErrLocked)
	}
	return nil
}

func (l *lease) Release(ctx context.Context) error {
	err := unlockScript.Run(ctx, l.s.rdb, []string{l.lk}, l.owner).Err()
	l.s.reload.after(ctx, err)
	if err != nil {
		return fmt.Errorf("redisstore: unlocking %q: %w", l.key, err)
	}
	return nil
}

// ceilMillis rounds d > 0 up to a whole number of milliseconds, the
// resolution of PX.
func ceilMillis(d time.Duration) time.Duration {
	if r := d % time.Millisecond; r != 0 {
		d += time.Millisecond - r
	}
	return d
}
