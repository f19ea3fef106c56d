// Package redisproc starts real redis-server processes for fang's tests:
// a single server, a Sentinel set (a master, a replica and three
// sentinels) and a six-node Cluster (three masters, three replicas), each
// on free 127.0.0.1 ports in a t.TempDir, with short failure-detection
// times so that failovers happen in a second or two.
//
// Every process is killed by its PID when the test ends, and every wait is
// a poll with a deadline. Fault injection works per process: Kill
// (SIGKILL: the server is gone and its port refuses connections), Stop
// (SIGSTOP: the server is hung, connections stay open and nothing answers)
// and Cont (SIGCONT).
//
// When redis-server (or, for Cluster, redis-cli) is not installed, the
// constructors skip the test, or fail it when FANG_REQUIRE_REDIS=1.
package redisproc

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// startTimeout bounds the start of one topology.
const startTimeout = 20 * time.Second

// pollEvery is the interval of every poll.
const pollEvery = 20 * time.Millisecond

// Server is one redis-server process (a data node or a sentinel).
type Server struct {
	// Addr is its "127.0.0.1:port" address.
	Addr string
	// Port is its port.
	Port int
	// Name says what it is ("single", "master", "replica", "sentinel-1",
	// "node-3", ...), for messages.
	Name string

	cmd    *exec.Cmd
	exited chan struct{} // closed when the process has exited
}

// Kill sends SIGKILL (which works on a stopped process too) and waits for
// the process to exit: the port then refuses connections. Killing a
// killed server does nothing.
func (s *Server) Kill(t testing.TB) {
	t.Helper()
	_ = s.cmd.Process.Kill() // fails only when the process is gone already
	select {
	case <-s.exited:
	case <-time.After(10 * time.Second):
		t.Fatalf("redisproc: %s (pid %d) did not exit 10 s after SIGKILL", s.Name, s.cmd.Process.Pid)
	}
}

// Stop sends SIGSTOP: the server keeps its connections and port but
// answers nothing until Cont.
func (s *Server) Stop(t testing.TB) { s.signal(t, syscall.SIGSTOP) }

// Cont sends SIGCONT to a stopped server.
func (s *Server) Cont(t testing.TB) { s.signal(t, syscall.SIGCONT) }

// signal sends sig; it fails t when the process is gone (killed).
func (s *Server) signal(t testing.TB, sig syscall.Signal) {
	t.Helper()
	if err := s.cmd.Process.Signal(sig); err != nil {
		t.Fatalf("redisproc: signalling %s: %v", s.Name, err)
	}
}

// Client returns a plain client to this server with small timeouts and no
// retries, closed when t ends: for the tests' own checks and setup.
func (s *Server) Client(t testing.TB) *redis.Client {
	c := redis.NewClient(adminOptions(s.Addr))
	t.Cleanup(func() { c.Close() })
	return c
}

func adminOptions(addr string) *redis.Options {
	return &redis.Options{
		Addr: addr, MaxRetries: -1,
		DialTimeout: 300 * time.Millisecond, ReadTimeout: 500 * time.Millisecond, WriteTimeout: 500 * time.Millisecond,
		ContextTimeoutEnabled: true,
	}
}

// do runs one command on addr through a client of its own (a go-redis
// pool whose dial failed waits before dialling again, so polls use fresh
// clients).
func do(addr string, args ...any) (any, error) {
	c := redis.NewClient(adminOptions(addr))
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	return c.Do(ctx, args...).Result()
}

// doString is do for commands that answer a string.
func doString(addr string, args ...any) (string, error) {
	v, err := do(addr, args...)
	if err != nil {
		return "", err
	}
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("%v answered %T, not a string", args, v)
	}
	return s, nil
}

// Poll calls cond every 20 ms until it returns true, and fails t with what
// when it has not after timeout. It returns the time cond first held.
func Poll(t testing.TB, timeout time.Duration, what string, cond func() bool) time.Time {
	t.Helper()
	deadline := time.Now().Add(timeout)
	tick := time.NewTicker(pollEvery)
	defer tick.Stop()
	for {
		if cond() {
			return time.Now()
		}
		if time.Now().After(deadline) {
			t.Fatalf("redisproc: %s: not after %v", what, timeout)
		}
		<-tick.C
	}
}

// binary returns the path of the program name (redis-server, redis-cli),
// or skips t (fails it under FANG_REQUIRE_REDIS=1) when it is missing.
func binary(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	msg := fmt.Sprintf("%s is not installed (apt-get install redis-server redis-tools)", name)
	if os.Getenv("FANG_REQUIRE_REDIS") == "1" {
		t.Fatalf("FANG_REQUIRE_REDIS=1 but %s", msg)
	}
	t.Skipf("%s (set FANG_REQUIRE_REDIS=1 to fail instead)", msg)
	return ""
}

// freePort returns a port that was free a moment ago (and, when bus, whose
// cluster bus port+10000 is free too). Another process may take it before
// redis-server binds it: start retries.
func freePort(t testing.TB, bus bool) int {
	t.Helper()
	for range 50 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatalf("redisproc: %v", err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		if !bus {
			l.Close()
			return port
		}
		if port+10000 > 65535 {
			l.Close()
			continue
		}
		lb, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port+10000)))
		l.Close()
		if err != nil {
			continue
		}
		lb.Close()
		return port
	}
	t.Fatal("redisproc: no free port pair for a cluster node")
	return 0
}

// start starts redis-server with the config built by conf for a free port
// (extra arguments after the config file, e.g. "--sentinel"), and waits
// until it answers PING. It retries with another port when the server
// exits at once (its port was taken).
func start(t testing.TB, bin, dir, name string, bus bool, conf func(port int) string, extra ...string) *Server {
	t.Helper()
	var lastErr error
	for range 3 {
		port := freePort(t, bus)
		sdir := filepath.Join(dir, fmt.Sprintf("%s-%d", name, port))
		if err := os.MkdirAll(sdir, 0o700); err != nil {
			t.Fatal(err)
		}
		cfg := filepath.Join(sdir, "redis.conf")
		body := fmt.Sprintf("port %d\nbind 127.0.0.1\ndir %s\nsave \"\"\nappendonly no\nlogfile %s\n",
			port, sdir, filepath.Join(sdir, "log")) + conf(port)
		if err := os.WriteFile(cfg, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(bin, append([]string{cfg}, extra...)...)
		if err := cmd.Start(); err != nil {
			t.Fatalf("redisproc: starting %s: %v", name, err)
		}
		s := &Server{Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), Port: port, Name: name,
			cmd: cmd, exited: make(chan struct{})}
		go func() { cmd.Wait(); close(s.exited) }()
		t.Cleanup(func() { s.Kill(t) })
		if lastErr = waitPing(s); lastErr == nil {
			return s
		}
		s.Kill(t)
		if log, err := os.ReadFile(filepath.Join(sdir, "log")); err == nil {
			lastErr = fmt.Errorf("%w; log tail: %s", lastErr, tail(string(log), 400))
		}
	}
	t.Fatalf("redisproc: starting %s: %v", name, lastErr)
	return nil
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// waitPing waits until s answers PING, or it exits, or 5 s pass.
func waitPing(s *Server) error {
	deadline := time.Now().Add(5 * time.Second)
	tick := time.NewTicker(pollEvery)
	defer tick.Stop()
	for {
		_, err := do(s.Addr, "ping")
		if err == nil {
			return nil
		}
		select {
		case <-s.exited:
			return fmt.Errorf("%s on %s exited", s.Name, s.Addr)
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s on %s does not answer PING: %w", s.Name, s.Addr, err)
		}
		<-tick.C
	}
}

// Single starts one redis-server.
func Single(t testing.TB) *Server {
	t.Helper()
	bin := binary(t, "redis-server")
	return start(t, bin, t.TempDir(), "single", false, func(int) string { return "" })
}

// SentinelSet is a master, its replica and three sentinels that monitor
// it under MasterName with quorum 2, down-after-milliseconds 500 and
// failover-timeout 2000.
type SentinelSet struct {
	// MasterName is the name the sentinels monitor the master under.
	MasterName string
	// Master and Replica are the data nodes as started; after a failover
	// Replica is the master.
	Master, Replica *Server
	// Sentinels are the three sentinels.
	Sentinels []*Server
}

// SentinelAddrs returns the sentinels' addresses.
func (s *SentinelSet) SentinelAddrs() []string {
	addrs := make([]string, len(s.Sentinels))
	for i, x := range s.Sentinels {
		addrs[i] = x.Addr
	}
	return addrs
}

// WaitFailover waits (at most timeout) until every sentinel names the
// replica as the master and it reports role:master, and returns when that
// was first seen.
func (s *SentinelSet) WaitFailover(t testing.TB, timeout time.Duration) time.Time {
	t.Helper()
	return Poll(t, timeout, "sentinel failover to "+s.Replica.Addr, func() bool {
		for _, x := range s.Sentinels {
			v, err := do(x.Addr, "sentinel", "get-master-addr-by-name", s.MasterName)
			hp, ok := v.([]any)
			if err != nil || !ok || len(hp) != 2 || net.JoinHostPort(fmt.Sprint(hp[0]), fmt.Sprint(hp[1])) != s.Replica.Addr {
				return false
			}
		}
		info, err := doString(s.Replica.Addr, "info", "replication")
		return err == nil && strings.Contains(info, "role:master")
	})
}

// Sentinel starts a master, a replica of it and three sentinels, and
// waits until the replica is in sync and every sentinel knows the replica
// and the other two sentinels.
func Sentinel(t testing.TB) *SentinelSet {
	t.Helper()
	bin := binary(t, "redis-server")
	dir := t.TempDir()
	set := &SentinelSet{MasterName: "fangmaster"}
	set.Master = start(t, bin, dir, "master", false, func(int) string { return "" })
	set.Replica = start(t, bin, dir, "replica", false, func(int) string {
		return fmt.Sprintf("replicaof 127.0.0.1 %d\nreplica-priority 100\n", set.Master.Port)
	})
	for i := 1; i <= 3; i++ {
		s := start(t, bin, dir, fmt.Sprintf("sentinel-%d", i), false, func(int) string {
			return fmt.Sprintf("sentinel monitor %[1]s 127.0.0.1 %[2]d 2\n"+
				"sentinel down-after-milliseconds %[1]s 500\n"+
				"sentinel failover-timeout %[1]s 2000\n"+
				"sentinel parallel-syncs %[1]s 1\n", set.MasterName, set.Master.Port)
		}, "--sentinel")
		set.Sentinels = append(set.Sentinels, s)
	}
	Poll(t, startTimeout, "replica in sync", func() bool {
		info, err := doString(set.Replica.Addr, "info", "replication")
		return err == nil && strings.Contains(info, "master_link_status:up")
	})
	Poll(t, startTimeout, "sentinels discover the replica and each other", func() bool {
		for _, x := range set.Sentinels {
			r, err := do(x.Addr, "sentinel", "replicas", set.MasterName)
			if rs, ok := r.([]any); err != nil || !ok || len(rs) != 1 {
				return false
			}
			o, err := do(x.Addr, "sentinel", "sentinels", set.MasterName)
			if ss, ok := o.([]any); err != nil || !ok || len(ss) != 2 {
				return false
			}
		}
		return true
	})
	return set
}

// ClusterSet is a six-node Redis Cluster: three masters with one replica
// each, cluster-node-timeout 1000 ms.
type ClusterSet struct {
	// Nodes are the six nodes as started (roles change with failovers).
	Nodes []*Server
}

// Addrs returns the nodes' addresses, the seeds of a ClusterClient.
func (c *ClusterSet) Addrs() []string {
	addrs := make([]string, len(c.Nodes))
	for i, n := range c.Nodes {
		addrs[i] = n.Addr
	}
	return addrs
}

// node returns the node listening on addr, or nil.
func (c *ClusterSet) node(addr string) *Server {
	for _, n := range c.Nodes {
		if n.Addr == addr {
			return n
		}
	}
	return nil
}

// Slot returns the cluster slot of key, as CLUSTER KEYSLOT computes it.
func (c *ClusterSet) Slot(t testing.TB, key string) int {
	t.Helper()
	for _, n := range c.Nodes {
		if v, err := do(n.Addr, "cluster", "keyslot", key); err == nil {
			if slot, ok := v.(int64); ok {
				return int(slot)
			}
		}
	}
	t.Fatalf("redisproc: no node answers CLUSTER KEYSLOT")
	return 0
}

// masterOf returns the address of the master serving slot, according to
// the CLUSTER NODES of the node at via: the master must be connected
// and not flagged fail. ok is false when the view has no such master.
func masterOf(via string, slot int) (addr string, ok bool) {
	out, err := doString(via, "cluster", "nodes")
	if err != nil {
		return "", false
	}
	for line := range strings.SplitSeq(out, "\n") {
		f := strings.Fields(line)
		// <id> <ip:port@bus> <flags> <master> <ping> <pong> <epoch> <link> <slot>...
		if len(f) < 9 || !strings.Contains(f[2], "master") || strings.Contains(f[2], "fail") || f[7] != "connected" {
			continue
		}
		for _, r := range f[8:] {
			lo, hi, found := strings.Cut(r, "-")
			if !found {
				hi = lo
			}
			l, err1 := strconv.Atoi(lo)
			h, err2 := strconv.Atoi(hi)
			if err1 == nil && err2 == nil && l <= slot && slot <= h {
				a, _, _ := strings.Cut(f[1], "@")
				return a, true
			}
		}
	}
	return "", false
}

// MasterFor returns the node that is the master of key's slot, agreed on
// by every live node.
func (c *ClusterSet) MasterFor(t testing.TB, key string) *Server {
	t.Helper()
	slot := c.Slot(t, key)
	addr, ok := masterOf(c.Nodes[0].Addr, slot)
	if !ok || c.node(addr) == nil {
		t.Fatalf("redisproc: no master for slot %d", slot)
	}
	return c.node(addr)
}

// WaitNewMaster waits (at most timeout) until every node other than old
// names the same node, not old, as the master of key's slot, and that
// node reports role:master. It returns the new master and when that was
// first seen.
func (c *ClusterSet) WaitNewMaster(t testing.TB, key string, old *Server, timeout time.Duration) (*Server, time.Time) {
	t.Helper()
	slot := c.Slot(t, key)
	var promoted *Server
	at := Poll(t, timeout, fmt.Sprintf("a new master for slot %d", slot), func() bool {
		agreed := ""
		for _, n := range c.Nodes {
			if n == old {
				continue
			}
			addr, ok := masterOf(n.Addr, slot)
			if !ok || addr == old.Addr || (agreed != "" && addr != agreed) {
				return false
			}
			agreed = addr
		}
		promoted = c.node(agreed)
		if promoted == nil {
			return false
		}
		info, err := doString(promoted.Addr, "info", "replication")
		return err == nil && strings.Contains(info, "role:master")
	})
	return promoted, at
}

// Cluster starts six nodes, joins them with redis-cli --cluster create
// (three masters, one replica each) and waits until every node reports
// cluster_state:ok with all six nodes known and every replica in sync.
func Cluster(t testing.TB) *ClusterSet {
	t.Helper()
	bin, cli := binary(t, "redis-server"), binary(t, "redis-cli")
	dir := t.TempDir()
	c := &ClusterSet{}
	for i := 1; i <= 6; i++ {
		c.Nodes = append(c.Nodes, start(t, bin, dir, fmt.Sprintf("node-%d", i), true, func(port int) string {
			return fmt.Sprintf("cluster-enabled yes\ncluster-config-file nodes-%d.conf\n"+
				"cluster-node-timeout 1000\ncluster-replica-validity-factor 0\n"+
				"cluster-require-full-coverage no\ncluster-port %d\n", port, port+10000)
		}))
	}
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	args := append([]string{"--cluster", "create"}, c.Addrs()...)
	args = append(args, "--cluster-replicas", "1", "--cluster-yes")
	out, err := exec.CommandContext(ctx, cli, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("redisproc: redis-cli --cluster create: %v\n%s", err, tail(string(out), 2000))
	}
	Poll(t, startTimeout, "cluster_state:ok on every node", func() bool {
		for _, n := range c.Nodes {
			info, err := doString(n.Addr, "cluster", "info")
			if err != nil || !strings.Contains(info, "cluster_state:ok") ||
				!strings.Contains(info, "cluster_known_nodes:6") || !strings.Contains(info, "cluster_slots_ok:16384") {
				return false
			}
			repl, err := doString(n.Addr, "info", "replication")
			if err != nil || (strings.Contains(repl, "role:slave") && !strings.Contains(repl, "master_link_status:up")) {
				return false
			}
		}
		return true
	})
	return c
}
