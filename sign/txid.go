package sign

import (
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"sync/atomic"
	"time"
)

// TransactionIDLength is the length of every transaction-id Next returns:
// a 10-digit prefix, the 14-digit req-time of the id's second and a 6-digit
// sequence number.
const TransactionIDLength = 30

// PrefixLength is the number of decimal digits in a transaction-id prefix.
const PrefixLength = 10

const perSecond = 1_000_000 // sequence numbers available per second

// ErrInvalidPrefix is returned by NewTransactionIDGenerator for a prefix
// that is not empty and not exactly ten decimal digits.
var ErrInvalidPrefix = errors.New("sign: transaction-id prefix must be empty or exactly 10 decimal digits")

// TransactionIDGenerator hands out HC transaction-ids in the platform's
// format, prefix + yyyyMMddHHmmss (UTC+08:00) + 6-digit sequence, 30 digits
// in all.
//
// All generators of a process that share a prefix share one counter, so no
// two calls to Next in a process ever return the same id, whatever the
// number of goroutines or generators. When more than a million ids are
// taken within one second, the ids run ahead onto the following seconds
// rather than repeat. The hot path is one atomic compare-and-swap: there is
// no lock.
//
// Uniqueness across processes comes from the prefix: give each replica its
// own (a node id), or use the default, which carries a random component
// drawn once per process.
//
// A TransactionIDGenerator is safe for concurrent use.
type TransactionIDGenerator struct {
	prefix [PrefixLength]byte
	seq    *sequence
	now    func() time.Time
}

// sequence is the state shared by every generator of one prefix: the last
// id issued, as unixSecond*perSecond + sequenceNumber.
type sequence struct{ last atomic.Int64 }

var (
	sequences     sync.Map // prefix string -> *sequence
	defaultPrefix = sync.OnceValues(randomPrefix)
)

// NewTransactionIDGenerator returns a generator for prefix, which must be
// exactly ten decimal digits, or "" for the process default: "1" followed by
// nine random digits drawn once per process, so that replicas started in the
// same second do not collide.
func NewTransactionIDGenerator(prefix string) (*TransactionIDGenerator, error) {
	if prefix == "" {
		p, err := defaultPrefix()
		if err != nil {
			return nil, err
		}
		prefix = p
	}
	if !isDigits(prefix, PrefixLength) {
		return nil, ErrInvalidPrefix
	}
	s, _ := sequences.LoadOrStore(prefix, new(sequence))
	seq, ok := s.(*sequence) // the table holds nothing else
	if !ok {
		return nil, ErrInvalidPrefix
	}
	g := &TransactionIDGenerator{seq: seq, now: time.Now}
	copy(g.prefix[:], prefix)
	return g, nil
}

// Prefix returns the generator's 10-digit prefix.
func (g *TransactionIDGenerator) Prefix() string { return string(g.prefix[:]) }

// Next returns a new 30-digit transaction-id, never returned before in this
// process for this prefix.
func (g *TransactionIDGenerator) Next() string { return g.NextAt(g.now()) }

// NextAt is Next for a caller that already read the clock, so that the
// id's time and the request's req-time agree. The id is still never
// returned before: a now earlier than a previous call's runs on from there.
func (g *TransactionIDGenerator) NextAt(now time.Time) string {
	floor := now.Unix() * perSecond
	var id int64
	for {
		last := g.seq.last.Load()
		id = floor
		if id <= last {
			id = last + 1
		}
		if g.seq.last.CompareAndSwap(last, id) {
			break
		}
	}
	var buf [TransactionIDLength]byte
	dst := append(buf[:0], g.prefix[:]...)
	dst = appendReqTime(dst, time.Unix(id/perSecond, 0))
	return string(appendDigits(dst, int(id%perSecond), 6))
}

func randomPrefix() (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000_000))
	if err != nil {
		return "", fmt.Errorf("sign: drawing a random transaction-id prefix: %w", err)
	}
	return fmt.Sprintf("1%09d", n.Int64()), nil
}

func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
