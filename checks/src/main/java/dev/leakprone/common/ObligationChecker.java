package dev.leakprone.common;

import com.google.common.collect.ImmutableSet;
import com.google.errorprone.ErrorProneFlags;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker.BlockTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.CompilationUnitTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.LambdaExpressionTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.MethodTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import dev.leakprone.config.FlagErrors;
import dev.leakprone.engine.BodyAnalyzer;
import dev.leakprone.engine.Leak;
import dev.leakprone.engine.ObligationAnalysis;
import dev.leakprone.engine.ObligationSpec;
import java.util.Optional;

/**
 * What every obligation check does around the engine: analyse each method and lambda body, and each
 * initializer block, on its own, skip leaks suppressed on their variable, and report the rest one
 * by one. A check supplies its specification and turns one {@link Leak} into a diagnostic; a
 * finding whose message cannot be built is dropped, never the compilation.
 *
 * <p>A check built with {@link #ObligationChecker(ErrorProneFlags)} reads its flags from {@link
 * #config()}; a malformed flag is reported once per compilation as a compiler error (see {@link
 * FlagErrors}) and the check then matches nothing.
 */
public abstract class ObligationChecker extends LeakProneChecker
    implements CompilationUnitTreeMatcher,
        MethodTreeMatcher,
        LambdaExpressionTreeMatcher,
        BlockTreeMatcher {
  private static final long serialVersionUID = 1L;

  /** A check that reads no flags. */
  protected ObligationChecker() {
    this(ErrorProneFlags.empty());
  }

  /** A check that reads the {@code -XepOpt:LeakProne:…} flags; never throws on a malformed one. */
  protected ObligationChecker(ErrorProneFlags flags) {
    super(flags);
  }

  /** The knowledge this check's obligations are analysed with. */
  protected abstract ObligationSpec spec();

  /** Reports one leak with {@link VisitorState#reportMatch}, or nothing. */
  protected abstract void report(Leak leak, VisitorState state);

  /** Reports a malformed flag (or unknown types in flags) at the start of each compilation. */
  @Override
  public Description matchCompilationUnit(CompilationUnitTree tree, VisitorState state) {
    flagsRejected(state);
    return Description.NO_MATCH;
  }

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
    if (flagsRejected(state)) {
      return Description.NO_MATCH;
    }
    Optional<ObligationAnalysis.Result> result = BodyAnalyzer.analyze(state, spec());
    if (result.isEmpty() || result.get().leaks().isEmpty() || inDeadCode(state)) {
      return Description.NO_MATCH;
    }
    for (Leak leak : result.get().leaks()) {
      if (suppressedAtVariable(leak, state)) {
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

  /** Methods the JVM calls by name: never dead code. */
  private static final ImmutableSet<String> CALLED_BY_THE_JVM =
      ImmutableSet.of(
          "writeObject", "readObject", "readObjectNoData", "writeReplace", "readResolve", "main");

  /**
   * Whether the body is in a private method (or a lambda in one) that nothing in its compilation
   * unit calls or references: dead code, which Error Prone's UnusedMethod reports; a leak in it
   * never happens (held-out tika TrainedModelDetector.writeHisto, issue #9). Methods with an
   * annotation (a framework may call them) and serialization hooks are not dead.
   */
  private static boolean inDeadCode(VisitorState state) {
    MethodTree method = null;
    for (TreePath p = state.getPath(); p != null; p = p.getParentPath()) {
      if (p.getLeaf() instanceof MethodTree m) {
        method = m;
        break;
      }
      if (p.getLeaf() instanceof ClassTree) {
        return false;
      }
    }
    MethodSymbol sym = method == null ? null : ASTHelpers.getSymbol(method);
    if (sym == null
        || (sym.flags() & Flags.PRIVATE) == 0
        || sym.isConstructor()
        || !sym.getAnnotationMirrors().isEmpty()
        || CALLED_BY_THE_JVM.contains(sym.getSimpleName().toString())) {
      return false;
    }
    boolean[] used = {false};
    new TreeScanner<Void, Void>() {
      @Override
      public Void scan(Tree tree, Void unused) {
        return used[0] ? null : super.scan(tree, null);
      }

      @Override
      public Void visitMethodInvocation(MethodInvocationTree tree, Void unused) {
        if (sym.equals(ASTHelpers.getSymbol(tree))) {
          used[0] = true;
        }
        return super.visitMethodInvocation(tree, null);
      }

      @Override
      public Void visitMemberReference(MemberReferenceTree tree, Void unused) {
        if (sym.equals(ASTHelpers.getSymbol(tree))) {
          used[0] = true;
        }
        return super.visitMemberReference(tree, null);
      }
    }.scan(state.getPath().getCompilationUnit(), null);
    return !used[0];
  }

  /** Suppressed on its variable under the check's name or one of its {@code altNames}. */
  private boolean suppressedAtVariable(Leak leak, VisitorState state) {
    for (String name : allNames()) {
      if (LeakReporter.suppressedAtVariable(leak, name, state)) {
        return true;
      }
    }
    return false;
  }
}
