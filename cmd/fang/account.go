package main

import "fmt"

// account is how the operator of one API authenticates: with a token, or
// with credentials (a login name and a secret) that the client logs in
// with. Both APIs follow the same rules; only the names of the flags, the
// environment variables and the login differ.
type account struct {
	api      string // the API as messages name it: "kanfang", "HC"
	login    string // the login a real run with credentials makes first: "GetAccessToken"
	secretPh string // the secret's placeholder in dry-run output

	token, user, secret setting

	// loginCommand is set for the commands that log in themselves
	// (kanfang token, property login): they have no --token and always
	// need the credentials.
	loginCommand bool
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

// authMode is how a client authenticates the calls of a command.
type authMode int

const (
	// authToken: a static token, the one configured or, in a dry run
	// with credentials, placeholderToken.
	authToken authMode = iota
	// authCredentials: the client logs in with the credentials when it
	// needs a token.
	authCredentials
	// authLoginCommand: the command logs in itself; the credentials are
	// set.
	authLoginCommand
)

// define defines the account's flags on c: --token unless the command
// logs in itself (withToken false), then the login name and the secret.
func (a *account) define(c *cmdFlags, withToken bool) {
	a.loginCommand = !withToken
	if withToken {
		c.secret(&a.token.value, a.token.flag, a.token.env, a.token.usage)
	}
	c.str(&a.user.value, a.user.flag, a.user.env, a.user.usage)
	c.secret(&a.secret.value, a.secret.flag, a.secret.env, a.secret.usage)
}

// authenticate decides how the client of call authenticates, and hides
// the token and the secret from the call's dry-run printout. It returns
// the token to use with authToken. A token wins over credentials. With
// credentials in a dry run the token is placeholderToken, so that the
// business request is what gets captured rather than the login.
func (a *account) authenticate(call *apiCall) (authMode, string, error) {
	call.d.hide(a.token.value, phToken)
	call.d.hide(a.secret.value, a.secretPh)
	switch {
	case a.loginCommand:
		return authLoginCommand, "", a.credentials()
	case a.token.value != "":
		return authToken, a.token.value, nil
	case a.user.value != "" || a.secret.value != "":
		if err := a.credentials(); err != nil {
			return 0, "", err
		}
		if call.capt != nil {
			call.d.notes = append(call.d.notes, fmt.Sprintf("with --%s/--%s a real run first logs in (%s); the token is shown as the placeholder %s",
				a.user.flag, a.secret.flag, a.login, placeholderToken))
			return authToken, placeholderToken, nil
		}
		return authCredentials, "", nil
	}
	return 0, "", usageErr("no %s %s: set --%s or %s, or --%s and --%s (%s, %s)",
		a.api, a.token.what, a.token.flag, a.token.env, a.user.flag, a.secret.flag, a.user.env, a.secret.env)
}

// credentials returns an error naming what is missing when the login name
// and the secret are not both set.
func (a *account) credentials() error {
	switch {
	case a.user.value == "" && a.secret.value == "":
		return usageErr("no %s credentials: set --%s and --%s (%s, %s)", a.api, a.user.flag, a.secret.flag, a.user.env, a.secret.env)
	case a.user.value == "":
		return a.user.missing(a.api)
	case a.secret.value == "":
		return a.secret.missing(a.api)
	}
	return nil
}

// missing is the error for the setting of api left unset.
func (s *setting) missing(api string) error {
	return usageErr("no %s %s: set --%s or %s", api, s.what, s.flag, s.env)
}
