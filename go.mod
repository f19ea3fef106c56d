module github.com/fangsdk/fang

go 1.25.0

require (
	github.com/go-resty/resty/v2 v2.17.2
	github.com/google/go-querystring v1.2.0
	github.com/jarcoal/httpmock v1.4.2
	golang.org/x/sync v0.22.0
)

require go.uber.org/goleak v1.3.0

require (
	go.uber.org/atomic v1.12.0 // indirect
	golang.org/x/sys v0.47.0 // indirect
	golang.org/x/text v0.41.0 // indirect
)

require (
	github.com/cespare/xxhash/v2 v2.3.0 // indirect
	github.com/redis/go-redis/v9 v9.22.0
	golang.org/x/net v0.58.0
)
