package dev.leakprone.common;

import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Attribute;
import com.sun.tools.javac.code.Symbol;
import dev.leakprone.engine.Leak;
import java.util.List;

/** Helpers shared by the checks that turn the engine's {@link Leak}s into diagnostics. */
public final class LeakReporter {
  private LeakReporter() {}

  /**
   * {@code 'in' (FileInputStream)}, {@code 'reader' (BufferedReader over FileReader)}, or {@code
   * FileInputStream} when no variable held it.
   */
  public static String subject(Leak leak) {
    String type = leak.holder() == null ? leak.label() : leak.holder() + " over " + leak.label();
    return leak.variable() == null ? type : "'" + leak.variable() + "' (" + type + ")";
  }

  /**
   * Whether the leak is suppressed on the local variable that holds it, e.g.
   * {@code @SuppressWarnings("UnclosedResource") InputStream in = …}. Suppression on methods and
   * classes is handled by Error Prone itself.
   */
  public static boolean suppressedAtVariable(Leak leak, String checkName, VisitorState state) {
    try {
      return suppressedAt(leak, checkName, state);
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static boolean suppresses(Symbol sym, String checkName) {
    for (Attribute.Compound a : sym.getRawAttributes()) {
      if (a.type.tsym.getQualifiedName().contentEquals("java.lang.SuppressWarnings")) {
        for (Attribute value : a.getElementValues().values()) {
          List<Attribute> names =
              value instanceof Attribute.Array array ? List.of(array.values) : List.of(value);
          for (Attribute name : names) {
            Object v = name.getValue();
            if (checkName.equals(v) || "all".equals(v)) {
              return true;
            }
          }
        }
      }
    }
    return false;
  }

  private static boolean suppressedAt(Leak leak, String checkName, VisitorState state) {
    TreePath path = TreePath.getPath(state.getPath(), leak.site());
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      if (p.getLeaf() instanceof VariableTree var) {
        Symbol sym = ASTHelpers.getSymbol(var);
        return sym != null && suppresses(sym, checkName);
      }
      if (!(p.getLeaf() instanceof ExpressionTree)) {
        return false;
      }
    }
    return false;
  }
}
