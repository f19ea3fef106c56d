// Package redisstore implements auth.Store on Redis, so that tokens and the
// renewal lock are shared between processes: several replicas of a service
// that use the same account log in once between them and reuse one token,
// instead of each logging in (and, with APIs that allow one live token per
// account, invalidating each other's tokens).
//
// Give every replica a store on the same Redis:
//
//	rdb := redis.NewClient(&redis.Options{Addr: "redis:6379"})
//	client, err := kanfang.NewClient(
//		kanfang.WithCredentials(authKey, authValue),
//		kanfang.WithTokenStore(redisstore.New(rdb)),
//	)
//
// Any redis.UniversalClient works: a single node, a Sentinel failover
// client or a Cluster client. Every operation touches a single key, so
// Cluster needs no hash tags.
//
// # Layout in Redis
//
// With the default prefix "fang:", the token saved under key k is the
// string key "fang:token:k", holding JSON with the token, its refresh token
// and both expiry times (RFC 3339 with nanoseconds, so times round-trip
// exactly). It expires when the ttl given to Save runs out, and never when
// that ttl is zero. The lock named k is the string key "fang:lock:k",
// holding a random owner token, set with SET NX PX; releasing it runs a Lua
// script that deletes it only if it still holds the releaser's owner token,
// so an owner whose lock expired and was taken by another cannot release
// the new owner's lock. Use WithPrefix to keep several applications apart
// on one Redis.
//
// Tokens are secrets: they are stored in Redis in clear, so protect the
// Redis server (authentication, TLS, network access) as you would the
// credentials themselves. No error or String result of this package
// contains a token.
package redisstore
