package dev.leakprone.report;

import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.matchers.Description;
import org.jspecify.annotations.Nullable;

/**
 * The one reporting path of every LeakProne check: checks build their {@link Description} and hand
 * it here instead of calling {@link VisitorState#reportMatch} themselves, so that whatever applies
 * to every finding is done once, for every check present and future:
 *
 * <ul>
 *   <li>a stable fingerprint (check, enclosing class and member, subject, occurrence index; see
 *       {@link Fingerprint});
 *   <li>the baseline ({@code -XepOpt:LeakProne:Baseline}): a finding it lists is not reported to
 *       javac, and stays in the SARIF log marked as such;
 *   <li>the SARIF 2.1.0 log ({@code -XepOpt:LeakProne:SarifReport}), written with every finding of
 *       the compilation when javac finishes, whatever {@code -Xmaxwarns} cut off;
 *   <li>the summary note at the end of the compilation, and the note on baseline entries that match
 *       nothing any more.
 * </ul>
 *
 * The SARIF rules come from the checks' {@code @BugPattern}s: a new check needs no code here.
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
    if (description == null || Description.NO_MATCH.equals(description)) {
      return;
    }
    boolean baselined = false;
    try {
      baselined = Session.of(state).record(check, state, description, subject);
    } catch (RuntimeException | LinkageError e) {
      // Never lose a finding, nor break the build, over the report: report it as Error Prone would.
    }
    if (!baselined) {
      state.reportMatch(description);
    }
  }
}
