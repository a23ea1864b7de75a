package dev.leakprone.engine;

import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.util.Context;
import dev.leakprone.common.Trees;
import dev.leakprone.engine.CallEffect.Acquire;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.ElementKind;
import org.jspecify.annotations.Nullable;

/**
 * Same-file factories (issue #10, acquisitions that are missed): a method declared in the
 * compilation unit being analysed whose every {@code return} hands out a fresh obligation that it
 * does not keep ({@code private static InputStream open(Path p) { return Files.newInputStream(p);
 * }}) acquires, like the factory it calls.
 *
 * <p>A method qualifies when it cannot be overridden (private, static, final, or of a final class),
 * is declared in the same compilation unit (a file's findings never depend on other files' bodies),
 * and each of its returns is {@code null}, an acquisition the specification knows (or another
 * same-file factory), a wrapper constructed around one, or a local variable initialised with one
 * that is only used as the receiver of calls and returned. At least one return must hand out an
 * obligation.
 */
final class SameFileFactories {
  private static final Context.Key<SameFileFactories> KEY = new Context.Key<>();
  private static final int MAX_ENTRIES = 4_096;

  private @Nullable CompilationUnitTree unit;

  /** Per specification, per method: the effect of calling it, or empty if it is no factory. */
  private final IdentityHashMap<ObligationSpec, Map<Symbol, Optional<CallEffect>>> known =
      new IdentityHashMap<>();

  private SameFileFactories() {}

  private static SameFileFactories instance(Context context) {
    SameFileFactories f = context.get(KEY);
    if (f == null) {
      f = new SameFileFactories();
      context.put(KEY, f);
    }
    return f;
  }

  /** Whether {@code call} invokes a same-file factory of {@code spec}'s obligations. */
  static boolean isFactoryCall(MethodInvocationTree call, ObligationSpec spec, VisitorState state) {
    return effect(call, spec, state) != null;
  }

  /** The effect of calling a same-file factory, or null if {@code call} does not invoke one. */
  static @Nullable CallEffect effect(
      MethodInvocationTree call, ObligationSpec spec, VisitorState state) {
    if (state.getPath() == null) {
      return null;
    }
    MethodSymbol method = ASTHelpers.getSymbol(call);
    if (method == null || !isCandidate(method, state)) {
      return null;
    }
    return instance(state.context).lookup(method, spec, state);
  }

  private static boolean isCandidate(MethodSymbol method, VisitorState state) {
    if (method.isConstructor()
        || method.getReturnType().isPrimitiveOrVoid()
        || (method.flags() & Flags.ABSTRACT) != 0) {
      return false;
    }
    Symbol.ClassSymbol owner = method.outermostClass();
    CompilationUnitTree current = state.getPath().getCompilationUnit();
    if (owner == null
        || owner.sourcefile == null
        || !owner.sourcefile.equals(current.getSourceFile())) {
      return false;
    }
    long flags = method.flags();
    return (flags & (Flags.PRIVATE | Flags.STATIC | Flags.FINAL)) != 0
        || (method.enclClass().flags() & Flags.FINAL) != 0;
  }

  private @Nullable CallEffect lookup(
      MethodSymbol method, ObligationSpec spec, VisitorState state) {
    CompilationUnitTree current = state.getPath().getCompilationUnit();
    if (!current.equals(unit)) {
      known.clear();
      unit = current;
    }
    Map<Symbol, Optional<CallEffect>> bySpec = known.computeIfAbsent(spec, s -> new HashMap<>());
    if (bySpec.size() > MAX_ENTRIES) {
      bySpec.clear();
    }
    Optional<CallEffect> effect = bySpec.get(method);
    if (effect == null) {
      bySpec.put(method, Optional.empty()); // recursion guard
      effect = Optional.ofNullable(summarize(method, spec, state));
      bySpec.put(method, effect);
    }
    return effect.orElse(null);
  }

  private @Nullable CallEffect summarize(
      MethodSymbol method, ObligationSpec spec, VisitorState state) {
    MethodTree declaration = CandidateIndex.instance(state.context).declaration(method, state);
    if (declaration == null || declaration.getBody() == null) {
      return null;
    }
    // The scan below reads parents only inside the body: a path from the unit will do.
    TreePath path = new TreePath(new TreePath(state.getPath().getCompilationUnit()), declaration);
    if (!mayHandOut(declaration.getBody(), spec, state)) {
      return null;
    }
    List<ReturnTree> returns = new ArrayList<>();
    Map<Symbol, VariableTree> locals = new HashMap<>();
    long[] visited = {0};
    Map<Symbol, Boolean> onlyReadOrReturned = new HashMap<>();
    new TreePathScanner<Void, Void>() {
      @Override
      public Void scan(Tree tree, Void unused) {
        visited[0]++;
        return super.scan(tree, null);
      }

      @Override
      public Void visitReturn(ReturnTree tree, Void unused) {
        returns.add(tree);
        return super.visitReturn(tree, null);
      }

      @Override
      public Void visitVariable(VariableTree tree, Void unused) {
        Symbol sym = ASTHelpers.getSymbol(tree);
        if (sym != null && sym.getKind() == ElementKind.LOCAL_VARIABLE) {
          locals.put(sym, tree);
        }
        return super.visitVariable(tree, null);
      }

      @Override
      public Void visitIdentifier(IdentifierTree tree, Void unused) {
        Symbol sym = ASTHelpers.getSymbol(tree);
        if (sym != null && sym.getKind() == ElementKind.LOCAL_VARIABLE) {
          Tree parent = getCurrentPath().getParentPath().getLeaf();
          boolean harmless =
              parent instanceof ReturnTree
                  || (parent instanceof MemberSelectTree select
                      && tree.equals(select.getExpression())
                      && getCurrentPath().getParentPath().getParentPath().getLeaf()
                          instanceof MethodInvocationTree);
          onlyReadOrReturned.merge(sym, harmless, Boolean::logicalAnd);
        }
        return null;
      }

      @Override
      public Void visitAssignment(AssignmentTree tree, Void unused) {
        Symbol target = ASTHelpers.getSymbol(tree.getVariable());
        if (target != null) {
          onlyReadOrReturned.put(target, false);
        }
        return super.visitAssignment(tree, null);
      }

      @Override
      public Void visitClass(ClassTree tree, Void unused) {
        return null;
      }

      @Override
      public Void visitLambdaExpression(LambdaExpressionTree tree, Void unused) {
        return null;
      }
    }.scan(new TreePath(path, declaration.getBody()), null);
    CostCounters.nodesVisited(visited[0]);
    CallEffect handedOut = null;
    for (ReturnTree r : returns) {
      ExpressionTree e = strip(r.getExpression());
      if (e == null) {
        return null;
      }
      if (e.getKind() == Tree.Kind.NULL_LITERAL) {
        continue;
      }
      if (e instanceof IdentifierTree id) {
        Symbol sym = ASTHelpers.getSymbol(id);
        VariableTree local = locals.get(sym);
        if (local == null || !Boolean.TRUE.equals(onlyReadOrReturned.get(sym))) {
          return null;
        }
        e = strip(local.getInitializer());
        if (e == null) {
          return null;
        }
      }
      CallEffect fresh = fresh(e, spec, state, 0);
      if (fresh == null) {
        return null;
      }
      if (handedOut == null) {
        handedOut = fresh;
      }
    }
    return handedOut == null ? null : CallEffect.acquires(Acquire.FRESH, null, handedOut.detail());
  }

  /**
   * A cheap test on the shared discovery pass before any scan: a body can only hand out an
   * obligation if one of its call sites may acquire, or calls another same-file candidate.
   */
  private static boolean mayHandOut(Tree body, ObligationSpec spec, VisitorState state) {
    for (CandidateIndex.Site site : CandidateIndex.instance(state.context).sites(body, state)) {
      ExpressionTree call = site.call();
      if (spec.mayAcquire(call, state)) {
        return true;
      }
      if (call instanceof MethodInvocationTree mi) {
        MethodSymbol m = ASTHelpers.getSymbol(mi);
        if (m != null && isCandidate(m, state)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The acquiring effect of {@code e} if it is a fresh obligation, or null. */
  private @Nullable CallEffect fresh(
      @Nullable ExpressionTree e, ObligationSpec spec, VisitorState state, int depth) {
    if (depth > 4) {
      return null;
    }
    if (e instanceof ConditionalExpressionTree c) {
      CallEffect a = fresh(strip(c.getTrueExpression()), spec, state, depth + 1);
      CallEffect b = fresh(strip(c.getFalseExpression()), spec, state, depth + 1);
      return a != null && b != null ? a : null;
    }
    if (!(e instanceof MethodInvocationTree) && !(e instanceof NewClassTree)) {
      return null;
    }
    CallEffect effect = spec.mayAcquire(e, state) ? spec.effect(e, state) : null;
    if (effect != null && effect.acquire() == Acquire.FRESH) {
      return effect;
    }
    if (e instanceof MethodInvocationTree mi) {
      MethodSymbol m = ASTHelpers.getSymbol(mi);
      return m != null && isCandidate(m, state) ? lookup(m, spec, state) : null;
    }
    if (e instanceof NewClassTree nc
        && nc.getClassBody() == null
        && spec.effect(nc, state) == null) {
      // A wrapper constructed around a fresh obligation: `new BufferedReader(new FileReader(f))`.
      for (ExpressionTree arg : nc.getArguments()) {
        CallEffect inner = fresh(strip(arg), spec, state, depth + 1);
        if (inner != null) {
          return inner;
        }
      }
    }
    return null;
  }

  private static @Nullable ExpressionTree strip(@Nullable ExpressionTree tree) {
    return tree == null ? null : Trees.stripParensAndCasts(tree);
  }
}
