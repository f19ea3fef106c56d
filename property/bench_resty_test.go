package property_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/fangsdk/fang/property"
	"github.com/fangsdk/fang/sign"
)

// restyClient is what a user would write with resty instead of fang: a
// resty.Client with a timeout and the fixed headers, then per call the
// body marshalled once, signed, SetBody and SetResult. It is the bar fang
// must not be slower than.
type restyClient struct {
	rc  *resty.Client
	url string
	ids *sign.TransactionIDGenerator
}

func newRestyClient(hc *http.Client, base string) *restyClient {
	ids, err := sign.NewTransactionIDGenerator("")
	if err != nil {
		panic(err)
	}
	rc := resty.NewWithClient(hc).
		SetTimeout(30*time.Second).
		SetHeader("Content-Type", "application/json").
		SetHeader("Accept", "application/json").
		SetHeader("app-id", benchAppID).
		SetHeader("Authorization", "Bearer "+benchToken).
		SetHeader("User-Agent", benchUA)
	return &restyClient{rc: rc, url: base + "/app/" + property.ServiceSaveProperty, ids: ids}
}

func (c *restyClient) save(ctx context.Context, req *property.SavePropertyRequest) (*property.SavePropertyResponse, error) {
	body, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	txID := c.ids.NextAt(now)
	reqTime := sign.ReqTime(now)
	var env struct {
		Code int    `json:"code"`
		Msg  string `json:"msg"`
	}
	resp, err := c.rc.R().SetContext(ctx).
		SetHeader("transaction-id", txID).
		SetHeader("req-time", reqTime).
		SetHeader("sign", sign.MicroCommunityBytes(txID, reqTime, benchAppID, body, benchSecurity)).
		SetBody(body).
		SetResult(&env).
		Post(c.url)
	if err != nil {
		return nil, err
	}
	if resp.IsError() || env.Code != 0 {
		return nil, errors.New(env.Msg)
	}
	return &property.SavePropertyResponse{Code: env.Code, Msg: env.Msg, TransactionID: txID}, nil
}
