// Package version holds fang's release version, shared by package fang
// (fang.Version) and the User-Agent the clients send.
package version

// Version is the version of this release of fang.
const Version = "0.2.0"

// UserAgent is fang's product token, "fang/<version>", sent as the
// User-Agent (after the caller's own, when given with WithUserAgent).
const UserAgent = "fang/" + Version
