// Package redisstore implements auth.Store on Redis, so that tokens and the
// renewal lock are shared between processes: several replicas of a service
// that use the same account log in once between them and reuse one token,
// instead of each logging in (and, with APIs that allow one live token per
// account, invalidating each other's tokens).
//
// Give every replica a store on the same Redis:
//
//	rdb := redis.NewClient(&redis.Options{Addr: "redis:6379"}) // and the options below
//	client, err := kanfang.NewClient(
//		kanfang.WithCredentials(authKey, authValue),
//		kanfang.WithTokenStore(redisstore.New(rdb)),
//	)
//
// Any redis.UniversalClient works: a single node, a Sentinel failover
// client (redis.NewFailoverClient) or a Cluster client
// (redis.NewClusterClient). See docs/REDIS.md in the repository for each
// setup and for what happens when Redis fails.
//
// # Client options that matter
//
// RenewingSource bounds every store operation with
// RenewingConfig.StoreTimeout, through the context. go-redis ignores the
// context's deadline unless ContextTimeoutEnabled is true: with the
// defaults, an operation on a hung server waits its ReadTimeout (3 s),
// plus retries; RenewingSource stops waiting for it after StoreTimeout,
// but it runs on, holding a connection. Set, for any of the three clients:
//
//   - ContextTimeoutEnabled: true, so that the deadline bounds each
//     operation;
//   - DialTimeout, ReadTimeout and WriteTimeout small (a few hundred
//     milliseconds: the store's commands are single-key GET and SET), and
//     PoolTimeout no longer than them;
//   - MaxRetries small (0 or 1 retry; -1 disables retries): a retry of a
//     dead node only spends the caller's StoreTimeout;
//   - DialerRetries 1: by default go-redis dials five times, 100 ms apart,
//     so a refused connection costs the whole deadline (on a ClusterClient
//     even more) instead of a millisecond.
//
// For Sentinel, leave RouteByLatency, RouteRandomly and ReplicaOnly false
// (the default): the lock must be taken on the master, and a replica may
// lag behind it. For Cluster, leave ReadOnly false for the same reason;
// MaxRedirects (3 by default) bounds the MOVED and retry hops of one
// operation.
//
// # Redis Cluster
//
// A token and its lock live in one slot (see the layout below), so one
// master serves both. When an operation on a *redis.ClusterClient fails
// on a connection, a timeout or a CLUSTERDOWN-like reply, the Store asks
// the client to reload its slot map (ClusterClient.ReloadState), at most
// four times a second per Store: go-redis by itself keeps dialling a dead
// master until its next periodic reload (ClusterStateReloadInterval, one
// minute by default), long after a replica was promoted in its place.
// With the reload, store operations recover within a second or so of the
// promotion.
//
// # Layout in Redis
//
// With the default prefix "fang:", the token saved under key k is the
// string key "fang:{k}:token", holding JSON with the token, its refresh
// token and both expiry times (RFC 3339 with nanoseconds, so times
// round-trip exactly). It expires when the ttl given to Save runs out, and
// never when that ttl is zero. The lock of that token, which
// auth.RenewingSource names k + ":lock", is the string key
// "fang:{k}:lock"; a lock of any other name n is "fang:{n}:lock:". The
// braces are a Redis Cluster hash tag: the token and its lock hash to the
// same slot. A lock holds a random owner token, set with SET NX PX;
// releasing it runs a Lua script that deletes it only if it still holds
// the releaser's owner token, so an owner whose lock expired and was taken
// by another cannot release the new owner's lock. Use WithPrefix to keep
// several applications apart on one Redis.
//
// Earlier versions used "fang:token:k" and "fang:lock:k:lock": replicas of
// both versions running at once do not share their token (each logs in
// once for itself) until all run the new one.
//
// Tokens are secrets: they are stored in Redis in clear, so protect the
// Redis server (authentication, TLS, network access) as you would the
// credentials themselves. No error or String result of this package
// contains a token.
package redisstore
