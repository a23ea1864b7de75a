package dev.leakprone.common;

import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Symbol;
import dev.leakprone.engine.Leak;

/** Helpers shared by the checks that turn the engine's {@link Leak}s into diagnostics. */
public final class LeakReporter {
  private LeakReporter() {}

  /** {@code 'in' (FileInputStream)} or {@code FileInputStream} when no variable held it. */
  public static String subject(Leak leak) {
    return leak.variable() == null ? leak.label() : "'" + leak.variable() + "' (" + leak.label() + ")";
  }

  /**
   * Whether the leak is suppressed on the local variable that holds it, e.g. {@code
   * @SuppressWarnings("UnclosedResource") InputStream in = …}. Suppression on methods and classes
   * is handled by Error Prone itself.
   */
  public static boolean suppressedAtVariable(Leak leak, String checkName, VisitorState state) {
    try {
      return suppressedAt(leak, checkName, state);
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static boolean suppressedAt(Leak leak, String checkName, VisitorState state) {
    TreePath path = TreePath.getPath(state.getPath(), leak.site());
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      if (p.getLeaf() instanceof VariableTree var) {
        Symbol sym = ASTHelpers.getSymbol(var);
        SuppressWarnings sw = sym == null ? null : ASTHelpers.getAnnotation(sym, SuppressWarnings.class);
        if (sw != null) {
          for (String name : sw.value()) {
            if (name.equals(checkName) || name.equals("all")) {
              return true;
            }
          }
        }
        return false;
      }
      if (!(p.getLeaf() instanceof ExpressionTree)) {
        return false;
      }
    }
    return false;
  }
}
