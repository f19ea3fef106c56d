package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/fangsdk/fang/internal/listenurl"
	"github.com/fangsdk/fang/kanfang/kanfangtest"
	"github.com/fangsdk/fang/property/propertytest"
)

func (e *env) mock(ctx context.Context, args []string) int {
	c := newCmd(e, "mock", `[--addr 127.0.0.1:8080] [--allow-non-loopback]

Serves the in-process fakes of both APIs on one address: /v2/... is the
123kanfang fake (kanfangtest), /app/... the HC fake (propertytest). Prints the
base URL and export lines with every credential the fakes accept, for the
other commands, then serves until interrupted (SIGINT or SIGTERM).

The fakes are test helpers that keep everything in memory: do not expose
them beyond this host.`)
	var addr string
	var allowNonLoopback bool
	c.StringVar(&addr, "addr", "127.0.0.1:8080", "`address` to listen on (host:port; port 0 picks a free one)")
	c.BoolVar(&allowNonLoopback, "allow-non-loopback", false, "allow listening on an address other than loopback")
	if code, done := c.parse(args); done {
		return code
	}
	if err := checkLoopback(addr); err != nil && !allowNonLoopback {
		return c.fail(usageErr("%v; pass --allow-non-loopback to serve the fakes there anyway", err))
	}
	l, err := new(net.ListenConfig).Listen(ctx, "tcp", addr)
	if err != nil {
		return c.fail(fmt.Errorf("listening on %s: %w", addr, err))
	}
	kf := kanfangtest.NewServer()
	defer kf.Close()
	hc := propertytest.NewServer()
	defer hc.Close()
	mux := http.NewServeMux()
	mux.Handle("/v2/", kf.Handler())
	mux.Handle("/app/", hc.Handler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ErrorLog: log.New(io.Discard, "", 0)}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(l) }()

	base := listenurl.HTTP(l.Addr())
	fmt.Fprintf(e.stdout, "listening on %s\n\n123kanfang fake (kanfangtest) at %[1]s/v2/, HC fake (propertytest) at %[1]s/app/\n", base)
	fmt.Fprintf(e.stdout, "known community %s, menu group %s\n\nFake credentials for local testing. Paste into a shell:\n",
		propertytest.DefaultCommunityID, propertytest.DefaultMenuGroupID)
	for _, kv := range [][2]string{
		{"FANG_KANFANG_BASE_URL", base}, {"FANG_KANFANG_TOKEN", kf.Token},
		{"FANG_KANFANG_AUTH_KEY", kf.AuthKey}, {"FANG_KANFANG_AUTH_VALUE", kf.AuthValue},
		{"FANG_PROPERTY_BASE_URL", base}, {"FANG_PROPERTY_URL", base}, // the older spelling, for scripts that read it
		{"FANG_PROPERTY_APP_ID", hc.AppID}, {"FANG_PROPERTY_SECURITY_CODE", hc.SecurityCode}, {"FANG_PROPERTY_TOKEN", hc.Token},
		{"FANG_PROPERTY_USERNAME", hc.Username}, {"FANG_PROPERTY_PASSWORD", hc.Password},
	} {
		fmt.Fprintf(e.stdout, "export %s='%s'\n", kv[0], strings.ReplaceAll(kv[1], "'", `'\''`))
	}
	fmt.Fprintln(e.stdout, "(a token wins over credentials: unset FANG_KANFANG_TOKEN / FANG_PROPERTY_TOKEN to exercise the logins)\n\nServing until interrupted (Ctrl-C).")

	select {
	case <-ctx.Done():
		_ = srv.Close() // the fakes keep nothing worth a graceful shutdown
		if err := <-serveErr; !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintf(e.stderr, "fang mock: serving: %v\n", err)
			return exitAPI
		}
		fmt.Fprintln(e.stderr, "fang mock: stopped")
		return exitOK
	case err := <-serveErr:
		fmt.Fprintf(e.stderr, "fang mock: serving: %v\n", err)
		return exitAPI
	}
}

// checkLoopback accepts host:port whose host is a loopback IP or
// "localhost".
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	switch ip := net.ParseIP(host); {
	case err != nil:
		return fmt.Errorf("bad --addr %q: want host:port, e.g. 127.0.0.1:8080", addr)
	case strings.EqualFold(host, "localhost"), ip != nil && ip.IsLoopback():
		return nil
	case host == "":
		return fmt.Errorf("--addr %q listens on every interface, not only loopback", addr)
	}
	return fmt.Errorf("--addr %q is not a loopback address", addr)
}
