package wire

import "fmt"

// CheckHeaderValue reports an error naming the header when value holds a
// byte net/http refuses in a header value (a control character such as CR
// or LF, or DEL). The value itself is never part of the error: it may be a
// secret. Clients call it in NewClient for every configured header value,
// so that a bad one is a configuration error instead of a request that
// fails before it leaves.
func CheckHeaderValue(name, value string) error {
	for i := range len(value) {
		if b := value[i]; b < ' ' && b != '\t' || b == 0x7f {
			return fmt.Errorf("%s holds a byte that cannot be sent in an HTTP header (byte %d is 0x%02x)", name, i, b)
		}
	}
	return nil
}
