package dev.leakprone.request;

import com.google.common.collect.ImmutableMap;
import com.google.errorprone.VisitorState;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.ElementKind;
import org.jspecify.annotations.Nullable;

/**
 * The request-scoped types: objects that a server owns for the duration of one request and
 * recycles, releases or invalidates when it completes. Shared by RequestCapturedByAsyncTask and
 * RequestStoredInField. Names are strings, never class literals: the plugin loads without any of
 * these libraries, and a type the compilation does not know never matches.
 *
 * <p>Besides the table (and subtypes, wrappers included), the inbound message of a Netty {@code
 * SimpleChannelInboundHandler.channelRead0} is request-scoped when it is reference counted: the
 * handler releases it when the method returns.
 */
public final class RequestTypes {

  /** How the framework of a request type lets work outlive the handler method. */
  enum Framework {
    SERVLET("call request.startAsync() and complete() its AsyncContext at the end of the task"),
    SPRING_MVC("return a DeferredResult, WebAsyncTask or CompletableFuture to Spring MVC instead"),
    WEBFLUX(
        "do the work inside the Mono or Flux the handler returns (e.g. Mono.fromCallable(…)"
            + ".subscribeOn(Schedulers.boundedElastic()))"),
    JAX_RS("take an @Suspended AsyncResponse and resume() it from the task"),
    UNDERTOW("hand the task to exchange.dispatch(executor, task)"),
    VERTX("use vertx.executeBlocking(…) with copied values, or the context's own timers"),
    JDK_HTTP_SERVER(
        "let the task send the response and close() the exchange, and do not touch it"
            + " again in the handler"),
    NETTY("retain() it before handing it over and release() it at the end of the task"),
    CONFIGURED("use the framework's asynchronous support");

    final String advice;

    Framework(String advice) {
      this.advice = advice;
    }
  }

  /** Each request-scoped type (qualified name; subtypes match) and its framework. */
  static final ImmutableMap<String, Framework> TYPES =
      ImmutableMap.<String, Framework>builder()
          .put("javax.servlet.ServletRequest", Framework.SERVLET)
          .put("javax.servlet.ServletResponse", Framework.SERVLET)
          .put("jakarta.servlet.ServletRequest", Framework.SERVLET)
          .put("jakarta.servlet.ServletResponse", Framework.SERVLET)
          .put("org.springframework.web.context.request.WebRequest", Framework.SPRING_MVC)
          .put("org.springframework.http.server.ServerHttpRequest", Framework.SPRING_MVC)
          .put("org.springframework.http.server.ServerHttpResponse", Framework.SPRING_MVC)
          .put("org.springframework.web.server.ServerWebExchange", Framework.WEBFLUX)
          .put("org.springframework.http.server.reactive.ServerHttpRequest", Framework.WEBFLUX)
          .put("org.springframework.http.server.reactive.ServerHttpResponse", Framework.WEBFLUX)
          .put("org.springframework.web.reactive.function.server.ServerRequest", Framework.WEBFLUX)
          .put("jakarta.ws.rs.container.ContainerRequestContext", Framework.JAX_RS)
          .put("jakarta.ws.rs.container.ContainerResponseContext", Framework.JAX_RS)
          .put("jakarta.ws.rs.core.HttpHeaders", Framework.JAX_RS)
          .put("jakarta.ws.rs.core.UriInfo", Framework.JAX_RS)
          .put("jakarta.ws.rs.core.Request", Framework.JAX_RS)
          .put("jakarta.ws.rs.core.SecurityContext", Framework.JAX_RS)
          .put("javax.ws.rs.container.ContainerRequestContext", Framework.JAX_RS)
          .put("javax.ws.rs.container.ContainerResponseContext", Framework.JAX_RS)
          .put("javax.ws.rs.core.HttpHeaders", Framework.JAX_RS)
          .put("javax.ws.rs.core.UriInfo", Framework.JAX_RS)
          .put("javax.ws.rs.core.Request", Framework.JAX_RS)
          .put("javax.ws.rs.core.SecurityContext", Framework.JAX_RS)
          .put("io.vertx.ext.web.RoutingContext", Framework.VERTX)
          .put("io.vertx.core.http.HttpServerRequest", Framework.VERTX)
          .put("io.vertx.core.http.HttpServerResponse", Framework.VERTX)
          .put("io.undertow.server.HttpServerExchange", Framework.UNDERTOW)
          .put("com.sun.net.httpserver.HttpExchange", Framework.JDK_HTTP_SERVER)
          .buildOrThrow();

  private static final String NETTY_HANDLER = "io.netty.channel.SimpleChannelInboundHandler";
  private static final String NETTY_REFERENCE_COUNTED = "io.netty.util.ReferenceCounted";

  private final ImmutableMap<String, Framework> byName;

  /** Per type symbol: its framework, or empty. Every candidate variable passes here. */
  private final Map<Symbol, Optional<Framework>> byClass = new HashMap<>();

  /** The table plus the types of {@code -XepOpt:LeakProne:RequestTypes}. */
  public RequestTypes(Collection<String> extraTypes) {
    Map<String, Framework> all = new java.util.LinkedHashMap<>(TYPES);
    for (String extra : extraTypes) {
      all.putIfAbsent(extra, Framework.CONFIGURED);
    }
    this.byName = ImmutableMap.copyOf(all);
  }

  /**
   * The framework of {@code type} if it is a request-scoped type (or a subtype of one), else null.
   */
  @Nullable Framework framework(@Nullable Type type, VisitorState state) {
    if (type == null
        || type.tsym == null
        || type.isPrimitiveOrVoid()
        || type.getKind() == javax.lang.model.type.TypeKind.NULL
        || type.getKind() == javax.lang.model.type.TypeKind.ARRAY) {
      return null;
    }
    if (byClass.size() > 20_000) {
      byClass.clear();
    }
    Symbol key = type.tsym;
    Optional<Framework> known = byClass.get(key);
    if (known == null) {
      known = Optional.ofNullable(compute(type, state));
      byClass.put(key, known);
    }
    return known.orElse(null);
  }

  /**
   * By name over the supertypes (javac caches each closure): a type looked up by name would be null
   * until javac has loaded it, and the table's types need not be loaded yet.
   */
  private @Nullable Framework compute(Type type, VisitorState state) {
    Type erased = state.getTypes().erasure(type);
    if (state.getSymtab().objectType.tsym.equals(erased.tsym)) {
      return null;
    }
    for (Type t : state.getTypes().closure(erased)) {
      Framework f = t.tsym == null ? null : byName.get(t.tsym.getQualifiedName().toString());
      if (f != null) {
        return f;
      }
    }
    return null;
  }

  /** Whether {@code type} is request-scoped (a table type, a configured one, or a subtype). */
  public boolean isRequestType(@Nullable Type type, VisitorState state) {
    return framework(type, state) != null;
  }

  /**
   * The framework of the variable {@code sym} if it holds a request-scoped object: a variable of a
   * request-scoped type, or the reference-counted message parameter of a Netty {@code
   * channelRead0}. Null otherwise.
   */
  @Nullable Framework frameworkOf(@Nullable Symbol sym, VisitorState state) {
    if (!(sym instanceof VarSymbol var)) {
      return null;
    }
    Framework f = framework(var.type, state);
    if (f != null) {
      return f;
    }
    return isNettyMessage(var, state) ? Framework.NETTY : null;
  }

  /** The second parameter of {@code channelRead0} in a {@code SimpleChannelInboundHandler}. */
  static boolean isNettyMessage(VarSymbol var, VisitorState state) {
    if (var.getKind() != ElementKind.PARAMETER
        || !(var.owner instanceof MethodSymbol method)
        || !method.getSimpleName().contentEquals("channelRead0")
        || method.getParameters().size() != 2
        || !var.equals(method.getParameters().get(1))) {
      return false;
    }
    if (method.owner == null) {
      return false;
    }
    // By name over the supertypes: a type looked up by name is null until javac has loaded it.
    var types = state.getTypes();
    if (!hasSupertypeNamed(method.owner.type, NETTY_HANDLER, state)) {
      return false;
    }
    Type erased = types.erasure(var.type);
    // A message of a reference-counted type, or of a type that may be one (Object, a type
    // variable).
    return state.getSymtab().objectType.tsym.equals(erased.tsym)
        || hasSupertypeNamed(erased, NETTY_REFERENCE_COUNTED, state);
  }

  private static boolean hasSupertypeNamed(Type type, String name, VisitorState state) {
    for (Type t : state.getTypes().closure(state.getTypes().erasure(type))) {
      if (t.tsym != null && t.tsym.getQualifiedName().contentEquals(name)) {
        return true;
      }
    }
    return false;
  }

  /** The simple name of {@code type} for messages ({@code HttpServletRequest}). */
  static String simpleName(@Nullable Type type) {
    return type == null || type.tsym == null ? "request" : type.tsym.getSimpleName().toString();
  }
}
