package dev.leakprone.resource;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import com.google.errorprone.VisitorState;
import com.google.errorprone.suppliers.Supplier;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.tools.javac.code.Attribute;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.code.Types;
import com.sun.tools.javac.util.Name;
import dev.leakprone.config.LeakProneConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import javax.lang.model.type.TypeKind;
import javax.tools.JavaFileObject;
import org.jspecify.annotations.Nullable;

/**
 * When is an {@code AutoCloseable} a resource: the evidence-based rule of
 * docs/checks/UnclosedResource.md, section "What counts as a resource".
 *
 * <p>Every fact used here is read from type symbols (supertypes, declared fields, annotations),
 * which javac builds alike from source and from class files, so the answer for a type does not
 * depend on which other files are compiled with it. The one fact read from a body (an empty {@code
 * close()}) is used only for classes of the compilation unit being analysed.
 *
 * <p>In order (first match decides):
 *
 * <ol>
 *   <li>named by {@code -XepOpt:LeakProne:ResourceFactories}: a resource;
 *   <li>not {@code AutoCloseable} and no {@code @MustCall}: not a resource;
 *   <li>in {@link ResourceSpec#HOLD_NOTHING}, {@code -XepOpt:LeakProne:ExemptTypes} or a scope
 *       type: not a resource;
 *   <li>its {@code close()} is inherited unchanged from {@code java.io.InputStream} or {@code
 *       java.io.OutputStream} (which do nothing), or is empty in this compilation unit: not a
 *       resource;
 *   <li>with {@code -XepOpt:LeakProne:AnyAutoCloseable=true}: a resource (the rule of earlier
 *       versions);
 *   <li>it or a supertype carries {@code @MustCall}/{@code @InheritableMustCall} with a method
 *       name, or a constructor is {@code @MustBeClosed}: a resource;
 *   <li>it is or extends a type of {@link #KNOWN}: a resource;
 *   <li>it is a JDK type ({@code java.}, {@code javax.}, {@code jdk.}, {@code sun.}): not a
 *       resource (JDK types are decided by the tables only);
 *   <li>it, or a superclass outside the JDK, declares an instance field whose type is a resource
 *       (by this rule, nested at most {@value #MAX_DEPTH} deep), one of {@link #HOLDERS}, or an
 *       array or collection of those: a resource;
 *   <li>otherwise: not a resource.
 * </ol>
 */
final class ResourceModel {
  private static final Supplier<Name> CLOSE = VisitorState.memoize(s -> s.getName("close"));

  /**
   * Types that hold an operating-system handle, a connection or native memory; every subtype is a
   * resource. The JDK's files, sockets, channels, JDBC, zip and HTTP types and the library types
   * the tables already know.
   */
  static final ImmutableList<String> KNOWN =
      ImmutableList.of(
          "java.io.FileInputStream",
          "java.io.FileOutputStream",
          "java.io.RandomAccessFile",
          "java.io.FileReader",
          "java.io.FileWriter",
          "java.net.Socket",
          "java.net.ServerSocket",
          "java.net.DatagramSocket",
          "java.net.URLClassLoader",
          "java.nio.channels.spi.AbstractInterruptibleChannel",
          "java.nio.channels.AsynchronousChannel",
          "java.nio.channels.Selector",
          "java.nio.channels.FileLock",
          "java.nio.file.DirectoryStream",
          "java.nio.file.WatchService",
          "java.nio.file.FileSystem",
          "java.sql.Connection",
          "java.sql.Statement",
          "java.sql.ResultSet",
          "javax.sql.PooledConnection",
          "java.util.zip.ZipFile",
          "java.util.Scanner",
          "java.util.Formatter",
          "java.net.http.HttpClient",
          "java.lang.foreign.Arena",
          "javax.imageio.stream.FileImageInputStream",
          "javax.imageio.stream.FileImageOutputStream",
          "javax.management.remote.JMXConnector",
          "javax.naming.directory.DirContext",
          "javax.jms.Connection",
          "javax.jms.Session",
          "javax.jms.JMSContext",
          "jakarta.jms.Connection",
          "jakarta.jms.Session",
          "jakarta.jms.JMSContext",
          "okhttp3.Response",
          "okhttp3.ResponseBody",
          "okhttp3.Cache",
          "org.apache.http.client.methods.CloseableHttpResponse",
          "org.apache.http.impl.client.CloseableHttpClient",
          "org.apache.hc.client5.http.impl.classic.CloseableHttpClient",
          "org.apache.hc.client5.http.impl.classic.CloseableHttpResponse",
          "org.apache.hc.core5.http.ClassicHttpResponse",
          "com.zaxxer.hikari.HikariDataSource",
          "org.apache.commons.dbcp2.BasicDataSource");

  /**
   * JDK constructors that open a file although their type is a wrapper: {@code new
   * PrintWriter("out.txt")}. Keyed by type and first parameter type.
   */
  static final ImmutableSet<String> OPENING_CONSTRUCTORS =
      ImmutableSet.of(
          "java.io.PrintStream(java.io.File)",
          "java.io.PrintStream(java.lang.String)",
          "java.io.PrintWriter(java.io.File)",
          "java.io.PrintWriter(java.lang.String)");

  /**
   * Field types that, declared in a class, show that it holds a resource although the field's type
   * is abstract: a stream, reader, writer, channel or closeable the object keeps.
   */
  static final ImmutableList<String> HOLDERS =
      ImmutableList.of(
          "java.io.Closeable",
          "java.lang.AutoCloseable",
          "java.io.InputStream",
          "java.io.OutputStream",
          "java.io.Reader",
          "java.io.Writer",
          "java.nio.channels.Channel");

  /** Field types that hold the resources of their elements. */
  private static final ImmutableList<String> CONTAINERS =
      ImmutableList.of(
          "java.lang.Iterable",
          "java.util.Map",
          "java.util.Optional",
          "java.util.concurrent.atomic.AtomicReference");

  private static final ImmutableList<String> JDK_PACKAGES =
      ImmutableList.of("java.", "javax.", "jdk.", "sun.", "com.sun.");

  /** How deep the field rule looks into the types of fields. */
  static final int MAX_DEPTH = 3;

  // Tables are matched by the names of a type's supertypes, which javac completes from the
  // type's own symbol: a TypeTable looks a name up among the classes loaded so far, which
  // depends on the other files of the compilation.
  private final ImmutableSet<String> extraTypes;
  private final ImmutableSet<String> holdNothing;
  private final ImmutableSet<String> scopes;
  private final ImmutableSet<String> known;
  private final ImmutableSet<String> holders;
  private final ImmutableSet<String> containers;
  private final boolean anyAutoCloseable;
  private final Map<Symbol, Boolean> byClass = new HashMap<>();
  private final Map<Symbol, Boolean> noOpClose = new HashMap<>();

  /** Answers valid in every unit but the files they name (see {@link Answer}). */
  private final Map<Symbol, Answer> stableByClass = new HashMap<>();

  /** While an answer is computed: the source files of the {@code close()} methods consulted. */
  private java.util.@Nullable Set<JavaFileObject> consulted;

  private final Map<Symbol, Boolean> lazyByClass = new HashMap<>();

  /** The compilation unit whose bodies may be read (the one {@link #noOpClose} was filled for). */
  private @Nullable CompilationUnitTree unit;

  ResourceModel(
      LeakProneConfig config,
      java.util.Collection<String> holdNothing,
      java.util.Collection<String> scopes) {
    this.extraTypes = config.extraResourceTypes();
    this.holdNothing = ImmutableSet.copyOf(holdNothing);
    this.scopes = ImmutableSet.copyOf(scopes);
    this.known = ImmutableSet.copyOf(KNOWN);
    this.holders = ImmutableSet.copyOf(HOLDERS);
    this.containers = ImmutableSet.copyOf(CONTAINERS);
    this.anyAutoCloseable = config.anyAutoCloseable();
  }

  /** Whether an object of {@code type} holds a resource that someone must release. */
  boolean isResource(@Nullable Type type, VisitorState state) {
    if (type == null || type.isPrimitive() || !(type.tsym instanceof ClassSymbol cls)) {
      return false;
    }
    CompilationUnitTree current =
        state.getPath() == null ? null : state.getPath().getCompilationUnit();
    if (!Objects.equals(current, unit)) {
      // The empty-close fact depends on the unit: answers that read a body of this unit are
      // recomputed for each unit; the others (the common case) are kept for the compilation.
      unit = current;
      byClass.clear();
      noOpClose.clear();
      lazyByClass.clear();
    }
    if (stableByClass.size() > 50_000) {
      stableByClass.clear();
    }
    JavaFileObject file = unit == null ? null : unit.getSourceFile();
    Answer stable = stableByClass.get(cls);
    if (stable != null && (file == null || !stable.files().contains(file))) {
      return stable.value();
    }
    Boolean cached = byClass.get(cls);
    if (cached != null) {
      return cached;
    }
    java.util.Set<JavaFileObject> outer = consulted;
    consulted = new java.util.HashSet<>();
    try {
      boolean result =
          compute(state.getTypes().erasure(type), cls, state, 0, new java.util.HashSet<>());
      if (file != null && consulted.contains(file)) {
        byClass.put(cls, result);
      } else {
        stableByClass.put(cls, new Answer(result, ImmutableSet.copyOf(consulted)));
      }
      return result;
    } finally {
      if (outer != null) {
        outer.addAll(consulted);
      }
      consulted = outer;
    }
  }

  /**
   * An answer and the source files whose {@code close()} bodies it did not read but could have: the
   * answer holds in every compilation unit but those (where an empty {@code close()} would be read
   * and could change it).
   */
  private record Answer(boolean value, ImmutableSet<JavaFileObject> files) {}

  /**
   * Whether {@code type} is a resource only by rule 9 and only through fields that are not {@code
   * final}: fields that a method may fill after construction (a buffer that opens a file when its
   * writes overflow memory). Such an object holds nothing until it is first used: the engine's
   * {@code Acquire.LAZY}. Read from field flags, which class files keep too.
   */
  boolean holdsOnlyLazily(@Nullable Type type, VisitorState state) {
    if (anyAutoCloseable
        || !isResource(type, state)
        || type == null
        || !(type.tsym instanceof ClassSymbol cls)) {
      return false;
    }
    Boolean cached = lazyByClass.get(cls);
    if (cached != null) {
      return cached;
    }
    Type erased = state.getTypes().erasure(type);
    boolean result =
        onlyByFields(erased, cls, state)
            && !declaresResourceField(erased, state, 0, new java.util.HashSet<>(), true);
    lazyByClass.put(cls, result);
    return result;
  }

  /**
   * Whether {@code type} is a resource only by rule 9, the fields its class declares: no table,
   * flag or annotation names it and it is not a JDK type. What such an object holds depends on what
   * it was made from (a PDF tokeniser over a file or over a {@code byte[]}).
   */
  boolean isResourceOnlyByFields(@Nullable Type type, VisitorState state) {
    return !anyAutoCloseable
        && isResource(type, state)
        && type != null
        && type.tsym instanceof ClassSymbol cls
        && onlyByFields(state.getTypes().erasure(type), cls, state);
  }

  private boolean onlyByFields(Type erased, ClassSymbol cls, VisitorState state) {
    ImmutableSet<String> supers = superNames(erased, state);
    return !matches(supers, extraTypes)
        && !matches(supers, known)
        && !hasMustCall(erased, state)
        && !hasMustBeClosedConstructor(cls)
        && !isJdk(cls);
  }

  /** Whether {@code new T(…)} with this constructor opens something although T is a wrapper. */
  static boolean opens(MethodSymbol ctor, VisitorState state) {
    if (ctor.getParameters().isEmpty()) {
      return false;
    }
    String first = state.getTypes().erasure(ctor.getParameters().get(0).type).toString();
    return OPENING_CONSTRUCTORS.contains(ctor.owner.getQualifiedName() + "(" + first + ")");
  }

  /**
   * The rule for one type. {@code visiting} holds the types whose fields are being looked at: a
   * field of such a type is no evidence (a linked node pointing at the next). Nested answers are
   * not cached, so that an answer never depends on which type was asked about first.
   */
  private boolean compute(
      Type type, ClassSymbol cls, VisitorState state, int depth, java.util.Set<Symbol> visiting) {
    ImmutableSet<String> supers = superNames(type, state);
    if (matches(supers, extraTypes)) {
      return true;
    }
    boolean mustCall = hasMustCall(type, state);
    if (!isAutoCloseable(type, state) && !mustCall) {
      return false;
    }
    if (matches(supers, holdNothing) || matches(supers, scopes)) {
      return false;
    }
    if (!mustCall && closeIsNoOp(type, cls, state)) {
      return false;
    }
    if (anyAutoCloseable || mustCall || hasMustBeClosedConstructor(cls)) {
      return true;
    }
    if (matches(supers, known)) {
      return true;
    }
    if (isJdk(cls)) {
      return false;
    }
    if (depth >= MAX_DEPTH || !visiting.add(cls)) {
      return false;
    }
    try {
      return declaresResourceField(type, state, depth, visiting, false);
    } finally {
      visiting.remove(cls);
    }
  }

  /** Rule 9; with {@code finalOnly}, only {@code final} fields count. */
  private boolean declaresResourceField(
      Type type, VisitorState state, int depth, java.util.Set<Symbol> visiting, boolean finalOnly) {
    Types types = state.getTypes();
    for (Type t = type;
        t != null && t.tsym instanceof ClassSymbol c && !isJdk(c);
        t = types.supertype(t)) {
      for (Symbol member : ASTHelpers.getEnclosedElements(c)) {
        if (member instanceof VarSymbol field
            && !field.isStatic()
            && (!finalOnly || (field.flags() & Flags.FINAL) != 0)
            && holdsResource(field.type, state, depth, visiting)) {
          return true;
        }
      }
    }
    return false;
  }

  private boolean holdsResource(
      Type fieldType, VisitorState state, int depth, java.util.Set<Symbol> visiting) {
    if (fieldType == null || fieldType.isPrimitive()) {
      return false;
    }
    Types types = state.getTypes();
    if (fieldType.getKind() == TypeKind.ARRAY) {
      return holdsResource(types.elemtype(fieldType), state, depth, visiting);
    }
    Type erased = types.erasure(fieldType);
    if (erased.getKind() != TypeKind.DECLARED) {
      return false;
    }
    ImmutableSet<String> supers = superNames(erased, state);
    if (matches(supers, containers)) {
      for (Type argument : fieldType.getTypeArguments()) {
        Type bound =
            argument.getKind() == TypeKind.WILDCARD ? types.wildUpperBound(argument) : argument;
        if (bound != null && holdsResource(bound, state, depth, visiting)) {
          return true;
        }
      }
      return false;
    }
    if (matches(supers, holdNothing) || matches(supers, scopes)) {
      return false;
    }
    if (holders.contains(erased.tsym.getQualifiedName().toString())
        || matches(supers, known)
        || matches(supers, extraTypes)) {
      return true;
    }
    if (!(erased.tsym instanceof ClassSymbol fieldClass) || !isAutoCloseable(erased, state)) {
      return false;
    }
    return compute(erased, fieldClass, state, depth + 1, visiting);
  }

  /**
   * Whether the type's {@code close()} does nothing: inherited unchanged from {@code InputStream}
   * or {@code OutputStream} (whose {@code close()} is empty), or declared with an empty body in the
   * compilation unit being analysed. {@code Reader} and {@code Writer} declare {@code close()}
   * abstract, so their subclasses always declare one; nothing is concluded from them.
   */
  private boolean closeIsNoOp(Type type, ClassSymbol cls, VisitorState state) {
    MethodSymbol close = findClose(type, state);
    if (close == null) {
      return false;
    }
    String owner = close.owner.getQualifiedName().toString();
    if (owner.equals("java.io.InputStream") || owner.equals("java.io.OutputStream")) {
      return true;
    }
    if (!(close.owner instanceof ClassSymbol declaring) || declaring.sourcefile == null) {
      return false; // from a class file: no body is ever read
    }
    if (consulted != null) {
      consulted.add(declaring.sourcefile);
    }
    if (unit == null || !declaring.sourcefile.equals(unit.getSourceFile())) {
      return false;
    }
    return noOpClose.computeIfAbsent(
        cls,
        sym -> {
          try {
            MethodTree m =
                dev.leakprone.engine.CandidateIndex.instance(state.context)
                    .declaration(close, state);
            return m != null && m.getBody() != null && m.getBody().getStatements().isEmpty();
          } catch (RuntimeException e) {
            return false;
          }
        });
  }

  private static @Nullable MethodSymbol findClose(Type type, VisitorState state) {
    for (Type t = type;
        t != null && t.tsym instanceof ClassSymbol c;
        t = state.getTypes().supertype(t)) {
      for (Symbol m : c.members().getSymbolsByName(CLOSE.get(state))) {
        if (m instanceof MethodSymbol ms
            && ms.getParameters().isEmpty()
            && !ms.isStatic()
            && (ms.flags() & Flags.ABSTRACT) == 0) {
          return ms;
        }
      }
    }
    return null;
  }

  private final Map<Symbol, ImmutableSet<String>> superNamesCache = new HashMap<>();

  /** The qualified names of the type and all its supertypes (erased). */
  private ImmutableSet<String> superNames(Type type, VisitorState state) {
    if (superNamesCache.size() > 50_000) {
      superNamesCache.clear();
    }
    return superNamesCache.computeIfAbsent(
        type.tsym,
        t -> {
          ImmutableSet.Builder<String> names = ImmutableSet.builder();
          for (Type s : state.getTypes().closure(state.getTypes().erasure(type))) {
            if (s.tsym != null) {
              names.add(s.tsym.getQualifiedName().toString());
            }
          }
          return names.build();
        });
  }

  private static boolean matches(ImmutableSet<String> supers, ImmutableSet<String> table) {
    if (table.isEmpty()) {
      return false;
    }
    for (String name : supers) {
      if (table.contains(name)) {
        return true;
      }
    }
    return false;
  }

  static boolean isJdk(Symbol cls) {
    String name = cls.getQualifiedName().toString();
    for (String p : JDK_PACKAGES) {
      if (name.startsWith(p)) {
        return true;
      }
    }
    return false;
  }

  static boolean isAutoCloseable(@Nullable Type type, VisitorState state) {
    return type != null
        && !type.isPrimitive()
        && state
            .getTypes()
            .isSubtype(state.getTypes().erasure(type), state.getSymtab().autoCloseableType);
  }

  private static boolean hasMustBeClosedConstructor(ClassSymbol cls) {
    for (Symbol member : ASTHelpers.getEnclosedElements(cls)) {
      if (member instanceof MethodSymbol m
          && m.isConstructor()
          && hasAnnotation(m, "MustBeClosed")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the type or a supertype names a method in
   * {@code @MustCall}/{@code @InheritableMustCall}.
   */
  static boolean hasMustCall(Type type, VisitorState state) {
    if (type.tsym == null) {
      return false;
    }
    if (!mustCallMethods(type.tsym).isEmpty()) {
      return true;
    }
    for (Type s : state.getTypes().closure(type)) {
      if (s.tsym != null && !s.tsym.equals(type.tsym) && !mustCallMethods(s.tsym).isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /**
   * The methods named by a Checker Framework style {@code @MustCall}/{@code @InheritableMustCall}.
   */
  static ImmutableSet<String> mustCallMethods(Symbol sym) {
    ImmutableSet.Builder<String> names = ImmutableSet.builder();
    for (Attribute.Compound a : sym.getRawAttributes()) {
      Symbol.TypeSymbol annotation = a.type.tsym;
      if (annotation.getSimpleName().contentEquals("MustCall")
          || annotation.getSimpleName().contentEquals("InheritableMustCall")) {
        a.getElementValues().values().forEach(v -> collectStrings(v, names));
      }
    }
    return names.build();
  }

  private static void collectStrings(Attribute value, ImmutableSet.Builder<String> names) {
    if (value instanceof Attribute.Array array) {
      for (Attribute v : array.values) {
        collectStrings(v, names);
      }
    } else if (value.getValue() instanceof String s && !s.isEmpty()) {
      names.add(s);
    }
  }

  private static boolean hasAnnotation(Symbol sym, String simpleName) {
    return dev.leakprone.common.Ownership.hasAnnotation(sym, simpleName);
  }
}
