package kanfang_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/kanfang"
	"github.com/fangsdk/fang/kanfang/kanfangtest"
)

func ExampleClient_PutAnjukeBianHao() {
	srv := kanfangtest.NewServer() // stands in for ProductionBaseURL
	defer srv.Close()

	c, err := kanfang.NewClient(kanfang.WithBaseURL(srv.URL), kanfang.WithToken(auth.StaticToken(srv.Token)))
	if err != nil {
		fmt.Println(err)
		return
	}
	resp, err := c.PutAnjukeBianHao(context.Background(), &kanfang.PutAnjukeBianHaoRequest{
		PackageID:     "packageIdxxxxxxxxxxxxx",
		AnjukeBianHao: "00000000010101",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(resp.PackageID, resp.AnjukeBianHao)
	// Output: packageIdxxxxxxxxxxxxx 00000000010101
}

// Pushing a package after setting its Anjuke number: a second push to the
// same configuration answers the task that pushed it; ForcePush (use it
// sparingly: 123kanfang bans accounts that re-push needlessly) makes a new
// one, and is never repeated behind the caller's back.
func ExampleClient_AddNotifyTask() {
	srv := kanfangtest.NewServer()
	defer srv.Close()
	c, _ := kanfang.NewClient(kanfang.WithBaseURL(srv.URL), kanfang.WithToken(auth.StaticToken(srv.Token)))
	ctx := context.Background()

	req := &kanfang.AddNotifyTaskRequest{PackageID: "pkg-1", NotifyConfigID: "anjuke-cfg", Payload: `{"source":"crm"}`}
	for range 2 {
		task, err := c.AddNotifyTask(ctx, req)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(task.ID, task.HouseTaskID, task.NotifyResult)
	}
	req.ForcePush = true
	task, _ := c.AddNotifyTask(ctx, req)
	fmt.Println(task.ID, "forced")
	// Output:
	// task-1 housetask-1 not notified
	// task-1 housetask-1 not notified
	// task-2 forced
}

func ExampleWithCredentials() {
	srv := kanfangtest.NewServer()
	defer srv.Close()

	// Logs in on first use, refreshes before expiry, renews once on a 401.
	c, _ := kanfang.NewClient(kanfang.WithBaseURL(srv.URL), kanfang.WithCredentials(srv.AuthKey, srv.AuthValue))
	for range 3 {
		c.PutAnjukeBianHao(context.Background(), &kanfang.PutAnjukeBianHaoRequest{PackageID: "p", AnjukeBianHao: "1"})
	}
	fmt.Println("logins:", srv.Logins())
	// Output: logins: 1
}

func ExampleWithTokenPlacement() {
	srv := kanfangtest.NewServer()
	defer srv.Close()

	c, _ := kanfang.NewClient(kanfang.WithBaseURL(srv.URL), kanfang.WithToken(auth.StaticToken(srv.Token)),
		kanfang.WithTokenPlacement(auth.InCookie))
	c.PutAnjukeBianHao(context.Background(), &kanfang.PutAnjukeBianHaoRequest{PackageID: "p", AnjukeBianHao: "1"})
	fmt.Println("token sent in:", srv.RequestLog()[0].TokenPlacement)
	// Output: token sent in: cookie
}

// Handling each kind of failure.
func ExampleError() {
	srv := kanfangtest.NewServer()
	defer srv.Close()
	c, _ := kanfang.NewClient(kanfang.WithBaseURL(srv.URL), kanfang.WithToken(auth.StaticToken(srv.Token)), kanfang.WithoutRetry())
	ctx := context.Background()

	_, err := c.PutAnjukeBianHao(ctx, &kanfang.PutAnjukeBianHaoRequest{})
	var invalid *kanfang.InvalidRequestError
	if errors.Is(err, kanfang.ErrInvalidRequest) && errors.As(err, &invalid) {
		fmt.Println("fix fields:", invalid.Fields())
	}

	srv.FailNext(1, kanfangtest.Failure{Code: 403, Message: "packageId 不存在"})
	_, err = c.PutAnjukeBianHao(ctx, &kanfang.PutAnjukeBianHaoRequest{PackageID: "p", AnjukeBianHao: "1"})
	var kerr *kanfang.Error
	if errors.Is(err, kanfang.ErrRejected) && errors.As(err, &kerr) {
		fmt.Println("rejected:", kerr.State, kerr.Message)
	}

	srv.FailNext(1, kanfangtest.Failure{HTTPStatus: 502, Body: "<html>502 Bad Gateway</html>"})
	_, err = c.PutAnjukeBianHao(ctx, &kanfang.PutAnjukeBianHaoRequest{PackageID: "p", AnjukeBianHao: "1"})
	if errors.Is(err, kanfang.ErrUnexpectedResponse) && errors.As(err, &kerr) {
		fmt.Println("gateway:", kerr.HTTPStatus, kerr.Message)
	}
	// Output:
	// fix fields: [PackageID AnjukeBianHao]
	// rejected: 403 packageId 不存在
	// gateway: 502 <html>502 Bad Gateway</html>
}
