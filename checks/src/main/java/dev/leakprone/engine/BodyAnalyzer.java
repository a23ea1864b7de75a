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
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.processing.JavacProcessingEnvironment;
import com.sun.tools.javac.util.Context;
import java.util.IdentityHashMap;
import java.util.Optional;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.ElementKind;
import org.checkerframework.errorprone.dataflow.cfg.ControlFlowGraph;
import org.checkerframework.errorprone.dataflow.cfg.UnderlyingAST;
import org.checkerframework.errorprone.dataflow.cfg.builder.CFGBuilder;
import org.jspecify.annotations.Nullable;

/**
 * Runs the obligation engine on the body of the method or lambda that a check is visiting: a
 * cheap syntactic pre-filter first, then the control-flow graph (built once per body and shared
 * by every check in the compilation), then the analysis.
 *
 * <p>Nested lambdas and classes are not part of a body: each is analysed on its own when the
 * check visits it. Nothing here throws: a body the graph builder cannot handle is skipped.
 */
public final class BodyAnalyzer {
  private BodyAnalyzer() {}

  /**
   * Analyses the body of the {@link MethodTree} or {@link LambdaExpressionTree} at {@code
   * state.getPath()}, or the initializer block (static or instance, also of an anonymous class:
   * double-brace initialisation) there; empty if it cannot contain an acquisition or could not be
   * analysed.
   */
  public static Optional<ObligationAnalysis.Result> analyze(VisitorState state, ObligationSpec spec) {
    Tree leaf = state.getPath().getLeaf();
    Tree body;
    if (leaf instanceof MethodTree method) {
      body = method.getBody();
    } else if (leaf instanceof LambdaExpressionTree lambda) {
      body = lambda.getBody();
    } else if (isInitializer(state.getPath())) {
      body = leaf;
    } else {
      return Optional.empty();
    }
    if (body == null || !needsAnalysis(body, spec, state)) {
      return Optional.empty();
    }
    ControlFlowGraph cfg = GraphCache.instance(state.context).graph(state);
    if (cfg == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(ObligationAnalysis.analyze(cfg, spec, state));
    } catch (RuntimeException | StackOverflowError e) {
      // An unusual tree the engine does not model: skip the body rather than break the build.
      return Optional.empty();
    }
  }

  /**
   * Whether {@code body} (outside nested lambdas and classes) holds a call that may acquire in a
   * place where the analysis could find it leaked. An acquisition whose value goes straight to
   * its owner needs no graph: returned (outside any {@code try} with {@code finally} or
   * resources, whose closing code could still throw), stored into a field or array element, or
   * the initializer of a try-with-resources variable; through parentheses, casts and either arm
   * of a conditional. The engine transfers or releases each of these at once, so a body whose
   * every acquisition is one of them cannot leak; its operands are still scanned.
   */
  /** Whether the tree at {@code path} is an initializer block of a class. */
  public static boolean isInitializer(TreePath path) {
    return path.getLeaf() instanceof BlockTree
        && path.getParentPath() != null
        && path.getParentPath().getLeaf() instanceof ClassTree;
  }

  static boolean needsAnalysis(Tree body, ObligationSpec spec, VisitorState state) {
    return new CandidateScanner(spec, state).anyIn(body);
  }

  /** Finds an acquisition that needs the analysis; see {@link #needsAnalysis}. */
  private static final class CandidateScanner extends TreeScanner<Boolean, Void> {
    private final ObligationSpec spec;
    private final VisitorState state;
    /** Enclosing try blocks whose finally block or resource closing runs after a return. */
    private int guardedDepth;

    CandidateScanner(ObligationSpec spec, VisitorState state) {
      this.spec = spec;
      this.state = state;
    }

    boolean anyIn(Tree body) {
      return Boolean.TRUE.equals(scan(body, null));
    }

    @Override
    public Boolean scan(Tree tree, Void unused) {
      return Boolean.TRUE.equals(super.scan(tree, unused)) ? Boolean.TRUE : null;
    }

    @Override
    public Boolean reduce(Boolean a, Boolean b) {
      return Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b) ? Boolean.TRUE : null;
    }

    @Override
    public Boolean visitLambdaExpression(LambdaExpressionTree tree, Void unused) {
      return null;
    }

    @Override
    public Boolean visitClass(ClassTree tree, Void unused) {
      return null;
    }

    @Override
    public Boolean visitNewClass(NewClassTree tree, Void unused) {
      return test(tree) ? Boolean.TRUE : operands(tree);
    }

    @Override
    public Boolean visitMethodInvocation(MethodInvocationTree tree, Void unused) {
      return test(tree) ? Boolean.TRUE : operands(tree);
    }

    @Override
    public Boolean visitReturn(ReturnTree tree, Void unused) {
      return guardedDepth == 0 ? handedOver(tree.getExpression()) : scan(tree.getExpression(), null);
    }

    @Override
    public Boolean visitAssignment(AssignmentTree tree, Void unused) {
      return isFieldOrElement(tree.getVariable())
          ? reduce(scan(tree.getVariable(), null), handedOver(tree.getExpression()))
          : super.visitAssignment(tree, unused);
    }

    @Override
    public Boolean visitTry(TryTree tree, Void unused) {
      Boolean found = null;
      for (Tree resource : tree.getResources()) {
        found =
            reduce(
                found,
                resource instanceof VariableTree v
                    ? handedOver(v.getInitializer())
                    : scan(resource, null));
      }
      // A return in the block runs the finally block and closes the resources after it; a return
      // in a catch block runs the finally block only.
      boolean hasFinally = tree.getFinallyBlock() != null;
      guardedDepth += hasFinally || !tree.getResources().isEmpty() ? 1 : 0;
      found = reduce(found, scan(tree.getBlock(), null));
      guardedDepth -= hasFinally || !tree.getResources().isEmpty() ? 1 : 0;
      guardedDepth += hasFinally ? 1 : 0;
      found = reduce(found, scan(tree.getCatches(), null));
      guardedDepth -= hasFinally ? 1 : 0;
      return reduce(found, scan(tree.getFinallyBlock(), null));
    }

    /** Scans an expression whose value goes to its owner at once. */
    private Boolean handedOver(@Nullable ExpressionTree tree) {
      ExpressionTree e = tree;
      while (e instanceof ParenthesizedTree || e instanceof TypeCastTree) {
        e = e instanceof ParenthesizedTree p ? p.getExpression() : ((TypeCastTree) e).getExpression();
      }
      if (e instanceof ConditionalExpressionTree c) {
        return reduce(
            scan(c.getCondition(), null),
            reduce(handedOver(c.getTrueExpression()), handedOver(c.getFalseExpression())));
      }
      if (e instanceof MethodInvocationTree mi) {
        return operands(mi);
      }
      if (e instanceof NewClassTree nc) {
        return operands(nc);
      }
      return scan(e, null);
    }

    private Boolean operands(MethodInvocationTree tree) {
      return reduce(scan(tree.getMethodSelect(), null), scan(tree.getArguments(), null));
    }

    private Boolean operands(NewClassTree tree) {
      return reduce(scan(tree.getEnclosingExpression(), null), scan(tree.getArguments(), null));
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

    private boolean test(ExpressionTree call) {
      try {
        return spec.mayAcquire(call, state)
            || (call instanceof MethodInvocationTree mi && SameFileFactories.isFactoryCall(mi, spec, state));
      } catch (RuntimeException | LinkageError e) {
        return false;
      }
    }
  }

  /** Control-flow graphs of the current compilation unit, shared by every check. */
  private static final class GraphCache {
    private static final Context.Key<GraphCache> KEY = new Context.Key<>();
    private static final int MAX_ENTRIES = 512;

    private @Nullable CompilationUnitTree unit;
    private final IdentityHashMap<Tree, Optional<ControlFlowGraph>> graphs = new IdentityHashMap<>();

    static GraphCache instance(Context context) {
      GraphCache cache = context.get(KEY);
      if (cache == null) {
        cache = new GraphCache();
        context.put(KEY, cache);
      }
      return cache;
    }

    @Nullable ControlFlowGraph graph(VisitorState state) {
      TreePath path = state.getPath();
      if (path.getCompilationUnit() != unit || graphs.size() > MAX_ENTRIES) {
        graphs.clear();
        unit = path.getCompilationUnit();
      }
      return graphs.computeIfAbsent(path.getLeaf(), leaf -> Optional.ofNullable(build(path, state))).orElse(null);
    }

    private static @Nullable ControlFlowGraph build(TreePath path, VisitorState state) {
      try {
        ClassTree classTree = ASTHelpers.findEnclosingNode(path, ClassTree.class);
        if (classTree == null) {
          return null;
        }
        ProcessingEnvironment env = JavacProcessingEnvironment.instance(state.context);
        Tree leaf = path.getLeaf();
        UnderlyingAST ast;
        TreePath bodyPath;
        if (leaf instanceof MethodTree method) {
          ast = new UnderlyingAST.CFGMethod(method, classTree);
          bodyPath = new TreePath(path, method.getBody());
        } else if (leaf instanceof BlockTree block) {
          ast = new UnderlyingAST.CFGStatement(block, classTree);
          bodyPath = path;
        } else {
          LambdaExpressionTree lambda = (LambdaExpressionTree) leaf;
          MethodTree enclosing = ASTHelpers.findEnclosingNode(path, MethodTree.class);
          ast = new UnderlyingAST.CFGLambda(lambda, classTree, enclosing);
          bodyPath = new TreePath(path, lambda.getBody());
        }
        // Assertions are assumed enabled, so that an acquisition in an assert is analysed (issue
        // #10 item 3): tests and development builds run them.
        return CFGBuilder.build(bodyPath, ast, true, false, env);
      } catch (RuntimeException | AssertionError | StackOverflowError | LinkageError e) {
        return null;
      }
    }
  }
}
