package io.sagashop.platform.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * Spans for a saga's steps. A trace follows the order, not a request: every event carries the {@code traceparent} of
 * the step that caused it (in the event log's metadata and as a Kafka header), and the step that handles it starts a
 * child span of it, so one order's handling in every service — compensations included — is one trace. Spans are
 * passed along explicitly (not as the "current" span), because a step runs across callbacks and threads.
 */
@ApplicationScoped
public class Tracing {

    private static final TextMapGetter<String> TRACEPARENT = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return List.of("traceparent");
        }

        @Override
        public String get(String carrier, String key) {
            return "traceparent".equals(key) ? carrier : null;
        }
    };

    private final Tracer tracer;

    Tracing(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer("io.sagashop");
    }

    /**
     * Starts a span that continues {@code parentTraceparent} (a new trace when null), linked to the current span (an
     * HTTP request's, if any) when that one belongs to another trace.
     */
    public Step start(String name, SpanKind kind, String parentTraceparent) {
        Context parent = parentTraceparent == null ? Context.current()
                : W3CTraceContextPropagator.getInstance().extract(Context.root(), parentTraceparent, TRACEPARENT);
        var builder = tracer.spanBuilder(name).setSpanKind(kind).setParent(parent);
        SpanContext current = Span.current().getSpanContext();
        if (parentTraceparent != null && current.isValid() && !current.getTraceId().equals(Span.fromContext(parent).getSpanContext().getTraceId())) {
            builder.addLink(current);
        }
        return new Step(builder.startSpan());
    }

    /** One started span. */
    public record Step(Span span) {

        /** The W3C {@code traceparent} of this span: what the events this step causes carry. */
        public String traceparent() {
            return Tracing.traceparent(span.getSpanContext());
        }

        public String traceId() {
            return span.getSpanContext().isValid() ? span.getSpanContext().getTraceId() : null;
        }

        public void end(Throwable failure) {
            if (failure != null) {
                span.recordException(failure);
                span.setStatus(StatusCode.ERROR);
            }
            span.end();
        }
    }

    static String traceparent(SpanContext context) {
        return context.isValid()
                ? "00-" + context.getTraceId() + "-" + context.getSpanId() + "-" + context.getTraceFlags().asHex()
                : null;
    }

    /** The {@code traceparent} Kafka header of a record, or null. */
    public static String traceparent(org.apache.kafka.common.header.Headers headers) {
        return io.sagashop.platform.messaging.RecordHeaders.value(headers, io.sagashop.contracts.Headers.TRACEPARENT);
    }

    /** The trace id of a {@code traceparent} ({@code 00-<trace id>-<span id>-<flags>}), or null. */
    public static String traceId(String traceparent) {
        if (traceparent == null) {
            return null;
        }
        String[] parts = traceparent.split("-");
        return parts.length >= 2 && parts[1].length() == 32 ? parts[1] : null;
    }
}
