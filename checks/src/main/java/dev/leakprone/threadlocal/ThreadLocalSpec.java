package dev.leakprone.threadlocal;

import com.google.common.collect.ImmutableSet;
import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import dev.leakprone.common.MethodTable;
import dev.leakprone.common.Trees;
import dev.leakprone.config.LeakProneConfig;
import dev.leakprone.config.LeakProneConfig.ThreadLocalSetter;
import dev.leakprone.engine.CallEffect;
import dev.leakprone.engine.ObligationSpec;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.lang.model.element.ElementKind;
import org.jspecify.annotations.Nullable;

/**
 * What binds a value to the current thread and what removes it: {@code ThreadLocal}, SLF4J {@code
 * MDC}, Log4j 2 {@code ThreadContext}, Spring's thread-bound holders and the pairs of {@code
 * -XepOpt:LeakProne:ThreadLocalSetters}. Every binding is a keyed obligation of the engine (see
 * {@link CallEffect}): the key is the thread-local variable, the MDC key or the holder class.
 */
public final class ThreadLocalSpec implements ObligationSpec {

  /** What a known call does. */
  enum Op {
    /** Binds a value to the key. */
    BIND,
    /** Removes the binding of the key. */
    REMOVE,
    /** Removes the bindings of every key of the family. */
    CLEAR,
    /** Reads the bound value (what a re-entrant binding saves and restores). */
    GET
  }

  /** One thread-bound store: how it is named and how its binding is removed. */
  enum Family {
    THREAD_LOCAL("ThreadLocal"),
    MDC("MDC"),
    MDC_MAP("MDC"),
    THREAD_CONTEXT("ThreadContext"),
    THREAD_CONTEXT_MAP("ThreadContext"),
    THREAD_CONTEXT_STACK("ThreadContext"),
    SECURITY_CONTEXT("SecurityContextHolder"),
    SECURITY_STRATEGY("SecurityContextHolderStrategy"),
    LOCALE_CONTEXT("LocaleContextHolder"),
    REQUEST_ATTRIBUTES("RequestContextHolder"),
    TX_RESOURCE("TransactionSynchronizationManager"),
    TX_SYNCHRONIZATION("TransactionSynchronizationManager"),
    CONFIGURED("");

    final String holder;

    Family(String holder) {
      this.holder = holder;
    }
  }

  /** A known call: its family and what it does; {@code families} are those a CLEAR releases. */
  record Entry(Family family, Op op, ImmutableSet<Family> clears) {
    static Entry of(Family family, Op op) {
      return new Entry(family, op, ImmutableSet.of(family));
    }
  }

  /**
   * The key of a binding: the family and what identifies it within the family (the thread-local
   * variable's symbol, the MDC key's value, the holder's name); for configured setters, the owner
   * type is part of the key.
   */
  record Key(Family family, @Nullable String owner, Object id) {}

  /** The key of a removal of every binding of some families. */
  record ClearKey(ImmutableSet<Family> families, @Nullable String owner, @Nullable Object id) {}

  private static final String TL = "java.lang.ThreadLocal";
  private static final String SLF4J_MDC = "org.slf4j.MDC";
  private static final String LOG4J_TC = "org.apache.logging.log4j.ThreadContext";
  private static final String SEC_HOLDER =
      "org.springframework.security.core.context.SecurityContextHolder";
  private static final String SEC_STRATEGY =
      "org.springframework.security.core.context.SecurityContextHolderStrategy";
  private static final String SEC_CONTEXT =
      "org.springframework.security.core.context.SecurityContext";
  private static final String LOCALE_HOLDER =
      "org.springframework.context.i18n.LocaleContextHolder";
  private static final String REQUEST_HOLDER =
      "org.springframework.web.context.request.RequestContextHolder";
  private static final String TSM =
      "org.springframework.transaction.support.TransactionSynchronizationManager";

  private static final MethodTable<Entry> KNOWN =
      MethodTable.<Entry>builder()
          .put(TL + "#set", Entry.of(Family.THREAD_LOCAL, Op.BIND))
          .put(TL + "#remove", Entry.of(Family.THREAD_LOCAL, Op.REMOVE))
          .put(TL + "#get", Entry.of(Family.THREAD_LOCAL, Op.GET))
          .put(SLF4J_MDC + "#put", Entry.of(Family.MDC, Op.BIND))
          .put(SLF4J_MDC + "#remove", Entry.of(Family.MDC, Op.REMOVE))
          .put(SLF4J_MDC + "#get", Entry.of(Family.MDC, Op.GET))
          .put(SLF4J_MDC + "#setContextMap", Entry.of(Family.MDC_MAP, Op.BIND))
          .put(SLF4J_MDC + "#getCopyOfContextMap", Entry.of(Family.MDC_MAP, Op.GET))
          .put(
              SLF4J_MDC + "#clear",
              new Entry(Family.MDC, Op.CLEAR, ImmutableSet.of(Family.MDC, Family.MDC_MAP)))
          .put(LOG4J_TC + "#put|putIfNull", Entry.of(Family.THREAD_CONTEXT, Op.BIND))
          .put(LOG4J_TC + "#remove", Entry.of(Family.THREAD_CONTEXT, Op.REMOVE))
          .put(LOG4J_TC + "#get", Entry.of(Family.THREAD_CONTEXT, Op.GET))
          .put(LOG4J_TC + "#putAll", Entry.of(Family.THREAD_CONTEXT_MAP, Op.BIND))
          .put(
              LOG4J_TC + "#getContext|getImmutableContext",
              Entry.of(Family.THREAD_CONTEXT_MAP, Op.GET))
          .put(
              LOG4J_TC + "#removeAll|clearMap",
              new Entry(
                  Family.THREAD_CONTEXT,
                  Op.CLEAR,
                  ImmutableSet.of(Family.THREAD_CONTEXT, Family.THREAD_CONTEXT_MAP)))
          .put(LOG4J_TC + "#push", Entry.of(Family.THREAD_CONTEXT_STACK, Op.BIND))
          .put(LOG4J_TC + "#pop|clearStack|trim", Entry.of(Family.THREAD_CONTEXT_STACK, Op.CLEAR))
          .put(
              LOG4J_TC + "#clearAll",
              new Entry(
                  Family.THREAD_CONTEXT,
                  Op.CLEAR,
                  ImmutableSet.of(
                      Family.THREAD_CONTEXT,
                      Family.THREAD_CONTEXT_MAP,
                      Family.THREAD_CONTEXT_STACK)))
          .put(
              SEC_HOLDER + "#setContext|setDeferredContext",
              Entry.of(Family.SECURITY_CONTEXT, Op.BIND))
          .put(SEC_HOLDER + "#clearContext", Entry.of(Family.SECURITY_CONTEXT, Op.REMOVE))
          .put(SEC_HOLDER + "#getContext", Entry.of(Family.SECURITY_CONTEXT, Op.GET))
          .put(
              SEC_STRATEGY + "#setContext|setDeferredContext",
              Entry.of(Family.SECURITY_STRATEGY, Op.BIND))
          .put(SEC_STRATEGY + "#clearContext", Entry.of(Family.SECURITY_STRATEGY, Op.REMOVE))
          .put(SEC_STRATEGY + "#getContext", Entry.of(Family.SECURITY_STRATEGY, Op.GET))
          .put(SEC_CONTEXT + "#setAuthentication", Entry.of(Family.SECURITY_CONTEXT, Op.BIND))
          .put(
              LOCALE_HOLDER + "#setLocale|setLocaleContext|setTimeZone",
              Entry.of(Family.LOCALE_CONTEXT, Op.BIND))
          .put(LOCALE_HOLDER + "#resetLocaleContext", Entry.of(Family.LOCALE_CONTEXT, Op.REMOVE))
          .put(LOCALE_HOLDER + "#getLocaleContext", Entry.of(Family.LOCALE_CONTEXT, Op.GET))
          .put(
              REQUEST_HOLDER + "#setRequestAttributes",
              Entry.of(Family.REQUEST_ATTRIBUTES, Op.BIND))
          .put(
              REQUEST_HOLDER + "#resetRequestAttributes",
              Entry.of(Family.REQUEST_ATTRIBUTES, Op.REMOVE))
          .put(
              REQUEST_HOLDER + "#getRequestAttributes|currentRequestAttributes",
              Entry.of(Family.REQUEST_ATTRIBUTES, Op.GET))
          .put(TSM + "#bindResource", Entry.of(Family.TX_RESOURCE, Op.BIND))
          .put(
              TSM + "#unbindResource|unbindResourceIfPossible",
              Entry.of(Family.TX_RESOURCE, Op.REMOVE))
          .put(TSM + "#getResource", Entry.of(Family.TX_RESOURCE, Op.GET))
          .put(TSM + "#initSynchronization", Entry.of(Family.TX_SYNCHRONIZATION, Op.BIND))
          .put(TSM + "#clearSynchronization|clear", Entry.of(Family.TX_SYNCHRONIZATION, Op.REMOVE))
          .build();

  /** Loggers: their calls are not worth following for unchecked exceptions. */
  private static final ImmutableSet<String> LOGGERS =
      ImmutableSet.of(
          "org.slf4j.Logger",
          "org.apache.logging.log4j.Logger",
          "java.util.logging.Logger",
          "org.apache.commons.logging.Log");

  private static final com.google.errorprone.suppliers.Supplier<@Nullable Type> COLLECTION =
      VisitorState.memoize(s -> s.getTypeFromString("java.util.Collection"));

  /**
   * Whether {@code m} is a step of a for-each over a JDK collection: {@code iterator()} of a {@code
   * java.util} collection, or {@code hasNext()}/{@code next()} declared by {@code Iterator} itself
   * (not by an implementation such as {@code Scanner}, whose {@code next()} reads input).
   */
  private static boolean isJdkIteration(MethodSymbol m, VisitorState state) {
    String owner = m.owner.getQualifiedName().toString();
    String name = m.getSimpleName().toString();
    if (name.equals("hasNext") || name.equals("next")) {
      return owner.equals("java.util.Iterator") || owner.equals("java.util.ListIterator");
    }
    Type collection = COLLECTION.get(state);
    return name.equals("iterator")
        && owner.startsWith("java.util.")
        && collection != null
        && state
            .getTypes()
            .isSubtype(
                state.getTypes().erasure(m.owner.type), state.getTypes().erasure(collection));
  }

  private static final ImmutableSet<String> HARMLESS_METHODS =
      ImmutableSet.of("toString", "hashCode", "equals", "getClass", "valueOf", "isEmpty", "size");

  private final MethodTable<Entry> configured;
  private final Map<String, ThreadLocalSetter> configuredByOwner = new HashMap<>();
  private final java.util.Set<String> configuredBindingNames = new java.util.HashSet<>();

  /** Restore variables of the body last analysed (the engine asks about one body at a time). */
  private @Nullable Tree savedBody;

  private Map<Symbol, Key> saved = Map.of();

  /** Keys computed per call tree: the engine and the checker ask repeatedly. */
  private final IdentityHashMap<Tree, Object> keyCache = new IdentityHashMap<>();

  private static final Object NO_KEY = new Object();
  private final IdentityHashMap<Tree, Boolean> followsCache = new IdentityHashMap<>();
  private com.sun.source.tree.@Nullable CompilationUnitTree keyUnit;

  public ThreadLocalSpec(LeakProneConfig config) {
    MethodTable.Builder<Entry> builder = MethodTable.builder();
    for (ThreadLocalSetter setter : config.threadLocalSetters()) {
      builder.put(
          setter.owner() + "#" + String.join("|", setter.bind()),
          Entry.of(Family.CONFIGURED, Op.BIND));
      builder.put(
          setter.owner() + "#" + String.join("|", setter.remove()),
          Entry.of(Family.CONFIGURED, Op.REMOVE));
      configuredByOwner.put(setter.owner(), setter);
      configuredBindingNames.addAll(setter.bind());
    }
    this.configured = builder.build();
  }

  /** The table entry of {@code call}, or null. */
  @Nullable Entry entry(ExpressionTree call, VisitorState state) {
    if (!(call instanceof MethodInvocationTree)) {
      return null;
    }
    Entry e = KNOWN.lookup(call, state);
    if (e == null && !configured.isEmpty()) {
      e = configured.lookup(call, state);
    }
    if (e != null
        && e.family() == Family.SECURITY_CONTEXT
        && e.op() == Op.BIND
        && symbolName(call).equals("setAuthentication")) {
      // Only SecurityContextHolder.getContext().setAuthentication(…) binds to the thread; a
      // context that is built and then set is bound by setContext.
      ExpressionTree receiver = ASTHelpers.getReceiver(call);
      Entry r = receiver == null ? null : KNOWN.lookup(strip(receiver), state);
      if (r == null || r.family() != Family.SECURITY_CONTEXT || r.op() != Op.GET) {
        return null;
      }
    }
    return e;
  }

  @Override
  public boolean mayAcquire(ExpressionTree call, VisitorState state) {
    // Only names of binding methods get past the first lookup: get/put/remove calls on
    // collections cost one hash lookup, not the owner tests of the whole table.
    if (!(call instanceof MethodInvocationTree)
        || (!BINDING_NAMES.contains(ThreadLocalSpec.symbolName(call))
            && !configuredBindingNames.contains(ThreadLocalSpec.symbolName(call)))) {
      return false;
    }
    Entry e = entry(call, state);
    return e != null && e.op() == Op.BIND;
  }

  /** The simple names of the built-in binding methods. */
  private static final ImmutableSet<String> BINDING_NAMES =
      ImmutableSet.of(
          "set",
          "put",
          "putIfNull",
          "setContextMap",
          "putAll",
          "push",
          "setContext",
          "setDeferredContext",
          "setAuthentication",
          "setLocale",
          "setLocaleContext",
          "setTimeZone",
          "setRequestAttributes",
          "bindResource",
          "initSynchronization");

  @Override
  public @Nullable CallEffect effect(ExpressionTree call, VisitorState state) {
    Entry e = entry(call, state);
    if (e == null) {
      return removesEveryKey(call, state);
    }
    if (e.op() == Op.GET) {
      return null;
    }
    MethodInvocationTree mi = (MethodInvocationTree) call;
    if (e.op() == Op.CLEAR) {
      return CallEffect.releasesKey(new ClearKey(e.clears(), null, null));
    }
    Key key = key(mi, e, state);
    if (key == null) {
      return null;
    }
    if (e.op() == Op.REMOVE) {
      return CallEffect.releasesKey(key);
    }
    ExpressionTree value = boundValue(mi, e);
    if (value != null) {
      ExpressionTree v = strip(value);
      if (v.getKind() == Tree.Kind.NULL_LITERAL
          && e.family() != Family.SECURITY_CONTEXT
          && e.family() != Family.SECURITY_STRATEGY) {
        // set(null): the binding is gone (ThreadLocal reports it with its own message: the
        // thread's map keeps the entry); Spring's holders reset themselves on null.
        return CallEffect.releasesKey(key);
      }
      if (restores(v, key, state)) {
        return CallEffect.releasesKey(key);
      }
      if (readsSameKey(v, key, state)) {
        // An update of the bound value (tl.set(tl.get() + 1)): neither a new binding nor a removal.
        return CallEffect.NOTHING;
      }
      if (e.family() == Family.THREAD_LOCAL && initializesAbsentValue(call, key, state)) {
        // if (tl.get() == null) tl.set(…): a per-thread cache or state filled once per thread,
        // meant to live with the thread, not a binding of one task.
        return CallEffect.NOTHING;
      }
      if (isConstant(v) && inFinally(call, state)) {
        // A reset to a constant in finally (flag.set(false)): the next task sees no value of this
        // one.
        return CallEffect.releasesKey(key);
      }
    }
    return CallEffect.bindsKey(key, e.family().holder, null);
  }

  @Override
  public boolean releasesKey(Object releasing, Object held) {
    if (releasing instanceof ClearKey c && held instanceof Key k) {
      return c.families().contains(k.family())
          && Objects.equals(c.owner(), k.owner())
          && (c.id() == null || c.id().equals(k.id()));
    }
    return releasing.equals(held);
  }

  @Override
  public boolean followsUncheckedExceptions(ExpressionTree call, VisitorState state) {
    clearCachesOnNewUnit(state);
    return followsCache.computeIfAbsent(call, c -> computeFollows((ExpressionTree) c, state));
  }

  private boolean computeFollows(ExpressionTree call, VisitorState state) {
    if (entry(call, state) != null || inBindingArgument(call, state)) {
      return false;
    }
    Symbol sym = ASTHelpers.getSymbol(call);
    if (!(sym instanceof MethodSymbol m)) {
      return true;
    }
    String name = m.getSimpleName().toString();
    if (isJdkIteration(m, state)) {
      // A for-each over a collection (iterator/hasNext/next of the JDK's collections): it fails
      // only on a concurrent modification, as an accessor only on a bug.
      return false;
    }
    if (HARMLESS_METHODS.contains(name) || isAccessorName(name)) {
      // Accessors (req.getHeader(…)) are assumed not to fail, so that binding two values before
      // the try, the second read from the request, is not reported.
      return false;
    }
    for (String logger : LOGGERS) {
      Type t = state.getTypeFromString(logger);
      if (t != null
          && state
              .getTypes()
              .isSubtype(state.getTypes().erasure(m.owner.type), state.getTypes().erasure(t))) {
        return false;
      }
    }
    return true;
  }

  // ---------------------------------------------------------------------------------------------
  // Keys.

  /**
   * Whether {@code call} computes an argument of a binding ({@code MDC.put("id",
   * UUID.randomUUID().toString())}): computing the next value to bind is assumed not to fail.
   */
  private boolean inBindingArgument(ExpressionTree call, VisitorState state) {
    TreePath path = TreePath.getPath(state.getPath(), call);
    for (TreePath p = path == null ? null : path.getParentPath();
        p != null;
        p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (!(leaf instanceof ExpressionTree)) {
        return false;
      }
      if (leaf instanceof MethodInvocationTree mi) {
        Entry e = entry(mi, state);
        if (e != null && e.op() == Op.BIND) {
          return true;
        }
      }
    }
    return false;
  }

  private void clearCachesOnNewUnit(VisitorState state) {
    if (state.getPath() != null && !state.getPath().getCompilationUnit().equals(keyUnit)) {
      keyCache.clear();
      followsCache.clear();
      keyUnit = state.getPath().getCompilationUnit();
    }
  }

  /** The key that {@code call} (a known bind or remove) binds or removes, or null. */
  @Nullable Key key(MethodInvocationTree call, Entry e, VisitorState state) {
    clearCachesOnNewUnit(state);
    Object cached = keyCache.get(call);
    if (cached == null) {
      Key computed = computeKey(call, e, state);
      keyCache.put(call, computed == null ? NO_KEY : computed);
      return computed;
    }
    return NO_KEY.equals(cached) ? null : (Key) cached;
  }

  private @Nullable Key computeKey(MethodInvocationTree call, Entry e, VisitorState state) {
    Family f = e.family();
    switch (f) {
      case THREAD_LOCAL, SECURITY_STRATEGY -> {
        Object id = receiverId(call, state);
        return id == null ? null : new Key(f, null, id);
      }
      case MDC, THREAD_CONTEXT, TX_RESOURCE -> {
        if (call.getArguments().isEmpty()) {
          return null;
        }
        if (f == Family.THREAD_CONTEXT
            && e.op() == Op.REMOVE
            && !isSameType(
                ASTHelpers.getType(call.getArguments().get(0)),
                state.getSymtab().stringType,
                state)) {
          return null;
        }
        Object id = expressionId(call.getArguments().get(0), state);
        return id == null ? null : new Key(f, null, id);
      }
      case CONFIGURED -> {
        Symbol sym = ASTHelpers.getSymbol(call);
        String owner = configuredOwner(sym, state);
        if (owner == null || sym == null) {
          return null;
        }
        if (ASTHelpers.isStatic(sym)) {
          return new Key(f, owner, owner);
        }
        Object id = receiverId(call, state);
        return id == null ? null : new Key(f, owner, id);
      }
      default -> {
        // One binding per thread: the holder (or the MDC/ThreadContext map, the stack).
        return new Key(f, null, f.name());
      }
    }
  }

  private @Nullable String configuredOwner(@Nullable Symbol sym, VisitorState state) {
    if (sym == null) {
      return null;
    }
    Type owner = state.getTypes().erasure(sym.owner.type);
    for (String name : configuredByOwner.keySet()) {
      Type t = state.getTypeFromString(name);
      if (t != null && state.getTypes().isSubtype(owner, state.getTypes().erasure(t))) {
        return name;
      }
    }
    return null;
  }

  /**
   * What identifies the receiver of {@code call}: a variable's symbol, a method's, or its source.
   */
  private static @Nullable Object receiverId(MethodInvocationTree call, VisitorState state) {
    ExpressionTree receiver = ASTHelpers.getReceiver(call);
    if (receiver == null) {
      // An implicit this: a call inside a ThreadLocal subclass.
      ClassTree enclosing = ASTHelpers.findEnclosingNode(state.getPath(), ClassTree.class);
      return enclosing == null ? "this" : "this:" + ASTHelpers.getSymbol(enclosing);
    }
    return expressionId(receiver, state);
  }

  /** A variable's symbol, a constant's value, or the source text of an expression. */
  private static @Nullable Object expressionId(ExpressionTree tree, VisitorState state) {
    ExpressionTree e = strip(tree);
    Object constant = ASTHelpers.constValue(e);
    if (constant != null) {
      return "constant:" + constant;
    }
    Object iterated = keyOfIteration(e, state);
    if (iterated != null) {
      return iterated;
    }
    if (e instanceof IdentifierTree || e instanceof MemberSelectTree) {
      Symbol sym = ASTHelpers.getSymbol(e);
      if (sym instanceof VarSymbol) {
        return sym;
      }
    }
    String source = state.getSourceForNode(e);
    return source == null ? null : "source:" + source;
  }

  /**
   * The keys of a map, named by the map: {@code e.getKey()} of a loop over {@code m.entrySet()} and
   * {@code k} of a loop over {@code m.keySet()} both give "a key of m", so that copying a context
   * into the MDC ({@code for (e : ctx.entrySet()) MDC.put(e.getKey(), e.getValue())}) is undone by
   * removing every key of the same map ({@code for (k : ctx.keySet()) MDC.remove(k)}). Null if
   * {@code e} is neither.
   */
  private static @Nullable Object keyOfIteration(ExpressionTree e, VisitorState state) {
    String over;
    ExpressionTree variable;
    if (e instanceof MethodInvocationTree mi
        && mi.getArguments().isEmpty()
        && mi.getMethodSelect() instanceof MemberSelectTree ms
        && ms.getIdentifier().contentEquals("getKey")) {
      over = "entrySet";
      variable = ms.getExpression();
    } else if (e instanceof IdentifierTree) {
      over = "keySet";
      variable = e;
    } else {
      return null;
    }
    if (!(variable instanceof IdentifierTree)
        || !(ASTHelpers.getSymbol(variable) instanceof VarSymbol v)
        || v.getKind() != ElementKind.LOCAL_VARIABLE
        || state.getPath() == null) {
      return null;
    }
    ExpressionTree[] iterated = {null};
    new TreeScanner<Void, Void>() {
      @Override
      public @Nullable Void visitEnhancedForLoop(EnhancedForLoopTree loop, Void unused) {
        if (v.equals(ASTHelpers.getSymbol(loop.getVariable()))) {
          iterated[0] = loop.getExpression();
        }
        return super.visitEnhancedForLoop(loop, null);
      }
    }.scan(state.getPath().getLeaf(), null);
    return iterated[0] == null ? null : keysOf(strip(iterated[0]), over, state);
  }

  /** {@link KeysOf} the map {@code m} when {@code loopOver} is {@code m.<over>()} of a map. */
  private static @Nullable KeysOf keysOf(ExpressionTree loopOver, String over, VisitorState state) {
    if (!(loopOver instanceof MethodInvocationTree call)
        || !call.getArguments().isEmpty()
        || !(call.getMethodSelect() instanceof MemberSelectTree select)
        || !select.getIdentifier().contentEquals(over)
        || !isMapMethod(ASTHelpers.getSymbol(call), state)) {
      return null;
    }
    ExpressionTree map = strip(select.getExpression());
    if (!(map instanceof IdentifierTree || map instanceof MemberSelectTree)
        || !(ASTHelpers.getSymbol(map) instanceof VarSymbol mapVar)) {
      return null;
    }
    return new KeysOf(mapVar);
  }

  /**
   * {@code m.keySet()} as the expression of a loop whose body removes its variable from the MDC or
   * the ThreadContext ({@code for (k : m.keySet()) MDC.remove(k)}): the loop removes every key of
   * {@code m}, also when it runs no iteration (then {@code m} is empty and a loop over it bound
   * nothing), so the release is applied where the loop starts.
   */
  private @Nullable CallEffect removesEveryKey(ExpressionTree call, VisitorState state) {
    if (!(call instanceof MethodInvocationTree mi)
        || !(mi.getMethodSelect() instanceof MemberSelectTree select)
        || !select.getIdentifier().contentEquals("keySet")
        || state.getPath() == null) {
      return null;
    }
    KeysOf keys = keysOf(mi, "keySet", state);
    TreePath path = keys == null ? null : TreePath.getPath(state.getPath(), call);
    TreePath parent = path == null ? null : path.getParentPath();
    if (keys == null
        || parent == null
        || !(parent.getLeaf() instanceof EnhancedForLoopTree loop)
        || !call.equals(loop.getExpression())) {
      return null;
    }
    Symbol variable = ASTHelpers.getSymbol(loop.getVariable());
    // Only a removal that every iteration runs: a statement of the loop's body itself, not one
    // under a condition.
    List<? extends StatementTree> body =
        loop.getStatement() instanceof BlockTree block
            ? block.getStatements()
            : List.of(loop.getStatement());
    for (StatementTree statement : body) {
      if (statement instanceof ExpressionStatementTree es
          && es.getExpression() instanceof MethodInvocationTree inner
          && !inner.getArguments().isEmpty()
          && variable != null
          && variable.equals(ASTHelpers.getSymbol(strip(inner.getArguments().get(0))))) {
        Entry e = entry(inner, state);
        if (e != null
            && e.op() == Op.REMOVE
            && (e.family() == Family.MDC || e.family() == Family.THREAD_CONTEXT)) {
          return CallEffect.releasesKey(new Key(e.family(), null, keys));
        }
      }
    }
    return null;
  }

  private static final com.google.errorprone.suppliers.Supplier<@Nullable Type> MAP =
      VisitorState.memoize(s -> s.getTypeFromString("java.util.Map"));

  /** Every key of the map held in {@code map}. */
  private record KeysOf(VarSymbol map) {}

  private static boolean isMapMethod(@Nullable Symbol m, VisitorState state) {
    Type map = MAP.get(state);
    return m != null
        && map != null
        && state
            .getTypes()
            .isSubtype(state.getTypes().erasure(m.owner.type), state.getTypes().erasure(map));
  }

  /** The value a binding call binds, or null if it takes none. */
  static @Nullable ExpressionTree boundValue(MethodInvocationTree call, Entry e) {
    List<? extends ExpressionTree> args = call.getArguments();
    if (args.isEmpty()) {
      return null;
    }
    return switch (e.family()) {
      case MDC, THREAD_CONTEXT, TX_RESOURCE -> args.size() >= 2 ? args.get(1) : null;
      default -> args.get(0);
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Re-entrant bindings: saving the previous value and restoring it.

  /** Whether {@code value} is a local variable that this body saved from a read of {@code key}. */
  private boolean restores(ExpressionTree value, Key key, VisitorState state) {
    if (!(value instanceof IdentifierTree)) {
      return false;
    }
    Symbol sym = ASTHelpers.getSymbol(value);
    if (!(sym instanceof VarSymbol) || sym.getKind() != ElementKind.LOCAL_VARIABLE) {
      return false;
    }
    return key.equals(savedVariables(state).get(sym));
  }

  /** Whether {@code value} reads the value bound to {@code key} ({@code tl.get() + 1}). */
  private boolean readsSameKey(ExpressionTree value, Key key, VisitorState state) {
    boolean[] found = {false};
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitMethodInvocation(MethodInvocationTree tree, Void unused) {
        if (!found[0] && key.equals(readKey(tree, state))) {
          found[0] = true;
        }
        return super.visitMethodInvocation(tree, null);
      }

      @Override
      public Void visitLambdaExpression(LambdaExpressionTree tree, Void unused) {
        return null;
      }
    }.scan(value, null);
    return found[0];
  }

  /** The key a getter call reads, or null. */
  private @Nullable Key readKey(MethodInvocationTree call, VisitorState state) {
    Entry e = entry(call, state);
    return e == null || e.op() != Op.GET ? null : key(call, e, state);
  }

  /** Local variables of the current body assigned from a read of a key, with that key. */
  private Map<Symbol, Key> savedVariables(VisitorState state) {
    Tree body = bodyOf(state.getPath());
    if (body == null) {
      return Map.of();
    }
    if (!body.equals(savedBody)) {
      Map<Symbol, Key> found = new HashMap<>();
      new TreeScanner<Void, Void>() {
        @Override
        public Void visitVariable(VariableTree tree, Void unused) {
          record(ASTHelpers.getSymbol(tree), tree.getInitializer());
          return super.visitVariable(tree, null);
        }

        @Override
        public Void visitAssignment(AssignmentTree tree, Void unused) {
          record(ASTHelpers.getSymbol(tree.getVariable()), tree.getExpression());
          return super.visitAssignment(tree, null);
        }

        private void record(@Nullable Symbol sym, @Nullable ExpressionTree init) {
          if (sym != null && init != null && strip(init) instanceof MethodInvocationTree mi) {
            Key k = readKey(mi, state);
            if (k != null) {
              found.put(sym, k);
            }
          }
        }
      }.scan(body, null);
      saved = found;
      savedBody = body;
    }
    return saved;
  }

  private static @Nullable Tree bodyOf(@Nullable TreePath path) {
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      if (p.getLeaf() instanceof MethodTree m) {
        return m.getBody();
      }
      if (p.getLeaf() instanceof LambdaExpressionTree l) {
        return l.getBody();
      }
    }
    return null;
  }

  private static boolean inFinally(ExpressionTree call, VisitorState state) {
    TreePath path = TreePath.getPath(state.getPath(), call);
    for (TreePath p = path; p != null && p.getParentPath() != null; p = p.getParentPath()) {
      Tree parent = p.getParentPath().getLeaf();
      if (parent instanceof TryTree t && p.getLeaf().equals(t.getFinallyBlock())) {
        return true;
      }
      if (parent instanceof MethodTree
          || parent instanceof LambdaExpressionTree
          || parent instanceof ClassTree) {
        return false;
      }
    }
    return false;
  }

  /**
   * Whether {@code call} is in the then-branch of {@code if (x == null)}, x read from {@code key}.
   */
  private boolean initializesAbsentValue(ExpressionTree call, Key key, VisitorState state) {
    TreePath path = TreePath.getPath(state.getPath(), call);
    for (TreePath p = path; p != null && p.getParentPath() != null; p = p.getParentPath()) {
      Tree parent = p.getParentPath().getLeaf();
      if (parent instanceof MethodTree
          || parent instanceof LambdaExpressionTree
          || parent instanceof ClassTree) {
        return false;
      }
      if (parent instanceof com.sun.source.tree.IfTree ifTree
          && p.getLeaf().equals(ifTree.getThenStatement())
          && strip(ifTree.getCondition()) instanceof com.sun.source.tree.BinaryTree b
          && b.getKind() == Tree.Kind.EQUAL_TO) {
        ExpressionTree other =
            b.getLeftOperand().getKind() == Tree.Kind.NULL_LITERAL
                ? b.getRightOperand()
                : b.getRightOperand().getKind() == Tree.Kind.NULL_LITERAL
                    ? b.getLeftOperand()
                    : null;
        if (other == null) {
          continue;
        }
        ExpressionTree o = strip(other);
        if (o instanceof MethodInvocationTree mi && key.equals(readKey(mi, state))) {
          return true;
        }
        Symbol sym = ASTHelpers.getSymbol(o);
        if (o instanceof IdentifierTree
            && sym != null
            && (key.equals(savedVariables(state).get(sym)) || bindsVariable(call, sym))) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Whether the value {@code call} binds is the variable {@code sym} ({@code tl.set(hc)}, {@code
   * tl.set(hc = new int[1])}): with {@code if (hc == null)} around it, state initialised once.
   */
  private static boolean bindsVariable(ExpressionTree call, Symbol sym) {
    if (!(call instanceof MethodInvocationTree mi) || mi.getArguments().size() != 1) {
      return false;
    }
    ExpressionTree v = strip(mi.getArguments().get(0));
    if (v instanceof AssignmentTree a) {
      v = a.getVariable();
    }
    return v instanceof IdentifierTree && sym.equals(ASTHelpers.getSymbol(v));
  }

  private static boolean isConstant(ExpressionTree v) {
    if (v instanceof LiteralTree || ASTHelpers.constValue(v) != null) {
      return true;
    }
    Symbol sym = ASTHelpers.getSymbol(v);
    // Enum constants and static final fields (Boolean.FALSE).
    return sym != null
        && (sym.getKind() == ElementKind.ENUM_CONSTANT
            || (sym.getKind() == ElementKind.FIELD
                && ASTHelpers.isStatic(sym)
                && (sym.flags() & com.sun.tools.javac.code.Flags.FINAL) != 0));
  }

  private static boolean isAccessorName(String name) {
    for (String prefix : new String[] {"get", "is", "has"}) {
      if (name.startsWith(prefix)
          && (name.length() == prefix.length()
              || Character.isUpperCase(name.charAt(prefix.length())))) {
        return true;
      }
    }
    return false;
  }

  static ExpressionTree strip(ExpressionTree tree) {
    return Trees.stripParensAndCasts(tree);
  }

  static String symbolName(ExpressionTree call) {
    Symbol sym = ASTHelpers.getSymbol(call);
    return sym == null ? "" : sym.getSimpleName().toString();
  }

  private static boolean isSameType(@Nullable Type a, Type b, VisitorState state) {
    return a != null && state.getTypes().isSameType(a, b);
  }

  /** The removal methods configured for {@code owner}, or empty. */
  ImmutableSet<String> configuredRemovers(String owner) {
    ThreadLocalSetter setter = configuredByOwner.get(owner);
    return setter == null ? ImmutableSet.of() : setter.remove();
  }
}
