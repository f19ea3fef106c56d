// Command quickstart runs fang's whole story on both platforms. On
// 123kanfang: set the Anjuke store number of a panorama data package, push
// the package to Anjuke (a notify task), and hear back through a signed
// callback received and verified by a kanfang.CallbackHandler. On HC:
// create a property company and get its storeId (CreateProperty: saved
// exactly once, even when the gateway times out), list the communities to
// bind, change the company (UpdateProperty), and show what a failure (a
// community that already has a company: code 404 小区已经入驻 on a real
// server, -2 in the seed document) looks like as a Go error.
//
// With no environment variables it starts both fakes in-process
// (kanfangtest and propertytest) and needs no network or credentials:
//
//	go run ./examples/quickstart
//
// To talk to real servers instead, set the variables of the API to use:
//
//	FANG_KANFANG_BASE_URL      e.g. http://webapi-test.123kanfang.com
//	FANG_KANFANG_TOKEN         an access token, or instead:
//	FANG_KANFANG_AUTH_KEY      credentials for GetAccessToken
//	FANG_KANFANG_AUTH_VALUE
//	FANG_QUICKSTART_PACKAGE_ID the panorama data package to update
//	FANG_QUICKSTART_BIANHAO    the Anjuke store number to set
//	FANG_QUICKSTART_NOTIFY_CONFIG_ID  optional: push the package with this
//	                           configuration (callbacks then reach the URLs
//	                           configured at 123kanfang, not this program)
//
//	FANG_PROPERTY_BASE_URL     http://{ip}:{port} of the HC server
//	                           (FANG_PROPERTY_URL, the older name, works too)
//	FANG_PROPERTY_APP_ID
//	FANG_PROPERTY_SECURITY_CODE
//	FANG_PROPERTY_TOKEN        a session token, or instead:
//	FANG_PROPERTY_USERNAME     credentials for login.pcUserLogin
//	FANG_PROPERTY_PASSWORD
//	FANG_QUICKSTART_COMMUNITY_ID, FANG_QUICKSTART_GROUP_ID  optional
//
// Against a real HC server this creates a real property company. Set
// FANG_DEBUG=1 to log every HTTP attempt (secrets are never logged).
package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/signal"
	"time"

	"github.com/fangsdk/fang"
	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/kanfang"
	"github.com/fangsdk/fang/kanfang/kanfangtest"
	"github.com/fangsdk/fang/property"
	"github.com/fangsdk/fang/property/propertytest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var logger *slog.Logger
	if os.Getenv("FANG_DEBUG") != "" {
		logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	if err := run(ctx, os.Stdout, os.Getenv, logger); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// run is the whole program; getenv and logger make it testable.
func run(ctx context.Context, out io.Writer, getenv func(string) string, logger *slog.Logger) error {
	// Room for CreateProperty's settle window (a minute) if a save's
	// outcome is unknown.
	ctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()

	kopts, kfake, err := kanfangOptions(getenv)
	if err != nil {
		return err
	}
	popts, pfake, err := propertyOptions(getenv)
	if err != nil {
		return err
	}
	if kfake != nil {
		defer kfake.Close()
		fmt.Fprintf(out, "123kanfang: in-process fake at %s\n", kfake.URL)
	}
	if pfake != nil {
		defer pfake.Close()
		fmt.Fprintf(out, "HC:         in-process fake at %s\n", pfake.URL)
	}

	client, err := fang.New(
		fang.WithKanfang(append(kopts, kanfang.WithLogger(logger))...),
		fang.WithProperty(append(popts, property.WithLogger(logger))...),
	)
	if err != nil {
		return err
	}

	// 1. Set the Anjuke store number of a panorama data package.
	put, err := client.Kanfang.PutAnjukeBianHao(ctx, &kanfang.PutAnjukeBianHaoRequest{
		PackageID:     cmp.Or(getenv("FANG_QUICKSTART_PACKAGE_ID"), "pkg-demo-001"),
		AnjukeBianHao: cmp.Or(getenv("FANG_QUICKSTART_BIANHAO"), "00000000010101"),
	})
	if err != nil {
		return fmt.Errorf("putting the Anjuke number: %w", err)
	}
	fmt.Fprintf(out, "\n1. PutAnjukeBianHao: package %q now has Anjuke number %q\n", put.PackageID, put.AnjukeBianHao)
	if err := pushAndHearBack(ctx, out, client.Kanfang, kfake, put.PackageID, getenv("FANG_QUICKSTART_NOTIFY_CONFIG_ID")); err != nil {
		return err
	}

	// 2. Create a property company and bind a community to it.
	req := &property.SavePropertyRequest{
		Name:            "物业公司A",
		Address:         "北京市朝阳区XX路XX号",
		Tel:             "18909711449",
		Corporation:     "张三",
		FoundingTime:    "2022-09-01",
		NearbyLandmarks: "国投广场",
	}
	community := getenv("FANG_QUICKSTART_COMMUNITY_ID")
	group := getenv("FANG_QUICKSTART_GROUP_ID")
	if pfake != nil {
		community, group = propertytest.DefaultCommunityID, propertytest.DefaultMenuGroupID
	}
	if community != "" && group != "" {
		req.CommunityIDs, req.GroupIDs = []string{community}, []string{group}
	}
	// CreateProperty saves once and finds the new company: saveProperty
	// itself does not return its storeId. (SaveProperty is the low-level
	// call: one request, and the caller reconciles.)
	created, err := client.Property.CreateProperty(ctx, req)
	if err != nil {
		return fmt.Errorf("creating the property company: %w", err)
	}
	fmt.Fprintf(out, "\n2. CreateProperty: company %q created, storeId %s\n", created.Name, created.StoreID)
	// The communities a company can be bound to (no session needed), then
	// a change to the new company, addressed by its storeId.
	communities, err := client.Property.ListCommunities(ctx, &property.ListCommunitiesRequest{Row: 5})
	if err != nil {
		return fmt.Errorf("listing communities: %w", err)
	}
	fmt.Fprintf(out, "   ListCommunities: %d in all", communities.Total)
	for _, c := range communities.Communities {
		fmt.Fprintf(out, "; %s %s", c.CommunityID, c.Name)
	}
	fmt.Fprintln(out)
	if err := client.Property.UpdateProperty(ctx, &property.UpdatePropertyRequest{StoreID: created.StoreID, Address: "北京市朝阳区YY路1号"}); err != nil {
		return fmt.Errorf("updating the company: %w", err)
	}
	fmt.Fprintf(out, "   UpdateProperty: store %s now has address %q\n", created.StoreID, "北京市朝阳区YY路1号")

	// 3. The same community again: the server answers 小区已经入驻 (the
	// seed documents code -2); both match ErrCommunityAlreadySettled.
	if len(req.CommunityIDs) == 0 {
		fmt.Fprintln(out, "\n3. (skipped: set FANG_QUICKSTART_COMMUNITY_ID and FANG_QUICKSTART_GROUP_ID to see an 'already settled' conflict)")
		return nil
	}
	req.Name = "物业公司B"
	_, err = client.Property.CreateProperty(ctx, req)
	var perr *property.Error
	switch {
	case errors.Is(err, property.ErrCommunityAlreadySettled) && errors.As(err, &perr):
		fmt.Fprintf(out, "\n3. CreateProperty again with community %s fails as expected (nothing was created):\n", community)
		fmt.Fprintf(out, "   err:                 %v\n", err)
		fmt.Fprintf(out, "   errors.Is(err, property.ErrCommunityAlreadySettled) = true\n")
		fmt.Fprintf(out, "   *property.Error:     Code=%d Msg=%q HTTPStatus=%d TransactionID=%s\n", perr.Code, perr.Msg, perr.HTTPStatus, perr.TransactionID)
	case err == nil:
		return errors.New("the second save with the same community succeeded; expected 小区已经入驻 (code -2)")
	default:
		return fmt.Errorf("the second save failed unexpectedly: %w", err)
	}
	fmt.Fprintln(out, "\ndone.")
	return nil
}

// pushAndHearBack pushes the package to Anjuke with a notify task and,
// against the fake, receives the platform's signed callback on a local
// kanfang.CallbackHandler, as a service mounts it in production. Against a
// real server it pushes only when a notify configuration is given: the
// platform then calls the URLs configured with 123kanfang.
func pushAndHearBack(ctx context.Context, out io.Writer, c *kanfang.Client, fake *kanfangtest.Server, packageID, notifyConfigID string) error {
	if fake == nil && notifyConfigID == "" {
		fmt.Fprintln(out, "   (push skipped: set FANG_QUICKSTART_NOTIFY_CONFIG_ID to push the package to Anjuke)")
		return nil
	}
	task, err := c.AddNotifyTask(ctx, &kanfang.AddNotifyTaskRequest{PackageID: packageID, NotifyConfigID: cmp.Or(notifyConfigID, "anjuke-demo")})
	if err != nil {
		return fmt.Errorf("pushing the package: %w", err)
	}
	fmt.Fprintf(out, "   AddNotifyTask: task %s (house task %s), notify result %s\n", task.ID, task.HouseTaskID, task.NotifyResult)
	if fake == nil {
		return nil
	}
	// The service's callback endpoint, on loopback (a service mounts the
	// handler on its own http.Server); the sender plays the platform and
	// signs with the account's sign key.
	const signKey = "quickstart-sign-key"
	heard := make(chan *kanfang.TaskStateChange, 1)
	handler := &kanfang.CallbackHandler{
		SignKey: signKey,
		OnTaskStateChange: func(_ context.Context, n *kanfang.TaskStateChange) error {
			heard <- n
			return nil
		},
	}
	srv := httptest.NewServer(handler)
	defer srv.Close()
	sender := &kanfangtest.CallbackSender{SignKey: signKey}
	answer, err := sender.Send(ctx, srv.URL+"/kanfang/callback", &kanfang.TaskStateChange{
		State: kanfang.TaskStateDone, HouseTaskID: task.HouseTaskID, PackageID: packageID, HouseID: "house-demo"})
	if err != nil {
		return fmt.Errorf("sending the callback: %w", err)
	}
	select {
	case n := <-heard:
		fmt.Fprintf(out, "   callback received and verified: house task %s of package %s is %s (answered HTTP %d %s)\n",
			n.HouseTaskID, n.PackageID, n.State, answer.HTTPStatus, answer.Body)
	default:
		return fmt.Errorf("the callback was not handled: HTTP %d %s", answer.HTTPStatus, answer.Body)
	}
	return nil
}

// kanfangOptions configures 123kanfang from the environment, or starts the
// fake when FANG_KANFANG_BASE_URL is unset.
func kanfangOptions(getenv func(string) string) ([]kanfang.Option, *kanfangtest.Server, error) {
	base := getenv("FANG_KANFANG_BASE_URL")
	if base == "" {
		srv := kanfangtest.NewServer()
		return []kanfang.Option{kanfang.WithBaseURL(srv.URL), kanfang.WithCredentials(srv.AuthKey, srv.AuthValue)}, srv, nil
	}
	opts := []kanfang.Option{kanfang.WithBaseURL(base)}
	switch {
	case getenv("FANG_KANFANG_TOKEN") != "":
		opts = append(opts, kanfang.WithToken(auth.StaticToken(getenv("FANG_KANFANG_TOKEN"))))
	case getenv("FANG_KANFANG_AUTH_KEY") != "":
		opts = append(opts, kanfang.WithCredentials(getenv("FANG_KANFANG_AUTH_KEY"), getenv("FANG_KANFANG_AUTH_VALUE")))
	default:
		return nil, nil, errors.New("FANG_KANFANG_BASE_URL is set: also set FANG_KANFANG_TOKEN, or FANG_KANFANG_AUTH_KEY and FANG_KANFANG_AUTH_VALUE")
	}
	return opts, nil, nil
}

// propertyOptions configures HC from the environment, or starts the fake
// when neither FANG_PROPERTY_BASE_URL nor FANG_PROPERTY_URL is set.
func propertyOptions(getenv func(string) string) ([]property.Option, *propertytest.Server, error) {
	base := cmp.Or(getenv("FANG_PROPERTY_BASE_URL"), getenv("FANG_PROPERTY_URL"))
	if base == "" {
		srv := propertytest.NewServer()
		return []property.Option{
			property.WithBaseURL(srv.URL),
			property.WithAppID(srv.AppID),
			property.WithSecurityCode(srv.SecurityCode),
			property.WithCredentials(srv.Username, srv.Password),
		}, srv, nil
	}
	opts := []property.Option{
		property.WithBaseURL(base),
		property.WithAppID(getenv("FANG_PROPERTY_APP_ID")),
		property.WithSecurityCode(getenv("FANG_PROPERTY_SECURITY_CODE")),
	}
	switch {
	case getenv("FANG_PROPERTY_TOKEN") != "":
		opts = append(opts, property.WithToken(auth.StaticToken(getenv("FANG_PROPERTY_TOKEN"))))
	case getenv("FANG_PROPERTY_USERNAME") != "":
		opts = append(opts, property.WithCredentials(getenv("FANG_PROPERTY_USERNAME"), getenv("FANG_PROPERTY_PASSWORD")))
	default:
		return nil, nil, errors.New("FANG_PROPERTY_BASE_URL is set: also set FANG_PROPERTY_TOKEN, or FANG_PROPERTY_USERNAME and FANG_PROPERTY_PASSWORD")
	}
	return opts, nil, nil
}
