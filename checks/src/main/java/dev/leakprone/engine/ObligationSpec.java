package dev.leakprone.engine;

import com.google.errorprone.VisitorState;
import com.sun.source.tree.ExpressionTree;
import org.jspecify.annotations.Nullable;

/**
 * Declarative knowledge of one family of obligations: what acquires one, what releases it, what
 * takes ownership of it. The engine ({@link ObligationAnalysis}) knows nothing else about
 * resources, scopes or executors.
 *
 * <p>Implementations are built from tables (see {@code dev.leakprone.common.MethodTable}); they
 * must be cheap, side-effect free and must not throw.
 */
public interface ObligationSpec {

  /**
   * A cheap test, used before any control-flow graph is built: can {@code call} (a method
   * invocation or an object creation) acquire an obligation? Methods in which no call passes this
   * test, or in which every call that passes it hands its result straight to an owner (returned,
   * stored in a field, a try-with-resources variable), are skipped.
   */
  boolean mayAcquire(ExpressionTree call, VisitorState state);

  /**
   * What {@code call} (a method invocation or object creation) does, or null if the specification
   * knows nothing of it; the engine then applies its default rules: a constructor's result, and a
   * method's {@code AutoCloseable} result, stand for the obligations passed to them (wrappers,
   * views and owners), other operands are only read.
   */
  @Nullable CallEffect effect(ExpressionTree call, VisitorState state);

  /**
   * Whether an effect keyed {@code releasing} discharges an open obligation keyed {@code held} (see
   * {@link CallEffect} on keyed obligations). By default the keys must be equal; a specification
   * overrides this for calls that release a whole family ({@code MDC.clear()}).
   */
  default boolean releasesKey(Object releasing, Object held) {
    return releasing.equals(held);
  }

  /**
   * Whether the engine follows the unchecked exceptions that {@code call} may throw. By default it
   * does not (see {@link ObligationAnalysis}); a specification whose obligations must be released
   * in {@code finally} whatever is thrown (thread-local bindings on pooled threads) returns true
   * for the calls it does not know to be harmless.
   */
  default boolean followsUncheckedExceptions(ExpressionTree call, VisitorState state) {
    return false;
  }

  /**
   * Whether {@code call} (a method invocation) releases the open {@link
   * CallEffect.Acquire#CHILD_OF_RECEIVER} obligations of its receiver, as JDBC's execution methods
   * implicitly close the statement's current result set. By default no call does.
   */
  default boolean releasesChildrenOfReceiver(ExpressionTree call, VisitorState state) {
    return false;
  }
}
