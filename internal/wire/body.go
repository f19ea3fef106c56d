package wire

import (
	"errors"
	"fmt"
	"io"
	"math"
)

// ErrBodyTooLarge is wrapped by the error for a response body longer than
// the configured limit. Nothing beyond the limit is read.
var ErrBodyTooLarge = errors.New("response body exceeds the size limit")

// readBounded reads all of r, at most limit bytes. hint is the announced
// length (-1 when unknown); a body announced larger than limit is refused
// without reading it. Memory follows the bytes that arrive, never the
// announcement: io.ReadAll reads into chunks growing with what arrived and
// copies them once, about twice the body's size in all.
func readBounded(r io.Reader, limit, hint int64) ([]byte, error) {
	if hint > limit {
		return nil, fmt.Errorf("%w (%d bytes announced, limit %d)", ErrBodyTooLarge, hint, limit)
	}
	limit = min(limit, math.MaxInt64-1) // limit+1 below must not overflow
	body, err := io.ReadAll(io.LimitReader(r, limit+1))
	switch {
	case int64(len(body)) > limit:
		return nil, fmt.Errorf("%w (limit %d bytes)", ErrBodyTooLarge, limit)
	case err != nil:
		return nil, err
	}
	return body, nil
}
