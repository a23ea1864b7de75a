package dev.leakprone.collection;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;
import static java.util.Objects.requireNonNull;

import com.google.auto.service.AutoService;
import com.google.common.collect.ImmutableSet;
import com.google.errorprone.BugPattern;
import com.google.errorprone.ErrorProneFlags;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.ClassTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.VariableTree;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.code.Types;
import com.sun.tools.javac.tree.JCTree;
import dev.leakprone.collection.CollectionTables.Kind;
import dev.leakprone.collection.FieldUses.Ctx;
import dev.leakprone.collection.FieldUses.Site;
import dev.leakprone.collection.FieldUses.Uses;
import dev.leakprone.collection.FieldUses.When;
import dev.leakprone.common.Docs;
import dev.leakprone.common.LeakProneChecker;
import dev.leakprone.common.Singletons;
import dev.leakprone.config.LeakProneConfig;
import dev.leakprone.report.Findings;
import dev.leakprone.request.RequestTypes;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.inject.Inject;
import javax.lang.model.element.ElementKind;
import org.jspecify.annotations.Nullable;

/**
 * A static field, or a field of a singleton, holding a collection or map with no bound that code
 * adds to at run time and nothing in its class ever removes from: it grows for as long as the
 * application runs.
 */
@AutoService(BugChecker.class)
@BugPattern(
    summary = "Bound this long-lived collection or remove its entries: it only grows",
    severity = WARNING,
    tags = BugPattern.StandardTags.LIKELY_ERROR,
    linkType = CUSTOM,
    link = Docs.BASE + "UnboundedStaticCollection.md")
public final class UnboundedStaticCollection extends LeakProneChecker implements ClassTreeMatcher {
  private static final long serialVersionUID = 1L;

  /** {@code -XepOpt:LeakProne:UnboundedCollectionsStrict}. */
  private final boolean strict;

  private final ImmutableSet<String> singletonAnnotations;
  private final ImmutableSet<String> boundedTypes;
  private final RequestTypes requestTypes;

  /** For {@link java.util.ServiceLoader}, which needs a public no-argument constructor. */
  public UnboundedStaticCollection() {
    this(ErrorProneFlags.empty());
  }

  /** Used by Error Prone, which passes the {@code -XepOpt} flags. */
  @Inject
  public UnboundedStaticCollection(ErrorProneFlags flags) {
    super(flags);
    LeakProneConfig config = config();
    this.strict = config.unboundedCollectionsStrict();
    this.singletonAnnotations = config.singletonAnnotations();
    this.boundedTypes = config.boundedCollectionTypes();
    this.requestTypes = new RequestTypes(config.requestTypes());
  }

  /** A field that may hold an unbounded collection. */
  private record Candidate(
      VarSymbol sym,
      VariableTree tree,
      @Nullable Kind initializerKind,
      boolean classKeyed,
      boolean accumulating,
      boolean effectivelyPrivate,
      boolean ownerSingleton,
      boolean ownerServesRequests,
      @Nullable String singletonWhy) {}

  @Override
  public Description matchClass(ClassTree tree, VisitorState state) {
    if (flagsRejected(state)) {
      return Description.NO_MATCH;
    }
    if (!(state.getPath().getParentPath().getLeaf() instanceof CompilationUnitTree)) {
      return Description.NO_MATCH; // nested classes are analysed with their top-level class
    }
    try {
      analyse(tree, state);
    } catch (RuntimeException | LinkageError e) {
      // Never break the build: a class the check cannot analyse is skipped.
    }
    return Description.NO_MATCH;
  }

  private void analyse(ClassTree top, VisitorState state) {
    // 1. Candidates, from the members of the class and its member classes only.
    Map<VarSymbol, Candidate> candidates = new LinkedHashMap<>();
    collectCandidates(top, false, state, candidates);
    if (candidates.isEmpty()) {
      return;
    }
    // 2. Private getters (`return FIELD;`), so that getF().add(x) counts as growth of F.
    Map<MethodSymbol, VarSymbol> getters = new LinkedHashMap<>();
    collectGetters(top, candidates, getters);
    // 3. One pass over the class for all uses of all candidates.
    Map<VarSymbol, Uses> uses = new LinkedHashMap<>();
    for (VarSymbol sym : candidates.keySet()) {
      uses.put(sym, new Uses());
    }
    java.util.Set<ClassSymbol> singletons = new java.util.HashSet<>();
    for (Candidate c : candidates.values()) {
      if (c.ownerSingleton()) {
        singletons.add((ClassSymbol) c.sym().owner);
      }
    }
    FieldUses scanner =
        new FieldUses(
            uses,
            getters,
            singletons,
            t -> requestTypes.isRequestType(ASTHelpers.getType(t), state),
            e -> kindOf(e, state) == Kind.UNBOUNDED);
    scanner.scan(state.getPath(), null);
    scanner.resolve();
    // 4. Decide.
    for (Candidate c : candidates.values()) {
      decide(c, requireNonNull(uses.get(c.sym())), scanner, state); // one Uses per candidate
    }
  }

  private void decide(Candidate c, Uses u, FieldUses scanner, VisitorState state) {
    if (u.shrinkReason != null) {
      return;
    }
    Kind kind = c.initializerKind();
    for (Site a : u.assignments) {
      if (!isInit(c, scanner.effective(a.ctx()), scanner)) {
        return; // reassigned wholesale at run time: a snapshot or a reset
      }
      ExpressionTree value = requireNonNull(a.value()); // an assignment's site has its value
      if (isNull(value)) {
        continue;
      }
      Kind k = kindOf(value, state);
      if (k == null) {
        return; // initialized with something bounded or unknown
      }
      kind = kind == Kind.WEAK || k == Kind.WEAK ? Kind.WEAK : k;
    }
    if (kind == null) {
      return;
    }
    if (!strict
        && (kind == Kind.WEAK
            || c.classKeyed()
            || !c.effectivelyPrivate()
            || u.escapeReason != null)) {
      return;
    }
    Site growth = null;
    for (Site g : u.grows) {
      if (!isInit(c, scanner.effective(g.ctx()), scanner) && (strict || growsPerCall(c, g))) {
        growth = g;
        break;
      }
    }
    if (growth == null) {
      return;
    }
    for (Symbol s = c.sym(); s instanceof VarSymbol || s instanceof ClassSymbol; s = s.owner) {
      if (isSuppressed(s, state)) {
        return; // @SuppressWarnings on the field or an enclosing (nested) class
      }
    }
    Description d =
        buildDescription(c.tree()).setMessage(message(c, kind, u, growth, state)).build();
    Findings.report(this, state, d, c.sym().getSimpleName().toString());
  }

  /**
   * Whether there is evidence that {@code growth} adds something on every call at run time, not
   * once per item of a fixed or configured set: growth anywhere in a singleton that serves requests
   * (a controller, JAX-RS resource or provider, servlet, filter, Netty handler: its methods'
   * parameters are what clients send; a service, component, enum or self-holding singleton is
   * called with values the application chooses, and on every held-out triage those were bounded);
   * adding to a collection held in the map ({@code computeIfAbsent(k, …).add(v)}); adding what a
   * request-scoped object gives ({@code PATHS.add(request.getRequestURI())}: keys the clients
   * choose); adding to a collection that keeps duplicates (a list, queue or list multimap: it grows
   * with every call, not with every distinct key) unless the method first searches it. A {@code
   * register…} or {@code add…} method fills a registry: its callers, usually set-up code in other
   * files, bound it (unless what it adds comes from a request). Without such evidence a static map
   * or set filled from a method's parameters — a registry, or a get-or-create cache — is usually
   * bounded by a finite key set that one file does not show (file systems, locales, schemes,
   * configured hosts: every such cache of both held-out triages was), so it is reported only in
   * strict mode.
   */
  private static boolean growsPerCall(Candidate c, Site growth) {
    if (growth.registration() && !growth.requestData()) {
      return false;
    }
    return c.ownerServesRequests()
        || growth.inner()
        || growth.requestData()
        || (c.accumulating() && !growth.searched());
  }

  /**
   * Whether code in {@code ctx} runs only while the field's class is set up: static initializers,
   * and constructors, initializer blocks and lifecycle methods of the field's own class when the
   * field is an instance field of a singleton or the class itself is a singleton, or when every
   * instance of the class is made in a static initializer (a constructor only this file can call,
   * each {@code new} of it in static set-up code).
   */
  private static boolean isInit(Candidate c, Ctx ctx, FieldUses scanner) {
    if (ctx.when() == When.STATIC_INIT) {
      return true;
    }
    if (ctx.when() == When.INSTANCE_INIT) {
      return c.sym().owner.equals(ctx.cls())
          && (!c.sym().isStatic()
              || c.ownerSingleton()
              || (ctx.method() != null
                  && ctx.method().isConstructor()
                  && scanner.constructedOnlyAtStaticInit(ctx.method())));
    }
    return false;
  }

  // ------------------------------------------------------------------------------------------
  // Candidates

  private void collectCandidates(
      ClassTree cls, boolean enclosedByPrivate, VisitorState state, Map<VarSymbol, Candidate> out) {
    ClassSymbol clsSym = ASTHelpers.getSymbol(cls);
    if (clsSym == null) {
      return;
    }
    boolean privateScope = enclosedByPrivate || (clsSym.flags() & Flags.PRIVATE) != 0;
    Boolean singleton = null;
    String singletonWhy = null;
    for (Tree member : cls.getMembers()) {
      if (member instanceof ClassTree nested) {
        collectCandidates(nested, privateScope, state, out);
        continue;
      }
      if (!(member instanceof VariableTree var)) {
        continue;
      }
      VarSymbol sym = ASTHelpers.getSymbol(var);
      if (sym == null || sym.getKind() != ElementKind.FIELD || !isContainer(sym.type, state)) {
        continue;
      }
      if (!sym.isStatic()) {
        if (singleton == null) {
          singleton = Singletons.isSingleton(clsSym, cls, state.getTypes(), singletonAnnotations);
          singletonWhy = singleton ? singletonWhy(clsSym) : null;
        }
        if (!singleton) {
          continue;
        }
      }
      if (isBounded(sym.type, state)) {
        continue;
      }
      Kind kind = null;
      ExpressionTree init = var.getInitializer();
      if (init != null && !isNull(init)) {
        kind = kindOf(init, state);
        if (kind == null) {
          continue;
        }
      }
      Type key = keyType(sym.type, state);
      if (key != null && isFiniteKey(key, state)) {
        continue;
      }
      boolean classKeyed =
          key != null
              && CollectionTables.PROGRAM_KEYS.contains(
                  state.getTypes().erasure(key).tsym.getQualifiedName().toString());
      if (singleton == null) {
        singleton = Singletons.isSingleton(clsSym, cls, state.getTypes(), singletonAnnotations);
        singletonWhy = singleton ? singletonWhy(clsSym) : null;
      }
      out.put(
          sym,
          new Candidate(
              sym,
              var,
              kind,
              classKeyed,
              keepsDuplicates(sym.type, init, state),
              privateScope || (sym.flags() & Flags.PRIVATE) != 0,
              singleton,
              singleton && Singletons.servesRequests(clsSym, state.getTypes()),
              singletonWhy));
    }
  }

  private static String singletonWhy(ClassSymbol cls) {
    if (cls.getKind() == ElementKind.ENUM) {
      return "enum " + cls.getSimpleName();
    }
    for (var a : cls.getAnnotationMirrors()) {
      return cls.getSimpleName() + " (@" + a.type.tsym.getSimpleName() + ")";
    }
    return cls.getSimpleName().toString();
  }

  /**
   * A list, queue or deque, or a list multimap (by its declared type or its initializer's): adding
   * the same value twice keeps both.
   */
  private static boolean keepsDuplicates(
      Type type, @Nullable ExpressionTree init, VisitorState state) {
    Types types = state.getTypes();
    Type initType = init == null ? null : ASTHelpers.getType(init);
    for (Type t : new Type[] {type, initType}) {
      if (t == null || t.isPrimitive()) {
        continue;
      }
      for (String name : CollectionTables.DUPLICATE_KEEPING_TYPES) {
        Type d = state.getTypeFromString(name);
        if (d != null && types.isSubtype(types.erasure(t), types.erasure(d))) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean isContainer(Type type, VisitorState state) {
    if (type == null
        || type.getKind() != javax.lang.model.type.TypeKind.DECLARED
        || type.tsym == null) {
      return false;
    }
    // One walk of the supertypes (javac caches it), not a symbol lookup per table entry: every
    // field of every class passes here.
    Types types = state.getTypes();
    for (Type s : types.closure(types.erasure(type))) {
      if (s.tsym != null
          && CollectionTables.CONTAINER_TYPES.contains(s.tsym.getQualifiedName().toString())) {
        return true;
      }
    }
    return false;
  }

  /** A type listed in BoundedCollectionTypes, or a subtype of one. */
  private boolean isBounded(Type type, VisitorState state) {
    if (boundedTypes.isEmpty() || type == null) {
      return false;
    }
    Types types = state.getTypes();
    for (Type t : types.closure(types.erasure(type))) {
      if (boundedTypes.contains(t.tsym.getQualifiedName().toString())) {
        return true;
      }
    }
    return false;
  }

  /** The key type of a map or multimap, the element type of a set; null otherwise. */
  private static @Nullable Type keyType(Type type, VisitorState state) {
    Types types = state.getTypes();
    for (String name :
        new String[] {
          "java.util.Map",
          "com.google.common.collect.Multimap",
          "java.util.Set",
          "com.google.common.collect.Multiset"
        }) {
      Type t = state.getTypeFromString(name);
      if (t == null) {
        continue;
      }
      Type sup = types.asSuper(type, t.tsym);
      if (sup != null && !sup.getTypeArguments().isEmpty()) {
        Type key = sup.getTypeArguments().get(0);
        if (key.getKind() == javax.lang.model.type.TypeKind.WILDCARD) {
          key = types.wildUpperBound(key);
        }
        return key;
      }
    }
    return null;
  }

  /** An enum key or one of {@link CollectionTables#FINITE_KEYS}: a finite key space. */
  private static boolean isFiniteKey(Type key, VisitorState state) {
    Type erased = state.getTypes().erasure(key);
    if (erased.tsym == null) {
      return false;
    }
    return (erased.tsym.flags() & Flags.ENUM) != 0
        || CollectionTables.FINITE_KEYS.contains(erased.tsym.getQualifiedName().toString());
  }

  private static boolean isNull(@Nullable ExpressionTree e) {
    return e != null && strip(e).getKind() == Tree.Kind.NULL_LITERAL;
  }

  private static ExpressionTree strip(ExpressionTree e) {
    while (true) {
      if (e instanceof ParenthesizedTree p) {
        e = p.getExpression();
      } else if (e instanceof TypeCastTree c) {
        e = c.getExpression();
      } else {
        return e;
      }
    }
  }

  /** How bounded the collection {@code e} builds is: null if bounded or unknown. */
  private @Nullable Kind kindOf(ExpressionTree expr, VisitorState state) {
    ExpressionTree e = strip(expr);
    if (isBounded(ASTHelpers.getType(e), state)) {
      return null;
    }
    if (e instanceof NewClassTree nc) {
      Type t = ASTHelpers.getType(nc);
      if (t == null || t.tsym == null) {
        return null;
      }
      ClassSymbol cls = (ClassSymbol) t.tsym;
      if (nc.getClassBody() != null) {
        // An anonymous subclass is unbounded only if it overrides nothing (double-brace set-up).
        for (Tree m : nc.getClassBody().getMembers()) {
          if (!(m instanceof BlockTree)) {
            if (m instanceof MethodTree mt && ASTHelpers.getSymbol(mt).isConstructor()) {
              continue;
            }
            return null;
          }
        }
        cls = (ClassSymbol) cls.getSuperclass().tsym;
      }
      String name = cls.getQualifiedName().toString();
      if (CollectionTables.UNBOUNDED_CLASSES.contains(name)) {
        return Kind.UNBOUNDED;
      }
      if (CollectionTables.CAPACITY_CLASSES.contains(name)) {
        boolean capacity =
            !nc.getArguments().isEmpty()
                && ASTHelpers.getType(nc.getArguments().get(0)) != null
                && ASTHelpers.getType(nc.getArguments().get(0)).isPrimitive();
        return capacity ? null : Kind.UNBOUNDED;
      }
      if (name.equals(CollectionTables.WEAK_HASH_MAP)) {
        return Kind.WEAK;
      }
      return null;
    }
    if (e instanceof MethodInvocationTree call) {
      MethodSymbol m = ASTHelpers.getSymbol(call);
      if (m == null) {
        return null;
      }
      String owner = m.owner.getQualifiedName().toString();
      String key = owner + "#" + m.getSimpleName();
      if (CollectionTables.UNBOUNDED_FACTORIES.contains(key)) {
        return Kind.UNBOUNDED;
      }
      if (CollectionTables.NO_ARG_UNBOUNDED_FACTORIES.contains(key)) {
        return call.getArguments().isEmpty() ? Kind.UNBOUNDED : null;
      }
      if (CollectionTables.WRAPPERS.contains(key) && !call.getArguments().isEmpty()) {
        return kindOf(call.getArguments().get(0), state);
      }
      if (owner.equals(CollectionTables.MAP_MAKER) && m.getSimpleName().contentEquals("makeMap")) {
        return mapMakerKind(call);
      }
    }
    return null;
  }

  /**
   * {@code new MapMaker()….makeMap()}: weak with weakKeys(), unbounded with neither weak option.
   */
  private static @Nullable Kind mapMakerKind(MethodInvocationTree call) {
    boolean weakKeys = false;
    ExpressionTree e = ASTHelpers.getReceiver(call);
    while (e instanceof MethodInvocationTree inner) {
      String name =
          ASTHelpers.getSymbol(inner) == null
              ? ""
              : ASTHelpers.getSymbol(inner).getSimpleName().toString();
      if (name.equals("weakValues") || name.equals("softValues")) {
        return null;
      }
      if (name.equals("weakKeys")) {
        weakKeys = true;
      }
      e = ASTHelpers.getReceiver(inner);
    }
    if (!(e instanceof NewClassTree)) {
      return null; // a MapMaker configured elsewhere
    }
    return weakKeys ? Kind.WEAK : Kind.UNBOUNDED;
  }

  // ------------------------------------------------------------------------------------------
  // Getters

  private static void collectGetters(
      ClassTree cls, Map<VarSymbol, Candidate> candidates, Map<MethodSymbol, VarSymbol> out) {
    for (Tree member : cls.getMembers()) {
      if (member instanceof ClassTree nested) {
        collectGetters(nested, candidates, out);
      } else if (member instanceof MethodTree method
          && method.getParameters().isEmpty()
          && method.getBody() != null
          && method.getBody().getStatements().size() == 1) {
        StatementTree only = method.getBody().getStatements().get(0);
        MethodSymbol sym = ASTHelpers.getSymbol(method);
        if (only instanceof ReturnTree ret
            && ret.getExpression() != null
            && sym != null
            && (sym.flags() & Flags.PRIVATE) != 0
            && ASTHelpers.getSymbol(strip(ret.getExpression())) instanceof VarSymbol v
            && candidates.containsKey(v)) {
          out.put(sym, v);
        }
      }
    }
  }

  // ------------------------------------------------------------------------------------------
  // Message

  private String message(Candidate c, Kind kind, Uses u, Site growth, VisitorState state) {
    String name = c.sym().getSimpleName().toString();
    boolean map = isMap(c.sym().type, state);
    String what =
        (c.sym().isStatic() ? "static " : "")
            + (map ? "map" : "collection")
            + " '"
            + name
            + "'"
            + (c.sym().isStatic() ? "" : " of singleton " + c.singletonWhy());
    String items = map ? "entries" : "elements";
    String site = describe(growth, state);
    StringBuilder sb = new StringBuilder();
    sb.append(what)
        .append(" only grows: ")
        .append(items)
        .append(" are added in ")
        .append(growth.ctx().where())
        .append(" (")
        .append(site)
        .append(") and nothing in this class ever")
        .append(" removes them (no remove, clear, poll or reassignment), so it holds every ")
        .append(map ? "key" : "element")
        .append(" it was ever given for as long as the application runs");
    if (kind == Kind.WEAK) {
      sb.append("; its keys are weak, but weak keys do not bound it: a value that is strongly held")
          .append(" (or refers back to its key) keeps its entry alive");
    }
    if (c.classKeyed()) {
      sb.append(
              "; it is keyed by Class (or a reflective member), so it is bounded by the number of")
          .append(" loaded classes, but it pins every class (and class loader) it has seen");
    }
    if (u.escapeReason != null) {
      sb.append("; note: it is also ")
          .append(u.escapeReason)
          .append(", where code this check cannot see")
          .append(" may remove from it");
    } else if (!c.effectivelyPrivate()) {
      sb.append("; note: it is not private, so code in other classes may remove from it");
    }
    sb.append(". Bound it (Caffeine.newBuilder().maximumSize(…) or expireAfterWrite(…), Guava")
        .append(" CacheBuilder, a LinkedHashMap overriding removeEldestEntry) or remove each ")
        .append(map ? "entry" : "element")
        .append(" when its work is done (in finally, or on the matching")
        .append(" end event)");
    return sb.toString();
  }

  private static boolean isMap(Type type, VisitorState state) {
    Types types = state.getTypes();
    for (String n : new String[] {"java.util.Map", "com.google.common.collect.Multimap"}) {
      Type t = state.getTypeFromString(n);
      if (t != null && types.isSubtype(types.erasure(type), types.erasure(t))) {
        return true;
      }
    }
    return false;
  }

  private static String describe(Site growth, VisitorState state) {
    Tree t = growth.tree();
    String call =
        t instanceof MethodInvocationTree mit
                && mit.getMethodSelect() instanceof MemberSelectTree ms
            ? ms.getIdentifier() + "(…)"
            : state.getSourceForNode(t);
    CompilationUnitTree unit = state.getPath().getCompilationUnit();
    long line = unit.getLineMap().getLineNumber(((JCTree) t).getStartPosition());
    return call + " at line " + line;
  }
}
