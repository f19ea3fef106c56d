package kanfang_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/fangsdk/fang/kanfang"
	"github.com/fangsdk/fang/kanfang/kanfangtest"
)

// Mount a CallbackHandler at the URL given to 123kanfang; in a test,
// kanfangtest.CallbackSender plays the platform.
func ExampleCallbackHandler() {
	h := &kanfang.CallbackHandler{
		SignKey: "the-account-sign-key", // from your secret store
		OnTaskStateChange: func(_ context.Context, n *kanfang.TaskStateChange) error {
			fmt.Printf("task %s of package %s: %s\n", n.HouseTaskID, n.PackageID, n.State)
			return nil
		},
		OnPackageDownload: func(_ context.Context, n *kanfang.PackageDownload) error {
			fmt.Printf("package %s: %s (md5 %s)\n", n.PackageID, n.State, n.FileHash)
			return nil
		},
		// No OnNotifyFailed: such callbacks are acknowledged and logged.
	}
	mux := http.NewServeMux()
	mux.Handle("/kanfang/callback", h)
	srv := httptest.NewServer(mux) // in production: http.ListenAndServe
	defer srv.Close()

	sender := &kanfangtest.CallbackSender{SignKey: "the-account-sign-key"}
	ctx := context.Background()
	a, err := sender.Send(ctx, srv.URL+"/kanfang/callback", &kanfang.TaskStateChange{
		State: kanfang.TaskStateDone, HouseTaskID: "t-1", HouseID: "h-1", PackageID: "p-1"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(a.HTTPStatus, a.Body)
	a, _ = sender.Send(ctx, srv.URL+"/kanfang/callback", &kanfang.PackageDownload{
		State: kanfang.PackageDownloadFinished, FileHash: "9e107d9d372bb6826bd81d3542a419d6", PackageID: "p-1", NotifyID: "n-1"})
	fmt.Println(a.HTTPStatus, a.Body)

	forged := &kanfangtest.CallbackSender{SignKey: "a-guess"}
	a, _ = forged.Send(ctx, srv.URL+"/kanfang/callback", &kanfang.TaskStateChange{State: kanfang.TaskStateCancelled})
	fmt.Println(a.HTTPStatus, a.Body)
	// Output:
	// task t-1 of package p-1: Done
	// 200 {"state":200,"payload":"Success"}
	// package p-1: Finished (md5 9e107d9d372bb6826bd81d3542a419d6)
	// 200 {"state":200,"payload":"Success"}
	// 401 {"state":401,"payload":"Unauthorized: bad sign or timestamp"}
}

// VerifyCallback is the check alone, for a receiver that is not an
// http.Handler or that answers by itself.
func ExampleVerifyCallback() {
	r := httptest.NewRequest(http.MethodPost, "/callback", strings.NewReader("B=2&A=1&C=3"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("timestamp", "1532059200000") // the platform's published example
	r.Header.Set("sign", "d5680a902dd2de08cf2bf9df819ffb9d")
	sent := time.UnixMilli(1532059200000)

	form, err := kanfang.VerifyCallback(r, "CdLvNRRQvy0xjORPNvuVaA", sent.Add(3*time.Second))
	fmt.Println(form.Encode(), err)

	_, err = kanfang.VerifyCallback(r, "CdLvNRRQvy0xjORPNvuVaA", sent.Add(24*time.Hour))
	fmt.Println(errors.Is(err, kanfang.ErrCallbackStale))
	// Output:
	// A=1&B=2&C=3 <nil>
	// true
}
