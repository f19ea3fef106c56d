package main

import (
	"reflect"
	"testing"
)

// TestAccountAuthenticate pins every branch of the rules both APIs share,
// with each API's names in the messages.
func TestAccountAuthenticate(t *testing.T) {
	t.Parallel()
	const kfLogin = "with --auth-key/--auth-value a real run first logs in (GetAccessToken); the token is shown as the placeholder <token>"
	const hcLogin = "with --username/--password a real run first logs in (login.pcUserLogin); the token is shown as the placeholder <token>"
	cases := []struct {
		name                string
		acct                account
		loginCommand        bool
		token, user, secret string
		dryRun              bool
		mode                authMode
		wantToken           string
		wantErr             string
		wantNotes           []string
	}{
		{name: "kanfang token", acct: kanfangAccount, token: "tok", mode: authToken, wantToken: "tok"},
		{name: "kanfang token wins", acct: kanfangAccount, token: "tok", user: "u", secret: "s", mode: authToken, wantToken: "tok"},
		{name: "kanfang credentials", acct: kanfangAccount, user: "u", secret: "s", mode: authCredentials},
		{name: "kanfang credentials dry run", acct: kanfangAccount, user: "u", secret: "s", dryRun: true,
			mode: authToken, wantToken: placeholderToken, wantNotes: []string{kfLogin}},
		{name: "kanfang nothing", acct: kanfangAccount,
			wantErr: "no kanfang token: set --token or FANG_KANFANG_TOKEN, or --auth-key and --auth-value (FANG_KANFANG_AUTH_KEY, FANG_KANFANG_AUTH_VALUE)"},
		{name: "kanfang no auth key", acct: kanfangAccount, secret: "s",
			wantErr: "no kanfang auth key: set --auth-key or FANG_KANFANG_AUTH_KEY"},
		{name: "kanfang no auth value", acct: kanfangAccount, user: "u",
			wantErr: "no kanfang auth value: set --auth-value or FANG_KANFANG_AUTH_VALUE"},
		{name: "kanfang login command", acct: kanfangAccount, loginCommand: true, user: "u", secret: "s", dryRun: true, mode: authLoginCommand},
		{name: "kanfang login command no credentials", acct: kanfangAccount, loginCommand: true,
			wantErr: "no kanfang credentials: set --auth-key and --auth-value (FANG_KANFANG_AUTH_KEY, FANG_KANFANG_AUTH_VALUE)"},
		{name: "HC token", acct: propertyAccount, token: "tok", mode: authToken, wantToken: "tok"},
		{name: "HC credentials", acct: propertyAccount, user: "u", secret: "s", mode: authCredentials},
		{name: "HC credentials dry run", acct: propertyAccount, user: "u", secret: "s", dryRun: true,
			mode: authToken, wantToken: placeholderToken, wantNotes: []string{hcLogin}},
		{name: "HC nothing", acct: propertyAccount,
			wantErr: "no HC session: set --token or FANG_PROPERTY_TOKEN, or --username and --password (FANG_PROPERTY_USERNAME, FANG_PROPERTY_PASSWORD)"},
		{name: "HC no username", acct: propertyAccount, secret: "s", dryRun: true,
			wantErr: "no HC username: set --username or FANG_PROPERTY_USERNAME"},
		{name: "HC no password", acct: propertyAccount, user: "u",
			wantErr: "no HC password: set --password or FANG_PROPERTY_PASSWORD"},
		{name: "HC login command", acct: propertyAccount, loginCommand: true, user: "u", secret: "s", mode: authLoginCommand},
		{name: "HC login command no username", acct: propertyAccount, loginCommand: true, secret: "s",
			wantErr: "no HC username: set --username or FANG_PROPERTY_USERNAME"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := tc.acct
			a.loginCommand = tc.loginCommand
			a.token.value, a.user.value, a.secret.value = tc.token, tc.user, tc.secret
			call := &apiCall{d: &dryRun{}}
			if tc.dryRun {
				call.capt = &capture{}
			}
			mode, token, err := a.authenticate(call)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("error %v, want %q", err, tc.wantErr)
				}
				if exitCode(err) != exitUsage {
					t.Errorf("exit code %d, want %d", exitCode(err), exitUsage)
				}
				return
			}
			if err != nil || mode != tc.mode || token != tc.wantToken {
				t.Fatalf("got %v, %q, %v; want %v, %q", mode, token, err, tc.mode, tc.wantToken)
			}
			if !reflect.DeepEqual(call.d.notes, tc.wantNotes) {
				t.Errorf("notes %q, want %q", call.d.notes, tc.wantNotes)
			}
			// The token and the secret are kept out of the dry-run printout.
			var want []secret
			if tc.token != "" {
				want = append(want, secret{tc.token, phToken})
			}
			if tc.secret != "" {
				want = append(want, secret{tc.secret, tc.acct.secretPh})
			}
			if !reflect.DeepEqual(call.d.secrets, want) {
				t.Errorf("hidden %v, want %v", call.d.secrets, want)
			}
		})
	}
}

// TestAccountDefine: a login command has no --token; the others do, with
// each API's environment variables.
func TestAccountDefine(t *testing.T) {
	t.Parallel()
	for _, acct := range []account{kanfangAccount, propertyAccount} {
		for _, withToken := range []bool{true, false} {
			a := acct
			c := newCmdFlags("test", "", "")
			a.define(c, withToken)
			want := []string{a.user.flag, a.secret.flag, a.secret.flag + "-file"}
			if withToken {
				want = append([]string{"token", "token-file"}, want...)
			}
			if !reflect.DeepEqual(c.order, want) || a.loginCommand == withToken {
				t.Errorf("%s withToken=%v: flags %v, loginCommand %v", a.api, withToken, c.order, a.loginCommand)
			}
			for _, name := range want {
				if c.envOf[name] == "" {
					t.Errorf("%s: --%s has no environment variable", a.api, name)
				}
			}
		}
	}
}
