package property

import (
	"context"
	"encoding/json"

	"github.com/fangsdk/fang/internal/check"
	"github.com/fangsdk/fang/internal/pipeline"
)

// ServiceDeleteProperty is the service code of DeleteProperty.
const ServiceDeleteProperty = "property.deleteProperty"

// deleteDefaultStoreType is the storeTypeCd of a property company, what
// SaveProperty creates.
const deleteDefaultStoreType = "800900000003"

// DeletePropertyRequest removes a company (property.deleteProperty).
type DeletePropertyRequest struct {
	StoreID     string // the company to delete, required: without it the gateway would delete the caller's own company
	StoreTypeCd string // its store type; "" means a property company, 800900000003 (operator 800900000001, mall 800900000005)
}

func (r *DeletePropertyRequest) validate() error {
	c := check.New("DeleteProperty")
	if r == nil {
		c.Add("request", "is nil")
		return invalidRequest(c)
	}
	c.Required("StoreID", r.StoreID)
	if r.StoreTypeCd != "" {
		c.Required("StoreTypeCd", r.StoreTypeCd)
	}
	return invalidRequest(c)
}

// DeleteProperty removes a company (POST /app/property.deleteProperty
// {storeId, storeTypeCd}): the server marks it deleted (ListProperties
// no longer shows it), deletes all its staff users (their logins fail
// from then on) and releases its communities and their menu groups.
//
// StoreID is required: the gateway fills a body without storeId with the
// caller's own company, so a forgotten id would delete the caller's
// company.
//
// It is never repeated once it may have reached the server. Errors:
//   - matching ErrInvalidRequest: req failed validation, nothing was sent;
//   - *Error matching ErrGateway: 删除数据失败 (no such company, or the
//     write failed), 释放小区失败, 小区权限踢掉失败, or a demonstration
//     server's 为了保证体验 此功能演示环境不开放;
//   - *Error matching ErrOutcomeUnknown: the company may or may not have
//     been deleted; check with ListProperties{StoreID} before deciding;
//   - other *Error values for gateway and transport failures.
func (c *Client) DeleteProperty(ctx context.Context, req *DeletePropertyRequest) error {
	const op = "DeleteProperty"
	if ctx == nil {
		return errNilContext(op)
	}
	if err := req.validate(); err != nil {
		return err
	}
	typ := req.StoreTypeCd
	if typ == "" {
		typ = deleteDefaultStoreType
	}
	body, err := json.Marshal(struct {
		StoreID     string `json:"storeId"`
		StoreTypeCd string `json:"storeTypeCd"`
	}{req.StoreID, typ})
	if err != nil {
		return &Error{op: op, Msg: "encoding the request: " + err.Error(), cause: err}
	}
	ans, err := c.pipe.Do(ctx, &pipeline.Request{Endpoint: c.endpoints.del, Body: body})
	if err != nil {
		return err
	}
	if !ans.hasEnv {
		return &Error{op: op, Msg: ans.excerpt(), HTTPStatus: ans.status, TransactionID: ans.txID, unknown: true}
	}
	return nil
}
