package kanfang_test

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/fangsdk/fang/kanfang"
)

// restyClient is what a user would write with resty instead of fang: a
// resty.Client with a timeout and the common headers, SetFormData and
// SetResult per call. It is the bar fang must not be slower than.
type restyClient struct {
	rc  *resty.Client
	url string
}

func newRestyClient(hc *http.Client, base string) *restyClient {
	rc := resty.NewWithClient(hc).
		SetTimeout(30*time.Second).
		SetHeader("Accept", "application/json").
		SetHeader("Authorization", benchToken).
		SetHeader("User-Agent", benchUA)
	return &restyClient{rc: rc, url: base + kanfang.PathPutAnjukeBianHao}
}

func (c *restyClient) put(ctx context.Context, req *kanfang.PutAnjukeBianHaoRequest) (*kanfang.PutAnjukeBianHaoResponse, error) {
	var env struct {
		State   int                              `json:"state"`
		Payload kanfang.PutAnjukeBianHaoResponse `json:"payload"`
	}
	resp, err := c.rc.R().SetContext(ctx).
		SetFormData(map[string]string{"packageId": req.PackageID, "anjukeBianHao": req.AnjukeBianHao}).
		SetResult(&env).
		Post(c.url)
	if err != nil {
		return nil, err
	}
	if resp.IsError() || env.State != 200 {
		return nil, errors.New("failed: " + resp.Status())
	}
	return &env.Payload, nil
}
