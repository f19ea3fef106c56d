package auth

import (
	"context"
	"errors"
	"time"
)

// Store keeps tokens where every client that shares it can see them, and
// offers a lock with an expiry (a lease) so that, among many clients or
// processes that need a new token at once, one logs in and the others wait
// for its result. NewMemoryStore shares within a process; auth/redisstore
// shares between processes.
//
// Keys are chosen by the clients: they include the API, the base URL and
// the account, so different accounts never share a token.
//
// Implementations must be safe for concurrent use.
type Store interface {
	// Load returns the token saved under key, or (nil, nil) when there is
	// none. When what is saved there is not a token (garbage, another
	// layout, a value of another type), the error wraps ErrCorruptToken:
	// RenewingSource then treats it as no token and overwrites it.
	Load(ctx context.Context, key string) (*Token, error)
	// Save saves tok under key, replacing any previous token. ttl > 0
	// makes the store forget it after ttl.
	Save(ctx context.Context, key string, tok *Token, ttl time.Duration) error
	// TryLease takes the lock named key for ttl without waiting and
	// returns it as a Lease. When another owner holds the lock it returns
	// (nil, ErrLocked). RenewingSource holds a short lease and extends it
	// while its login runs, so that when the holder dies the others take
	// over after one lease, not after the whole renewal timeout.
	TryLease(ctx context.Context, key string, ttl time.Duration) (Lease, error)
}

// ErrLocked is returned by Store.TryLease when the lock is held by another
// owner, and wrapped by Lease.Extend when the lease was lost.
var ErrLocked = errors.New("auth: lock is held by another owner")

// ErrCorruptToken is wrapped by Store.Load when the value under the key is
// not a token. The error never quotes the value: it may hold a secret.
var ErrCorruptToken = errors.New("auth: the stored value is not a token")

// Lease is a lock held by one owner until it expires or is released.
type Lease interface {
	// Extend makes the lease expire ttl from now. It fails, wrapping
	// ErrLocked, when the lease has already expired and was taken by
	// another owner.
	Extend(ctx context.Context, ttl time.Duration) error
	// Release frees the lock if this lease still holds it (not after it
	// expired and was taken by another owner).
	Release(ctx context.Context) error
}
