package dev.leakprone.engine;

import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BlockTree;
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
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.util.Context;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import javax.lang.model.element.ElementKind;
import org.jspecify.annotations.Nullable;

/**
 * The one discovery pass that every obligation check shares: the first time any enabled check asks
 * about a body of a compilation unit, the whole unit is scanned once, and every method invocation
 * and object creation is filed under the body that contains it (method body, lambda body or
 * initializer block; nested lambdas and classes are bodies of their own). A check then tests only
 * those call sites with its cheap {@link ObligationSpec#mayAcquire} — it never walks a tree itself
 * — so adding a check adds no scan, and a disabled check (which Error Prone never instantiates)
 * costs nothing.
 *
 * <p>Each call site says whether its value goes straight to its owner: returned outside any {@code
 * try} with {@code finally} or resources, stored into a field or array element, or the initializer
 * of a try-with-resources variable, through parentheses, casts and either arm of a conditional. The
 * engine transfers or releases such a value at once, so a body whose every acquisition is handed
 * over needs no control-flow graph.
 *
 * <p>The index lives in the compilation's {@link Context} and holds one compilation unit at a time.
 * {@link #nodesVisited} counts the tree nodes the pass visited, for the cost-model test.
 */
public final class CandidateIndex {
  private static final Context.Key<CandidateIndex> KEY = new Context.Key<>();

  /** A method invocation or object creation and whether its value goes straight to an owner. */
  public record Site(ExpressionTree call, boolean handedOver) {}

  private @Nullable CompilationUnitTree unit;
  private final IdentityHashMap<Tree, List<Site>> bodies = new IdentityHashMap<>();
  private final java.util.HashMap<Symbol, MethodTree> methods = new java.util.HashMap<>();
  private long nodesVisited;
  private long unitsIndexed;

  private CandidateIndex() {}

  /** The index of {@code context}'s compilation. */
  public static CandidateIndex instance(Context context) {
    CandidateIndex index = context.get(KEY);
    if (index == null) {
      index = new CandidateIndex();
      context.put(KEY, index);
    }
    return index;
  }

  /**
   * The call sites of {@code body} (a method body, lambda body or initializer block of the
   * compilation unit of {@code state}), outside its nested lambdas and classes; empty if it has
   * none.
   */
  public List<Site> sites(Tree body, VisitorState state) {
    index(state);
    List<Site> sites = bodies.get(body);
    return sites == null ? List.of() : sites;
  }

  /**
   * The declaration of {@code method} if the compilation unit of {@code state} declares it, else
   * null: read from the discovery pass, where {@code JavacTrees.getPath} would search the file.
   */
  public @Nullable MethodTree declaration(Symbol method, VisitorState state) {
    index(state);
    return methods.get(method);
  }

  private void index(VisitorState state) {
    CompilationUnitTree current = state.getPath().getCompilationUnit();
    if (!current.equals(unit)) {
      bodies.clear();
      methods.clear();
      unit = current;
      unitsIndexed++;
      long before = nodesVisited;
      try {
        new Indexer().scan(current, null);
      } catch (RuntimeException | StackOverflowError e) {
        // A tree the indexer does not expect: whatever was filed so far stands.
      }
      CostCounters.nodesVisited(nodesVisited - before);
    }
  }

  /** Tree nodes visited by the discovery pass in this compilation, over every unit. */
  public long nodesVisited() {
    return nodesVisited;
  }

  /** Compilation units the discovery pass has scanned in this compilation. */
  public long unitsIndexed() {
    return unitsIndexed;
  }

  /** Files every call under the innermost enclosing body. */
  private final class Indexer extends TreeScanner<Void, Void> {
    private @Nullable List<Site> current;

    /** Enclosing try blocks whose finally block or resource closing runs after a return. */
    private int guardedDepth;

    /** The next call scanned is handed over (set by the context that hands its value over). */
    private boolean handOverNext;

    @Override
    public Void scan(@Nullable Tree tree, Void unused) {
      if (tree == null) {
        return null;
      }
      nodesVisited++;
      return super.scan(tree, null);
    }

    private void inBody(Tree body) {
      List<Site> saved = current;
      int savedDepth = guardedDepth;
      current = bodies.computeIfAbsent(body, b -> new ArrayList<>());
      guardedDepth = 0;
      handOverNext = false;
      scan(body, null);
      current = saved;
      guardedDepth = savedDepth;
    }

    @Override
    public Void visitClass(ClassTree tree, Void unused) {
      List<Site> saved = current;
      current = null;
      for (Tree member : tree.getMembers()) {
        if (member instanceof MethodTree method) {
          Symbol sym = ASTHelpers.getSymbol(method);
          if (sym != null) {
            methods.put(sym, method);
          }
          scan(method.getModifiers(), null);
          scan(method.getParameters(), null);
          if (method.getBody() != null) {
            inBody(method.getBody());
          }
        } else if (member instanceof BlockTree block) {
          inBody(block);
        } else if (member instanceof VariableTree field) {
          // A field initializer is filed under the field's declaration.
          List<Site> outer = current;
          current = bodies.computeIfAbsent(field, b -> new ArrayList<>());
          scan(field.getInitializer(), null);
          current = outer;
        } else {
          scan(member, null);
        }
      }
      current = saved;
      return null;
    }

    @Override
    public Void visitLambdaExpression(LambdaExpressionTree tree, Void unused) {
      scan(tree.getParameters(), null);
      inBody(tree.getBody());
      return null;
    }

    @Override
    public Void visitNewClass(NewClassTree tree, Void unused) {
      record(tree);
      scan(tree.getEnclosingExpression(), null);
      scan(tree.getArguments(), null);
      scan(tree.getClassBody(), null);
      return null;
    }

    @Override
    public Void visitMethodInvocation(MethodInvocationTree tree, Void unused) {
      record(tree);
      scan(tree.getMethodSelect(), null);
      scan(tree.getArguments(), null);
      return null;
    }

    private void record(ExpressionTree call) {
      boolean handedOver = handOverNext;
      handOverNext = false;
      if (current != null) {
        current.add(new Site(call, handedOver));
      }
    }

    @Override
    public Void visitReturn(ReturnTree tree, Void unused) {
      if (guardedDepth == 0) {
        handedOver(tree.getExpression());
      } else {
        scan(tree.getExpression(), null);
      }
      return null;
    }

    @Override
    public Void visitAssignment(AssignmentTree tree, Void unused) {
      scan(tree.getVariable(), null);
      if (isFieldOrElement(tree.getVariable())) {
        handedOver(tree.getExpression());
      } else {
        scan(tree.getExpression(), null);
      }
      return null;
    }

    @Override
    public Void visitTry(TryTree tree, Void unused) {
      for (Tree resource : tree.getResources()) {
        if (resource instanceof VariableTree v) {
          scan(v.getModifiers(), null);
          scan(v.getType(), null);
          handedOver(v.getInitializer());
        } else {
          scan(resource, null);
        }
      }
      // A return in the block runs the finally block and closes the resources after it; a return
      // in a catch block runs the finally block only.
      boolean hasFinally = tree.getFinallyBlock() != null;
      int blockGuard = hasFinally || !tree.getResources().isEmpty() ? 1 : 0;
      guardedDepth += blockGuard;
      scan(tree.getBlock(), null);
      guardedDepth -= blockGuard;
      guardedDepth += hasFinally ? 1 : 0;
      scan(tree.getCatches(), null);
      guardedDepth -= hasFinally ? 1 : 0;
      scan(tree.getFinallyBlock(), null);
      return null;
    }

    /** Scans an expression whose value goes to its owner at once. */
    private void handedOver(@Nullable ExpressionTree tree) {
      ExpressionTree e = tree;
      while (e instanceof ParenthesizedTree || e instanceof TypeCastTree) {
        nodesVisited++;
        e =
            e instanceof ParenthesizedTree p
                ? p.getExpression()
                : ((TypeCastTree) e).getExpression();
      }
      if (e instanceof ConditionalExpressionTree c) {
        nodesVisited++;
        scan(c.getCondition(), null);
        handedOver(c.getTrueExpression());
        handedOver(c.getFalseExpression());
        return;
      }
      if (e instanceof MethodInvocationTree || e instanceof NewClassTree) {
        handOverNext = true;
      }
      scan(e, null);
    }
  }

  private static boolean isFieldOrElement(ExpressionTree target) {
    if (target instanceof ArrayAccessTree) {
      return true;
    }
    if (!(target instanceof IdentifierTree) && !(target instanceof MemberSelectTree)) {
      return false;
    }
    Symbol sym = ASTHelpers.getSymbol(target);
    return sym != null && sym.getKind() == ElementKind.FIELD;
  }
}
