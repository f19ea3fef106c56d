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
// without reading it.
//
// The body is read into chunks, then copied once into a buffer of its
// exact size (what io.ReadAll does): the first chunk is the announced
// length (one byte more, so that the end shows without growing), up to
// maxPrealloc, or 512 bytes for an unannounced length; each further chunk
// doubles what has arrived, never beyond the announced length + 1 while
// the body keeps to its announcement, nor beyond limit + 1. So a body that
// fits the first chunk costs that one allocation; a larger honest body of
// n bytes costs 2n in all (its chunks, then the copy), where growing one
// buffer by doubling costs 2n to 3n and by append's 1.25× steps 5n; and a
// lying announcement costs no more than twice what arrives: memory follows
// the bytes received, not the server's word.
func readBounded(r io.Reader, limit, hint int64) ([]byte, error) {
	if hint > limit {
		return nil, fmt.Errorf("%w (%d bytes announced, limit %d)", ErrBodyTooLarge, hint, limit)
	}
	if limit > math.MaxInt64-1 {
		limit = math.MaxInt64 - 1 // limit+1 below must not overflow
	}
	// most is the most bytes to hold: the announced length + 1 (hint+1
	// overflows for an announced math.MaxInt64, which a limit of
	// math.MaxInt64 lets through: hint < limit is checked first), else
	// limit+1, to see a body over the limit.
	most := limit + 1
	size := int64(512)
	if hint >= 0 {
		if hint < limit {
			most = hint + 1
		}
		size = min(hint, maxPrealloc-1) + 1
	}
	var chunks [][]byte
	var done int64 // the bytes in chunks
	buf := make([]byte, 0, min(size, most, maxPrealloc))
	for {
		if len(buf) == cap(buf) {
			chunks = append(chunks, buf)
			done += int64(len(buf))
			if done >= most {
				most = limit + 1 // more arrives than announced
			}
			buf = make([]byte, 0, min(done, most-done))
		}
		room := buf[len(buf):cap(buf)]
		if left := limit + 1 - done - int64(len(buf)); int64(len(room)) > left {
			room = room[:left] // read at most limit+1 bytes in all
		}
		n, err := r.Read(room)
		buf = buf[:len(buf)+n]
		if done+int64(len(buf)) > limit {
			return nil, fmt.Errorf("%w (limit %d bytes)", ErrBodyTooLarge, limit)
		}
		if err == io.EOF {
			if chunks == nil {
				return buf, nil
			}
			body := make([]byte, 0, done+int64(len(buf)))
			for _, c := range chunks {
				body = append(body, c...)
			}
			return append(body, buf...), nil
		}
		if err != nil {
			return nil, err
		}
	}
}
