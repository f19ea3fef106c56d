// Package auth holds what both fang clients know about access tokens: the
// Token value, the one-method TokenSource that supplies it, the Placement
// that says where a 123kanfang token travels, the RenewingSource that
// caches and renews tokens, and the Store (Load, Save and a lease, TryLease)
// that shares them between replicas.
//
// The shape follows golang.org/x/oauth2: a TokenSource is one method, and
// behaviour (caching, refreshing, sharing between replicas) is added by
// wrapping one source in another rather than by flags.
//
// Token values are secrets. Token's String, GoString, LogValue and
// MarshalJSON methods redact them, and no error produced by this package
// contains one.
package auth
