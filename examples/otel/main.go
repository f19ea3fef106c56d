// Command otel traces fang's calls with OpenTelemetry without putting a
// secret into any span.
//
// 123kanfang's GetAccessToken carries the password in its query
// (authValue=…), and otelhttp records every request's url.full. Wrapping
// the transport with fang.TraceSafeTransport shows otelhttp a URL whose
// secret parameters read [REDACTED], while the server still gets the real
// ones. Tokens travel in headers, which otelhttp does not record.
//
// fangotel (in this module) is fang's Observer for OpenTelemetry: given to
// kanfang.WithObserver and property.WithObserver, it makes a span per fang
// operation ("kanfang.PutAnjukeBianHao"), the login it needed and each
// HTTP attempt as its children, and the metrics fang.calls,
// fang.call.duration, fang.attempts, fang.retries, fang.renewals and
// fang.store.errors.
//
// With no setup it runs against the in-process fakes: one parent span,
// "sync-listing", with a span for each fang operation (the Anjuke number,
// the company) and, below them, the logins they needed, the attempts and
// otelhttp's span for each HTTP call, printed by the stdout exporter; then
// the metrics, one line per data point.
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
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/fangsdk/fang"
	"github.com/fangsdk/fang/examples/otel/fangotel"
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

// run makes the calls against fresh fakes and writes the spans, then the
// metrics, to out.
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
	reader := sdkmetric.NewManualReader() // a real service would use a periodic reader and an exporter
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	defer func() { _ = mp.Shutdown(context.WithoutCancel(ctx)) }()
	obs, err := fangotel.New(tp, mp)
	if err != nil {
		return err
	}

	// otelhttp sits inside TraceSafeTransport: it never sees the password
	// GetAccessToken sends in its query.
	httpClient := &http.Client{Transport: fang.TraceSafeTransport(http.DefaultTransport,
		func(rt http.RoundTripper) http.RoundTripper {
			return otelhttp.NewTransport(rt, otelhttp.WithTracerProvider(tp))
		})}

	client, err := fang.New(
		fang.WithKanfang(kanfang.WithBaseURL(kf.URL), kanfang.WithCredentials(kf.AuthKey, kf.AuthValue), kanfang.WithHTTPClient(httpClient),
			kanfang.WithObserver(obs)),
		fang.WithProperty(property.WithBaseURL(hc.URL), property.WithAppID(hc.AppID), property.WithSecurityCode(hc.SecurityCode),
			property.WithCredentials(hc.Username, hc.Password), property.WithHTTPClient(httpClient), property.WithObserver(obs)),
	)
	if err != nil {
		return err
	}

	defer func() { _ = client.Close() }()

	if err := calls(ctx, tp, client); err != nil {
		return err
	}
	var rm metricdata.ResourceMetrics
	if err := reader.Collect(ctx, &rm); err != nil {
		return err
	}
	printMetrics(out, &rm)
	return nil
}

// calls makes the example's calls under one parent span.
func calls(ctx context.Context, tp *sdktrace.TracerProvider, client *fang.Client) error {
	ctx, span := tp.Tracer("fang-example").Start(ctx, "sync-listing")
	defer span.End()
	if _, err := client.Kanfang.PutAnjukeBianHao(ctx, &kanfang.PutAnjukeBianHaoRequest{PackageID: "pkg-otel-1", AnjukeBianHao: "00000000010101"}); err != nil {
		return err
	}
	_, err := client.Property.SaveProperty(ctx, &property.SavePropertyRequest{
		Name: "物业公司O", Address: "北京市朝阳区1号", Tel: "13900000088", Corporation: "张三", FoundingTime: "2022-09-01",
	})
	return err
}

// printMetrics writes one line per data point: "metric {attributes} value".
func printMetrics(out io.Writer, rm *metricdata.ResourceMetrics) {
	enc := attribute.DefaultEncoder()
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			switch d := m.Data.(type) {
			case metricdata.Sum[int64]:
				for _, p := range d.DataPoints {
					fmt.Fprintf(out, "metric %s {%s} %d\n", m.Name, p.Attributes.Encoded(enc), p.Value)
				}
			case metricdata.Histogram[float64]:
				for _, p := range d.DataPoints {
					fmt.Fprintf(out, "metric %s {%s} count=%d sum=%gs\n", m.Name, p.Attributes.Encoded(enc), p.Count, p.Sum)
				}
			}
		}
	}
}
