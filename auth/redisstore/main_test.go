package redisstore_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// One redis-server serves the whole test binary; tests keep apart by using
// distinct prefixes (see prefix).
var (
	redisAddr    string // "" when no server runs
	redisMissing string // why no server runs
)

func TestMain(m *testing.M) {
	stop, err := startRedis()
	if err != nil {
		redisMissing = err.Error()
	}
	code := m.Run()
	if stop != nil {
		stop()
	}
	os.Exit(code)
}

// startRedis starts redis-server on a free loopback port, retrying in case
// another process takes the port first, and returns how to stop it.
func startRedis() (stop func(), err error) {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		return nil, errors.New("redis-server is not installed (apt-get install redis-server)")
	}
	dir, err := os.MkdirTemp("", "redisstore-test")
	if err != nil {
		return nil, err
	}
	for attempt := 1; ; attempt++ {
		stop, addr, err := tryStartRedis(bin, dir)
		if err == nil {
			redisAddr = addr
			return func() { stop(); os.RemoveAll(dir) }, nil
		}
		if attempt == 3 {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("starting redis-server: %w", err)
		}
	}
}

func tryStartRedis(bin, dir string) (stop func(), addr string, err error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", err
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	addr = net.JoinHostPort("127.0.0.1", strconv.Itoa(port))

	cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--dir", dir)
	if err := cmd.Start(); err != nil {
		return nil, "", err
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	stop = func() {
		cmd.Process.Kill()
		<-exited
	}

	deadline := time.Now().Add(5 * time.Second)
	for {
		err = ping(addr)
		if err == nil {
			return stop, addr, nil
		}
		select {
		case <-exited:
			return nil, "", fmt.Errorf("redis-server on %s exited: %v", addr, cmd.ProcessState)
		default:
		}
		if time.Now().After(deadline) {
			stop()
			return nil, "", fmt.Errorf("redis-server on %s does not answer PING: %w", addr, err)
		}
		time.Sleep(10 * time.Millisecond) // polling interval, bounded by deadline
	}
}

// ping sends one PING through a client of its own: a go-redis pool whose
// dial failed waits a second before dialling again.
func ping(addr string) error {
	rdb := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1, DialTimeout: 200 * time.Millisecond})
	defer rdb.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	return rdb.Ping(ctx).Err()
}

// newClient returns a client of its own (with its own connection pool) to
// the test server, closed when t ends. Without a server it skips t, or
// fails it when FANG_REQUIRE_REDIS=1.
func newClient(t testing.TB) *redis.Client {
	t.Helper()
	if redisAddr == "" {
		if os.Getenv("FANG_REQUIRE_REDIS") == "1" {
			t.Fatalf("FANG_REQUIRE_REDIS=1 but no Redis to test against: %s", redisMissing)
		}
		t.Skipf("no Redis to test against (set FANG_REQUIRE_REDIS=1 to fail instead): %s", redisMissing)
	}
	rdb := redis.NewClient(&redis.Options{Addr: redisAddr})
	t.Cleanup(func() { rdb.Close() })
	return rdb
}

var prefixes atomic.Int64

// prefix returns a key prefix no other test uses.
func prefix(t testing.TB) string {
	return fmt.Sprintf("test%d:%s:", prefixes.Add(1), t.Name())
}

func testContext(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}
