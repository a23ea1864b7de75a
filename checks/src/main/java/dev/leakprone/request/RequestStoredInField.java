package dev.leakprone.request;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;

import com.google.auto.service.AutoService;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import com.google.errorprone.BugPattern;
import com.google.errorprone.ErrorProneFlags;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.AssignmentTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.MethodInvocationTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.suppliers.Supplier;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Attribute;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import dev.leakprone.common.Docs;
import dev.leakprone.common.LeakProneChecker;
import dev.leakprone.common.MethodTable;
import dev.leakprone.common.Singletons;
import dev.leakprone.common.Trees;
import dev.leakprone.config.LeakProneConfig;
import dev.leakprone.report.Findings;
import dev.leakprone.request.RequestTypes.Framework;
import javax.inject.Inject;
import javax.lang.model.element.ElementKind;
import org.jspecify.annotations.Nullable;

/**
 * A request, response or exchange stored where it outlives its request: a static field, an instance
 * field of a singleton (see {@link Singletons}), or a static or singleton collection, map or
 * reference holder, also through a local alias.
 */
@AutoService(BugChecker.class)
@BugPattern(
    summary =
        "Do not keep a request object in a static or singleton field; store the values you"
            + " need instead",
    severity = WARNING,
    tags = BugPattern.StandardTags.LIKELY_ERROR,
    linkType = CUSTOM,
    link = Docs.BASE + "RequestStoredInField.md")
public final class RequestStoredInField extends LeakProneChecker
    implements AssignmentTreeMatcher, MethodInvocationTreeMatcher {
  private static final long serialVersionUID = 1L;

  /** Calls that keep what is passed to them in the receiver. */
  private static final ImmutableList<String> STORING_METHODS =
      ImmutableList.of(
          "java.util.Collection#add|addAll|offer|push|addFirst|addLast|offerFirst|offerLast|set",
          "java.util.Map#put|putIfAbsent|putAll|merge|replace",
          "java.util.concurrent.BlockingQueue#put|offer|add",
          "java.util.concurrent.atomic.AtomicReference#set|lazySet|compareAndSet|getAndSet|setPlain|setOpaque"
              + "|setRelease|compareAndExchange",
          "com.google.common.cache.Cache#put|putAll",
          "com.google.common.collect.Multimap#put|putAll");

  /** The cheap first test on each invocation: the names of every storing method. */
  private static final ImmutableSet<String> STORING_NAMES =
      ImmutableSet.of(
          "add",
          "addAll",
          "offer",
          "push",
          "addFirst",
          "addLast",
          "offerFirst",
          "offerLast",
          "set",
          "put",
          "putIfAbsent",
          "putAll",
          "merge",
          "replace",
          "lazySet",
          "compareAndSet",
          "getAndSet",
          "setPlain",
          "setOpaque",
          "setRelease",
          "compareAndExchange");

  private static final MethodTable<Boolean> STORING =
      MethodTable.<Boolean>builder().putAll(STORING_METHODS, true).build();

  private static final Supplier<@Nullable Type> THREAD_LOCAL =
      VisitorState.memoize(s -> s.getTypeFromString("java.lang.ThreadLocal"));

  private final RequestTypes requestTypes;
  private final ImmutableSet<String> singletonAnnotations;
  private final LocalInitializers initializers = new LocalInitializers();

  /** For {@link java.util.ServiceLoader}, which needs a public no-argument constructor. */
  public RequestStoredInField() {
    this(ErrorProneFlags.empty());
  }

  /** Used by Error Prone, which passes the {@code -XepOpt} flags. */
  @Inject
  public RequestStoredInField(ErrorProneFlags flags) {
    super(flags);
    LeakProneConfig config = config();
    this.requestTypes = new RequestTypes(config.requestTypes());
    this.singletonAnnotations = config.singletonAnnotations();
  }

  @Override
  public Description matchAssignment(AssignmentTree tree, VisitorState state) {
    if (flagsRejected(state)) {
      return Description.NO_MATCH;
    }
    try {
      Symbol target = ASTHelpers.getSymbol(tree.getVariable());
      if (!(target instanceof VarSymbol field) || field.getKind() != ElementKind.FIELD) {
        return Description.NO_MATCH;
      }
      String where = longLived(field, state);
      if (where == null) {
        return Description.NO_MATCH;
      }
      Stored stored = requestValue(tree.getExpression(), state);
      if (stored == null || injected(stored)) {
        return Description.NO_MATCH;
      }
      report(tree, stored, "stored in " + where, state);
    } catch (RuntimeException | LinkageError e) {
      // A tree this check does not expect: skip it, never break the build.
    }
    return Description.NO_MATCH;
  }

  @Override
  public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
    if (flagsRejected(state)) {
      return Description.NO_MATCH;
    }
    try {
      if (tree.getArguments().isEmpty()
          || !(tree.getMethodSelect() instanceof MemberSelectTree select)
          || !STORING_NAMES.contains(select.getIdentifier().toString())
          || !STORING.matches(tree, state)) {
        return Description.NO_MATCH;
      }
      VarSymbol holder = holderField(select.getExpression(), state);
      if (holder == null) {
        return Description.NO_MATCH;
      }
      String where = longLived(holder, state);
      if (where == null) {
        return Description.NO_MATCH;
      }
      Stored stored = null;
      for (ExpressionTree arg : tree.getArguments()) {
        stored = requestValue(arg, state);
        if (stored != null) {
          break;
        }
      }
      if (stored == null) {
        return Description.NO_MATCH;
      }
      report(
          tree,
          stored,
          "added ("
              + select.getIdentifier()
              + ") to the "
              + RequestTypes.simpleName(holder.type)
              + " in "
              + where,
          state);
    } catch (RuntimeException | LinkageError e) {
      // A tree this check does not expect: skip it, never break the build.
    }
    return Description.NO_MATCH;
  }

  /** A request object and the variable (or expression) it is known by. */
  private record Stored(String name, Type type, Framework framework, @Nullable Symbol variable) {}

  /**
   * The request object that {@code expr} evaluates to, or null: an expression of a request-scoped
   * type, the Netty message of {@code channelRead0}, or a local variable initialized with one (an
   * alias under another static type, such as {@code Object}).
   */
  private @Nullable Stored requestValue(ExpressionTree expr, VisitorState state) {
    Stored direct = requestValueShallow(expr, state);
    if (direct != null) {
      return direct;
    }
    ExpressionTree e = Trees.stripParensAndCasts(expr);
    Symbol sym = ASTHelpers.getSymbol(e);
    if ((e instanceof IdentifierTree || e instanceof MemberSelectTree)
        && sym instanceof VarSymbol var
        && var.getKind() == ElementKind.LOCAL_VARIABLE) {
      TreePath method = enclosing(state.getPath(), MethodTree.class);
      if (method != null) {
        ExpressionTree init =
            initializers.of(var, method.getLeaf(), state.getPath().getCompilationUnit());
        if (init != null
            && !(ASTHelpers.stripParentheses(init) instanceof IdentifierTree id
                && id.getName().equals(var.getSimpleName()))) {
          Stored inner = requestValueShallow(init, state);
          if (inner != null) {
            return new Stored(var.getSimpleName().toString(), inner.type(), inner.framework(), var);
          }
        }
      }
    }
    return null;
  }

  /** The request object that {@code expr} itself evaluates to (no alias), or null. */
  private @Nullable Stored requestValueShallow(ExpressionTree expr, VisitorState state) {
    ExpressionTree e = Trees.stripParensAndCasts(expr);
    Symbol sym =
        e instanceof IdentifierTree || e instanceof MemberSelectTree
            ? ASTHelpers.getSymbol(e)
            : null;
    Type type = ASTHelpers.getType(e);
    Framework f =
        sym instanceof VarSymbol
            ? requestTypes.frameworkOf(sym, state)
            : requestTypes.framework(type, state);
    if (f == null) {
      return null;
    }
    return new Stored(
        sym != null ? sym.getSimpleName().toString() : state.getSourceForNode(e), type, f, sym);
  }

  /**
   * A parameter of a constructor or of an injection method ({@code @Autowired}, {@code @Inject},
   * {@code @Context}): what a container passes there for a request type is a proxy that resolves
   * the current request on each call, and is safe to keep.
   */
  private static boolean injected(Stored stored) {
    if (!(stored.variable() instanceof VarSymbol var)
        || var.getKind() != ElementKind.PARAMETER
        || !(var.owner instanceof MethodSymbol method)) {
      return false;
    }
    if (method.isConstructor()) {
      return true;
    }
    return hasAnnotation(method, TaskCapture.INJECTION)
        || hasAnnotation(var, TaskCapture.INJECTION);
  }

  private static boolean hasAnnotation(Symbol sym, ImmutableSet<String> names) {
    for (Attribute.Compound a : sym.getRawAttributes()) {
      if (a.type != null && names.contains(a.type.tsym.getQualifiedName().toString())) {
        return true;
      }
    }
    return false;
  }

  /** The field holding the collection: a field, or a local variable initialized from one. */
  private @Nullable VarSymbol holderField(ExpressionTree receiver, VisitorState state) {
    ExpressionTree e = ASTHelpers.stripParentheses(receiver);
    Symbol sym =
        e instanceof IdentifierTree || e instanceof MemberSelectTree
            ? ASTHelpers.getSymbol(e)
            : null;
    if (!(sym instanceof VarSymbol var)) {
      return null;
    }
    if (var.getKind() == ElementKind.FIELD) {
      return var;
    }
    if (var.getKind() == ElementKind.LOCAL_VARIABLE) {
      TreePath method = enclosing(state.getPath(), MethodTree.class);
      ExpressionTree init =
          method == null
              ? null
              : initializers.of(var, method.getLeaf(), state.getPath().getCompilationUnit());
      if (init != null) {
        ExpressionTree i = ASTHelpers.stripParentheses(init);
        Symbol s =
            i instanceof IdentifierTree || i instanceof MemberSelectTree
                ? ASTHelpers.getSymbol(i)
                : null;
        if (s instanceof VarSymbol f && f.getKind() == ElementKind.FIELD) {
          return f;
        }
      }
    }
    return null;
  }

  /**
   * How {@code field} is described if it outlives a request ("static field 'LAST'", "field 'last'
   * of singleton DiagnosticsController"), or null if it does not.
   */
  private @Nullable String longLived(VarSymbol field, VisitorState state) {
    if (isThreadLocal(field.type, state)) {
      return null; // one value per thread: the ThreadLocal checks cover it
    }
    if ((field.flags() & Flags.STATIC) != 0) {
      return "static field '" + field.getSimpleName() + "'";
    }
    if (!(field.owner instanceof ClassSymbol owner)) {
      return null;
    }
    ClassTree tree = null;
    for (TreePath p = state.getPath(); p != null; p = p.getParentPath()) {
      if (p.getLeaf() instanceof ClassTree c && owner.equals(ASTHelpers.getSymbol(c))) {
        tree = c;
        break;
      }
    }
    if (!Singletons.isSingleton(owner, tree, state.getTypes(), singletonAnnotations)) {
      return null;
    }
    return "field '"
        + field.getSimpleName()
        + "' of "
        + owner.getSimpleName()
        + ", a singleton whose one instance serves every request";
  }

  private static boolean isThreadLocal(Type type, VisitorState state) {
    Type tl = THREAD_LOCAL.get(state);
    return tl != null
        && type != null
        && state.getTypes().isSubtype(state.getTypes().erasure(type), state.getTypes().erasure(tl));
  }

  private static @Nullable TreePath enclosing(TreePath path, Class<? extends Tree> kind) {
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      if (kind.isInstance(p.getLeaf())) {
        return p;
      }
      if (p.getLeaf() instanceof ClassTree) {
        return null;
      }
    }
    return null;
  }

  private void report(Tree tree, Stored stored, String where, VisitorState state) {
    String type = RequestTypes.simpleName(stored.type());
    String message =
        type
            + " '"
            + stored.name()
            + "' is "
            + where
            + ": the server recycles "
            + (stored.framework() == Framework.NETTY
                ? "the message when channelRead0 returns"
                : "it when its request completes")
            + ", so later readers see another user's request or a recycled object (IllegalStateException,"
            + " NullPointerException), and the field keeps the whole request graph reachable; store the values"
            + " you need ("
            + example(stored)
            + ") instead, or keep per-request state in a request-scoped bean or"
            + " a request attribute";
    Findings.report(this, state, buildDescription(tree).setMessage(message).build(), stored.name());
  }

  private static String example(Stored stored) {
    String v = stored.name();
    return switch (stored.framework()) {
      case SERVLET ->
          RequestTypes.simpleName(stored.type()).endsWith("Response")
              ? "e.g. the status code as an int"
              : "e.g. String uri = " + v + ".getRequestURI();";
      case VERTX ->
          RequestTypes.simpleName(stored.type()).equals("RoutingContext")
              ? "e.g. String path = " + v + ".request().path();"
              : "e.g. String path = " + v + ".path();";
      case UNDERTOW -> "e.g. String path = " + v + ".getRequestPath();";
      default -> "e.g. the path or a header value as a String";
    };
  }
}
