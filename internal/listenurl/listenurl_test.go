package listenurl

import (
	"net"
	"testing"
)

func TestHTTP(t *testing.T) {
	for addr, want := range map[string]string{
		"0.0.0.0:80":   "http://127.0.0.1:80",
		"[::]:80":      "http://[::1]:80",
		"10.0.0.1:80":  "http://10.0.0.1:80",
		"[::1]:8080":   "http://[::1]:8080",
		"127.0.0.1:55": "http://127.0.0.1:55",
	} {
		a, err := net.ResolveTCPAddr("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		if got := HTTP(a); got != want {
			t.Errorf("HTTP(%s) = %s, want %s", addr, got, want)
		}
	}
	// A TCPAddr without an IP (":80") listens everywhere.
	if got := HTTP(&net.TCPAddr{Port: 80}); got != "http://127.0.0.1:80" {
		t.Errorf("HTTP(:80) = %s", got)
	}
	// Not TCP: the address as it prints.
	if got := HTTP(&net.UnixAddr{Name: "sock", Net: "unix"}); got != "http://sock" {
		t.Errorf("HTTP(unix sock) = %s", got)
	}
}
