package redisproc_test

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/fangsdk/fang/internal/testkit/redisproc"
)

func TestSingleKillStopCont(t *testing.T) {
	t.Parallel()
	s := redisproc.Single(t)
	c := s.Client(t)
	ctx := context.Background()
	if err := c.Set(ctx, "k", "v", 0).Err(); err != nil {
		t.Fatal(err)
	}
	s.Stop(t)
	sctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	if err := c.Get(sctx, "k").Err(); err == nil {
		t.Fatal("a stopped server answered")
	}
	s.Cont(t)
	redisproc.Poll(t, 5*time.Second, "answers after SIGCONT", func() bool {
		return s.Client(t).Get(ctx, "k").Val() == "v"
	})
	s.Kill(t)
	if err := s.Client(t).Ping(ctx).Err(); err == nil {
		t.Fatal("a killed server answered")
	}
}

func TestSentinelFailover(t *testing.T) {
	t.Parallel()
	set := redisproc.Sentinel(t)
	hp, err := set.Sentinels[0].Client(t).Do(context.Background(), "sentinel", "get-master-addr-by-name", set.MasterName).StringSlice()
	if err != nil || len(hp) != 2 || net.JoinHostPort(hp[0], hp[1]) != set.Master.Addr {
		t.Fatalf("master = %q, %v; want %s", hp, err, set.Master.Addr)
	}
	killed := time.Now()
	set.Master.Kill(t)
	at := set.WaitFailover(t, 20*time.Second)
	t.Logf("failover seen %v after the kill", at.Sub(killed))
}

func TestClusterFailover(t *testing.T) {
	t.Parallel()
	c := redisproc.Cluster(t)
	old := c.MasterFor(t, "{k}")
	killed := time.Now()
	old.Kill(t)
	promoted, at := c.WaitNewMaster(t, "{k}", old, 20*time.Second)
	t.Logf("%s promoted %v after the kill", promoted.Name, at.Sub(killed))
}
