package dev.leakprone.collection;

import static dev.leakprone.collection.CollectionTables.ELEMENT_GETTERS;
import static dev.leakprone.collection.CollectionTables.GROW;
import static dev.leakprone.collection.CollectionTables.ITERATORS;
import static dev.leakprone.collection.CollectionTables.MAY_REMOVE_ON_NULL;
import static dev.leakprone.collection.CollectionTables.PUTS_VALUE;
import static dev.leakprone.collection.CollectionTables.READ_ONLY_TAKERS;
import static dev.leakprone.collection.CollectionTables.READ_ONLY_TAKER_NAMES;
import static dev.leakprone.collection.CollectionTables.SEARCHES;
import static dev.leakprone.collection.CollectionTables.SHRINK;
import static dev.leakprone.collection.CollectionTables.VIEWS;
import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableSet;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.InstanceOfTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.SynchronizedTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import dev.leakprone.common.AnyScanner;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.lang.model.element.ElementKind;
import org.jspecify.annotations.Nullable;

/**
 * One pass over a top-level class that records, for each candidate field, where it grows, whether
 * anything shrinks or replaces it, whether it escapes, and what is assigned to it; then decides
 * which growth sites run only while the class is initialized (static initializers, constructors and
 * lifecycle methods of its class, and private methods called only from those).
 */
final class FieldUses extends TreePathScanner<Void, Void> {

  /** When code runs. */
  enum When {
    /** Not called from anywhere seen: unknown, treated as run time. */
    NEVER,
    STATIC_INIT,
    INSTANCE_INIT,
    RUNTIME
  }

  /** The context of a use: a kind, or a private method whose callers decide. */
  record Ctx(When when, @Nullable ClassSymbol cls, @Nullable MethodSymbol method, String where) {}

  /**
   * A growth or assignment site. For growth: {@code inner}, it adds to a collection held in the
   * field ({@code get(k).add(v)}, {@code computeIfAbsent(k, …).add(v)}); {@code requestData}, what
   * it adds is derived from a request-scoped object ({@code PATHS.add(request.getRequestURI())},
   * also through a local variable); {@code searched}, the same method searches the collection first
   * ({@code contains}, {@code indexOf}, a loop over it: a list kept free of duplicates); {@code
   * registration}, the method's name says it registers ({@code registerCleaner(…)}, {@code
   * addConnectionProvider(…)}).
   */
  record Site(
      Tree tree,
      Ctx ctx,
      @Nullable ExpressionTree value,
      boolean inner,
      boolean requestData,
      boolean searched,
      boolean registration) {
    Site(Tree tree, Ctx ctx, @Nullable ExpressionTree value) {
      this(tree, ctx, value, false, false, false, false);
    }
  }

  /** What the pass found about one field. */
  static final class Uses {
    final List<Site> grows = new ArrayList<>();
    final List<Site> assignments = new ArrayList<>();
    @Nullable String shrinkReason;
    @Nullable String escapeReason;

    /** Methods (null: code outside any method) that search the collection. */
    final java.util.Set<@Nullable MethodSymbol> searchedIn = new java.util.HashSet<>();
  }

  private final Map<VarSymbol, Uses> fields;
  private final Map<MethodSymbol, VarSymbol> getters;
  private final Map<Symbol, VarSymbol> aliases = new HashMap<>();
  private final Map<Symbol, VarSymbol> innerAliases = new HashMap<>();
  private final Map<MethodSymbol, List<Ctx>> privateCalls = new HashMap<>();

  /** The contexts of the {@code new} expressions of constructors only this file can call. */
  private final Map<MethodSymbol, List<Ctx>> constructions = new HashMap<>();

  private Ctx ctx = new Ctx(When.RUNTIME, null, null, "");
  private @Nullable ClassSymbol currentClass;
  private @Nullable MethodSymbol currentMethod;

  private final java.util.Set<ClassSymbol> singletons;
  private boolean singletonClass;

  /** Initializers and assignments of the local variables seen so far. */
  private final Map<Symbol, ExpressionTree> locals = new HashMap<>();

  /** The value last given to each local variable, in source order: initializer or assignment. */
  private final Map<Symbol, ExpressionTree> lastValues = new HashMap<>();

  /** Whether an expression builds a collection with no bound (the field rule's constructions). */
  private final java.util.function.Predicate<ExpressionTree> unboundedConstruction;

  /** Whether a tree's type is request-scoped (RequestTypes). */
  private final java.util.function.Predicate<Tree> requestTyped;

  /** Inside a method whose name says it registers something ({@code register…}). */
  private boolean registration;

  /**
   * Whether a method's name says it registers something with the object: {@code register…}, or
   * {@code add} alone or followed by a capitalised noun ({@code addConnectionProvider}, {@code
   * addOnSystemEndedHandler}, {@code addListener}) — an API whose callers decide how often it runs.
   */
  static boolean isRegistrationName(String name) {
    return name.startsWith("register")
        || name.equals("add")
        || (name.length() > 3 && name.startsWith("add") && Character.isUpperCase(name.charAt(3)));
  }

  FieldUses(
      Map<VarSymbol, Uses> fields,
      Map<MethodSymbol, VarSymbol> getters,
      java.util.Set<ClassSymbol> singletons,
      java.util.function.Predicate<Tree> requestTyped,
      java.util.function.Predicate<ExpressionTree> unboundedConstruction) {
    this.fields = fields;
    this.getters = getters;
    this.singletons = singletons;
    this.requestTyped = requestTyped;
    this.unboundedConstruction = unboundedConstruction;
  }

  /**
   * Whether {@code tree} reads a request-scoped object: an expression of a request type in it, or a
   * local variable (two levels deep) whose value came from one.
   */
  private boolean fromRequest(@Nullable Tree tree, int depth) {
    if (tree == null || depth > 2) {
      return false;
    }
    boolean[] found = {false};
    new TreeScanner<Void, Void>() {
      @Override
      public Void scan(Tree t, Void unused) {
        if (found[0] || t == null) {
          return null;
        }
        if ((t instanceof IdentifierTree
                || t instanceof MemberSelectTree
                || t instanceof MethodInvocationTree)
            && requestTyped.test(t)) {
          found[0] = true;
          return null;
        }
        if (t instanceof IdentifierTree id) {
          Symbol sym = ASTHelpers.getSymbol(id);
          ExpressionTree init = sym == null ? null : locals.get(sym);
          if (init != null && fromRequest(init, depth + 1)) {
            found[0] = true;
            return null;
          }
        }
        if (t instanceof LambdaExpressionTree || t instanceof ClassTree) {
          return null;
        }
        return super.scan(t, null);
      }
    }.scan(tree, null);
    return found[0];
  }

  private boolean growsFromRequest(Tree site) {
    if (site instanceof MethodInvocationTree call) {
      for (ExpressionTree arg : call.getArguments()) {
        if (fromRequest(arg, 0)) {
          return true;
        }
      }
    }
    return false;
  }

  // ------------------------------------------------------------------------------------------
  // Contexts

  @Override
  public Void visitClass(ClassTree tree, Void unused) {
    ClassSymbol saved = currentClass;
    boolean savedSingleton = singletonClass;
    Ctx savedCtx = ctx;
    boolean savedRegistration = registration;
    currentClass = ASTHelpers.getSymbol(tree);
    singletonClass = singletons.contains(currentClass);
    registration = false;
    try {
      return super.visitClass(tree, null);
    } finally {
      currentClass = saved;
      singletonClass = savedSingleton;
      ctx = savedCtx;
      registration = savedRegistration;
    }
  }

  @Override
  public Void visitMethod(MethodTree tree, Void unused) {
    MethodSymbol sym = ASTHelpers.getSymbol(tree);
    Ctx savedCtx = ctx;
    MethodSymbol savedMethod = currentMethod;
    boolean savedRegistration = registration;
    currentMethod = sym;
    registration = isRegistrationName(sym.getSimpleName().toString());
    String where =
        sym.isConstructor()
            ? "the constructor of " + requireNonNull(currentClass).getSimpleName() // in its class
            : sym.getSimpleName() + "()";
    boolean named =
        currentClass != null
            && !currentClass.isAnonymous()
            && currentClass.getNestingKind() != javax.lang.model.element.NestingKind.LOCAL;
    if (sym.isConstructor() && named && notPublicOrProtected(sym)) {
      // Only this file can call it: the `new` expressions seen decide whether instances are made
      // at run time (see constructedOnlyAtStaticInit); for the instance's own fields it is set-up.
      ctx = new Ctx(When.INSTANCE_INIT, currentClass, sym, where);
    } else if (sym.isConstructor() || isLifecycleInit(sym)) {
      ctx = new Ctx(When.INSTANCE_INIT, currentClass, null, where);
    } else if (named && isInitByName(sym)) {
      // init()/initialize…(): Servlet and Filter init, guarded lazy set-up (`if (!initialized)
      // init();`).
      ctx =
          new Ctx(
              sym.isStatic() ? When.STATIC_INIT : When.INSTANCE_INIT, currentClass, null, where);
    } else if (named && singletonClass && isPropertySetter(sym)) {
      // A bean property setter of a singleton: the container calls it while configuring the bean.
      ctx = new Ctx(When.INSTANCE_INIT, currentClass, null, where);
    } else if (named && notPublicOrProtected(sym)) {
      // Private or package-private: its callers (as far as this class shows) decide when it runs.
      ctx = new Ctx(When.NEVER, currentClass, sym, where);
    } else {
      ctx = new Ctx(When.RUNTIME, currentClass, null, where);
    }
    try {
      return super.visitMethod(tree, null);
    } finally {
      ctx = savedCtx;
      currentMethod = savedMethod;
      registration = savedRegistration;
    }
  }

  private static boolean notPublicOrProtected(MethodSymbol sym) {
    return (sym.flags() & (Flags.PUBLIC | Flags.PROTECTED)) == 0;
  }

  /** {@code init}, {@code initialize}, {@code initFoo}, {@code initializeFoo}. */
  private static boolean isInitByName(MethodSymbol sym) {
    String n = sym.getSimpleName().toString();
    for (String prefix : new String[] {"initialize", "init"}) {
      if (n.equals(prefix)
          || (n.startsWith(prefix)
              && n.length() > prefix.length()
              && Character.isUpperCase(n.charAt(prefix.length())))) {
        return true;
      }
    }
    return false;
  }

  /** {@code void setFoo(X x)}, an instance method. */
  private static boolean isPropertySetter(MethodSymbol sym) {
    String n = sym.getSimpleName().toString();
    return !sym.isStatic()
        && sym.getParameters().size() == 1
        && n.length() > 3
        && n.startsWith("set")
        && Character.isUpperCase(n.charAt(3));
  }

  private static boolean isLifecycleInit(MethodSymbol sym) {
    if (sym.getParameters().isEmpty()
        && CollectionTables.INIT_METHOD_NAMES.contains(sym.getSimpleName().toString())) {
      return true;
    }
    for (var a : sym.getAnnotationMirrors()) {
      if (CollectionTables.INIT_ANNOTATIONS.containsKey(
          a.type.tsym.getQualifiedName().toString())) {
        return true;
      }
    }
    return false;
  }

  @Override
  public Void visitBlock(BlockTree tree, Void unused) {
    if (!(getCurrentPath().getParentPath().getLeaf() instanceof ClassTree)) {
      return super.visitBlock(tree, null);
    }
    Ctx savedCtx = ctx;
    ctx =
        tree.isStatic()
            ? new Ctx(
                When.STATIC_INIT, currentClass, null, "the static initializer of " + className())
            : new Ctx(When.INSTANCE_INIT, currentClass, null, "an initializer of " + className());
    try {
      return super.visitBlock(tree, null);
    } finally {
      ctx = savedCtx;
    }
  }

  @Override
  public Void visitVariable(VariableTree tree, Void unused) {
    if (!(getCurrentPath().getParentPath().getLeaf() instanceof ClassTree)) {
      VarSymbol local = ASTHelpers.getSymbol(tree);
      if (local != null && tree.getInitializer() != null) {
        locals.put(local, tree.getInitializer());
        lastValues.put(local, tree.getInitializer());
      }
      return super.visitVariable(tree, null);
    }
    Ctx savedCtx = ctx;
    VarSymbol sym = ASTHelpers.getSymbol(tree);
    ctx =
        sym != null && sym.isStatic()
            ? new Ctx(When.STATIC_INIT, currentClass, null, "the initializer of " + tree.getName())
            : new Ctx(
                When.INSTANCE_INIT, currentClass, null, "the initializer of " + tree.getName());
    try {
      return super.visitVariable(tree, null);
    } finally {
      ctx = savedCtx;
    }
  }

  @Override
  public Void visitLambdaExpression(LambdaExpressionTree tree, Void unused) {
    Ctx savedCtx = ctx;
    // A lambda that a stream, an Iterable, a Map or an Optional runs before the call returns
    // (`Arrays.stream(names).forEach(n -> NAMES.add(n))` in a static initializer) runs where the
    // call does; any other lambda may run later, at run time.
    ctx =
        runsAtOnce(getCurrentPath())
            ? new Ctx(ctx.when(), ctx.cls(), ctx.method(), "a lambda in " + ctx.where())
            : new Ctx(When.RUNTIME, currentClass, null, "a lambda in " + ctx.where());
    try {
      return super.visitLambdaExpression(tree, null);
    } finally {
      ctx = savedCtx;
    }
  }

  private static final ImmutableSet<String> RUN_AT_ONCE =
      ImmutableSet.of(
          "forEach",
          "forEachRemaining",
          "ifPresent",
          "ifPresentOrElse",
          "computeIfAbsent",
          "computeIfPresent",
          "compute",
          "merge",
          "replaceAll",
          "removeIf");

  /**
   * Whether the lambda at {@code path} is an argument of a call that runs it before returning: any
   * method of a stream (its terminal operation runs in the same expression), or {@link
   * #RUN_AT_ONCE} of an {@code Iterable}, {@code Iterator}, {@code Map} or {@code Optional}.
   */
  private static boolean runsAtOnce(TreePath path) {
    if (!(path.getParentPath().getLeaf() instanceof MethodInvocationTree call)
        || !call.getArguments().contains(path.getLeaf())) {
      return false;
    }
    Symbol m = ASTHelpers.getSymbol(call);
    if (m == null || m.owner == null) {
      return false;
    }
    if (extendsAny(m.owner, STREAMS, 0)) {
      return true;
    }
    return RUN_AT_ONCE.contains(m.getSimpleName().toString())
        && extendsAny(m.owner, RUNNING_OWNERS, 0);
  }

  private static final ImmutableSet<String> STREAMS =
      ImmutableSet.of("java.util.stream.BaseStream");

  private static final ImmutableSet<String> RUNNING_OWNERS =
      ImmutableSet.of(
          "java.lang.Iterable",
          "java.util.Iterator",
          "java.util.Map",
          "java.util.Optional",
          "java.util.OptionalInt",
          "java.util.OptionalLong",
          "java.util.OptionalDouble");

  /** Whether {@code sym} is, or inherits from, a class or interface named in {@code names}. */
  private static boolean extendsAny(Symbol sym, ImmutableSet<String> names, int depth) {
    if (!(sym instanceof ClassSymbol c) || depth > 16) {
      return false;
    }
    if (names.contains(c.getQualifiedName().toString())) {
      return true;
    }
    if (c.getSuperclass() instanceof Type.ClassType sup && extendsAny(sup.tsym, names, depth + 1)) {
      return true;
    }
    for (Type i : c.getInterfaces()) {
      if (extendsAny(i.tsym, names, depth + 1)) {
        return true;
      }
    }
    return false;
  }

  private String className() {
    return currentClass == null ? "" : currentClass.getSimpleName().toString();
  }

  // ------------------------------------------------------------------------------------------
  // Uses

  @Override
  public Void visitAssignment(AssignmentTree tree, Void unused) {
    super.visitAssignment(tree, null);
    Symbol target = ASTHelpers.getSymbol(tree.getVariable());
    if (target != null && isLocal(target)) {
      lastValues.put(target, tree.getExpression());
    }
    return null;
  }

  @Override
  public Void visitIdentifier(IdentifierTree tree, Void unused) {
    use(ASTHelpers.getSymbol(tree));
    return null;
  }

  @Override
  public Void visitMemberSelect(MemberSelectTree tree, Void unused) {
    use(ASTHelpers.getSymbol(tree));
    return super.visitMemberSelect(tree, null);
  }

  private void use(@Nullable Symbol sym) {
    if (sym == null) {
      return;
    }
    VarSymbol field = sym instanceof VarSymbol v && fields.containsKey(v) ? v : aliases.get(sym);
    if (field != null) {
      classify(getCurrentPath(), field, false);
      return;
    }
    VarSymbol inner = innerAliases.get(sym);
    if (inner != null) {
      classify(getCurrentPath(), inner, true);
    }
  }

  @Override
  public Void visitMethodInvocation(MethodInvocationTree tree, Void unused) {
    MethodSymbol sym = ASTHelpers.getSymbol(tree);
    if (sym != null) {
      VarSymbol field = getters.get(sym);
      if (field != null) {
        classify(getCurrentPath(), field, false);
      }
      if (notPublicOrProtected(sym)) {
        privateCalls.computeIfAbsent(sym, k -> new ArrayList<>()).add(ctx);
      }
    }
    return super.visitMethodInvocation(tree, null);
  }

  @Override
  public Void visitNewClass(NewClassTree tree, Void unused) {
    MethodSymbol ctor = ASTHelpers.getSymbol(tree);
    if (ctor != null && notPublicOrProtected(ctor)) {
      constructions.computeIfAbsent(ctor, k -> new ArrayList<>()).add(ctx);
    }
    return super.visitNewClass(tree, null);
  }

  /**
   * Whether every instance made with {@code ctor} (a constructor only this file can call) is made
   * while classes are initialized: each {@code new} of it, or {@code this(…)} call to it, is in a
   * static initializer (directly, through private methods, or through another such constructor). A
   * static list that each instance adds itself to is then a registry of constants.
   */
  boolean constructedOnlyAtStaticInit(MethodSymbol ctor) {
    return constructedOnlyAtStaticInit(ctor, new java.util.HashSet<>());
  }

  private boolean constructedOnlyAtStaticInit(
      MethodSymbol ctor, java.util.Set<MethodSymbol> visiting) {
    if (!visiting.add(ctor)) {
      return true; // a cycle adds no caller
    }
    List<Ctx> sites = new ArrayList<>(constructions.getOrDefault(ctor, List.of()));
    sites.addAll(privateCalls.getOrDefault(ctor, List.of())); // this(…) from another constructor
    if (sites.isEmpty()) {
      return false;
    }
    for (Ctx site : sites) {
      Ctx c = effective(site);
      boolean ok =
          c.when() == When.STATIC_INIT
              || (c.when() == When.INSTANCE_INIT
                  && c.method() != null
                  && c.method().isConstructor()
                  && constructedOnlyAtStaticInit(c.method(), visiting));
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  @Override
  public Void visitMemberReference(MemberReferenceTree tree, Void unused) {
    Symbol referenced = ASTHelpers.getSymbol(tree);
    if (referenced instanceof MethodSymbol sym && notPublicOrProtected(sym)) {
      privateCalls
          .computeIfAbsent(sym, k -> new ArrayList<>())
          .add(new Ctx(When.RUNTIME, currentClass, null, ctx.where()));
    }
    return super.visitMemberReference(tree, null);
  }

  /** What the expression at {@code path} (the field, an alias or a view) does with the field. */
  private void classify(TreePath path, VarSymbol field, boolean inner) {
    Uses uses = requireNonNull(fields.get(field)); // every field classified is a candidate
    Tree leaf = path.getLeaf();
    TreePath parentPath = path.getParentPath();
    if (parentPath == null) {
      return;
    }
    Tree parent = parentPath.getLeaf();
    if (parent instanceof ParenthesizedTree || parent instanceof TypeCastTree) {
      classify(parentPath, field, inner);
      return;
    }
    if (parent instanceof MemberSelectTree select && leaf.equals(select.getExpression())) {
      TreePath callPath = parentPath.getParentPath();
      if (callPath != null
          && callPath.getLeaf() instanceof MethodInvocationTree call
          && select.equals(call.getMethodSelect())) {
        String name = select.getIdentifier().toString();
        if (GROW.contains(name)) {
          uses.grows.add(
              new Site(
                  call,
                  ctx,
                  null,
                  inner,
                  growsFromRequest(call),
                  uses.searchedIn.contains(currentMethod),
                  registration));
          if (MAY_REMOVE_ON_NULL.contains(name) && mayReturnNull(call)) {
            shrink(uses, name + "(…) with a function that may return null");
          }
          if (!inner && ELEMENT_GETTERS.contains(name)) {
            classify(callPath, field, true);
          }
          if (!inner && PUTS_VALUE.contains(name) && call.getArguments().size() == 2) {
            // `MAP.put(k, list)`: the local now holds a value of the map (get-or-create), unless
            // it was built bounded (an LRU LinkedHashMap overriding removeEldestEntry).
            Symbol value = ASTHelpers.getSymbol(call.getArguments().get(1));
            ExpressionTree built = value == null ? null : lastValues.get(value);
            if (call.getArguments().get(1) instanceof IdentifierTree
                && value != null
                && isLocal(value)
                && (built == null || unboundedConstruction.test(built))) {
              innerAliases.put(value, field);
            }
          }
        } else if (SEARCHES.contains(name)) {
          uses.searchedIn.add(currentMethod);
        } else if (SHRINK.contains(name)) {
          shrink(uses, name + "(…)");
        } else if (ITERATORS.contains(name)) {
          shrink(uses, name + "() (an iterator can remove)");
        } else if (VIEWS.contains(name)) {
          classify(callPath, field, inner);
        } else if (!inner && ELEMENT_GETTERS.contains(name)) {
          classify(callPath, field, true);
        }
      }
      return;
    }
    if (parent instanceof MemberReferenceTree ref && leaf.equals(ref.getQualifierExpression())) {
      String name = ref.getName().toString();
      if (GROW.contains(name)) {
        uses.grows.add(new Site(ref, ctx, null, inner, false, false, registration));
      } else if (SHRINK.contains(name)) {
        shrink(uses, "::" + name);
      }
      return;
    }
    if (parent instanceof AssignmentTree assign && leaf.equals(assign.getVariable())) {
      if (!inner && aliases.get(ASTHelpers.getSymbol(leaf)) == null) {
        uses.assignments.add(new Site(assign, ctx, assign.getExpression()));
      } else if (!inner) {
        aliases.remove(ASTHelpers.getSymbol(leaf));
      } else {
        // A local that held a value of the map is given another one (`list = new ArrayList<>()`):
        // what it grows from here on is not held in the map, until it is put there.
        innerAliases.remove(ASTHelpers.getSymbol(leaf));
      }
      return;
    }
    if (parent instanceof EnhancedForLoopTree) {
      uses.searchedIn.add(currentMethod); // a loop over it, usually to find an equal element
      return;
    }
    if (parent instanceof SynchronizedTree
        || parent instanceof BinaryTree
        || parent instanceof InstanceOfTree) {
      return;
    }
    if (parent instanceof ConditionalExpressionTree cond && !leaf.equals(cond.getCondition())) {
      classify(parentPath, field, inner);
      return;
    }
    if (parent instanceof VariableTree var && leaf.equals(var.getInitializer())) {
      Symbol sym = ASTHelpers.getSymbol(var);
      if (sym != null && isLocal(sym)) {
        (inner ? innerAliases : aliases).put(sym, field);
      } else if (!inner) {
        escape(uses, "stored in " + var.getName());
      }
      return;
    }
    if (parent instanceof AssignmentTree assign && leaf.equals(assign.getExpression())) {
      Symbol target = ASTHelpers.getSymbol(assign.getVariable());
      if (target != null && isLocal(target)) {
        (inner ? innerAliases : aliases).put(target, field);
      } else if (!inner && !Objects.equals(target, field)) {
        escape(uses, "stored in " + (target == null ? "another variable" : target.getSimpleName()));
      }
      return;
    }
    if (inner) {
      // An element escaping does not let anyone shrink the collection itself.
      return;
    }
    if (parent instanceof ReturnTree) {
      if (currentMethod == null
          || !field.equals(getters.get(currentMethod))
          || enclosingLambda(path)) {
        escape(uses, "returned by " + ctx.where());
      }
      return;
    }
    if (parent instanceof MethodInvocationTree call && call.getArguments().contains(leaf)) {
      MethodSymbol callee = ASTHelpers.getSymbol(call);
      if (callee != null
          && (READ_ONLY_TAKER_NAMES.contains(callee.getSimpleName().toString())
              || READ_ONLY_TAKERS.contains(
                  callee.owner.getQualifiedName() + "#" + callee.getSimpleName()))) {
        return;
      }
      escape(uses, "passed to " + (callee == null ? "a method" : callee.getSimpleName() + "(…)"));
      return;
    }
    if (parent instanceof NewClassTree newClass
        && newClass.getArguments().contains(leaf)
        && newClass.getClassBody() == null) {
      Symbol ctor = ASTHelpers.getSymbol(newClass);
      String owner = ctor == null ? "" : ctor.owner.getQualifiedName().toString();
      if (owner.startsWith("java.util.") || owner.startsWith("com.google.common.collect.")) {
        return; // a copy
      }
      escape(uses, "passed to new " + (ctor == null ? "" : ctor.owner.getSimpleName()) + "(…)");
      return;
    }
    escape(uses, "used where the check cannot follow it");
  }

  private static boolean enclosingLambda(TreePath path) {
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      if (p.getLeaf() instanceof LambdaExpressionTree || p.getLeaf() instanceof ClassTree) {
        return p.getLeaf() instanceof LambdaExpressionTree;
      }
      if (p.getLeaf() instanceof MethodTree) {
        return false;
      }
    }
    return false;
  }

  private static boolean isLocal(Symbol sym) {
    ElementKind kind = sym.getKind();
    return kind == ElementKind.LOCAL_VARIABLE || kind == ElementKind.RESOURCE_VARIABLE;
  }

  /** A lambda that mentions {@code null}, or a function the check cannot see into. */
  private static boolean mayReturnNull(MethodInvocationTree call) {
    if (call.getArguments().isEmpty()) {
      return false;
    }
    ExpressionTree fn = call.getArguments().get(call.getArguments().size() - 1);
    if (fn instanceof MemberReferenceTree) {
      return false;
    }
    if (fn instanceof LambdaExpressionTree lambda) {
      return NULL_LITERAL.anyIn(lambda.getBody());
    }
    return true;
  }

  private static final AnyScanner NULL_LITERAL =
      new AnyScanner() {
        @Override
        public Boolean visitLiteral(LiteralTree tree, Void unused) {
          return tree.getKind() == Tree.Kind.NULL_LITERAL;
        }
      };

  private static void shrink(Uses uses, String reason) {
    if (uses.shrinkReason == null) {
      uses.shrinkReason = reason;
    }
  }

  private static void escape(Uses uses, String reason) {
    if (uses.escapeReason == null) {
      uses.escapeReason = reason;
    }
  }

  // ------------------------------------------------------------------------------------------
  // After the pass: when each private method runs.

  private final Map<MethodSymbol, Ctx> resolved = new HashMap<>();

  /** Resolves the private methods' contexts from their callers (to a fixpoint). */
  void resolve() {
    boolean changed = true;
    for (int round = 0; changed && round < 50; round++) {
      changed = false;
      for (Map.Entry<MethodSymbol, List<Ctx>> e : privateCalls.entrySet()) {
        Ctx joined = null;
        for (Ctx caller : e.getValue()) {
          Ctx c = effective(caller);
          if (c.when() == When.NEVER) {
            continue; // a caller whose own callers are not known yet
          }
          joined = joined == null ? c : join(joined, c);
        }
        if (joined != null && !joined.equals(resolved.get(e.getKey()))) {
          resolved.put(e.getKey(), joined);
          changed = true;
        }
      }
    }
  }

  /** The context a site runs in, once private methods are resolved. */
  Ctx effective(Ctx c) {
    if (c.method() == null || c.when() == When.INSTANCE_INIT) {
      return c; // set-up code, or a constructor whose `new` sites constructedOnlyAtStaticInit reads
    }
    Ctx r = resolved.get(c.method());
    return r == null
        ? new Ctx(When.NEVER, c.cls(), c.method(), c.where())
        : new Ctx(r.when(), r.cls(), c.method(), c.where());
  }

  private static Ctx join(Ctx a, Ctx b) {
    if (a.when() == When.STATIC_INIT && b.when() == When.STATIC_INIT) {
      return a;
    }
    if (a.when() == When.RUNTIME) {
      return a;
    }
    if (b.when() == When.RUNTIME) {
      return b;
    }
    if (a.when() == When.STATIC_INIT) {
      return b;
    }
    if (b.when() == When.STATIC_INIT) {
      return a;
    }
    return Objects.equals(a.cls(), b.cls()) ? a : new Ctx(When.RUNTIME, null, null, a.where());
  }
}
