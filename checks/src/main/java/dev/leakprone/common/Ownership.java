package dev.leakprone.common;

import com.google.common.collect.ImmutableList;
import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewClassTree;
import com.sun.tools.javac.code.Attribute;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import dev.leakprone.config.LeakProneConfig;
import dev.leakprone.engine.CallEffect;
import dev.leakprone.engine.CallEffect.Use;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.VariableTree;
import com.sun.tools.javac.api.JavacTrees;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import javax.lang.model.element.ElementKind;
import org.jspecify.annotations.Nullable;

/**
 * What every obligation check knows about ownership, whatever the obligation: the containers that
 * take what is stored in them, the helpers that close what is passed to them, the identity
 * methods whose result is their argument, {@code @Owning} parameters and the user's
 * ownership-taking methods.
 */
public final class Ownership {

  /** Containers and holders: what is put in them is theirs to release. */
  private static final ImmutableList<String> CONTAINERS = ImmutableList.of(
      "java.util.Collection#add|addAll|offer|push|addFirst|addLast|offerFirst|offerLast|set|put",
      "java.util.Map#put|putIfAbsent|putAll|computeIfAbsent|compute|merge|replace",
      "java.util.concurrent.BlockingQueue#put|offer|add",
      "java.util.concurrent.atomic.AtomicReference#set|lazySet|compareAndSet|getAndSet|weakCompareAndSet|setPlain|setOpaque|setRelease|compareAndExchange",
      "java.util.concurrent.atomic.AtomicReferenceArray#set|lazySet|compareAndSet|getAndSet",
      "java.lang.ThreadLocal#set",
      "java.util.concurrent.CompletableFuture#complete|obtrudeValue",
      "java.lang.Runtime#addShutdownHook",
      "com.google.common.io.Closer#register",
      "com.google.common.util.concurrent.SettableFuture#set");

  /** Helpers that close (release) what is passed to them. */
  private static final ImmutableList<String> CLOSERS = ImmutableList.of(
      "com.google.common.io.Closeables#close|closeQuietly",
      "org.apache.commons.io.IOUtils#closeQuietly|close",
      "org.apache.commons.dbutils.DbUtils#close|closeQuietly|commitAndClose|commitAndCloseQuietly|rollbackAndClose|rollbackAndCloseQuietly",
      "org.springframework.jdbc.support.JdbcUtils#closeConnection|closeStatement|closeResultSet",
      "org.springframework.jdbc.datasource.DataSourceUtils#releaseConnection|doReleaseConnection|doCloseConnection",
      "org.apache.http.client.utils.HttpClientUtils#closeQuietly",
      "org.apache.hc.core5.io.Closer#close|closeQuietly",
      "okhttp3.internal.Util#closeQuietly",
      "org.eclipse.jetty.util.IO#close",
      "io.netty.util.ReferenceCountUtil#release|safeRelease");

  /** Methods whose result is their argument (or a value holding it). */
  private static final ImmutableList<String> IDENTITIES = ImmutableList.of(
      "java.util.Objects#requireNonNull|requireNonNullElse",
      "com.google.common.base.Preconditions#checkNotNull",
      "com.google.common.base.Verify#verifyNotNull",
      "java.util.Optional#of|ofNullable",
      "java.util.List#of|copyOf",
      "java.util.Set#of|copyOf",
      "java.util.Map#of|entry",
      "java.util.Arrays#asList",
      "java.util.Collections#singletonList|singleton|singletonMap|unmodifiableList|unmodifiableCollection",
      "java.util.stream.Stream#of",
      "com.google.common.collect.ImmutableList#of|copyOf",
      "com.google.common.collect.ImmutableSet#of|copyOf",
      "com.google.common.collect.ImmutableMap#of|copyOf",
      "java.util.AbstractMap.SimpleEntry#<init>",
      "java.util.AbstractMap.SimpleImmutableEntry#<init>");

  /**
   * Methods whose name says they close what they are given ({@code closeQuietly}, {@code
   * safeClose}, {@code releaseConnection}, {@code dispose}): project-local helpers are common and
   * rarely annotated, and reporting through them is the first false alarm users meet.
   */
  private static final Pattern CLOSER_NAME =
      Pattern.compile("(?i)(.*close.*|release.*|dispose.*|cleanup.*|shutdown.*|destroy.*|end|finish)");

  /**
   * Methods whose name says they keep what they are given ({@code setInput(in)}, {@code
   * addCloseable(c)}, {@code register(c)}): the receiver now owns it. Completing a future or a
   * callback with it ({@code future.complete(c)}, {@code callback.completed(c)}) hands it to
   * whoever waits for the result.
   */
  private static final Pattern KEEPER_NAME =
      Pattern.compile(
          "(set|add|put|register|attach|bind|adopt|manage|track|enqueue|offer|push)([A-Z].*)?|complete|completed"
              // A promise or callback completed with it: succeeded(x) of Jetty's Promise/Callback.
              + "|succeeded|onSuccess|resolve");

  private final MethodTable<Use> table;
  private final Map<MethodSymbol, Boolean> releasesParameter = new HashMap<>();

  public Ownership(LeakProneConfig config) {
    MethodTable.Builder<Use> b = MethodTable.builder();
    b.putAll(CLOSERS, Use.DISCHARGE);
    b.putAll(CONTAINERS, Use.TRANSFER);
    b.putAll(IDENTITIES, Use.ALIAS);
    for (LeakProneConfig.MethodName m : config.ownershipTakingMethods()) {
      b.put(m.toString(), Use.TRANSFER);
    }
    this.table = b.build();
  }

  /**
   * What {@code call} does to the obligations passed to it as arguments, or null if nothing is
   * known.
   */
  public @Nullable CallEffect argumentEffect(ExpressionTree call, VisitorState state) {
    if (!(call instanceof MethodInvocationTree) && !(call instanceof NewClassTree)) {
      return null;
    }
    Symbol sym = ASTHelpers.getSymbol(call);
    if (!(sym instanceof MethodSymbol method)) {
      return null;
    }
    Use use = table.lookup(method, state);
    if (use != null) {
      return CallEffect.onArguments(use);
    }
    for (VarSymbol param : method.getParameters()) {
      if (hasAnnotation(param, "Owning")) {
        return CallEffect.onArguments(Use.TRANSFER);
      }
    }
    if (releasesAParameter(method, state)) {
      return CallEffect.onArguments(Use.TRANSFER);
    }
    if (call instanceof MethodInvocationTree) {
      String name = method.getSimpleName().toString();
      if (CLOSER_NAME.matcher(name).matches()) {
        return CallEffect.onArguments(Use.DISCHARGE);
      }
      if (KEEPER_NAME.matcher(name).matches()) {
        return CallEffect.onArguments(Use.TRANSFER);
      }
    }
    return null;
  }

  /**
   * Whether {@code method}, compiled in this compilation, closes one of its parameters, stores it
   * in a field, or passes it to {@code super(…)}/{@code this(…)} or to a closing or keeping helper:
   * a summary of one level, read from its source, so that {@code readConfiguration(in)} that
   * closes {@code in} in its own {@code finally} is an owner. Methods from class files are not
   * summarised.
   */
  private boolean releasesAParameter(MethodSymbol method, VisitorState state) {
    if (method.getParameters().isEmpty()) {
      return false;
    }
    if (releasesParameter.size() > 20_000) {
      releasesParameter.clear();
    }
    Boolean known = releasesParameter.get(method);
    if (known == null) {
      releasesParameter.put(method, false); // recursion guard
      known = summarize(method, state, 0);
      releasesParameter.put(method, known);
    }
    return known;
  }

  private boolean summarize(MethodSymbol method, VisitorState state, int depth) {
    Tree tree;
    try {
      tree = JavacTrees.instance(state.context).getTree(method);
    } catch (RuntimeException e) {
      return false;
    }
    if (!(tree instanceof MethodTree declaration) || declaration.getBody() == null) {
      return false;
    }
    Set<Symbol> params = new HashSet<>(method.getParameters());
    return new AnyScanner() {
      private boolean isParam(Tree t) {
        Tree stripped = t;
        while (stripped instanceof TypeCastTree cast) {
          stripped = cast.getExpression();
        }
        return stripped instanceof IdentifierTree && params.contains(ASTHelpers.getSymbol(stripped));
      }

      @Override
      public Boolean visitMethodInvocation(MethodInvocationTree node, Void unused) {
        Symbol callee = ASTHelpers.getSymbol(node);
        String name = callee == null ? "" : callee.getSimpleName().toString();
        if (node.getMethodSelect() instanceof MemberSelectTree select
            && isParam(select.getExpression())
            && CLOSER_NAME.matcher(name).matches()) {
          return true;
        }
        for (Tree arg : node.getArguments()) {
          if (isParam(arg)
              && (CLOSER_NAME.matcher(name).matches()
                  || KEEPER_NAME.matcher(name).matches()
                  || (callee != null && callee.isConstructor())
                  || delegatesToOwner(callee))) {
            return true;
          }
        }
        return super.visitMethodInvocation(node, unused);
      }

      @Override
      public Boolean visitAssignment(AssignmentTree node, Void unused) {
        Symbol target = ASTHelpers.getSymbol(node.getVariable());
        if (target != null && target.getKind() == ElementKind.FIELD && isParam(node.getExpression())) {
          return true;
        }
        return super.visitAssignment(node, unused);
      }

      @Override
      public Boolean visitTry(TryTree node, Void unused) {
        for (Tree resource : node.getResources()) {
          Tree value = resource instanceof VariableTree v ? v.getInitializer() : resource;
          if (value != null && (isParam(value) || wrapsParam(value))) {
            return true;
          }
        }
        return super.visitTry(node, unused);
      }

      /** {@code run(op)} that calls {@code run(op, true)}, which keeps it: follow a few levels. */
      private boolean delegatesToOwner(@Nullable Symbol callee) {
        if (depth >= 3 || !(callee instanceof MethodSymbol m) || callee.isConstructor()) {
          return false;
        }
        Boolean known = releasesParameter.get(m);
        if (known == null) {
          releasesParameter.put(m, false); // recursion guard
          known = summarize(m, state, depth + 1);
          releasesParameter.put(m, known);
        }
        return known;
      }

      /** {@code new BufferedReader(new InputStreamReader(param))}: wrappers nest. */
      private boolean wrapsParam(Tree value) {
        return value instanceof NewClassTree nc
            && nc.getArguments().stream().anyMatch(a -> isParam(a) || wrapsParam(a));
      }

      @Override
      public Boolean visitClass(ClassTree node, Void unused) {
        return false;
      }
    }.anyIn(declaration.getBody());
  }

  /** Whether {@code sym} carries an annotation with this simple name (any package). */
  public static boolean hasAnnotation(Symbol sym, String simpleName) {
    for (Attribute.Compound a : sym.getRawAttributes()) {
      if (a.type.tsym.getSimpleName().contentEquals(simpleName)) {
        return true;
      }
    }
    for (Attribute.TypeCompound a : sym.getRawTypeAttributes()) {
      if (a.type.tsym.getSimpleName().contentEquals(simpleName)) {
        return true;
      }
    }
    return false;
  }
}
