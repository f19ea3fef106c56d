package auth

import (
	"context"
	"errors"
	"time"
)

// Store keeps tokens where every client that shares it can see them, and
// offers a lock with an expiry so that, among many clients or processes
// that need a new token at once, one logs in and the others wait for its
// result. NewMemoryStore shares within a process; auth/redisstore shares
// between processes.
//
// Keys are chosen by the clients: they include the API, the base URL and
// the account, so different accounts never share a token.
//
// Implementations must be safe for concurrent use.
type Store interface {
	// Load returns the token saved under key, or (nil, nil) when there is
	// none.
	Load(ctx context.Context, key string) (*Token, error)
	// Save saves tok under key, replacing any previous token. ttl > 0
	// makes the store forget it after ttl.
	Save(ctx context.Context, key string, tok *Token, ttl time.Duration) error
	// TryLock takes the lock named key for at most ttl without waiting. On
	// success it returns a non-nil unlock function that releases the lock
	// only if it is still held by this caller (not after it expired and
	// was taken by another). When someone else holds the lock it returns
	// (nil, ErrLocked).
	TryLock(ctx context.Context, key string, ttl time.Duration) (unlock func(context.Context) error, err error)
}

// ErrLocked is returned by Store.TryLock when the lock is held by another
// owner.
var ErrLocked = errors.New("auth: lock is held by another owner")
