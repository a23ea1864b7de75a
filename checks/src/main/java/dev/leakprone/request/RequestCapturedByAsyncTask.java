package dev.leakprone.request;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;

import com.google.auto.service.AutoService;
import com.google.common.collect.ImmutableSet;
import com.google.errorprone.BugPattern;
import com.google.errorprone.ErrorProneFlags;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.MethodInvocationTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.NewClassTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.CatchTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import dev.leakprone.common.AnyScanner;
import dev.leakprone.common.Docs;
import dev.leakprone.common.LeakProneChecker;
import dev.leakprone.config.LeakProneConfig;
import dev.leakprone.engine.BodyAnalyzer;
import dev.leakprone.engine.Leak;
import dev.leakprone.engine.ObligationAnalysis;
import dev.leakprone.report.Findings;
import dev.leakprone.request.RequestTypes.Framework;
import dev.leakprone.request.SpawningApis.Kind;
import dev.leakprone.request.TaskCapture.Capture;
import java.util.Optional;
import java.util.Set;
import javax.inject.Inject;
import javax.lang.model.element.ElementKind;
import org.jspecify.annotations.Nullable;

/**
 * A task that captures a request, response or exchange and runs on another thread after the handler
 * may have returned, when the server has already recycled that object.
 *
 * <p>The check starts at spawning calls (one hash lookup of the method name per invocation, so code
 * that spawns nothing costs nothing), rejects a call with no request-scoped variable in scope
 * before looking at its task, and asks the obligation engine whether the task's handle is awaited,
 * returned or handed on on every path.
 */
@AutoService(BugChecker.class)
@BugPattern(
    summary =
        "Copy what a background task needs from the request before starting it; the server"
            + " recycles the request when the handler returns",
    severity = WARNING,
    tags = BugPattern.StandardTags.LIKELY_ERROR,
    linkType = CUSTOM,
    link = Docs.BASE + "RequestCapturedByAsyncTask.md")
public final class RequestCapturedByAsyncTask extends LeakProneChecker
    implements MethodInvocationTreeMatcher, NewClassTreeMatcher {
  private static final long serialVersionUID = 1L;

  /** Return types that put a Spring MVC request into asynchronous mode until they complete. */
  private static final ImmutableSet<String> ASYNC_RETURN_TYPES =
      ImmutableSet.of(
          "org.springframework.web.context.request.async.DeferredResult",
          "org.springframework.web.context.request.async.WebAsyncTask",
          "org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter",
          "org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody",
          "java.util.concurrent.Callable",
          "java.util.concurrent.CompletionStage",
          "org.springframework.util.concurrent.ListenableFuture");

  /** Parameters that make a JAX-RS resource method asynchronous. */
  private static final ImmutableSet<String> SUSPENDED =
      ImmutableSet.of("jakarta.ws.rs.container.Suspended", "javax.ws.rs.container.Suspended");

  /**
   * Calls that keep the request open after the handler returns: async servlets, Undertow dispatch.
   */
  private static final ImmutableSet<String> ASYNC_STARTS =
      ImmutableSet.of("startAsync", "getAsyncContext", "dispatch");

  private static final ImmutableSet<String> WAITS =
      ImmutableSet.of(
          "await", "awaitAdvance", "awaitAdvanceInterruptibly", "arriveAndAwaitAdvance");

  private final RequestTypes requestTypes;
  private final SpawningApis apis;
  private final TaskCapture capture;

  /** For {@link java.util.ServiceLoader}, which needs a public no-argument constructor. */
  public RequestCapturedByAsyncTask() {
    this(ErrorProneFlags.empty());
  }

  /** Used by Error Prone, which passes the {@code -XepOpt} flags. */
  @Inject
  public RequestCapturedByAsyncTask(ErrorProneFlags flags) {
    super(flags);
    LeakProneConfig config = config();
    this.requestTypes = new RequestTypes(config.requestTypes());
    this.apis = new SpawningApis(config.spawningMethods());
    this.capture = new TaskCapture(requestTypes);
  }

  @Override
  public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
    if (flagsRejected(state)) {
      return Description.NO_MATCH;
    }
    return check(tree, state);
  }

  @Override
  public Description matchNewClass(NewClassTree tree, VisitorState state) {
    if (flagsRejected(state)) {
      return Description.NO_MATCH;
    }
    return check(tree, state);
  }

  private Description check(ExpressionTree call, VisitorState state) {
    try {
      Kind kind = apis.kind(call, state);
      if (kind == null || !requestInScope(state.getPath(), state)) {
        return Description.NO_MATCH;
      }
      TreePath body = enclosingBody(state.getPath());
      TreePath method = enclosingMethod(state.getPath());
      Tree scope = method != null ? method.getLeaf() : body != null ? body.getLeaf() : null;
      if (body == null || scope == null) {
        return Description.NO_MATCH;
      }
      Capture c = capture.find(call, scope, state);
      if (c == null
          || handedToFramework(method, state)
          || awaitsSignal(c, body.getLeaf())
          || (c.framework() == Framework.NETTY && retained(c.variable(), scope))) {
        return Description.NO_MATCH;
      }
      if (kind == Kind.VOID && !onLocalVariable(call)) {
        report(call, c, null, state);
        return Description.NO_MATCH;
      }
      Optional<ObligationAnalysis.Result> result =
          BodyAnalyzer.analyze(state.withPath(body), new AsyncTaskSpec(apis, call));
      if (result.isEmpty()) {
        return Description.NO_MATCH;
      }
      for (Leak leak : result.get().leaks()) {
        if (call.equals(leak.site()) && leak.kind() != Leak.Kind.ON_EXCEPTION) {
          report(call, c, leak, state);
          break;
        }
      }
    } catch (RuntimeException | LinkageError e) {
      // A tree this check does not expect: skip it, never break the build.
    }
    return Description.NO_MATCH;
  }

  // ---------------------------------------------------------------------------------------------
  // The cheap test: a request-scoped variable in scope, found without scanning any body.

  /**
   * Whether a variable of a request-scoped type is in scope at {@code path}: a parameter of an
   * enclosing method or lambda, a local declared before it in an enclosing block (also loop, catch
   * and resource variables), or a field of an enclosing class.
   */
  private boolean requestInScope(TreePath path, VisitorState state) {
    Tree child = path.getLeaf();
    for (TreePath p = path.getParentPath(); p != null; child = p.getLeaf(), p = p.getParentPath()) {
      Tree t = p.getLeaf();
      if (t instanceof MethodTree m) {
        for (VariableTree param : m.getParameters()) {
          if (isRequest(param, state)) {
            return true;
          }
        }
      } else if (t instanceof LambdaExpressionTree l) {
        for (VariableTree param : l.getParameters()) {
          if (isRequest(param, state)) {
            return true;
          }
        }
      } else if (t instanceof BlockTree b) {
        for (StatementTree s : b.getStatements()) {
          if (s.equals(child)) {
            break;
          }
          if (s instanceof VariableTree v && isRequest(v, state)) {
            return true;
          }
        }
      } else if (t instanceof ForLoopTree f) {
        for (StatementTree s : f.getInitializer()) {
          if (s instanceof VariableTree v && isRequest(v, state)) {
            return true;
          }
        }
      } else if (t instanceof EnhancedForLoopTree f && isRequest(f.getVariable(), state)) {
        return true;
      } else if (t instanceof CatchTree c && isRequest(c.getParameter(), state)) {
        return true;
      } else if (t instanceof TryTree tr) {
        for (Tree r : tr.getResources()) {
          if (r instanceof VariableTree v && isRequest(v, state)) {
            return true;
          }
        }
      } else if (t instanceof ClassTree cls) {
        for (Tree member : cls.getMembers()) {
          if (member instanceof VariableTree v && isRequest(v, state)) {
            return true;
          }
        }
        ClassSymbol sym = ASTHelpers.getSymbol(cls);
        if (sym != null && inheritsRequestField(sym, state)) {
          return true;
        }
      }
    }
    return false;
  }

  private boolean isRequest(VariableTree var, VisitorState state) {
    Symbol sym = ASTHelpers.getSymbol(var);
    return sym != null && requestTypes.frameworkOf(sym, state) != null;
  }

  /** A request-typed field declared in a superclass (fields of this class are in its tree). */
  private boolean inheritsRequestField(ClassSymbol cls, VisitorState state) {
    Type sup = cls.getSuperclass();
    for (int depth = 0; depth < 16 && sup != null && sup.tsym instanceof ClassSymbol c; depth++) {
      if (c.getQualifiedName().toString().startsWith("java.")) {
        return false;
      }
      for (Symbol member : ASTHelpers.getEnclosedElements(c)) {
        if (member instanceof VarSymbol v && requestTypes.isRequestType(v.type, state)) {
          return true;
        }
      }
      sup = c.getSuperclass();
    }
    return false;
  }

  // ---------------------------------------------------------------------------------------------
  // Cases the framework or the method itself takes care of.

  /**
   * The enclosing method keeps the request open after it returns: it returns a Spring MVC async
   * type, takes a JAX-RS {@code @Suspended AsyncResponse}, or calls {@code startAsync()} / {@code
   * getAsyncContext()} on the request or {@code dispatch(…)} on an Undertow exchange.
   */
  private boolean handedToFramework(@Nullable TreePath method, VisitorState state) {
    if (method == null || !(method.getLeaf() instanceof MethodTree m)) {
      return false;
    }
    MethodSymbol sym = ASTHelpers.getSymbol(m);
    if (sym != null && isAsyncReturnType(sym.getReturnType(), state)) {
      return true;
    }
    for (VariableTree param : m.getParameters()) {
      Symbol p = ASTHelpers.getSymbol(param);
      if (p != null) {
        for (var a : p.getAnnotationMirrors()) {
          if (SUSPENDED.contains(a.type.tsym.getQualifiedName().toString())) {
            return true;
          }
        }
      }
    }
    if (m.getBody() == null) {
      return false;
    }
    return new AnyScanner() {
      @Override
      public Boolean visitMethodInvocation(MethodInvocationTree node, Void unused) {
        if (node.getMethodSelect() instanceof MemberSelectTree select
            && ASYNC_STARTS.contains(select.getIdentifier().toString())) {
          Type receiver = ASTHelpers.getType(select.getExpression());
          Framework f = requestTypes.framework(receiver, state);
          if (f == Framework.SERVLET || f == Framework.UNDERTOW) {
            return true;
          }
        }
        return super.visitMethodInvocation(node, null);
      }
    }.anyIn(m.getBody());
  }

  private static boolean isAsyncReturnType(@Nullable Type type, VisitorState state) {
    if (type == null || type.isPrimitiveOrVoid()) {
      return false;
    }
    for (String name : ASYNC_RETURN_TYPES) {
      Type t = state.getTypeFromString(name);
      if (t != null
          && state
              .getTypes()
              .isSubtype(state.getTypes().erasure(type), state.getTypes().erasure(t))) {
        return true;
      }
    }
    return false;
  }

  /** The task counts down a latch (or arrives at a phaser or barrier) that the method waits on. */
  private static boolean awaitsSignal(Capture c, Tree body) {
    Set<Symbol> signalled = c.signalled();
    if (signalled.isEmpty()) {
      return false;
    }
    return new AnyScanner() {
      @Override
      public Boolean visitLambdaExpression(
          com.sun.source.tree.LambdaExpressionTree node, Void unused) {
        return false; // the task itself (and other lambdas) do not make this method wait
      }

      @Override
      public Boolean visitClass(ClassTree node, Void unused) {
        return false;
      }

      @Override
      public Boolean visitMethodInvocation(MethodInvocationTree node, Void unused) {
        if (node.getMethodSelect() instanceof MemberSelectTree select
            && WAITS.contains(select.getIdentifier().toString())
            && signalled.contains(
                ASTHelpers.getSymbol(ASTHelpers.stripParentheses(select.getExpression())))) {
          return true;
        }
        return super.visitMethodInvocation(node, null);
      }
    }.anyIn(body);
  }

  /** A Netty message the handler retains before handing it over is not released on return. */
  private static boolean retained(Symbol msg, Tree scope) {
    return new AnyScanner() {
      @Override
      public Boolean visitMethodInvocation(MethodInvocationTree node, Void unused) {
        String name =
            node.getMethodSelect() instanceof MemberSelectTree select
                ? select.getIdentifier().toString()
                : node.getMethodSelect() instanceof IdentifierTree id
                    ? id.getName().toString()
                    : "";
        if (name.equals("retain") || name.equals("retainedDuplicate") || name.equals("copy")) {
          ExpressionTree receiver = ASTHelpers.getReceiver(node);
          if (receiver != null
              && msg.equals(ASTHelpers.getSymbol(ASTHelpers.stripParentheses(receiver)))) {
            return true;
          }
          for (ExpressionTree arg : node.getArguments()) {
            if (msg.equals(ASTHelpers.getSymbol(ASTHelpers.stripParentheses(arg)))) {
              return true;
            }
          }
        }
        return super.visitMethodInvocation(node, null);
      }
    }.anyIn(scope);
  }

  /**
   * {@code pool.execute(…)} on a local variable: the executor may be a per-call one that is
   * awaited.
   */
  private static boolean onLocalVariable(ExpressionTree call) {
    if (!(call instanceof MethodInvocationTree invocation)) {
      return false;
    }
    ExpressionTree receiver = ASTHelpers.getReceiver(invocation);
    Symbol sym =
        receiver == null ? null : ASTHelpers.getSymbol(ASTHelpers.stripParentheses(receiver));
    return sym != null
        && (sym.getKind() == ElementKind.LOCAL_VARIABLE
            || sym.getKind() == ElementKind.RESOURCE_VARIABLE);
  }

  private static @Nullable TreePath enclosingBody(TreePath path) {
    for (TreePath p = path.getParentPath(); p != null; p = p.getParentPath()) {
      Tree t = p.getLeaf();
      if (t instanceof MethodTree || t instanceof LambdaExpressionTree) {
        return p;
      }
      if (t instanceof ClassTree) {
        return null;
      }
    }
    return null;
  }

  private static @Nullable TreePath enclosingMethod(TreePath path) {
    for (TreePath p = path.getParentPath(); p != null; p = p.getParentPath()) {
      if (p.getLeaf() instanceof MethodTree) {
        return p;
      }
    }
    return null;
  }

  // ---------------------------------------------------------------------------------------------
  // The message: what is captured, by what, on which paths, and what to do.

  private void report(ExpressionTree call, Capture c, @Nullable Leak leak, VisitorState state) {
    String typeName = RequestTypes.simpleName(c.type());
    String var = c.name();
    String spawn = spawnName(call);
    StringBuilder m = new StringBuilder();
    if (c.form().equals("argument") && SpawningApis.isAsyncCall(call)) {
      m.append(typeName)
          .append(" '")
          .append(var)
          .append("' is passed to @Async method ")
          .append(spawn)
          .append(", which runs on another thread");
    } else if (c.form().equals("argument")) {
      m.append(typeName)
          .append(" '")
          .append(var)
          .append("' is passed to ")
          .append(spawn)
          .append(", which runs on another thread");
    } else {
      m.append(article(c.form()))
          .append(" run by ")
          .append(spawn)
          .append(" captures ")
          .append(typeName)
          .append(" '")
          .append(var)
          .append("'");
    }
    if (leak == null) {
      m.append(", and nothing waits for it before the handler returns");
    } else {
      String handle = handleName(call);
      m.append(
          switch (leak.kind()) {
            case SOME_PATHS ->
                ", and on some paths its "
                    + handle
                    + " is neither awaited nor handed on before the"
                    + " method returns";
            case OVERWRITTEN_IN_LOOP ->
                ", and the "
                    + handle
                    + " of each loop iteration but the last is dropped"
                    + " without being awaited";
            default ->
                ", and its "
                    + handle
                    + " is neither awaited nor returned before the method returns";
          });
    }
    m.append(": the server recycles the ")
        .append(noun(c.framework()))
        .append(
            " when the request completes, so the task may read another user's data or fail on a recycled"
                + " object, and the task keeps it reachable meanwhile; copy what the task needs before starting it (")
        .append(example(c))
        .append("), or ")
        .append(c.framework().advice);
    Description d = buildDescription(call).setMessage(m.toString()).build();
    Findings.report(this, state, d, var);
  }

  private static String article(String form) {
    return form.startsWith("task")
        ? "the " + form
        : form.startsWith("anonymous") ? "an " + form : "a " + form;
  }

  private static String noun(Framework f) {
    return switch (f) {
      case NETTY -> "message (SimpleChannelInboundHandler releases it when channelRead0 returns)";
      case VERTX, UNDERTOW, JDK_HTTP_SERVER, WEBFLUX -> "request objects";
      default -> "request and response objects";
    };
  }

  private static String example(Capture c) {
    String v = c.name();
    String type = RequestTypes.simpleName(c.type());
    return switch (c.framework()) {
      case SERVLET ->
          type.endsWith("Response")
              ? "e.g. finish writing " + v + " in the handler"
              : "e.g. String clientIp = " + v + ".getRemoteAddr();";
      case VERTX ->
          type.equals("RoutingContext")
              ? "e.g. String path = " + v + ".request().path();"
              : "e.g. String path = " + v + ".path();";
      case UNDERTOW -> "e.g. String path = " + v + ".getRequestPath();";
      case WEBFLUX ->
          type.equals("ServerWebExchange")
              ? "e.g. String path = " + v + ".getRequest().getPath().value();"
              : "e.g. a header value or the path as a String";
      case JAX_RS -> "e.g. String user = a header value or the path as a String";
      case NETTY -> "e.g. the decoded content as a String or a copy()";
      default -> "e.g. String value = a header, parameter or path read from " + v;
    };
  }

  private static String spawnName(ExpressionTree call) {
    if (call instanceof NewClassTree newClass) {
      Type type = ASTHelpers.getType(newClass);
      String name = type == null || type.tsym == null ? "" : type.tsym.getSimpleName().toString();
      if (name.isEmpty()
          && type != null
          && type.tsym instanceof ClassSymbol c
          && c.getSuperclass() != null) {
        name = c.getSuperclass().tsym.getSimpleName().toString();
      }
      return "new " + name + "(…)";
    }
    return TaskCapture.methodName((MethodInvocationTree) call) + "(…)";
  }

  private static String handleName(ExpressionTree call) {
    Type type = ASTHelpers.getType(call);
    return type == null || type.tsym == null || type.tsym.getSimpleName().isEmpty()
        ? "Thread"
        : type.tsym.getSimpleName().toString();
  }
}
