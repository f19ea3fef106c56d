// Package testkit holds small helpers that fang's own tests share: a
// movable clock and a way to run a function from many goroutines at once.
package testkit
