package dev.leakprone.engine;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableSet;
import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.tree.JCTree;
import dev.leakprone.engine.CallEffect.Acquire;
import dev.leakprone.engine.CallEffect.Use;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.type.TypeMirror;
import org.checkerframework.errorprone.dataflow.cfg.ControlFlowGraph;
import org.checkerframework.errorprone.dataflow.cfg.UnderlyingAST;
import org.checkerframework.errorprone.dataflow.cfg.block.Block;
import org.checkerframework.errorprone.dataflow.cfg.block.ConditionalBlock;
import org.checkerframework.errorprone.dataflow.cfg.block.ExceptionBlock;
import org.checkerframework.errorprone.dataflow.cfg.block.SingleSuccessorBlock;
import org.checkerframework.errorprone.dataflow.cfg.block.SpecialBlock;
import org.checkerframework.errorprone.dataflow.cfg.node.ArrayCreationNode;
import org.checkerframework.errorprone.dataflow.cfg.node.AssignmentNode;
import org.checkerframework.errorprone.dataflow.cfg.node.BinaryOperationNode;
import org.checkerframework.errorprone.dataflow.cfg.node.BooleanLiteralNode;
import org.checkerframework.errorprone.dataflow.cfg.node.CharacterLiteralNode;
import org.checkerframework.errorprone.dataflow.cfg.node.ConditionalAndNode;
import org.checkerframework.errorprone.dataflow.cfg.node.ConditionalNotNode;
import org.checkerframework.errorprone.dataflow.cfg.node.ConditionalOrNode;
import org.checkerframework.errorprone.dataflow.cfg.node.EqualToNode;
import org.checkerframework.errorprone.dataflow.cfg.node.FieldAccessNode;
import org.checkerframework.errorprone.dataflow.cfg.node.FunctionalInterfaceNode;
import org.checkerframework.errorprone.dataflow.cfg.node.GreaterThanNode;
import org.checkerframework.errorprone.dataflow.cfg.node.GreaterThanOrEqualNode;
import org.checkerframework.errorprone.dataflow.cfg.node.InstanceOfNode;
import org.checkerframework.errorprone.dataflow.cfg.node.IntegerLiteralNode;
import org.checkerframework.errorprone.dataflow.cfg.node.LambdaResultExpressionNode;
import org.checkerframework.errorprone.dataflow.cfg.node.LessThanNode;
import org.checkerframework.errorprone.dataflow.cfg.node.LessThanOrEqualNode;
import org.checkerframework.errorprone.dataflow.cfg.node.LocalVariableNode;
import org.checkerframework.errorprone.dataflow.cfg.node.LongLiteralNode;
import org.checkerframework.errorprone.dataflow.cfg.node.MarkerNode;
import org.checkerframework.errorprone.dataflow.cfg.node.MethodInvocationNode;
import org.checkerframework.errorprone.dataflow.cfg.node.NarrowingConversionNode;
import org.checkerframework.errorprone.dataflow.cfg.node.Node;
import org.checkerframework.errorprone.dataflow.cfg.node.NotEqualNode;
import org.checkerframework.errorprone.dataflow.cfg.node.NullLiteralNode;
import org.checkerframework.errorprone.dataflow.cfg.node.ObjectCreationNode;
import org.checkerframework.errorprone.dataflow.cfg.node.ReturnNode;
import org.checkerframework.errorprone.dataflow.cfg.node.StringConcatenateNode;
import org.checkerframework.errorprone.dataflow.cfg.node.StringLiteralNode;
import org.checkerframework.errorprone.dataflow.cfg.node.SwitchExpressionNode;
import org.checkerframework.errorprone.dataflow.cfg.node.TernaryExpressionNode;
import org.checkerframework.errorprone.dataflow.cfg.node.ThrowNode;
import org.checkerframework.errorprone.dataflow.cfg.node.TypeCastNode;
import org.checkerframework.errorprone.dataflow.cfg.node.WideningConversionNode;
import org.jspecify.annotations.Nullable;

/**
 * The obligation engine: a forward may-analysis over one body's control-flow graph that follows
 * every object carrying an obligation from its acquisition to every exit, normal and exceptional.
 *
 * <p>Abstraction: one obligation per acquisition site (at most {@value #MAX_SITES} per body). The
 * state of each is a pair of bits — may be held open, may be released — and each local variable and
 * intermediate value maps to the set of obligations it may carry. Releasing through any alias
 * releases the object; returning it, storing it in a field, array or collection, capturing it in a
 * lambda or anonymous class, or passing it to an owner transfers it, which also ends the method's
 * obligation. A null check refines the branch on which the variable is null.
 *
 * <p>Exceptions: an edge is followed when the exception is checked (declared by the callee), is
 * thrown by a {@code throw} statement, or is rethrown at the end of a {@code finally} block.
 * Unchecked exceptions that any call might throw are not followed: every statement would leak
 * otherwise, and users would turn the check off. Wrapper constructors (a {@code GZIPInputStream}
 * over a stream the method holds) are assumed not to fail. The exception of a releasing call inside
 * a {@code finally} block is not followed either ({@link #closeInFinally}).
 *
 * <p>Keyed obligations ({@link CallEffect#key()}): an acquisition with a key opens an obligation
 * attached to the key rather than to a value; a later call whose effect has a key that the
 * specification says {@linkplain ObligationSpec#releasesKey releases} it discharges it, on the
 * paths through that call. Everything else (paths, exceptions, leak kinds) is as for values, except
 * that binding a held key again is not {@link Leak.Kind#OVERWRITTEN_IN_LOOP}. A specification may
 * also ask for unchecked exceptions to be followed ({@link
 * ObligationSpec#followsUncheckedExceptions}).
 *
 * <p>Work is bounded: bodies with more than {@value #MAX_NODES} nodes are skipped, and the fixpoint
 * iteration stops (reporting nothing) after {@link #workLimit(int)} node transfers.
 */
public final class ObligationAnalysis {

  /** Acquisition sites tracked per body; further ones are ignored. */
  public static final int MAX_SITES = 64;

  /** Bodies whose graph has more nodes are not analysed. */
  public static final int MAX_NODES = 40_000;

  /** A local variable's value is null, or false. */
  private static final int LOW = 1;

  /** A local variable's value is non-null, or true. */
  private static final int HIGH = 2;

  private static final int UNKNOWN = LOW | HIGH;

  private final ControlFlowGraph cfg;
  private final ObligationSpec spec;
  private final VisitorState state;

  private final IdentityHashMap<Tree, Integer> siteIds = new IdentityHashMap<>();
  private final List<ExpressionTree> sites = new ArrayList<>();
  private final List<String> labels = new ArrayList<>();
  private final List<@Nullable String> details = new ArrayList<>();
  private final String[] names = new String[MAX_SITES];
  private final String[] holders = new String[MAX_SITES];

  /** The outermost wrapper constructed around each obligation so far. */
  private final String[] wrappers = new String[MAX_SITES];

  private final long[] parents = new long[MAX_SITES];

  /**
   * For a child obligation ({@link Acquire#CHILD_OF_RECEIVER}) of a receiver that carries no
   * obligation of this body (a borrowed connection: a parameter, a field, a local from an
   * accessor), the variable or field that receiver was read from; releasing it through the same
   * variable releases the child ({@code stat = conn.createStatement(); …; conn.close();}).
   */
  private final Object[] borrowedParents = new Object[MAX_SITES];

  /** The key of each keyed obligation, null for obligations carried by values. */
  private final Object[] keys = new Object[MAX_SITES];

  /** Sites whose obligation is keyed. */
  private long keyed;

  /** The sites whose obligation is {@link Acquire#LAZY}: started by any use of the object. */
  private long lazy;

  /**
   * What the node being transferred releases if it throws ({@link Use#RELEASE_ON_FAILURE}); set by
   * {@link #call} and read by {@link #exceptionalStore} for the same node.
   */
  private long releasedOnFailure;

  private long overwrittenInLoop;
  private final IdentityHashMap<Tree, Set<Element>> capturedCache = new IdentityHashMap<>();
  private final Map<Block, Node> conditionOf = new HashMap<>();

  /** Each call's effect, computed once per body: the fixpoint visits a node many times. */
  private final IdentityHashMap<Node, Effect> effects = new IdentityHashMap<>();

  private record Effect(CallEffect effect, boolean byDefault) {}

  /** Whether each call releases its receiver's children, computed once per body. */
  private final IdentityHashMap<Node, Boolean> releasesChildren = new IdentityHashMap<>();

  /**
   * The variables and condition nodes whose values are worth tracking: those compared with null,
   * used as boolean conditions, or combined with &&, || and !. Tracking nothing else keeps the
   * stores small on long methods.
   */
  private final Set<Object> relevant = new HashSet<>();

  /** The comparisons of a local variable with a constant in this body, by node. */
  private final IdentityHashMap<Node, Compare> compares = new IdentityHashMap<>();

  /** The comparison keys of each local variable compared with a constant, for its assignments. */
  private final HashMap<Object, List<CompareKey>> comparesOf = new HashMap<>();

  private int work;

  private ObligationAnalysis(ControlFlowGraph cfg, ObligationSpec spec, VisitorState state) {
    this.cfg = cfg;
    this.spec = spec;
    this.state = state;
  }

  /** The result of analysing one body. */
  public record Result(List<Leak> leaks, boolean completed, int work) {}

  /**
   * Analyses one body (method, lambda, initializer) against {@code spec}.
   *
   * @param state any state of the compilation unit that contains the body
   */
  public static Result analyze(ControlFlowGraph cfg, ObligationSpec spec, VisitorState state) {
    ObligationAnalysis analysis = new ObligationAnalysis(cfg, spec, state);
    return analysis.run();
  }

  /** The most node transfers the fixpoint may take for a graph of {@code nodes} nodes. */
  public static int workLimit(int nodes) {
    return 20_000 + 20 * nodes;
  }

  // ---------------------------------------------------------------------------------------------
  // The abstract store.

  private static final class Store {
    long open;
    long done;

    /**
     * Obligations that may have started: every acquisition but a {@link Acquire#DORMANT} one starts
     * at once; a dormant one starts at a {@link Use#START} call. Only open obligations that may
     * have started leak.
     */
    long live;

    final HashMap<Object, Long> vars;

    /**
     * What is known of local variables: {@link #LOW} (null, or false for a boolean) and/or {@link
     * #HIGH} (non-null, or true). An absent variable may be either.
     */
    final HashMap<Object, Integer> facts;

    /**
     * For each open obligation, the facts that hold on every path on which it is open: a relational
     * refinement, so that {@code if (source == null) stream.close()} after a join knows that the
     * stream is open only where the source is null.
     */
    final HashMap<Object, Integer>[] guards;

    final IdentityHashMap<Node, Long> temps;
    final int[] throwLine;

    @SuppressWarnings({"unchecked", "rawtypes"})
    Store() {
      vars = new HashMap<>();
      facts = new HashMap<>();
      guards = new HashMap[MAX_SITES];
      temps = new IdentityHashMap<>();
      throwLine = new int[MAX_SITES];
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    Store(Store other) {
      open = other.open;
      done = other.done;
      live = other.live;
      vars = new HashMap<>(other.vars);
      facts = new HashMap<>(other.facts);
      // Guard maps are never modified in place (copy on write), so stores share them.
      guards = other.guards.clone();
      temps = new IdentityHashMap<>(other.temps);
      throwLine = other.throwLine.clone();
    }

    /** Joins {@code other} into this store; returns whether this store changed. */
    boolean join(Store other) {
      boolean changed = false;
      // What has started counts only where it is still open, path by path: an obligation open but
      // dormant on one path and started but released on another is not a started open one.
      long mineLive = live & open;
      long theirLive = other.live & other.open;
      for (int i = 0; i < MAX_SITES; i++) {
        long bit = 1L << i;
        boolean mine = (open & bit) != 0;
        boolean theirs = (other.open & bit) != 0;
        if (theirs && !mine) {
          guards[i] = other.guards[i] == null ? new HashMap<>() : other.guards[i];
          changed = true;
        } else if (theirs && guards[i] != null && !guards[i].equals(other.guards[i])) {
          HashMap<Object, Integer> joined = new HashMap<>(guards[i]);
          if (joinFacts(joined, other.guards[i] == null ? Map.of() : other.guards[i])) {
            guards[i] = joined;
            changed = true;
          }
        }
      }
      if ((open | other.open) != open) {
        open |= other.open;
        changed = true;
      }
      if ((done | other.done) != done) {
        done |= other.done;
        changed = true;
      }
      live = mineLive | theirLive;
      if (live != mineLive) {
        changed = true;
      }
      for (Map.Entry<Object, Long> e : other.vars.entrySet()) {
        Long mine = vars.get(e.getKey());
        long merged = (mine == null ? 0 : mine) | e.getValue();
        if (mine == null || merged != mine) {
          vars.put(e.getKey(), merged);
          changed = true;
        }
      }
      changed |= joinFacts(facts, other.facts);
      for (Map.Entry<Node, Long> e : other.temps.entrySet()) {
        Long mine = temps.get(e.getKey());
        long merged = (mine == null ? 0 : mine) | e.getValue();
        if (mine == null || merged != mine) {
          temps.put(e.getKey(), merged);
          changed = true;
        }
      }
      for (int i = 0; i < MAX_SITES; i++) {
        int theirs = other.throwLine[i];
        if (theirs != 0 && (throwLine[i] == 0 || theirs < throwLine[i])) {
          throwLine[i] = theirs;
          changed = true;
        }
      }
      return changed;
    }

    /** A fact is known after a join only where it is known on both sides. */
    private static boolean joinFacts(Map<Object, Integer> mine, Map<Object, Integer> theirs) {
      boolean changed = mine.keySet().retainAll(theirs.keySet());
      for (Map.Entry<Object, Integer> e : mine.entrySet()) {
        int merged =
            e.getValue() | requireNonNull(theirs.get(e.getKey())); // retained: a key of theirs
        if (merged != e.getValue()) {
          e.setValue(merged);
          changed = true;
        }
      }
      return changed;
    }

    /** Records that {@code key} has {@code fact} (or, with {@link #UNKNOWN}, nothing is known). */
    void setFact(Object key, int fact) {
      if (fact == UNKNOWN) {
        facts.remove(key);
      } else {
        facts.put(key, fact);
      }
      for (int i = 0; i < MAX_SITES; i++) {
        if (guards[i] != null
            && !Integer.valueOf(fact).equals(guards[i].getOrDefault(key, UNKNOWN))) {
          HashMap<Object, Integer> updated = new HashMap<>(guards[i]);
          if (fact == UNKNOWN) {
            updated.remove(key);
          } else {
            updated.put(key, fact);
          }
          guards[i] = updated;
        }
      }
    }

    void opened(int id) {
      guards[id] = new HashMap<>(facts);
    }

    void closed(long mask) {
      for (int i = 0; i < MAX_SITES; i++) {
        if ((mask & (1L << i)) != 0) {
          guards[i] = null;
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The fixpoint.

  private Result run() {
    List<Block> order = cfg.getDepthFirstOrderedBlocks();
    int nodeCount = 0;
    for (Block b : order) {
      nodeCount += b.getNodes().size();
    }
    if (nodeCount > MAX_NODES) {
      return new Result(List.of(), false, 0);
    }
    int limit = workLimit(nodeCount);
    collectRelevant(order);
    collectReturnedExpressions(order);
    Map<Block, Integer> rank = new HashMap<>();
    for (int i = 0; i < order.size(); i++) {
      rank.put(order.get(i), i);
    }
    Map<Block, Store> in = new HashMap<>();
    PriorityQueue<Block> worklist =
        new PriorityQueue<>(
            (a, b) -> Integer.compare(rank.getOrDefault(a, 0), rank.getOrDefault(b, 0)));
    Set<Block> queued = new HashSet<>();
    SpecialBlock entry = cfg.getEntryBlock();
    in.put(entry, new Store());
    worklist.add(entry);
    queued.add(entry);
    while (!worklist.isEmpty()) {
      Block block = worklist.poll();
      queued.remove(block);
      Store store = new Store(requireNonNull(in.get(block))); // queued with its in-store
      List<Map.Entry<Block, Store>> outs = new ArrayList<>(2);
      switch (block.getType()) {
        case SPECIAL_BLOCK, REGULAR_BLOCK -> {
          for (Node node : block.getNodes()) {
            transfer(store, node);
          }
          Block succ = ((SingleSuccessorBlock) block).getSuccessor();
          if (succ != null) {
            outs.add(Map.entry(succ, store));
          }
        }
        case EXCEPTION_BLOCK -> {
          ExceptionBlock eb = (ExceptionBlock) block;
          Node node = eb.getNode();
          // Only what an acquisition at this node changes is needed from before it.
          Before before = new Before(store);
          releasedOnFailure = 0;
          boolean wrapperConstruction = transfer(store, node);
          Block succ = eb.getSuccessor();
          if (succ != null) {
            outs.add(Map.entry(succ, store));
          }
          if (!wrapperConstruction && !closeInFinally(node)) {
            Store exceptional = null;
            for (Map.Entry<TypeMirror, Set<Block>> e : eb.getExceptionalSuccessors().entrySet()) {
              if (!follows(node, e.getKey()) || onlyUncheckedRethrown(node, e.getKey(), eb)) {
                continue;
              }
              if (exceptional == null) {
                exceptional = exceptionalStore(before, store, node);
              }
              for (Block target : e.getValue()) {
                outs.add(Map.entry(target, exceptional));
              }
            }
          }
        }
        case CONDITIONAL_BLOCK -> {
          ConditionalBlock cb = (ConditionalBlock) block;
          Node condition = conditionOf(cb);
          Store thenStore = store;
          Store elseStore = new Store(store);
          int feasible = refineCondition(condition, thenStore, elseStore);
          if ((feasible & THEN) != 0) {
            outs.add(Map.entry(cb.getThenSuccessor(), thenStore));
          }
          if ((feasible & ELSE) != 0) {
            outs.add(Map.entry(cb.getElseSuccessor(), elseStore));
          }
        }
      }
      for (Map.Entry<Block, Store> out : outs) {
        Block target = out.getKey();
        Store existing = in.get(target);
        boolean changed;
        if (existing == null) {
          in.put(target, new Store(out.getValue()));
          changed = true;
        } else {
          changed = existing.join(out.getValue());
        }
        if (changed && queued.add(target)) {
          worklist.add(target);
        }
      }
      if (work > limit) {
        return new Result(List.of(), false, work);
      }
    }
    Store normalExit = in.get(cfg.getRegularExitBlock());
    if (normalExit != null) {
      assignRecordFields(normalExit);
    }
    return new Result(leaks(normalExit, in.get(cfg.getExceptionalExitBlock())), true, work);
  }

  /**
   * A record's compact constructor ends with the implicit assignment of its parameters to the
   * fields: what the parameters hold at the normal exit is the record's (issue #10 item 4).
   */
  private void assignRecordFields(Store exit) {
    if (!(cfg.getUnderlyingAST() instanceof UnderlyingAST.CFGMethod m)) {
      return;
    }
    MethodSymbol sym = ASTHelpers.getSymbol(m.getMethod());
    if (sym == null || (sym.flags() & Flags.COMPACT_RECORD_CONSTRUCTOR) == 0) {
      return;
    }
    for (Symbol.VarSymbol param : sym.getParameters()) {
      Long held = exit.vars.get(param);
      if (held != null) {
        release(exit, held);
      }
    }
  }

  /** The trees inside {@code finally} blocks of the analysed body (not of nested bodies). */
  private @Nullable Set<Tree> finallyTrees;

  /**
   * Closing one resource after another in {@code finally} (issue #10 item 9): the exception of a
   * releasing call there ({@code a.close()}, {@code closeQuietly(a)}) is not followed, so that it
   * does not count as leaking the resources closed after it. This is the rule of SonarJava, PMD and
   * the Checker Framework: the exception of a close is rare and the code after it in the finally
   * block is the idiom. Any other call in the finally block still counts.
   */
  private boolean closeInFinally(Node node) {
    if (!(node instanceof MethodInvocationNode)) {
      return false;
    }
    Effect effect = effects.get(node);
    if (effect == null
        || (effect.effect().receiver() != Use.DISCHARGE
            && effect.effect().arguments() != Use.DISCHARGE)) {
      return false;
    }
    if (finallyTrees == null) {
      Set<Tree> trees = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
      new TreeScanner<Void, Boolean>() {
        @Override
        public Void scan(@Nullable Tree tree, Boolean inFinally) {
          if (tree != null && Boolean.TRUE.equals(inFinally)) {
            trees.add(tree);
          }
          return super.scan(tree, inFinally);
        }

        @Override
        public Void visitTry(TryTree tree, Boolean inFinally) {
          scan(tree.getResources(), inFinally);
          scan(tree.getBlock(), inFinally);
          scan(tree.getCatches(), inFinally);
          scan(tree.getFinallyBlock(), true);
          return null;
        }

        @Override
        public Void visitClass(ClassTree tree, Boolean inFinally) {
          return null;
        }

        @Override
        public Void visitLambdaExpression(LambdaExpressionTree tree, Boolean inFinally) {
          return null;
        }
      }.scan(codeOf(cfg.getUnderlyingAST()), false);
      finallyTrees = trees;
    }
    return finallyTrees.contains(node.getTree());
  }

  private static @Nullable Tree codeOf(UnderlyingAST ast) {
    if (ast instanceof UnderlyingAST.CFGMethod m) {
      return m.getMethod().getBody();
    }
    if (ast instanceof UnderlyingAST.CFGLambda l) {
      return l.getLambdaTree().getBody();
    }
    if (ast instanceof UnderlyingAST.CFGStatement st) {
      return st.getCode();
    }
    return null;
  }

  /** Per finally handler of a try-with-resources: the exception types that enter it. */
  private @Nullable Map<Tree, Set<TypeMirror>> enteringHandler;

  /**
   * Whether the edge for {@code cause} out of the rethrow at the end of a try-with-resources'
   * implicit finally ({@code node}) carries only unchecked exceptions, which the engine does not
   * follow (issue #10 item 1). The graph rethrows a checked exception of the body to the
   * statement's own catch clause and, in addition, "any {@code Throwable}" to the enclosing
   * handler; the second edge carries only what no other edge catches, so when every checked
   * exception that entered the handler is caught by another edge, it carries nothing followed.
   */
  private boolean onlyUncheckedRethrown(Node node, TypeMirror cause, ExceptionBlock eb) {
    if (!(node instanceof MarkerNode marker)
        || !marker.getMessage().startsWith("end of finally block for Throwable")) {
      return false;
    }
    Set<TypeMirror> siblings = eb.getExceptionalSuccessors().keySet();
    Type causeType = (Type) cause;
    // Only the catch-all edge: one whose type is a supertype of another edge's.
    boolean catchAll =
        siblings.stream()
            .anyMatch(o -> otherEdge(o, cause) && state.getTypes().isSubtype((Type) o, causeType));
    if (!catchAll) {
      return false;
    }
    if (enteringHandler == null) {
      enteringHandler = new HashMap<>();
      Map<Block, Tree> handlers = new HashMap<>();
      for (Block b : cfg.getAllBlocks()) {
        if (!b.getNodes().isEmpty()
            && b.getNodes().get(0) instanceof MarkerNode start
            && start.getMessage().startsWith("start of finally block for Throwable")) {
          handlers.put(b, start.getTree());
        }
      }
      for (Block b : cfg.getAllBlocks()) {
        if (b instanceof ExceptionBlock e) {
          for (Map.Entry<TypeMirror, Set<Block>> edge : e.getExceptionalSuccessors().entrySet()) {
            for (Block target : edge.getValue()) {
              Tree handler = handlers.get(target);
              if (handler != null) {
                enteringHandler.computeIfAbsent(handler, h -> new HashSet<>()).add(edge.getKey());
              }
            }
          }
        }
      }
    }
    Set<TypeMirror> entering = enteringHandler.get(marker.getTree());
    if (entering == null) {
      return false;
    }
    Type runtime = state.getSymtab().runtimeExceptionType;
    Type error = state.getSymtab().errorType;
    for (TypeMirror t : entering) {
      Type type = (Type) t;
      if (state.getTypes().isSubtype(type, runtime) || state.getTypes().isSubtype(type, error)) {
        continue;
      }
      boolean caught = false;
      for (TypeMirror other : siblings) {
        if (otherEdge(other, cause) && state.getTypes().isSubtype(type, (Type) other)) {
          caught = true;
        }
      }
      if (!caught) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code edge} is another key of the block's exceptional successors than {@code cause}.
   */
  @SuppressWarnings({
    "ReferenceEquality",
    "TypeEquals"
  }) // the map's keys by identity, not types by sameness
  private static boolean otherEdge(TypeMirror edge, TypeMirror cause) {
    return edge != cause;
  }

  private boolean follows(Node node, TypeMirror cause) {
    if (node instanceof ThrowNode || node instanceof MarkerNode) {
      return true;
    }
    Type type = (Type) cause;
    Type runtime = state.getSymtab().runtimeExceptionType;
    Type error = state.getSymtab().errorType;
    return (!state.getTypes().isSubtype(type, runtime) && !state.getTypes().isSubtype(type, error))
        || followsUnchecked(node);
  }

  private boolean followsUnchecked(Node node) {
    if (keyed == 0
        || !(node instanceof MethodInvocationNode || node instanceof ObjectCreationNode)
        || !(node.getTree() instanceof ExpressionTree call)) {
      return false;
    }
    try {
      return spec.followsUncheckedExceptions(call, state);
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  /** The part of a store that the exceptional edges of an acquisition restore. */
  private static final class Before {
    final long open;
    final long done;
    final long live;
    final HashMap<Object, Integer>[] guards;

    Before(Store s) {
      open = s.open;
      done = s.done;
      live = s.live;
      guards = s.guards.clone();
    }
  }

  /** The store on an exceptional edge: releases and transfers happened, the acquisition did not. */
  private Store exceptionalStore(Before before, Store after, Node node) {
    Store s = new Store(after);
    // Only an acquisition or a START changes what has started; neither happened on this edge.
    s.live = before.live;
    if (releasedOnFailure != 0) {
      release(s, releasedOnFailure);
    }
    Integer id = siteIds.get(node.getTree());
    if (id != null) {
      long bit = 1L << id;
      s.open = (s.open & ~bit) | (before.open & bit);
      s.done = (s.done & ~bit) | (before.done & bit);
      s.guards[id] = before.guards[id];
    }
    s.temps.remove(node);
    if (!(node instanceof MarkerNode)) {
      int line = line(node);
      int coded = unlikelyToThrow(node) ? line | UNLIKELY_THROW : line;
      for (int i = 0; i < sites.size(); i++) {
        if ((s.open & (1L << i)) != 0
            && (s.throwLine[i] == 0
                || ((s.throwLine[i] & UNLIKELY_THROW) != 0 && (coded & UNLIKELY_THROW) == 0))) {
          s.throwLine[i] = coded;
        }
      }
    }
    return s;
  }

  /**
   * Marks a throw line whose call practically never fails, so that the message names a likelier one
   * when the path has it: {@code socket.setSoTimeout(…)} before {@code socket.bind(…)}. The lines
   * are compared as numbers, so a marked line loses to any unmarked one.
   */
  private static final int UNLIKELY_THROW = 1 << 30;

  /**
   * A setter: a {@code void setX(…)} method of one or two parameters ({@code setSoTimeout(int)},
   * {@code PreparedStatement.setString(int, String)}), which declares an exception only for a
   * closed object or an unsupported option.
   */
  private static boolean unlikelyToThrow(Node node) {
    if (!(node instanceof MethodInvocationNode mi)) {
      return false;
    }
    MethodSymbol m = ASTHelpers.getSymbol(mi.getTree());
    if (m == null) {
      return false;
    }
    String name = m.getSimpleName().toString();
    return name.length() > 3
        && name.startsWith("set")
        && Character.isUpperCase(name.charAt(3))
        && (m.getParameters().size() == 1 || m.getParameters().size() == 2)
        && m.getReturnType().getKind() == javax.lang.model.type.TypeKind.VOID;
  }

  private Node conditionOf(ConditionalBlock cb) {
    return conditionOf.computeIfAbsent(
        cb,
        b -> {
          for (Block pred : b.getPredecessors()) {
            List<Node> nodes = pred.getNodes();
            if (!nodes.isEmpty()) {
              return nodes.get(nodes.size() - 1);
            }
          }
          return null;
        });
  }

  private static final int THEN = 1;
  private static final int ELSE = 2;

  /**
   * Refines the branches of a condition on a local variable ({@code x == null}, {@code x != null},
   * {@code flag}, {@code !flag}): on the branch where a variable is null it holds no obligation; a
   * branch that contradicts what is known ({@code if (source == null)} right after {@code source =
   * new InputSource(…)}) is not taken; and an obligation open only where the variable had the other
   * value is not open on this branch ({@code finally { if (!success) in.close(); }}). Returns the
   * feasible branches.
   */
  private int refineCondition(@Nullable Node condition, Store thenStore, Store elseStore) {
    LocalVariableNode variable = null;
    Object flag = null;
    int thenFact;
    boolean nullCheck = false;
    NullTest test = condition == null ? null : nullTest(condition, 0);
    if (test != null) {
      variable = test.variable();
      nullCheck = true;
      thenFact = test.thenNull() ? LOW : HIGH;
    } else if (fieldNullTest(condition) != null) {
      FieldNullTest ft = requireNonNull(fieldNullTest(condition));
      flag = ft.field();
      thenFact = ft.thenNull() ? LOW : HIGH;
    } else if (condition instanceof NotEqualNode || condition instanceof EqualToNode) {
      thenFact = condition instanceof EqualToNode ? LOW : HIGH;
    } else if (condition instanceof LocalVariableNode lv) {
      variable = lv;
      thenFact = HIGH;
    } else if (condition instanceof ConditionalNotNode not
        && not.getOperand() instanceof LocalVariableNode lv) {
      variable = lv;
      thenFact = LOW;
    } else if (fieldFlag(condition) != null) {
      flag = fieldFlag(condition);
      thenFact = HIGH;
    } else if (condition instanceof ConditionalNotNode not && fieldFlag(not.getOperand()) != null) {
      flag = fieldFlag(not.getOperand());
      thenFact = LOW;
    } else {
      thenFact = HIGH;
    }
    if (condition == null) {
      return THEN | ELSE;
    }
    // The condition itself is a fact too, so that `a && b` can be evaluated from its operands.
    Object conditionKey = new NodeKey(condition);
    Compare compare = compares.get(condition);
    int thenEqual = compare == null ? UNKNOWN : compare.thenEqual() ? HIGH : LOW;
    int feasible = 0;
    if (assume(thenStore, conditionKey, HIGH, false)
        && (variable == null || assume(thenStore, key(variable), thenFact, nullCheck))
        && (flag == null || assume(thenStore, flag, thenFact, false))
        && (compare == null || assume(thenStore, compare.key(), thenEqual, false))) {
      feasible |= THEN;
    }
    if (assume(elseStore, conditionKey, LOW, false)
        && (variable == null || assume(elseStore, key(variable), UNKNOWN & ~thenFact, nullCheck))
        && (flag == null || assume(elseStore, flag, UNKNOWN & ~thenFact, false))
        && (compare == null || assume(elseStore, compare.key(), UNKNOWN & ~thenEqual, false))) {
      feasible |= ELSE;
    }
    // `in != System.in`: where the variable is that value, it holds none of this body's
    // obligations (issue #10 item 6); also as an operand of && and || whose outcome implies it.
    if ((feasible & THEN) != 0) {
      dropWhereEqual(condition, true, thenStore, 0);
    }
    if ((feasible & ELSE) != 0) {
      dropWhereEqual(condition, false, elseStore, 0);
    }
    if (condition instanceof InstanceOfNode io && aliasedVariable(io.getOperand(), 0) != null) {
      // Where `o instanceof T` is false, o holds none of the obligations whose objects are Ts.
      Object v = key(requireNonNull(aliasedVariable(io.getOperand(), 0)));
      long held = elseStore.vars.getOrDefault(v, 0L);
      Type tested = state.getTypes().erasure((Type) io.getRefType());
      long instances = 0;
      for (int i = 0; i < sites.size(); i++) {
        Type siteType = ASTHelpers.getType(sites.get(i));
        if ((held & (1L << i)) != 0
            && siteType != null
            && state.getTypes().isSubtype(state.getTypes().erasure(siteType), tested)) {
          instances |= 1L << i;
        }
      }
      if (instances != 0) {
        elseStore.open &= ~instances;
        elseStore.done &= ~instances;
        elseStore.closed(instances);
        elseStore.vars.put(v, held & ~instances);
      }
    }
    return feasible;
  }

  /**
   * Where {@code condition} has the value {@code value}, forgets the obligations of each variable
   * that it implies equal to a value that is not a resource of this body ({@link
   * #comparedWithNonResource}).
   */
  private void dropWhereEqual(Node condition, boolean value, Store s, int depth) {
    if (depth > 8) {
      return;
    }
    if (condition instanceof ConditionalNotNode not) {
      dropWhereEqual(not.getOperand(), !value, s, depth + 1);
    } else if ((condition instanceof ConditionalAndNode && value)
        || (condition instanceof ConditionalOrNode && !value)) {
      BinaryOperationNode b = (BinaryOperationNode) condition;
      dropWhereEqual(b.getLeftOperand(), value, s, depth + 1);
      dropWhereEqual(b.getRightOperand(), value, s, depth + 1);
    } else if ((condition instanceof EqualToNode && value)
        || (condition instanceof NotEqualNode && !value)) {
      LocalVariableNode same = comparedWithNonResource((BinaryOperationNode) condition);
      if (same != null) {
        drop(s, key(same));
      }
    }
  }

  /** Forgets the obligations held by {@code key}: on this branch it holds none. */
  private static void drop(Store s, Object key) {
    long held = s.vars.getOrDefault(key, 0L);
    if (held != 0) {
      s.open &= ~held;
      s.done &= ~held;
      s.closed(held);
      s.vars.remove(key);
    }
  }

  /**
   * The variable of {@code v == E} or {@code v != E} where {@code E} is a field (such as {@code
   * System.in}) or a literal: a value that no obligation of this body can be, since the body
   * transfers what it stores in a field. Null otherwise.
   */
  private @Nullable LocalVariableNode comparedWithNonResource(BinaryOperationNode b) {
    Node left = b.getLeftOperand();
    Node right = b.getRightOperand();
    LocalVariableNode l = aliasedVariable(left, 0);
    LocalVariableNode r = aliasedVariable(right, 0);
    if (l != null && r == null && isNonResourceValue(right)) {
      return l;
    }
    if (r != null && l == null && isNonResourceValue(left)) {
      return r;
    }
    return null;
  }

  private static boolean isNonResourceValue(Node n) {
    return n instanceof FieldAccessNode || n instanceof StringLiteralNode;
  }

  /** A null test of a local variable: {@code x == null}, {@code Objects.isNull(x)}, negations. */
  private record NullTest(LocalVariableNode variable, boolean thenNull) {}

  /** The relation of a {@link CompareKey}: {@code x == c}, {@code x > c}, {@code x >= c}. */
  private enum Relation {
    EQ,
    GT,
    GE;

    boolean holds(Object value, Object constant) {
      if (this == EQ) {
        return value.equals(constant);
      }
      long v = (Long) value;
      long c = (Long) constant;
      return this == GT ? v > c : v >= c;
    }
  }

  /**
   * The truth of {@code variable relation constant} as a fact key: every test of the same
   * comparison shares it, so that {@code if (depth == 0) set(); try { … } finally { if (depth == 0)
   * remove(); }} knows that the value is set only where the second test holds too. It stays known
   * until the variable is assigned (a local variable changes only by assignment in its own body).
   */
  private record CompareKey(Object variable, Relation relation, Object constant) {}

  /** A comparison of a local variable with a constant, true on its then branch if {@code then}. */
  private record Compare(CompareKey key, boolean thenEqual) {}

  /**
   * The comparison {@code node} is, or null: {@code ==} or {@code !=} (either way round) of a local
   * variable with an integral or character literal or an enum constant, or {@code <}, {@code <=},
   * {@code >}, {@code >=} with an integral or character literal. {@code x < c} is the negation of
   * {@code x >= c}, {@code c < x} is {@code x > c}, and so on, so that each test is one of three
   * relations or its negation.
   */
  private static @Nullable Compare compare(Node node) {
    boolean equality = node instanceof EqualToNode || node instanceof NotEqualNode;
    boolean ordering =
        node instanceof GreaterThanNode
            || node instanceof GreaterThanOrEqualNode
            || node instanceof LessThanNode
            || node instanceof LessThanOrEqualNode;
    if (!equality && !ordering) {
      return null;
    }
    BinaryOperationNode b = (BinaryOperationNode) node;
    Node left = stripConversions(b.getLeftOperand());
    Node right = stripConversions(b.getRightOperand());
    LocalVariableNode variable;
    Object constant;
    boolean variableLeft;
    if (left instanceof LocalVariableNode lv && constant(right) != null) {
      variable = lv;
      constant = constant(right);
      variableLeft = true;
    } else if (right instanceof LocalVariableNode lv && constant(left) != null) {
      variable = lv;
      constant = constant(left);
      variableLeft = false;
    } else {
      return null;
    }
    Object k = key(variable);
    if (equality) {
      return new Compare(
          new CompareKey(k, Relation.EQ, requireNonNull(constant)), node instanceof EqualToNode);
    }
    if (!(constant instanceof Long)) {
      return null;
    }
    // With the variable on the left: x > c is GT, x >= c is GE, x < c is !GE, x <= c is !GT.
    // With it on the right the relation is mirrored: c > x is x < c, c >= x is x <= c, ...
    boolean greater = node instanceof GreaterThanNode || node instanceof GreaterThanOrEqualNode;
    boolean strict = node instanceof GreaterThanNode || node instanceof LessThanNode;
    if (!variableLeft) {
      greater = !greater;
    }
    Relation relation;
    boolean then;
    if (greater) {
      relation = strict ? Relation.GT : Relation.GE;
      then = true;
    } else {
      relation = strict ? Relation.GE : Relation.GT;
      then = false;
    }
    return new Compare(new CompareKey(k, relation, constant), then);
  }

  /**
   * The value of a constant operand: integral and character literals as their {@code long} value
   * (so that {@code c == 'a'} and {@code c == 97} are the same test), enum constants as their
   * symbol; null for anything else.
   */
  private static @Nullable Object constant(Node node) {
    Node n = stripConversions(node);
    if (n instanceof IntegerLiteralNode i) {
      return (long) i.getValue();
    }
    if (n instanceof LongLiteralNode l) {
      return l.getValue();
    }
    if (n instanceof CharacterLiteralNode c) {
      return (long) c.getValue();
    }
    if (n instanceof FieldAccessNode fa && fa.getElement().getKind() == ElementKind.ENUM_CONSTANT) {
      return fa.getElement();
    }
    return null;
  }

  private static Node stripConversions(Node node) {
    Node n = node;
    for (int i = 0; i < 4; i++) {
      if (n instanceof WideningConversionNode w) {
        n = w.getOperand();
      } else if (n instanceof NarrowingConversionNode nc) {
        n = nc.getOperand();
      } else {
        break;
      }
    }
    return n;
  }

  /**
   * The null test that {@code node} is, or null: {@code x == null}, {@code x != null}, {@code
   * Objects.isNull(x)}, {@code Objects.nonNull(x)}, and their negations (issue #10 item 6), where
   * {@code x} is a local variable, also through identity views of it ({@code
   * Collections.singletonList(x).get(0)}, Lombok's {@code @Cleanup} guard).
   */
  private @Nullable NullTest nullTest(Node node, int depth) {
    if (depth > 4) {
      return null;
    }
    if (node instanceof ConditionalNotNode not) {
      NullTest negated = nullTest(not.getOperand(), depth + 1);
      return negated == null ? null : new NullTest(negated.variable(), !negated.thenNull());
    }
    if (node instanceof EqualToNode || node instanceof NotEqualNode) {
      BinaryOperationNode b = (BinaryOperationNode) node;
      Node left = b.getLeftOperand();
      Node right = b.getRightOperand();
      Node other =
          left instanceof NullLiteralNode ? right : right instanceof NullLiteralNode ? left : null;
      LocalVariableNode lv = other == null ? null : aliasedVariable(other, 0);
      return lv == null ? null : new NullTest(lv, node instanceof EqualToNode);
    }
    if (node instanceof MethodInvocationNode mi && mi.getArguments().size() == 1) {
      Symbol sym = ASTHelpers.getSymbol(mi.getTree());
      if (sym instanceof MethodSymbol m
          && m.isStatic()
          && m.owner.getQualifiedName().contentEquals("java.util.Objects")
          && (m.getSimpleName().contentEquals("isNull")
              || m.getSimpleName().contentEquals("nonNull"))) {
        LocalVariableNode lv = aliasedVariable(mi.getArguments().get(0), 0);
        return lv == null ? null : new NullTest(lv, m.getSimpleName().contentEquals("isNull"));
      }
    }
    return null;
  }

  /**
   * The local variable that {@code node} is, through casts and identity views that are null exactly
   * when it is: {@code List.get} on such a view, and one-argument calls whose argument the
   * specification says the result aliases ({@code Collections.singletonList(x)}).
   */
  private @Nullable LocalVariableNode aliasedVariable(Node node, int depth) {
    if (depth > 8) {
      return null;
    }
    if (node instanceof LocalVariableNode lv) {
      return lv;
    }
    if (node instanceof TypeCastNode c) {
      return aliasedVariable(c.getOperand(), depth + 1);
    }
    if (node instanceof MethodInvocationNode mi && mi.getTree() != null) {
      Symbol sym = ASTHelpers.getSymbol(mi.getTree());
      if (sym instanceof MethodSymbol m
          && !m.isStatic()
          && m.getSimpleName().contentEquals("get")
          && m.owner.getQualifiedName().contentEquals("java.util.List")) {
        return aliasedVariable(mi.getTarget().getReceiver(), depth + 1);
      }
      if (mi.getArguments().size() == 1) {
        Effect effect = effectOf(mi, mi.getTree());
        if (!effect.byDefault()
            && effect.effect().acquire() == Acquire.NONE
            && effect.effect().arguments() == Use.ALIAS) {
          return aliasedVariable(mi.getArguments().get(0), depth + 1);
        }
      }
    }
    return null;
  }

  /**
   * The synthetic variables of conditional and switch expressions that are returned at once ({@code
   * return c ? a : b}): each branch's assignment to the variable is that branch's return (issue #10
   * item 7), so that the join after the branches does not return every operand on every path.
   */
  private final Set<Object> returnedAtOnce = new HashSet<>();

  private void collectReturnedExpressions(List<Block> blocks) {
    Set<Tree> returned = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    for (ReturnNode r : cfg.getReturnNodes()) {
      if (r.getTree() != null && r.getTree().getExpression() != null) {
        Tree e = r.getTree().getExpression();
        while (e instanceof com.sun.source.tree.ParenthesizedTree p) {
          e = p.getExpression();
        }
        returned.add(e);
      }
    }
    if (returned.isEmpty()) {
      return;
    }
    for (Block b : blocks) {
      for (Node n : b.getNodes()) {
        if (n instanceof TernaryExpressionNode t
            && returned.contains(t.getTree())
            && t.getTernaryExpressionVar() != null) {
          returnedAtOnce.add(key(t.getTernaryExpressionVar()));
        } else if (n instanceof SwitchExpressionNode sw && returned.contains(sw.getTree())) {
          returnedAtOnce.add(key(sw.getSwitchExpressionVar()));
        }
      }
    }
  }

  private void collectRelevant(List<Block> blocks) {
    for (Block b : blocks) {
      if (b instanceof ConditionalBlock cb && conditionOf(cb) instanceof LocalVariableNode lv) {
        relevant.add(key(lv));
      } else if (b instanceof ConditionalBlock cb && fieldFlag(conditionOf(cb)) != null) {
        relevant.add(fieldFlag(conditionOf(cb)));
      }
      for (Node n : b.getNodes()) {
        NullTest test =
            n instanceof EqualToNode
                    || n instanceof NotEqualNode
                    || n instanceof MethodInvocationNode
                ? nullTest(n, 0)
                : null;
        Compare compare = test == null ? compare(n) : null;
        if (compare != null) {
          compares.put(n, compare);
          relevant.add(compare.key());
          relevant.add(new NodeKey(n));
          List<CompareKey> ofVariable =
              comparesOf.computeIfAbsent(compare.key().variable(), v -> new ArrayList<>());
          if (!ofVariable.contains(compare.key())) {
            ofVariable.add(compare.key());
          }
        }
        FieldNullTest fieldTest = test == null ? fieldNullTest(n) : null;
        if (test != null) {
          relevant.add(key(test.variable()));
          relevant.add(new NodeKey(n));
        } else if (fieldTest != null) {
          relevant.add(fieldTest.field());
          relevant.add(new NodeKey(n));
        } else if ((n instanceof EqualToNode || n instanceof NotEqualNode)
            && comparedWithNonResource((BinaryOperationNode) n) != null) {
          relevant.add(new NodeKey(n));
        } else if (n instanceof ConditionalAndNode || n instanceof ConditionalOrNode) {
          BinaryOperationNode bin = (BinaryOperationNode) n;
          relevant.add(new NodeKey(n));
          addOperand(bin.getLeftOperand());
          addOperand(bin.getRightOperand());
        } else if (n instanceof ConditionalNotNode not) {
          relevant.add(new NodeKey(n));
          addOperand(not.getOperand());
        }
      }
    }
  }

  private void addOperand(Node operand) {
    if (compares.containsKey(operand)) {
      relevant.add(new NodeKey(operand));
      return;
    }
    Object flag = fieldFlag(operand);
    relevant.add(
        operand instanceof LocalVariableNode lv
            ? key(lv)
            : flag != null ? flag : new NodeKey(operand));
  }

  /**
   * A boolean field of this object or a static one read as a condition ({@code if
   * (dispatcherWrapsSameObject)}): a fact key like a local variable's, so that a {@code finally}
   * guarded by the same flag as the acquisition ({@code if (flag) tl.set(v); try { … } finally { if
   * (flag) tl.remove(); }}) is understood. The field is assumed not to change between two reads in
   * the body unless the body assigns it (calls in between are not assumed to): a heuristic for
   * precision, as in other flow-sensitive checkers.
   */
  private static @Nullable Object fieldFlag(@Nullable Node node) {
    if (!(node instanceof FieldAccessNode fa)
        || fa.getType().getKind() != javax.lang.model.type.TypeKind.BOOLEAN) {
      return null;
    }
    return ownField(node);
  }

  /** A field of this object or a static one, read by {@code node}: its element, or null. */
  private static @Nullable Object ownField(@Nullable Node node) {
    if (!(node instanceof FieldAccessNode fa)) {
      return null;
    }
    Node receiver = fa.getReceiver();
    boolean own =
        fa.isStatic()
            || receiver instanceof org.checkerframework.errorprone.dataflow.cfg.node.ThisNode;
    return own ? fa.getElement() : null;
  }

  /** A null test of a field of this object or a static one: {@code this.loader == null}. */
  private record FieldNullTest(Object field, boolean thenNull) {}

  /**
   * The null test of a field that {@code node} is, or null: {@code f == null}, {@code f != null}
   * (either way round) of a reference field of this object or a static one. Its nullness is a fact
   * like a boolean field's ({@link #fieldFlag}), with the same assumption that calls in between do
   * not change it: {@code cl = classpath == null ? parent : create(classpath); … finally { if
   * (classpath != null) cl.cleanup(); }} (ant {@code Property.loadResource}).
   */
  private static @Nullable FieldNullTest fieldNullTest(@Nullable Node node) {
    if (!(node instanceof EqualToNode) && !(node instanceof NotEqualNode)) {
      return null;
    }
    BinaryOperationNode b = (BinaryOperationNode) node;
    Node left = b.getLeftOperand();
    Node right = b.getRightOperand();
    Node other =
        left instanceof NullLiteralNode ? right : right instanceof NullLiteralNode ? left : null;
    while (other instanceof TypeCastNode c) {
      other = c.getOperand();
    }
    Object field = ownField(other);
    return field == null ? null : new FieldNullTest(field, node instanceof EqualToNode);
  }

  /** Identity of a node as a fact key (nodes compare by structure, not identity). */
  private record NodeKey(Node node) {
    @Override
    @SuppressWarnings("ReferenceEquality") // identity is the point: nodes compare by structure
    public boolean equals(Object o) {
      return o instanceof NodeKey k && k.node == node;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(node);
    }
  }

  /**
   * The truth of a boolean node under {@code facts}: literals, variables, negation, and {@code
   * &&}/{@code ||} over conditions whose outcome is recorded.
   */
  private int truth(Map<Object, Integer> facts, Node node, int depth) {
    if (depth > 16) {
      return UNKNOWN;
    }
    if (node instanceof BooleanLiteralNode b) {
      return Boolean.TRUE.equals(b.getValue()) ? HIGH : LOW;
    }
    if (node instanceof LocalVariableNode lv) {
      return facts.getOrDefault(key(lv), UNKNOWN);
    }
    Object flag = fieldFlag(node);
    if (flag != null) {
      return facts.getOrDefault(flag, UNKNOWN);
    }
    if (node instanceof ConditionalNotNode not) {
      int t = truth(facts, not.getOperand(), depth + 1);
      return t == UNKNOWN ? UNKNOWN : UNKNOWN & ~t;
    }
    if (node instanceof EqualToNode
        || node instanceof NotEqualNode
        || node instanceof MethodInvocationNode) {
      NullTest test = relevant.contains(new NodeKey(node)) ? nullTest(node, 0) : null;
      if (test != null) {
        int isNull = facts.getOrDefault(key(test.variable()), UNKNOWN);
        if (isNull == UNKNOWN) {
          return UNKNOWN;
        }
        // x == null is true when x is null (LOW); x != null is its negation.
        int equal = isNull == LOW ? HIGH : LOW;
        return test.thenNull() ? equal : UNKNOWN & ~equal;
      }
      FieldNullTest ft = fieldNullTest(node);
      if (ft != null && relevant.contains(ft.field())) {
        int isNull = facts.getOrDefault(ft.field(), UNKNOWN);
        if (isNull == UNKNOWN) {
          return UNKNOWN;
        }
        int equal = isNull == LOW ? HIGH : LOW;
        return ft.thenNull() ? equal : UNKNOWN & ~equal;
      }
    }
    Compare compare = compares.get(node);
    if (compare != null) {
      int equal = facts.getOrDefault(compare.key(), UNKNOWN);
      if (equal != UNKNOWN) {
        return compare.thenEqual() ? equal : UNKNOWN & ~equal;
      }
    }
    if (node instanceof ConditionalAndNode || node instanceof ConditionalOrNode) {
      BinaryOperationNode b = (BinaryOperationNode) node;
      int l = truth(facts, b.getLeftOperand(), depth + 1);
      int r = truth(facts, b.getRightOperand(), depth + 1);
      int dominant = node instanceof ConditionalAndNode ? LOW : HIGH;
      if (l == dominant || r == dominant) {
        return dominant;
      }
      if (l != UNKNOWN && r != UNKNOWN) {
        return UNKNOWN & ~dominant;
      }
    }
    return facts.getOrDefault(new NodeKey(node), UNKNOWN);
  }

  /** Records the truth of a boolean operator node, in the store and in every open guard. */
  private void evaluateCondition(Store s, Node node) {
    NodeKey key = new NodeKey(node);
    if (!relevant.contains(key)) {
      return;
    }
    int t = truth(s.facts, node, 0);
    if (t == UNKNOWN) {
      s.facts.remove(key);
    } else {
      s.facts.put(key, t);
    }
    long equalsNonResource = 0;
    int comparison = UNKNOWN;
    if (node instanceof EqualToNode || node instanceof NotEqualNode) {
      LocalVariableNode same = comparedWithNonResource((BinaryOperationNode) node);
      if (same != null) {
        // Wherever an obligation that the variable holds is open, the variable is that object,
        // not the field or literal it is compared with: `in != System.in` is true there. This
        // lets `if (in != null && in != System.in) in.close()` refine through && and ||.
        equalsNonResource = s.vars.getOrDefault(key(same), 0L);
        comparison = node instanceof NotEqualNode ? HIGH : LOW;
      }
    }
    for (int i = 0; i < MAX_SITES; i++) {
      if (s.guards[i] != null) {
        int g = (equalsNonResource & (1L << i)) != 0 ? comparison : truth(s.guards[i], node, 0);
        if (g != s.guards[i].getOrDefault(key, UNKNOWN)) {
          HashMap<Object, Integer> updated = new HashMap<>(s.guards[i]);
          if (g == UNKNOWN) {
            updated.remove(key);
          } else {
            updated.put(key, g);
          }
          s.guards[i] = updated;
        }
      }
    }
  }

  /**
   * Assumes {@code key} has {@code fact} on this branch; returns whether the branch is feasible.
   */
  private boolean assume(Store s, Object key, int fact, boolean nullCheck) {
    if (!relevant.contains(key)) {
      return true;
    }
    int known = s.facts.getOrDefault(key, UNKNOWN);
    if ((known & fact) == 0) {
      return false;
    }
    for (int i = 0; i < sites.size(); i++) {
      long bit = 1L << i;
      Integer guard = s.guards[i] == null ? null : s.guards[i].get(key);
      if ((s.open & bit) != 0 && guard != null && (guard & fact) == 0) {
        // Open only on paths where the variable had the other value: not open here.
        s.open &= ~bit;
        s.guards[i] = null;
      }
    }
    if (nullCheck && fact == LOW) {
      // Where the variable is null it holds nothing, nor does anything made from what it held: a
      // ResultSet from a statement that, on this branch, was never created.
      long held = withChildren(s.vars.getOrDefault(key, 0L));
      if (held != 0) {
        s.open &= ~held;
        s.done &= ~held;
        s.closed(held);
        s.vars.remove(key);
      }
    }
    s.setFact(key, fact);
    return true;
  }

  /** What is known of {@code node}'s value: null/false, non-null/true, or unknown. */
  private int factOf(Store s, Node node) {
    if (node instanceof NullLiteralNode) {
      return LOW;
    }
    if (node instanceof BooleanLiteralNode b) {
      return Boolean.TRUE.equals(b.getValue()) ? HIGH : LOW;
    }
    if (node instanceof ObjectCreationNode
        || node instanceof ArrayCreationNode
        || node instanceof StringLiteralNode
        || node instanceof StringConcatenateNode) {
      return HIGH;
    }
    if (node instanceof LocalVariableNode lv) {
      return s.facts.getOrDefault(key(lv), UNKNOWN);
    }
    if (node instanceof TypeCastNode c) {
      return factOf(s, c.getOperand());
    }
    if (node instanceof AssignmentNode a) {
      return factOf(s, a.getExpression());
    }
    return UNKNOWN;
  }

  // ---------------------------------------------------------------------------------------------
  // Transfer of one node.

  /** Applies {@code node}; returns whether it is a wrapper construction (assumed not to throw). */
  private boolean transfer(Store s, Node node) {
    work++;
    if (node instanceof ConditionalAndNode
        || node instanceof ConditionalOrNode
        || node instanceof ConditionalNotNode
        || node instanceof EqualToNode
        || node instanceof NotEqualNode
        || (node instanceof MethodInvocationNode && relevant.contains(new NodeKey(node)))) {
      evaluateCondition(s, node);
    } else if (!s.facts.isEmpty()
        && relevant.contains(new NodeKey(node))
        && s.facts.containsKey(new NodeKey(node))) {
      // Evaluated again (a loop): what was assumed of its previous value no longer holds.
      s.setFact(new NodeKey(node), UNKNOWN);
    }
    if (node instanceof AssignmentNode a) {
      long v = value(s, a.getExpression());
      Node target = a.getTarget();
      if (target instanceof LocalVariableNode lv
          && !returnedAtOnce.isEmpty()
          && returnedAtOnce.contains(key(lv))) {
        release(s, v);
      } else if (target instanceof LocalVariableNode lv) {
        if (v != 0) {
          s.vars.put(key(lv), v);
        } else {
          s.vars.remove(key(lv));
        }
        if (relevant.contains(key(lv))) {
          s.setFact(key(lv), factOf(s, a.getExpression()));
        }
        List<CompareKey> compared = comparesOf.get(key(lv));
        if (compared != null) {
          // What was known of `x == c` no longer holds; a constant assigned decides it again.
          Object assigned = constant(a.getExpression());
          for (CompareKey k : compared) {
            boolean decidable =
                assigned != null && (k.relation() == Relation.EQ || assigned instanceof Long);
            s.setFact(
                k,
                !decidable
                    ? UNKNOWN
                    : k.relation().holds(requireNonNull(assigned), k.constant()) ? HIGH : LOW);
          }
        }
        nameSites(v, lv.getName());
      } else {
        release(s, v);
        Object flag = ownField(target);
        if (flag != null && relevant.contains(flag)) {
          s.setFact(flag, factOf(s, a.getExpression()));
        }
      }
    } else if (node instanceof MethodInvocationNode || node instanceof ObjectCreationNode) {
      return call(s, node);
    } else if (node instanceof ReturnNode r) {
      if (r.getResult() != null) {
        release(s, value(s, r.getResult()));
      }
    } else if (node instanceof LambdaResultExpressionNode lr) {
      release(s, value(s, lr.getResult()));
    } else if (node instanceof TypeCastNode c) {
      putTemp(s, c, value(s, c.getOperand()));
    } else if (node instanceof TernaryExpressionNode t) {
      // Each branch assigns its operand to the synthetic variable, so that `return c ? a : b`
      // returns each operand on its own branch only (issue #10 item 7).
      LocalVariableNode var = t.getTernaryExpressionVar();
      putTemp(
          s,
          t,
          var != null
              ? value(s, var)
              : value(s, t.getThenOperand()) | value(s, t.getElseOperand()));
    } else if (node instanceof SwitchExpressionNode sw) {
      putTemp(s, sw, value(s, sw.getSwitchExpressionVar()));
    } else if (node instanceof InstanceOfNode io) {
      // `o instanceof FileInputStream fis`: the pattern variable is an alias (issue #10 item 5).
      long v = value(s, io.getOperand());
      LocalVariableNode binding = io.getBindingVariable();
      if (binding != null && v != 0) {
        s.vars.put(key(binding), v);
      }
    } else if (node instanceof FunctionalInterfaceNode f) {
      releaseCaptured(s, f.getTree());
    } else if (node instanceof ArrayCreationNode arr) {
      for (Node init : arr.getInitializers()) {
        release(s, value(s, init));
      }
    }
    return false;
  }

  private boolean call(Store s, Node node) {
    ExpressionTree tree = (ExpressionTree) node.getTree();
    if (tree == null) {
      return false;
    }
    Node receiver = null;
    List<Node> args;
    if (node instanceof MethodInvocationNode mi) {
      receiver = mi.getTarget().getReceiver();
      args = mi.getArguments();
    } else {
      ObjectCreationNode oc = (ObjectCreationNode) node;
      args = oc.getArguments();
      if (oc.getClassBody() != null) {
        releaseCaptured(s, oc.getTree().getClassBody());
      }
    }
    long recv = receiver == null ? 0 : value(s, receiver);
    Effect known = effectOf(node, tree);
    CallEffect effect = known.effect();
    if (receiver != null && releasesChildren(node, tree)) {
      // `stmt.executeQuery(q)` closes the result set the statement's last execution returned:
      // before this call acquires a new one, so that a loop re-executing one statement does not
      // leak the previous iteration's.
      long children = 0;
      for (int i = 0; i < sites.size() && recv != 0; i++) {
        if ((parents[i] & recv) != 0) {
          children |= 1L << i;
        }
      }
      if ((children & s.open) != 0) {
        release(s, children & s.open);
      }
      if (recv == 0) {
        releaseBorrowedChildren(s, receiver);
      }
    }
    long argv = 0;
    long[] argValues = new long[args.size()];
    for (int i = 0; i < args.size(); i++) {
      argValues[i] = value(s, args.get(i));
      if (effect.appliesTo(i)) {
        argv |= argValues[i];
      }
    }
    // A call the specification says wraps what it is given (a parser over a stream) is, like a
    // wrapper constructor, assumed not to fail.
    boolean wrapper =
        !known.byDefault()
            && node instanceof MethodInvocationNode
            && argv != 0
            && effect.acquire() == Acquire.NONE
            && effect.arguments() == Use.ALIAS
            && effect.receiver() == Use.NONE;
    if (known.byDefault()) {
      // A wrapper constructor, or a method of no table that takes an obligation and returns a
      // closeable (a static getInstance(statement) of a wrapper class): the result owns what it
      // is given, and making it is assumed not to fail, as for a constructor.
      wrapper =
          argv != 0
              && effect.arguments() == Use.ALIAS
              && (node instanceof ObjectCreationNode || (recv == 0 && decorates(tree, argValues)));
      if (wrapper) {
        Type type = ASTHelpers.getType(tree);
        for (int i = 0; i < sites.size() && type != null; i++) {
          if ((argv & (1L << i)) != 0 && names[i] == null) {
            wrappers[i] = type.tsym.getSimpleName().toString();
          }
        }
      }
    }
    if (!wrapper && node instanceof MethodInvocationNode) {
      wrapper = throwsOnlyOnNull(tree, recv, argValues);
    }
    long result = 0;
    if (recv == 0
        && receiver != null
        && effect.receiver() == Use.DISCHARGE
        && effect.acquire() == Acquire.NONE) {
      releaseBorrowedChildren(s, receiver);
    }
    if (effect.arguments() == Use.DISCHARGE && effect.acquire() == Acquire.NONE) {
      // closeQuietly(statement) on a borrowed statement closes what was created from it too.
      for (int i = 0; i < args.size(); i++) {
        if (argValues[i] == 0 && effect.appliesTo(i)) {
          releaseBorrowedChildren(s, args.get(i));
        }
      }
    }
    result |= use(s, effect.receiver(), recv);
    result |= use(s, effect.arguments(), argv);
    if (lazy != 0) {
      // A lazily filled object holds something once any method is called on it or it is handed
      // to a call (if that call throws, the exceptional store keeps it dormant).
      long used = recv;
      for (long v : argValues) {
        used |= v;
      }
      s.live |= used & lazy;
    }
    long identity =
        effect.key() == null && effect.acquire() != Acquire.NONE
            ? genericIdentity(tree, argValues)
            : 0;
    if (effect.key() != null && effect.acquire() == Acquire.NONE) {
      releaseKey(s, effect.key());
    } else if (effect.key() != null) {
      int id = site(tree, effect);
      if (id >= 0) {
        long bit = 1L << id;
        keys[id] = effect.key();
        keyed |= bit;
        s.open |= bit;
        s.opened(id);
        s.done &= ~bit;
        s.live |= bit; // a binding holds its value at once
      }
    } else if (identity != 0) {
      // `mustClose(new FileInputStream(p))` with `<T> T mustClose(T t)`: the same object, one
      // obligation, reported once (issue #10 item 8).
      result |= identity;
    } else if (effect.acquire() != Acquire.NONE) {
      int id = site(tree, effect);
      if (id >= 0) {
        long bit = 1L << id;
        if ((s.open & bit) != 0 && (s.done & bit) == 0 && (s.live & bit) != 0) {
          overwrittenInLoop |= bit;
        }
        if (effect.acquire() == Acquire.DORMANT || effect.acquire() == Acquire.LAZY) {
          s.live &= ~bit;
          if (effect.acquire() == Acquire.LAZY) {
            lazy |= bit;
          }
        } else {
          s.live |= bit;
        }
        s.open |= bit;
        s.opened(id);
        s.done &= ~bit;
        result |= bit;
        if (effect.acquire() == Acquire.CHILD_OF_RECEIVER) {
          parents[id] |= recv;
          if (recv == 0 && receiver != null) {
            borrowedParents[id] = variableOf(receiver);
          }
        } else if (effect.acquire() == Acquire.FRESH_ON_RECEIVER) {
          LocalVariableNode lv = receiverVariable(receiver);
          if (lv != null) {
            s.vars.merge(key(lv), bit, (a, b) -> a | b);
            nameSites(bit, lv.getName());
          }
        }
      }
    }
    putTemp(s, node, result);
    return wrapper;
  }

  /** Whether the call releases its receiver's children (computed once per node). */
  private boolean releasesChildren(Node node, ExpressionTree tree) {
    return releasesChildren.computeIfAbsent(
        node,
        n -> {
          try {
            return spec.releasesChildrenOfReceiver(tree, state);
          } catch (RuntimeException | LinkageError e) {
            return false;
          }
        });
  }

  private Effect effectOf(Node node, ExpressionTree tree) {
    Effect known = effects.get(node);
    if (known == null) {
      CallEffect fromSpec;
      try {
        fromSpec = spec.effect(tree, state);
        if ((fromSpec == null || fromSpec.acquire() == Acquire.NONE)
            && tree instanceof com.sun.source.tree.MethodInvocationTree invocation) {
          CallEffect factory = SameFileFactories.effect(invocation, spec, state);
          if (factory != null) {
            fromSpec = factory;
          }
        }
      } catch (RuntimeException | LinkageError e) {
        fromSpec = null;
      }
      known =
          fromSpec != null
              ? new Effect(fromSpec, false)
              : new Effect(defaultEffect(tree, node), true);
      effects.put(node, known);
    }
    return known;
  }

  /**
   * For an acquiring method whose declared result is a type variable that is also the type of a
   * parameter ({@code <T> T mustClose(T t)}): the obligations carried by those arguments, which the
   * result is; 0 otherwise.
   */
  private long genericIdentity(ExpressionTree tree, long[] argValues) {
    if (!(ASTHelpers.getSymbol(tree) instanceof MethodSymbol method)
        || method.isConstructor()
        || method.getReturnType().getKind() != javax.lang.model.type.TypeKind.TYPEVAR) {
      return 0;
    }
    List<Symbol.VarSymbol> params = method.getParameters();
    long carried = 0;
    for (int i = 0; i < argValues.length && i < params.size(); i++) {
      if (method.getReturnType().tsym.equals(params.get(i).type.tsym)) {
        carried |= argValues[i];
      }
    }
    return carried;
  }

  /**
   * The local variable that {@code receiver} reads, directly or through casts and calls that the
   * specification says return their receiver ({@code span} in {@code span.name("x").start()}), or
   * null.
   */
  private @Nullable LocalVariableNode receiverVariable(@Nullable Node receiver) {
    Node n = receiver;
    for (int depth = 0; depth < 32 && n != null; depth++) {
      if (n instanceof LocalVariableNode lv) {
        return lv;
      } else if (n instanceof TypeCastNode c) {
        n = c.getOperand();
      } else if (n instanceof MethodInvocationNode mi && returnsReceiver(mi)) {
        n = mi.getTarget().getReceiver();
      } else {
        return null;
      }
    }
    return null;
  }

  private boolean returnsReceiver(MethodInvocationNode mi) {
    ExpressionTree tree = mi.getTree();
    if (tree == null) {
      return false;
    }
    try {
      CallEffect effect = spec.effect(tree, state);
      return effect != null && effect.acquire() == Acquire.NONE && effect.receiver() == Use.ALIAS;
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  /** The engine's rule when the specification knows nothing of a call. */
  private CallEffect defaultEffect(ExpressionTree tree, Node node) {
    Symbol callee = ASTHelpers.getSymbol(tree);
    if (node instanceof MethodInvocationNode && callee != null && callee.isConstructor()) {
      // super(…) or this(…): the object under construction takes what is passed up.
      return CallEffect.onArguments(Use.TRANSFER);
    }
    Type type = ASTHelpers.getType(tree);
    if (type == null || isValueType(type)) {
      return CallEffect.NOTHING;
    }
    if (node instanceof ObjectCreationNode) {
      // A wrapper, view or owner of what is passed in: releasing it releases them.
      return CallEffect.onArguments(Use.ALIAS);
    }
    Type autoCloseable = state.getSymtab().autoCloseableType;
    if (state.getTypes().isSubtype(state.getTypes().erasure(type), autoCloseable)
        || hasCloseMethod(type)) {
      return new CallEffect(Acquire.NONE, Use.ALIAS, Use.ALIAS, null, null);
    }
    return CallEffect.NOTHING;
  }

  /**
   * Whether a method call returns the kind of object it is given, for every argument that carries
   * an obligation: its result type is a subtype of the parameter's declared type, itself an {@code
   * AutoCloseable} ({@code Statement getInstance(Object, Statement)}, a decorator). Such a call is
   * assumed not to fail, like a wrapper constructor; one that turns its argument into something
   * else ({@code FDFDocument loadXFDF(InputStream)}, a parser) can fail on what it reads.
   */
  private boolean decorates(ExpressionTree tree, long[] argValues) {
    if (!(ASTHelpers.getSymbol(tree) instanceof MethodSymbol method) || method.isVarArgs()) {
      return false;
    }
    Type result = ASTHelpers.getType(tree);
    List<Symbol.VarSymbol> params = method.getParameters();
    if (result == null || params.size() != argValues.length) {
      return false;
    }
    com.sun.tools.javac.code.Types types = state.getTypes();
    Type autoCloseable = state.getSymtab().autoCloseableType;
    for (int i = 0; i < argValues.length; i++) {
      if (argValues[i] == 0) {
        continue;
      }
      Type param = types.erasure(params.get(i).type);
      if (!types.isSubtype(param, autoCloseable)
          || !types.isSubtype(types.erasure(result), param)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether the call throws only when the one argument that carries an obligation is null, so that
   * on its exceptional path there is nothing to release: {@code Objects.requireNonNull(in)}, or a
   * helper of this file that cannot be overridden and whose body is only {@code if (p == null) …}
   * statements on that parameter ({@code checkInputStreamNotNull(in, …)}). A body in another file
   * is never read (a file's findings must not depend on the other files of the run).
   */
  private boolean throwsOnlyOnNull(ExpressionTree tree, long recv, long[] argValues) {
    if (recv != 0 || !(ASTHelpers.getSymbol(tree) instanceof MethodSymbol method)) {
      return false;
    }
    int held = -1;
    for (int i = 0; i < argValues.length; i++) {
      if (argValues[i] != 0) {
        if (held >= 0) {
          return false;
        }
        held = i;
      }
    }
    List<Symbol.VarSymbol> params = method.getParameters();
    if (held < 0 || held >= params.size() || (method.isVarArgs() && held == params.size() - 1)) {
      return false;
    }
    if (NULL_CHECKS.contains(
        method.owner.getQualifiedName().toString() + "#" + method.getSimpleName())) {
      return held == 0;
    }
    boolean overridable =
        !method.isStatic()
            && (method.flags() & (Flags.PRIVATE | Flags.FINAL)) == 0
            && (method.owner.flags() & Flags.FINAL) == 0;
    if (overridable) {
      return false;
    }
    MethodTree decl;
    try {
      decl = CandidateIndex.instance(state.context).declaration(method, state);
    } catch (RuntimeException e) {
      return false;
    }
    if (decl == null || decl.getBody() == null || decl.getParameters().size() != params.size()) {
      return false;
    }
    Symbol param = ASTHelpers.getSymbol(decl.getParameters().get(held));
    if (param == null || decl.getBody().getStatements().isEmpty()) {
      return false;
    }
    for (StatementTree statement : decl.getBody().getStatements()) {
      if (!(statement instanceof IfTree guard)
          || guard.getElseStatement() != null
          || !isNullTest(guard.getCondition(), param)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isNullTest(ExpressionTree condition, Symbol param) {
    ExpressionTree c = ASTHelpers.stripParentheses(condition);
    if (!(c instanceof BinaryTree b) || c.getKind() != Tree.Kind.EQUAL_TO) {
      return false;
    }
    ExpressionTree l = ASTHelpers.stripParentheses(b.getLeftOperand());
    ExpressionTree r = ASTHelpers.stripParentheses(b.getRightOperand());
    return (l.getKind() == Tree.Kind.NULL_LITERAL && param.equals(ASTHelpers.getSymbol(r)))
        || (r.getKind() == Tree.Kind.NULL_LITERAL && param.equals(ASTHelpers.getSymbol(l)));
  }

  /** Library methods that throw only when their first argument is null. */
  private static final ImmutableSet<String> NULL_CHECKS =
      ImmutableSet.of(
          "java.util.Objects#requireNonNull",
          "com.google.common.base.Preconditions#checkNotNull",
          "com.google.common.base.Verify#verifyNotNull");

  private static final com.google.errorprone.suppliers.Supplier<com.sun.tools.javac.util.Name>
      CLOSE = VisitorState.memoize(s -> s.getName("close"));

  /**
   * Whether {@code type} has a public no-argument {@code close()} without being {@code
   * AutoCloseable} ({@code javax.sql.PooledConnection}, {@code XAConnection}): a result of that
   * type made from an obligation is its owner, as an {@code AutoCloseable} one is.
   */
  private boolean hasCloseMethod(Type type) {
    if (!(type.tsym instanceof Symbol.ClassSymbol)) {
      return false;
    }
    com.sun.tools.javac.util.Name close = CLOSE.get(state);
    for (Type t : state.getTypes().closure(type)) {
      if (t.tsym == null || t.tsym.equals(state.getSymtab().objectType.tsym)) {
        continue;
      }
      for (Symbol m : t.tsym.members().getSymbolsByName(close)) {
        if (m instanceof MethodSymbol ms
            && ms.getParameters().isEmpty()
            && ms.getModifiers().contains(javax.lang.model.element.Modifier.PUBLIC)
            && !ms.isStatic()) {
          return true;
        }
      }
    }
    return false;
  }

  private boolean isValueType(Type type) {
    if (type.isPrimitiveOrVoid() || type.getKind() == javax.lang.model.type.TypeKind.ARRAY) {
      return true;
    }
    Type unboxed = state.getTypes().unboxedType(type);
    if (unboxed != null && unboxed.isPrimitive()) {
      return true;
    }
    return state.getTypes().isSameType(type, state.getSymtab().stringType);
  }

  private long use(Store s, Use use, long held) {
    if (held == 0) {
      return 0;
    }
    switch (use) {
      case DISCHARGE, TRANSFER -> release(s, held);
      case ALIAS -> {
        return held;
      }
      case START -> s.live |= held;
      case RELEASE_ON_FAILURE -> releasedOnFailure |= held;
      case NONE -> {}
    }
    return 0;
  }

  /** Releases the open children of the borrowed object that {@code receiver} reads. */
  private void releaseBorrowedChildren(Store s, Node receiver) {
    Object variable = variableOf(receiver);
    if (variable == null) {
      return;
    }
    long children = 0;
    for (int i = 0; i < sites.size(); i++) {
      if (variable.equals(borrowedParents[i])) {
        children |= 1L << i;
      }
    }
    if ((children & s.open) != 0) {
      release(s, children & s.open);
    }
  }

  /** The local variable, or the field of this object or a static one, that {@code node} reads. */
  private static @Nullable Object variableOf(Node node) {
    Node n = node;
    while (n instanceof TypeCastNode c) {
      n = c.getOperand();
    }
    if (n instanceof LocalVariableNode lv) {
      return key(lv);
    }
    if (n instanceof FieldAccessNode fa
        && (fa.isStatic()
            || fa.getReceiver()
                instanceof org.checkerframework.errorprone.dataflow.cfg.node.ThisNode)) {
      return fa.getElement();
    }
    return null;
  }

  /** {@code mask} with the obligations that depend on them, transitively. */
  private long withChildren(long mask) {
    long all = mask;
    long todo = mask;
    while (todo != 0) {
      long children = 0;
      for (int i = 0; i < sites.size(); i++) {
        if ((parents[i] & todo) != 0) {
          children |= 1L << i;
        }
      }
      todo = children & ~all;
      all |= children;
    }
    return all;
  }

  /** Marks obligations released (or transferred), with the obligations that depend on them. */
  private void release(Store s, long mask) {
    long todo = mask;
    long seen = 0;
    while (todo != 0) {
      seen |= todo;
      s.done |= todo;
      s.open &= ~todo;
      s.closed(todo);
      long children = 0;
      for (int i = 0; i < sites.size(); i++) {
        if ((parents[i] & todo) != 0) {
          children |= 1L << i;
        }
      }
      todo = children & ~seen;
    }
  }

  /** Discharges the open keyed obligations that {@code key} releases. */
  private void releaseKey(Store s, Object key) {
    long mask = 0;
    long candidates = keyed & (s.open | s.done);
    for (int i = 0; i < sites.size() && candidates != 0; i++) {
      long bit = 1L << i;
      if ((candidates & bit) == 0) {
        continue;
      }
      boolean releases;
      try {
        releases = spec.releasesKey(key, keys[i]);
      } catch (RuntimeException | LinkageError e) {
        releases = false;
      }
      if (releases) {
        mask |= bit;
      }
    }
    if (mask != 0) {
      release(s, mask);
    }
  }

  private void releaseCaptured(Store s, @Nullable Tree body) {
    if (body == null) {
      return;
    }
    for (Element captured : captured(body)) {
      Long held = s.vars.get(captured);
      if (held != null) {
        release(s, held);
      }
    }
  }

  /** Local variables from outside {@code body} that it refers to. */
  private Set<Element> captured(Tree body) {
    return capturedCache.computeIfAbsent(
        body,
        b -> {
          Set<Element> declared = new HashSet<>();
          Set<Element> used = new HashSet<>();
          new TreeScanner<Void, Void>() {
            @Override
            public Void visitIdentifier(IdentifierTree tree, Void unused) {
              Symbol sym = ASTHelpers.getSymbol(tree);
              if (sym != null && isLocal(sym)) {
                used.add(sym);
              }
              return null;
            }

            @Override
            public Void visitVariable(com.sun.source.tree.VariableTree tree, Void unused) {
              Symbol sym = ASTHelpers.getSymbol(tree);
              if (sym != null) {
                declared.add(sym);
              }
              return super.visitVariable(tree, null);
            }
          }.scan(b, null);
          used.removeAll(declared);
          return used;
        });
  }

  private static boolean isLocal(Symbol sym) {
    ElementKind kind = sym.getKind();
    return kind == ElementKind.LOCAL_VARIABLE
        || kind == ElementKind.PARAMETER
        || kind == ElementKind.RESOURCE_VARIABLE
        || kind == ElementKind.EXCEPTION_PARAMETER
        || kind == ElementKind.BINDING_VARIABLE;
  }

  // ---------------------------------------------------------------------------------------------
  // Values.

  private long value(Store s, @Nullable Node node) {
    if (node == null) {
      return 0;
    }
    if (node instanceof LocalVariableNode lv) {
      return s.vars.getOrDefault(key(lv), 0L);
    }
    if (node instanceof AssignmentNode a) {
      // `x = y = open()`: the value of an assignment is what its local variable now holds.
      return a.getTarget() instanceof LocalVariableNode lv ? s.vars.getOrDefault(key(lv), 0L) : 0;
    }
    // An intermediate value is read once, by its consumer: dropping it keeps stores small.
    Long t = s.temps.isEmpty() ? null : s.temps.remove(node);
    return t == null ? 0 : t;
  }

  private static void putTemp(Store s, Node node, long value) {
    if (value != 0) {
      s.temps.put(node, value);
    } else if (!s.temps.isEmpty()) {
      s.temps.remove(node);
    }
  }

  private static Object key(LocalVariableNode lv) {
    Element e = null;
    try {
      e = lv.getElement();
    } catch (RuntimeException ignored) {
      // Synthetic variables without an element are keyed by name.
    }
    return e != null ? e : lv.getName();
  }

  private int site(ExpressionTree tree, CallEffect effect) {
    Integer id = siteIds.get(tree);
    if (id != null) {
      return id;
    }
    if (sites.size() >= MAX_SITES) {
      return -1;
    }
    int next = sites.size();
    siteIds.put(tree, next);
    sites.add(tree);
    String label = effect.label();
    if (label == null) {
      Type type = ASTHelpers.getType(tree);
      label = type == null ? "resource" : type.tsym.getSimpleName().toString();
      if (label.isEmpty() && type != null) {
        // An anonymous class: name it after what it implements or extends.
        List<Type> interfaces = state.getTypes().interfaces(type);
        Type named = interfaces.isEmpty() ? state.getTypes().supertype(type) : interfaces.get(0);
        label =
            named == null || named.tsym == null
                ? "resource"
                : "anonymous " + named.tsym.getSimpleName();
      }
    }
    labels.add(label);
    details.add(effect.detail());
    return next;
  }

  /**
   * Names the obligations in {@code mask} after the first variable that holds them; when that
   * variable holds a wrapper of the acquired object ({@code BufferedReader} over {@code
   * FileReader}), the wrapper's type is recorded too.
   */
  private void nameSites(long mask, String name) {
    if (mask == 0 || !isIdentifier(name)) {
      return;
    }
    for (int i = 0; i < sites.size(); i++) {
      if ((mask & (1L << i)) != 0 && names[i] == null) {
        names[i] = name;
        holders[i] = wrappers[i];
      }
    }
  }

  private static boolean isIdentifier(String name) {
    if (name.isEmpty() || !Character.isJavaIdentifierStart(name.charAt(0))) {
      return false;
    }
    for (int i = 1; i < name.length(); i++) {
      if (!Character.isJavaIdentifierPart(name.charAt(i)) || name.charAt(i) == '$') {
        return false;
      }
    }
    return true;
  }

  /**
   * The line of {@code node}; for a synthetic node (the implicit close() of try-with-resources,
   * built without a position) the line of its receiver, the resource.
   */
  private int line(Node node) {
    int line = line(node.getTree());
    if (line <= 1 && node instanceof MethodInvocationNode mi && mi.getTarget() != null) {
      int receiverLine = line(mi.getTarget().getReceiver().getTree());
      if (receiverLine > 1) {
        return receiverLine;
      }
    }
    return line;
  }

  private int line(@Nullable Tree tree) {
    if (!(tree instanceof JCTree jc)) {
      return 0;
    }
    int pos = jc.getStartPosition();
    if (pos <= 0 || state.getPath() == null) {
      return 0;
    }
    return (int) state.getPath().getCompilationUnit().getLineMap().getLineNumber(pos);
  }

  // ---------------------------------------------------------------------------------------------
  // Results.

  private List<Leak> leaks(@Nullable Store normal, @Nullable Store exceptional) {
    List<Leak> leaks = new ArrayList<>();
    // A dormant obligation that never started holds nothing at the exit.
    long normalOpen = normal == null ? 0 : normal.open & normal.live;
    long exceptionalOpen = exceptional == null ? 0 : exceptional.open & exceptional.live;
    for (int i = 0; i < sites.size(); i++) {
      long bit = 1L << i;
      Leak.Kind kind;
      int line = 0;
      if ((overwrittenInLoop & bit) != 0) {
        kind = Leak.Kind.OVERWRITTEN_IN_LOOP;
      } else if (normal != null && (normalOpen & bit) != 0) { // normalOpen is 0 without a store
        if ((parents[i] & normalOpen) != 0) {
          continue; // reported through the object it belongs to
        }
        kind = (normal.done & bit) != 0 ? Leak.Kind.SOME_PATHS : Leak.Kind.NEVER;
      } else if (exceptional != null && (exceptionalOpen & bit) != 0) {
        if ((parents[i] & (exceptionalOpen | normalOpen)) != 0) {
          continue;
        }
        kind = Leak.Kind.ON_EXCEPTION;
        line = exceptional.throwLine[i] & ~UNLIKELY_THROW;
      } else {
        continue;
      }
      leaks.add(
          new Leak(sites.get(i), labels.get(i), names[i], holders[i], kind, line, details.get(i)));
    }
    return leaks;
  }
}
