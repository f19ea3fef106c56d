package sign

import (
	"errors"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// The vectors of PROTOCOL.md, section B.
const (
	vecTxID     = "100000000020240101120000000001"
	vecReqTime  = "20240101120000"
	vecAppID    = "micro-community"
	vecSecurity = "hc-security-code"
	vecBody     = `{"name":"物业公司A","address":"北京市朝阳区XX路XX号","tel":"18909711449","corporation":"张三","foundingTime":"2022-09-01","nearbyLandmarks":"国投广场","communityIds":["2022092200930358"],"groupIds":["802021080609660006"]}`
)

func TestMicroCommunityVectors(t *testing.T) {
	if len(vecBody) != 239 {
		t.Fatalf("vector body is %d bytes, PROTOCOL.md says 239", len(vecBody))
	}
	tests := []struct {
		name, txID, payload, code, want string
	}{
		{"post", vecTxID, vecBody, vecSecurity, "ab7be2e9cd7a4736b5928a3d9a3af121"},
		{"post without security code", vecTxID, vecBody, "", "5c087a7376745bd416760ed5032d3d3d"},
		{"get", "100000000020240101120000000002", "?communityId=2022092200930358&page=1", vecSecurity, "6b84195e8a2b7a2af56e897e61aa4fd2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MicroCommunity(tt.txID, vecReqTime, vecAppID, tt.payload, tt.code); got != tt.want {
				t.Errorf("MicroCommunity = %s, want %s", got, tt.want)
			}
			if got := MicroCommunityBytes(tt.txID, vecReqTime, vecAppID, []byte(tt.payload), tt.code); got != tt.want {
				t.Errorf("MicroCommunityBytes = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestKanfangVector(t *testing.T) {
	params := url.Values{"B": {"2"}, "A": {"1"}, "C": {"3"}}
	if got, want := Kanfang("CdLvNRRQvy0xjORPNvuVaA", params, 1532059200000), "d5680a902dd2de08cf2bf9df819ffb9d"; got != want {
		t.Fatalf("Kanfang = %s, want %s", got, want)
	}
	// Insertion order must not matter, and no separator is added.
	other := url.Values{}
	other.Set("C", "3")
	other.Set("A", "1")
	other.Set("B", "2")
	if Kanfang("CdLvNRRQvy0xjORPNvuVaA", other, 1532059200000) != "d5680a902dd2de08cf2bf9df819ffb9d" {
		t.Fatal("Kanfang depends on map order")
	}
	if Kanfang("k", url.Values{"a": {"1", "2"}}, 5) != MicroCommunity("k", "12", "", "", "5") {
		t.Fatal("several values of one name are not concatenated in order")
	}
}

func TestReqTime(t *testing.T) {
	tests := []struct {
		in   time.Time
		want string
	}{
		{time.Date(2024, 1, 1, 4, 0, 0, 0, time.UTC), "20240101120000"},
		{time.Date(2023, 12, 31, 16, 0, 0, 0, time.UTC), "20240101000000"},
		{time.Date(2024, 1, 1, 12, 0, 0, 999_999_999, time.FixedZone("x", 8*3600)), "20240101120000"},
		{time.Date(2024, 7, 1, 3, 4, 5, 0, time.FixedZone("PDT", -7*3600)), "20240701180405"},
	}
	for _, tt := range tests {
		if got := ReqTime(tt.in); got != tt.want {
			t.Errorf("ReqTime(%v) = %s, want %s", tt.in, got, tt.want)
		}
		if got := tt.in.In(ChinaStandardTime()).Format(ReqTimeLayout); got != tt.want {
			t.Errorf("layout disagrees for %v: %s", tt.in, got)
		}
	}
}

// TestReqTimeWithoutZoneData runs the check in a child process whose TZ
// names a zone that does not exist and whose zone database is unreachable.
func TestReqTimeWithoutZoneData(t *testing.T) {
	if os.Getenv("FANG_SIGN_CHILD") == "1" {
		if got := ReqTime(time.Unix(1704081600, 0)); got != "20240101120000" {
			t.Fatalf("ReqTime = %s", got)
		}
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestReqTimeWithoutZoneData$")
	cmd.Env = append(os.Environ(), "FANG_SIGN_CHILD=1", "TZ=Nowhere/Invalid", "ZONEINFO=/nonexistent")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("child failed: %v\n%s", err, out)
	}
}

func TestNewTransactionIDGeneratorPrefix(t *testing.T) {
	for _, bad := range []string{"1", "12345678901", "12345abcde", "１２３４５６７８９０"} {
		if _, err := NewTransactionIDGenerator(bad); !errors.Is(err, ErrInvalidPrefix) {
			t.Errorf("prefix %q: err = %v, want ErrInvalidPrefix", bad, err)
		}
	}
	g, err := NewTransactionIDGenerator("")
	if err != nil {
		t.Fatal(err)
	}
	if p := g.Prefix(); len(p) != 10 || p[0] != '1' || !isDigits(p, 10) {
		t.Fatalf("default prefix %q", p)
	}
	g2, _ := NewTransactionIDGenerator("")
	if g2.Prefix() != g.Prefix() {
		t.Fatal("default prefix differs within one process")
	}
}

func TestTransactionIDFormat(t *testing.T) {
	g, err := NewTransactionIDGenerator("1000000000")
	if err != nil {
		t.Fatal(err)
	}
	g.now = func() time.Time { return time.Date(2024, 1, 1, 4, 0, 0, 0, time.UTC) }
	g.seq = new(sequence) // private state: the format test starts at sequence 0
	if got := g.Next(); got != "100000000020240101120000000000" {
		t.Fatalf("first id %s", got)
	}
	if got := g.Next(); got != "100000000020240101120000000001" {
		t.Fatalf("second id %s", got)
	}
}

func TestTransactionIDOverflowRunsAhead(t *testing.T) {
	g, _ := NewTransactionIDGenerator("1000000001")
	g.seq = new(sequence)
	g.now = func() time.Time { return time.Date(2024, 1, 1, 4, 0, 0, 0, time.UTC) }
	g.seq.last.Store(time.Date(2024, 1, 1, 4, 0, 0, 0, time.UTC).Unix()*perSecond + perSecond - 2)
	if got := g.Next(); got != "100000000120240101120000999999" {
		t.Fatalf("last id of the second: %s", got)
	}
	if got := g.Next(); got != "100000000120240101120001000000" {
		t.Fatalf("overflow id: %s", got)
	}
	// A clock that steps back never produces a repeat.
	g.now = func() time.Time { return time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC) }
	if got := g.Next(); got != "100000000120240101120001000001" {
		t.Fatalf("after clock step back: %s", got)
	}
}

func TestTransactionIDUniqueAcrossGoroutinesAndGenerators(t *testing.T) {
	const goroutines, perG = 32, 1000
	var mu sync.Mutex
	seen := make(map[string]struct{}, goroutines*perG)
	var wg sync.WaitGroup
	for range goroutines {
		wg.Go(func() {
			g, err := NewTransactionIDGenerator("1234567890") // one generator each, same prefix
			if err != nil {
				t.Error(err)
				return
			}
			ids := make([]string, perG)
			for j := range ids {
				ids[j] = g.Next()
			}
			mu.Lock()
			defer mu.Unlock()
			for _, id := range ids {
				if len(id) != TransactionIDLength || !isDigits(id, TransactionIDLength) || !strings.HasPrefix(id, "1234567890") {
					t.Errorf("malformed id %q", id)
				}
				if _, dup := seen[id]; dup {
					t.Errorf("duplicate id %s", id)
				}
				seen[id] = struct{}{}
			}
		})
	}
	wg.Wait()
	if len(seen) != goroutines*perG {
		t.Fatalf("%d distinct ids, want %d", len(seen), goroutines*perG)
	}
}

func TestTransactionIDDefaultPrefixDiffersAcrossProcesses(t *testing.T) {
	if os.Getenv("FANG_SIGN_CHILD") == "prefix" {
		g, _ := NewTransactionIDGenerator("")
		os.Stdout.WriteString("PREFIX=" + g.Prefix() + "\n")
		return
	}
	prefixes := map[string]bool{}
	for range 3 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestTransactionIDDefaultPrefixDiffersAcrossProcesses$", "-test.v")
		cmd.Env = append(os.Environ(), "FANG_SIGN_CHILD=prefix")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("child: %v\n%s", err, out)
		}
		_, after, ok := strings.Cut(string(out), "PREFIX=")
		if !ok {
			t.Fatalf("no prefix in %s", out)
		}
		prefixes[after[:10]] = true
	}
	// Three draws of nine random digits collide with probability ~3e-9.
	if len(prefixes) != 3 {
		t.Fatalf("default prefixes repeat across processes: %v", prefixes)
	}
}

// HCPassword against values computed independently (python3 hashlib:
// md5(md5(p + "hc@java110").hexdigest()).hexdigest()).
func TestHCPassword(t *testing.T) {
	tests := []struct{ password, want string }{
		{"123456", "5b7ac7ba433dc0842fb8d3bc15e4b2aa"},
		{"", "05d594b1ba6d1c7d8c4494e6502cdfc0"},
		{"密码", "0462386b1bfa400a6e1f6820cff5eb5d"},
	}
	for _, tt := range tests {
		if got := HCPassword(tt.password); got != tt.want {
			t.Errorf("HCPassword(%q) = %s, want %s", tt.password, got, tt.want)
		}
	}
}

func TestMicroCommunityQuery(t *testing.T) {
	for _, tt := range []struct{ raw, want string }{
		{"", ""},
		{"&", ""},
		{"communityId=2022092200930358&page=1", "?communityId=2022092200930358&page=1"},
		// Chinese values travel encoded and are signed plain; so are names.
		{"name=%E4%B8%9C%E6%96%B9+%E7%89%A9%E4%B8%9A&row=10", "?name=东方 物业&row=10"},
		// Names in the order they first appear, a repeated name's values together.
		{"b=1&a=2&b=3", "?b=1&b=3&a=2"},
		// A pair that does not decode is dropped; a name without "=" has an empty value.
		{"a=%zz&flag&c=%2B", "?flag=&c=+"},
	} {
		if got := MicroCommunityQuery(tt.raw); got != tt.want {
			t.Errorf("MicroCommunityQuery(%q) = %q, want %q", tt.raw, got, tt.want)
		}
	}
	// The PROTOCOL.md GET vector, from the query as sent.
	payload := MicroCommunityQuery("communityId=2022092200930358&page=1")
	if got := MicroCommunity("100000000020240101120000000002", "20240101120000", "micro-community", payload, "hc-security-code"); got != "6b84195e8a2b7a2af56e897e61aa4fd2" {
		t.Errorf("GET vector: %s", got)
	}
}
