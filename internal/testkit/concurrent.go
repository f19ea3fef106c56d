package testkit

import "sync"

// Concurrently runs f(0) … f(n-1), each in its own goroutine, and waits
// for all of them.
func Concurrently(n int, f func(i int)) {
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			f(i)
		})
	}
	wg.Wait()
}
