// Package testkit holds small helpers that fang's own tests share: a
// movable clock, a way to run a function from many goroutines at once, the
// servers and transports of the benchmarks, the secret tap of the logging
// tests, and the faulty handlers of the fault-matrix tests.
package testkit
