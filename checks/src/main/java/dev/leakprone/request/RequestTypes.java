package dev.leakprone.request;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.errorprone.VisitorState;
import com.google.errorprone.suppliers.Supplier;
import com.google.errorprone.suppliers.Suppliers;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import dev.leakprone.common.TypeTable;
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
final class RequestTypes {

  /** How the framework of a request type lets work outlive the handler method. */
  enum Framework {
    SERVLET("call request.startAsync() and complete() its AsyncContext at the end of the task"),
    SPRING_MVC("return a DeferredResult, WebAsyncTask or CompletableFuture to Spring MVC instead"),
    WEBFLUX("do the work inside the Mono or Flux the handler returns (e.g. Mono.fromCallable(…)"
        + ".subscribeOn(Schedulers.boundedElastic()))"),
    JAX_RS("take an @Suspended AsyncResponse and resume() it from the task"),
    UNDERTOW("hand the task to exchange.dispatch(executor, task)"),
    VERTX("use vertx.executeBlocking(…) with copied values, or the context's own timers"),
    JDK_HTTP_SERVER("let the task send the response and close() the exchange, and do not touch it"
        + " again in the handler"),
    NETTY("retain() it before handing it over and release() it at the end of the task"),
    CONFIGURED("use the framework's asynchronous support");

    final String advice;

    Framework(String advice) {
      this.advice = advice;
    }
  }

  /** Each request-scoped type (qualified name; subtypes match) and its framework. */
  static final ImmutableMap<String, Framework> TYPES = ImmutableMap.<String, Framework>builder()
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
  private static final Supplier<@Nullable Type> NETTY_HANDLER_TYPE = Suppliers.typeFromString(NETTY_HANDLER);
  private static final Supplier<@Nullable Type> NETTY_REFERENCE_COUNTED_TYPE =
      Suppliers.typeFromString(NETTY_REFERENCE_COUNTED);

  private final ImmutableList<String> names;
  private final ImmutableList<Framework> frameworks;
  private final TypeTable table;
  /** Per type symbol: its framework, or empty. Every candidate variable passes here. */
  private final Map<Symbol, Optional<Framework>> byClass = new HashMap<>();

  RequestTypes(Collection<String> extraTypes) {
    ImmutableList.Builder<String> n = ImmutableList.builder();
    ImmutableList.Builder<Framework> f = ImmutableList.builder();
    TYPES.forEach((name, framework) -> {
      n.add(name);
      f.add(framework);
    });
    for (String extra : extraTypes) {
      n.add(extra);
      f.add(Framework.CONFIGURED);
    }
    this.names = n.build();
    this.frameworks = f.build();
    this.table = TypeTable.of(names);
  }

  /** The framework of {@code type} if it is a request-scoped type (or a subtype of one), else null. */
  @Nullable Framework framework(@Nullable Type type, VisitorState state) {
    if (type == null || type.tsym == null || type.isPrimitiveOrVoid()
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
      String name = table.matching(type, state);
      known = Optional.ofNullable(name == null ? null : frameworks.get(names.indexOf(name)));
      byClass.put(key, known);
    }
    return known.orElse(null);
  }

  boolean isRequestType(@Nullable Type type, VisitorState state) {
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
        || method.getParameters().get(1) != var) {
      return false;
    }
    Type handler = NETTY_HANDLER_TYPE.get(state);
    Type counted = NETTY_REFERENCE_COUNTED_TYPE.get(state);
    if (handler == null || counted == null || method.owner == null) {
      return false;
    }
    var types = state.getTypes();
    if (!types.isSubtype(types.erasure(method.owner.type), types.erasure(handler))) {
      return false;
    }
    Type erased = types.erasure(var.type);
    // A message of a reference-counted type, or of a type that may be one (Object, a type variable).
    return types.isSubtype(erased, types.erasure(counted))
        || erased.tsym == state.getSymtab().objectType.tsym;
  }

  /** The simple name of {@code type} for messages ({@code HttpServletRequest}). */
  static String simpleName(@Nullable Type type) {
    return type == null || type.tsym == null ? "request" : type.tsym.getSimpleName().toString();
  }
}
