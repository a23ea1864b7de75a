package dev.leakprone.threadlocal;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;

import com.google.auto.service.AutoService;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.errorprone.BugPattern;
import com.google.errorprone.ErrorProneFlags;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.MethodInvocationTreeMatcher;
import com.google.errorprone.fixes.SuggestedFix;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.suppliers.Supplier;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.CaseTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import dev.leakprone.common.Docs;
import dev.leakprone.common.ObligationChecker;
import dev.leakprone.config.LeakProneConfig;
import dev.leakprone.config.LeakProneConfig.CleanupPair;
import dev.leakprone.engine.Leak;
import dev.leakprone.report.Findings;
import dev.leakprone.threadlocal.ThreadLocalSpec.ClearKey;
import dev.leakprone.threadlocal.ThreadLocalSpec.Family;
import dev.leakprone.threadlocal.ThreadLocalSpec.Op;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.inject.Inject;
import javax.lang.model.element.ElementKind;
import org.jspecify.annotations.Nullable;

/**
 * A value bound to the current thread ({@code ThreadLocal.set}, {@code MDC.put}, Spring's holders)
 * that the method does not remove on every path: pooled threads keep it and hand it to the next
 * task they run.
 */
@AutoService(BugChecker.class)
@BugPattern(
    summary =
        "Remove this thread-local binding in finally: pooled threads pass it to the next task",
    severity = WARNING,
    tags = BugPattern.StandardTags.LIKELY_ERROR,
    linkType = CUSTOM,
    link = Docs.BASE + "ThreadLocalNotRemoved.md")
public final class ThreadLocalNotRemoved extends ObligationChecker
    implements MethodInvocationTreeMatcher {
  private static final long serialVersionUID = 1L;

  private static final Supplier<@Nullable Type> THREAD =
      VisitorState.memoize(s -> s.getTypeFromString("java.lang.Thread"));
  private static final Supplier<@Nullable Type> THREAD_BUILDER =
      VisitorState.memoize(s -> s.getTypeFromString("java.lang.Thread.Builder"));

  /** Lifecycle pairs whose framework guarantees that the second method runs after the first. */
  private static final ImmutableList<CleanupPair> BUILT_IN_PAIRS =
      ImmutableList.of(
          new CleanupPair(
              "org.springframework.web.servlet.HandlerInterceptor", "preHandle", "afterCompletion"),
          new CleanupPair(
              "org.springframework.web.context.request.WebRequestInterceptor",
              "preHandle",
              "afterCompletion"),
          new CleanupPair(
              "java.util.concurrent.ThreadPoolExecutor", "beforeExecute", "afterExecute"),
          new CleanupPair(
              "jakarta.servlet.ServletRequestListener", "requestInitialized", "requestDestroyed"),
          new CleanupPair(
              "javax.servlet.ServletRequestListener", "requestInitialized", "requestDestroyed"),
          new CleanupPair(
              "org.junit.jupiter.api.extension.BeforeEachCallback", "beforeEach", "afterEach"),
          new CleanupPair(
              "org.junit.jupiter.api.extension.BeforeAllCallback", "beforeAll", "afterAll"),
          new CleanupPair(null, "org.junit.Before", "org.junit.After"),
          new CleanupPair(null, "org.junit.BeforeClass", "org.junit.AfterClass"),
          new CleanupPair(
              null, "org.junit.jupiter.api.BeforeEach", "org.junit.jupiter.api.AfterEach"),
          new CleanupPair(
              null, "org.junit.jupiter.api.BeforeAll", "org.junit.jupiter.api.AfterAll"),
          new CleanupPair(
              null, "org.testng.annotations.BeforeMethod", "org.testng.annotations.AfterMethod"));

  private final ThreadLocalSpec spec;
  private final ImmutableList<CleanupPair> pairs;

  /** For {@link java.util.ServiceLoader}, which needs a public no-argument constructor. */
  public ThreadLocalNotRemoved() {
    this(ErrorProneFlags.empty());
  }

  /** Used by Error Prone, which passes the {@code -XepOpt} flags. */
  @Inject
  public ThreadLocalNotRemoved(ErrorProneFlags flags) {
    super(flags);
    LeakProneConfig config = config();
    this.spec = new ThreadLocalSpec(config);
    this.pairs =
        ImmutableList.<CleanupPair>builder()
            .addAll(BUILT_IN_PAIRS)
            .addAll(config.threadLocalCleanupPairs())
            .build();
  }

  @Override
  protected ThreadLocalSpec spec() {
    return spec;
  }

  // ---------------------------------------------------------------------------------------------
  // tl.set(null) used as the cleanup.

  @Override
  public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
    if (flagsRejected(state)) {
      return Description.NO_MATCH;
    }
    try {
      if (tree.getArguments().size() != 1
          || ThreadLocalSpec.strip(tree.getArguments().get(0)).getKind()
              != Tree.Kind.NULL_LITERAL) {
        return Description.NO_MATCH;
      }
      ThreadLocalSpec.Entry e = spec.entry(tree, state);
      if (e == null || e.family() != Family.THREAD_LOCAL || e.op() != Op.BIND) {
        return Description.NO_MATCH;
      }
      ExpressionTree receiver = ASTHelpers.getReceiver(tree);
      if (!hasInitialValue(receiver, state)) {
        // A plain ThreadLocal set to null pins nothing: its entry has a weak key and a null value
        // (Tomcat's leak detector calls it "correctly set to null"), and get() reads null as it
        // would after remove(). Held-out triage: three false alarms of this kind (issue #13).
        return Description.NO_MATCH;
      }
      String name = receiver == null ? "this" : state.getSourceForNode(receiver);
      String remove = receiver == null ? "remove()" : name + ".remove()";
      Description.Builder d =
          buildDescription(tree)
              .setMessage(
                  name
                      + ".set(null) does not reset the thread-local: it has an initial value, so the next task on"
                      + " this pooled thread reads null instead of a fresh initial value, and the thread's map keeps"
                      + " the entry; call "
                      + remove
                      + " instead");
      if (receiver == null || sideEffectFree(receiver)) {
        d.addFix(SuggestedFix.replace(tree, remove));
      }
      Findings.report(this, state, d.build(), name);
    } catch (RuntimeException e) {
      // An unusual tree: no finding rather than a broken build.
    }
    return Description.NO_MATCH;
  }

  /**
   * Whether the thread-local {@code receiver} has an initial value: its type (a subclass of
   * ThreadLocal) overrides {@code initialValue()}, or it is a field of this file initialized with
   * {@code ThreadLocal.withInitial(…)} or an anonymous subclass that overrides it.
   */
  private static boolean hasInitialValue(@Nullable ExpressionTree receiver, VisitorState state) {
    Type type = receiver == null ? null : ASTHelpers.getType(receiver);
    for (Type t = type;
        t != null
            && t.tsym instanceof ClassSymbol c
            && !c.getQualifiedName().contentEquals("java.lang.ThreadLocal");
        t = c.getSuperclass()) {
      for (Symbol member : ASTHelpers.getEnclosedElements(c)) {
        if (member instanceof MethodSymbol m
            && m.getSimpleName().contentEquals("initialValue")
            && m.getParameters().isEmpty()) {
          return true;
        }
      }
    }
    Symbol sym = receiver == null ? null : ASTHelpers.getSymbol(receiver);
    if (!(sym instanceof VarSymbol field)
        || field.getKind() != ElementKind.FIELD
        || state.getPath() == null) {
      return false;
    }
    boolean[] found = {false};
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitVariable(VariableTree var, Void unused) {
        if (field.equals(ASTHelpers.getSymbol(var)) && var.getInitializer() != null) {
          ExpressionTree init = ThreadLocalSpec.strip(var.getInitializer());
          MethodSymbol m =
              init instanceof MethodInvocationTree mi ? ASTHelpers.getSymbol(mi) : null;
          if (m != null && m.getSimpleName().contentEquals("withInitial")) {
            found[0] = true;
          } else if (init instanceof NewClassTree nc && nc.getClassBody() != null) {
            for (Tree member : nc.getClassBody().getMembers()) {
              if (member instanceof MethodTree mt
                  && mt.getName().contentEquals("initialValue")
                  && mt.getParameters().isEmpty()) {
                found[0] = true;
              }
            }
          }
          return null;
        }
        return super.visitVariable(var, null);
      }
    }.scan(state.getPath().getCompilationUnit(), null);
    return found[0];
  }

  // ---------------------------------------------------------------------------------------------
  // Bindings not removed.

  @Override
  protected void report(Leak leak, VisitorState state) {
    if (!(leak.site() instanceof MethodInvocationTree call)) {
      return;
    }
    ThreadLocalSpec.Entry e = spec.entry(call, state);
    ThreadLocalSpec.Key key = e == null ? null : spec.key(call, e, state);
    if (e == null || key == null || runsOnOwnThread(state)) {
      return;
    }
    TreePath sitePath = TreePath.getPath(state.getPath(), call);
    if (sitePath == null) {
      return;
    }
    String pairNote = "";
    Tree leaf = state.getPath().getLeaf();
    ClassTree owner = ASTHelpers.findEnclosingNode(state.getPath(), ClassTree.class);
    List<MethodTree> teardowns =
        leaf instanceof MethodTree m && owner != null ? teardowns(m, owner, state) : null;
    if (teardowns != null) {
      for (MethodTree teardown : teardowns) {
        if (removes(teardown, key, owner, state, 0)) {
          return; // the framework calls the paired method, which removes it
        }
      }
      pairNote =
          teardowns.isEmpty()
              ? " (this is the first method of a lifecycle pair, but the class does not declare its cleanup method)"
              : " (this is the first method of a lifecycle pair, and "
                  + teardowns.get(0).getName()
                  + " does not remove it)";
    } else if (leaf instanceof MethodTree m
        && owner != null
        && pairedByName(m, owner, key, state)) {
      // enterScope()/exitScope(), begin…/end…: the class's own scope API; its callers pair them.
      return;
    } else if (leaf instanceof MethodTree m && isSetter(m, call)) {
      // setCurrent(x): the class's binding API; its caller binds and must remove.
      return;
    } else if (owner != null && cleanupRegistered(key, owner, state)) {
      return; // a per-thread cache whose cleanup the class registered with a cleaner
    } else if (!workFollows(sitePath, state)) {
      // Nothing runs after the binding in this method: it is a binding method (or a per-thread
      // cache filled and returned), whose caller owns the binding.
      return;
    }
    String subject = subject(call, e, state);
    String remover = remover(call, e, key, state, false);
    String where =
        switch (leak.kind()) {
          case NEVER -> "is never removed";
          case SOME_PATHS -> "is not removed on every path";
          case ON_EXCEPTION ->
              "is not removed if an exception is thrown"
                  + (leak.exceptionLine() > 0 ? " at line " + leak.exceptionLine() : "");
          case OVERWRITTEN_IN_LOOP -> "is never removed";
        };
    String message =
        subject
            + " is bound to the current thread here and "
            + where
            + pairNote
            + ": pooled threads (servlet containers, executors) keep the value and pass it to the next task they"
            + " run; remove it in finally: "
            + bindText(call, state)
            + "; try { … } finally { "
            + remover
            + "; }";
    Description.Builder d = buildDescription(call).setMessage(message);
    if (teardowns == null) {
      wrapInTryFinally(sitePath, call, e, key, state).ifPresent(d::addFix);
    }
    Findings.report(this, state, d.build(), subjectName(call, e, state));
  }

  /** The body is a task of a thread that it creates, or the run() of a thread, or main(). */
  private static boolean runsOnOwnThread(VisitorState state) {
    TreePath path = state.getPath();
    Tree leaf = path.getLeaf();
    if (leaf instanceof MethodTree m) {
      MethodSymbol sym = ASTHelpers.getSymbol(m);
      if (sym == null) {
        return false;
      }
      if (sym.isStatic() && m.getName().contentEquals("main") && m.getParameters().size() == 1) {
        return true;
      }
      if (path.getParentPath() != null
          && path.getParentPath().getLeaf() instanceof ClassTree owner
          && calledOnlyFromRun(owner, sym, state, new HashSet<>())) {
        return true;
      }
      if (!m.getName().contentEquals("run") || !m.getParameters().isEmpty()) {
        return false;
      }
      Symbol cls = sym.owner;
      if (isThread(cls.type, state)) {
        return true;
      }
      // new Thread(new Runnable() { public void run() { … } })
      TreePath classPath = path.getParentPath();
      TreePath creation = classPath == null ? null : classPath.getParentPath();
      return creation != null
          && creation.getLeaf() instanceof NewClassTree nc
          && classPath.getLeaf().equals(nc.getClassBody())
          && startsThread(creation.getParentPath(), nc, state);
    }
    if (leaf instanceof LambdaExpressionTree) {
      return startsThread(path.getParentPath(), leaf, state);
    }
    return false;
  }

  /**
   * Whether {@code method} is a private method of a {@code Thread} subclass that is called only
   * from that thread's own {@code run()}, directly or through other such methods: it runs on the
   * thread the class starts, which ends with its values (ZooKeeper's {@code
   * SendThread.startConnect}). A call from a lambda, a nested class or a constructor (which runs on
   * the creating thread) does not count, nor does a method reference.
   */
  private static boolean calledOnlyFromRun(
      ClassTree owner, MethodSymbol method, VisitorState state, Set<MethodSymbol> visiting) {
    if ((method.flags() & Flags.PRIVATE) == 0
        || method.isStatic()
        || method.isConstructor()
        || !method.owner.equals(ASTHelpers.getSymbol(owner))
        || !isThread(method.owner.type, state)
        || !visiting.add(method)
        || visiting.size() > 8) {
      return false;
    }
    List<MethodSymbol> callers = new ArrayList<>();
    boolean[] elsewhere = {false};
    new TreeScanner<Void, @Nullable MethodSymbol>() {
      @Override
      public @Nullable Void visitMethod(MethodTree tree, @Nullable MethodSymbol unused) {
        return super.visitMethod(tree, ASTHelpers.getSymbol(tree));
      }

      @Override
      public @Nullable Void visitClass(ClassTree tree, @Nullable MethodSymbol enclosing) {
        return super.visitClass(tree, tree.equals(owner) ? enclosing : null);
      }

      @Override
      public @Nullable Void visitLambdaExpression(
          LambdaExpressionTree tree, @Nullable MethodSymbol enclosing) {
        return super.visitLambdaExpression(tree, null);
      }

      @Override
      public @Nullable Void visitMemberReference(
          MemberReferenceTree tree, @Nullable MethodSymbol enclosing) {
        if (method.equals(ASTHelpers.getSymbol(tree))) {
          elsewhere[0] = true;
        }
        return super.visitMemberReference(tree, enclosing);
      }

      @Override
      public @Nullable Void visitMethodInvocation(
          MethodInvocationTree tree, @Nullable MethodSymbol enclosing) {
        if (method.equals(ASTHelpers.getSymbol(tree))) {
          if (enclosing == null) {
            elsewhere[0] = true;
          } else {
            callers.add(enclosing);
          }
        }
        return super.visitMethodInvocation(tree, enclosing);
      }
    }.scan(owner, null);
    if (elsewhere[0] || callers.isEmpty()) {
      return false;
    }
    for (MethodSymbol caller : callers) {
      boolean run =
          caller.getSimpleName().contentEquals("run")
              && caller.getParameters().isEmpty()
              && !caller.isStatic()
              && caller.owner.equals(method.owner);
      if (!run && !calledOnlyFromRun(owner, caller, state, visiting)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code task} is an argument of {@code new Thread(…)} or a Thread.Builder's
   * start/unstarted.
   */
  private static boolean startsThread(
      @Nullable TreePath parentPath, Tree task, VisitorState state) {
    TreePath p = parentPath;
    while (p != null
        && (p.getLeaf() instanceof ParenthesizedTree || p.getLeaf() instanceof TypeCastTree)) {
      p = p.getParentPath();
    }
    if (p == null) {
      return false;
    }
    if (p.getLeaf() instanceof NewClassTree nc) {
      return nc.getArguments().stream().anyMatch(a -> task.equals(ThreadLocalSpec.strip(a)))
          && isThread(ASTHelpers.getType(nc), state);
    }
    if (p.getLeaf() instanceof MethodInvocationTree mi
        && mi.getArguments().stream().anyMatch(a -> task.equals(ThreadLocalSpec.strip(a)))) {
      Symbol sym = ASTHelpers.getSymbol(mi);
      if (sym == null) {
        return false;
      }
      String name = sym.getSimpleName().toString();
      Type builder = THREAD_BUILDER.get(state);
      boolean onBuilder =
          builder != null
              && state
                  .getTypes()
                  .isSubtype(
                      state.getTypes().erasure(sym.owner.type), state.getTypes().erasure(builder));
      return (onBuilder && (name.equals("start") || name.equals("unstarted")))
          || (isThread(sym.owner.type, state) && name.equals("startVirtualThread"));
    }
    return false;
  }

  private static boolean isThread(@Nullable Type type, VisitorState state) {
    Type thread = THREAD.get(state);
    return type != null
        && thread != null
        && state.getTypes().isSubtype(state.getTypes().erasure(type), thread);
  }

  // ---------------------------------------------------------------------------------------------
  // Lifecycle pairs.

  /**
   * The cleanup methods paired with {@code method} in {@code owner}, or null if {@code method} is
   * not the first method of a lifecycle pair.
   */
  private @Nullable List<MethodTree> teardowns(
      MethodTree method, ClassTree owner, VisitorState state) {
    MethodSymbol sym = ASTHelpers.getSymbol(method);
    Symbol cls = ASTHelpers.getSymbol(owner);
    if (sym == null || cls == null) {
      return null;
    }
    List<MethodTree> found = null;
    for (CleanupPair pair : pairs) {
      boolean first;
      if (pair.owner() == null) {
        first = ASTHelpers.hasAnnotation(sym, pair.first(), state);
      } else {
        Type type = state.getTypeFromString(pair.owner());
        first =
            type != null
                && method.getName().contentEquals(pair.first())
                && state
                    .getTypes()
                    .isSubtype(state.getTypes().erasure(cls.type), state.getTypes().erasure(type));
      }
      if (!first) {
        continue;
      }
      if (found == null) {
        found = new java.util.ArrayList<>();
      }
      for (Tree member : owner.getMembers()) {
        if (member instanceof MethodTree m && !m.equals(method)) {
          MethodSymbol ms = ASTHelpers.getSymbol(m);
          boolean second =
              pair.owner() == null
                  ? ms != null && ASTHelpers.hasAnnotation(ms, pair.second(), state)
                  : m.getName().contentEquals(pair.second());
          if (second) {
            found.add(m);
          }
        }
      }
    }
    return found;
  }

  /** Verbs that open a scope, each with the verbs of the methods that end it. */
  private static final ImmutableMap<String, ImmutableList<String>> SCOPE_VERBS =
      ImmutableMap.<String, ImmutableList<String>>builder()
          .put("enter", ImmutableList.of("exit", "leave"))
          .put("begin", ImmutableList.of("end", "finish", "complete"))
          .put("push", ImmutableList.of("pop"))
          .put("attach", ImmutableList.of("detach"))
          .put("bind", ImmutableList.of("unbind"))
          .put("open", ImmutableList.of("close"))
          .put("start", ImmutableList.of("stop", "end", "finish"))
          .put("activate", ImmutableList.of("deactivate"))
          .put("install", ImmutableList.of("uninstall"))
          .put("acquire", ImmutableList.of("release"))
          .put("set", ImmutableList.of("clear", "reset", "remove", "unset", "restore"))
          .buildOrThrow();

  /**
   * Whether {@code method} is one half of a scope API of its class: its name is a verb of {@link
   * #SCOPE_VERBS} and a rest ({@code enterScope}), and the class declares the other half ({@code
   * exitScope}, {@code leaveScope}; or, for a closing half that restores the previous value, the
   * opening one) that removes, clears or sets the same key (held-out jetty
   * ContextHandler.enterScope, issue #13). Its callers pair the two, as they pair {@code
   * Context.attach()} and {@code detach()}.
   */
  private boolean pairedByName(
      MethodTree method, ClassTree owner, ThreadLocalSpec.Key key, VisitorState state) {
    String name = method.getName().toString();
    for (var verbs : SCOPE_VERBS.entrySet()) {
      // This method opens (enterScope, look for exitScope) or closes (exitScope restoring the
      // previous value, look for enterScope).
      String rest = rest(name, verbs.getKey());
      List<String> counterparts = verbs.getValue();
      if (rest == null) {
        for (String close : verbs.getValue()) {
          rest = rest(name, close);
          if (rest != null) {
            counterparts = List.of(verbs.getKey());
            break;
          }
        }
      }
      if (rest == null) {
        continue;
      }
      String suffix = rest;
      List<String> names = counterparts;
      for (Tree member : owner.getMembers()) {
        if (member instanceof MethodTree other
            && !other.equals(method)
            && other.getBody() != null
            && names.stream().anyMatch(verb -> other.getName().contentEquals(verb + suffix))
            && rebindsOrRemoves(other, key, state)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * {@code "Scope"} for {@code enterScope} and verb {@code enter}, {@code ""} for {@code enter}.
   */
  private static @Nullable String rest(String name, String verb) {
    if (!name.startsWith(verb)
        || (name.length() > verb.length() && !Character.isUpperCase(name.charAt(verb.length())))) {
      return null;
    }
    return name.substring(verb.length());
  }

  /**
   * Whether {@code method} removes, clears or binds {@code key} (a restore) anywhere in its body.
   */
  private boolean rebindsOrRemoves(MethodTree method, ThreadLocalSpec.Key key, VisitorState state) {
    boolean[] found = {false};
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitMethodInvocation(MethodInvocationTree tree, Void unused) {
        ThreadLocalSpec.Entry e = found[0] ? null : spec.entry(tree, state);
        if (e != null && e.op() == Op.CLEAR) {
          found[0] = spec.releasesKey(new ClearKey(e.clears(), null, null), key);
        } else if (e != null && (e.op() == Op.REMOVE || e.op() == Op.BIND)) {
          found[0] = key.equals(spec.key(tree, e, state));
        }
        return super.visitMethodInvocation(tree, null);
      }
    }.scan(method.getBody(), null);
    return found[0];
  }

  /**
   * Whether {@code method} removes {@code key}, itself or through a method of {@code owner} it
   * calls (one level).
   */
  private boolean removes(
      MethodTree method, ThreadLocalSpec.Key key, ClassTree owner, VisitorState state, int depth) {
    return method.getBody() != null && removesIn(method.getBody(), key, owner, state, depth);
  }

  /** Whether {@code body} removes {@code key}, itself or through a method of {@code owner}. */
  private boolean removesIn(
      Tree body, ThreadLocalSpec.Key key, ClassTree owner, VisitorState state, int depth) {
    boolean[] found = {false};
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitMethodInvocation(MethodInvocationTree tree, Void unused) {
        if (found[0]) {
          return null;
        }
        ThreadLocalSpec.Entry e = spec.entry(tree, state);
        if (e != null) {
          if (e.op() == Op.CLEAR) {
            found[0] = spec.releasesKey(new ClearKey(e.clears(), null, null), key);
          } else if (e.op() == Op.REMOVE
              || (e.op() == Op.BIND
                  && !tree.getArguments().isEmpty()
                  && ThreadLocalSpec.strip(tree.getArguments().get(tree.getArguments().size() - 1))
                          .getKind()
                      == Tree.Kind.NULL_LITERAL)) {
            found[0] = key.equals(spec.key(tree, e, state));
          }
        } else if (depth == 0) {
          Symbol callee = ASTHelpers.getSymbol(tree);
          for (Tree member : owner.getMembers()) {
            if (member instanceof MethodTree m
                && callee != null
                && callee.equals(ASTHelpers.getSymbol(m))
                && removes(m, key, owner, state, depth + 1)) {
              found[0] = true;
            }
          }
        }
        return super.visitMethodInvocation(tree, null);
      }
    }.scan(body, null);
    return found[0];
  }

  /**
   * Whether the class hands the cleanup of {@code key} to a registry: a lambda or a reference to
   * one of its methods, passed to a call, removes it (POI's {@code
   * ThreadLocalUtil.registerCleaner(() -> CACHE.remove())}, run by whoever owns the threads). The
   * thread-local is then a per-thread cache with a cleanup protocol, not a per-task binding.
   */
  private boolean cleanupRegistered(ThreadLocalSpec.Key key, ClassTree owner, VisitorState state) {
    boolean[] found = {false};
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitMethodInvocation(MethodInvocationTree tree, Void unused) {
        check(tree.getArguments());
        return found[0] ? null : super.visitMethodInvocation(tree, null);
      }

      @Override
      public Void visitNewClass(NewClassTree tree, Void unused) {
        check(tree.getArguments());
        return found[0] ? null : super.visitNewClass(tree, null);
      }

      private void check(List<? extends ExpressionTree> arguments) {
        for (ExpressionTree a : arguments) {
          ExpressionTree arg = ThreadLocalSpec.strip(a);
          if (arg instanceof LambdaExpressionTree lambda) {
            found[0] |= removesIn(lambda.getBody(), key, owner, state, 0);
          } else if (arg instanceof MemberReferenceTree reference) {
            Symbol target = ASTHelpers.getSymbol(reference);
            for (Tree member : owner.getMembers()) {
              found[0] |=
                  member instanceof MethodTree m
                      && target != null
                      && target.equals(ASTHelpers.getSymbol(m))
                      && removes(m, key, owner, state, 0);
            }
          }
        }
      }
    }.scan(owner, null);
    return found[0];
  }

  /**
   * Whether {@code method} is a setter ({@code set}, {@code setX}) that binds a value made from its
   * own parameters: the class's binding API (a thread-local wrapper's {@code set(T)}), whose caller
   * owns the binding and its removal.
   */
  private static boolean isSetter(MethodTree method, MethodInvocationTree call) {
    String name = method.getName().toString();
    boolean setterName =
        name.equals("set")
            || (name.length() > 3
                && name.startsWith("set")
                && Character.isUpperCase(name.charAt(3))
                && !name.equals("setUp"));
    if (!setterName || method.getParameters().isEmpty() || call.getArguments().isEmpty()) {
      return false;
    }
    java.util.Set<Symbol> params = new java.util.HashSet<>();
    method.getParameters().forEach(p -> params.add(ASTHelpers.getSymbol(p)));
    boolean[] found = {false};
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitIdentifier(IdentifierTree tree, Void unused) {
        found[0] |= params.contains(ASTHelpers.getSymbol(tree));
        return null;
      }
    }.scan(call.getArguments().get(call.getArguments().size() - 1), null);
    return found[0];
  }

  // ---------------------------------------------------------------------------------------------
  // Does anything run after the binding?

  private boolean workFollows(TreePath sitePath, VisitorState state) {
    TreePath p = sitePath;
    while (p != null && !(p.getLeaf() instanceof StatementTree)) {
      if (p.getLeaf() instanceof LambdaExpressionTree) {
        return false; // an expression lambda that only binds
      }
      p = p.getParentPath();
    }
    for (; p != null && p.getParentPath() != null; p = p.getParentPath()) {
      Tree node = p.getLeaf();
      Tree parent = p.getParentPath().getLeaf();
      if (parent instanceof MethodTree
          || parent instanceof LambdaExpressionTree
          || parent instanceof ClassTree) {
        return false;
      }
      List<? extends StatementTree> following = null;
      if (parent instanceof BlockTree b) {
        following = b.getStatements();
      } else if (parent instanceof CaseTree c && c.getStatements() != null) {
        following = c.getStatements();
      }
      if (following != null) {
        int index = following.indexOf(node);
        for (int i = index + 1; i < following.size(); i++) {
          if (hasWork(following.get(i), state)) {
            return true;
          }
        }
      } else if (parent instanceof WhileLoopTree
          || parent instanceof DoWhileLoopTree
          || parent instanceof ForLoopTree
          || parent instanceof EnhancedForLoopTree) {
        if (hasWork(parent, state)) {
          return true;
        }
      } else if (parent instanceof TryTree t
          && node.equals(t.getBlock())
          && t.getFinallyBlock() != null) {
        if (hasWork(t.getFinallyBlock(), state)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * A call other than a thread-local binding, removal or read, outside nested lambdas and classes.
   */
  private boolean hasWork(Tree tree, VisitorState state) {
    boolean[] found = {false};
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitMethodInvocation(MethodInvocationTree t, Void unused) {
        if (spec.entry(t, state) == null) {
          found[0] = true;
          return null;
        }
        return super.visitMethodInvocation(t, null);
      }

      @Override
      public Void visitNewClass(NewClassTree t, Void unused) {
        found[0] |= t.getClassBody() == null;
        return found[0] ? null : super.visitNewClass(t, null);
      }

      @Override
      public Void visitLambdaExpression(LambdaExpressionTree t, Void unused) {
        return null;
      }

      @Override
      public Void visitClass(ClassTree t, Void unused) {
        return null;
      }
    }.scan(tree, null);
    return found[0];
  }

  // ---------------------------------------------------------------------------------------------
  // Messages.

  private static String subject(
      MethodInvocationTree call, ThreadLocalSpec.Entry e, VisitorState state) {
    ExpressionTree receiver = ASTHelpers.getReceiver(call);
    String method = ThreadLocalSpec.symbolName(call);
    return switch (e.family()) {
      case THREAD_LOCAL -> {
        if (receiver == null) {
          yield "this ThreadLocal";
        }
        Symbol sym = ASTHelpers.getSymbol(receiver);
        String kind =
            sym instanceof VarSymbol v
                ? (v.getKind() == ElementKind.FIELD
                    ? (v.isStatic() ? "static field " : "field ")
                    : "variable ")
                : "";
        yield "ThreadLocal "
            + kind
            + state.getSourceForNode(receiver)
            + " ("
            + prettyType(ASTHelpers.getType(receiver))
            + ")";
      }
      case MDC -> "MDC key " + state.getSourceForNode(call.getArguments().get(0));
      case MDC_MAP -> "the MDC context map set by MDC.setContextMap(…)";
      case THREAD_CONTEXT ->
          "ThreadContext key " + state.getSourceForNode(call.getArguments().get(0));
      case THREAD_CONTEXT_MAP -> "the ThreadContext entries put by ThreadContext.putAll(…)";
      case THREAD_CONTEXT_STACK -> "the ThreadContext stack entry pushed by ThreadContext.push(…)";
      case SECURITY_CONTEXT ->
          method.equals("setAuthentication")
              ? "the Authentication set on SecurityContextHolder.getContext()"
              : "the SecurityContext bound by SecurityContextHolder." + method + "(…)";
      case SECURITY_STRATEGY ->
          "the SecurityContext bound by " + source(receiver, state) + "." + method + "(…)";
      case LOCALE_CONTEXT -> "the locale context bound by LocaleContextHolder." + method + "(…)";
      case REQUEST_ATTRIBUTES ->
          "the request attributes bound by RequestContextHolder.setRequestAttributes(…)";
      case TX_RESOURCE ->
          "the transaction resource bound by TransactionSynchronizationManager.bindResource("
              + state.getSourceForNode(call.getArguments().get(0))
              + ", …)";
      case TX_SYNCHRONIZATION ->
          "the transaction synchronization started by"
              + " TransactionSynchronizationManager.initSynchronization()";
      case CONFIGURED -> "the binding made by " + ownerName(call) + "." + method + "(…)";
    };
  }

  /** The field, variable or key a finding is about. */
  private static @Nullable String subjectName(
      MethodInvocationTree call, ThreadLocalSpec.Entry e, VisitorState state) {
    return switch (e.family()) {
      case THREAD_LOCAL, SECURITY_STRATEGY -> {
        ExpressionTree receiver = ASTHelpers.getReceiver(call);
        yield receiver == null ? null : state.getSourceForNode(receiver);
      }
      case MDC, THREAD_CONTEXT, TX_RESOURCE -> state.getSourceForNode(call.getArguments().get(0));
      default -> e.family().holder.isEmpty() ? ownerName(call) : e.family().holder;
    };
  }

  /** How the binding reads in the suggested idiom: {@code TENANT.set(…)}. */
  private static String bindText(MethodInvocationTree call, VisitorState state) {
    ExpressionTree receiver = ASTHelpers.getReceiver(call);
    String method = ThreadLocalSpec.symbolName(call);
    String prefix = receiver == null ? "" : source(receiver, state) + ".";
    return prefix + method + (call.getArguments().isEmpty() ? "()" : "(…)");
  }

  /**
   * The call that removes the binding; with {@code exact}, only if it can be written as code that
   * names the same key, else null.
   */
  private @Nullable String remover(
      MethodInvocationTree call,
      ThreadLocalSpec.Entry e,
      ThreadLocalSpec.Key key,
      VisitorState state,
      boolean exact) {
    ExpressionTree receiver = ASTHelpers.getReceiver(call);
    String firstArg =
        call.getArguments().isEmpty() ? "" : state.getSourceForNode(call.getArguments().get(0));
    boolean stableArg = !call.getArguments().isEmpty() && stable(call.getArguments().get(0));
    return switch (e.family()) {
      case THREAD_LOCAL ->
          receiver == null
              ? "remove()"
              : exact && !sideEffectFree(receiver) ? null : source(receiver, state) + ".remove()";
      case MDC -> exact && !stableArg ? null : "MDC.remove(" + firstArg + ")";
      case MDC_MAP -> exact ? null : "MDC.clear() (or restore the previous map)";
      case THREAD_CONTEXT -> exact && !stableArg ? null : "ThreadContext.remove(" + firstArg + ")";
      case THREAD_CONTEXT_MAP -> exact ? null : "ThreadContext.removeAll(keys)";
      case THREAD_CONTEXT_STACK -> "ThreadContext.pop()";
      case SECURITY_CONTEXT -> "SecurityContextHolder.clearContext()";
      case SECURITY_STRATEGY ->
          exact && (receiver == null || !sideEffectFree(receiver))
              ? null
              : source(receiver, state) + ".clearContext()";
      case LOCALE_CONTEXT -> "LocaleContextHolder.resetLocaleContext()";
      case REQUEST_ATTRIBUTES -> "RequestContextHolder.resetRequestAttributes()";
      case TX_RESOURCE ->
          exact && !stableArg
              ? null
              : "TransactionSynchronizationManager.unbindResource(" + firstArg + ")";
      case TX_SYNCHRONIZATION -> "TransactionSynchronizationManager.clearSynchronization()";
      case CONFIGURED -> {
        if (exact) {
          yield null;
        }
        String ownerName = key.owner() == null ? "" : key.owner();
        String removers = String.join(" or ", spec.configuredRemovers(ownerName));
        yield (receiver == null ? ownerName(call) : source(receiver, state))
            + "."
            + removers
            + "(…)";
      }
    };
  }

  private static @Nullable String importFor(Family family) {
    return switch (family) {
      case MDC -> "org.slf4j.MDC";
      case THREAD_CONTEXT, THREAD_CONTEXT_STACK -> "org.apache.logging.log4j.ThreadContext";
      case SECURITY_CONTEXT -> "org.springframework.security.core.context.SecurityContextHolder";
      case LOCALE_CONTEXT -> "org.springframework.context.i18n.LocaleContextHolder";
      case REQUEST_ATTRIBUTES -> "org.springframework.web.context.request.RequestContextHolder";
      case TX_RESOURCE, TX_SYNCHRONIZATION ->
          "org.springframework.transaction.support.TransactionSynchronizationManager";
      default -> null;
    };
  }

  private static String ownerName(MethodInvocationTree call) {
    Symbol sym = ASTHelpers.getSymbol(call);
    return sym == null ? "holder" : sym.owner.getSimpleName().toString();
  }

  private static String source(@Nullable ExpressionTree tree, VisitorState state) {
    String s = tree == null ? null : state.getSourceForNode(tree);
    return s == null ? "holder" : s;
  }

  /** {@code ThreadLocal<String>}: simple names. */
  private static String prettyType(@Nullable Type type) {
    if (type == null || type.tsym == null) {
      return "ThreadLocal";
    }
    if (type instanceof Type.ArrayType array) {
      return prettyType(array.getComponentType()) + "[]";
    }
    if (type.isPrimitive()) {
      return type.toString();
    }
    StringBuilder sb = new StringBuilder(type.tsym.getSimpleName());
    if (!type.getTypeArguments().isEmpty()) {
      sb.append('<');
      for (int i = 0; i < type.getTypeArguments().size(); i++) {
        sb.append(i == 0 ? "" : ", ").append(prettyType(type.getTypeArguments().get(i)));
      }
      sb.append('>');
    }
    return sb.toString();
  }

  /** A name or a chain of field selections: evaluating it again gives the same object. */
  private static boolean sideEffectFree(ExpressionTree tree) {
    ExpressionTree e = ThreadLocalSpec.strip(tree);
    while (e instanceof MemberSelectTree ms) {
      e = ms.getExpression();
    }
    return e instanceof IdentifierTree;
  }

  /** A constant, or a final or effectively final variable. */
  private static boolean stable(ExpressionTree tree) {
    ExpressionTree e = ThreadLocalSpec.strip(tree);
    if (ASTHelpers.constValue(e) != null) {
      return true;
    }
    Symbol sym = ASTHelpers.getSymbol(e);
    return sideEffectFree(e)
        && sym instanceof VarSymbol
        && (sym.flags() & (Flags.FINAL | Flags.EFFECTIVELY_FINAL)) != 0;
  }

  // ---------------------------------------------------------------------------------------------
  // The fix: the rest of the block in try { … } finally { remove; }.

  private Optional<SuggestedFix> wrapInTryFinally(
      TreePath sitePath,
      MethodInvocationTree call,
      ThreadLocalSpec.Entry e,
      ThreadLocalSpec.Key key,
      VisitorState state) {
    try {
      TreePath stmtPath = sitePath.getParentPath();
      if (stmtPath == null
          || !(stmtPath.getLeaf() instanceof ExpressionStatementTree stmt)
          || stmtPath.getParentPath() == null
          || !(stmtPath.getParentPath().getLeaf() instanceof BlockTree block)) {
        return Optional.empty();
      }
      String remover = remover(call, e, key, state, true);
      if (remover == null) {
        return Optional.empty();
      }
      List<? extends StatementTree> statements = block.getStatements();
      int index = statements.indexOf(stmt);
      if (index < 0 || index == statements.size() - 1) {
        return Optional.empty();
      }
      List<? extends StatementTree> rest = statements.subList(index + 1, statements.size());
      StatementTree last = rest.get(rest.size() - 1);
      List<? extends StatementTree> kept = rest;
      if (rest.size() > 1 && isRemovalOf(last, key, state)) {
        kept = rest.subList(0, rest.size() - 1);
      }
      String source = state.getSourceCode().toString();
      int start = ASTHelpers.getStartPosition(rest.get(0));
      int keptEnd = state.getEndPosition(kept.get(kept.size() - 1));
      int end = state.getEndPosition(last);
      if (start < 0
          || keptEnd < 0
          || end < 0
          || (keptEnd != end
              && !source.substring(keptEnd, ASTHelpers.getStartPosition(last)).isBlank())) {
        return Optional.empty();
      }
      String body = source.substring(start, keptEnd);
      if (body.contains("\"\"\"")) {
        return Optional.empty(); // re-indenting would change a text block
      }
      String indent = lineIndent(source, ASTHelpers.getStartPosition(stmt));
      String unit = indentUnit(source, block, indent);
      StringBuilder wrapped = new StringBuilder("try {\n").append(indent).append(unit);
      String[] lines = body.split("\n", -1);
      for (int i = 0; i < lines.length; i++) {
        if (i > 0) {
          wrapped.append('\n').append(lines[i].isBlank() ? "" : unit + lines[i]);
        } else {
          wrapped.append(lines[i]);
        }
      }
      wrapped
          .append('\n')
          .append(indent)
          .append("} finally {\n")
          .append(indent)
          .append(unit)
          .append(remover)
          .append(";\n")
          .append(indent)
          .append('}');
      SuggestedFix.Builder fix = SuggestedFix.builder().replace(start, end, wrapped.toString());
      String importName = importFor(e.family());
      if (importName != null) {
        fix.addImport(importName);
      }
      return Optional.of(fix.build());
    } catch (RuntimeException ex) {
      return Optional.empty();
    }
  }

  private boolean isRemovalOf(
      StatementTree statement, ThreadLocalSpec.Key key, VisitorState state) {
    if (statement instanceof ExpressionStatementTree es
        && es.getExpression() instanceof MethodInvocationTree mi) {
      ThreadLocalSpec.Entry e = spec.entry(mi, state);
      return e != null && e.op() == Op.REMOVE && key.equals(spec.key(mi, e, state));
    }
    return false;
  }

  private static String lineIndent(String source, int pos) {
    int lineStart = source.lastIndexOf('\n', pos - 1) + 1;
    int i = lineStart;
    while (i < source.length() && (source.charAt(i) == ' ' || source.charAt(i) == '\t')) {
      i++;
    }
    return source.substring(lineStart, i);
  }

  /** The indentation step of the file: the block's statements against the line that opens it. */
  private static String indentUnit(String source, BlockTree block, String indent) {
    String outer = lineIndent(source, ASTHelpers.getStartPosition(block));
    if (indent.startsWith(outer) && indent.length() > outer.length()) {
      return indent.substring(outer.length());
    }
    return "  ";
  }
}
