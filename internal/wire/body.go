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

// maxPrealloc bounds the buffer sized from an announced Content-Length: the
// announcement is the server's word, and memory is allocated only for bytes
// that actually arrive beyond it.
const maxPrealloc = 64 << 10

// readBounded reads all of r, at most limit bytes. hint is the announced
// length (-1 when unknown); a body announced larger than limit is refused
// without reading it. The buffer is sized from hint (one byte more, so that
// the end shows without growing), up to maxPrealloc: one allocation for the
// usual answer, and no more memory than what arrives for a lying one.
func readBounded(r io.Reader, limit, hint int64) ([]byte, error) {
	if hint > limit {
		return nil, fmt.Errorf("%w (%d bytes announced, limit %d)", ErrBodyTooLarge, hint, limit)
	}
	if limit > math.MaxInt64-1 {
		limit = math.MaxInt64 - 1 // limit+1 below must not overflow
	}
	// hint+1 overflows for an announced math.MaxInt64, which a limit of
	// math.MaxInt64 lets through: compare before adding.
	size := int64(512)
	if hint >= 0 {
		size = min(hint, maxPrealloc-1) + 1
	}
	size = min(size, limit+1, maxPrealloc)
	buf := make([]byte, 0, size)
	for {
		if len(buf) == cap(buf) {
			if int64(len(buf)) > limit {
				return nil, fmt.Errorf("%w (limit %d bytes)", ErrBodyTooLarge, limit)
			}
			buf = append(buf, 0)[:len(buf)] // grow
		}
		room := buf[len(buf):cap(buf)]
		if left := limit + 1 - int64(len(buf)); int64(len(room)) > left {
			room = room[:left] // read at most limit+1 bytes in all
		}
		n, err := r.Read(room)
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > limit {
			return nil, fmt.Errorf("%w (limit %d bytes)", ErrBodyTooLarge, limit)
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}
