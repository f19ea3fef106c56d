package redisstore_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/auth/redisstore"
	"github.com/fangsdk/fang/internal/testkit/redisproc"
)

// The fault tests of this file start their own Redis topologies (a single
// server, a Sentinel set, a Cluster) with internal/testkit/redisproc, run
// a fleet of replicas under load, break Redis, and count what the fleet
// saw. Their measurements are logged (go test -v -run Topology).

const (
	// lifetime is the fleet's token lifetime; margin renews a token a
	// third of it ahead of its expiry.
	lifetime = 2 * time.Second
	margin   = lifetime / 3
	// storeTimeout bounds each store operation of a replica;
	// storeBackoff is how long a replica goes without a store that
	// failed; jitter spreads the logins made without the store.
	storeTimeout = 300 * time.Millisecond
	storeBackoff = time.Second
	jitter       = 200 * time.Millisecond
	// replicas is the fleet's size, perReplica the goroutines that call
	// Token in each.
	replicas, perReplica = 3, 4
)

// recommended returns the go-redis options docs/REDIS.md recommends: the
// context's deadline bounds each operation, and a dead or hung node costs
// at most a few hundred milliseconds.
func recommended() (dial, read, write, pool time.Duration, retries, dialRetries int, ctxTimeout bool) {
	return 200 * time.Millisecond, 200 * time.Millisecond, 200 * time.Millisecond, 200 * time.Millisecond, 1, 1, true
}

func singleClient(t *testing.T, addr string, defaults bool) *redis.Client {
	opt := &redis.Options{Addr: addr}
	if !defaults {
		opt.DialTimeout, opt.ReadTimeout, opt.WriteTimeout, opt.PoolTimeout, opt.MaxRetries, opt.DialerRetries, opt.ContextTimeoutEnabled = recommended()
	}
	c := redis.NewClient(opt)
	t.Cleanup(func() { c.Close() })
	return c
}

func failoverClient(t *testing.T, set *redisproc.SentinelSet) *redis.Client {
	opt := &redis.FailoverOptions{MasterName: set.MasterName, SentinelAddrs: set.SentinelAddrs()}
	opt.DialTimeout, opt.ReadTimeout, opt.WriteTimeout, opt.PoolTimeout, opt.MaxRetries, opt.DialerRetries, opt.ContextTimeoutEnabled = recommended()
	c := redis.NewFailoverClient(opt)
	t.Cleanup(func() { c.Close() })
	return c
}

func clusterClient(t *testing.T, c *redisproc.ClusterSet) *redis.ClusterClient {
	opt := &redis.ClusterOptions{Addrs: c.Addrs(), MaxRedirects: 3}
	opt.DialTimeout, opt.ReadTimeout, opt.WriteTimeout, opt.PoolTimeout, opt.MaxRetries, opt.DialerRetries, opt.ContextTimeoutEnabled = recommended()
	cc := redis.NewClusterClient(opt)
	t.Cleanup(func() { cc.Close() })
	return cc
}

// fleet is the login endpoint the replicas share: it records when each
// login happened and issues "tok-N", valid for lifetime, for the Nth.
type fleet struct {
	mu sync.Mutex
	at []time.Time
}

func (f *fleet) renew(context.Context, *auth.Token) (*auth.Token, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := time.Now()
	f.at = append(f.at, now)
	return &auth.Token{Value: fmt.Sprintf("tok-%d", len(f.at)), Expiry: now.Add(lifetime)}, nil
}

// logins counts the logins in [from, to); zero times are unbounded.
func (f *fleet) logins(from, to time.Time) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, at := range f.at {
		if (from.IsZero() || !at.Before(from)) && (to.IsZero() || at.Before(to)) {
			n++
		}
	}
	return n
}

// source is one replica's RenewingSource over a store on rdb.
// Its client connects first (a Load with a generous deadline), so that
// the first renewals, which share one login, do not wait for connections
// (or, with Sentinel, for the master's address) past StoreTimeout on a
// busy machine.
func (f *fleet) source(t *testing.T, rdb redis.UniversalClient, p string) *auth.RenewingSource {
	st := redisstore.New(rdb).WithPrefix(p)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := st.Load(ctx, "k"); err != nil {
		t.Fatalf("connecting a replica: %v", err)
	}
	return auth.NewRenewingSource(auth.RenewingConfig{
		Key:          "k",
		Store:        st,
		Renew:        f.renew,
		Margin:       margin,
		StoreTimeout: storeTimeout,
		StoreBackoff: storeBackoff,
		Jitter:       jitter,
		Timeout:      3 * time.Second,
		LockLease:    time.Second,
	})
}

// loadRun is perReplica goroutines per replica calling Token every 10 ms
// until stopped (or for at most maxLoad).
type loadRun struct {
	stop    chan struct{}
	once    sync.Once
	wg      sync.WaitGroup
	calls   atomic.Int64
	mu      sync.Mutex
	held    []string // failures while the goroutine held a valid token
	without []string // failures with no valid token held
}

const maxLoad = 40 * time.Second

func startLoad(t *testing.T, srcs []*auth.RenewingSource) *loadRun {
	l := &loadRun{stop: make(chan struct{})}
	for i, src := range srcs {
		for range perReplica {
			l.wg.Go(func() {
				tick := time.NewTicker(10 * time.Millisecond)
				defer tick.Stop()
				var last *auth.Token
				for range int(maxLoad / (10 * time.Millisecond)) {
					select {
					case <-l.stop:
						return
					case <-tick.C:
					}
					ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
					// A token must be valid when the call began (it
					// may expire while the call returns).
					began := time.Now()
					tok, err := src.Token(ctx)
					cancel()
					l.calls.Add(1)
					now := time.Now()
					if err == nil && tok.Expired(began, 0) {
						err = fmt.Errorf("an expired token (%s)", tok.Value)
					}
					if err == nil {
						last = tok
						continue
					}
					msg := fmt.Sprintf("%s replica %d: %v", now.Format("15:04:05.000"), i, err)
					l.mu.Lock()
					if last != nil && !last.Expired(now, 0) {
						l.held = append(l.held, msg)
					} else {
						l.without = append(l.without, msg)
					}
					l.mu.Unlock()
				}
			})
		}
	}
	t.Cleanup(l.end)
	return l
}

// end stops the load and waits for it; it may be called more than once.
func (l *loadRun) end() {
	l.once.Do(func() { close(l.stop) })
	l.wg.Wait()
}

// check ends the load and fails t if any Token call failed.
func (l *loadRun) check(t *testing.T) {
	t.Helper()
	l.end()
	t.Logf("%d Token calls", l.calls.Load())
	if n := len(l.held); n > 0 {
		t.Errorf("%d Token calls failed while their replica held a valid token; first: %s", n, l.held[0])
	}
	if n := len(l.without); n > 0 {
		t.Errorf("%d Token calls failed with no valid token held; first: %s", n, l.without[0])
	}
}

// warm waits until every goroutine of the load got a token.
func (l *loadRun) warm(t *testing.T) {
	redisproc.Poll(t, 10*time.Second, "the load warms up", func() bool {
		return l.calls.Load() >= 2*replicas*perReplica
	})
}

// renewalsIn is how many logins a fleet that shares its token makes at
// most in d: one per lifetime-minus-margin, plus one begun just before.
func renewalsIn(d time.Duration) int { return int(d/(lifetime-margin)) + 1 }

// runFor lets the load run for d: the fault tests watch a fleet for a
// number of token lifetimes (this waits for no event).
func runFor(d time.Duration) {
	deadline := time.NewTimer(d)
	defer deadline.Stop()
	<-deadline.C
}

// TestTopologySingleMasterDies: the one Redis server dies (SIGKILL) or
// hangs (SIGSTOP) under load. Every replica keeps serving its valid token,
// then logs in by itself, without the store, once per renewal period
// (not once per call). In the hung case half the replicas use go-redis's
// default options, which ignore the context's deadline: the
// RenewingSource's StoreTimeout must bound their store operations anyway.
func TestTopologySingleMasterDies(t *testing.T) {
	for name, fault := range faults {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := redisproc.Single(t)
			f := &fleet{}
			p := prefix(t)
			var srcs []*auth.RenewingSource
			for i := range replicas {
				defaults := name == "hung" && i%2 == 1
				srcs = append(srcs, f.source(t, singleClient(t, srv.Addr, defaults), p))
			}
			l := startLoad(t, srcs)
			l.warm(t)
			if n := f.logins(time.Time{}, time.Time{}); n != 1 {
				t.Errorf("cold start: %d logins, want 1 shared", n)
			}
			faultAt := time.Now()
			fault(srv, t)
			runFor(3 * lifetime)
			l.check(t)
			after := f.logins(faultAt, time.Time{})
			t.Logf("%d logins in the %v after the fault (token lifetime %v, %d replicas)", after, 3*lifetime, lifetime, replicas)
			// Each replica renews for itself, ahead of expiry as with the
			// store up: at least once in three lifetimes, and no more
			// often than its renewal period.
			if most := replicas * renewalsIn(3*lifetime); after < replicas || after > most {
				t.Errorf("%d logins after the fault, want between %d and %d (each replica once per renewal period)", after, replicas, most)
			}
		})
	}
}

// TestTopologySentinelFailover: the master dies or hangs under load; the sentinels
// promote the replica. No Token call fails, and outside the failover the
// fleet logs in about once per token lifetime between all replicas.
func TestTopologySentinelFailover(t *testing.T) {
	for name, fault := range faults {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			sentinelFailover(t, fault)
		})
	}
}

// faults are the two ways a master fails: it dies (its port refuses
// connections) or hangs (connections stay open, nothing answers).
var faults = map[string]func(*redisproc.Server, *testing.T){
	"killed": func(s *redisproc.Server, t *testing.T) { s.Kill(t) },
	"hung":   func(s *redisproc.Server, t *testing.T) { s.Stop(t) },
}

func sentinelFailover(t *testing.T, fault func(*redisproc.Server, *testing.T)) {
	set := redisproc.Sentinel(t)
	f := &fleet{}
	p := prefix(t)
	var srcs []*auth.RenewingSource
	for range replicas {
		srcs = append(srcs, f.source(t, failoverClient(t, set), p))
	}
	l := startLoad(t, srcs)
	l.warm(t)
	pr := startProbe(t, redisstore.New(failoverClient(t, set)).WithPrefix(p))
	runFor(lifetime) // one renewal, shared
	faultAt := time.Now()
	before := f.logins(time.Time{}, faultAt)
	fault(set.Master, t)
	failoverAt := set.WaitFailover(t, 20*time.Second)
	recovered := pr.waitSuccess(t, failoverAt, failoverAt.Add(5*time.Second))
	t.Logf("failover seen %v after the fault; store recovered %v after it; store reads failed for %v",
		failoverAt.Sub(faultAt).Round(time.Millisecond), recovered.Sub(failoverAt).Round(time.Millisecond), pr.outage(faultAt, recovered).Round(time.Millisecond))
	// The replicas go without the store for storeBackoff after their last
	// failure, then share again from their next renewal on.
	settle := recovered.Add(storeBackoff + lifetime)
	runFor(time.Until(settle.Add(2 * lifetime)))
	end := time.Now()
	l.check(t)

	during := f.logins(faultAt, settle)
	settled := f.logins(settle, end)
	t.Logf("logins: %d before the fault (%v), %d from the fault until the fleet settled (store back + StoreBackoff + one lifetime), %d in the %v after that",
		before, faultAt.Sub(l0(f)).Round(time.Millisecond), during, settled, end.Sub(settle).Round(time.Millisecond))
	// Outside the failover the fleet renews once per renewal period
	// between all replicas, not once per replica.
	if most := renewalsIn(faultAt.Sub(l0(f))); before < 1 || before > most {
		t.Errorf("%d logins before the fault, want 1 to %d (shared by the fleet)", before, most)
	}
	if most := renewalsIn(end.Sub(settle)); settled > most {
		t.Errorf("%d logins after the failover settled, want at most %d (shared by the fleet)", settled, most)
	}
}

// l0 is the time of the first login.
func l0(f *fleet) time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.at) == 0 {
		return time.Now()
	}
	return f.at[0]
}

// TestTopologyClusterMasterDies: the master serving the token's slot dies or hangs
// under load. Store operations through a client that knew the old slot
// map recover within 5 s of the replica's promotion (the Store reloads the
// slot map; go-redis alone waits for its periodic reload, a minute by
// default), and no Token call fails.
func TestTopologyClusterMasterDies(t *testing.T) {
	for name, fault := range faults {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			clusterMasterDies(t, fault)
		})
	}
}

func clusterMasterDies(t *testing.T, fault func(*redisproc.Server, *testing.T)) {
	c := redisproc.Cluster(t)
	p := prefix(t)

	t.Run("token and lock share a slot", func(t *testing.T) {
		ctx := testContext(t)
		cc := clusterClient(t, c)
		for _, key := range []string{"k", "kanfang|https://api.example.com|account-42", "a}b", "x{y}z", "{}"} {
			s := redisstore.New(cc).WithPrefix(p + "slot:")
			if err := s.Save(ctx, key, &auth.Token{Value: "v"}, time.Minute); err != nil {
				t.Fatal(err)
			}
			l, err := s.TryLease(ctx, key+":lock", time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			tokenKey, lockKey := keysOf(t, cc, p+"slot:")
			if ts, ls := c.Slot(t, tokenKey), c.Slot(t, lockKey); ts != ls {
				t.Errorf("key %q: token %q in slot %d, lock %q in slot %d", key, tokenKey, ts, lockKey, ls)
			}
			if err := l.Release(ctx); err != nil {
				t.Fatal(err)
			}
			cc.Del(ctx, tokenKey)
		}
	})

	f := &fleet{}
	var srcs []*auth.RenewingSource
	for range replicas {
		srcs = append(srcs, f.source(t, clusterClient(t, c), p))
	}
	l := startLoad(t, srcs)
	l.warm(t)

	// The probe is a store whose client learnt the slot map before the
	// fault; it reads the token every 20 ms and records its successes.
	probeClient := clusterClient(t, c)
	probe := redisstore.New(probeClient).WithPrefix(p)
	tokenKey := p + "{k}:token"
	ctx := testContext(t)
	if tok, err := probe.Load(ctx, "k"); err != nil || tok == nil {
		t.Fatalf("probe Load = (%v, %v)", tok, err)
	}
	master := c.MasterFor(t, tokenKey)
	// Let the replica have the token before the master dies.
	if err := master.Client(t).Do(ctx, "wait", 1, 1000).Err(); err != nil {
		t.Fatal(err)
	}
	pr := startProbe(t, probe)

	faultAt := time.Now()
	fault(master, t)
	promoted, promotedAt := c.WaitNewMaster(t, tokenKey, master, 20*time.Second)
	t.Logf("%s (%s) failed; %s promoted, seen %v after the fault",
		master.Name, master.Addr, promoted.Name, promotedAt.Sub(faultAt).Round(time.Millisecond))

	// Store operations recover within 5 s of the promotion.
	recovered := pr.waitSuccess(t, promotedAt, promotedAt.Add(5*time.Second))
	t.Logf("store recovered %v after the promotion was seen; store reads failed for %v",
		recovered.Sub(promotedAt).Round(time.Millisecond), pr.outage(faultAt, recovered).Round(time.Millisecond))

	settle := recovered.Add(storeBackoff + lifetime)
	runFor(time.Until(settle.Add(2 * lifetime)))
	end := time.Now()
	l.check(t)
	settled := f.logins(settle, end)
	t.Logf("logins: %d in total, %d from the fault until the fleet settled (store back + StoreBackoff + one lifetime), %d in the %v after that",
		f.logins(time.Time{}, time.Time{}), f.logins(faultAt, settle), settled, end.Sub(settle).Round(time.Millisecond))
	if most := renewalsIn(end.Sub(settle)); settled > most {
		t.Errorf("%d logins after the promotion settled, want at most %d (shared by the fleet)", settled, most)
	}
}

// probe reads the token through a store every 20 ms and records when it
// succeeded.
type probe struct {
	mu        sync.Mutex
	successes []time.Time
	stop      chan struct{}
	done      chan struct{}
}

func startProbe(t *testing.T, st *redisstore.Store) *probe {
	pr := &probe{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(pr.done)
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for range int(maxLoad / (20 * time.Millisecond)) {
			select {
			case <-pr.stop:
				return
			case <-tick.C:
			}
			ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
			_, err := st.Load(ctx, "k")
			cancel()
			if err == nil {
				pr.mu.Lock()
				pr.successes = append(pr.successes, time.Now())
				pr.mu.Unlock()
			}
		}
	}()
	t.Cleanup(func() { close(pr.stop); <-pr.done })
	return pr
}

// waitSuccess waits until the probe succeeds after from, failing t if it
// has not by until; it returns the time of that success.
func (pr *probe) waitSuccess(t *testing.T, from, until time.Time) time.Time {
	t.Helper()
	var at time.Time
	redisproc.Poll(t, time.Until(until), fmt.Sprintf("the probe's Load succeeds within %v", until.Sub(from)), func() bool {
		pr.mu.Lock()
		defer pr.mu.Unlock()
		for _, s := range pr.successes {
			if s.After(from) {
				at = s
				return true
			}
		}
		return false
	})
	return at
}

// outage returns how long the probe failed around a fault at faultAt: from
// its last success before faultAt (or faultAt) to recovered.
func (pr *probe) outage(faultAt, recovered time.Time) time.Duration {
	pr.mu.Lock()
	defer pr.mu.Unlock()
	last := faultAt
	for _, s := range pr.successes {
		if s.Before(faultAt) {
			last = s
		}
	}
	return recovered.Sub(last)
}

// keysOf returns the one token key and the one lock key under prefix p.
func keysOf(t *testing.T, cc *redis.ClusterClient, p string) (tokenKey, lockKey string) {
	t.Helper()
	ctx := testContext(t)
	var mu sync.Mutex
	var keys []string
	err := cc.ForEachMaster(ctx, func(ctx context.Context, m *redis.Client) error {
		ks, err := m.Keys(ctx, p+"*").Result()
		mu.Lock()
		keys = append(keys, ks...)
		mu.Unlock()
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		// The token is JSON; the lock holds a hex owner token.
		if v := cc.Get(ctx, k).Val(); len(v) > 0 && v[0] == '{' {
			tokenKey = k
		} else {
			lockKey = k
		}
	}
	if tokenKey == "" || lockKey == "" || len(keys) != 2 {
		t.Fatalf("keys under %q: %q, want one token and one lock", p, keys)
	}
	return tokenKey, lockKey
}

// TestContextDeadlineOnHungRedis: with ContextTimeoutEnabled, a Load on a
// hung server (SIGSTOP) returns an error once its context's deadline
// passes; with go-redis's default options it ignores the deadline and
// waits for ReadTimeout.
func TestContextDeadlineOnHungRedis(t *testing.T) {
	t.Parallel()
	srv := redisproc.Single(t)
	enabled := redis.NewClient(&redis.Options{Addr: srv.Addr, ContextTimeoutEnabled: true, ReadTimeout: time.Minute, MaxRetries: -1})
	ignored := redis.NewClient(&redis.Options{Addr: srv.Addr, ReadTimeout: 2 * time.Second, MaxRetries: -1})
	for _, c := range []*redis.Client{enabled, ignored} {
		defer c.Close()
		// Open a connection while the server answers.
		if err := c.Ping(testContext(t)).Err(); err != nil {
			t.Fatal(err)
		}
	}
	srv.Stop(t)
	defer srv.Cont(t)

	load := func(c *redis.Client) (done chan error, deadline time.Time) {
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		deadline, _ = ctx.Deadline()
		done = make(chan error, 1)
		go func() {
			defer cancel()
			_, err := redisstore.New(c).Load(ctx, "k")
			done <- err
		}()
		return done, deadline
	}

	// Enabled: the error comes with the deadline, not after the minute of
	// ReadTimeout.
	done, _ := load(enabled)
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("Load on a hung server succeeded")
		}
		checkErr(t, err, "no secret here")
		t.Logf("ContextTimeoutEnabled: Load failed: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("Load on a hung server with ContextTimeoutEnabled ignored its 200 ms deadline (ReadTimeout 1 min)")
	}

	// Ignored: still waiting well after the deadline (its ReadTimeout is
	// 2 s); it returns once ReadTimeout passes.
	done, deadline := load(ignored)
	after := time.NewTimer(time.Until(deadline.Add(time.Second)))
	defer after.Stop()
	select {
	case err := <-done:
		t.Fatalf("default options: Load returned (%v) before its ReadTimeout on a hung server; docs/REDIS.md says it ignores the context", err)
	case <-after.C:
	}
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("Load on a hung server succeeded")
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Load with ReadTimeout 2 s still running after 30 s")
	}
}
