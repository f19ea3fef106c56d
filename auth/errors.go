package auth

import "errors"

// ErrLoginRefused is matched (errors.Is) by the error of a login the
// server refused: wrong credentials, a locked or barred account, a user
// that does not exist. The fang clients' errors for such answers match it.
// RenewingSource remembers a refused login for RenewingConfig.RefusalHold
// (five minutes by default, HC's lockout window) and returns the same
// error at once in between: retrying a refused login in a loop is what
// locks an account.
var ErrLoginRefused = errors.New("auth: login refused")

// ErrStoreUnavailable is matched by errors caused by a Store that failed,
// panicked or did not answer in time (RenewingConfig.StoreTimeout), but not
// by ErrLocked, ErrCorruptToken or the end of the caller's context.
// RenewingSource remembers such a failure for RenewingConfig.StoreBackoff
// and goes without the store meanwhile; it never counts it as a failed
// renewal.
var ErrStoreUnavailable = errors.New("auth: the token store is unavailable")
