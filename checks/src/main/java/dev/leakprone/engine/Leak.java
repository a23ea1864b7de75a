package dev.leakprone.engine;

import com.sun.source.tree.ExpressionTree;
import org.jspecify.annotations.Nullable;

/**
 * An obligation that is not released on some path out of the analysed body: the engine's fact,
 * which a check turns into a diagnostic.
 *
 * @param site the expression that acquired the obligation
 * @param label how the acquired object is named (e.g. {@code FileInputStream})
 * @param variable the first local variable that held it, or null if it was never in one
 * @param holder the type of what that variable held when it was a wrapper or view of the acquired
 *     object ({@code BufferedReader} over a {@code FileReader}), or null
 * @param kind on which paths it is lost
 * @param exceptionLine for {@link Kind#ON_EXCEPTION}, the line of the first statement whose
 *     exception leaves it open (0 if unknown)
 * @param detail the specification's extra fact for the message, or null
 */
public record Leak(
    ExpressionTree site,
    String label,
    @Nullable String variable,
    @Nullable String holder,
    Kind kind,
    int exceptionLine,
    @Nullable String detail) {

  /** On which paths the obligation is lost. */
  public enum Kind {
    /** Released on no path that leaves the body normally. */
    NEVER,
    /** Released on some normal paths out of the body but not on others. */
    SOME_PATHS,
    /** Released on every normal path, but not when an exception leaves the body. */
    ON_EXCEPTION,
    /** Acquired again in a loop while the previous one is still held and never released. */
    OVERWRITTEN_IN_LOOP
  }
}
