package dev.leakprone.engine;

import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.processing.JavacProcessingEnvironment;
import com.sun.tools.javac.util.Context;
import java.util.IdentityHashMap;
import java.util.Optional;
import javax.annotation.processing.ProcessingEnvironment;
import org.checkerframework.errorprone.dataflow.cfg.ControlFlowGraph;
import org.checkerframework.errorprone.dataflow.cfg.UnderlyingAST;
import org.checkerframework.errorprone.dataflow.cfg.builder.CFGBuilder;
import org.jspecify.annotations.Nullable;

/**
 * Runs the obligation engine on the body of the method or lambda that a check is visiting: a cheap
 * syntactic pre-filter first, then the control-flow graph (built once per body and shared by every
 * check in the compilation), then the analysis.
 *
 * <p>Nested lambdas and classes are not part of a body: each is analysed on its own when the check
 * visits it. Nothing here throws: a body the graph builder cannot handle is skipped.
 */
public final class BodyAnalyzer {
  private BodyAnalyzer() {}

  /**
   * Analyses the body of the {@link MethodTree} or {@link LambdaExpressionTree} at {@code
   * state.getPath()}, or the initializer block (static or instance, also of an anonymous class:
   * double-brace initialisation) there; empty if it cannot contain an acquisition or could not be
   * analysed.
   */
  public static Optional<ObligationAnalysis.Result> analyze(
      VisitorState state, ObligationSpec spec) {
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
      ObligationAnalysis.Result result = ObligationAnalysis.analyze(cfg, spec, state);
      CostCounters.nodeTransfers(result.work());
      return Optional.of(result);
    } catch (RuntimeException | StackOverflowError e) {
      // An unusual tree the engine does not model: skip the body rather than break the build.
      return Optional.empty();
    }
  }

  /** Whether the tree at {@code path} is an initializer block of a class. */
  public static boolean isInitializer(TreePath path) {
    return path.getLeaf() instanceof BlockTree
        && path.getParentPath() != null
        && path.getParentPath().getLeaf() instanceof ClassTree;
  }

  /**
   * Whether {@code body} (outside nested lambdas and classes) holds a call that may acquire in a
   * place where the analysis could find it leaked: a call site of the shared {@link CandidateIndex}
   * that is not handed straight to its owner and that passes the specification's cheap test. The
   * engine transfers or releases a handed-over value at once, so a body whose every acquisition is
   * handed over cannot leak and needs no graph.
   */
  static boolean needsAnalysis(Tree body, ObligationSpec spec, VisitorState state) {
    for (CandidateIndex.Site site : CandidateIndex.instance(state.context).sites(body, state)) {
      if (!site.handedOver() && mayAcquire(spec, site.call(), state)) {
        return true;
      }
    }
    return false;
  }

  private static boolean mayAcquire(ObligationSpec spec, ExpressionTree call, VisitorState state) {
    try {
      return spec.mayAcquire(call, state)
          || (call instanceof MethodInvocationTree mi
              && SameFileFactories.isFactoryCall(mi, spec, state));
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  /** Control-flow graphs of the current compilation unit, shared by every check. */
  private static final class GraphCache {
    private static final Context.Key<GraphCache> KEY = new Context.Key<>();
    private static final int MAX_ENTRIES = 512;

    private @Nullable CompilationUnitTree unit;
    private final IdentityHashMap<Tree, Optional<ControlFlowGraph>> graphs =
        new IdentityHashMap<>();

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
      if (!path.getCompilationUnit().equals(unit) || graphs.size() > MAX_ENTRIES) {
        graphs.clear();
        unit = path.getCompilationUnit();
      }
      return graphs
          .computeIfAbsent(path.getLeaf(), leaf -> Optional.ofNullable(build(path, state)))
          .orElse(null);
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
        CostCounters.graphBuilt();
        // Assertions are assumed enabled, so that an acquisition in an assert is analysed (issue
        // #10 item 3): tests and development builds run them.
        return CFGBuilder.build(bodyPath, ast, true, false, env);
      } catch (RuntimeException | AssertionError | StackOverflowError | LinkageError e) {
        return null;
      }
    }
  }
}
