package dev.leakprone.request;

import com.google.common.collect.ImmutableSet;
import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import dev.leakprone.common.Trees;
import dev.leakprone.request.RequestTypes.Framework;
import java.util.HashSet;
import java.util.Set;
import javax.lang.model.element.ElementKind;
import org.jspecify.annotations.Nullable;

/**
 * Finds the request-scoped object that the task of a spawning call captures: referenced by a
 * lambda, anonymous class, local class or method reference passed to it (directly, through a local
 * variable holding the task, or through a helper that builds the task from it), or passed to it as
 * an argument (a Thread subclass's constructor, an {@code @Async} method). Values read from the
 * request before the task is built ({@code String ip = request.getRemoteAddr()}) are not the
 * request: capturing them is the fix.
 */
final class TaskCapture {

  /** What is captured, how, and the synchronizers the task signals (latches it counts down). */
  record Capture(
      Symbol variable, Framework framework, String form, ImmutableSet<Symbol> signalled) {
    String name() {
      return variable.getSimpleName().toString();
    }

    Type type() {
      return variable.type;
    }
  }

  /** Synchronizers a task can signal and a method can wait on. */
  private static final ImmutableSet<String> SYNCHRONIZERS =
      ImmutableSet.of(
          "java.util.concurrent.CountDownLatch",
          "java.util.concurrent.Phaser",
          "java.util.concurrent.CyclicBarrier");

  private static final ImmutableSet<String> SIGNALS =
      ImmutableSet.of(
          "countDown", "arrive", "arriveAndDeregister", "arriveAndAwaitAdvance", "await");

  private static final int MAX_DEPTH = 4;

  private final RequestTypes types;

  TaskCapture(RequestTypes types) {
    this.types = types;
  }

  /**
   * The request-scoped object captured by the task of {@code call}, or null.
   *
   * @param scope where local variables and local classes of the enclosing method are declared
   */
  @Nullable Capture find(ExpressionTree call, Tree scope, VisitorState state) {
    if (call instanceof NewClassTree newClass) {
      Capture c = inClass(newClass, scope, state, 0);
      if (c != null) {
        return c;
      }
      for (ExpressionTree arg : newClass.getArguments()) {
        c = inArgument(arg, scope, state, 0, true);
        if (c != null) {
          return c;
        }
      }
      return null;
    }
    if (call instanceof MethodInvocationTree invocation) {
      for (ExpressionTree arg : invocation.getArguments()) {
        Capture c = inArgument(arg, scope, state, 0, SpawningApis.isAsyncCall(invocation));
        if (c != null) {
          return c;
        }
      }
    }
    return null;
  }

  /**
   * @param direct whether an argument that is itself the request counts (a constructor of a Thread
   *     subclass, an {@code @Async} method, a helper building a task)
   */
  private @Nullable Capture inArgument(
      ExpressionTree arg, Tree scope, VisitorState state, int depth, boolean direct) {
    if (depth > MAX_DEPTH || arg == null) {
      return null;
    }
    ExpressionTree e = Trees.stripParensAndCasts(arg);
    if (e instanceof LambdaExpressionTree lambda) {
      return inBody(lambda, "lambda", scope, state);
    }
    if (e instanceof MemberReferenceTree ref) {
      ExpressionTree qualifier = ASTHelpers.stripParentheses(ref.getQualifierExpression());
      Symbol sym = ASTHelpers.getSymbol(qualifier);
      if ((qualifier instanceof IdentifierTree || qualifier instanceof MemberSelectTree)
          && sym instanceof VarSymbol v) {
        Framework f = types.frameworkOf(sym, state);
        if (f != null && capturable(v, scope)) {
          return new Capture(sym, f, "method reference", ImmutableSet.of());
        }
      }
      return null;
    }
    if (e instanceof NewClassTree newClass) {
      Capture c = inClass(newClass, scope, state, depth);
      if (c != null) {
        return c;
      }
      for (ExpressionTree a : newClass.getArguments()) {
        c = inArgument(a, scope, state, depth + 1, true);
        if (c != null) {
          return c.form().equals("argument") ? withForm(c, "task object") : c;
        }
      }
      return null;
    }
    if (e instanceof MethodInvocationTree helper) {
      // A helper that builds the task from the request: task(request), Context.wrap(() -> …).
      for (ExpressionTree a : helper.getArguments()) {
        Capture c = inArgument(a, scope, state, depth + 1, true);
        if (c != null) {
          return c.form().equals("argument")
              ? withForm(c, "task built by " + methodName(helper) + "(…)")
              : c;
        }
      }
      return null;
    }
    if (e instanceof IdentifierTree || e instanceof MemberSelectTree) {
      Symbol sym = ASTHelpers.getSymbol(e);
      if (!(sym instanceof VarSymbol var)) {
        return null;
      }
      if (direct) {
        Framework f = types.frameworkOf(var, state);
        if (f != null && capturable(var, scope)) {
          return new Capture(var, f, "argument", ImmutableSet.of());
        }
      }
      if (var.getKind() == ElementKind.LOCAL_VARIABLE && e instanceof IdentifierTree) {
        // A task held in a local variable: Runnable task = () -> …; executor.execute(task);
        ExpressionTree init = initializer(var, scope);
        return init == null ? null : inArgument(init, scope, state, depth + 1, false);
      }
    }
    return null;
  }

  private static Capture withForm(Capture c, String form) {
    return new Capture(c.variable(), c.framework(), form, c.signalled());
  }

  /** An anonymous class body, or the declaration of a local class, that captures a request. */
  private @Nullable Capture inClass(
      NewClassTree newClass, Tree scope, VisitorState state, int depth) {
    if (newClass.getClassBody() != null) {
      return inBody(newClass.getClassBody(), "anonymous class", scope, state);
    }
    Symbol cls = ASTHelpers.getSymbol(newClass.getIdentifier());
    if (cls == null
        || depth > MAX_DEPTH
        || !((cls.owner != null && cls.owner.getKind() == ElementKind.METHOD)
            || (cls.owner != null && cls.owner.getKind() == ElementKind.CONSTRUCTOR))) {
      return null;
    }
    ClassTree local = localClass(cls, scope);
    return local == null ? null : inBody(local, "local class", scope, state);
  }

  /** The first request-scoped variable from outside {@code body} that it refers to. */
  private @Nullable Capture inBody(Tree body, String form, Tree scope, VisitorState state) {
    Set<Symbol> declared = new HashSet<>();
    Set<Symbol> signalled = new HashSet<>();
    Symbol[] found = new Symbol[1];
    Framework[] framework = new Framework[1];
    // The whole body is scanned (also after a capture is found) to see which latches it signals.
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitVariable(VariableTree tree, Void unused) {
        Symbol sym = ASTHelpers.getSymbol(tree);
        if (sym != null) {
          declared.add(sym);
        }
        return super.visitVariable(tree, null);
      }

      @Override
      public Void visitIdentifier(IdentifierTree tree, Void unused) {
        consider(ASTHelpers.getSymbol(tree));
        return null;
      }

      @Override
      public Void visitMemberSelect(MemberSelectTree tree, Void unused) {
        ExpressionTree qualifier = ASTHelpers.stripParentheses(tree.getExpression());
        if ((qualifier instanceof IdentifierTree id && id.getName().contentEquals("this"))
            || (qualifier instanceof MemberSelectTree ms
                && ms.getIdentifier().contentEquals("this"))) {
          consider(ASTHelpers.getSymbol(tree));
          return null;
        }
        return super.visitMemberSelect(tree, null);
      }

      @Override
      public Void visitMethodInvocation(MethodInvocationTree tree, Void unused) {
        if (tree.getMethodSelect() instanceof MemberSelectTree select
            && SIGNALS.contains(select.getIdentifier().toString())) {
          Symbol target = ASTHelpers.getSymbol(ASTHelpers.stripParentheses(select.getExpression()));
          if (target instanceof VarSymbol v && isSynchronizer(v.type)) {
            signalled.add(v);
          }
        }
        return super.visitMethodInvocation(tree, null);
      }

      private void consider(@Nullable Symbol sym) {
        if (found[0] != null || !(sym instanceof VarSymbol v) || declared.contains(sym)) {
          return;
        }
        Framework f = types.frameworkOf(sym, state);
        if (f != null && capturable(v, scope)) {
          found[0] = sym;
          framework[0] = f;
        }
      }
    }.scan(body, null);
    return found[0] == null
        ? null
        : new Capture(found[0], framework[0], form, ImmutableSet.copyOf(signalled));
  }

  /**
   * Whether a request-typed variable holds a request this code does not own. A field counts only
   * when the container injects it ({@code @Context}, {@code @Autowired}, {@code @Inject},
   * {@code @Resource}): a field the class sets itself belongs to an object that owns the exchange
   * for its whole life (an SSE connection, a per-request worker, undertow-core). A local made with
   * {@code new} here is the server's own object (undertow-core's HTTP/2 connection creating the
   * exchange it dispatches).
   */
  static boolean capturable(VarSymbol var, Tree scope) {
    if (var.getKind() == ElementKind.FIELD) {
      for (var a : var.getRawAttributes()) {
        if (a.type != null && INJECTION.contains(a.type.tsym.getQualifiedName().toString())) {
          return true;
        }
      }
      return false;
    }
    if (var.getKind() == ElementKind.LOCAL_VARIABLE) {
      ExpressionTree init = initializer(var, scope);
      return !(init != null && ASTHelpers.stripParentheses(init) instanceof NewClassTree);
    }
    return true;
  }

  /** Injection points: the container fills these with the current request (or a proxy of it). */
  static final ImmutableSet<String> INJECTION =
      ImmutableSet.of(
          "org.springframework.beans.factory.annotation.Autowired",
          "javax.inject.Inject",
          "jakarta.inject.Inject",
          "jakarta.annotation.Resource",
          "javax.annotation.Resource",
          "jakarta.ws.rs.core.Context",
          "javax.ws.rs.core.Context");

  private static boolean isSynchronizer(@Nullable Type type) {
    return type != null
        && type.tsym != null
        && SYNCHRONIZERS.contains(type.tsym.getQualifiedName().toString());
  }

  /** The initializer of local variable {@code var}, declared in {@code scope}, or null. */
  static @Nullable ExpressionTree initializer(VarSymbol var, Tree scope) {
    ExpressionTree[] result = new ExpressionTree[1];
    new TreeScanner<Void, Void>() {
      @Override
      public Void scan(Tree tree, Void unused) {
        return result[0] == null ? super.scan(tree, null) : null;
      }

      @Override
      public Void visitVariable(VariableTree tree, Void unused) {
        if (var.equals(ASTHelpers.getSymbol(tree))) {
          result[0] = tree.getInitializer();
          return null;
        }
        return super.visitVariable(tree, null);
      }
    }.scan(scope, null);
    return result[0];
  }

  private static @Nullable ClassTree localClass(Symbol cls, Tree scope) {
    ClassTree[] result = new ClassTree[1];
    new TreeScanner<Void, Void>() {
      @Override
      public Void scan(Tree tree, Void unused) {
        return result[0] == null ? super.scan(tree, null) : null;
      }

      @Override
      public Void visitClass(ClassTree tree, Void unused) {
        if (cls.equals(ASTHelpers.getSymbol(tree))) {
          result[0] = tree;
          return null;
        }
        return super.visitClass(tree, null);
      }
    }.scan(scope, null);
    return result[0];
  }

  static String methodName(MethodInvocationTree invocation) {
    Symbol sym = ASTHelpers.getSymbol(invocation);
    return sym == null ? "call" : sym.getSimpleName().toString();
  }
}
