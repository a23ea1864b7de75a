package dev.leakprone.scope;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import com.google.errorprone.VisitorState;
import com.google.errorprone.suppliers.Supplier;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.code.Types;
import dev.leakprone.common.AnyScanner;
import dev.leakprone.common.MethodTable;
import dev.leakprone.common.Ownership;
import dev.leakprone.common.TypeTable;
import dev.leakprone.config.LeakProneConfig;
import dev.leakprone.engine.CallEffect;
import dev.leakprone.engine.CallEffect.Acquire;
import dev.leakprone.engine.CallEffect.Use;
import dev.leakprone.engine.ObligationSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.lang.model.element.ElementKind;
import org.jspecify.annotations.Nullable;

/**
 * What NeverCancelledScope knows: which calls open a scope, start a span or an observation, create
 * a thread pool or timer, or schedule a periodic task, and which calls release them. Everything
 * here is a table of names (never class literals: the plugin loads without gRPC, OpenTelemetry,
 * Brave or Micrometer); the documentation page {@code docs/checks/NeverCancelledScope.md} lists the
 * same entries.
 *
 * <p>Types from {@code -XepOpt:LeakProne:ScopeTypes} are acquired by their constructions and by
 * instance methods declared to return them, called on a receiver of another type and not named like
 * accessors ({@code get…}, {@code current…}); static methods are not taken for factories.
 */
final class ScopeSpec implements ObligationSpec {
  private static final Supplier<@Nullable Type> EXECUTOR =
      VisitorState.memoize(s -> s.getTypeFromString("java.util.concurrent.Executor"));

  /** The kinds of object the check follows; each has its own message. */
  enum Family {
    GRPC_CANCELLABLE,
    GRPC_ATTACH,
    OTEL_SCOPE,
    OTEL_SPAN,
    BRAVE_SPAN_IN_SCOPE,
    BRAVE_SCOPE,
    BRAVE_SCOPED_SPAN,
    BRAVE_SPAN,
    MICROMETER_SCOPE,
    MICROMETER_OBSERVATION,
    TIMER,
    EXECUTOR,
    PERIODIC_TASK,
    STRUCTURED_TASK_SCOPE,
    CONFIGURED
  }

  /** Method invocations whose result is a fresh scope the caller must release. */
  static final ImmutableMap<String, Family> ACQUIRING_METHODS =
      ImmutableMap.<String, Family>builder()
          .put(
              "io.grpc.Context#withCancellation|withDeadline|withDeadlineAfter",
              Family.GRPC_CANCELLABLE)
          .put("io.grpc.Context#attach", Family.GRPC_ATTACH)
          .put("io.opentelemetry.context.ImplicitContextKeyed#makeCurrent", Family.OTEL_SCOPE)
          .put("io.opentelemetry.context.Context#makeCurrent", Family.OTEL_SCOPE)
          .put("io.opentelemetry.context.ContextStorage#attach", Family.OTEL_SCOPE)
          .put("io.opentelemetry.api.trace.SpanBuilder#startSpan", Family.OTEL_SPAN)
          .put("brave.Tracer#withSpanInScope", Family.BRAVE_SPAN_IN_SCOPE)
          .put("brave.propagation.CurrentTraceContext#newScope|maybeScope", Family.BRAVE_SCOPE)
          .put("brave.Tracer#startScopedSpan|startScopedSpanWithParent", Family.BRAVE_SCOPED_SPAN)
          .put("brave.Span#start", Family.BRAVE_SPAN)
          .put("io.micrometer.observation.Observation#openScope", Family.MICROMETER_SCOPE)
          .put("io.micrometer.observation.Observation#start", Family.MICROMETER_OBSERVATION)
          .put(
              "java.util.concurrent.Executors#newFixedThreadPool|newCachedThreadPool|newSingleThreadExecutor"
                  + "|newScheduledThreadPool|newSingleThreadScheduledExecutor|newWorkStealingPool"
                  + "|newThreadPerTaskExecutor|newVirtualThreadPerTaskExecutor",
              Family.EXECUTOR)
          .put(
              "java.util.concurrent.ScheduledExecutorService#scheduleAtFixedRate|scheduleWithFixedDelay",
              Family.PERIODIC_TASK)
          .put("java.util.concurrent.StructuredTaskScope#open", Family.STRUCTURED_TASK_SCOPE)
          .buildOrThrow();

  /** Types whose construction ({@code new}, also of a subtype) must be released. */
  static final ImmutableMap<String, Family> ACQUIRING_CONSTRUCTIONS =
      ImmutableMap.of(
          "java.util.Timer", Family.TIMER,
          "java.util.concurrent.ThreadPoolExecutor", Family.EXECUTOR,
          "java.util.concurrent.ForkJoinPool", Family.EXECUTOR,
          "java.util.concurrent.StructuredTaskScope", Family.STRUCTURED_TASK_SCOPE);

  /** Calls on a scope that release it (any overload); a no-argument {@code close()} always does. */
  static final ImmutableList<String> RELEASES =
      ImmutableList.of(
          "io.grpc.Context.CancellableContext#cancel|close",
          "io.opentelemetry.context.Scope#close",
          "io.opentelemetry.api.trace.Span#end",
          "brave.Tracer.SpanInScope#close",
          "brave.propagation.CurrentTraceContext.Scope#close",
          "brave.ScopedSpan#finish",
          "brave.Span#finish|abandon|flush",
          "io.micrometer.observation.Observation.Scope#close",
          "io.micrometer.observation.Observation#stop",
          "java.util.Timer#cancel",
          "java.util.concurrent.ExecutorService#shutdown|shutdownNow|close",
          "java.util.concurrent.Future#cancel",
          "java.util.concurrent.StructuredTaskScope#close");

  /**
   * Calls that give a thread pool its first task, or start its threads: a pool holds no thread
   * until then ({@code ThreadPoolExecutor} and {@code ForkJoinPool} start workers on demand), so an
   * exception thrown between its construction and its first use leaks nothing (issue #9). A pool
   * passed to any other method is taken as used there too ({@link #effect}).
   */
  static final ImmutableList<String> STARTS =
      ImmutableList.of(
          "java.util.concurrent.Executor#execute",
          "java.util.concurrent.ExecutorService#submit|invokeAll|invokeAny",
          "java.util.concurrent.ScheduledExecutorService#schedule",
          "java.util.concurrent.ThreadPoolExecutor#prestartCoreThread|prestartAllCoreThreads",
          "java.util.concurrent.ForkJoinPool#invoke|execute|submit|externalSubmit|lazySubmit");

  /** Calls that release both the receiver and what is passed in. */
  static final ImmutableList<String> RELEASE_RECEIVER_AND_ARGUMENTS =
      ImmutableList.of("io.grpc.Context.CancellableContext#detachAndCancel");

  /** Calls that release what is passed to them. */
  static final ImmutableList<String> ARGUMENT_RELEASES =
      ImmutableList.of(
          "io.grpc.Context#detach",
          "com.google.common.util.concurrent.MoreExecutors#shutdownAndAwaitTermination");

  /** Calls that take ownership of what is passed to them (the JVM's shutdown hook stops it). */
  static final ImmutableList<String> ARGUMENT_TRANSFERS =
      ImmutableList.of(
          "com.google.common.util.concurrent.MoreExecutors#getExitingExecutorService"
              + "|getExitingScheduledExecutorService|addDelayedShutdownHook");

  /** Wrappers and decorators: shutting down the result shuts down what was passed in. */
  static final ImmutableList<String> ARGUMENT_ALIASES =
      ImmutableList.of(
          "java.util.concurrent.Executors#unconfigurableExecutorService|unconfigurableScheduledExecutorService",
          "com.google.common.util.concurrent.MoreExecutors#listeningDecorator",
          "io.opentelemetry.context.Context#taskWrapping|wrap",
          "brave.propagation.CurrentTraceContext#executorService|executor");

  /** Fluent methods that return their receiver. */
  static final ImmutableList<String> RECEIVER_ALIASES =
      ImmutableList.of(
          "io.opentelemetry.api.trace.Span#setAttribute|setAllAttributes|addEvent|setStatus|recordException"
              + "|updateName|addLink",
          "brave.Span#name|kind|annotate|tag|error|remoteServiceName",
          "brave.ScopedSpan#name|tag|annotate|error",
          "io.micrometer.observation.Observation#contextualName|parentObservation|lowCardinalityKeyValue"
              + "|lowCardinalityKeyValues|highCardinalityKeyValue|highCardinalityKeyValues"
              + "|observationConvention|error|event");

  /** Calls that stop an executor held in a field, when a class's lifecycle method makes them. */
  static final ImmutableSet<String> FIELD_SHUTDOWNS =
      ImmutableSet.of("shutdown", "shutdownNow", "close");

  /** Executors factories whose core threads never time out; non-daemon without a ThreadFactory. */
  static final ImmutableSet<String> NON_DAEMON_EXECUTOR_FACTORIES =
      ImmutableSet.of(
          "newFixedThreadPool",
          "newSingleThreadExecutor",
          "newScheduledThreadPool",
          "newSingleThreadScheduledExecutor");

  /** Accessors, not factories: never acquisitions of a configured scope type. */
  private static final Pattern ACCESSOR = Pattern.compile("(get|current)([A-Z_].*)?");

  private final MethodTable<Family> methods;
  private final ImmutableList<TypeTable> constructionTypes;
  private final ImmutableList<Family> constructionFamilies;
  private final MethodTable<Use> receiverUses;
  private final MethodTable<Use> argumentUses;
  private final MethodTable<Boolean> receiverAndArgumentReleases;
  private final ImmutableList<TypeTable> configuredTypes;
  private final ImmutableList<ImmutableSet<String>> configuredReleases;
  private final TypeTable allConfigured;
  private final Ownership ownership;

  /** Per compilation unit: whether a field executor is shut down by its class. */
  private @Nullable CompilationUnitTree fieldCacheUnit;

  private final Map<Symbol, Boolean> fieldShutDown = new HashMap<>();

  ScopeSpec(LeakProneConfig config) {
    MethodTable.Builder<Family> m = MethodTable.builder();
    ACQUIRING_METHODS.forEach((spec, family) -> m.put(spec, family));
    this.methods = m.build();
    ImmutableList.Builder<TypeTable> ct = ImmutableList.builder();
    ImmutableList.Builder<Family> cf = ImmutableList.builder();
    ACQUIRING_CONSTRUCTIONS.forEach(
        (type, family) -> {
          ct.add(TypeTable.of(type));
          cf.add(family);
        });
    this.constructionTypes = ct.build();
    this.constructionFamilies = cf.build();
    this.receiverUses =
        MethodTable.<Use>builder()
            .putAll(RELEASES, Use.DISCHARGE)
            .putAll(RECEIVER_ALIASES, Use.ALIAS)
            .putAll(STARTS, Use.START)
            .build();
    this.argumentUses =
        MethodTable.<Use>builder()
            .putAll(ARGUMENT_RELEASES, Use.DISCHARGE)
            .putAll(ARGUMENT_TRANSFERS, Use.TRANSFER)
            .putAll(ARGUMENT_ALIASES, Use.ALIAS)
            .build();
    this.receiverAndArgumentReleases =
        MethodTable.<Boolean>builder().putAll(RELEASE_RECEIVER_AND_ARGUMENTS, true).build();
    ImmutableList.Builder<TypeTable> types = ImmutableList.builder();
    ImmutableList.Builder<ImmutableSet<String>> releases = ImmutableList.builder();
    config
        .scopeTypes()
        .forEach(
            (type, names) -> {
              types.add(TypeTable.of(type));
              releases.add(names);
            });
    this.configuredTypes = types.build();
    this.configuredReleases = releases.build();
    this.allConfigured = TypeTable.of(config.scopeTypes().keySet());
    this.ownership = new Ownership(config);
  }

  // ---------------------------------------------------------------------------------------------
  // ObligationSpec.

  @Override
  public boolean mayAcquire(ExpressionTree call, VisitorState state) {
    return family(call, state) != null;
  }

  @Override
  public @Nullable CallEffect effect(ExpressionTree call, VisitorState state) {
    if (call instanceof NewClassTree newClass) {
      Family family = constructionFamily(ASTHelpers.getType(newClass), state);
      if (family != null) {
        String detail = family == Family.TIMER ? timerDetail(newClass) : null;
        // A Timer starts its thread in its constructor; a pool starts its threads on demand.
        return CallEffect.acquires(
            family == Family.EXECUTOR ? Acquire.DORMANT : Acquire.FRESH, null, detail);
      }
      return ownership.argumentEffect(newClass, state);
    }
    if (!(call instanceof MethodInvocationTree invocation)) {
      return null;
    }
    Symbol sym = ASTHelpers.getSymbol(invocation);
    if (!(sym instanceof MethodSymbol method)) {
      return null;
    }
    Family family = methods.lookup(method, state);
    if (family != null) {
      return acquisition(family, invocation, method, state);
    }
    if (configuredFactory(invocation, method, state) >= 0) {
      return CallEffect.acquires(Acquire.FRESH, null, null);
    }
    if (receiverAndArgumentReleases.lookup(method, state) != null) {
      return new CallEffect(Acquire.NONE, Use.DISCHARGE, Use.DISCHARGE, null, null);
    }
    if (method.getParameters().isEmpty() && method.getSimpleName().contentEquals("close")) {
      return CallEffect.onReceiver(Use.DISCHARGE);
    }
    Use receiver = receiverUses.lookup(method, state);
    if (receiver != null) {
      return CallEffect.onReceiver(receiver);
    }
    if (releasesConfigured(invocation, method, state)) {
      return CallEffect.onReceiver(Use.DISCHARGE);
    }
    Use arguments = argumentUses.lookup(method, state);
    if (arguments != null) {
      return CallEffect.onArguments(arguments);
    }
    CallEffect owned = ownership.argumentEffect(invocation, state);
    return owned != null ? owned : executorsPassed(invocation, state);
  }

  /**
   * A call that is passed a thread pool and says nothing else about it ({@code
   * CompletableFuture.runAsync(task, pool)}, {@code builder.executor(pool)}) may give it tasks: the
   * pool's obligation starts there. Null when no argument is an executor, or when the call's result
   * is itself a resource (the engine's default makes it an alias of its arguments).
   */
  private static @Nullable CallEffect executorsPassed(
      MethodInvocationTree invocation, VisitorState state) {
    Type executor = EXECUTOR.get(state);
    if (executor == null) {
      return null;
    }
    Types types = state.getTypes();
    long mask = 0;
    List<? extends ExpressionTree> args = invocation.getArguments();
    for (int i = 0; i < args.size() && i < 64; i++) {
      Type type = ASTHelpers.getType(args.get(i));
      if (type != null
          && !type.isPrimitive()
          && types.isSubtype(types.erasure(type), types.erasure(executor))) {
        mask |= 1L << i;
      }
    }
    if (mask == 0) {
      return null;
    }
    Type result = ASTHelpers.getType(invocation);
    if (result != null
        && !result.isPrimitiveOrVoid()
        && types.isSubtype(types.erasure(result), state.getSymtab().autoCloseableType)) {
      return null;
    }
    return CallEffect.onArguments(Use.START, mask);
  }

  private @Nullable CallEffect acquisition(
      Family family, MethodInvocationTree invocation, MethodSymbol method, VisitorState state) {
    switch (family) {
      case PERIODIC_TASK -> {
        if (periodicTaskNeedsNoHandle(invocation, state)) {
          return CallEffect.onReceiver(Use.START);
        }
        // The task is the pool's first use, and a handle the caller must cancel.
        return new CallEffect(
            Acquire.CHILD_OF_RECEIVER, Use.START, Use.NONE, "ScheduledFuture", null);
      }
      case MICROMETER_OBSERVATION, BRAVE_SPAN -> {
        // Observation.start(name, registry) is a static factory; observation.start() and
        // span.start() return their receiver, now started: the method owns it only if it made the
        // object (a local variable, or a fresh one from a factory), not if it is a parameter's
        // or a field's.
        String label = family == Family.BRAVE_SPAN ? "Span" : "Observation";
        if (method.isStatic()) {
          return CallEffect.acquires(Acquire.FRESH, label, null);
        }
        return startsOwnObject(invocation, state)
            ? CallEffect.acquires(Acquire.FRESH_ON_RECEIVER, label, null)
            : CallEffect.NOTHING;
      }
      case EXECUTOR -> {
        // No thread until the first task (thread-per-task executors too): dormant until then.
        return CallEffect.acquires(Acquire.DORMANT, null, executorDetail(method, state));
      }
      default -> {
        return CallEffect.acquires(Acquire.FRESH, label(family, invocation), null);
      }
    }
  }

  /**
   * {@code "non-daemon"} for the {@code Executors} factories whose threads certainly are: the ones
   * with a fixed core of threads that never time out, built on the default thread factory.
   */
  private static @Nullable String executorDetail(MethodSymbol method, VisitorState state) {
    if (!NON_DAEMON_EXECUTOR_FACTORIES.contains(method.getSimpleName().toString())) {
      return null;
    }
    for (VarSymbol param : method.getParameters()) {
      Type erased = state.getTypes().erasure(param.type);
      if (erased.tsym != null
          && erased.tsym.getQualifiedName().contentEquals("java.util.concurrent.ThreadFactory")) {
        return null;
      }
    }
    return "non-daemon";
  }

  /**
   * Whether the object that {@code start()} is called on belongs to this method: through fluent
   * setters ({@code observation.contextualName("x").start()}), a local variable or the result of a
   * factory call ({@code tracer.nextSpan()}, {@code Observation.createNotStarted(…)}).
   */
  private boolean startsOwnObject(MethodInvocationTree invocation, VisitorState state) {
    ExpressionTree receiver = ASTHelpers.getReceiver(invocation);
    for (int depth = 0; depth < 32 && receiver != null; depth++) {
      receiver = ASTHelpers.stripParentheses(receiver);
      if (receiver instanceof TypeCastTree cast) {
        receiver = cast.getExpression();
        continue;
      }
      if (!(receiver instanceof MethodInvocationTree inner)) {
        break;
      }
      Symbol sym = ASTHelpers.getSymbol(inner);
      if (!(sym instanceof MethodSymbol method)
          || receiverUses.lookup(method, state) != Use.ALIAS) {
        return true; // a factory: the object is fresh
      }
      receiver = ASTHelpers.getReceiver(inner);
    }
    if (!(receiver instanceof IdentifierTree id)) {
      return false;
    }
    Symbol sym = ASTHelpers.getSymbol(id);
    return sym != null
        && (sym.getKind() == ElementKind.LOCAL_VARIABLE
            || sym.getKind() == ElementKind.RESOURCE_VARIABLE);
  }

  private static @Nullable String label(Family family, MethodInvocationTree invocation) {
    return switch (family) {
      case GRPC_ATTACH -> "Context";
      case BRAVE_SCOPE -> "CurrentTraceContext.Scope";
      case MICROMETER_SCOPE -> "Observation.Scope";
      case BRAVE_SPAN_IN_SCOPE -> "SpanInScope";
      default -> {
        Type type = ASTHelpers.getType(invocation);
        yield type == null || type.tsym == null ? null : type.tsym.getSimpleName().toString();
      }
    };
  }

  // ---------------------------------------------------------------------------------------------
  // What the check asks about a reported acquisition.

  /** The family of the object acquired by {@code site}, or null if it acquires nothing. */
  @Nullable Family family(ExpressionTree site, VisitorState state) {
    if (site instanceof NewClassTree newClass) {
      return constructionFamily(ASTHelpers.getType(newClass), state);
    }
    if (!(site instanceof MethodInvocationTree invocation)) {
      return null;
    }
    Symbol sym = ASTHelpers.getSymbol(invocation);
    if (!(sym instanceof MethodSymbol method)) {
      return null;
    }
    Family family = methods.lookup(method, state);
    if (family != null) {
      return family;
    }
    return configuredFactory(invocation, method, state) >= 0 ? Family.CONFIGURED : null;
  }

  /** The release methods of the configured scope type of {@code site}, or empty. */
  ImmutableSet<String> configuredReleaseMethods(ExpressionTree site, VisitorState state) {
    int i = configuredIndex(ASTHelpers.getType(site), state);
    return i < 0 ? ImmutableSet.of() : configuredReleases.get(i);
  }

  /**
   * Whether {@code site}'s object can be released by try-with-resources without changing meaning.
   */
  boolean closesWithTryWithResources(Family family, ExpressionTree site, VisitorState state) {
    return switch (family) {
      case GRPC_CANCELLABLE,
          OTEL_SCOPE,
          BRAVE_SPAN_IN_SCOPE,
          BRAVE_SCOPE,
          MICROMETER_SCOPE,
          STRUCTURED_TASK_SCOPE ->
          true;
      case CONFIGURED ->
          configuredReleaseMethods(site, state).contains("close")
              && isAutoCloseable(ASTHelpers.getType(site), state);
      default -> false;
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Constructions, timers and configured types.

  /**
   * Per class constructed: its family, or empty. Every {@code new} passes here: ask once per type.
   */
  private final Map<Symbol, java.util.Optional<Family>> familyByClass = new HashMap<>();

  private @Nullable Family constructionFamily(@Nullable Type type, VisitorState state) {
    if (type == null || type.tsym == null) {
      return null;
    }
    if (familyByClass.size() > 50_000) {
      familyByClass.clear();
    }
    return familyByClass
        .computeIfAbsent(type.tsym, t -> java.util.Optional.ofNullable(computeFamily(type, state)))
        .orElse(null);
  }

  private @Nullable Family computeFamily(Type type, VisitorState state) {
    for (int i = 0; i < constructionTypes.size(); i++) {
      if (constructionTypes.get(i).contains(type, state)) {
        return constructionFamilies.get(i);
      }
    }
    return allConfigured.contains(type, state) ? Family.CONFIGURED : null;
  }

  /**
   * {@code "non-daemon"} when the timer's thread certainly is one: no {@code true} isDaemon
   * argument.
   */
  private static @Nullable String timerDetail(NewClassTree newClass) {
    Symbol sym = ASTHelpers.getSymbol(newClass);
    if (!(sym instanceof MethodSymbol ctor)) {
      return null;
    }
    List<VarSymbol> params = ctor.getParameters();
    List<? extends ExpressionTree> args = newClass.getArguments();
    for (int i = 0; i < params.size() && i < args.size(); i++) {
      if (params.get(i).type.getKind() == javax.lang.model.type.TypeKind.BOOLEAN) {
        Object value = ASTHelpers.constValue(args.get(i));
        return Boolean.FALSE.equals(value) ? "non-daemon" : null;
      }
    }
    return "non-daemon";
  }

  /**
   * The index of the configured scope type that {@code invocation} acquires, or -1: an instance
   * method whose result is a configured type, called on a receiver of another type, that is not an
   * accessor ({@code getLease()}, {@code current()}). Static methods are not factories here.
   */
  private int configuredFactory(
      MethodInvocationTree invocation, MethodSymbol method, VisitorState state) {
    if (configuredTypes.isEmpty()
        || method.isStatic()
        || method.isConstructor()
        || ACCESSOR.matcher(method.getSimpleName().toString()).matches()) {
      return -1;
    }
    int i = configuredIndex(method.getReturnType(), state);
    if (i < 0) {
      return -1;
    }
    Type receiver = ASTHelpers.getReceiverType(invocation);
    if (receiver == null || configuredTypes.get(i).contains(receiver, state)) {
      return -1;
    }
    return i;
  }

  private boolean releasesConfigured(
      MethodInvocationTree invocation, MethodSymbol method, VisitorState state) {
    if (configuredTypes.isEmpty() || method.isStatic()) {
      return false;
    }
    int i = configuredIndex(ASTHelpers.getReceiverType(invocation), state);
    return i >= 0 && configuredReleases.get(i).contains(method.getSimpleName().toString());
  }

  private int configuredIndex(@Nullable Type type, VisitorState state) {
    if (type == null) {
      return -1;
    }
    for (int i = 0; i < configuredTypes.size(); i++) {
      if (configuredTypes.get(i).contains(type, state)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean isAutoCloseable(@Nullable Type type, VisitorState state) {
    return type != null
        && !type.isPrimitive()
        && state
            .getTypes()
            .isSubtype(state.getTypes().erasure(type), state.getSymtab().autoCloseableType);
  }

  // ---------------------------------------------------------------------------------------------
  // Periodic tasks on executors that outlive the method.

  /**
   * Whether a periodic task scheduled by {@code invocation} needs no handle: its executor is the
   * object itself ({@code this}), or a field that the declaring class shuts down in some method (a
   * lifecycle method such as {@code stop()} or {@code close()}), or a field declared in a class
   * this compilation unit does not contain (its lifecycle cannot be seen).
   */
  private boolean periodicTaskNeedsNoHandle(MethodInvocationTree invocation, VisitorState state) {
    ExpressionTree receiver = ASTHelpers.getReceiver(invocation);
    if (receiver == null) {
      return true; // an implicit this: the class is the executor
    }
    receiver = ASTHelpers.stripParentheses(receiver);
    if (receiver instanceof IdentifierTree id && id.getName().contentEquals("this")) {
      return true;
    }
    Symbol sym = ASTHelpers.getSymbol(receiver);
    if (!(sym instanceof VarSymbol field) || field.getKind() != ElementKind.FIELD) {
      return false;
    }
    TreePath path = state.getPath();
    if (path == null) {
      return false;
    }
    CompilationUnitTree unit = path.getCompilationUnit();
    if (!unit.equals(fieldCacheUnit)) {
      fieldShutDown.clear();
      fieldCacheUnit = unit;
    }
    return fieldShutDown.computeIfAbsent(
        field, f -> shutDownByItsClass((VarSymbol) f, unit, state));
  }

  private boolean shutDownByItsClass(
      VarSymbol field, CompilationUnitTree unit, VisitorState state) {
    ClassTree owner = findClass(unit, field.owner);
    if (owner == null) {
      return true;
    }
    return new AnyScanner() {
      @Override
      public Boolean visitMethodInvocation(MethodInvocationTree node, Void unused) {
        if (node.getMethodSelect() instanceof MemberSelectTree select
            && FIELD_SHUTDOWNS.contains(select.getIdentifier().toString())
            && isField(select.getExpression(), field)) {
          return true;
        }
        for (ExpressionTree arg : node.getArguments()) {
          if (isField(arg, field) && releasesArguments(node, state)) {
            return true;
          }
        }
        return super.visitMethodInvocation(node, null);
      }

      @Override
      public Boolean visitMemberReference(MemberReferenceTree node, Void unused) {
        if (FIELD_SHUTDOWNS.contains(node.getName().toString())
            && isField(node.getQualifierExpression(), field)) {
          return true;
        }
        return super.visitMemberReference(node, null);
      }
    }.anyIn(owner);
  }

  private boolean releasesArguments(MethodInvocationTree call, VisitorState state) {
    try {
      if (argumentUses.lookup(call, state) == Use.DISCHARGE) {
        return true;
      }
      CallEffect effect = ownership.argumentEffect(call, state);
      return effect != null && effect.arguments() == Use.DISCHARGE;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static boolean isField(@Nullable ExpressionTree tree, VarSymbol field) {
    if (tree == null) {
      return false;
    }
    ExpressionTree stripped = ASTHelpers.stripParentheses(tree);
    return (stripped instanceof IdentifierTree || stripped instanceof MemberSelectTree)
        && field.equals(ASTHelpers.getSymbol(stripped));
  }

  private static @Nullable ClassTree findClass(CompilationUnitTree unit, Symbol owner) {
    ClassTree[] result = new ClassTree[1];
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitClass(ClassTree node, Void unused) {
        if (result[0] == null && owner.equals(ASTHelpers.getSymbol(node))) {
          result[0] = node;
          return null;
        }
        return super.visitClass(node, null);
      }

      @Override
      public Void scan(Tree tree, Void unused) {
        return result[0] == null ? super.scan(tree, null) : null;
      }
    }.scan(unit, null);
    return result[0];
  }
}
