package dev.leakprone.resource;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;

import com.google.auto.service.AutoService;
import com.google.errorprone.BugPattern;
import com.google.errorprone.ErrorProneFlags;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Type;
import dev.leakprone.common.Docs;
import dev.leakprone.common.LeakReporter;
import dev.leakprone.common.ObligationChecker;
import dev.leakprone.common.TryWithResourcesFix;
import dev.leakprone.engine.Leak;
import dev.leakprone.report.Findings;
import javax.inject.Inject;
import org.jspecify.annotations.Nullable;

/** An {@code AutoCloseable} acquired in a method and not closed on every path. */
@AutoService(BugChecker.class)
@BugPattern(
    // The name Eclipse and IntelliJ use for the same warning, so existing suppressions keep
    // working.
    altNames = "resource",
    summary = "Close this resource on every path, normal and exceptional",
    severity = WARNING,
    tags = BugPattern.StandardTags.LIKELY_ERROR,
    linkType = CUSTOM,
    link = Docs.BASE + "UnclosedResource.md")
public final class UnclosedResource extends ObligationChecker {
  private static final long serialVersionUID = 1L;

  private final ResourceSpec spec;

  /** For {@link java.util.ServiceLoader}, which needs a public no-argument constructor. */
  public UnclosedResource() {
    this(ErrorProneFlags.empty());
  }

  /** Used by Error Prone, which passes the {@code -XepOpt} flags. */
  @Inject
  public UnclosedResource(ErrorProneFlags flags) {
    super(flags);
    this.spec = new ResourceSpec(config());
  }

  @Override
  protected ResourceSpec spec() {
    return spec;
  }

  @Override
  protected void report(Leak leak, VisitorState state) {
    leak = namedAfterItsDeclaration(leak, state);
    Release release = release(leak, state);
    boolean returned = leak.kind() == Leak.Kind.ON_EXCEPTION && returnedByTheMethod(leak, state);
    int catchLine = leak.kind() == Leak.Kind.SOME_PATHS ? catchThatKeepsItOpen(leak, state) : 0;
    Description.Builder d =
        buildDescription(leak.site()).setMessage(message(leak, release, returned, catchLine));
    if ((leak.kind() == Leak.Kind.NEVER || leak.kind() == Leak.Kind.ON_EXCEPTION)
        && release.kind() == Release.Kind.CLOSEABLE
        && !returned) {
      TryWithResourcesFix.forAcquisition(leak.site(), state).ifPresent(d::addFix);
    }
    Findings.report(this, state, d.build(), leak.variable());
  }

  /**
   * The leak, named after the local variable its acquisition initialises ({@code InputStream in =
   * conn.getInputStream()} is {@code 'in'}, although the engine also follows it through {@code
   * conn}, whose {@code disconnect()} releases it).
   */
  private static Leak namedAfterItsDeclaration(Leak leak, VisitorState state) {
    try {
      TreePath path = TreePath.getPath(state.getPath(), leak.site());
      if (path == null) {
        return leak;
      }
      TreePath p = path;
      while (p.getParentPath() != null
          && (p.getParentPath().getLeaf() instanceof com.sun.source.tree.ParenthesizedTree
              || p.getParentPath().getLeaf() instanceof com.sun.source.tree.TypeCastTree)) {
        p = p.getParentPath();
      }
      if (p.getParentPath() != null
          && p.getParentPath().getLeaf() instanceof VariableTree v
          && p.getLeaf().equals(v.getInitializer())
          && !v.getName().contentEquals(String.valueOf(leak.variable()))) {
        return new Leak(
            leak.site(),
            leak.label(),
            v.getName().toString(),
            null,
            leak.kind(),
            leak.exceptionLine(),
            leak.detail());
      }
    } catch (RuntimeException e) {
      // keep the engine's name
    }
    return leak;
  }

  /**
   * How the leaked object is released, which decides the advice: try-with-resources only for an
   * {@code AutoCloseable}; a streaming {@code HttpResponse} through its body; a future of a
   * resource through what {@code get()} returns; any other type through its release method.
   */
  record Release(Kind kind, String method, String part) {
    enum Kind {
      CLOSEABLE,
      BODY,
      METHOD
    }

    static final Release CLOSEABLE = new Release(Kind.CLOSEABLE, "close", "");

    /** "closed" or "released": the verb that matches the release method. */
    String verb() {
      return method.equals("close") ? "closed" : "released";
    }
  }

  private Release release(Leak leak, VisitorState state) {
    Type type = ASTHelpers.getType(leak.site());
    if (type == null || ResourceSpec.isAutoCloseable(type, state)) {
      return Release.CLOSEABLE;
    }
    if (!type.getTypeArguments().isEmpty()
        && ResourceSpec.isAutoCloseable(type.getTypeArguments().get(0), state)) {
      return new Release(Release.Kind.BODY, "close", typeName(type.getTypeArguments().get(0)));
    }
    String method = spec.releaseMethodOf(type);
    return new Release(Release.Kind.METHOD, method == null ? "close" : method, "");
  }

  private static String typeName(Type type) {
    String simple = type.tsym.getSimpleName().toString();
    if (type.getTypeArguments().isEmpty()) {
      return simple;
    }
    StringBuilder sb = new StringBuilder(simple).append('<');
    for (int i = 0; i < type.getTypeArguments().size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(type.getTypeArguments().get(i).tsym.getSimpleName());
    }
    return sb.append('>').toString();
  }

  static String message(Leak leak, Release release, boolean returned, int catchLine) {
    String subject = LeakReporter.subject(leak);
    String name = leak.variable() == null ? "it" : leak.variable();
    String advice =
        switch (release.kind()) {
          case CLOSEABLE -> "use try-with-resources";
          case BODY ->
              "close its body with try-with-resources (try ("
                  + release.part()
                  + " body = "
                  + (leak.variable() == null ? "response" : leak.variable())
                  + ".body()) { … }; "
                  + leak.label()
                  + " itself is not AutoCloseable)";
          case METHOD ->
              "call its "
                  + release.method()
                  + "() in a finally block (it is not"
                  + " AutoCloseable, so try-with-resources does not apply)";
        };
    String verb = release.kind() == Release.Kind.METHOD ? release.verb() : "closed";
    return switch (leak.kind()) {
      case NEVER ->
          subject
              + " is never "
              + verb
              + "; "
              + (release.kind() == Release.Kind.CLOSEABLE
                  ? "close it with try-with-resources"
                  : advice)
              + ", or return it or hand it to an owner that "
              + (verb.equals("closed") ? "closes" : "releases")
              + " it";
      case SOME_PATHS ->
          subject
              + " is not "
              + verb
              + " on every path"
              + (catchLine > 0
                  ? ": it is "
                      + verb
                      + " when no exception is thrown, but not when the"
                      + " exception caught at line "
                      + catchLine
                      + " is handled"
                  : "")
              + "; "
              + advice
              + " so that every path "
              + (verb.equals("closed") ? "closes" : "releases")
              + " it";
      case ON_EXCEPTION -> {
        String where =
            " is not "
                + verb
                + " if an exception is thrown"
                + (leak.exceptionLine() > 0 ? " at line " + leak.exceptionLine() : "");
        if (returned) {
          // A factory: try-with-resources would close what the method hands out.
          yield subject
              + where
              + " before it is returned; catch the exception, call "
              + name
              + "."
              + releaseCall(release)
              + " and rethrow (catch (Exception e) { "
              + name
              + "."
              + releaseCall(release)
              + "; throw e; })";
        }
        yield subject
            + where
            + "; "
            + (release.kind() == Release.Kind.CLOSEABLE
                ? "use try-with-resources or close it in a finally block"
                : advice);
      }
      case OVERWRITTEN_IN_LOOP ->
          subject
              + " is acquired again on the next loop iteration while"
              + " the previous one is still open; "
              + (release.kind() == Release.Kind.CLOSEABLE
                  ? "close each one in the iteration that opens it (try-with-resources inside the loop)"
                  : "release each one in the iteration that opens it (" + advice + ")");
    };
  }

  private static String releaseCall(Release release) {
    return switch (release.kind()) {
      case BODY -> "body().close()";
      default -> release.method() + "()";
    };
  }

  /**
   * Whether the method (or lambda) being analysed returns the variable the leaked object was
   * assigned to: then it is a factory, and the object must be released only on the paths that do
   * not hand it out.
   */
  private static boolean returnedByTheMethod(Leak leak, VisitorState state) {
    try {
      Symbol var = assignedVariable(leak.site(), state);
      if (var == null) {
        return false;
      }
      Tree body = state.getPath().getLeaf();
      boolean[] found = {false};
      new TreeScanner<Void, Void>() {
        private int depth;

        @Override
        public Void visitReturn(ReturnTree node, Void unused) {
          if (node.getExpression() != null && depth == 0 && mentions(node.getExpression(), var)) {
            found[0] = true;
          }
          return super.visitReturn(node, null);
        }

        @Override
        public Void visitClass(ClassTree node, Void unused) {
          return null;
        }

        @Override
        public Void visitLambdaExpression(LambdaExpressionTree node, Void unused) {
          if (node.equals(body)) {
            return super.visitLambdaExpression(node, null);
          }
          depth++;
          try {
            return super.visitLambdaExpression(node, null);
          } finally {
            depth--;
          }
        }
      }.scan(body, null);
      return found[0];
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * For a resource closed on some paths only: the line of a {@code catch} clause through which the
   * open path goes, i.e. whose {@code try} uses the variable while the clause (and the {@code
   * finally}) never mention it, so that the method goes on normally with it open; 0 if there is
   * none.
   */
  private static int catchThatKeepsItOpen(Leak leak, VisitorState state) {
    try {
      Symbol var = assignedVariable(leak.site(), state);
      if (var == null) {
        return 0;
      }
      int[] line = {0};
      new TreeScanner<Void, Void>() {
        @Override
        public Void visitTry(com.sun.source.tree.TryTree node, Void unused) {
          if (line[0] == 0
              && mentions(node.getBlock(), var)
              && (node.getFinallyBlock() == null || !mentions(node.getFinallyBlock(), var))) {
            for (com.sun.source.tree.CatchTree c : node.getCatches()) {
              if (!mentions(c.getBlock(), var)) {
                line[0] =
                    (int)
                        state
                            .getPath()
                            .getCompilationUnit()
                            .getLineMap()
                            .getLineNumber(
                                ((com.sun.tools.javac.tree.JCTree) c).getStartPosition());
                break;
              }
            }
          }
          return super.visitTry(node, null);
        }

        @Override
        public Void visitClass(ClassTree node, Void unused) {
          return null;
        }
      }.scan(state.getPath().getLeaf(), null);
      return line[0];
    } catch (RuntimeException e) {
      return 0;
    }
  }

  private static boolean mentions(Tree e, Symbol var) {
    boolean[] found = {false};
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitIdentifier(IdentifierTree node, Void unused) {
        found[0] |= var.equals(ASTHelpers.getSymbol(node));
        return null;
      }
    }.scan(e, null);
    return found[0];
  }

  private static @Nullable Symbol assignedVariable(ExpressionTree site, VisitorState state) {
    TreePath path = TreePath.getPath(state.getPath(), site);
    for (TreePath p = path; p != null && p.getParentPath() != null; p = p.getParentPath()) {
      Tree parent = p.getParentPath().getLeaf();
      if (parent instanceof VariableTree v && p.getLeaf().equals(v.getInitializer())) {
        return ASTHelpers.getSymbol(v);
      }
      if (parent instanceof AssignmentTree a && p.getLeaf().equals(a.getExpression())) {
        return ASTHelpers.getSymbol(a.getVariable());
      }
      if (!(parent instanceof ExpressionTree)) {
        return null;
      }
    }
    return null;
  }
}
