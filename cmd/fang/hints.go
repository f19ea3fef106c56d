package main

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/fangsdk/fang/kanfang"
	"github.com/fangsdk/fang/property"
)

// hint says what a well-known failure means and what to do about it: the
// server's Chinese message in English, then the action.
func hint(err error) string {
	var parts []string
	msg := ""
	if ke, ok := errors.AsType[*kanfang.Error](err); ok {
		msg = ke.Message
	}
	if pe, ok := errors.AsType[*property.Error](err); ok {
		msg = pe.Msg
	}
	for _, k := range knownMessages {
		if msg != "" && strings.Contains(msg, k.zh) {
			parts = append(parts, k.en)
			break
		}
	}
	if a := action(err); a != "" {
		parts = append(parts, a)
	}
	return strings.Join(parts, "; ")
}

// knownMessages are the server messages fang knows, in English: HC's
// gateway and commands (see docs/PROTOCOL.md). The first match wins, so
// the more specific come first.
var knownMessages = []struct{ zh, en string }{
	{"签名失败", "HC says the signature did not match (签名失败)"},
	{"requestTime 格式不对", "HC says req-time is malformed (want yyyyMMddHHmmss in China time)"},
	{"初始化失败", "HC does not know this app-id (初始化失败)"},
	{"鉴权失败", "HC's gateway refused the request's app or headers: the app may not be allowed this service (鉴权失败)"},
	{"请求中未包含page信息", "HC requires a page number: add page=1 (请求中未包含page信息)"},
	{"请求中未包含row信息", "HC requires a page size: add row=10 (请求中未包含row信息)"},
	{"请求报文中未包含", "HC says a required field is missing (请求报文中未包含…)"},
	{"用户或密码错误", "HC says the username or password is wrong (用户或密码错误)"},
	{"当前商户限制登录", "HC says this company is barred from logging in: ask the HC administrator (当前商户限制登录)"},
	{"登陆错误次数过多", "HC locked the account after too many failed logins: wait 5 minutes, and fix the password first (登陆错误次数过多)"},
	{"用户不存在", "HC has no such user, or the user has no active company (用户不存在)"},
	{"您还没有登录", "HC says there is no session or it expired (您还没有登录)"},
	{"保存数据失败", "HC failed to write the data (保存数据失败)"},
	{"注册失败", "HC failed to register the company (注册失败)"},
	{"小区已经入驻", "HC says a community already has a property company (小区已经入驻)"},
	{"小区已入驻", "HC says a community already has a property company (小区已入驻)"},
	{"未配置物业默认权限", "HC has no default property privilege configured: an HC administrator's setting (未配置物业默认权限)"},
	{"小区不存在", "HC does not know a community id that was given (小区不存在)"},
	{"未包含小区开通功能", "communities were given without menu groups: add --group-id (未包含小区开通功能)"},
	{"没有分配任何功能", "HC knows none of the menu group ids given (没有分配任何功能)"},
	{"调用方式不对", "wrong HTTP method for this service: GET instead of POST or the reverse (调用方式不对)"},
	{"非法操作", "HC refused the operation for this session, e.g. an unknown store id (非法操作)"},
	{"更新数据失败", "HC failed to update the data (更新数据失败)"},
	{"删除数据失败", "HC failed to delete the data (删除数据失败)"},
	{"此功能演示环境不开放", "this HC server is a demo: the function is disabled there"},
	{"内部异常", "HC's gateway failed internally (内部异常)"},
	{"用户没有权限操作", "HC says this account lacks the privilege for the service: an HC administrator grants it (用户没有权限操作; a stock HC grants menuGroup.listMenuGroups only to its developers' admin group)"},
	{"请求发生异常", "HC's gateway refused the request (privilege check) or failed (请求发生异常)"},
}

// action says what to do about well-known failures.
func action(err error) string {
	ke, isKanfang := errors.AsType[*kanfang.Error](err)
	pe, isHC := errors.AsType[*property.Error](err)
	switch {
	case isKanfang && ke.HTTPStatus == http.StatusNotFound:
		return "the server has no such path: check --base-url (FANG_KANFANG_BASE_URL)"
	case isHC && pe.HTTPStatus == http.StatusNotFound:
		return "the server has no such path: check --base-url (FANG_PROPERTY_BASE_URL); it is the HC gateway's http://{ip}:{port}"
	case errors.Is(err, property.ErrOutcomeUnknown):
		return "the request may have taken effect: check the server (by transaction-id) before trying again"
	case errors.Is(err, kanfang.ErrOutcomeUnknown):
		return "the request may have taken effect: check the server before trying again"
	case errors.Is(err, property.ErrSignatureRejected):
		return "check --app-id (FANG_PROPERTY_APP_ID) and --security-code (FANG_PROPERTY_SECURITY_CODE)"
	case isHC && strings.Contains(pe.Msg, "初始化失败"):
		return "check --app-id (FANG_PROPERTY_APP_ID)"
	case errors.Is(err, property.ErrUnauthorized):
		return "check --token (FANG_PROPERTY_TOKEN) or --username/--password"
	case errors.Is(err, kanfang.ErrUnauthorized):
		return "check --token (FANG_KANFANG_TOKEN) or --auth-key/--auth-value"
	case errors.Is(err, context.DeadlineExceeded):
		return "raise --timeout, or check that the server is reachable"
	}
	return ""
}
