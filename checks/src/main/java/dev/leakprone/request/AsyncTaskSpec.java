package dev.leakprone.request;

import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewClassTree;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import dev.leakprone.engine.CallEffect;
import dev.leakprone.engine.CallEffect.Acquire;
import dev.leakprone.engine.CallEffect.Use;
import dev.leakprone.engine.ObligationSpec;
import org.jspecify.annotations.Nullable;

/**
 * The obligation on a spawned task's handle: "wait for the task before the method returns, or hand
 * it to someone who does". Acquired by one spawning call whose task captures a request object (the
 * site under question; every other call is only modelled for what it does to that handle);
 * discharged by a wait ({@code get}, {@code join}, {@code awaitTermination} or {@code close} of a
 * per-call executor the task was given to); transferred by returning the handle, storing it, or
 * passing it to any other method (precision first: whoever receives it may wait for it).
 */
final class AsyncTaskSpec implements ObligationSpec {

  /** The detail of a per-call executor's obligation: modelled, never reported. */
  static final String EXECUTOR = "executor";

  private final SpawningApis apis;
  private final ExpressionTree site;

  AsyncTaskSpec(SpawningApis apis, ExpressionTree site) {
    this.apis = apis;
    this.site = site;
  }

  @Override
  public boolean mayAcquire(ExpressionTree call, VisitorState state) {
    return site.equals(call);
  }

  @Override
  public @Nullable CallEffect effect(ExpressionTree call, VisitorState state) {
    if (site.equals(call)) {
      boolean stage = isStageMethod(call, state);
      // The task is a child of the executor it was given to: awaiting that executor awaits it.
      Acquire acquire =
          !stage && call instanceof MethodInvocationTree mi && ASTHelpers.getReceiver(mi) != null
              ? Acquire.CHILD_OF_RECEIVER
              : Acquire.FRESH;
      return new CallEffect(
          acquire, stage ? Use.ALIAS : Use.NONE, stage ? Use.ALIAS : Use.NONE, null, null);
    }
    if (apis.createsExecutor(call, state)) {
      return CallEffect.acquires(Acquire.FRESH, "ExecutorService", EXECUTOR);
    }
    if (call instanceof NewClassTree) {
      return CallEffect.onArguments(Use.TRANSFER);
    }
    Symbol sym = ASTHelpers.getSymbol(call);
    if (!(sym instanceof MethodSymbol method)) {
      return null;
    }
    if (apis.awaits(method, state) || apis.awaitsExecutor(method, state)) {
      return CallEffect.onReceiver(Use.DISCHARGE);
    }
    if (apis.awaitsArguments(method, state)) {
      return CallEffect.onArguments(Use.DISCHARGE);
    }
    if (apis.aliasesArguments(method, state)) {
      return CallEffect.onArguments(Use.ALIAS);
    }
    if (apis.isCompletionStageMethod(method, state)) {
      // A dependent stage completes after its source: waiting on it waits on the source.
      return new CallEffect(Acquire.NONE, Use.ALIAS, Use.ALIAS, null, null);
    }
    if (method.isConstructor()) {
      return CallEffect.onArguments(Use.TRANSFER);
    }
    // Any other method the handle is passed to may wait for it, keep it or return it.
    return CallEffect.onArguments(Use.TRANSFER);
  }

  private boolean isStageMethod(ExpressionTree call, VisitorState state) {
    return ASTHelpers.getSymbol(call) instanceof MethodSymbol m
        && apis.isCompletionStageMethod(m, state);
  }
}
