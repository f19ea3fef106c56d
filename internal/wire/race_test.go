//go:build race

package wire

// raceBuild is true in a build with the race detector, which allocates
// more than the normal build (it does not fuse append(nil, make(n)...),
// as io.ReadAll relies on): what a read costs in memory is tested for the
// normal build only.
const raceBuild = true
