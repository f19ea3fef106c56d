package testkit

import (
	"crypto/tls"
	"crypto/x509"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"

	"golang.org/x/net/http2"
)

// ResettingH2Server is a TLS HTTP/2 server on loopback that reads every
// request in full and then resets its stream with PROTOCOL_ERROR, the reset
// after which Go's HTTP/2 transport re-sends a request whose body it can
// rewind (Request.GetBody). Requests counts the requests whose body arrived
// whole: the copies that reached the server.
type ResettingH2Server struct {
	URL      string       // https://127.0.0.1:PORT
	Client   *http.Client // trusts the server's certificate, speaks HTTP/2
	requests atomic.Int64
}

// Requests returns how many requests arrived whole.
func (s *ResettingH2Server) Requests() int { return int(s.requests.Load()) }

// NewResettingH2Server starts the server; it stops when the test ends.
func NewResettingH2Server(t testing.TB) *ResettingH2Server {
	t.Helper()
	// httptest's certificate (valid for 127.0.0.1) and a client trusting it.
	cert := httptest.NewUnstartedServer(nil)
	cert.StartTLS()
	pair := cert.TLS.Certificates[0]
	pool := x509.NewCertPool()
	pool.AddCert(cert.Certificate())
	cert.Close()

	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{pair}, NextProtos: []string{"h2"}})
	if err != nil {
		t.Fatal(err)
	}
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, ForceAttemptHTTP2: true}
	s := &ResettingH2Server{URL: "https://" + ln.Addr().String(), Client: &http.Client{Transport: tr}}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Go(func() {
				s.serve(c)
			})
		}
	})
	t.Cleanup(func() {
		tr.CloseIdleConnections()
		_ = ln.Close()
		mu.Lock()
		for _, c := range conns {
			_ = c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return s
}

// serve speaks just enough HTTP/2 on c: the preface, SETTINGS and their
// acknowledgement, PING answers, and a RST_STREAM(PROTOCOL_ERROR) for
// every stream once its body has ended.
func (s *ResettingH2Server) serve(c net.Conn) {
	defer c.Close()
	preface := make([]byte, len(http2.ClientPreface))
	if _, err := io.ReadFull(c, preface); err != nil || string(preface) != http2.ClientPreface {
		return
	}
	fr := http2.NewFramer(c, c)
	if err := fr.WriteSettings(); err != nil {
		return
	}
	for {
		f, err := fr.ReadFrame()
		if err != nil {
			return
		}
		var ended uint32
		switch f := f.(type) {
		case *http2.SettingsFrame:
			if !f.IsAck() {
				err = fr.WriteSettingsAck()
			}
		case *http2.PingFrame:
			if !f.IsAck() {
				err = fr.WritePing(true, f.Data)
			}
		case *http2.HeadersFrame:
			if f.StreamEnded() {
				ended = f.StreamID
			}
		case *http2.DataFrame:
			if n := len(f.Data()); n > 0 {
				err = fr.WriteWindowUpdate(0, uint32(n))
			}
			if f.StreamEnded() {
				ended = f.StreamID
			}
		}
		if err == nil && ended != 0 {
			s.requests.Add(1)
			err = fr.WriteRSTStream(ended, http2.ErrCodeProtocol)
		}
		if err != nil {
			return
		}
	}
}
