package property

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/internal/redact"
)

type loginBody struct {
	Username string `json:"username"`
	Passwd   string `json:"passwd"`
}

type loginData struct {
	UserID string `json:"userId"`
	Token  string `json:"token"`
}

// Login opens a session (POST /app/login.pcUserLogin, signed like every HC
// call, with user-id: -1) and returns its token, which expires after the
// session lifetime (WithSessionLifetime, default two hours). Wrong
// credentials give an *Error matching ErrUnauthorized. The password and the
// token never appear in an error or a log line.
//
// Most users do not call this: WithCredentials does it when needed.
func (c *Client) Login(ctx context.Context, username, password string) (*auth.Token, error) {
	if username == "" || password == "" {
		return nil, fmt.Errorf("%w: Login needs a username and a password", ErrInvalidRequest)
	}
	body, err := json.Marshal(loginBody{Username: username, Passwd: password})
	if err != nil {
		return nil, fmt.Errorf("property: Login: %w", err)
	}
	issued := c.now()
	data, txID, err := c.send(ctx, request{op: ServiceLogin, url: c.urlLogin, body: body, userID: "-1"}, "")
	if err != nil {
		if e, ok := err.(*Error); ok {
			e.Msg = redact.String(e.Msg, password)
		}
		return nil, err
	}
	var d loginData
	if err := json.Unmarshal(data, &d); err != nil || d.Token == "" {
		return nil, &Error{op: ServiceLogin, Msg: "success without a token in data: " + redact.Excerpt(data, password, d.Token, c.securityCode), HTTPStatus: 200, TransactionID: txID}
	}
	return &auth.Token{Value: d.Token, Expiry: issued.Add(c.session)}, nil
}

// credentialSource is the token source behind WithCredentials: log in
// lazily and again shortly before the session ends.
func (c *Client) credentialSource(cfg config) auth.TokenSource {
	username, password := cfg.username, cfg.password
	return auth.NewRenewingSource(auth.RenewingConfig{
		Key:    "fang:property:" + c.engine.URL("") + ":" + c.appID + ":" + username,
		Store:  cfg.store,
		Margin: cfg.renewMargin,
		Now:    func() time.Time { return c.now() },
		Renew: func(ctx context.Context, _ *auth.Token) (*auth.Token, error) {
			return c.Login(ctx, username, password)
		},
	})
}
