// Command otel traces fang's calls with OpenTelemetry without putting a
// secret into any span.
//
// 123kanfang's GetAccessToken carries the password in its query
// (authValue=…), and otelhttp records every request's url.full. Wrapping
// the transport with fang.TraceSafeTransport shows otelhttp a URL whose
// secret parameters read [REDACTED], while the server still gets the real
// ones. Tokens travel in headers, which otelhttp does not record.
//
// With no setup it runs against the in-process fakes: one parent span,
// "sync-listing", with a child for each HTTP call (the kanfang login, the
// Anjuke number, the HC login and the company), printed by the stdout
// exporter.
//
// It is a module of its own (so that fang's go.mod carries no
// OpenTelemetry); from a clone of fang:
//
//	cd examples/otel && go run .
package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/fangsdk/fang"
	"github.com/fangsdk/fang/kanfang"
	"github.com/fangsdk/fang/kanfang/kanfangtest"
	"github.com/fangsdk/fang/property"
	"github.com/fangsdk/fang/property/propertytest"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "otel:", err)
		os.Exit(1)
	}
}

// run makes the calls against fresh fakes and writes the spans to out.
func run(ctx context.Context, out io.Writer) error {
	kf := kanfangtest.NewServer()
	defer kf.Close()
	hc := propertytest.NewServer()
	defer hc.Close()

	exporter, err := stdouttrace.New(stdouttrace.WithWriter(out), stdouttrace.WithPrettyPrint())
	if err != nil {
		return err
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exporter))
	defer func() { _ = tp.Shutdown(context.WithoutCancel(ctx)) }()

	// The one line that matters: otelhttp sits inside TraceSafeTransport.
	httpClient := &http.Client{Transport: fang.TraceSafeTransport(http.DefaultTransport,
		func(rt http.RoundTripper) http.RoundTripper {
			return otelhttp.NewTransport(rt, otelhttp.WithTracerProvider(tp))
		})}

	client, err := fang.New(
		fang.WithKanfang(kanfang.WithBaseURL(kf.URL), kanfang.WithCredentials(kf.AuthKey, kf.AuthValue), kanfang.WithHTTPClient(httpClient)),
		fang.WithProperty(property.WithBaseURL(hc.URL), property.WithAppID(hc.AppID), property.WithSecurityCode(hc.SecurityCode),
			property.WithCredentials(hc.Username, hc.Password), property.WithHTTPClient(httpClient)),
	)
	if err != nil {
		return err
	}

	ctx, span := tp.Tracer("fang-example").Start(ctx, "sync-listing")
	defer span.End()
	if _, err := client.Kanfang.PutAnjukeBianHao(ctx, &kanfang.PutAnjukeBianHaoRequest{PackageID: "pkg-otel-1", AnjukeBianHao: "00000000010101"}); err != nil {
		return err
	}
	_, err = client.Property.SaveProperty(ctx, &property.SavePropertyRequest{
		Name: "物业公司O", Address: "北京市朝阳区1号", Tel: "13900000088", Corporation: "张三", FoundingTime: "2022-09-01",
	})
	return err
}
