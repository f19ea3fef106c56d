package main

import "strings"

// need is what an API command needs to authenticate.
type need int

const (
	session     need = iota // a token, or credentials the client logs in with
	credentials             // credentials: the command logs in itself and has no --token
	optional                // nothing: the call needs no session, but takes one
)

// account names the flags an API authenticates with: a token, or
// credentials (a login name and a secret). Both APIs follow the same
// rules; only the names differ.
type account struct {
	api, session string // as messages name the API and its token: "kanfang", "token"
	user, secret string // the flags of the credentials: "auth-key", "auth-value"
}

// define defines the account's flags on c: --token unless the command logs
// in itself, then the login name and the secret.
func (a account) define(c *cmd, n need, tokenUsage, userUsage, secretUsage string) {
	if n != credentials {
		c.secretSetting(new(string), "token", tokenUsage)
	}
	c.setting(new(string), a.user, userUsage)
	c.secretSetting(new(string), a.secret, secretUsage)
}

// auth says how the client of c authenticates: with token when it is not
// empty (a token wins over credentials), by logging in with the
// credentials when login is set, else not at all (the command logs in
// itself, or needs no session). The error names what is missing.
func (a account) auth(c *cmd, n need) (token string, login bool, err error) {
	switch {
	case n == credentials:
		return "", false, a.credentials(c)
	case c.value("token") != "":
		return c.value("token"), false, nil
	case c.value(a.user) != "" || c.value(a.secret) != "":
		return "", true, a.credentials(c)
	case n == optional:
		return "", false, nil
	}
	return "", false, usageErr("no %s %s: set --token or %s, or --%s and --%s (%s, %s)",
		a.api, a.session, c.envOf["token"], a.user, a.secret, c.envOf[a.user], c.envOf[a.secret])
}

// credentials returns an error naming what is missing when the login name
// and the secret are not both set.
func (a account) credentials(c *cmd) error {
	if c.value(a.user) == "" && c.value(a.secret) == "" {
		return usageErr("no %s credentials: set --%s and --%s (%s, %s)", a.api, a.user, a.secret, c.envOf[a.user], c.envOf[a.secret])
	}
	for _, name := range []string{a.user, a.secret} {
		if c.value(name) == "" {
			return usageErr("no %s %s: set --%s or %s", a.api, strings.ReplaceAll(name, "-", " "), name, c.envOf[name])
		}
	}
	return nil
}
