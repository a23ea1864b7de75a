package dev.leakprone.engine;

import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Symbol;
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
import org.checkerframework.errorprone.dataflow.cfg.block.Block;
import org.checkerframework.errorprone.dataflow.cfg.block.ConditionalBlock;
import org.checkerframework.errorprone.dataflow.cfg.block.ExceptionBlock;
import org.checkerframework.errorprone.dataflow.cfg.block.SingleSuccessorBlock;
import org.checkerframework.errorprone.dataflow.cfg.block.SpecialBlock;
import org.checkerframework.errorprone.dataflow.cfg.node.ArrayCreationNode;
import org.checkerframework.errorprone.dataflow.cfg.node.AssignmentNode;
import org.checkerframework.errorprone.dataflow.cfg.node.EqualToNode;
import org.checkerframework.errorprone.dataflow.cfg.node.FunctionalInterfaceNode;
import org.checkerframework.errorprone.dataflow.cfg.node.LambdaResultExpressionNode;
import org.checkerframework.errorprone.dataflow.cfg.node.LocalVariableNode;
import org.checkerframework.errorprone.dataflow.cfg.node.MarkerNode;
import org.checkerframework.errorprone.dataflow.cfg.node.MethodInvocationNode;
import org.checkerframework.errorprone.dataflow.cfg.node.Node;
import org.checkerframework.errorprone.dataflow.cfg.node.NotEqualNode;
import org.checkerframework.errorprone.dataflow.cfg.node.NullLiteralNode;
import org.checkerframework.errorprone.dataflow.cfg.node.ObjectCreationNode;
import org.checkerframework.errorprone.dataflow.cfg.node.ReturnNode;
import org.checkerframework.errorprone.dataflow.cfg.node.SwitchExpressionNode;
import org.checkerframework.errorprone.dataflow.cfg.node.TernaryExpressionNode;
import org.checkerframework.errorprone.dataflow.cfg.node.ThrowNode;
import org.checkerframework.errorprone.dataflow.cfg.node.TypeCastNode;
import org.jspecify.annotations.Nullable;

/**
 * The obligation engine: a forward may-analysis over one body's control-flow graph that follows
 * every object carrying an obligation from its acquisition to every exit, normal and exceptional.
 *
 * <p>Abstraction: one obligation per acquisition site (at most {@value #MAX_SITES} per body). The
 * state of each is a pair of bits — may be held open, may be released — and each local variable
 * and intermediate value maps to the set of obligations it may carry. Releasing through any alias
 * releases the object; returning it, storing it in a field, array or collection, capturing it in a
 * lambda or anonymous class, or passing it to an owner transfers it, which also ends the method's
 * obligation. A null check refines the branch on which the variable is null.
 *
 * <p>Exceptions: an edge is followed when the exception is checked (declared by the callee), is
 * thrown by a {@code throw} statement, or is rethrown at the end of a {@code finally} block.
 * Unchecked exceptions that any call might throw are not followed: every statement would leak
 * otherwise, and users would turn the check off. Wrapper constructors (a {@code GZIPInputStream}
 * over a stream the method holds) are assumed not to fail.
 *
 * <p>Work is bounded: bodies with more than {@value #MAX_NODES} nodes are skipped, and the
 * fixpoint iteration stops (reporting nothing) after {@link #workLimit(int)} node transfers.
 */
public final class ObligationAnalysis {

  /** Acquisition sites tracked per body; further ones are ignored. */
  public static final int MAX_SITES = 64;

  /** Bodies whose graph has more nodes are not analysed. */
  public static final int MAX_NODES = 40_000;

  private static final int OPEN = 1;

  private final ControlFlowGraph cfg;
  private final ObligationSpec spec;
  private final VisitorState state;

  private final IdentityHashMap<Tree, Integer> siteIds = new IdentityHashMap<>();
  private final List<ExpressionTree> sites = new ArrayList<>();
  private final List<String> labels = new ArrayList<>();
  private final List<@Nullable String> details = new ArrayList<>();
  private final String[] names = new String[MAX_SITES];
  private final long[] parents = new long[MAX_SITES];
  private long overwrittenInLoop;
  private final IdentityHashMap<Tree, Set<Element>> capturedCache = new IdentityHashMap<>();
  private final Map<Block, Node> conditionOf = new HashMap<>();
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
    return 50_000 + 40 * nodes;
  }

  // ---------------------------------------------------------------------------------------------
  // The abstract store.

  private static final class Store {
    long open;
    long done;
    final HashMap<Object, Long> vars;
    final IdentityHashMap<Node, Long> temps;
    final int[] throwLine;

    Store() {
      vars = new HashMap<>();
      temps = new IdentityHashMap<>();
      throwLine = new int[MAX_SITES];
    }

    Store(Store other) {
      open = other.open;
      done = other.done;
      vars = new HashMap<>(other.vars);
      temps = new IdentityHashMap<>(other.temps);
      throwLine = other.throwLine.clone();
    }

    /** Joins {@code other} into this store; returns whether this store changed. */
    boolean join(Store other) {
      boolean changed = false;
      if ((open | other.open) != open) {
        open |= other.open;
        changed = true;
      }
      if ((done | other.done) != done) {
        done |= other.done;
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
    Map<Block, Integer> rank = new HashMap<>();
    for (int i = 0; i < order.size(); i++) {
      rank.put(order.get(i), i);
    }
    Map<Block, Store> in = new HashMap<>();
    PriorityQueue<Block> worklist =
        new PriorityQueue<>((a, b) -> Integer.compare(rank.getOrDefault(a, 0), rank.getOrDefault(b, 0)));
    Set<Block> queued = new HashSet<>();
    SpecialBlock entry = cfg.getEntryBlock();
    in.put(entry, new Store());
    worklist.add(entry);
    queued.add(entry);
    while (!worklist.isEmpty()) {
      Block block = worklist.poll();
      queued.remove(block);
      Store store = new Store(in.get(block));
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
          Store before = new Store(store);
          boolean wrapperConstruction = transfer(store, node);
          Block succ = eb.getSuccessor();
          if (succ != null) {
            outs.add(Map.entry(succ, store));
          }
          if (!wrapperConstruction) {
            Store exceptional = null;
            for (Map.Entry<TypeMirror, Set<Block>> e : eb.getExceptionalSuccessors().entrySet()) {
              if (!follows(node, e.getKey())) {
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
          refineNullCheck(condition, thenStore, elseStore);
          outs.add(Map.entry(cb.getThenSuccessor(), thenStore));
          outs.add(Map.entry(cb.getElseSuccessor(), elseStore));
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
    return new Result(leaks(in.get(cfg.getRegularExitBlock()), in.get(cfg.getExceptionalExitBlock())), true, work);
  }

  private boolean follows(Node node, TypeMirror cause) {
    if (node instanceof ThrowNode || node instanceof MarkerNode) {
      return true;
    }
    Type type = (Type) cause;
    Type runtime = state.getSymtab().runtimeExceptionType;
    Type error = state.getSymtab().errorType;
    return !state.getTypes().isSubtype(type, runtime) && !state.getTypes().isSubtype(type, error);
  }

  /** The store on an exceptional edge: releases and transfers happened, the acquisition did not. */
  private Store exceptionalStore(Store before, Store after, Node node) {
    Store s = new Store(after);
    Integer id = siteIds.get(node.getTree());
    if (id != null) {
      long bit = 1L << id;
      s.open = (s.open & ~bit) | (before.open & bit);
      s.done = (s.done & ~bit) | (before.done & bit);
    }
    s.temps.remove(node);
    if (!(node instanceof MarkerNode)) {
      int line = line(node.getTree());
      for (int i = 0; i < sites.size(); i++) {
        if ((s.open & (1L << i)) != 0 && s.throwLine[i] == 0) {
          s.throwLine[i] = line;
        }
      }
    }
    return s;
  }

  private Node conditionOf(ConditionalBlock cb) {
    return conditionOf.computeIfAbsent(cb, b -> {
      for (Block pred : b.getPredecessors()) {
        List<Node> nodes = pred.getNodes();
        if (!nodes.isEmpty()) {
          return nodes.get(nodes.size() - 1);
        }
      }
      return null;
    });
  }

  /** On the branch where a variable is null, it holds no obligation. */
  private void refineNullCheck(@Nullable Node condition, Store thenStore, Store elseStore) {
    Node left;
    Node right;
    Store nullBranch;
    if (condition instanceof NotEqualNode ne) {
      left = ne.getLeftOperand();
      right = ne.getRightOperand();
      nullBranch = elseStore;
    } else if (condition instanceof EqualToNode eq) {
      left = eq.getLeftOperand();
      right = eq.getRightOperand();
      nullBranch = thenStore;
    } else {
      return;
    }
    Node variable = left instanceof NullLiteralNode ? right : right instanceof NullLiteralNode ? left : null;
    if (variable instanceof LocalVariableNode lv) {
      Object key = key(lv);
      long held = nullBranch.vars.getOrDefault(key, 0L);
      if (held != 0) {
        nullBranch.open &= ~held;
        nullBranch.done &= ~held;
        nullBranch.vars.put(key, 0L);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Transfer of one node.

  /** Applies {@code node}; returns whether it is a wrapper construction (assumed not to throw). */
  private boolean transfer(Store s, Node node) {
    work++;
    if (node instanceof AssignmentNode a) {
      long v = value(s, a.getExpression());
      Node target = a.getTarget();
      if (target instanceof LocalVariableNode lv) {
        s.vars.put(key(lv), v);
        nameSites(v, lv.getName());
      } else {
        release(s, v);
      }
      putTemp(s, a, v);
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
      putTemp(s, t, value(s, t.getThenOperand()) | value(s, t.getElseOperand()) | value(s, t.getTernaryExpressionVar()));
    } else if (node instanceof SwitchExpressionNode sw) {
      putTemp(s, sw, value(s, sw.getSwitchExpressionVar()));
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
    long argv = 0;
    for (Node arg : args) {
      argv |= value(s, arg);
    }
    CallEffect effect;
    try {
      effect = spec.effect(tree, state);
    } catch (RuntimeException | LinkageError e) {
      effect = null;
    }
    boolean wrapper = false;
    if (effect == null) {
      effect = defaultEffect(tree, node);
      wrapper = node instanceof ObjectCreationNode && argv != 0 && effect.arguments() == Use.ALIAS;
    }
    long result = 0;
    result |= use(s, effect.receiver(), recv);
    result |= use(s, effect.arguments(), argv);
    if (effect.acquire() != Acquire.NONE) {
      int id = site(tree, effect);
      if (id >= 0) {
        long bit = 1L << id;
        if ((s.open & bit) != 0 && (s.done & bit) == 0) {
          overwrittenInLoop |= bit;
        }
        s.open |= bit;
        s.done &= ~bit;
        result |= bit;
        if (effect.acquire() == Acquire.CHILD_OF_RECEIVER) {
          parents[id] |= recv;
        } else if (effect.acquire() == Acquire.FRESH_ON_RECEIVER && receiver instanceof LocalVariableNode lv) {
          s.vars.merge(key(lv), bit, (a, b) -> a | b);
          nameSites(bit, lv.getName());
        }
      }
    }
    putTemp(s, node, result);
    return wrapper;
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
    if (state.getTypes().isSubtype(state.getTypes().erasure(type), autoCloseable)) {
      return new CallEffect(Acquire.NONE, Use.ALIAS, Use.ALIAS, null, null);
    }
    return CallEffect.NOTHING;
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
      case NONE -> {}
    }
    return 0;
  }

  /** Marks obligations released (or transferred), with the obligations that depend on them. */
  private void release(Store s, long mask) {
    long todo = mask;
    long seen = 0;
    while (todo != 0) {
      seen |= todo;
      s.done |= todo;
      s.open &= ~todo;
      long children = 0;
      for (int i = 0; i < sites.size(); i++) {
        if ((parents[i] & todo) != 0) {
          children |= 1L << i;
        }
      }
      todo = children & ~seen;
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
    return capturedCache.computeIfAbsent(body, b -> {
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
          return super.visitVariable(tree, unused);
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
      Long t = s.temps.get(a);
      return t != null ? t : value(s, a.getExpression());
    }
    Long t = s.temps.get(node);
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
    }
    labels.add(label);
    details.add(effect.detail());
    return next;
  }

  private void nameSites(long mask, String name) {
    if (mask == 0 || !isIdentifier(name)) {
      return;
    }
    for (int i = 0; i < sites.size(); i++) {
      if ((mask & (1L << i)) != 0 && names[i] == null) {
        names[i] = name;
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

  private int line(@Nullable Tree tree) {
    if (!(tree instanceof JCTree jc)) {
      return 0;
    }
    int pos = jc.getStartPosition();
    if (pos < 0 || state.getPath() == null) {
      return 0;
    }
    return (int) state.getPath().getCompilationUnit().getLineMap().getLineNumber(pos);
  }

  // ---------------------------------------------------------------------------------------------
  // Results.

  private List<Leak> leaks(@Nullable Store normal, @Nullable Store exceptional) {
    List<Leak> leaks = new ArrayList<>();
    long normalOpen = normal == null ? 0 : normal.open;
    long exceptionalOpen = exceptional == null ? 0 : exceptional.open;
    for (int i = 0; i < sites.size(); i++) {
      long bit = 1L << i;
      Leak.Kind kind;
      int line = 0;
      if ((overwrittenInLoop & bit) != 0) {
        kind = Leak.Kind.OVERWRITTEN_IN_LOOP;
      } else if ((normalOpen & bit) != 0) {
        if ((parents[i] & normalOpen) != 0) {
          continue; // reported through the object it belongs to
        }
        kind = (normal.done & bit) != 0 ? Leak.Kind.SOME_PATHS : Leak.Kind.NEVER;
      } else if ((exceptionalOpen & bit) != 0) {
        if ((parents[i] & (exceptionalOpen | normalOpen)) != 0) {
          continue;
        }
        kind = Leak.Kind.ON_EXCEPTION;
        line = exceptional.throwLine[i];
      } else {
        continue;
      }
      leaks.add(new Leak(sites.get(i), labels.get(i), names[i], kind, line, details.get(i)));
    }
    return leaks;
  }
}
