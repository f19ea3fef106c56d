package main

// account is how the operator of one API authenticates: with a token, or
// with credentials (a login name and a secret) that the client logs in
// with. Both APIs follow the same rules; only the names of the flags and
// the environment variables differ.
type account struct {
	api                 string // the API as messages name it: "kanfang", "HC"
	token, user, secret setting

	// loginCommand is set for the commands that log in themselves
	// (kanfang token, property login): they have no --token and always
	// need the credentials.
	loginCommand bool
	// optional is set for the commands whose call needs no session
	// (property communities): with nothing given, the client has none.
	optional bool
}

// setting is one configuration value: its flag, the environment variable
// the flag falls back to, and how messages name it.
type setting struct {
	value string
	flag  string // "auth-key"
	env   string // "FANG_KANFANG_AUTH_KEY"
	what  string // "auth key"
	usage string // the flag's help
}

// define defines the account's flags on c: --token unless the command
// logs in itself, then the login name and the secret.
func (a *account) define(c *cmdFlags) {
	if !a.loginCommand {
		c.secret(&a.token.value, a.token.flag, a.token.env, a.token.usage)
	}
	c.str(&a.user.value, a.user.flag, a.user.env, a.user.usage)
	c.secret(&a.secret.value, a.secret.flag, a.secret.env, a.secret.usage)
}

// auth says how the client authenticates: with token when it is not
// empty (a token wins over credentials), by logging in with the
// credentials when login is set, else not at all (the command logs in
// itself, or needs no session). The error names what is missing.
func (a *account) auth() (token string, login bool, err error) {
	switch {
	case a.loginCommand:
		return "", false, a.credentials()
	case a.token.value != "":
		return a.token.value, false, nil
	case a.user.value != "" || a.secret.value != "":
		return "", true, a.credentials()
	case a.optional:
		return "", false, nil
	}
	return "", false, usageErr("no %s %s: set --%s or %s, or --%s and --%s (%s, %s)",
		a.api, a.token.what, a.token.flag, a.token.env, a.user.flag, a.secret.flag, a.user.env, a.secret.env)
}

// credentials returns an error naming what is missing when the login name
// and the secret are not both set.
func (a *account) credentials() error {
	switch {
	case a.user.value == "" && a.secret.value == "":
		return usageErr("no %s credentials: set --%s and --%s (%s, %s)", a.api, a.user.flag, a.secret.flag, a.user.env, a.secret.env)
	case a.user.value == "":
		return usageErr("no %s %s: set --%s or %s", a.api, a.user.what, a.user.flag, a.user.env)
	case a.secret.value == "":
		return usageErr("no %s %s: set --%s or %s", a.api, a.secret.what, a.secret.flag, a.secret.env)
	}
	return nil
}
