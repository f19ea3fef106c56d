// Command callbacks shows how to receive 123kanfang's callbacks: a
// kanfang.CallbackHandler mounted in net/http verifies each callback's
// sign and timestamp and hands the typed notification to the function of
// its kind.
//
// With no environment variables it listens on 127.0.0.1 (a free port),
// sends itself one callback of each kind, plus a forged one, with
// kanfangtest.CallbackSender (which plays the platform), prints what it
// received and exits:
//
//	go run ./examples/callbacks
//
// To receive real callbacks, give the account's sign key and an address,
// and give 123kanfang the URL http://{host}{addr}/kanfang/callback (behind
// TLS in production); it serves until interrupted:
//
//	FANG_KANFANG_SIGN_KEY   the "strong validation" sign key
//	FANG_CALLBACKS_ADDR     e.g. :8080
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"time"

	"github.com/fangsdk/fang/kanfang"
	"github.com/fangsdk/fang/kanfang/kanfangtest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := run(ctx, os.Stdout, os.Getenv, logger); err != nil {
		fmt.Fprintln(os.Stderr, "callbacks:", err)
		os.Exit(1)
	}
}

// demoKey signs the callbacks the program sends itself.
const demoKey = "demo-sign-key"

// callbackPath is where the handler is mounted.
const callbackPath = "/kanfang/callback"

// run serves the handler; without FANG_CALLBACKS_ADDR it sends itself one
// callback of each kind and returns.
func run(ctx context.Context, out io.Writer, getenv func(string) string, logger *slog.Logger) error {
	key, addr := getenv("FANG_KANFANG_SIGN_KEY"), getenv("FANG_CALLBACKS_ADDR")
	demo := addr == ""
	if demo {
		key, addr = demoKey, "127.0.0.1:0"
	} else if key == "" {
		return errors.New("FANG_CALLBACKS_ADDR needs FANG_KANFANG_SIGN_KEY")
	}

	var mu sync.Mutex // the handler runs on net/http's goroutines
	printf := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(out, format, args...)
	}
	h := &kanfang.CallbackHandler{
		SignKey: key,
		Logger:  logger,
		OnTaskStateChange: func(_ context.Context, n *kanfang.TaskStateChange) error {
			printf("task %s (house %s, package %s) is now %s\n", n.HouseTaskID, n.HouseID, n.PackageID, n.State)
			return nil
		},
		OnPackageDownload: func(_ context.Context, n *kanfang.PackageDownload) error {
			// Download n.PanoramaPackage elsewhere (not in the handler: the
			// platform waits for the answer) and check the zip's MD5
			// against n.FileHash.
			printf("package %s download %s, md5 %s, notify %s\n", n.PackageID, n.State, n.FileHash, n.NotifyID)
			return nil
		},
		OnNotifyFailed: func(_ context.Context, n *kanfang.NotifyFailed) error {
			printf("notify %s (config %s) of package %s failed: result %d, response %q\n",
				n.NotifyID, n.NotifyConfigID, n.PackageID, n.NotifyResult, n.Response)
			return nil
		},
	}
	mux := http.NewServeMux()
	mux.Handle(callbackPath, h)
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	target := "http://" + ln.Addr().String() + callbackPath
	printf("listening on %s\n", target)

	if demo {
		err = sendDemo(ctx, target, printf)
	} else {
		<-ctx.Done()
	}
	shutdown, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if serr := srv.Shutdown(shutdown); err == nil {
		err = serr
	}
	if serr := <-served; err == nil && !errors.Is(serr, http.ErrServerClosed) {
		err = serr
	}
	return err
}

// sendDemo plays the platform: one callback of each kind, then a forged
// one, printing each answer.
func sendDemo(ctx context.Context, target string, printf func(string, ...any)) error {
	platform := &kanfangtest.CallbackSender{SignKey: demoKey}
	forger := &kanfangtest.CallbackSender{SignKey: "a-guessed-key"}
	for _, send := range []struct {
		sender *kanfangtest.CallbackSender
		cb     kanfangtest.CallbackForm
	}{
		{platform, &kanfang.TaskStateChange{State: kanfang.TaskStateDone, HouseTaskID: "task-1", HouseID: "house-1", PackageID: "pkg-1"}},
		{platform, &kanfang.PackageDownload{State: kanfang.PackageDownloadFinished, PanoramaPackage: "https://download.example/pkg-1.zip",
			FileHash: "9e107d9d372bb6826bd81d3542a419d6", HouseID: "house-1", PackageID: "pkg-1", CityID: "110000", NotifyID: "notify-1"}},
		{platform, &kanfang.NotifyFailed{NotifyID: "notify-2", NotifyConfigID: "anjuke-1", NotifyType: "1", NotifyResult: 2,
			Response: "refused by the receiver", PackageID: "pkg-1", HouseID: "house-1", CityID: "110000"}},
		{forger, &kanfang.TaskStateChange{State: kanfang.TaskStateCancelled, HouseTaskID: "task-1", PackageID: "pkg-1"}},
	} {
		a, err := send.sender.Send(ctx, target, send.cb)
		if err != nil {
			return err
		}
		printf("  answered HTTP %d %s\n", a.HTTPStatus, a.Body)
	}
	return nil
}
