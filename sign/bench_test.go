package sign_test

import (
	"testing"
	"time"

	"github.com/fangsdk/fang/sign"
)

// The body of PROTOCOL.md's signing vector, 239 bytes.
var benchBody = []byte(`{"name":"物业公司A","address":"北京市朝阳区XX路XX号","tel":"18909711449","corporation":"张三","foundingTime":"2022-09-01","nearbyLandmarks":"国投广场","communityIds":["2022092200930358"],"groupIds":["802021080609660006"]}`)

var sinkTx, sinkTime, sinkSign string

// BenchmarkSignHC is what an HC call adds to a request: a transaction-id,
// the req-time of the same clock reading, and the MD5 sign over the body.
// Target: under 1 µs and at most 3 allocations (the three strings).
func BenchmarkSignHC(b *testing.B) {
	g, err := sign.NewTransactionIDGenerator("1000000042")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for range b.N {
		now := time.Now()
		tx := g.NextAt(now)
		rt := sign.ReqTime(now)
		sinkTx, sinkTime, sinkSign = tx, rt, sign.MicroCommunityBytes(tx, rt, "micro-community", benchBody, "hc-security-code")
	}
}

// BenchmarkSignHCParallel is BenchmarkSignHC from every P at once: the
// transaction-id counter is one compare-and-swap loop shared by all.
func BenchmarkSignHCParallel(b *testing.B) {
	g, err := sign.NewTransactionIDGenerator("1000000043")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		var s string
		for pb.Next() {
			now := time.Now()
			tx := g.NextAt(now)
			rt := sign.ReqTime(now)
			s = sign.MicroCommunityBytes(tx, rt, "micro-community", benchBody, "hc-security-code")
		}
		_ = s
	})
}

func BenchmarkTransactionID(b *testing.B) {
	g, err := sign.NewTransactionIDGenerator("1000000044")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for range b.N {
		sinkTx = g.Next()
	}
}

func BenchmarkReqTime(b *testing.B) {
	now := time.Now()
	b.ReportAllocs()
	for range b.N {
		sinkTime = sign.ReqTime(now)
	}
}

func BenchmarkMicroCommunityBytes(b *testing.B) {
	b.ReportAllocs()
	for range b.N {
		sinkSign = sign.MicroCommunityBytes("100000000020240101120000000001", "20240101120000", "micro-community", benchBody, "hc-security-code")
	}
}
