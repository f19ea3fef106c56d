package redisstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
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
}

var _ auth.Store = (*Store)(nil)

// New returns a Store that keeps its keys in rdb under DefaultPrefix. It
// panics if rdb is nil. The Store does not close rdb.
func New(rdb redis.UniversalClient) *Store {
	if rdb == nil {
		panic("redisstore: New(nil)")
	}
	return &Store{rdb: rdb, prefix: DefaultPrefix}
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

func (s *Store) tokenKey(key string) string { return s.prefix + "token:" + key }
func (s *Store) lockKey(key string) string  { return s.prefix + "lock:" + key }

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
	if err := s.rdb.Set(ctx, s.tokenKey(key), data, exp).Err(); err != nil {
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

// TryLock takes the lock named key for ttl, rounded up to a whole
// millisecond, without waiting. It returns auth.ErrLocked when another
// owner holds the lock, and an error when ttl <= 0: a lock that never
// expires would outlive a crashed owner.
//
// The returned unlock function releases the lock if this call's lock still
// holds it, and does nothing (returning nil) if the lock has expired,
// whether or not another owner has taken it since. It may be called more
// than once.
func (s *Store) TryLock(ctx context.Context, key string, ttl time.Duration) (func(context.Context) error, error) {
	l, err := s.TryLease(ctx, key, ttl)
	if err != nil {
		return nil, err
	}
	return l.Release, nil
}

// TryLease is TryLock returning an auth.Lease, which its holder extends
// (a compare-and-PEXPIRE on the owner token) while its work runs.
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
	if err != nil {
		return fmt.Errorf("redisstore: extending %q: %w", l.key, err)
	}
	if n == 0 {
		return fmt.Errorf("redisstore: extending %q: %w (the lease expired)", l.key, auth.ErrLocked)
	}
	return nil
}

func (l *lease) Release(ctx context.Context) error {
	if err := unlockScript.Run(ctx, l.s.rdb, []string{l.lk}, l.owner).Err(); err != nil {
		return fmt.Errorf("redisstore: unlocking %q: %w", l.key, err)
	}
	return nil
}

var _ auth.Leaser = (*Store)(nil)

// ceilMillis rounds d > 0 up to a whole number of milliseconds, the
// resolution of PX.
func ceilMillis(d time.Duration) time.Duration {
	if r := d % time.Millisecond; r != 0 {
		d += time.Millisecond - r
	}
	return d
}
