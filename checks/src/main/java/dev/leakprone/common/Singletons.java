package dev.leakprone.common;

import com.google.common.collect.ImmutableSet;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Attribute;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.code.Types;
import com.sun.tools.javac.tree.JCTree;
import com.sun.tools.javac.tree.TreeInfo;
import java.util.Collection;
import javax.lang.model.element.ElementKind;
import org.jspecify.annotations.Nullable;

/**
 * Which classes live as long as the application: the instance fields of such a class are as
 * long-lived as static fields. Shared by every check that asks "does this field outlive a request"
 * (RequestStoredInField, UnboundedStaticCollection).
 *
 * <p>A class is a singleton when it is an enum; when it carries (directly, or through a Spring
 * stereotype meta-annotation one level deep) one of {@link #ANNOTATIONS} or an extra annotation
 * from a flag; when it is a servlet, filter or Netty {@code @Sharable} handler (one instance per
 * container or pipeline); or when it holds its only instance in a {@code static final} field of its
 * own type. A class marked request- or prototype-scoped ({@link #isShortLivedScope}) is not.
 */
public final class Singletons {
  private Singletons() {}

  /** Annotations whose classes the container instantiates once. */
  public static final ImmutableSet<String> ANNOTATIONS =
      ImmutableSet.of(
          "org.springframework.stereotype.Component",
          "org.springframework.stereotype.Service",
          "org.springframework.stereotype.Controller",
          "org.springframework.stereotype.Repository",
          "org.springframework.web.bind.annotation.RestController",
          "org.springframework.web.bind.annotation.ControllerAdvice",
          "org.springframework.web.bind.annotation.RestControllerAdvice",
          "org.springframework.context.annotation.Configuration",
          "javax.inject.Singleton",
          "jakarta.inject.Singleton",
          "com.google.inject.Singleton",
          "javax.enterprise.context.ApplicationScoped",
          "jakarta.enterprise.context.ApplicationScoped",
          "javax.ws.rs.ext.Provider",
          "jakarta.ws.rs.ext.Provider",
          "io.netty.channel.ChannelHandler.Sharable",
          "javax.ejb.Singleton",
          "jakarta.ejb.Singleton");

  /** Supertypes whose instances the container creates once. */
  public static final ImmutableSet<String> SUPERTYPES =
      ImmutableSet.of(
          "javax.servlet.Servlet",
          "jakarta.servlet.Servlet",
          "javax.servlet.Filter",
          "jakarta.servlet.Filter");

  /** Annotations that make a bean short-lived whatever its stereotype. */
  private static final ImmutableSet<String> SHORT_LIVED =
      ImmutableSet.of(
          "org.springframework.web.context.annotation.RequestScope",
          "org.springframework.web.context.annotation.SessionScope",
          "javax.enterprise.context.RequestScoped",
          "jakarta.enterprise.context.RequestScoped",
          "javax.enterprise.context.Dependent",
          "jakarta.enterprise.context.Dependent");

  private static final String SPRING_SCOPE = "org.springframework.context.annotation.Scope";

  /**
   * Whether instances of {@code cls} live as long as the application.
   *
   * @param tree the class's declaration when it is in the current compilation unit (used to find a
   *     {@code static final} self instance), or null
   * @param extraAnnotations further singleton annotations, by qualified name (from a flag)
   */
  public static boolean isSingleton(
      ClassSymbol cls, @Nullable ClassTree tree, Types types, Collection<String> extraAnnotations) {
    try {
      if (cls.getKind() == ElementKind.ENUM) {
        return true;
      }
      if (isShortLivedScope(cls)) {
        return false;
      }
      for (Attribute.Compound a : cls.getAnnotationMirrors()) {
        String name = a.type.tsym.getQualifiedName().toString();
        if (ANNOTATIONS.contains(name) || extraAnnotations.contains(name)) {
          return true;
        }
        // Spring meta-annotations one level deep (@RestController is @Controller, custom
        // stereotypes).
        for (Attribute.Compound meta : a.type.tsym.getAnnotationMirrors()) {
          String metaName = meta.type.tsym.getQualifiedName().toString();
          if (metaName.startsWith("org.springframework.") && ANNOTATIONS.contains(metaName)) {
            return true;
          }
        }
      }
      if (hasSupertype(cls, SUPERTYPES, types)) {
        return true;
      }
      return tree != null && (holdsOwnInstance(cls, tree) || lazilyHoldsOwnInstance(cls, tree));
    } catch (RuntimeException | LinkageError e) {
      // A class file the compiler cannot complete: not known to be a singleton.
      return false;
    }
  }

  /**
   * Singletons whose methods the container calls once per request or message: Spring controllers
   * (also through a Spring meta-annotation one level deep), JAX-RS resources ({@code @Path}) and
   * providers, Netty {@code @Sharable} handlers, servlets and filters. Their methods' parameters
   * are what clients send; a service, repository, component, enum or self-holding singleton is
   * called by other code of the application with values that code chooses.
   */
  private static final ImmutableSet<String> REQUEST_HANDLER_ANNOTATIONS =
      ImmutableSet.of(
          "org.springframework.stereotype.Controller",
          "org.springframework.web.bind.annotation.RestController",
          "org.springframework.web.bind.annotation.ControllerAdvice",
          "org.springframework.web.bind.annotation.RestControllerAdvice",
          "javax.ws.rs.Path",
          "jakarta.ws.rs.Path",
          "javax.ws.rs.ext.Provider",
          "jakarta.ws.rs.ext.Provider",
          "io.netty.channel.ChannelHandler.Sharable");

  /** Whether the container calls {@code cls}'s methods per request: see above. */
  public static boolean servesRequests(ClassSymbol cls, Types types) {
    try {
      if (isShortLivedScope(cls)) {
        return false;
      }
      for (Attribute.Compound a : cls.getAnnotationMirrors()) {
        if (REQUEST_HANDLER_ANNOTATIONS.contains(a.type.tsym.getQualifiedName().toString())) {
          return true;
        }
        for (Attribute.Compound meta : a.type.tsym.getAnnotationMirrors()) {
          String metaName = meta.type.tsym.getQualifiedName().toString();
          if (metaName.startsWith("org.springframework.")
              && REQUEST_HANDLER_ANNOTATIONS.contains(metaName)) {
            return true;
          }
        }
      }
      return hasSupertype(cls, SUPERTYPES, types);
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  /** Whether {@code cls} is marked request-, session- or prototype-scoped. */
  public static boolean isShortLivedScope(ClassSymbol cls) {
    for (Attribute.Compound a : cls.getAnnotationMirrors()) {
      String name = a.type.tsym.getQualifiedName().toString();
      if (SHORT_LIVED.contains(name)) {
        return true;
      }
      if (name.equals(SPRING_SCOPE)) {
        for (var e : a.getElementValues().entrySet()) {
          Object v = e.getValue().getValue();
          String s = String.valueOf(v);
          if (s.equals("request")
              || s.equals("prototype")
              || s.equals("session")
              || s.endsWith("SCOPE_REQUEST")
              || s.endsWith("SCOPE_PROTOTYPE")
              || s.endsWith("SCOPE_SESSION")) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static boolean hasSupertype(ClassSymbol cls, Collection<String> names, Types types) {
    for (Type t : types.closure(cls.type)) {
      if (names.contains(t.tsym.getQualifiedName().toString())) {
        return true;
      }
    }
    return false;
  }

  /**
   * A lazily created singleton: every constructor of {@code cls} is private, and every {@code new
   * Foo(…)} in its declaration is assigned to a static field of Foo ({@code if (instance == null)
   * instance = new Foo();}).
   */
  private static boolean lazilyHoldsOwnInstance(ClassSymbol cls, ClassTree tree) {
    boolean constructors = false;
    for (Tree member : tree.getMembers()) {
      if (member instanceof JCTree.JCMethodDecl method
          && method.sym != null
          && method.sym.isConstructor()) {
        if ((method.sym.flags() & Flags.PRIVATE) == 0) {
          return false;
        }
        constructors = true;
      }
    }
    if (!constructors) {
      return false;
    }
    int[] creations = {0};
    boolean[] other = {false};
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitAssignment(AssignmentTree node, Void unused) {
        if (node.getExpression() instanceof JCTree.JCNewClass nc
            && createsOwn(nc)
            && TreeInfo.symbol((JCTree) node.getVariable()) instanceof Symbol.VarSymbol field
            && field.getKind() == ElementKind.FIELD
            && field.isStatic()
            && cls.equals(field.owner)) {
          creations[0]++;
          scan(nc.getArguments(), null);
          return null;
        }
        return super.visitAssignment(node, null);
      }

      @Override
      public Void visitNewClass(NewClassTree node, Void unused) {
        if (createsOwn((JCTree.JCNewClass) node)) {
          other[0] = true;
        }
        return super.visitNewClass(node, null);
      }

      private boolean createsOwn(JCTree.JCNewClass nc) {
        return nc.type != null && cls.equals(nc.type.tsym) && nc.getClassBody() == null;
      }
    }.scan(tree, null);
    return creations[0] > 0 && !other[0];
  }

  /** {@code static final Foo INSTANCE = new Foo();} declared in Foo itself. */
  private static boolean holdsOwnInstance(ClassSymbol cls, ClassTree tree) {
    for (Tree member : tree.getMembers()) {
      if (member instanceof VariableTree var && var.getInitializer() != null) {
        Symbol sym = ((JCTree.JCVariableDecl) var).sym;
        if (sym != null
            && (sym.flags() & (Flags.STATIC | Flags.FINAL)) == (Flags.STATIC | Flags.FINAL)
            && cls.equals(sym.type.tsym)
            && var.getInitializer() instanceof JCTree.JCNewClass nc
            && nc.getClassBody() == null) {
          return true;
        }
      }
    }
    return false;
  }
}
