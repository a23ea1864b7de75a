package com.example.ledger.tracing;

import io.grpc.Context;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Traces statement exports (OpenTelemetry) and bounds the downstream gRPC calls they make. */
public final class ExportTracing {

  private final Tracer tracer;
  private final ScheduledExecutorService deadlineTimer;

  public ExportTracing(Tracer tracer, ScheduledExecutorService deadlineTimer) {
    this.tracer = tracer;
    this.deadlineTimer = deadlineTimer;
  }

  /** The span is ended in finally and its scope closed by try-with-resources. */
  public <T> T traced(String operation, Callable<T> work) throws Exception {
    Span span = tracer.spanBuilder(operation).startSpan();
    try (Scope scope = span.makeCurrent()) {
      return work.call();
    } catch (Exception e) {
      span.setStatus(StatusCode.ERROR);
      span.recordException(e);
      throw e;
    } finally {
      span.end();
    }
  }

  /** Makes the span current but never ends it: the export's trace never completes. */
  public void exportBatch(String batchId, Runnable export) {
    Span span = tracer.spanBuilder("export-batch").startSpan(); // expect: NeverCancelledScope
    try (Scope scope = span.makeCurrent()) {
      span.setAttribute("batch.id", batchId);
      export.run();
    }
  }

  /** Bounds the downstream calls by a deadline and cancels the context on every path. */
  public void withDeadline(Runnable downstreamCalls, long seconds) {
    Context.CancellableContext context =
        Context.current().withDeadlineAfter(seconds, TimeUnit.SECONDS, deadlineTimer);
    try {
      context.run(downstreamCalls);
    } finally {
      context.cancel(null);
    }
  }

  /** Forks a cancellable context for the sync and never cancels it. */
  public void syncInBackground(Runnable sync) {
    Context.CancellableContext context = Context.current().withCancellation(); // expect: NeverCancelledScope
    context.run(sync);
  }
}
