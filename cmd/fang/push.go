package main

import (
	"context"
	"fmt"
	"io"

	"github.com/fangsdk/fang/kanfang"
)

func (e *env) kanfangPush(ctx context.Context, args []string) int {
	c := newCmdFlags("kanfang push", "--package-id ID --notify-config-id ID [--force-push] [--payload JSON] [flags]",
		"Pushes a panorama data package to a receiver configured on 123kanfang\n(POST /v2/houseTask/AddNewNotifyTaskByPackageID). A package already pushed\nto the configuration is not pushed again: the answer is the task that pushed\nit, and transient failures are retried. --force-push pushes it again and is\nnever repeated once it may have reached the server (123kanfang bans\naccounts that force-push needlessly).")
	var cfg kanfangConfig
	var req kanfang.AddNotifyTaskRequest
	c.field(&req.PackageID, "package-id", "PackageID", "`id` of the panorama data package (required, ≤ 128 characters)")
	c.field(&req.NotifyConfigID, "notify-config-id", "NotifyConfigID", "push configuration `id` given by 123kanfang (required, ≤ 32 characters)")
	c.BoolVar(&req.ForcePush, "force-push", false, "push again a package already pushed to this configuration")
	c.note("force-push", "")
	c.field(&req.Payload, "payload", "Payload", "extra `data` for the receiver, usually JSON (≤ 255 characters)")
	if code, done := c.parseAPI(e, args, &cfg, true); done {
		return code
	}
	return callAPI(ctx, e, c, cfg.client, func(ctx context.Context, client *kanfang.Client, _ *apiCall) (output, error) {
		task, err := client.AddNotifyTask(ctx, &req)
		if err != nil {
			return output{}, err
		}
		return output{task, func(w io.Writer) {
			fmt.Fprintf(w, "package %s: notify task %s (house task %s, config %s), notify result: %s\n",
				req.PackageID, task.ID, task.HouseTaskID, task.NotifyConfigID, task.NotifyResult)
		}}, nil
	})
}
