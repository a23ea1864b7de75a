package dev.leakprone.common;

import com.google.errorprone.VisitorState;
import com.google.errorprone.fixes.SuggestedFix;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Rewrites {@code T x = acquire(); rest…} into {@code try (T x = acquire()) { rest… }}, where that
 * is certain to compile and to keep the meaning: the declaration is a statement of a block, the
 * variable is never reassigned, the try covers the rest of the block (so every use stays in
 * scope), explicit {@code x.close()} statements directly in that block are removed (the try closes
 * it), no other {@code close} of it remains, and every checked exception its {@code close()}
 * declares is declared by the enclosing method. The variable may only be used as the receiver of
 * calls: anything else (an argument, a return, a field store) could hand it to an owner, and the
 * try would then close what the owner still uses.
 */
public final class TryWithResourcesFix {
  private TryWithResourcesFix() {}

  /**
   * A fix for the resource acquired by {@code site}, if it initialises a local variable, or empty.
   *
   * @param state a state whose path is the method or lambda that contains {@code site}
   */
  public static Optional<SuggestedFix> forAcquisition(ExpressionTree site, VisitorState state) {
    try {
      return build(site, state);
    } catch (RuntimeException e) {
      // An unusual tree: no fix rather than a broken build.
      return Optional.empty();
    }
  }

  private static Optional<SuggestedFix> build(ExpressionTree site, VisitorState state) {
    TreePath sitePath = TreePath.getPath(state.getPath(), site);
    if (sitePath == null) {
      return Optional.empty();
    }
    // Walk up to the declaration that the site initialises (through wrappers and casts).
    TreePath path = sitePath;
    while (path.getParentPath() != null && path.getParentPath().getLeaf() instanceof ExpressionTree) {
      path = path.getParentPath();
    }
    if (path.getParentPath() == null || !(path.getParentPath().getLeaf() instanceof VariableTree decl)
        || decl.getInitializer() != path.getLeaf()) {
      return Optional.empty();
    }
    TreePath declPath = path.getParentPath();
    if (declPath.getParentPath() == null || !(declPath.getParentPath().getLeaf() instanceof BlockTree block)) {
      return Optional.empty();
    }
    Symbol var = ASTHelpers.getSymbol(decl);
    if (var == null || !closeExceptionsAreDeclared(var.type, declPath, state)) {
      return Optional.empty();
    }
    List<? extends StatementTree> statements = block.getStatements();
    int index = statements.indexOf(decl);
    if (index < 0) {
      return Optional.empty();
    }
    List<? extends StatementTree> rest = statements.subList(index + 1, statements.size());
    List<StatementTree> closes = new ArrayList<>();
    for (StatementTree s : rest) {
      if (isCloseOf(s, var)) {
        closes.add(s);
      }
    }
    for (StatementTree s : rest) {
      if (!closes.contains(s) && (assigns(s, var) || closesNested(s, var) || escapes(s, var))) {
        return Optional.empty();
      }
    }
    List<StatementTree> body = new ArrayList<>(rest);
    body.removeAll(closes);
    if (body.isEmpty()) {
      return Optional.empty();
    }
    String declSource = state.getSourceForNode(decl);
    if (declSource == null) {
      return Optional.empty();
    }
    declSource = declSource.strip();
    if (declSource.endsWith(";")) {
      declSource = declSource.substring(0, declSource.length() - 1).strip();
    }
    SuggestedFix.Builder fix = SuggestedFix.builder();
    fix.replace(decl, "try (" + declSource + ") {");
    for (StatementTree close : closes) {
      // Delete from the end of the statement before it, so that no blank line is left behind.
      StatementTree previous = statements.get(statements.indexOf(close) - 1);
      if (closes.contains(previous) || previous == decl) {
        fix.delete(close);
      } else {
        fix.replace(state.getEndPosition(previous), state.getEndPosition(close), "");
      }
    }
    fix.postfixWith(statements.get(statements.size() - 1), "\n}");
    return Optional.of(fix.build());
  }

  private static boolean closeExceptionsAreDeclared(Type type, TreePath declPath, VisitorState state) {
    MethodSymbol close = findClose(type, state);
    if (close == null) {
      return false;
    }
    List<Type> thrown = close.getThrownTypes();
    if (thrown.isEmpty()) {
      return true;
    }
    // Inside a lambda the functional interface decides what may be thrown: do not guess.
    for (TreePath p = declPath; p != null; p = p.getParentPath()) {
      if (p.getLeaf() instanceof LambdaExpressionTree) {
        return false;
      }
      if (p.getLeaf() instanceof MethodTree method) {
        MethodSymbol sym = ASTHelpers.getSymbol(method);
        if (sym == null) {
          return false;
        }
        for (Type t : thrown) {
          if (ASTHelpers.isSubtype(t, state.getSymtab().runtimeExceptionType, state)) {
            continue;
          }
          boolean declared = false;
          for (Type d : sym.getThrownTypes()) {
            declared |= ASTHelpers.isSubtype(t, d, state);
          }
          if (!declared) {
            return false;
          }
        }
        return true;
      }
    }
    return false;
  }

  private static @Nullable MethodSymbol findClose(Type type, VisitorState state) {
    if (type == null || type.tsym == null) {
      return null;
    }
    for (Type t = type; t != null && t.tsym != null; ) {
      for (Symbol m : t.tsym.members().getSymbolsByName(state.getName("close"))) {
        if (m instanceof MethodSymbol ms && ms.getParameters().isEmpty()) {
          return ms;
        }
      }
      for (Type i : state.getTypes().interfaces(t)) {
        MethodSymbol inInterface = findClose(i, state);
        if (inInterface != null) {
          return inInterface;
        }
      }
      Type sup = state.getTypes().supertype(t);
      t = sup == null || sup.tsym == null || sup == Type.noType ? null : sup;
    }
    return null;
  }

  private static boolean isCloseOf(StatementTree s, Symbol var) {
    if (!(s instanceof ExpressionStatementTree es)
        || !(es.getExpression() instanceof MethodInvocationTree call)
        || !call.getArguments().isEmpty()
        || !(call.getMethodSelect() instanceof MemberSelectTree select)
        || !select.getIdentifier().contentEquals("close")) {
      return false;
    }
    return ASTHelpers.getSymbol(select.getExpression()) == var;
  }

  private static boolean assigns(Tree tree, Symbol var) {
    return new AnyScanner() {
      @Override
      public Boolean visitAssignment(AssignmentTree node, Void unused) {
        return ASTHelpers.getSymbol(node.getVariable()) == var
            || Boolean.TRUE.equals(super.visitAssignment(node, unused));
      }

      @Override
      public Boolean visitCompoundAssignment(CompoundAssignmentTree node, Void unused) {
        return ASTHelpers.getSymbol(node.getVariable()) == var
            || Boolean.TRUE.equals(super.visitCompoundAssignment(node, unused));
      }

      @Override
      public Boolean visitUnary(UnaryTree node, Void unused) {
        return ASTHelpers.getSymbol(node.getExpression()) == var
            || Boolean.TRUE.equals(super.visitUnary(node, unused));
      }
    }.anyIn(tree);
  }

  /** Whether {@code var} is used other than as the receiver of a method call. */
  private static boolean escapes(Tree tree, Symbol var) {
    return new AnyScanner() {
      @Override
      public Boolean visitMemberSelect(MemberSelectTree node, Void unused) {
        if (node.getExpression() instanceof IdentifierTree id && ASTHelpers.getSymbol(id) == var) {
          return false;
        }
        return Boolean.TRUE.equals(super.visitMemberSelect(node, unused));
      }

      @Override
      public Boolean visitIdentifier(IdentifierTree node, Void unused) {
        return ASTHelpers.getSymbol(node) == var;
      }
    }.anyIn(tree);
  }

  private static boolean closesNested(Tree tree, Symbol var) {
    return new AnyScanner() {
      @Override
      public Boolean visitMethodInvocation(MethodInvocationTree node, Void unused) {
        if (node.getMethodSelect() instanceof MemberSelectTree select
            && select.getIdentifier().contentEquals("close")
            && ASTHelpers.getSymbol(select.getExpression()) == var) {
          return true;
        }
        return Boolean.TRUE.equals(super.visitMethodInvocation(node, unused));
      }

      @Override
      public Boolean visitIdentifier(IdentifierTree node, Void unused) {
        return false;
      }
    }.anyIn(tree);
  }
}
