// Package listenurl turns the address a server listens on into the base
// URL a client on the same host dials. The fakes and `fang mock` share it.
package listenurl

import (
	"net"
	"strconv"
)

// HTTP returns "http://host:port" for a listener address. An unspecified
// IP (0.0.0.0, ::) becomes the loopback address of its family, since a
// client cannot dial "any address"; other addresses are kept as they are.
func HTTP(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return "http://" + a.String()
	}
	ip := tcp.IP
	if ip == nil || ip.IsUnspecified() {
		if ip != nil && ip.To4() == nil {
			ip = net.IPv6loopback
		} else {
			ip = net.IPv4(127, 0, 0, 1)
		}
	}
	return "http://" + net.JoinHostPort(ip.String(), strconv.Itoa(tcp.Port))
}
