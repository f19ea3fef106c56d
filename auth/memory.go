package auth

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// NewMemoryStore returns a Store that keeps tokens in this process's
// memory. Clients given the same memory store share their tokens and log in
// once between them.
func NewMemoryStore() Store {
	return &memoryStore{tokens: map[string]memoryEntry{}, locks: map[string]memoryLock{}, now: time.Now}
}

type memoryStore struct {
	mu     sync.Mutex
	tokens map[string]memoryEntry
	locks  map[string]memoryLock
	now    func() time.Time
}

type memoryEntry struct {
	tok     Token
	expires time.Time // zero: never
}

type memoryLock struct {
	owner   *int // identity only
	expires time.Time
}

func (s *memoryStore) Load(_ context.Context, key string) (*Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.tokens[key]
	if !ok {
		return nil, nil
	}
	if !e.expires.IsZero() && !s.now().Before(e.expires) {
		delete(s.tokens, key)
		return nil, nil
	}
	tok := e.tok
	return &tok, nil
}

func (s *memoryStore) Save(_ context.Context, key string, tok *Token, ttl time.Duration) error {
	e := memoryEntry{tok: *tok}
	if ttl > 0 {
		e.expires = s.now().Add(ttl)
	}
	s.mu.Lock()
	s.tokens[key] = e
	s.mu.Unlock()
	return nil
}

func (s *memoryStore) TryLease(_ context.Context, key string, ttl time.Duration) (Lease, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if l, ok := s.locks[key]; ok && now.Before(l.expires) {
		return nil, ErrLocked
	}
	owner := new(int)
	s.locks[key] = memoryLock{owner: owner, expires: now.Add(ttl)}
	return &memoryLease{s: s, key: key, owner: owner}, nil
}

// memoryLease is a lock of a memoryStore.
type memoryLease struct {
	s     *memoryStore
	key   string
	owner *int
}

func (l *memoryLease) Extend(_ context.Context, ttl time.Duration) error {
	l.s.mu.Lock()
	defer l.s.mu.Unlock()
	cur, ok := l.s.locks[l.key]
	if !ok || cur.owner != l.owner {
		return fmt.Errorf("%w: the lease expired and was taken", ErrLocked)
	}
	cur.expires = l.s.now().Add(ttl)
	l.s.locks[l.key] = cur
	return nil
}

func (l *memoryLease) Release(context.Context) error {
	l.s.mu.Lock()
	defer l.s.mu.Unlock()
	if cur, ok := l.s.locks[l.key]; ok && cur.owner == l.owner {
		delete(l.s.locks, l.key)
	}
	return nil
}

// String does not list the tokens.
func (s *memoryStore) String() string { return "auth.MemoryStore" }

// GoString is String, so that %#v does not list the tokens either.
func (s *memoryStore) GoString() string { return s.String() }
