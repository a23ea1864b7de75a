package dev.leakprone.request;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import com.google.errorprone.VisitorState;
import com.google.errorprone.suppliers.Supplier;
import com.google.errorprone.suppliers.Suppliers;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewClassTree;
import com.sun.tools.javac.code.Attribute;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Type;
import dev.leakprone.common.MethodTable;
import dev.leakprone.config.LeakProneConfig.MethodName;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The APIs that run a task on another thread after the caller may have returned, and the calls that
 * wait for such a task. Knowledge as data: every entry is {@code owner#name|name…} (any overload,
 * owner or a subtype), the same entries docs/checks/RequestCapturedByAsyncTask.md lists.
 */
final class SpawningApis {

  /** What a spawning call hands back. */
  enum Kind {
    /** A handle (Future, CompletableFuture, Thread, Disposable) the caller can wait on. */
    HANDLE,
    /** Nothing: the caller cannot wait for the task through the call's result. */
    VOID
  }

  /** Calls whose arguments are run later on another thread; each returns a handle or nothing. */
  static final ImmutableList<String> SPAWNING_METHODS =
      ImmutableList.of(
          "java.util.concurrent.Executor#execute",
          "java.util.concurrent.ExecutorService#submit",
          "java.util.concurrent.ScheduledExecutorService#schedule|scheduleAtFixedRate|scheduleWithFixedDelay",
          "java.util.concurrent.CompletableFuture#runAsync|supplyAsync",
          "java.util.concurrent.CompletionStage#thenApplyAsync|thenAcceptAsync|thenRunAsync|thenCombineAsync"
              + "|thenAcceptBothAsync|runAfterBothAsync|applyToEitherAsync|acceptEitherAsync|runAfterEitherAsync"
              + "|thenComposeAsync|handleAsync|whenCompleteAsync|exceptionallyAsync|exceptionallyComposeAsync"
              + "|thenApply|thenAccept|thenRun|thenCombine|thenAcceptBoth|runAfterBoth|applyToEither|acceptEither"
              + "|runAfterEither|thenCompose|handle|whenComplete|exceptionally|exceptionallyCompose",
          "java.util.concurrent.CompletableFuture#completeAsync",
          "java.lang.Thread#startVirtualThread",
          "java.lang.Thread.Builder#start|unstarted",
          "java.util.concurrent.ThreadFactory#newThread",
          "java.util.Timer#schedule|scheduleAtFixedRate",
          "org.springframework.core.task.AsyncTaskExecutor#submit|submitCompletable",
          "org.springframework.core.task.AsyncListenableTaskExecutor#submitListenable",
          "org.springframework.scheduling.TaskScheduler#schedule|scheduleAtFixedRate|scheduleWithFixedDelay",
          "reactor.core.scheduler.Scheduler#schedule|schedulePeriodically",
          "reactor.core.scheduler.Scheduler.Worker#schedule|schedulePeriodically");

  /** Calls on a handle that wait for its task (or cancel it before it runs). */
  static final ImmutableList<String> AWAITS =
      ImmutableList.of(
          "java.util.concurrent.Future#get|resultNow|cancel",
          "java.util.concurrent.CompletableFuture#join|get",
          "java.util.concurrent.ForkJoinTask#join|invoke|get",
          "java.lang.Thread#join",
          "reactor.core.Disposable#dispose",
          "org.springframework.util.concurrent.ListenableFuture#get");

  /** Calls that wait for the tasks passed to them. */
  static final ImmutableList<String> ARGUMENT_AWAITS =
      ImmutableList.of(
          "com.google.common.util.concurrent.Futures#getUnchecked|getDone|getChecked",
          "com.google.common.util.concurrent.Uninterruptibles#getUninterruptibly|joinUninterruptibly",
          "com.google.common.util.concurrent.MoreExecutors#shutdownAndAwaitTermination");

  /** Calls whose result completes only after the handles passed in: waiting on it waits on them. */
  static final ImmutableList<String> ARGUMENT_ALIASES =
      ImmutableList.of("java.util.concurrent.CompletableFuture#allOf|anyOf");

  /** Calls on an executor that wait until every task it was given has finished. */
  static final ImmutableList<String> EXECUTOR_AWAITS =
      ImmutableList.of(
          "java.util.concurrent.ExecutorService#awaitTermination|close",
          "java.util.concurrent.ForkJoinPool#awaitQuiescence");

  /** Executors created by the method itself: a per-call executor that may be awaited. */
  static final ImmutableList<String> EXECUTOR_FACTORIES =
      ImmutableList.of(
          "java.util.concurrent.Executors#newFixedThreadPool|newCachedThreadPool|newSingleThreadExecutor"
              + "|newScheduledThreadPool|newSingleThreadScheduledExecutor|newWorkStealingPool"
              + "|newThreadPerTaskExecutor|newVirtualThreadPerTaskExecutor");

  /** Constructions of per-call executors. */
  static final ImmutableList<String> EXECUTOR_TYPES =
      ImmutableList.of(
          "java.util.concurrent.ThreadPoolExecutor", "java.util.concurrent.ForkJoinPool");

  /**
   * Types of handles: a method that returns one hands its task over; others return nothing to wait
   * on.
   */
  static final ImmutableList<String> HANDLE_TYPES =
      ImmutableList.of(
          "java.util.concurrent.Future",
          "java.util.concurrent.CompletionStage",
          "java.lang.Thread",
          "reactor.core.Disposable",
          "org.springframework.util.concurrent.ListenableFuture");

  /** Spring's {@code @Async}: calling such a method (through its proxy) runs it on an executor. */
  static final String SPRING_ASYNC = "org.springframework.scheduling.annotation.Async";

  private static final String THREAD = "java.lang.Thread";

  /** Every simple name a spawning call can have: the cheap first test on each invocation. */
  private final ImmutableSet<String> names;

  private final MethodTable<Boolean> spawning;
  private final MethodTable<Boolean> awaits;
  private final MethodTable<Boolean> argumentAwaits;
  private final MethodTable<Boolean> argumentAliases;
  private final MethodTable<Boolean> executorAwaits;
  private final MethodTable<Boolean> executorFactories;
  private final ImmutableList<Supplier<@Nullable Type>> executorTypes;
  private final ImmutableList<Supplier<@Nullable Type>> handleTypes;
  private final Supplier<@Nullable Type> threadType = Suppliers.typeFromString(THREAD);
  private final Supplier<@Nullable Type> completionStage =
      Suppliers.typeFromString("java.util.concurrent.CompletionStage");

  /** Per class constructed: whether it is a Thread. */
  private final Map<Symbol, Boolean> threadClasses = new HashMap<>();

  SpawningApis(Collection<MethodName> extra) {
    MethodTable.Builder<Boolean> b = MethodTable.<Boolean>builder().putAll(SPAWNING_METHODS, true);
    Set<String> n = new HashSet<>();
    for (String spec : SPAWNING_METHODS) {
      n.addAll(ImmutableList.copyOf(spec.substring(spec.indexOf('#') + 1).split("\\|")));
    }
    for (MethodName m : extra) {
      b.put(m.owner() + "#" + m.name(), true);
      n.add(m.name());
    }
    this.names = ImmutableSet.copyOf(n);
    this.spawning = b.build();
    this.awaits = MethodTable.<Boolean>builder().putAll(AWAITS, true).build();
    this.argumentAwaits = MethodTable.<Boolean>builder().putAll(ARGUMENT_AWAITS, true).build();
    this.argumentAliases = MethodTable.<Boolean>builder().putAll(ARGUMENT_ALIASES, true).build();
    this.executorAwaits = MethodTable.<Boolean>builder().putAll(EXECUTOR_AWAITS, true).build();
    this.executorFactories =
        MethodTable.<Boolean>builder().putAll(EXECUTOR_FACTORIES, true).build();
    this.executorTypes =
        EXECUTOR_TYPES.stream()
            .map(Suppliers::typeFromString)
            .collect(ImmutableList.toImmutableList());
    this.handleTypes =
        HANDLE_TYPES.stream()
            .map(Suppliers::typeFromString)
            .collect(ImmutableList.toImmutableList());
  }

  /**
   * What {@code call} spawns, or null if it is not a spawning call: a table method, a {@code new}
   * of a Thread (or subclass), or a call of a Spring {@code @Async} method through another object
   * (a call on {@code this} bypasses the proxy and runs synchronously).
   */
  @Nullable Kind kind(ExpressionTree call, VisitorState state) {
    if (call instanceof NewClassTree newClass) {
      return isThread(ASTHelpers.getType(newClass), state) ? Kind.HANDLE : null;
    }
    if (!(call instanceof MethodInvocationTree invocation) || invocation.getArguments().isEmpty()) {
      return null;
    }
    Symbol sym = ASTHelpers.getSymbol(invocation);
    if (!(sym instanceof MethodSymbol method)) {
      return null;
    }
    if (names.contains(method.getSimpleName().toString())
        && spawning.lookup(method, state) != null) {
      return kindOfResult(method.getReturnType(), state);
    }
    if (isAsyncAnnotated(method) && !onThis(invocation)) {
      return kindOfResult(method.getReturnType(), state);
    }
    return null;
  }

  /** Whether {@code call} is a spawning call that is a Spring {@code @Async} method. */
  static boolean isAsyncCall(ExpressionTree call) {
    Symbol sym = ASTHelpers.getSymbol(call);
    return sym instanceof MethodSymbol m && !m.isConstructor() && isAsyncAnnotated(m);
  }

  private Kind kindOfResult(Type result, VisitorState state) {
    if (result == null || result.isPrimitiveOrVoid()) {
      return Kind.VOID;
    }
    Type erased = state.getTypes().erasure(result);
    for (Supplier<@Nullable Type> s : handleTypes) {
      Type t = s.get(state);
      if (t != null && state.getTypes().isSubtype(erased, state.getTypes().erasure(t))) {
        return Kind.HANDLE;
      }
    }
    return Kind.VOID;
  }

  /** {@code @Async} on the method or on its class; cheap when neither carries annotations. */
  private static boolean isAsyncAnnotated(MethodSymbol method) {
    return hasAnnotation(method, SPRING_ASYNC)
        || (method.owner != null && hasAnnotation(method.owner, SPRING_ASYNC));
  }

  private static boolean hasAnnotation(Symbol sym, String name) {
    for (Attribute.Compound a : sym.getRawAttributes()) {
      if (a.type != null
          && a.type.tsym != null
          && a.type.tsym.getQualifiedName().contentEquals(name)) {
        return true;
      }
    }
    return false;
  }

  private static boolean onThis(MethodInvocationTree invocation) {
    ExpressionTree receiver = ASTHelpers.getReceiver(invocation);
    if (receiver == null) {
      return true;
    }
    receiver = ASTHelpers.stripParentheses(receiver);
    return receiver instanceof com.sun.source.tree.IdentifierTree id
        && id.getName().contentEquals("this");
  }

  boolean isThread(@Nullable Type type, VisitorState state) {
    if (type == null || type.tsym == null) {
      return false;
    }
    if (threadClasses.size() > 20_000) {
      threadClasses.clear();
    }
    return threadClasses.computeIfAbsent(
        type.tsym,
        t -> {
          Type thread = threadType.get(state);
          return thread != null
              && state.getTypes().isSubtype(state.getTypes().erasure(type), thread);
        });
  }

  boolean isCompletionStageMethod(MethodSymbol method, VisitorState state) {
    Type stage = completionStage.get(state);
    return stage != null
        && !method.isStatic()
        && method.owner != null
        && state
            .getTypes()
            .isSubtype(state.getTypes().erasure(method.owner.type), state.getTypes().erasure(stage))
        && state
            .getTypes()
            .isSubtype(
                state.getTypes().erasure(method.getReturnType()), state.getTypes().erasure(stage));
  }

  boolean awaits(MethodSymbol method, VisitorState state) {
    return awaits.lookup(method, state) != null;
  }

  boolean awaitsArguments(MethodSymbol method, VisitorState state) {
    return argumentAwaits.lookup(method, state) != null;
  }

  boolean aliasesArguments(MethodSymbol method, VisitorState state) {
    return argumentAliases.lookup(method, state) != null;
  }

  boolean awaitsExecutor(MethodSymbol method, VisitorState state) {
    return executorAwaits.lookup(method, state) != null;
  }

  boolean createsExecutor(ExpressionTree call, VisitorState state) {
    if (call instanceof NewClassTree newClass) {
      Type type = ASTHelpers.getType(newClass);
      if (type == null) {
        return false;
      }
      for (Supplier<@Nullable Type> s : executorTypes) {
        Type t = s.get(state);
        if (t != null && state.getTypes().isSubtype(state.getTypes().erasure(type), t)) {
          return true;
        }
      }
      return false;
    }
    return executorFactories.matches(call, state);
  }
}
