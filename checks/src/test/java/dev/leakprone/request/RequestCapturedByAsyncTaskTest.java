package dev.leakprone.request;

import static org.junit.Assume.assumeTrue;

import com.google.errorprone.CompilationTestHelper;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * RequestCapturedByAsyncTask, compiled against the real servlet (javax and jakarta), Spring,
 * JAX-RS, Vert.x, Undertow, Netty and Reactor artifacts on the test classpath.
 */
@RunWith(JUnit4.class)
public class RequestCapturedByAsyncTaskTest {
  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(RequestCapturedByAsyncTask.class, getClass());

  // ==============================================================================================
  // Positives.

  @Test
  public void lambdaCapturingServletRequestOnExecutor() {
    helper
        .addSourceLines(
            "AuditFilter.java",
            """
            import jakarta.servlet.*;
            import jakarta.servlet.http.*;
            import java.io.IOException;
            import java.util.concurrent.Executor;
            class AuditFilter extends HttpFilter {
              private final Executor background;
              AuditFilter(Executor background) { this.background = background; }
              @Override
              protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                  throws IOException, ServletException {
                // BUG: Diagnostic contains: a lambda run by execute(…) captures HttpServletRequest 'request', and nothing waits for it before the handler returns: the server recycles the request and response objects when the request completes, so the task may read another user's data or fail on a recycled object, and the task keeps it reachable meanwhile; copy what the task needs before starting it (e.g. String clientIp = request.getRemoteAddr();), or call request.startAsync() and complete() its AsyncContext at the end of the task
                background.execute(() -> System.out.println(request.getRemoteAddr()));
                chain.doFilter(request, response);
              }
            }
            """)
        .doTest();
  }

  @Test
  public void submittedFutureDroppedOrAwaitedOnSomePaths() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import javax.servlet.http.*;
            import java.util.concurrent.*;
            class Test {
              ExecutorService pool;
              void dropped(HttpServletRequest req) {
                // BUG: Diagnostic contains: a lambda run by submit(…) captures HttpServletRequest 'req', and its Future is neither awaited nor returned
                pool.submit(() -> req.getHeader("X-User"));
              }
              void somePaths(HttpServletRequest req, boolean wait) throws Exception {
                // BUG: Diagnostic contains: on some paths its Future is neither awaited nor handed on
                Future<String> f = pool.submit(() -> req.getHeader("X-User"));
                if (wait) {
                  f.get();
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  public void anonymousLocalClassAndMethodReference() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import io.vertx.ext.web.RoutingContext;
            import java.util.Timer;
            import java.util.TimerTask;
            import java.util.concurrent.*;
            class Test {
              ExecutorService pool;
              Timer timer;
              void anonymous(RoutingContext ctx) {
                // BUG: Diagnostic contains: an anonymous class run by schedule(…) captures RoutingContext 'ctx'
                timer.schedule(new TimerTask() {
                  @Override public void run() { ctx.response().end(); }
                }, 1000);
              }
              void local(RoutingContext ctx) {
                class Job implements Runnable {
                  public void run() { ctx.next(); }
                }
                // BUG: Diagnostic contains: a local class run by execute(…) captures RoutingContext 'ctx'
                pool.execute(new Job());
              }
              void reference(RoutingContext ctx) {
                // BUG: Diagnostic contains: a method reference run by execute(…) captures RoutingContext 'ctx'
                pool.execute(ctx::next);
              }
            }
            """)
        .doTest();
  }

  @Test
  public void threadsStartedAndNotJoined() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import io.undertow.server.HttpServerExchange;
            class Test {
              void started(HttpServerExchange exchange) {
                // BUG: Diagnostic contains: a lambda run by new Thread(…) captures HttpServerExchange 'exchange', and its Thread is neither awaited nor returned
                new Thread(() -> System.out.println(exchange.getRequestPath())).start();
              }
              void subclass(HttpServerExchange exchange) {
                // BUG: Diagnostic contains: HttpServerExchange 'exchange' is passed to new Worker(…)
                new Worker(exchange).start();
              }
              static class Worker extends Thread {
                final HttpServerExchange exchange;
                Worker(HttpServerExchange exchange) { this.exchange = exchange; }
                @Override public void run() { System.out.println(exchange.getRequestPath()); }
              }
            }
            """)
        .doTest();
  }

  @Test
  public void completableFutureAsyncAndContinuations() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import org.springframework.web.server.ServerWebExchange;
            import java.util.concurrent.CompletableFuture;
            class Test {
              void runAsync(ServerWebExchange exchange) {
                // BUG: Diagnostic contains: captures ServerWebExchange 'exchange', and its CompletableFuture is neither awaited nor returned
                CompletableFuture.runAsync(() -> System.out.println(exchange.getRequest().getPath()));
              }
              void continuation(ServerWebExchange exchange, CompletableFuture<String> lookup) {
                // BUG: Diagnostic contains: a lambda run by thenAcceptAsync(…) captures ServerWebExchange 'exchange'
                lookup.thenAcceptAsync(v -> exchange.getAttributes().put("v", v));
              }
            }
            """)
        .doTest();
  }

  @Test
  public void taskHeldInVarOrBuiltByHelperOrNested() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import jakarta.servlet.http.HttpServletRequest;
            import java.util.List;
            import java.util.concurrent.*;
            class Test {
              ExecutorService pool;
              void heldInVar(HttpServletRequest request) {
                var task = (Runnable) () -> System.out.println(request.getRequestURI());
                // BUG: Diagnostic contains: a lambda run by execute(…) captures HttpServletRequest 'request'
                pool.execute(task);
              }
              void helper(HttpServletRequest request) {
                // BUG: Diagnostic contains: the task built by audit(…) run by execute(…) captures HttpServletRequest 'request'
                pool.execute(audit(request));
              }
              Runnable audit(HttpServletRequest r) {
                return () -> System.out.println(r.getRemoteAddr());
              }
              void nested(HttpServletRequest request, List<String> names) {
                // BUG: Diagnostic contains: captures HttpServletRequest 'request'
                pool.execute(() -> names.forEach(n -> System.out.println(request.getHeader(n))));
              }
              void spawnInNestedLambda(HttpServletRequest request, List<String> names) {
                // BUG: Diagnostic contains: captures HttpServletRequest 'request'
                names.forEach(n -> pool.execute(() -> System.out.println(request.getHeader(n))));
              }
            }
            """)
        .doTest();
  }

  @Test
  public void injectedRequestFieldOfEnclosingInstance() {
    helper
        .addSourceLines(
            "Resource.java",
            """
            import jakarta.ws.rs.GET;
            import jakarta.ws.rs.Path;
            import jakarta.ws.rs.core.Context;
            import jakarta.ws.rs.core.HttpHeaders;
            import java.util.concurrent.Executor;
            @Path("/orders")
            class Resource {
              @Context HttpHeaders headers;
              Executor executor;
              @GET
              public String get() {
                // BUG: Diagnostic contains: a lambda run by execute(…) captures HttpHeaders 'headers'
                executor.execute(() -> System.out.println(headers.getHeaderString("X-User")));
                return "ok";
              }
            }
            """)
        .doTest();
  }

  @Test
  public void springSchedulersAndAsyncMethod() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import jakarta.servlet.http.HttpServletRequest;
            import org.springframework.core.task.AsyncTaskExecutor;
            import org.springframework.scheduling.TaskScheduler;
            import org.springframework.scheduling.annotation.Async;
            import java.time.Instant;
            class Test {
              AsyncTaskExecutor tasks;
              TaskScheduler scheduler;
              Auditor auditor;
              void submit(HttpServletRequest request) {
                // BUG: Diagnostic contains: run by submit(…) captures HttpServletRequest 'request'
                tasks.submit(() -> request.getRemoteUser());
              }
              void schedule(HttpServletRequest request) {
                // BUG: Diagnostic contains: run by schedule(…) captures HttpServletRequest 'request'
                scheduler.schedule(() -> request.getRemoteUser(), Instant.now());
              }
              void async(HttpServletRequest request) {
                // BUG: Diagnostic contains: HttpServletRequest 'request' is passed to @Async method record(…), which runs on another thread
                auditor.record(request);
              }
              static class Auditor {
                @Async
                void record(HttpServletRequest request) {}
              }
            }
            """)
        .doTest();
  }

  @Test
  public void reactorSchedulerResultDropped() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import org.springframework.web.reactive.function.server.ServerRequest;
            import reactor.core.scheduler.Schedulers;
            class Test {
              void handle(ServerRequest request) {
                // BUG: Diagnostic contains: run by schedule(…) captures ServerRequest 'request'
                Schedulers.boundedElastic().schedule(() -> System.out.println(request.path()));
              }
            }
            """)
        .doTest();
  }

  @Test
  public void nettyMessageReleasedWhenChannelRead0Returns() {
    helper
        .addSourceLines(
            "Handler.java",
            """
            import io.netty.channel.ChannelHandlerContext;
            import io.netty.channel.SimpleChannelInboundHandler;
            import io.netty.handler.codec.http.FullHttpRequest;
            import java.util.concurrent.Executor;
            class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
              Executor executor;
              @Override
              protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
                // BUG: Diagnostic contains: captures FullHttpRequest 'msg', and nothing waits for it before the handler returns: the server recycles the message (SimpleChannelInboundHandler releases it when channelRead0 returns)
                executor.execute(() -> System.out.println(msg.content().readableBytes()));
              }
            }
            """)
        .doTest();
  }

  @Test
  public void virtualThreads() {
    assumeTrue(Runtime.version().feature() >= 21);
    helper
        .addSourceLines(
            "Test.java",
            """
            import com.sun.net.httpserver.HttpExchange;
            class Test {
              void handle(HttpExchange exchange) {
                // BUG: Diagnostic contains: run by startVirtualThread(…) captures HttpExchange 'exchange'
                Thread.startVirtualThread(() -> System.out.println(exchange.getRequestURI()));
              }
              void builder(HttpExchange exchange) {
                // BUG: Diagnostic contains: run by start(…) captures HttpExchange 'exchange'
                Thread.ofVirtual().start(() -> System.out.println(exchange.getRequestURI()));
              }
            }
            """)
        .doTest();
  }

  @Test
  public void configuredSpawningMethodAndRequestType() {
    helper
        .addSourceLines(
            "Test.java",
            """
            package com.acme;
            class Test {
              static class RequestContext {}
              static class Jobs { static void launch(Runnable r) {} }
              void handle(RequestContext ctx) {
                // BUG: Diagnostic contains: run by launch(…) captures RequestContext 'ctx'
                Jobs.launch(() -> System.out.println(ctx));
              }
            }
            """)
        .setArgs(
            "-XepOpt:LeakProne:SpawningMethods=com.acme.Test.Jobs#launch",
            "-XepOpt:LeakProne:RequestTypes=com.acme.Test.RequestContext")
        .doTest();
  }

  // ==============================================================================================
  // Negatives.

  @Test
  public void copiedValuesAreTheFix() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import jakarta.servlet.http.HttpServletRequest;
            import java.util.concurrent.Executor;
            class Test {
              record Audit(String ip, String user) {}
              Executor executor;
              void handle(HttpServletRequest request) {
                // The fix: the task captures strings and a record of strings, not the request.
                String clientIp = request.getRemoteAddr();
                Audit audit = new Audit(clientIp, request.getRemoteUser());
                executor.execute(() -> System.out.println(clientIp + audit));
                executor.execute(task(request.getRequestURI()));
              }
              Runnable task(String uri) { return () -> System.out.println(uri); }
            }
            """)
        .doTest();
  }

  @Test
  public void awaitedBeforeReturning() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import jakarta.servlet.http.HttpServletRequest;
            import java.util.List;
            import java.util.concurrent.*;
            class Test {
              ExecutorService pool;
              String get(HttpServletRequest request) throws Exception {
                Future<String> f = pool.submit(() -> request.getHeader("X"));
                return f.get() + "!";
              }
              String join(HttpServletRequest request) {
                return CompletableFuture.supplyAsync(() -> request.getHeader("X")).join();
              }
              void joined(HttpServletRequest request) throws InterruptedException {
                Thread t = new Thread(() -> System.out.println(request.getRemoteAddr()));
                t.start();
                t.join();
              }
              void invokeAll(HttpServletRequest request) throws InterruptedException {
                pool.invokeAll(List.of(() -> request.getHeader("A"), () -> request.getHeader("B")));
              }
              void allOf(HttpServletRequest request) {
                CompletableFuture<Void> a = CompletableFuture.runAsync(() -> request.getHeader("A"));
                CompletableFuture<Void> b = CompletableFuture.runAsync(() -> request.getHeader("B"));
                CompletableFuture.allOf(a, b).join();
              }
              void continuationJoined(HttpServletRequest request) {
                CompletableFuture.supplyAsync(() -> 1).thenApply(x -> request.getHeader("A")).join();
              }
            }
            """)
        .doTest();
  }

  @Test
  public void perCallExecutorAwaitedAndLatch() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import jakarta.servlet.http.HttpServletRequest;
            import java.util.concurrent.*;
            class Test {
              Executor shared;
              void awaited(HttpServletRequest request) throws InterruptedException {
                ExecutorService pool = Executors.newFixedThreadPool(2);
                pool.execute(() -> System.out.println(request.getHeader("A")));
                pool.submit(() -> System.out.println(request.getHeader("B")));
                pool.shutdown();
                pool.awaitTermination(1, TimeUnit.MINUTES);
              }
              void latch(HttpServletRequest request) throws InterruptedException {
                CountDownLatch done = new CountDownLatch(1);
                shared.execute(() -> {
                  System.out.println(request.getHeader("A"));
                  done.countDown();
                });
                done.await();
              }
            }
            """)
        .doTest();
  }

  @Test
  public void perCallExecutorClosedByTryWithResources() {
    assumeTrue(Runtime.version().feature() >= 21);
    helper
        .addSourceLines(
            "Test.java",
            """
            import jakarta.servlet.http.HttpServletRequest;
            import java.util.concurrent.*;
            class Test {
              void closed(HttpServletRequest request) {
                // ExecutorService.close() waits for every task it was given.
                try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                  pool.submit(() -> System.out.println(request.getHeader("A")));
                  pool.execute(() -> System.out.println(request.getHeader("B")));
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  public void handedToTheFramework() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import jakarta.servlet.AsyncContext;
            import jakarta.servlet.http.*;
            import java.util.concurrent.*;
            import org.springframework.web.context.request.async.DeferredResult;
            class Test {
              ExecutorService pool;
              void servletAsync(HttpServletRequest request, HttpServletResponse response) {
                AsyncContext async = request.startAsync();
                pool.execute(() -> {
                  System.out.println(request.getRemoteAddr());
                  async.complete();
                });
              }
              DeferredResult<String> deferred(HttpServletRequest request) {
                DeferredResult<String> result = new DeferredResult<>();
                pool.execute(() -> result.setResult(request.getHeader("A")));
                return result;
              }
              CompletableFuture<String> returned(HttpServletRequest request) {
                return CompletableFuture.supplyAsync(() -> request.getHeader("A"), pool);
              }
              Future<String> returnedLater(HttpServletRequest request) {
                Future<String> f = pool.submit(() -> request.getHeader("A"));
                return f;
              }
              Callable<String> callable(HttpServletRequest request) {
                return () -> request.getHeader("A");
              }
            }
            """)
        .doTest();
  }

  @Test
  public void jaxRsSuspendedUndertowDispatchVertxTimers() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import io.undertow.server.HttpServerExchange;
            import io.vertx.core.Vertx;
            import io.vertx.ext.web.RoutingContext;
            import jakarta.ws.rs.container.AsyncResponse;
            import jakarta.ws.rs.container.Suspended;
            import jakarta.ws.rs.core.HttpHeaders;
            import java.util.concurrent.Executor;
            class Test {
              Executor executor;
              Vertx vertx;
              void jaxrs(@Suspended AsyncResponse response, HttpHeaders headers) {
                executor.execute(() -> response.resume(headers.getHeaderString("X")));
              }
              void undertow(HttpServerExchange exchange) {
                exchange.dispatch();
                executor.execute(() -> exchange.getResponseSender().send("ok"));
              }
              void undertowDispatchTask(HttpServerExchange exchange) {
                exchange.dispatch(executor, () -> exchange.getResponseSender().send("ok"));
              }
              void vertxTimer(RoutingContext ctx) {
                vertx.setTimer(100, id -> ctx.response().end());
                String path = ctx.request().path();
                vertx.executeBlocking(() -> path.length());
              }
            }
            """)
        .doTest();
  }

  @Test
  public void notRequestScopedOrNotSpawning() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import jakarta.servlet.http.HttpServletRequest;
            import java.util.List;
            import java.util.concurrent.*;
            class Test {
              ExecutorService pool;
              void plain(String user) {
                pool.execute(() -> System.out.println(user));
              }
              void synchronous(HttpServletRequest request, List<String> names) {
                // forEach runs here, on this thread: not a spawn.
                names.forEach(n -> System.out.println(request.getHeader(n)));
                Runnable r = () -> System.out.println(request.getRemoteAddr());
                r.run();
              }
              void readsOwnRequestOnTheOtherThread() {
                // The task does not capture a request; it has none in scope.
                pool.execute(() -> System.out.println("tick"));
              }
            }
            """)
        .doTest();
  }

  @Test
  public void asyncSelfCallAndNettyRetained() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import io.netty.channel.ChannelHandlerContext;
            import io.netty.channel.SimpleChannelInboundHandler;
            import io.netty.handler.codec.http.FullHttpRequest;
            import io.netty.util.ReferenceCountUtil;
            import jakarta.servlet.http.HttpServletRequest;
            import java.util.concurrent.Executor;
            import org.springframework.scheduling.annotation.Async;
            class Test {
              // A call of an @Async method on this bypasses Spring's proxy: it runs synchronously.
              void handle(HttpServletRequest request) { record(request); }
              @Async void record(HttpServletRequest request) {}
              static class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
                Executor executor;
                @Override
                protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
                  // Retained before handing it over, released by the task.
                  msg.retain();
                  executor.execute(() -> {
                    try {
                      System.out.println(msg.content().readableBytes());
                    } finally {
                      ReferenceCountUtil.release(msg);
                    }
                  });
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  public void futureHandedOnOrStored() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import jakarta.servlet.http.HttpServletRequest;
            import java.util.ArrayList;
            import java.util.List;
            import java.util.concurrent.*;
            class Test {
              ExecutorService pool;
              Future<?> pending;
              void stored(HttpServletRequest request) {
                pending = pool.submit(() -> request.getHeader("A"));
              }
              void collected(HttpServletRequest request) throws Exception {
                List<Future<String>> all = new ArrayList<>();
                all.add(pool.submit(() -> request.getHeader("A")));
                for (Future<String> f : all) {
                  f.get();
                }
              }
              void helperWaits(HttpServletRequest request) {
                waitFor(pool.submit(() -> request.getHeader("A")));
              }
              void waitFor(Future<?> f) {}
            }
            """)
        .doTest();
  }

  @Test
  public void objectsThatOwnTheExchange() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import io.undertow.server.HttpHandler;
            import io.undertow.server.HttpServerExchange;
            import io.undertow.server.ServerConnection;
            import io.undertow.util.HeaderMap;
            import java.util.concurrent.Executor;
            class Test {
              // A field the class sets itself: the object (an SSE connection in undertow-core) owns the
              // exchange for its whole life and ends it; its methods are not request handlers.
              static class EventConnection {
                private final HttpServerExchange exchange;
                private final Executor io;
                EventConnection(HttpServerExchange exchange, Executor io) {
                  this.exchange = exchange;
                  this.io = io;
                }
                void shutdown() {
                  io.execute(new Runnable() {
                    @Override public void run() { exchange.endExchange(); }
                  });
                }
              }
              // An exchange the method creates is the server's own object (undertow-core's HTTP/2 push).
              void push(ServerConnection connection, Executor io, HttpHandler handler) {
                final HttpServerExchange exchange = new HttpServerExchange(connection, new HeaderMap(), new HeaderMap(), 0);
                io.execute(() -> System.out.println(exchange.getRequestPath()));
              }
            }
            """)
        .doTest();
  }

  @Test
  public void suppressed() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import jakarta.servlet.http.HttpServletRequest;
            import java.util.concurrent.Executor;
            class Test {
              Executor executor;
              @SuppressWarnings("RequestCapturedByAsyncTask")
              void handle(HttpServletRequest request) {
                executor.execute(() -> System.out.println(request.getRemoteAddr()));
              }
            }
            """)
        .doTest();
  }
}
