package dev.leakprone.common;

import com.google.errorprone.ErrorProneFlags;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import dev.leakprone.config.FlagErrors;
import dev.leakprone.config.LeakProneConfig;

/**
 * The base of every LeakProne check: reads the {@code -XepOpt:LeakProne:…} flags once, never
 * throwing on a malformed one. A malformed flag is reported once per compilation as a compiler
 * error (see {@link FlagErrors}), and the check then matches nothing: every matcher of a subclass
 * starts with {@link #flagsRejected}.
 */
public abstract class LeakProneChecker extends BugChecker {
  private static final long serialVersionUID = 1L;

  private final FlagErrors flagErrors;

  /** A check that reads the {@code -XepOpt:LeakProne:…} flags; never throws on a malformed one. */
  protected LeakProneChecker(ErrorProneFlags flags) {
    this.flagErrors = FlagErrors.parse(flags);
  }

  /** The parsed flags; the empty configuration when a flag is malformed (the check is then off). */
  protected final LeakProneConfig config() {
    return flagErrors.config();
  }

  /**
   * Whether a malformed flag switched LeakProne off in this compilation (reported once as a
   * compiler error, by the first matcher that asks).
   */
  protected final boolean flagsRejected(VisitorState state) {
    return flagErrors.disabled(state);
  }
}
