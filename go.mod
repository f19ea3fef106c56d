module github.com/fangsdk/fang

go 1.23.0

require (
	github.com/go-resty/resty/v2 v2.17.2
	github.com/google/go-querystring v1.2.0
	github.com/jarcoal/httpmock v1.4.2
	golang.org/x/sync v0.12.0
)

require go.uber.org/goleak v1.3.0

require (
	github.com/cespare/xxhash/v2 v2.2.0 // indirect
	github.com/dgryski/go-rendezvous v0.0.0-20200823014737-9f7001d12a5f // indirect
	github.com/redis/go-redis/v9 v9.7.3
	golang.org/x/net v0.43.0 // indirect
)
