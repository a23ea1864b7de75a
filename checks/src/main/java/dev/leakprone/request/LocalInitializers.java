package dev.leakprone.request;

import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Symbol;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The initializers of the local variables of a method, found by one scan of the method and kept for
 * the current compilation unit (bounded), so that asking for many variables of one method does not
 * scan it again and again.
 */
final class LocalInitializers {
  private static final int MAX_SCOPES = 256;

  private @Nullable CompilationUnitTree unit;
  private final IdentityHashMap<Tree, Map<Symbol, ExpressionTree>> byScope =
      new IdentityHashMap<>();

  /** The initializer of local variable {@code var} declared in {@code scope}, or null. */
  @Nullable ExpressionTree of(Symbol var, Tree scope, @Nullable CompilationUnitTree currentUnit) {
    if (!Objects.equals(currentUnit, unit) || byScope.size() > MAX_SCOPES) {
      byScope.clear();
      unit = currentUnit;
    }
    return byScope.computeIfAbsent(scope, LocalInitializers::scan).get(var);
  }

  private static Map<Symbol, ExpressionTree> scan(Tree scope) {
    Map<Symbol, ExpressionTree> result = new HashMap<>();
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitVariable(VariableTree tree, Void unused) {
        Symbol sym = ASTHelpers.getSymbol(tree);
        if (sym != null && tree.getInitializer() != null) {
          result.put(sym, tree.getInitializer());
        }
        return super.visitVariable(tree, null);
      }
    }.scan(scope, null);
    return result;
  }
}
