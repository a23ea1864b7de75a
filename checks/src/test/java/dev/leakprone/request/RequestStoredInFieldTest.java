package dev.leakprone.request;

import com.google.errorprone.CompilationTestHelper;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * RequestStoredInField, compiled against the real servlet, Spring, JAX-RS, Vert.x and Netty APIs.
 */
@RunWith(JUnit4.class)
public class RequestStoredInFieldTest {
  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(RequestStoredInField.class, getClass());

  // ==============================================================================================
  // Positives.

  @Test
  public void staticField() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import jakarta.servlet.http.HttpServletRequest;
            class Test {
              static HttpServletRequest last;
              void handle(HttpServletRequest request) {
                // BUG: Diagnostic contains: HttpServletRequest 'request' is stored in static field 'last': the server recycles it when its request completes, so later readers see another user's request or a recycled object (IllegalStateException, NullPointerException), and the field keeps the whole request graph reachable; store the values you need (e.g. String uri = request.getRequestURI();) instead
                last = request;
              }
            }
            """)
        .doTest();
  }

  @Test
  public void singletonControllerField() {
    helper
        .addSourceLines(
            "DiagnosticsController.java",
            """
            import jakarta.servlet.http.HttpServletRequest;
            import org.springframework.web.bind.annotation.GetMapping;
            import org.springframework.web.bind.annotation.RestController;
            @RestController
            class DiagnosticsController {
              private volatile HttpServletRequest lastRequest;
              @GetMapping("/orders")
              String orders(HttpServletRequest request) {
                // BUG: Diagnostic contains: HttpServletRequest 'request' is stored in field 'lastRequest' of DiagnosticsController, a singleton whose one instance serves every request
                this.lastRequest = request;
                return "ok";
              }
            }
            """)
        .doTest();
  }

  @Test
  public void servletFilterEnumAndOwnInstance() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import javax.servlet.*;
            import javax.servlet.http.*;
            import java.io.IOException;
            class Test {
              static class TraceServlet extends HttpServlet {
                private HttpServletResponse current;
                @Override
                protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
                  // BUG: Diagnostic contains: HttpServletResponse 'resp' is stored in field 'current' of TraceServlet
                  current = resp;
                }
              }
              enum Registry {
                INSTANCE;
                ServletRequest request;
                void remember(ServletRequest r) {
                  // BUG: Diagnostic contains: ServletRequest 'r' is stored in field 'request' of Registry
                  request = r;
                }
              }
              static class Holder {
                static final Holder INSTANCE = new Holder();
                HttpServletRequest request;
                void remember(HttpServletRequest r) {
                  // BUG: Diagnostic contains: stored in field 'request' of Holder
                  request = r;
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  public void staticAndSingletonCollectionsAlsoThroughAliases() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import io.vertx.ext.web.RoutingContext;
            import java.util.*;
            import java.util.concurrent.*;
            import java.util.concurrent.atomic.AtomicReference;
            import org.springframework.stereotype.Service;
            class Test {
              static final Map<String, RoutingContext> BY_ID = new ConcurrentHashMap<>();
              static final List<Object> RECENT = new ArrayList<>();
              static final AtomicReference<Object> LAST = new AtomicReference<>();
              void handle(RoutingContext ctx) {
                // BUG: Diagnostic contains: RoutingContext 'ctx' is added (put) to the Map in static field 'BY_ID'
                BY_ID.put("x", ctx);
                Object alias = ctx;
                // BUG: Diagnostic contains: RoutingContext 'alias' is added (add) to the List in static field 'RECENT'
                RECENT.add(alias);
                List<Object> recent = RECENT;
                // BUG: Diagnostic contains: RoutingContext 'ctx' is added (add) to the List in static field 'RECENT'
                recent.add(ctx);
                // BUG: Diagnostic contains: is added (set) to the AtomicReference in static field 'LAST'
                LAST.set(ctx);
              }
              @Service
              static class Sessions {
                private final Queue<RoutingContext> pending = new ConcurrentLinkedQueue<>();
                void park(RoutingContext ctx) {
                  // BUG: Diagnostic contains: is added (offer) to the Queue in field 'pending' of Sessions
                  pending.offer(ctx);
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  public void nettyMessageInSharableHandler() {
    helper
        .addSourceLines(
            "Handler.java",
            """
            import io.netty.channel.ChannelHandler;
            import io.netty.channel.ChannelHandlerContext;
            import io.netty.channel.SimpleChannelInboundHandler;
            import io.netty.handler.codec.http.FullHttpRequest;
            @ChannelHandler.Sharable
            class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
              FullHttpRequest last;
              @Override
              protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
                // BUG: Diagnostic contains: FullHttpRequest 'msg' is stored in field 'last' of Handler, a singleton whose one instance serves every request: the server recycles the message when channelRead0 returns
                last = msg;
              }
            }
            """)
        .doTest();
  }

  @Test
  public void configuredSingletonAnnotationAndRequestType() {
    helper
        .addSourceLines(
            "Test.java",
            """
            package com.acme;
            class Test {
              @interface Bean {}
              static class RequestContext {}
              @Bean
              static class Cache {
                RequestContext last;
                void remember(RequestContext ctx) {
                  // BUG: Diagnostic contains: RequestContext 'ctx' is stored in field 'last' of Cache
                  last = ctx;
                }
              }
            }
            """)
        .setArgs(
            "-XepOpt:LeakProne:SingletonAnnotations=com.acme.Test.Bean",
            "-XepOpt:LeakProne:RequestTypes=com.acme.Test.RequestContext")
        .doTest();
  }

  // ==============================================================================================
  // Negatives.

  @Test
  public void perRequestObjectsMayHoldTheRequest() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import jakarta.servlet.http.*;
            class Test {
              // A wrapper or a per-request helper lives exactly as long as the request it holds.
              static class AuditingRequest extends HttpServletRequestWrapper {
                private HttpServletRequest original;
                AuditingRequest(HttpServletRequest request) {
                  super(request);
                  original = request;
                }
                void reset(HttpServletRequest request) {
                  original = request;
                }
              }
              static class PerRequestHandler {
                HttpServletRequest request;
                void bind(HttpServletRequest request) { this.request = request; }
              }
            }
            """)
        .doTest();
  }

  @Test
  public void requestScopedBeansAndThreadLocals() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import jakarta.servlet.http.HttpServletRequest;
            import org.springframework.context.annotation.Scope;
            import org.springframework.stereotype.Component;
            import org.springframework.web.context.annotation.RequestScope;
            class Test {
              @Component
              @RequestScope
              static class RequestInfo {
                HttpServletRequest request;
                void bind(HttpServletRequest r) { request = r; }
              }
              @Component
              @Scope("request")
              static class OtherInfo {
                HttpServletRequest request;
                void bind(HttpServletRequest r) { request = r; }
              }
              static final ThreadLocal<HttpServletRequest> CURRENT = new ThreadLocal<>();
              void handle(HttpServletRequest r) {
                CURRENT.set(r); // ThreadLocal: covered by a separate check
              }
            }
            """)
        .doTest();
  }

  @Test
  public void injectedProxiesInSingletons() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import jakarta.servlet.http.HttpServletRequest;
            import org.springframework.beans.factory.annotation.Autowired;
            import org.springframework.stereotype.Service;
            // Spring injects a proxy that resolves the current thread's request on each call: keeping it
            // in a singleton is the documented way to reach the request from a service.
            @Service
            class Test {
              private final HttpServletRequest request;
              private HttpServletRequest other;
              Test(HttpServletRequest request) {
                this.request = request;
              }
              @Autowired
              void setOther(HttpServletRequest other) {
                this.other = other;
              }
            }
            """)
        .doTest();
  }

  @Test
  public void valuesCopiedFromTheRequestAndLocalCollections() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import jakarta.servlet.http.HttpServletRequest;
            import java.util.*;
            import org.springframework.web.bind.annotation.RestController;
            @RestController
            class Test {
              static String lastUri;
              private volatile String lastUser;
              static final List<String> RECENT = new ArrayList<>();
              void handle(HttpServletRequest request) {
                lastUri = request.getRequestURI();
                lastUser = request.getRemoteUser();
                RECENT.add(request.getHeader("X-Trace"));
                List<HttpServletRequest> local = new ArrayList<>();
                local.add(request);
                last = null;
              }
              static HttpServletRequest last;
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
            class Test {
              static HttpServletRequest last;
              @SuppressWarnings("RequestStoredInField")
              void handle(HttpServletRequest request) {
                last = request;
              }
            }
            """)
        .doTest();
  }
}
