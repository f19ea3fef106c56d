package wire

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// ErrBodyTooLarge is wrapped by the error for a response body longer than
// the configured limit. Nothing beyond the limit is read.
var ErrBodyTooLarge = errors.New("response body exceeds the size limit")

// readBounded reads all of r, at most max bytes. hint is the announced
// length (-1 when unknown); a body announced larger than max is refused
// without reading it.
func readBounded(r io.Reader, max, hint int64) ([]byte, error) {
	if hint > max {
		return nil, fmt.Errorf("%w (%d bytes announced, limit %d)", ErrBodyTooLarge, hint, max)
	}
	size := int64(512)
	if hint >= 0 {
		size = hint + 1 // +1 lets ReadFrom see EOF without growing
	}
	buf := bytes.NewBuffer(make([]byte, 0, size))
	n, err := buf.ReadFrom(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if n > max {
		return nil, fmt.Errorf("%w (limit %d bytes)", ErrBodyTooLarge, max)
	}
	return buf.Bytes(), nil
}
