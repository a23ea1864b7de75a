package dev.leakprone.common;

import com.google.common.collect.ImmutableList;
import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Attribute;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import dev.leakprone.config.LeakProneConfig;
import dev.leakprone.engine.CallEffect;
import dev.leakprone.engine.CallEffect.Use;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.lang.model.element.ElementKind;
import org.jspecify.annotations.Nullable;

/**
 * What every obligation check knows about ownership, whatever the obligation: the containers that
 * take what is stored in them, the helpers that close what is passed to them, the identity methods
 * whose result is their argument, {@code @Owning} parameters and the user's ownership-taking
 * methods.
 */
public final class Ownership {

  /** Containers and holders: what is put in them is theirs to release. */
  private static final ImmutableList<String> CONTAINERS =
      ImmutableList.of(
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
  private static final ImmutableList<String> CLOSERS =
      ImmutableList.of(
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
  private static final ImmutableList<String> IDENTITIES =
      ImmutableList.of(
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
      Pattern.compile(
          "(?i)(.*close.*|release.*|dispose.*|cleanup.*|shutdown.*|destroy.*|end|finish)");

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
  private final Map<MethodSymbol, Long> releasesParameter = new HashMap<>();

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
    // Per parameter (issue #10 item 2): an @Owning parameter, or one that a method of this file
    // closes, stores or hands over, takes its own argument only.
    long owned = 0;
    List<VarSymbol> params = method.getParameters();
    for (int i = 0; i < params.size(); i++) {
      if (hasAnnotation(params.get(i), "Owning")) {
        owned |= 1L << Math.min(i, 63);
      }
    }
    owned |= releasedParameters(method, state);
    if (owned != 0) {
      return CallEffect.onArguments(Use.TRANSFER, argumentMask(owned, method, call));
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
   * The arguments of {@code call} that go to the parameters in {@code paramMask}; the arguments of
   * a variable-arity parameter all go to it.
   */
  private static long argumentMask(long paramMask, MethodSymbol method, ExpressionTree call) {
    List<? extends ExpressionTree> args =
        call instanceof MethodInvocationTree mi
            ? mi.getArguments()
            : ((NewClassTree) call).getArguments();
    int last = method.getParameters().size() - 1;
    long mask = 0;
    for (int i = 0; i < args.size(); i++) {
      int param = method.isVarArgs() ? Math.min(i, last) : i;
      if ((paramMask & (1L << Math.min(param, 63))) != 0) {
        mask |= 1L << Math.min(i, 63);
      }
    }
    return mask;
  }

  /**
   * The parameters (bit {@code i} for parameter {@code i}) that {@code method} closes, stores in a
   * field, or passes to {@code super(…)}/{@code this(…)} or to a closing or keeping helper: a
   * summary read from its source, so that {@code readConfiguration(in)} that closes {@code in} in
   * its own {@code finally} is an owner of {@code in}, and of nothing else it is passed.
   *
   * <p>Only methods declared in the compilation unit being analysed are summarised: a file's
   * findings must not depend on which other files are in the same javac run (a method of another
   * file is known by its signature, annotations and the tables, exactly as from a class file).
   */
  private long releasedParameters(MethodSymbol method, VisitorState state) {
    if (method.getParameters().isEmpty() || !inCurrentUnit(method, state)) {
      return 0;
    }
    if (releasesParameter.size() > 20_000) {
      releasesParameter.clear();
    }
    Long known = releasesParameter.get(method);
    if (known == null) {
      releasesParameter.put(method, 0L); // recursion guard
      known = summarize(method, state, 0);
      releasesParameter.put(method, known);
    }
    return known;
  }

  /** Whether {@code sym} is declared in the compilation unit that {@code state} is in. */
  public static boolean inCurrentUnit(Symbol sym, VisitorState state) {
    Symbol.ClassSymbol owner = sym.outermostClass();
    return owner != null
        && state.getPath() != null
        && owner.sourcefile != null
        && owner.sourcefile.equals(state.getPath().getCompilationUnit().getSourceFile());
  }

  private long summarize(MethodSymbol method, VisitorState state, int depth) {
    MethodTree declaration =
        dev.leakprone.engine.CandidateIndex.instance(state.context).declaration(method, state);
    if (declaration == null || declaration.getBody() == null) {
      return 0;
    }
    List<VarSymbol> params = method.getParameters();
    long[] released = {0};
    new TreeScanner<Void, Void>() {
      /* The index of the parameter {@code t} reads (through casts), or -1. */
      private int param(Tree t) {
        Tree stripped = t;
        while (stripped instanceof TypeCastTree cast) {
          stripped = cast.getExpression();
        }
        if (!(stripped instanceof IdentifierTree)) {
          return -1;
        }
        return params.indexOf(ASTHelpers.getSymbol(stripped));
      }

      private void mark(int index) {
        if (index >= 0) {
          released[0] |= 1L << Math.min(index, 63);
        }
      }

      /* Local variables that hold a wrapper of parameters, with those parameters' bits. */
      private final java.util.Map<Symbol, Long> wrappers = new java.util.HashMap<>();

      /* The parameters that {@code value} wraps ({@code new BufferedReader(new InputStreamReader(p))}). */
      private long wrapped(Tree value) {
        int p = param(value);
        long bits = p >= 0 ? 1L << Math.min(p, 63) : 0;
        if (value instanceof NewClassTree nc) {
          for (ExpressionTree arg : nc.getArguments()) {
            bits |= wrapped(arg);
          }
        }
        return bits;
      }

      /* A local wrapper closed ({@code reader.close()}) or handed on releases what it wraps. */
      private void markWrapper(Tree t) {
        Tree stripped = t;
        while (stripped instanceof TypeCastTree cast) {
          stripped = cast.getExpression();
        }
        Symbol sym = stripped instanceof IdentifierTree ? ASTHelpers.getSymbol(stripped) : null;
        Long bits = sym == null ? null : wrappers.get(sym);
        if (bits != null) {
          released[0] |= bits;
        }
      }

      @Override
      public Void visitVariable(VariableTree node, Void unused) {
        if (node.getInitializer() instanceof NewClassTree nc) {
          long bits = 0;
          for (ExpressionTree arg : nc.getArguments()) {
            bits |= wrapped(arg);
          }
          Symbol local = ASTHelpers.getSymbol(node);
          if (bits != 0 && local != null) {
            wrappers.put(local, bits);
          }
        }
        return super.visitVariable(node, null);
      }

      @Override
      public Void visitMethodInvocation(MethodInvocationTree node, Void unused) {
        Symbol callee = ASTHelpers.getSymbol(node);
        String name = callee == null ? "" : callee.getSimpleName().toString();
        boolean closer = CLOSER_NAME.matcher(name).matches();
        if (node.getMethodSelect() instanceof MemberSelectTree select && closer) {
          mark(param(select.getExpression()));
          markWrapper(select.getExpression());
        }
        long delegated = -1;
        List<? extends ExpressionTree> args = node.getArguments();
        for (int i = 0; i < args.size(); i++) {
          if (closer || KEEPER_NAME.matcher(name).matches()) {
            markWrapper(args.get(i));
          }
          int p = param(args.get(i));
          if (p < 0) {
            continue;
          }
          if (closer
              || KEEPER_NAME.matcher(name).matches()
              || (callee != null && callee.isConstructor())) {
            mark(p);
          } else if (callee instanceof MethodSymbol m && !m.isConstructor()) {
            if (delegated == -1) {
              delegated = delegatedMask(m, node);
            }
            if ((delegated & (1L << Math.min(i, 63))) != 0) {
              mark(p);
            }
          }
        }
        return super.visitMethodInvocation(node, null);
      }

      @Override
      public Void visitAssignment(AssignmentTree node, Void unused) {
        Symbol target = ASTHelpers.getSymbol(node.getVariable());
        if (target != null && target.getKind() == ElementKind.FIELD) {
          mark(param(node.getExpression()));
        }
        return super.visitAssignment(node, null);
      }

      @Override
      public Void visitTry(TryTree node, Void unused) {
        for (Tree resource : node.getResources()) {
          Tree value = resource instanceof VariableTree v ? v.getInitializer() : resource;
          if (value != null) {
            markWrapped(value);
          }
        }
        return super.visitTry(node, null);
      }

      /* {@code new BufferedReader(new InputStreamReader(param))}: wrappers nest. */
      private void markWrapped(Tree value) {
        mark(param(value));
        if (value instanceof NewClassTree nc) {
          nc.getArguments().forEach(this::markWrapped);
        }
      }

      /*
       * {@code run(op)} that calls {@code run(op, true)}, which keeps it: the arguments of {@code
       * call} that {@code callee} releases, following a few levels.
       */
      private long delegatedMask(MethodSymbol callee, MethodInvocationTree call) {
        if (depth >= 3 || !inCurrentUnit(callee, state)) {
          return 0;
        }
        Long known = releasesParameter.get(callee);
        if (known == null) {
          releasesParameter.put(callee, 0L); // recursion guard
          known = summarize(callee, state, depth + 1);
          releasesParameter.put(callee, known);
        }
        return known == 0 ? 0 : argumentMask(known, callee, call);
      }

      @Override
      public Void visitClass(ClassTree node, Void unused) {
        markCaptured(node);
        return null;
      }

      @Override
      public Void visitLambdaExpression(LambdaExpressionTree node, Void unused) {
        markCaptured(node);
        return null;
      }

      /*
       * A parameter of an AutoCloseable type captured by a lambda or an anonymous class goes with
       * it (a socket handed to the thread that serves it), as the engine treats a captured local
       * variable. Other parameters are left alone: marking one would make the summary per
       * parameter, and the unmarked arguments would lose the default (a wrapper's alias).
       */
      private void markCaptured(Tree body) {
        new TreeScanner<Void, Void>() {
          @Override
          public Void visitIdentifier(IdentifierTree node, Void unused) {
            Symbol sym = ASTHelpers.getSymbol(node);
            int index = params.indexOf(sym);
            if (index >= 0
                && ASTHelpers.isSubtype(sym.type, state.getSymtab().autoCloseableType, state)) {
              mark(index);
            }
            return null;
          }
        }.scan(body, null);
      }
    }.scan(declaration.getBody(), null);
    return released[0];
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
