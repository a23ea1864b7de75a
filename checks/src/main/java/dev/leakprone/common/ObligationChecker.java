package dev.leakprone.common;

import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.BlockTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.LambdaExpressionTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.MethodTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MethodTree;
import dev.leakprone.engine.BodyAnalyzer;
import dev.leakprone.engine.Leak;
import dev.leakprone.engine.ObligationAnalysis;
import dev.leakprone.engine.ObligationSpec;
import java.util.Optional;

/**
 * What every obligation check does around the engine: analyse each method and lambda body, and
 * each initializer block, on its own, skip leaks suppressed on their variable, and report the rest one by one. A check supplies
 * its specification and turns one {@link Leak} into a diagnostic; a finding whose message cannot
 * be built is dropped, never the compilation.
 */
public abstract class ObligationChecker extends BugChecker
    implements MethodTreeMatcher, LambdaExpressionTreeMatcher, BlockTreeMatcher {
  private static final long serialVersionUID = 1L;

  /** The knowledge this check's obligations are analysed with. */
  protected abstract ObligationSpec spec();

  /** Reports one leak with {@link VisitorState#reportMatch}, or nothing. */
  protected abstract void report(Leak leak, VisitorState state);

  @Override
  public final Description matchMethod(MethodTree tree, VisitorState state) {
    return analyze(state);
  }

  @Override
  public final Description matchLambdaExpression(LambdaExpressionTree tree, VisitorState state) {
    return analyze(state);
  }

  /** Initializer blocks (static, instance, double-brace): analysed like a method body. */
  @Override
  public final Description matchBlock(BlockTree tree, VisitorState state) {
    return BodyAnalyzer.isInitializer(state.getPath()) ? analyze(state) : Description.NO_MATCH;
  }

  private Description analyze(VisitorState state) {
    Optional<ObligationAnalysis.Result> result = BodyAnalyzer.analyze(state, spec());
    if (result.isEmpty()) {
      return Description.NO_MATCH;
    }
    for (Leak leak : result.get().leaks()) {
      if (LeakReporter.suppressedAtVariable(leak, canonicalName(), state)) {
        continue;
      }
      try {
        report(leak, state);
      } catch (RuntimeException e) {
        // A tree the message builder does not expect: drop this finding, never the compilation.
      }
    }
    return Description.NO_MATCH;
  }
}
