package property

import (
	"context"
	"net/http"

	"github.com/fangsdk/fang/internal/call"
	"github.com/fangsdk/fang/internal/check"
)

// ServiceDeleteProperty is the service code of DeleteProperty.
const ServiceDeleteProperty = "property.deleteProperty"

// deleteDefaultStoreType is the storeTypeCd of a property company, what
// SaveProperty creates.
const deleteDefaultStoreType = "800900000003"

// DeletePropertyRequest removes a company (property.deleteProperty).
type DeletePropertyRequest struct {
	StoreID     string `json:"storeId"`     // the company to delete, required: without it the gateway would delete the caller's own company
	StoreTypeCd string `json:"storeTypeCd"` // its store type; "" means a property company, 800900000003 (operator 800900000001, mall 800900000005)
}

// deleteProperty is never repeated once it may have reached the server.
var deleteProperty = call.Endpoint[DeletePropertyRequest, struct{}]{
	Spec: call.Spec{Op: "DeleteProperty", Method: http.MethodPost, Path: "/app/" + ServiceDeleteProperty},
	Check: func(c *check.Checker, r *DeletePropertyRequest) {
		c.Required("StoreID", r.StoreID)
		if r.StoreTypeCd != "" {
			c.Required("StoreTypeCd", r.StoreTypeCd)
		}
	},
	Encode: func(r *DeletePropertyRequest) any {
		body := *r
		if body.StoreTypeCd == "" {
			body.StoreTypeCd = deleteDefaultStoreType
		}
		return &body
	},
	Decode: decodeWrite,
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
//     write failed; a company already deleted is deleted again without
//     error), 释放小区失败, 小区权限踢掉失败, or a demonstration
//     server's 为了保证体验 此功能演示环境不开放;
//   - *Error matching ErrOutcomeUnknown: the company may or may not have
//     been deleted; check with ListProperties{StoreID} before deciding: it
//     lists the company while it is there, and fails with an *Error
//     matching ErrGateway, Msg 非法操作, once it is deleted (the server
//     refuses a storeId that names no live company);
//   - other *Error values for gateway and transport failures.
func (c *Client) DeleteProperty(ctx context.Context, req *DeletePropertyRequest) error {
	_, err := deleteProperty.Call(ctx, c.caller, req)
	return err
}
