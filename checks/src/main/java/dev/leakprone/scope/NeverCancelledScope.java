package dev.leakprone.scope;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;

import com.google.auto.service.AutoService;
import com.google.common.collect.ImmutableSet;
import com.google.errorprone.BugPattern;
import com.google.errorprone.ErrorProneFlags;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import dev.leakprone.common.Docs;
import dev.leakprone.common.ObligationChecker;
import dev.leakprone.common.Singletons;
import dev.leakprone.common.TryWithResourcesFix;
import dev.leakprone.config.LeakProneConfig;
import dev.leakprone.engine.Leak;
import dev.leakprone.report.Findings;
import dev.leakprone.scope.ScopeSpec.Family;
import java.util.stream.Collectors;
import javax.inject.Inject;
import org.jspecify.annotations.Nullable;

/**
 * A context, scope, span, observation, timer, thread pool or periodic task that a method opens and
 * does not cancel, close, end, stop or shut down on every path, nor hand to an owner.
 */
@AutoService(BugChecker.class)
@BugPattern(
    summary = "Cancel, close, end or shut down this scope on every path, or hand it to an owner",
    severity = WARNING,
    tags = BugPattern.StandardTags.LIKELY_ERROR,
    linkType = CUSTOM,
    link = Docs.BASE + "NeverCancelledScope.md")
public final class NeverCancelledScope extends ObligationChecker {
  private static final long serialVersionUID = 1L;

  private final ScopeSpec spec;

  /** For {@link java.util.ServiceLoader}, which needs a public no-argument constructor. */
  public NeverCancelledScope() {
    this(ErrorProneFlags.empty());
  }

  /** Used by Error Prone, which passes the {@code -XepOpt} flags. */
  @Inject
  public NeverCancelledScope(ErrorProneFlags flags) {
    super(flags);
    this.spec = new ScopeSpec(config());
  }

  @Override
  protected ScopeSpec spec() {
    return spec;
  }

  @Override
  protected void report(Leak leak, VisitorState state) {
    Family family = spec.family(leak.site(), state);
    if (family == null || processLifetime(family, leak, state)) {
      return;
    }
    Description.Builder d = buildDescription(leak.site()).setMessage(message(leak, family, state));
    if ((leak.kind() == Leak.Kind.NEVER || leak.kind() == Leak.Kind.ON_EXCEPTION)
        && spec.closesWithTryWithResources(family, leak.site(), state)) {
      TryWithResourcesFix.forAcquisition(leak.site(), state).ifPresent(d::addFix);
    }
    Findings.report(this, state, d.build(), leak.variable());
  }

  /**
   * A timer or thread pool that is never stopped, made once for the life of the process: in a
   * static initializer, or in a constructor or instance initializer of a singleton (its class is a
   * singleton by {@link Singletons}: an enum, a Spring or CDI bean, a class that keeps its only
   * instance in its own static field). Unless its threads are known to be non-daemon (they would
   * keep the JVM from exiting), that is a background service by design (h2's deadlock detector
   * timer), not a leak per call.
   */
  private boolean processLifetime(Family family, Leak leak, VisitorState state) {
    if ((family != Family.TIMER && family != Family.EXECUTOR)
        || leak.kind() != Leak.Kind.NEVER
        || "non-daemon".equals(leak.detail())) {
      return false;
    }
    TreePath path = state.getPath();
    Tree body = path == null ? null : path.getLeaf();
    if (body instanceof BlockTree block && block.isStatic()) {
      return true;
    }
    boolean constructor = false;
    if (body instanceof MethodTree method) {
      MethodSymbol sym = ASTHelpers.getSymbol(method);
      constructor = sym != null && sym.isConstructor();
    }
    if (!constructor && !(body instanceof BlockTree)) {
      return false;
    }
    TreePath parent = path.getParentPath();
    if (parent == null || !(parent.getLeaf() instanceof ClassTree cls)) {
      return false;
    }
    ClassSymbol clsSym = ASTHelpers.getSymbol(cls);
    return clsSym != null
        && Singletons.isSingleton(clsSym, cls, state.getTypes(), config().singletonAnnotations());
  }

  // ---------------------------------------------------------------------------------------------
  // Messages: the object, what it keeps alive, how to release it.

  private String message(Leak leak, Family family, VisitorState state) {
    ExpressionTree site = leak.site();
    String var = leak.variable();
    String origin = origin(site);
    String verb = verb(family);
    String keeps = keepsAlive(family, site, leak.detail());
    String remedy = remedy(family, var, site, state);
    if (family == Family.PERIODIC_TASK
        && var == null
        && (leak.kind() == Leak.Kind.NEVER || leak.kind() == Leak.Kind.OVERWRITTEN_IN_LOOP)) {
      return "periodic task from "
          + origin
          + " can never be stopped: its ScheduledFuture is discarded and"
          + " the executor outlives this method, so "
          + keeps
          + "; "
          + remedy;
    }
    String subject =
        (family == Family.GRPC_ATTACH ? "previous " : "")
            + leak.label()
            + (var == null ? "" : " '" + var + "'")
            + " from "
            + origin;
    return switch (leak.kind()) {
      case NEVER -> subject + " is never " + verb + ": " + keeps + "; " + remedy;
      case SOME_PATHS ->
          subject
              + " is not "
              + verb
              + " on every path, and where it is not, "
              + keeps
              + "; "
              + remedy;
      case ON_EXCEPTION ->
          subject
              + " is not "
              + verb
              + " if an exception is thrown"
              + (leak.exceptionLine() > 0 ? " at line " + leak.exceptionLine() : "")
              + ", and then "
              + keeps
              + "; "
              + remedy;
      case OVERWRITTEN_IN_LOOP ->
          subject
              + " is created again on the next loop iteration while the previous"
              + " one is never "
              + verb
              + ": "
              + keeps
              + "; release each one in the iteration that creates it: "
              + remedy;
    };
  }

  /** {@code withDeadlineAfter(…)}, {@code makeCurrent()}, {@code new Timer()}. */
  private static String origin(ExpressionTree site) {
    if (site instanceof NewClassTree newClass) {
      Type type = ASTHelpers.getType(newClass);
      String name = type == null || type.tsym == null ? "" : type.tsym.getSimpleName().toString();
      if (name.isEmpty() && type != null) {
        // An anonymous subclass: name what it extends.
        Type sup = type.tsym instanceof ClassSymbol c ? c.getSuperclass() : null;
        name = sup == null || sup.tsym == null ? "" : sup.tsym.getSimpleName().toString();
      }
      return "new " + name + (newClass.getArguments().isEmpty() ? "()" : "(…)");
    }
    if (site instanceof MethodInvocationTree invocation) {
      Symbol sym = ASTHelpers.getSymbol(invocation);
      String name = sym == null ? "call" : sym.getSimpleName().toString();
      return name + (invocation.getArguments().isEmpty() ? "()" : "(…)");
    }
    return "here";
  }

  private static String verb(Family family) {
    return switch (family) {
      case GRPC_CANCELLABLE, TIMER, PERIODIC_TASK -> "cancelled";
      case GRPC_ATTACH -> "passed to detach(…)";
      case OTEL_SPAN -> "ended";
      case BRAVE_SCOPED_SPAN, BRAVE_SPAN -> "finished";
      case MICROMETER_OBSERVATION -> "stopped";
      case EXECUTOR -> "shut down";
      case CONFIGURED -> "released";
      case OTEL_SCOPE, BRAVE_SPAN_IN_SCOPE, BRAVE_SCOPE, MICROMETER_SCOPE, STRUCTURED_TASK_SCOPE ->
          "closed";
    };
  }

  private static String keepsAlive(Family family, ExpressionTree site, @Nullable String detail) {
    boolean nonDaemon = "non-daemon".equals(detail);
    return switch (family) {
      case GRPC_CANCELLABLE ->
          methodName(site).equals("withCancellation")
              ? "it stays registered as a listener of its parent context until the parent is cancelled, so the"
                  + " parent's listener count grows with every call"
              : "its deadline timer and listeners stay alive until the deadline fires";
      case GRPC_ATTACH ->
          "the attached context stays current on this thread, so later work on the pooled"
              + " thread runs with its deadline, cancellation and values";
      case OTEL_SCOPE ->
          "the span or context stays current on this thread, so later work on the pooled thread"
              + " runs under the wrong trace context";
      case OTEL_SPAN ->
          "the span is never exported, so the trace shows it missing and its children orphaned";
      case BRAVE_SPAN_IN_SCOPE, BRAVE_SCOPE ->
          "the span stays current on this thread, so later work on the"
              + " pooled thread joins the wrong trace";
      case BRAVE_SCOPED_SPAN ->
          "the span is never reported and its trace context stays current on this"
              + " thread, so later work on the pooled thread joins the wrong trace";
      case BRAVE_SPAN ->
          "the span is never reported; Brave only flags it as orphaned once it is garbage"
              + " collected";
      case MICROMETER_SCOPE ->
          "the observation stays current on this thread, so later work on the pooled"
              + " thread is attributed to it";
      case MICROMETER_OBSERVATION ->
          "its handlers never see it stop: its timer never records it, long-task"
              + " timers keep counting it and its tracing span is never exported";
      case TIMER ->
          nonDaemon
              ? "it is a non-daemon timer: its thread (Timer-N) keeps running and keeps the JVM from exiting"
              : "its thread (Timer-N) keeps running while tasks are scheduled";
      case EXECUTOR -> executorThreads(site, nonDaemon);
      case PERIODIC_TASK ->
          "the task runs, keeping everything it captures reachable, until the executor"
              + " shuts down";
      case STRUCTURED_TASK_SCOPE ->
          "its forked threads are neither cancelled nor joined and the scope stays"
              + " open on this thread";
      case CONFIGURED ->
          "what it holds stays held (it is a scope type listed in -XepOpt:"
              + LeakProneConfig.SCOPE_TYPES
              + ")";
    };
  }

  private static String executorThreads(ExpressionTree site, boolean nonDaemon) {
    String name = methodName(site);
    Type type = ASTHelpers.getType(site);
    String typeName = type == null || type.tsym == null ? "" : type.tsym.getSimpleName().toString();
    if (name.equals("newVirtualThreadPerTaskExecutor") || name.equals("newThreadPerTaskExecutor")) {
      return "an executor is leaked per call: nothing waits for its tasks and it is never terminated";
    }
    String threads =
        name.equals("newWorkStealingPool") || typeName.equals("ForkJoinPool")
            ? "ForkJoinPool-N-worker-M"
            : "pool-N-thread-M";
    return nonDaemon
        ? "a thread pool is leaked per call: its non-daemon threads ("
            + threads
            + ") stay alive after the"
            + " method returns and keep the JVM from exiting"
        : "a thread pool is leaked per call: its threads ("
            + threads
            + ") stay alive after the method returns";
  }

  private String remedy(
      Family family, @Nullable String var, ExpressionTree site, VisitorState state) {
    return switch (family) {
      case GRPC_CANCELLABLE ->
          "close it with try-with-resources or call " + call(var, "cancel(null)") + " in finally";
      case GRPC_ATTACH ->
          (var == null ? "keep the returned context and " : "")
              + "call "
              + attachedContext(site)
              + ".detach("
              + (var == null ? "previous" : var)
              + ") in finally";
      case OTEL_SCOPE ->
          "close it with try-with-resources: try (Scope scope = …."
              + methodName(site)
              + "()) { … }";
      case BRAVE_SPAN_IN_SCOPE, BRAVE_SCOPE, MICROMETER_SCOPE, STRUCTURED_TASK_SCOPE ->
          "close it with try-with-resources";
      case OTEL_SPAN ->
          "call "
              + call(var, "end()")
              + " in finally, or in the completion callback of the"
              + " asynchronous work it measures";
      case BRAVE_SCOPED_SPAN -> "call " + call(var, "finish()") + " in finally";
      case BRAVE_SPAN ->
          "call "
              + call(var, "finish()")
              + " in finally ("
              + call(var, "error(e)")
              + " in catch), or "
              + call(var, "abandon()");
      case MICROMETER_OBSERVATION ->
          "call "
              + call(var, "stop()")
              + " in finally ("
              + call(var, "error(e)")
              + " in catch), or let observe(…) start and stop it";
      case TIMER ->
          "call "
              + call(var, "cancel()")
              + " when it is no longer needed, or hand it to an owner"
              + " that does";
      case EXECUTOR ->
          "call "
              + call(var, "shutdown()")
              + " in finally, or hand it to an owner that shuts it"
              + " down";
      case PERIODIC_TASK ->
          var == null
              ? "keep the ScheduledFuture and cancel it when the task is no longer needed, or store it in a field"
                  + " that a lifecycle method cancels"
              : "call "
                  + call(var, "cancel(false)")
                  + " when the task is no longer needed, or store it in a"
                  + " field that a lifecycle method cancels";
      case CONFIGURED -> {
        ImmutableSet<String> releases = spec.configuredReleaseMethods(site, state);
        String calls =
            releases.isEmpty()
                ? call(var, "close()")
                : releases.stream()
                    .map(m -> call(var, m + "()"))
                    .collect(Collectors.joining(" or "));
        yield "call "
            + calls
            + " in finally"
            + (spec.closesWithTryWithResources(family, site, state)
                ? ", or use try-with-resources"
                : "");
      }
    };
  }

  /** {@code ctx.cancel(null)}, or {@code cancel(null) on it} when no variable holds the object. */
  private static String call(@Nullable String var, String call) {
    return var == null ? call + " on it" : var + "." + call;
  }

  private static String methodName(ExpressionTree site) {
    Symbol sym = ASTHelpers.getSymbol(site);
    return sym instanceof MethodSymbol m && !m.isConstructor() ? m.getSimpleName().toString() : "";
  }

  /** The name of the context whose {@code attach()} returned the previous one. */
  private static String attachedContext(ExpressionTree site) {
    if (site instanceof MethodInvocationTree invocation) {
      ExpressionTree receiver = ASTHelpers.getReceiver(invocation);
      if (receiver instanceof IdentifierTree id && ASTHelpers.getSymbol(id) instanceof VarSymbol) {
        return id.getName().toString();
      }
    }
    return "attachedContext";
  }
}
