package dev.leakprone.common;

import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.TypeCastTree;

/** Small helpers on javac trees shared by the checks. */
public final class Trees {
  private Trees() {}

  /**
   * {@code tree} without the parentheses and casts around it: {@code ((Closeable) (in))} is {@code
   * in}.
   */
  public static ExpressionTree stripParensAndCasts(ExpressionTree tree) {
    ExpressionTree e = tree;
    while (e instanceof ParenthesizedTree || e instanceof TypeCastTree) {
      e = e instanceof ParenthesizedTree p ? p.getExpression() : ((TypeCastTree) e).getExpression();
    }
    return e;
  }
}
