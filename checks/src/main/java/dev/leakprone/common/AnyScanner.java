package dev.leakprone.common;

import com.sun.source.tree.Tree;
import com.sun.source.util.TreeScanner;

/**
 * A tree scanner that answers "does anything in this tree match?": visit methods return true for a
 * match (or the result of {@code super}), and {@link #reduce} combines children with or.
 */
public abstract class AnyScanner extends TreeScanner<Boolean, Void> {

  @Override
  public Boolean reduce(Boolean a, Boolean b) {
    return Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b);
  }

  /** Whether any node of {@code tree} matches. */
  public final boolean anyIn(Tree tree) {
    return Boolean.TRUE.equals(scan(tree, null));
  }
}
