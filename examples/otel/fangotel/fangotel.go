// Package fangotel reports fang's calls to OpenTelemetry: it is an
// observe.Observer to give to kanfang.WithObserver and
// property.WithObserver.
//
// Traces: a span per call named by the fang operation
// ("kanfang.PutAnjukeBianHao", "property.SaveProperty"), with the
// transaction-id and error.type attributes; a child span "fang.attempt"
// per HTTP attempt; the login or refresh a call needed is a child span of
// its own ("kanfang.GetAccessToken", with fang.renewal.cause); retries,
// renewals and store errors are events of the span they happened in.
//
// Metrics (instrumentation scope "github.com/fangsdk/fang"): the counters
// fang.calls, fang.attempts, fang.retries, fang.renewals (logins and
// refreshes by kind and cause) and fang.store.errors, and the histogram
// fang.call.duration (seconds) per operation.
//
// No secret reaches an attribute: fang's events carry none (no token,
// password, security code, query string, header or body), and error
// messages are not recorded, only their kind.
package fangotel

import (
	"context"
	"strconv"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	"github.com/fangsdk/fang/observe"
)

// ScopeName is the instrumentation scope of fangotel's tracer and meter.
const ScopeName = "github.com/fangsdk/fang"

// Attribute keys.
const (
	KeyOp            = attribute.Key("fang.op")             // "kanfang.PutAnjukeBianHao"
	KeyTransactionID = attribute.Key("fang.transaction_id") // HC's transaction-id
	KeyAttempt       = attribute.Key("fang.attempt")        // the attempt's number, from 1
	KeySent          = attribute.Key("fang.sent")           // the request may have reached the server
	KeyRenewalCause  = attribute.Key("fang.renewal.cause")  // observe.Cause
	KeyRenewalKind   = attribute.Key("fang.renewal.kind")   // login, refresh
	KeyStoreOp       = attribute.Key("fang.store.op")       // Load, Save, TryLease…
	KeyRetryWait     = attribute.Key("fang.retry.wait_ms")  // the wait before the next attempt
	KeyErrorType     = attribute.Key("error.type")          // observe.ErrorKind, or an HTTP status >= 400
	KeyMethod        = attribute.Key("http.request.method") // GET, POST
	KeyStatus        = attribute.Key("http.response.status_code")
	KeyPath          = attribute.Key("url.path") // never the query
)

// Observer is the observe.Observer that reports to OpenTelemetry. Make it
// with New.
type Observer struct {
	tracer      trace.Tracer
	calls       metric.Int64Counter
	duration    metric.Float64Histogram
	attempts    metric.Int64Counter
	retries     metric.Int64Counter
	renewals    metric.Int64Counter
	storeErrors metric.Int64Counter
}

var _ observe.Observer = (*Observer)(nil)

// New returns an Observer reporting spans to tp and metrics to mp (for
// instance otel.GetTracerProvider() and otel.GetMeterProvider()).
func New(tp trace.TracerProvider, mp metric.MeterProvider) (*Observer, error) {
	m := mp.Meter(ScopeName)
	o := &Observer{tracer: tp.Tracer(ScopeName)}
	var err error
	if o.calls, err = m.Int64Counter("fang.calls", metric.WithDescription("fang client calls, by operation and error type")); err != nil {
		return nil, err
	}
	if o.duration, err = m.Float64Histogram("fang.call.duration", metric.WithUnit("s"),
		metric.WithDescription("duration of fang client calls, retries and token renewal included, by operation")); err != nil {
		return nil, err
	}
	if o.attempts, err = m.Int64Counter("fang.attempts", metric.WithDescription("HTTP attempts of fang calls")); err != nil {
		return nil, err
	}
	if o.retries, err = m.Int64Counter("fang.retries", metric.WithDescription("retries of fang calls")); err != nil {
		return nil, err
	}
	if o.renewals, err = m.Int64Counter("fang.renewals", metric.WithDescription("logins and refreshes of fang's token source, by kind and cause")); err != nil {
		return nil, err
	}
	if o.storeErrors, err = m.Int64Counter("fang.store.errors", metric.WithDescription("failed operations of fang's token store")); err != nil {
		return nil, err
	}
	return o, nil
}

// CallStart starts the call's span.
func (o *Observer) CallStart(ctx context.Context, c observe.Call) context.Context {
	attrs := []attribute.KeyValue{KeyOp.String(c.Name()), KeyMethod.String(c.Method), KeyPath.String(c.Path)}
	if c.Renewal != "" {
		attrs = append(attrs, KeyRenewalCause.String(string(c.Renewal)))
	}
	ctx, _ = o.tracer.Start(ctx, c.Name(), trace.WithTimestamp(c.Start), trace.WithAttributes(attrs...))
	return ctx
}

// CallEnd ends the call's span and counts the call.
func (o *Observer) CallEnd(ctx context.Context, c observe.CallEnd) {
	span := trace.SpanFromContext(ctx)
	if c.TransactionID != "" {
		span.SetAttributes(KeyTransactionID.String(c.TransactionID))
	}
	if c.Status != 0 {
		span.SetAttributes(KeyStatus.Int(c.Status))
	}
	set := []attribute.KeyValue{KeyOp.String(c.Name())}
	if c.ErrorKind != "" {
		span.SetAttributes(KeyErrorType.String(string(c.ErrorKind)))
		span.SetStatus(codes.Error, string(c.ErrorKind)) // the kind, never the message
		set = append(set, KeyErrorType.String(string(c.ErrorKind)))
	}
	span.End(trace.WithTimestamp(c.Start.Add(c.Duration)))
	opt := metric.WithAttributes(set...)
	o.calls.Add(ctx, 1, opt)
	o.duration.Record(ctx, c.Duration.Seconds(), opt)
}

// Attempt records a child span of the call's and counts the attempt.
func (o *Observer) Attempt(ctx context.Context, a observe.Attempt) {
	op := a.API + "." + a.Op
	attrs := []attribute.KeyValue{KeyOp.String(op), KeyAttempt.Int(a.N), KeyMethod.String(a.Method), KeyPath.String(a.Path), KeySent.Bool(a.Sent)}
	if a.TransactionID != "" {
		attrs = append(attrs, KeyTransactionID.String(a.TransactionID))
	}
	if a.Status != 0 {
		attrs = append(attrs, KeyStatus.Int(a.Status))
	}
	errType := string(a.ErrorKind)
	if errType == "" && a.Status >= 400 {
		errType = strconv.Itoa(a.Status)
	}
	if errType != "" {
		attrs = append(attrs, KeyErrorType.String(errType))
	}
	_, span := o.tracer.Start(ctx, "fang.attempt", trace.WithTimestamp(a.Start), trace.WithAttributes(attrs...),
		trace.WithSpanKind(trace.SpanKindClient))
	if errType != "" {
		span.SetStatus(codes.Error, errType)
	}
	span.End(trace.WithTimestamp(a.Start.Add(a.Duration)))
	set := []attribute.KeyValue{KeyOp.String(op)}
	if errType != "" {
		set = append(set, KeyErrorType.String(errType))
	}
	o.attempts.Add(ctx, 1, metric.WithAttributes(set...))
}

// Retry adds an event to the call's span and counts the retry.
func (o *Observer) Retry(ctx context.Context, r observe.Retry) {
	reason := string(r.ErrorKind)
	if reason == "" {
		reason = strconv.Itoa(r.Status)
	}
	op := r.API + "." + r.Op
	trace.SpanFromContext(ctx).AddEvent("fang.retry", trace.WithAttributes(KeyAttempt.Int(r.After),
		KeyRetryWait.Int64(r.Wait.Milliseconds()), KeyErrorType.String(reason)))
	o.retries.Add(ctx, 1, metric.WithAttributes(KeyOp.String(op), KeyErrorType.String(reason)))
}

// Renewal adds an event to the span the renewal ran in (the call that
// needed the token; none for a renewal ahead of expiry, which runs in the
// background) and counts it by kind and cause.
func (o *Observer) Renewal(ctx context.Context, r observe.Renewal) {
	set := []attribute.KeyValue{KeyRenewalKind.String(string(r.Kind)), KeyRenewalCause.String(string(r.Cause))}
	if r.ErrorKind != "" {
		set = append(set, KeyErrorType.String(string(r.ErrorKind)))
	}
	trace.SpanFromContext(ctx).AddEvent("fang.renewal", trace.WithAttributes(set...))
	o.renewals.Add(ctx, 1, metric.WithAttributes(set...))
}

// StoreError adds an event to the current span and counts the failure.
func (o *Observer) StoreError(ctx context.Context, e observe.StoreError) {
	set := []attribute.KeyValue{KeyStoreOp.String(e.Op), KeyErrorType.String(string(e.ErrorKind))}
	trace.SpanFromContext(ctx).AddEvent("fang.store_error", trace.WithAttributes(set...))
	o.storeErrors.Add(ctx, 1, metric.WithAttributes(set...))
}
