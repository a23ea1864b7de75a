package dev.leakprone.common;

import com.google.errorprone.VisitorState;
import com.google.errorprone.fixes.SuggestedFix;
import com.google.errorprone.suppliers.Supplier;
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
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.code.TypeTag;
import com.sun.tools.javac.tree.JCTree;
import com.sun.tools.javac.util.Name;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Rewrites {@code T x = acquire(); rest…} into {@code try (T x = acquire()) { rest… }}, where that
 * is certain to compile and to keep the meaning: {@code T} is {@code AutoCloseable}, the
 * declaration is a statement of a block and declares one variable, its initialiser is the
 * acquisition itself or a wrapper of it (never a conditional or a call that could yield an object
 * the method does not own, such as {@code System.in}), no {@code super(…)}/{@code this(…)} call
 * follows it (JDK 22+ constructors), no text block is moved, the variable is never reassigned, the
 * try covers the rest of the block (so every use stays in scope), explicit {@code x.close()}
 * statements directly in that block are removed (the try closes it), no other {@code close} of it
 * remains, and every checked exception its {@code close()} declares is declared by the enclosing
 * method. The variable may only be used as the receiver of calls: anything else (an argument, a
 * return, a field store) could hand it to an owner, and the try would then close what the owner
 * still uses. The moved statements are indented one level deeper, as the file indents, and the
 * closing brace is put at the declaration's indentation.
 */
public final class TryWithResourcesFix {
  private static final Supplier<Name> CLOSE = VisitorState.memoize(s -> s.getName("close"));

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
    // Walk up to the declaration that the site initialises, through wrappers (new
    // BufferedReader(new FileReader(f))), parentheses and casts only: through a conditional
    // (p == null ? System.in : new FileInputStream(p)) or a method call the variable may hold an
    // object the method does not own, which the try would close.
    TreePath path = sitePath;
    while (path.getParentPath() != null
        && path.getParentPath().getLeaf() instanceof ExpressionTree parent) {
      if (!(parent instanceof NewClassTree nc && nc.getArguments().contains(path.getLeaf()))
          && !(parent instanceof ParenthesizedTree)
          && !(parent instanceof TypeCastTree)) {
        return Optional.empty();
      }
      path = path.getParentPath();
    }
    if (path.getParentPath() == null
        || !(path.getParentPath().getLeaf() instanceof VariableTree decl)
        || !path.getLeaf().equals(decl.getInitializer())) {
      return Optional.empty();
    }
    TreePath declPath = path.getParentPath();
    if (declPath.getParentPath() == null
        || !(declPath.getParentPath().getLeaf() instanceof BlockTree block)) {
      return Optional.empty();
    }
    Symbol var = ASTHelpers.getSymbol(decl);
    // try-with-resources accepts only AutoCloseable variables (javac rejects the rest).
    if (var == null
        || !isAutoCloseable(var.type, state)
        || !closeExceptionsAreDeclared(var.type, declPath, state)) {
      return Optional.empty();
    }
    List<? extends StatementTree> statements = block.getStatements();
    int index = statements.indexOf(decl);
    if (index < 0 || isPartOfMultiVariableDeclaration(statements, index)) {
      return Optional.empty();
    }
    List<? extends StatementTree> rest = statements.subList(index + 1, statements.size());
    // JDK 22+ constructors may run statements before super(…)/this(…): the call cannot move
    // into a try.
    for (StatementTree s : rest) {
      if (isConstructorCall(s)) {
        return Optional.empty();
      }
    }
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
    CharSequence source = state.getSourceCode();
    if (declSource == null || source == null) {
      return Optional.empty();
    }
    declSource = declSource.strip();
    if (!declSource.endsWith(";")) {
      return Optional.empty();
    }
    declSource = declSource.substring(0, declSource.length() - 1).strip();
    int declStart = ((JCTree) decl).getStartPosition();
    int declEnd = state.getEndPosition(decl);
    StatementTree last = statements.get(statements.size() - 1);
    int lastEnd = state.getEndPosition(last);
    if (declStart < 0 || declEnd <= declStart || lastEnd < declEnd || lastEnd > source.length()) {
      return Optional.empty();
    }
    // The statements after the declaration, without the close() calls the try makes redundant
    // (each removed from the end of the statement before it, so that no blank line is left).
    StringBuilder moved = new StringBuilder();
    int from = declEnd;
    for (StatementTree close : closes) {
      int closeStart = state.getEndPosition(statements.get(statements.indexOf(close) - 1));
      moved.append(source, from, closeStart);
      from = state.getEndPosition(close);
    }
    moved.append(source, from, lastEnd);
    String text = moved.toString();
    if (text.contains("\"\"\"")) {
      // A text block's lines are part of its value: re-indenting them would change it.
      return Optional.empty();
    }
    String indent = indentationOf(source, declStart);
    if (indent == null) {
      return Optional.empty();
    }
    String unit = indentUnit(source, ((JCTree) block).getStartPosition(), indent);
    StringBuilder replacement = new StringBuilder("try (").append(declSource).append(") {");
    String[] lines = text.split("\n", -1);
    replacement.append(lines[0]);
    for (int i = 1; i < lines.length; i++) {
      replacement.append('\n');
      if (!lines[i].isBlank()) {
        replacement.append(unit);
      }
      replacement.append(lines[i]);
    }
    replacement.append('\n').append(indent).append('}');
    return Optional.of(
        SuggestedFix.builder().replace(declStart, lastEnd, replacement.toString()).build());
  }

  /** The whitespace before {@code pos} on its line, or null if code precedes it there. */
  private static @Nullable String indentationOf(CharSequence source, int pos) {
    int lineStart = pos;
    while (lineStart > 0 && source.charAt(lineStart - 1) != '\n') {
      lineStart--;
    }
    String before = source.subSequence(lineStart, pos).toString();
    return before.isBlank() ? before : null;
  }

  /**
   * One level of indentation as the file writes it: the declaration's indentation minus that of the
   * line where its block opens (two spaces, four, a tab); two spaces if that cannot be told.
   */
  private static String indentUnit(CharSequence source, int blockStart, String indent) {
    int lineStart = blockStart;
    while (lineStart > 0 && source.charAt(lineStart - 1) != '\n') {
      lineStart--;
    }
    int end = lineStart;
    while (end < source.length() && (source.charAt(end) == ' ' || source.charAt(end) == '\t')) {
      end++;
    }
    String outer = source.subSequence(lineStart, end).toString();
    if (indent.startsWith(outer) && indent.length() > outer.length()) {
      return indent.substring(outer.length());
    }
    return indent.startsWith("\t") ? "\t" : "  ";
  }

  /**
   * Whether the declaration at {@code index} is one of several declared in one statement ({@code
   * InputStream a = …, b = …;}): javac gives each its own tree, all starting where the type does.
   */
  private static boolean isPartOfMultiVariableDeclaration(
      List<? extends StatementTree> statements, int index) {
    int start = ((JCTree) statements.get(index)).getStartPosition();
    for (int i = Math.max(0, index - 1); i <= Math.min(statements.size() - 1, index + 1); i++) {
      if (i != index
          && statements.get(i) instanceof VariableTree
          && ((JCTree) statements.get(i)).getStartPosition() == start) {
        return true;
      }
    }
    return false;
  }

  private static boolean isConstructorCall(StatementTree s) {
    if (s instanceof ExpressionStatementTree es
        && es.getExpression() instanceof MethodInvocationTree call) {
      Symbol sym = ASTHelpers.getSymbol(call);
      return sym != null && sym.isConstructor();
    }
    return false;
  }

  private static boolean isAutoCloseable(@Nullable Type type, VisitorState state) {
    return type != null
        && !type.isPrimitive()
        && state
            .getTypes()
            .isSubtype(state.getTypes().erasure(type), state.getSymtab().autoCloseableType);
  }

  private static boolean closeExceptionsAreDeclared(
      Type type, TreePath declPath, VisitorState state) {
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
      for (Symbol m : t.tsym.members().getSymbolsByName(CLOSE.get(state))) {
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
      t = sup == null || sup.tsym == null || sup.hasTag(TypeTag.NONE) ? null : sup;
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
    return var.equals(ASTHelpers.getSymbol(select.getExpression()));
  }

  private static boolean assigns(Tree tree, Symbol var) {
    return new AnyScanner() {
      @Override
      public Boolean visitAssignment(AssignmentTree node, Void unused) {
        return var.equals(ASTHelpers.getSymbol(node.getVariable()))
            || Boolean.TRUE.equals(super.visitAssignment(node, null));
      }

      @Override
      public Boolean visitCompoundAssignment(CompoundAssignmentTree node, Void unused) {
        return var.equals(ASTHelpers.getSymbol(node.getVariable()))
            || Boolean.TRUE.equals(super.visitCompoundAssignment(node, null));
      }

      @Override
      public Boolean visitUnary(UnaryTree node, Void unused) {
        return var.equals(ASTHelpers.getSymbol(node.getExpression()))
            || Boolean.TRUE.equals(super.visitUnary(node, null));
      }
    }.anyIn(tree);
  }

  /** Whether {@code var} is used other than as the receiver of a method call. */
  private static boolean escapes(Tree tree, Symbol var) {
    return new AnyScanner() {
      @Override
      public Boolean visitMemberSelect(MemberSelectTree node, Void unused) {
        if (node.getExpression() instanceof IdentifierTree id
            && var.equals(ASTHelpers.getSymbol(id))) {
          return false;
        }
        return Boolean.TRUE.equals(super.visitMemberSelect(node, null));
      }

      @Override
      public Boolean visitIdentifier(IdentifierTree node, Void unused) {
        return var.equals(ASTHelpers.getSymbol(node));
      }
    }.anyIn(tree);
  }

  private static boolean closesNested(Tree tree, Symbol var) {
    return new AnyScanner() {
      @Override
      public Boolean visitMethodInvocation(MethodInvocationTree node, Void unused) {
        if (node.getMethodSelect() instanceof MemberSelectTree select
            && select.getIdentifier().contentEquals("close")
            && var.equals(ASTHelpers.getSymbol(select.getExpression()))) {
          return true;
        }
        return Boolean.TRUE.equals(super.visitMethodInvocation(node, null));
      }

      @Override
      public Boolean visitIdentifier(IdentifierTree node, Void unused) {
        return false;
      }
    }.anyIn(tree);
  }
}
