package testkit

// PanicMessage runs fn and returns the string it panicked with ("" when it
// returned, or panicked with something else).
func PanicMessage(fn func()) (msg string) {
	defer func() { msg, _ = recover().(string) }()
	fn()
	return ""
}
