package testkit

import "sync"

// Concurrently runs f(0) … f(n-1), each in its own goroutine, and waits
// for all of them.
func Concurrently(n int, f func(i int)) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(i)
		}()
	}
	wg.Wait()
}
