package dev.leakprone.scope;

import static org.junit.Assume.assumeTrue;

import com.google.errorprone.BugCheckerRefactoringTestHelper;
import com.google.errorprone.CompilationTestHelper;
import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * NeverCancelledScope, compiled against the real gRPC, OpenTelemetry, Brave, Micrometer and Guava
 * artifacts on the test classpath.
 */
@RunWith(JUnit4.class)
public class NeverCancelledScopeTest {
  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(NeverCancelledScope.class, getClass());

  private final BugCheckerRefactoringTestHelper refactoring =
      BugCheckerRefactoringTestHelper.newInstance(NeverCancelledScope.class, getClass());

  // ==============================================================================================
  // gRPC Context.

  @Test
  public void grpcDeadlineContextNeverCancelled() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import io.grpc.Context;
            import io.grpc.Context.CancellableContext;
            import java.util.concurrent.*;
            class Test {
              void call(ScheduledExecutorService timer, Runnable rpc) {
                // BUG: Diagnostic contains: CancellableContext 'ctx' from withDeadlineAfter(…) is never cancelled: its deadline timer and listeners stay alive until the deadline fires; close it with try-with-resources or call ctx.cancel(null) in finally
                CancellableContext ctx = Context.current().withDeadlineAfter(5, TimeUnit.SECONDS, timer);
                ctx.run(rpc);
              }
              void discarded(Runnable rpc) {
                // BUG: Diagnostic contains: CancellableContext from withCancellation() is never cancelled: it stays registered as a listener of its parent context
                Context.current().withCancellation().run(rpc);
              }
            }
            """)
        .doTest();
  }

  @Test
  public void grpcContextCancelledOnlyOnSomePathsOrNotOnException() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import io.grpc.Context;
            import io.grpc.Context.CancellableContext;
            import io.grpc.Deadline;
            import java.util.concurrent.*;
            class Test {
              String call(Callable<String> work) throws Exception {
                // BUG: Diagnostic contains: CancellableContext 'ctx' from withCancellation() is not cancelled if an exception is thrown at line 9
                CancellableContext ctx = Context.current().withCancellation();
                String result = ctx.call(work);
                ctx.cancel(null);
                return result;
              }
              void maybe(Deadline deadline, ScheduledExecutorService timer, Runnable rpc, boolean done) {
                // BUG: Diagnostic contains: 'ctx' from withDeadline(…) is not cancelled on every path
                CancellableContext ctx = Context.current().withDeadline(deadline, timer);
                ctx.run(rpc);
                if (done) {
                  ctx.close();
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  public void grpcAttachWithoutDetach() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import io.grpc.Context;
            import java.util.concurrent.Callable;
            class Test {
              static final Context.Key<String> USER = Context.key("user");
              void enter(Context ctx) {
                // BUG: Diagnostic contains: previous Context from attach() is never passed to detach(…): the attached context stays current on this thread, so later work on the pooled thread runs with its deadline, cancellation and values; keep the returned context and call ctx.detach(previous) in finally
                ctx.attach();
              }
              void forgotten(Context ctx, Runnable work) {
                // BUG: Diagnostic contains: previous Context 'previous' from attach() is never passed to detach(…)
                Context previous = ctx.attach();
                work.run();
              }
              String notInFinally(Callable<String> work, String user) throws Exception {
                Context ctx = Context.current().withValue(USER, user);
                // BUG: Diagnostic contains: previous Context 'previous' from attach() is not passed to detach(…) if an exception is thrown at line 18
                Context previous = ctx.attach();
                String result = work.call();
                ctx.detach(previous);
                return result;
              }
            }
            """)
        .doTest();
  }

  @Test
  public void grpcNegatives() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import io.grpc.Context;
            import io.grpc.Context.CancellableContext;
            import java.util.concurrent.*;
            class Test {
              static final Context.Key<String> USER = Context.key("user");
              private CancellableContext current;
              void tryWithResources(ScheduledExecutorService timer, Runnable rpc) {
                try (CancellableContext ctx = Context.current().withDeadlineAfter(1, TimeUnit.SECONDS, timer)) {
                  ctx.run(rpc);
                }
              }
              void runInTryCancelInFinally(Runnable rpc) {
                CancellableContext ctx = Context.current().withCancellation();
                try {
                  ctx.run(rpc);
                } finally {
                  ctx.cancel(null);
                }
              }
              <V> V callInTryCancelInFinally(Callable<V> work) throws Exception {
                CancellableContext ctx = Context.current().withCancellation();
                try {
                  return ctx.call(work);
                } finally {
                  ctx.cancel(null);
                }
              }
              void wrapInTryCancelInFinally(Executor executor, Runnable task) {
                CancellableContext ctx = Context.current().withCancellation();
                try {
                  executor.execute(ctx.wrap(task));
                } finally {
                  ctx.cancel(new CancellationException("done"));
                }
              }
              CancellableContext returned() {
                return Context.current().withCancellation();
              }
              void storedAndCancelledInLifecycle() {
                current = Context.current().withCancellation();
              }
              void stop() {
                current.cancel(null);
              }
              void attachDetachInFinally(String user, Runnable work) {
                Context ctx = Context.current().withValue(USER, user);
                Context previous = ctx.attach();
                try {
                  work.run();
                } finally {
                  ctx.detach(previous);
                }
              }
              void detachAndCancel(Runnable work) {
                CancellableContext ctx = Context.current().withCancellation();
                Context previous = ctx.attach();
                try {
                  work.run();
                } finally {
                  ctx.detachAndCancel(previous, null);
                }
              }
              void borrowedContexts(Runnable work) {
                Context.current().withValue(USER, "u").run(work);
                Context.current().fork().wrap(work).run();
                Context.ROOT.run(work);
              }
              void cancelledInCallback(CompletableFuture<String> f) {
                CancellableContext ctx = Context.current().withCancellation();
                f.whenComplete((r, t) -> ctx.cancel(t));
              }
            }
            """)
        .doTest();
  }

  // ==============================================================================================
  // OpenTelemetry.

  @Test
  public void otelScopeNotClosed() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import io.opentelemetry.api.trace.Span;
            import io.opentelemetry.context.Context;
            import io.opentelemetry.context.Scope;
            import java.io.IOException;
            class Test {
              void work() throws IOException {}
              void spanScope(Span span) throws IOException {
                // BUG: Diagnostic contains: Scope 'scope' from makeCurrent() is never closed: the span or context stays current on this thread, so later work on the pooled thread runs under the wrong trace context; close it with try-with-resources
                Scope scope = span.makeCurrent();
                work();
              }
              void contextScope(Context ctx) throws IOException {
                // BUG: Diagnostic contains: Scope 'scope' from makeCurrent() is not closed if an exception is thrown at line 15
                Scope scope = ctx.makeCurrent();
                work();
                scope.close();
              }
              void discarded(Span span) {
                // BUG: Diagnostic contains: Scope from makeCurrent() is never closed
                span.makeCurrent();
              }
            }
            """)
        .doTest();
  }

  @Test
  public void otelSpanNotEnded() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import io.opentelemetry.api.trace.*;
            import io.opentelemetry.context.Scope;
            import java.io.IOException;
            import reactor.core.publisher.Mono;
            class Test {
              void work() throws IOException {}
              void neverEnded(Tracer tracer) throws IOException {
                // BUG: Diagnostic contains: Span 'span' from startSpan() is never ended: the span is never exported, so the trace shows it missing and its children orphaned; call span.end() in finally, or in the completion callback
                Span span = tracer.spanBuilder("load").setSpanKind(SpanKind.CLIENT).startSpan();
                try (Scope scope = span.makeCurrent()) {
                  work();
                }
              }
              void endedOnlyOnSuccess(Tracer tracer) throws IOException {
                // BUG: Diagnostic contains: Span 'span' from startSpan() is not ended if an exception is thrown at line 18
                Span span = tracer.spanBuilder("load").startSpan().setAttribute("k", "v");
                span.addEvent("begin");
                work();
                span.end();
              }
              Mono<String> notEndedByAnUnrelatedOperator(Tracer tracer, Mono<String> call) {
                // BUG: Diagnostic contains: Span 'span' from startSpan() is never ended
                Span span = tracer.spanBuilder("lost").startSpan();
                return call.map(String::trim);
              }
            }
            """)
        .doTest();
  }

  @Test
  public void otelNegatives() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import com.google.common.util.concurrent.*;
            import io.opentelemetry.api.trace.*;
            import io.opentelemetry.context.Context;
            import io.opentelemetry.context.Scope;
            import java.io.IOException;
            import java.util.concurrent.*;
            import reactor.core.publisher.Flux;
            import reactor.core.publisher.Mono;
            class Test {
              void work() throws IOException {}
              void idiomatic(Tracer tracer) throws IOException {
                Span span = tracer.spanBuilder("load").startSpan();
                try (Scope scope = span.makeCurrent()) {
                  work();
                } catch (IOException e) {
                  span.recordException(e);
                  span.setStatus(StatusCode.ERROR);
                  throw e;
                } finally {
                  span.end();
                }
              }
              Span returned(Tracer tracer) {
                return tracer.spanBuilder("child").startSpan();
              }
              CompletableFuture<String> endedInWhenComplete(Tracer tracer, CompletableFuture<String> call) {
                Span span = tracer.spanBuilder("async").startSpan();
                return call.whenComplete((r, t) -> span.end());
              }
              ListenableFuture<String> endedInListener(Tracer tracer, ListenableFuture<String> call) {
                Span span = tracer.spanBuilder("async").startSpan();
                call.addListener(span::end, MoreExecutors.directExecutor());
                return call;
              }
              void endedInCallback(Tracer tracer, ListenableFuture<String> call) {
                Span span = tracer.spanBuilder("async").startSpan();
                Futures.addCallback(call, new FutureCallback<String>() {
                  @Override public void onSuccess(String result) { span.end(); }
                  @Override public void onFailure(Throwable t) { span.recordException(t); span.end(); }
                }, MoreExecutors.directExecutor());
              }
              Mono<String> endedInReactorDoFinally(Tracer tracer, Mono<String> call) {
                Span span = tracer.spanBuilder("reactive").startSpan();
                return call.doFinally(signal -> span.end());
              }
              Flux<String> endedWhenTheFluxTerminates(Tracer tracer, Flux<String> rows) {
                Span span = tracer.spanBuilder("rows").startSpan();
                return rows.doOnTerminate(span::end).doOnCancel(span::end);
              }
              void contextScope(Span span) throws IOException {
                try (Scope scope = Context.current().with(span).makeCurrent()) {
                  work();
                }
              }
              void closedInFinally(Span span) throws IOException {
                Scope scope = span.makeCurrent();
                try {
                  work();
                } finally {
                  scope.close();
                }
              }
              void borrowed() {
                Span.current().addEvent("x");
                Span.current().setAttribute("k", 1L);
                Span.getInvalid().getSpanContext();
              }
              ExecutorService wrappedExecutor() {
                ExecutorService pool = Context.taskWrapping(Executors.newFixedThreadPool(2));
                return pool;
              }
            }
            """)
        .doTest();
  }

  // ==============================================================================================
  // Brave.

  @Test
  public void braveScopesAndSpansNotClosed() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import brave.*;
            import brave.propagation.*;
            import java.io.IOException;
            class Test {
              void work() throws IOException {}
              void spanInScope(Tracer tracer, Span span) throws IOException {
                // BUG: Diagnostic contains: SpanInScope 'ws' from withSpanInScope(…) is never closed: the span stays current on this thread, so later work on the pooled thread joins the wrong trace; close it with try-with-resources
                Tracer.SpanInScope ws = tracer.withSpanInScope(span);
                work();
              }
              void newScope(CurrentTraceContext current, TraceContext context) throws IOException {
                // BUG: Diagnostic contains: CurrentTraceContext.Scope 'scope' from newScope(…) is not closed if an exception is thrown at line 14
                CurrentTraceContext.Scope scope = current.newScope(context);
                work();
                scope.close();
              }
              void maybeScope(CurrentTraceContext current, TraceContext context) {
                // BUG: Diagnostic contains: CurrentTraceContext.Scope from maybeScope(…) is never closed
                current.maybeScope(context);
              }
              void scopedSpan(Tracer tracer) throws IOException {
                // BUG: Diagnostic contains: ScopedSpan 'span' from startScopedSpan(…) is never finished: the span is never reported and its trace context stays current
                ScopedSpan span = tracer.startScopedSpan("encode");
                span.tag("k", "v");
                work();
              }
              void startedSpan(Tracer tracer) throws IOException {
                // BUG: Diagnostic contains: Span 'span' from start() is not finished if an exception is thrown at line 30
                Span span = tracer.nextSpan().name("encode").start();
                work();
                span.finish();
              }
              void startedLater(Tracer tracer) {
                Span span = tracer.nextSpan().name("encode");
                // BUG: Diagnostic contains: Span 'span' from start() is never finished
                span.start();
                span.tag("k", "v");
              }
            }
            """)
        .doTest();
  }

  @Test
  public void braveNegatives() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import brave.*;
            import brave.propagation.*;
            import java.io.IOException;
            import java.util.concurrent.*;
            class Test {
              void work() throws IOException {}
              void idiomatic(Tracer tracer) throws IOException {
                Span span = tracer.nextSpan().name("encode").start();
                try (Tracer.SpanInScope ws = tracer.withSpanInScope(span)) {
                  work();
                } catch (RuntimeException | IOException e) {
                  span.error(e);
                  throw e;
                } finally {
                  span.finish();
                }
              }
              void scopedSpan(Tracer tracer) throws IOException {
                ScopedSpan span = tracer.startScopedSpan("encode");
                try {
                  work();
                } catch (IOException e) {
                  span.error(e);
                  throw e;
                } finally {
                  span.finish();
                }
              }
              void newScope(CurrentTraceContext current, TraceContext context) throws IOException {
                try (CurrentTraceContext.Scope scope = current.newScope(context)) {
                  work();
                }
              }
              void abandoned(Tracer tracer, boolean skip) {
                Span span = tracer.nextSpan().start();
                if (skip) {
                  span.abandon();
                } else {
                  span.finish();
                }
              }
              Span returned(Tracer tracer) {
                return tracer.nextSpan().name("child").start();
              }
              void finishedAsync(Tracer tracer, CompletableFuture<String> call) {
                Span span = tracer.nextSpan().start();
                call.whenComplete((r, t) -> {
                  if (t != null) span.error(t);
                  span.finish();
                });
              }
              void notStarted(Tracer tracer) {
                tracer.nextSpan().name("never started").context();
                tracer.currentSpan();
              }
            }
            """)
        .doTest();
  }

  // ==============================================================================================
  // Micrometer Observation.

  @Test
  public void micrometerScopeAndObservationNotReleased() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import io.micrometer.observation.*;
            import java.io.IOException;
            class Test {
              void work() throws IOException {}
              void scope(Observation observation) throws IOException {
                // BUG: Diagnostic contains: Observation.Scope 'scope' from openScope() is never closed: the observation stays current on this thread
                Observation.Scope scope = observation.openScope();
                work();
              }
              void startedNeverStopped(ObservationRegistry registry) throws IOException {
                Observation observation = Observation.createNotStarted("load", registry).lowCardinalityKeyValue("k", "v");
                // BUG: Diagnostic contains: Observation 'observation' from start() is never stopped: its handlers never see it stop
                observation.start();
                work();
              }
              void staticStart(ObservationRegistry registry) throws IOException {
                // BUG: Diagnostic contains: Observation 'observation' from start(…) is not stopped if an exception is thrown at line 19, and then its handlers never see it stop
                Observation observation = Observation.start("load", registry);
                work();
                observation.stop();
              }
              void chained(ObservationRegistry registry) {
                // BUG: Diagnostic contains: Observation 'observation' from start() is never stopped
                Observation observation = Observation.createNotStarted("load", registry).contextualName("c").start();
                observation.event(Observation.Event.of("e"));
              }
            }
            """)
        .doTest();
  }

  @Test
  public void micrometerNegatives() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import io.micrometer.observation.*;
            import java.io.IOException;
            import java.util.concurrent.CompletableFuture;
            class Test {
              void work() throws IOException {}
              void idiomatic(ObservationRegistry registry) throws IOException {
                Observation observation = Observation.createNotStarted("load", registry).start();
                try (Observation.Scope scope = observation.openScope()) {
                  work();
                } catch (IOException e) {
                  observation.error(e);
                  throw e;
                } finally {
                  observation.stop();
                }
              }
              void observe(ObservationRegistry registry) {
                Observation.createNotStarted("load", registry).observe(() -> {});
                Observation.createNotStarted("load", registry).lowCardinalityKeyValue("k", "v");
              }
              Observation returned(ObservationRegistry registry) {
                return Observation.start("load", registry);
              }
              void stoppedAsync(ObservationRegistry registry, CompletableFuture<String> call) {
                Observation observation = Observation.start("load", registry);
                call.whenComplete((r, t) -> observation.stop());
              }
              void scopeClosedInFinally(Observation observation) throws IOException {
                Observation.Scope scope = observation.openScope();
                try {
                  work();
                } finally {
                  scope.close();
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  public void startedThroughFluentSettersOnALocal() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import brave.*;
            import io.micrometer.observation.*;
            import java.io.IOException;
            class Test {
              void work() throws IOException {}
              void braveNeverFinished(Tracer tracer) {
                Span span = tracer.nextSpan();
                // BUG: Diagnostic contains: Span 'span' from start() is never finished
                span.name("encode").tag("k", "v").start();
                span.annotate("started");
              }
              void observationNeverStopped(ObservationRegistry registry) {
                Observation observation = Observation.createNotStarted("load", registry);
                // BUG: Diagnostic contains: Observation 'observation' from start() is never stopped
                ((Observation) observation.contextualName("load")).start();
              }
            }
            """)
        .doTest();
  }

  @Test
  public void startedObjectsThatAreFinishedOrOwnedElsewhere() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import brave.*;
            import io.micrometer.observation.*;
            import java.io.IOException;
            class Test {
              private final Observation observation;
              private final Span span;
              Test(Observation observation, Span span) {
                this.observation = observation;
                this.span = span;
              }
              void work() throws IOException {}
              void braveFluentThenFinished(Tracer tracer) throws IOException {
                Span span = tracer.nextSpan();
                span.name("encode").kind(Span.Kind.CLIENT).start();
                try {
                  work();
                } finally {
                  span.finish();
                }
              }
              void observationFluentThenStopped(ObservationRegistry registry) throws IOException {
                Observation observation = Observation.createNotStarted("load", registry);
                observation.contextualName("load").start();
                try {
                  work();
                } finally {
                  observation.stop();
                }
              }
              void begin() {
                observation.start();
                this.span.start();
              }
              void end() {
                observation.stop();
                span.finish();
              }
              void startedForTheCaller(Observation given, Span other) {
                given.start();
                other.name("x").start();
              }
            }
            """)
        .doTest();
  }

  // ==============================================================================================
  // java.util.Timer.

  @Test
  public void timerNeverCancelled() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.util.*;
            class Test {
              void remind(TimerTask task) {
                // BUG: Diagnostic contains: Timer 'timer' from new Timer() is never cancelled: it is a non-daemon timer: its thread (Timer-N) keeps running and keeps the JVM from exiting; call timer.cancel() when it is no longer needed
                Timer timer = new Timer();
                timer.schedule(task, 1000L);
              }
              void named(TimerTask task) {
                // BUG: Diagnostic contains: Timer 'timer' from new Timer(…) is never cancelled: it is a non-daemon timer
                Timer timer = new Timer("reminders", false);
                timer.schedule(task, 1000L, 1000L);
              }
              void daemon(TimerTask task) {
                // BUG: Diagnostic contains: Timer 'timer' from new Timer(…) is never cancelled: its thread (Timer-N) keeps running while tasks are scheduled
                Timer timer = new Timer(true);
                timer.schedule(task, 1000L);
              }
              void discarded(TimerTask task) {
                // BUG: Diagnostic contains: Timer from new Timer(…) is never cancelled
                new Timer("fire-and-forget").schedule(task, 10L);
              }
            }
            """)
        .doTest();
  }

  @Test
  public void timerNegatives() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.util.*;
            class Test implements AutoCloseable {
              private Timer timer;
              private final List<Timer> timers = new ArrayList<>();
              void start(TimerTask task) {
                timer = new Timer("heartbeat", true);
                timer.scheduleAtFixedRate(task, 0L, 1000L);
              }
              @Override public void close() {
                timer.cancel();
              }
              Timer returned() {
                return new Timer();
              }
              void cancelledInFinally(TimerTask task) throws InterruptedException {
                Timer t = new Timer();
                try {
                  t.schedule(task, 10L);
                  Thread.sleep(100);
                } finally {
                  t.cancel();
                }
              }
              void nullChecked(TimerTask task) throws InterruptedException {
                Timer t = null;
                try {
                  t = new Timer();
                  t.schedule(task, 10L);
                  Thread.sleep(100);
                } finally {
                  if (t != null) {
                    t.cancel();
                  }
                }
              }
              void collected() {
                timers.add(new Timer());
              }
              Owner handedToOwner() {
                return new Owner(new Timer(true));
              }
              static final class Owner {
                final Timer timer;
                Owner(Timer timer) { this.timer = timer; }
              }
            }
            """)
        .doTest();
  }

  // ==============================================================================================
  // Executors.

  /**
   * Issue #10 item 3: initializer blocks (static, instance, double-brace) and assert statements are
   * analysed by this check too (the ObligationChecker base visits them).
   */
  @Test
  public void initializerBlocksAndAssertsAreAnalysed() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.util.*;
            import java.util.concurrent.*;
            class Test {
              static final List<Future<?>> WARMUP = new ArrayList<>();
              static {
                // BUG: Diagnostic contains: ExecutorService 'pool' from newFixedThreadPool(…) is never shut down
                ExecutorService pool = Executors.newFixedThreadPool(2);
                WARMUP.add(pool.submit(() -> {}));
              }
              final List<Future<?>> jobs = new ArrayList<>();
              {
                // BUG: Diagnostic contains: ExecutorService 'pool' from newCachedThreadPool() is never shut down
                ExecutorService pool = Executors.newCachedThreadPool();
                jobs.add(pool.submit(() -> {}));
              }
              final List<String> names = new ArrayList<>() {{
                // BUG: Diagnostic contains: is never shut down
                Executors.newSingleThreadExecutor().execute(() -> add("x"));
              }};
              void check() {
                // BUG: Diagnostic contains: is never shut down
                assert Executors.newFixedThreadPool(1).submit(() -> {}) != null;
              }
              // Negatives: shut down in the initializer; an executor kept in a field.
              static {
                ExecutorService pool = Executors.newFixedThreadPool(2);
                try {
                  WARMUP.add(pool.submit(() -> {}));
                } finally {
                  pool.shutdown();
                }
              }
              static final ExecutorService SHARED;
              static {
                SHARED = Executors.newFixedThreadPool(2);
              }
            }
            """)
        .doTest();
  }

  @Test
  public void executorsNeverShutDown() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.util.*;
            import java.util.concurrent.*;
            class Test {
              int sum(List<Callable<Integer>> jobs) throws Exception {
                // BUG: Diagnostic contains: ExecutorService 'pool' from newFixedThreadPool(…) is never shut down: a thread pool is leaked per call: its non-daemon threads (pool-N-thread-M) stay alive after the method returns and keep the JVM from exiting; call pool.shutdown() in finally, or hand it to an owner that shuts it down
                ExecutorService pool = Executors.newFixedThreadPool(4);
                int sum = 0;
                for (Future<Integer> f : pool.invokeAll(jobs)) {
                  sum += f.get();
                }
                return sum;
              }
              void cached(Runnable job) {
                // BUG: Diagnostic contains: ExecutorService 'pool' from newCachedThreadPool() is never shut down: a thread pool is leaked per call: its threads (pool-N-thread-M) stay alive
                ExecutorService pool = Executors.newCachedThreadPool();
                pool.execute(job);
              }
              void constructed(Runnable job) {
                // BUG: Diagnostic contains: ThreadPoolExecutor 'pool' from new ThreadPoolExecutor(…) is never shut down
                ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 4, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
                pool.execute(job);
              }
              void scheduled(Runnable job) {
                // BUG: Diagnostic contains: ScheduledThreadPoolExecutor 'ses' from new ScheduledThreadPoolExecutor(…) is never shut down
                ScheduledThreadPoolExecutor ses = new ScheduledThreadPoolExecutor(1);
                ses.schedule(job, 1, TimeUnit.SECONDS);
              }
              long forkJoin(long[] values) {
                // BUG: Diagnostic contains: ForkJoinPool 'fj' from new ForkJoinPool(…) is never shut down: a thread pool is leaked per call: its threads (ForkJoinPool-N-worker-M) stay alive
                ForkJoinPool fj = new ForkJoinPool(4);
                return fj.submit(() -> Arrays.stream(values).parallel().sum()).join();
              }
              void shutDownOnOneBranch(Runnable job, boolean last) {
                // BUG: Diagnostic contains: ExecutorService 'pool' from newSingleThreadExecutor() is not shut down on every path
                ExecutorService pool = Executors.newSingleThreadExecutor();
                pool.execute(job);
                if (last) {
                  pool.shutdown();
                }
              }
              void notOnException(Callable<String> job) throws Exception {
                // BUG: Diagnostic contains: 'pool' from newWorkStealingPool() is not shut down if an exception is thrown at line 44
                ExecutorService pool = Executors.newWorkStealingPool();
                pool.submit(job).get();
                pool.shutdownNow();
              }
              void fireAndForget(Runnable job) {
                // BUG: Diagnostic contains: ExecutorService from newSingleThreadExecutor() is never shut down
                Executors.newSingleThreadExecutor().submit(job);
              }
            }
            """)
        .doTest();
  }

  @Test
  public void executorsInLoopsLambdasAndAnonymousClasses() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.util.*;
            import java.util.concurrent.*;
            import java.util.function.Consumer;
            class Test {
              void perJob(List<Runnable> jobs) {
                for (Runnable job : jobs) {
                  // BUG: Diagnostic contains: ExecutorService 'pool' from newSingleThreadExecutor() is created again on the next loop iteration while the previous one is never shut down
                  ExecutorService pool = Executors.newSingleThreadExecutor();
                  pool.submit(job);
                }
              }
              Consumer<Runnable> lambda() {
                return job -> {
                  // BUG: Diagnostic contains: ExecutorService 'pool' from newFixedThreadPool(…) is never shut down
                  ExecutorService pool = Executors.newFixedThreadPool(2);
                  pool.submit(job);
                };
              }
              Runnable anonymous(Runnable job) {
                return new Runnable() {
                  @Override public void run() {
                    // BUG: Diagnostic contains: ScheduledExecutorService 'ses' from newSingleThreadScheduledExecutor() is never shut down
                    ScheduledExecutorService ses = Executors.newSingleThreadScheduledExecutor();
                    ses.schedule(job, 1, TimeUnit.SECONDS);
                  }
                };
              }
            }
            """)
        .doTest();
  }

  /**
   * Issue #9, "holds nothing until used": a thread pool starts its threads with its first task, so
   * an exception thrown before that leaks nothing (grpc's GrpcUtil: a reflective call on a fresh
   * ScheduledThreadPoolExecutor before it is wrapped and returned). Once a task is given, directly
   * or by passing the pool to code that may give it one, the pool must be shut down.
   */
  @Test
  public void threadPoolsHoldNothingUntilTheirFirstTask() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.lang.reflect.Method;
            import java.util.concurrent.*;
            class Test {
              // Negative: only the reflective call before the first task can throw.
              static ScheduledExecutorService timerService() {
                ScheduledThreadPoolExecutor service = new ScheduledThreadPoolExecutor(1);
                try {
                  Method method = service.getClass().getMethod("setRemoveOnCancelPolicy", boolean.class);
                  method.invoke(service, true);
                } catch (NoSuchMethodException e) {
                  // old JDK
                } catch (Exception e) {
                  throw new RuntimeException(e);
                }
                return Executors.unconfigurableScheduledExecutorService(service);
              }
              // Negative: configured, then shut down in finally around its only use.
              void configured(Runnable job, int threads) throws Exception {
                ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
                pool.setCorePoolSize(Math.max(1, threads));
                pool.allowCoreThreadTimeOut(true);
                try {
                  pool.submit(job).get();
                } finally {
                  pool.shutdown();
                }
              }
              // Negative: a pool never given a task holds no thread.
              boolean neverUsed() {
                ExecutorService pool = Executors.newFixedThreadPool(4);
                return pool.isShutdown();
              }
              // Positive: a task is given, and an exception after it leaks the running pool.
              void usedThenThrows(Runnable job) throws Exception {
                // BUG: Diagnostic contains: is not shut down if an exception is thrown at line 38
                ExecutorService pool = Executors.newFixedThreadPool(2);
                Future<?> f = pool.submit(job);
                f.get();
                pool.shutdown();
              }
              // Positive: passed to code that runs tasks on it, never shut down.
              void passedOn(Runnable job) {
                // BUG: Diagnostic contains: ExecutorService 'pool' from newCachedThreadPool() is never shut down
                ExecutorService pool = Executors.newCachedThreadPool();
                CompletableFuture.runAsync(job, pool).join();
              }
              // Positive: a periodic task is the first use.
              void periodic(Runnable job) {
                // BUG: Diagnostic contains: is never shut down
                ScheduledExecutorService ses = Executors.newSingleThreadScheduledExecutor();
                ScheduledFuture<?> f = ses.scheduleAtFixedRate(job, 1, 1, TimeUnit.SECONDS);
                f.cancel(false);
              }
              // Positive: a Timer starts its thread in its constructor, so it is never dormant.
              void timer(Runnable job) {
                // BUG: Diagnostic contains: is never cancelled
                java.util.Timer timer = new java.util.Timer();
                job.run();
              }
            }
            """)
        .doTest();
  }

  /**
   * Issue #9 item 6: a daemon timer started once for the life of the process (h2's
   * ThreadDeadlockDetector: a lazily created singleton whose private constructor starts a daemon
   * timer) is a background service, not a leak; the same timer in a class made per request is one,
   * and so is a non-daemon timer, which keeps the JVM from exiting.
   */
  @Test
  public void daemonTimersOfSingletonsLiveAsLongAsTheProcess() {
    helper
        .addSourceLines(
            "Detector.java",
            """
            import java.util.Timer;
            import java.util.TimerTask;
            class Detector {
              private static Detector detector;
              private Detector() {
                new Timer("Detector", true).schedule(new TimerTask() {
                  @Override public void run() { check(); }
                }, 10, 10_000);
              }
              static synchronized void init() {
                if (detector == null) {
                  detector = new Detector();
                }
              }
              void check() {}
            }
            """)
        .addSourceLines(
            "Sweeper.java",
            """
            import java.util.Timer;
            import java.util.TimerTask;
            import java.util.concurrent.*;
            enum Sweeper {
              INSTANCE;
              Sweeper() {
                // BUG: Diagnostic contains: non-daemon timer
                new Timer("sweeper").schedule(new TimerTask() { @Override public void run() {} }, 10, 10);
              }
            }
            """)
        .addSourceLines(
            "Statics.java",
            """
            import java.util.Timer;
            import java.util.TimerTask;
            class Statics {
              static {
                new Timer("statics", true).schedule(new TimerTask() { @Override public void run() {} }, 10, 10);
              }
            }
            """)
        .addSourceLines(
            "PerRequest.java",
            """
            import java.util.Timer;
            import java.util.TimerTask;
            class PerRequest {
              PerRequest() {
                // BUG: Diagnostic contains: is never cancelled
                new Timer("per-request", true).schedule(new TimerTask() { @Override public void run() {} }, 10, 10);
              }
              static PerRequest create() {
                return new PerRequest();
              }
            }
            """)
        .doTest();
  }

  @Test
  public void executorNegatives() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import com.google.common.util.concurrent.*;
            import java.time.Duration;
            import java.util.*;
            import java.util.concurrent.*;
            import java.util.function.Supplier;
            class Test implements AutoCloseable {
              private ExecutorService workers;
              private final Map<String, ExecutorService> byTenant = new HashMap<>();
              void start() {
                workers = Executors.newFixedThreadPool(4);
              }
              @Override public void close() {
                workers.shutdownNow();
              }
              void shutDownInFinally(Runnable job) {
                ExecutorService pool = Executors.newSingleThreadExecutor();
                try {
                  pool.submit(job);
                } finally {
                  pool.shutdown();
                }
              }
              void guavaShutdown(Runnable job) {
                ExecutorService pool = Executors.newFixedThreadPool(2);
                try {
                  pool.submit(job);
                } finally {
                  MoreExecutors.shutdownAndAwaitTermination(pool, Duration.ofSeconds(5));
                }
              }
              void projectHelper(Runnable job) {
                ExecutorService pool = Executors.newFixedThreadPool(2);
                try {
                  pool.submit(job);
                } finally {
                  shutdownQuietly(pool);
                }
              }
              static void shutdownQuietly(ExecutorService pool) {
                pool.shutdownNow();
              }
              void decoratorShutDown(Runnable job) {
                ListeningExecutorService pool = MoreExecutors.listeningDecorator(Executors.newCachedThreadPool());
                try {
                  pool.submit(job);
                } finally {
                  pool.shutdown();
                }
              }
              ExecutorService returned() {
                return Executors.unconfigurableExecutorService(Executors.newFixedThreadPool(2));
              }
              void storedInMap(String tenant) {
                byTenant.put(tenant, Executors.newFixedThreadPool(2));
              }
              Service handedToOwner() {
                ScheduledExecutorService ses = Executors.newSingleThreadScheduledExecutor();
                return new Service(ses);
              }
              void exitingExecutor() {
                ExecutorService pool = MoreExecutors.getExitingExecutorService(
                    (ThreadPoolExecutor) Executors.newFixedThreadPool(2));
                pool.submit(() -> {});
              }
              void shutdownHook() {
                ExecutorService pool = Executors.newFixedThreadPool(2);
                Runtime.getRuntime().addShutdownHook(new Thread(pool::shutdown));
              }
              Supplier<ExecutorService> factory() {
                return () -> Executors.newFixedThreadPool(2);
              }
              void perJob(List<Runnable> jobs) throws InterruptedException {
                for (Runnable job : jobs) {
                  ExecutorService pool = Executors.newSingleThreadExecutor();
                  try {
                    pool.submit(job);
                  } finally {
                    pool.shutdown();
                  }
                }
              }
              void completionService(List<Callable<String>> jobs) throws Exception {
                ExecutorService pool = Executors.newFixedThreadPool(2);
                try {
                  CompletionService<String> cs = new ExecutorCompletionService<>(pool);
                  for (Callable<String> job : jobs) {
                    cs.submit(job);
                  }
                  cs.take().get();
                } finally {
                  pool.shutdownNow();
                }
              }
              void borrowed(ExecutorService pool, Runnable job) {
                pool.submit(job);
                ForkJoinPool.commonPool().submit(job);
                MoreExecutors.directExecutor().execute(job);
                MoreExecutors.newDirectExecutorService().submit(job);
              }
              static final class Service {
                private final ScheduledExecutorService ses;
                Service(ScheduledExecutorService ses) { this.ses = ses; }
              }
            }
            """)
        .doTest();
  }

  @Test
  public void executorsClosedByTryWithResourcesOnJdk21() {
    // ExecutorService is AutoCloseable from JDK 19, virtual threads are final in JDK 21.
    assumeTrue(Runtime.version().feature() >= 21);
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.util.List;
            import java.util.concurrent.*;
            class Test {
              void virtualThreads(List<Callable<String>> jobs) throws InterruptedException {
                try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                  pool.invokeAll(jobs);
                }
              }
              void closed(Runnable job) {
                ExecutorService pool = Executors.newFixedThreadPool(2);
                try {
                  pool.submit(job);
                } finally {
                  pool.close();
                }
              }
              void leaked(Runnable job) {
                // BUG: Diagnostic contains: ExecutorService 'pool' from newVirtualThreadPerTaskExecutor() is never shut down: an executor is leaked per call: nothing waits for its tasks and it is never terminated
                ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
                pool.submit(job);
              }
            }
            """)
        .doTest();
  }

  // ==============================================================================================
  // Periodic tasks.

  @Test
  public void periodicTaskThatCanNeverBeStopped() {
    helper
        .addSourceLines(
            "Watcher.java",
            """
            import java.util.concurrent.*;
            class Watcher {
              private final ScheduledExecutorService scheduler;
              Watcher(ScheduledExecutorService scheduler) {
                this.scheduler = scheduler;
              }
              void poll(String key) {}
              void watch(String key) {
                // BUG: Diagnostic contains: periodic task from scheduleAtFixedRate(…) can never be stopped: its ScheduledFuture is discarded and the executor outlives this method, so the task runs, keeping everything it captures reachable, until the executor shuts down; keep the ScheduledFuture and cancel it
                scheduler.scheduleAtFixedRate(() -> poll(key), 0, 1, TimeUnit.SECONDS);
              }
              void onParameter(ScheduledExecutorService ses, Runnable job) {
                // BUG: Diagnostic contains: periodic task from scheduleWithFixedDelay(…) can never be stopped
                ses.scheduleWithFixedDelay(job, 0, 1, TimeUnit.SECONDS);
              }
              void keptButNeverCancelled(ScheduledExecutorService ses, Runnable job) {
                // BUG: Diagnostic contains: ScheduledFuture 'f' from scheduleAtFixedRate(…) is never cancelled: the task runs, keeping everything it captures reachable, until the executor shuts down; call f.cancel(false)
                ScheduledFuture<?> f = ses.scheduleAtFixedRate(job, 0, 1, TimeUnit.SECONDS);
                f.isDone();
              }
              void inLoop(ScheduledExecutorService ses, Iterable<Runnable> jobs) {
                for (Runnable job : jobs) {
                  // BUG: Diagnostic contains: periodic task from scheduleAtFixedRate(…) can never be stopped
                  ses.scheduleAtFixedRate(job, 0, 1, TimeUnit.SECONDS);
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  public void periodicTaskNegatives() {
    helper
        .addSourceLines(
            "Poller.java",
            """
            import java.util.*;
            import java.util.concurrent.*;
            class Poller implements AutoCloseable {
              private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
              private final ScheduledExecutorService other;
              private ScheduledFuture<?> task;
              private final List<ScheduledFuture<?>> tasks = new ArrayList<>();
              Poller(ScheduledExecutorService other) {
                this.other = other;
              }
              void poll() {}
              void start() {
                scheduler.scheduleAtFixedRate(this::poll, 0, 1, TimeUnit.SECONDS);
                this.scheduler.scheduleWithFixedDelay(() -> poll(), 0, 1, TimeUnit.SECONDS);
              }
              void keep() {
                task = other.scheduleAtFixedRate(this::poll, 0, 1, TimeUnit.SECONDS);
                tasks.add(other.scheduleWithFixedDelay(this::poll, 0, 1, TimeUnit.SECONDS));
              }
              ScheduledFuture<?> returned() {
                return other.scheduleAtFixedRate(this::poll, 0, 1, TimeUnit.SECONDS);
              }
              void cancelled(long millis) throws InterruptedException {
                ScheduledFuture<?> f = other.scheduleAtFixedRate(this::poll, 0, 1, TimeUnit.SECONDS);
                try {
                  Thread.sleep(millis);
                } finally {
                  f.cancel(false);
                }
              }
              void localExecutorShutDown(Runnable job) throws InterruptedException {
                ScheduledExecutorService ses = Executors.newSingleThreadScheduledExecutor();
                try {
                  ses.scheduleAtFixedRate(job, 0, 10, TimeUnit.MILLISECONDS);
                  Thread.sleep(100);
                } finally {
                  ses.shutdownNow();
                }
              }
              ScheduledExecutorService localExecutorReturned(Runnable job) {
                ScheduledExecutorService ses = Executors.newSingleThreadScheduledExecutor();
                ses.scheduleAtFixedRate(job, 0, 10, TimeUnit.MILLISECONDS);
                return ses;
              }
              void oneShot(Runnable job) {
                other.schedule(job, 1, TimeUnit.SECONDS);
              }
              @Override public void close() {
                scheduler.shutdownNow();
                task.cancel(true);
              }
            }
            """)
        .addSourceLines(
            "SelfScheduling.java",
            """
            import java.util.concurrent.*;
            class SelfScheduling extends ScheduledThreadPoolExecutor {
              SelfScheduling() {
                super(1);
                scheduleAtFixedRate(() -> {}, 0, 1, TimeUnit.SECONDS);
              }
              void again() {
                this.scheduleAtFixedRate(() -> {}, 0, 1, TimeUnit.SECONDS);
              }
            }
            """)
        .addSourceLines(
            "Lifecycle.java",
            """
            import com.google.common.util.concurrent.MoreExecutors;
            import java.util.concurrent.*;
            class Lifecycle {
              private final ScheduledExecutorService a;
              private final ScheduledExecutorService b;
              private final ScheduledExecutorService c;
              Lifecycle(ScheduledExecutorService a, ScheduledExecutorService b, ScheduledExecutorService c) {
                this.a = a;
                this.b = b;
                this.c = c;
                Runtime.getRuntime().addShutdownHook(new Thread(this.c::shutdown));
              }
              void start(Runnable job) {
                a.scheduleAtFixedRate(job, 0, 1, TimeUnit.SECONDS);
                b.scheduleAtFixedRate(job, 0, 1, TimeUnit.SECONDS);
                c.scheduleAtFixedRate(job, 0, 1, TimeUnit.SECONDS);
              }
              void stop() {
                MoreExecutors.shutdownAndAwaitTermination(a, 5, TimeUnit.SECONDS);
                b.shutdownNow();
              }
            }
            """)
        .doTest();
  }

  // ==============================================================================================
  // Loops, lambdas, anonymous classes and owners, across the families.

  @Test
  public void scopesInLoopsLambdasAndAnonymousClasses() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import io.grpc.Context;
            import io.grpc.Context.CancellableContext;
            import io.opentelemetry.api.trace.*;
            import io.opentelemetry.context.Scope;
            import java.util.*;
            import java.util.function.Consumer;
            class Test {
              void spanPerItem(Tracer tracer, List<String> items) {
                for (String item : items) {
                  // BUG: Diagnostic contains: Span 'span' from startSpan() is created again on the next loop iteration while the previous one is never ended
                  Span span = tracer.spanBuilder(item).startSpan();
                  span.addEvent(item);
                }
              }
              Runnable scopeInLambda(Span span, Runnable work) {
                return () -> {
                  // BUG: Diagnostic contains: Scope 'scope' from makeCurrent() is never closed
                  Scope scope = span.makeCurrent();
                  work.run();
                };
              }
              Consumer<Runnable> contextInAnonymousClass() {
                return new Consumer<Runnable>() {
                  @Override public void accept(Runnable rpc) {
                    // BUG: Diagnostic contains: CancellableContext 'ctx' from withCancellation() is never cancelled
                    CancellableContext ctx = Context.current().withCancellation();
                    ctx.run(rpc);
                  }
                };
              }
              Runnable timerInLambda(TimerTask task) {
                // BUG: Diagnostic contains: Timer from new Timer() is never cancelled: it is a non-daemon timer
                return () -> new Timer().schedule(task, 10L);
              }
            }
            """)
        .doTest();
  }

  @Test
  public void scopesReleasedInLoopsLambdasAndAnonymousClasses() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import io.grpc.Context;
            import io.grpc.Context.CancellableContext;
            import io.opentelemetry.api.trace.*;
            import io.opentelemetry.context.Scope;
            import java.util.*;
            import java.util.concurrent.*;
            import java.util.function.*;
            class Test {
              void spanPerItem(Tracer tracer, List<String> items) {
                for (String item : items) {
                  Span span = tracer.spanBuilder(item).startSpan();
                  try (Scope scope = span.makeCurrent()) {
                    span.addEvent(item);
                  } finally {
                    span.end();
                  }
                }
              }
              void contextPerCall(List<Runnable> rpcs) {
                for (Runnable rpc : rpcs) {
                  try (CancellableContext ctx = Context.current().withCancellation()) {
                    ctx.run(rpc);
                  }
                }
              }
              void whileLoopWithBreak(Queue<Runnable> jobs) {
                while (true) {
                  Runnable job = jobs.poll();
                  if (job == null) {
                    break;
                  }
                  ExecutorService pool = Executors.newSingleThreadExecutor();
                  try {
                    pool.submit(job);
                  } finally {
                    pool.shutdown();
                  }
                }
              }
              Runnable scopeInLambda(Span span, Runnable work) {
                return () -> {
                  try (Scope scope = span.makeCurrent()) {
                    work.run();
                  }
                };
              }
              Supplier<Span> spanFactory(Tracer tracer) {
                return () -> tracer.spanBuilder("lazy").startSpan();
              }
              Function<Runnable, Timer> timerFactory() {
                return task -> {
                  Timer timer = new Timer(true);
                  timer.schedule(new TimerTask() { @Override public void run() { task.run(); } }, 10L);
                  return timer;
                };
              }
              Runnable anonymous(Runnable rpc) {
                return new Runnable() {
                  @Override public void run() {
                    CancellableContext ctx = Context.current().withCancellation();
                    try {
                      ctx.run(rpc);
                    } finally {
                      ctx.cancel(null);
                    }
                  }
                };
              }
              Runnable capturedByAnonymousClass() {
                Timer timer = new Timer();
                return new Runnable() {
                  @Override public void run() { timer.cancel(); }
                };
              }
            }
            """)
        .doTest();
  }

  @Test
  public void handedToTheConstructorOfAnOwner() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import io.grpc.Context;
            import io.grpc.Context.CancellableContext;
            import io.opentelemetry.api.trace.*;
            import java.util.*;
            import java.util.concurrent.*;
            class Test {
              record Call(CancellableContext context, Span span) {}
              static final class Heartbeat {
                private final Timer timer;
                private final ScheduledExecutorService ses;
                Heartbeat(Timer timer, ScheduledExecutorService ses) {
                  this.timer = timer;
                  this.ses = ses;
                }
                void stop() {
                  timer.cancel();
                  ses.shutdownNow();
                }
              }
              private Heartbeat heartbeat;
              private final List<Call> calls = new ArrayList<>();
              Call start(Tracer tracer) {
                CancellableContext ctx = Context.current().withCancellation();
                Span span = tracer.spanBuilder("call").startSpan();
                return new Call(ctx, span);
              }
              void track(Tracer tracer) {
                calls.add(new Call(Context.current().withCancellation(), tracer.spanBuilder("call").startSpan()));
              }
              void startHeartbeat() {
                Timer timer = new Timer("heartbeat", true);
                ScheduledExecutorService ses = Executors.newSingleThreadScheduledExecutor();
                heartbeat = new Heartbeat(timer, ses);
              }
            }
            """)
        .doTest();
  }

  @Test
  public void unclosedResourceDoesNotReportWhatThisCheckOwns() {
    CompilationTestHelper.newInstance(dev.leakprone.resource.UnclosedResource.class, getClass())
        .addSourceLines(
            "Test.java",
            """
            import brave.Tracer;
            import io.grpc.Context;
            import io.grpc.Context.CancellableContext;
            import io.micrometer.observation.Observation;
            import java.util.Timer;
            import java.util.concurrent.*;
            class Test {
              void owned(Tracer tracer, brave.Span span, Observation observation) {
                ExecutorService pool = Executors.newFixedThreadPool(2);
                ThreadPoolExecutor tpe = new ThreadPoolExecutor(1, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
                ForkJoinPool fj = new ForkJoinPool();
                CancellableContext ctx = Context.current().withCancellation();
                Tracer.SpanInScope ws = tracer.withSpanInScope(span);
                Observation.Scope scope = observation.openScope();
                Timer timer = new Timer();
              }
            }
            """)
        .doTest();
  }

  // ==============================================================================================
  // StructuredTaskScope (JDK 25 preview API).

  @Test
  public void structuredTaskScope() {
    // The preview API differs between JDKs (JDK 25: StructuredTaskScope.open()); the check looks
    // the type up by name and skips it where the compilation does not have it.
    assumeTrue(Runtime.version().feature() == 25);
    helper
        .setArgs(List.of("--enable-preview", "--release", "25"))
        .addSourceLines(
            "Test.java",
            """
            import java.util.concurrent.StructuredTaskScope;
            class Test {
              String leaked() throws InterruptedException {
                // BUG: Diagnostic contains: StructuredTaskScope 'scope' from open() is never closed: its forked threads are neither cancelled nor joined and the scope stays open on this thread; close it with try-with-resources
                var scope = StructuredTaskScope.open();
                var task = scope.fork(() -> "x");
                scope.join();
                return task.get();
              }
              String closed() throws InterruptedException {
                try (var scope = StructuredTaskScope.open()) {
                  var task = scope.fork(() -> "x");
                  scope.join();
                  return task.get();
                }
              }
            }
            """)
        .doTest();
  }

  // ==============================================================================================
  // Configured scope types.

  @Test
  public void configuredScopeTypes() {
    helper
        .setArgs("-XepOpt:LeakProne:ScopeTypes=com.acme.Lease:release|revoke,com.acme.Session")
        .addSourceLines(
            "Lease.java",
            """
            package com.acme;
            public class Lease {
              public static Lease current() { return null; }
              public static Lease of(String name) { return new Lease(); }
              public Lease renew() { return this; }
              public void release() {}
              public void revoke(String why) {}
            }
            """)
        .addSourceLines(
            "Session.java",
            """
            package com.acme;
            public class Session implements AutoCloseable {
              @Override public void close() {}
            }
            """)
        .addSourceLines(
            "Pool.java",
            """
            package com.acme;
            public class Pool {
              public Lease acquire() { return new Lease(); }
              public Lease getLease() { return null; }
              public Session open() { return new Session(); }
            }
            """)
        .addSourceLines(
            "Test.java",
            """
            import com.acme.*;
            class Test {
              void leaks(Pool pool) {
                // BUG: Diagnostic contains: Lease 'lease' from acquire() is never released: what it holds stays held (it is a scope type listed in -XepOpt:LeakProne:ScopeTypes); call lease.release() or lease.revoke() in finally
                Lease lease = pool.acquire();
                lease.renew();
                // BUG: Diagnostic contains: Lease 'made' from new Lease() is never released
                Lease made = new Lease();
                // BUG: Diagnostic contains: Session 'session' from open() is never released: what it holds stays held (it is a scope type listed in -XepOpt:LeakProne:ScopeTypes); call session.close() in finally, or use try-with-resources
                Session session = pool.open();
              }
              void released(Pool pool) {
                Lease lease = pool.acquire();
                try {
                  lease.renew();
                } finally {
                  lease.release();
                }
                Lease other = pool.acquire();
                other.revoke("done");
                try (Session session = pool.open()) {
                  lease.renew();
                }
              }
              void notAcquisitions(Pool pool) {
                Lease.current();
                Lease.of("static factories are not known to acquire");
                pool.getLease();
                Lease renewed = Lease.current().renew();
              }
              Lease returned(Pool pool) {
                return pool.acquire();
              }
            }
            """)
        .doTest();
  }

  /**
   * A malformed ScopeTypes value fails the compilation with one compiler error, no crash (its text,
   * which names NeverCancelledScope, is asserted through the real javac in FlagErrorsTest).
   */
  @Test
  public void malformedScopeTypesFlagFailsTheCompilation() {
    helper
        .setArgs("-XepOpt:LeakProne:ScopeTypes=bad")
        .addSourceLines("Test.java", "class Test {}")
        .expectResult(com.sun.tools.javac.main.Main.Result.ERROR)
        .doTest();
  }

  // ==============================================================================================
  // Suppression and robustness.

  @Test
  public void suppressedOnVariableAndMethod() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.util.concurrent.*;
            class Test {
              void variable(Runnable job) {
                @SuppressWarnings("NeverCancelledScope")
                ExecutorService pool = Executors.newSingleThreadExecutor();
                pool.submit(job);
              }
              @SuppressWarnings("NeverCancelledScope")
              void method(Runnable job) {
                ExecutorService pool = Executors.newSingleThreadExecutor();
                pool.submit(job);
              }
            }
            """)
        .doTest();
  }

  @Test
  public void unusualCodeDoesNotBreakTheCheck() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import io.grpc.Context;
            import io.opentelemetry.api.trace.Span;
            import io.opentelemetry.context.Scope;
            import java.util.*;
            import java.util.concurrent.*;
            import java.util.function.*;
            class Test<E extends ExecutorService> {
              record Holder(ExecutorService pool) {}
              enum Mode { A, B }
              @SuppressWarnings({"rawtypes", "unchecked"})
              Object raw(Mode mode, Supplier<E> supplier) {
                ExecutorService pool = switch (mode) {
                  case A -> Executors.newFixedThreadPool(1);
                  case B -> Executors.newCachedThreadPool();
                };
                List list = new ArrayList();
                list.add(pool);
                E typed = supplier.get();
                typed.shutdown();
                return list;
              }
              Holder record() {
                var pool = Executors.newSingleThreadExecutor();
                return new Holder(pool);
              }
              void labelledLoops(Span span, int n) {
                outer:
                for (int i = 0; i < n; i++) {
                  try (Scope s = span.makeCurrent()) {
                    for (int j = 0; j < n; j++) {
                      if (j == i) continue outer;
                      if (j > i) break outer;
                    }
                  }
                }
              }
              void synchronizedAndNested(Object lock, Runnable job) {
                synchronized (lock) {
                  ExecutorService pool = Executors.newSingleThreadExecutor();
                  try {
                    Runnable r = () -> { Context.current().withCancellation().close(); };
                    pool.submit(r);
                  } finally {
                    pool.shutdown();
                  }
                }
              }
              void conditional(boolean b) {
                ExecutorService pool = b ? Executors.newFixedThreadPool(1) : null;
                if (pool != null) {
                  pool.shutdown();
                }
              }
              static final Function<Integer, ExecutorService> POOLS = Executors::newFixedThreadPool;
              static { Executors.newCachedThreadPool().shutdown(); }
              Test() {
                Timer t = new Timer(true);
                t.cancel();
              }
            }
            """)
        .doTest();
  }

  // ==============================================================================================
  // The suggested fix.

  @Test
  public void fixConvertsScopesToTryWithResources() {
    refactoring
        .addInputLines(
            "Test.java",
            """
            import io.grpc.Context;
            import io.grpc.Context.CancellableContext;
            import io.opentelemetry.api.trace.Span;
            import io.opentelemetry.context.Scope;
            import java.util.concurrent.Callable;
            class Test {
              String traced(Span span, Callable<String> work) throws Exception {
                Scope scope = span.makeCurrent();
                String result = work.call();
                scope.close();
                return result;
              }
              void cancellable(Runnable rpc) {
                CancellableContext ctx = Context.current().withCancellation();
                ctx.run(rpc);
              }
            }
            """)
        .addOutputLines(
            "Test.java",
            """
            import io.grpc.Context;
            import io.grpc.Context.CancellableContext;
            import io.opentelemetry.api.trace.Span;
            import io.opentelemetry.context.Scope;
            import java.util.concurrent.Callable;
            class Test {
              String traced(Span span, Callable<String> work) throws Exception {
                try (Scope scope = span.makeCurrent()) {
                  String result = work.call();
                  return result;
                }
              }
              void cancellable(Runnable rpc) {
                try (CancellableContext ctx = Context.current().withCancellation()) {
                  ctx.run(rpc);
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  public void noFixForExecutorsSpansOrEscapingScopes() {
    refactoring
        .addInputLines(
            "Test.java",
            """
            import io.opentelemetry.api.trace.*;
            import io.opentelemetry.context.Scope;
            import java.util.concurrent.*;
            class Test {
              private Scope kept;
              void pool(Runnable job) {
                ExecutorService pool = Executors.newFixedThreadPool(2);
                pool.submit(job);
              }
              void span(Tracer tracer) {
                Span span = tracer.spanBuilder("x").startSpan();
                span.addEvent("e");
              }
              void maybeKept(Span span, boolean keep) {
                Scope scope = span.makeCurrent();
                if (keep) {
                  kept = scope;
                }
              }
            }
            """)
        .expectUnchanged()
        .doTest();
  }
}
