package dev.leakprone.resource;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewClassTree;
import com.sun.tools.javac.code.Attribute;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import dev.leakprone.common.MethodTable;
import dev.leakprone.common.Ownership;
import dev.leakprone.common.TypeTable;
import dev.leakprone.config.LeakProneConfig;
import dev.leakprone.engine.CallEffect;
import dev.leakprone.engine.CallEffect.Acquire;
import dev.leakprone.engine.CallEffect.Use;
import dev.leakprone.engine.ObligationSpec;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What UnclosedResource knows: which calls hand out a fresh {@code AutoCloseable} that the caller
 * must close, which types hold nothing, which calls release. Everything here is a table; the
 * documentation page {@code docs/checks/UnclosedResource.md} lists the same entries.
 */
final class ResourceSpec implements ObligationSpec {

  /** Static factories and instance methods that return a fresh resource the caller owns. */
  static final ImmutableList<String> FACTORIES =
      ImmutableList.of(
          "java.nio.file.Files#newInputStream|newOutputStream|newBufferedReader|newBufferedWriter|newByteChannel|newDirectoryStream|lines|list|walk|find",
          "java.nio.channels.FileChannel#open",
          "java.nio.channels.AsynchronousFileChannel#open",
          "java.nio.channels.SocketChannel#open",
          "java.nio.channels.ServerSocketChannel#open",
          "java.nio.channels.DatagramChannel#open",
          "java.nio.channels.AsynchronousSocketChannel#open",
          "java.nio.channels.AsynchronousServerSocketChannel#open",
          "java.nio.channels.Selector#open",
          "java.nio.file.FileSystems#newFileSystem",
          "java.nio.file.FileSystem#newWatchService",
          "java.net.URL#openStream",
          "java.sql.DriverManager#getConnection",
          "javax.sql.DataSource#getConnection",
          "java.sql.DatabaseMetaData#getTables|getColumns|getPrimaryKeys|getImportedKeys|getExportedKeys|getIndexInfo|getSchemas|getCatalogs|getProcedures|getTypeInfo",
          "java.net.http.HttpClient#newHttpClient",
          "java.net.http.HttpClient.Builder#build",
          "okhttp3.Call#execute",
          "org.apache.http.impl.client.CloseableHttpClient#execute",
          "org.apache.http.impl.client.HttpClients#createDefault|createSystem|createMinimal",
          "org.apache.http.impl.client.HttpClientBuilder#build",
          "org.apache.hc.client5.http.impl.classic.CloseableHttpClient#execute|executeOpen",
          "org.apache.hc.client5.http.impl.classic.HttpClients#createDefault|createSystem|createMinimal",
          "org.apache.hc.client5.http.impl.classic.HttpClientBuilder#build");

  /**
   * Factories on a receiver whose result is closed when the receiver is: statements of a connection
   * the method owns are released with it (drivers and pools close them), and a Statement closes its
   * ResultSet (JDBC contract). The rule applies only when the method owns the receiver: a ResultSet
   * (or Statement) from a statement (or connection) that is a parameter or a field is the method's
   * own to close (issue #10 item 10).
   */
  static final ImmutableList<String> CHILD_FACTORIES =
      ImmutableList.of(
          "java.sql.Connection#createStatement|prepareStatement|prepareCall",
          "java.sql.Statement#executeQuery|getResultSet|getGeneratedKeys");

  /**
   * Children that their receiver keeps as its current one and closes itself when it is used again
   * or closed (JDBC: a statement's result set is closed when the statement is re-executed or
   * closed). Obtained by the receiver's own code, on {@code this} or {@code super}, they belong to
   * the object, not to the method: a statement implementation at most holds one, not one per call.
   */
  static final ImmutableList<String> OWN_CURRENT_CHILDREN =
      ImmutableList.of("java.sql.Statement#executeQuery|getResultSet|getGeneratedKeys");

  /**
   * Calls that close the receiver's current children: "All execution methods in the Statement
   * interface implicitly close a current ResultSet object of the statement if an open one exists"
   * ({@code java.sql.Statement}), and so does {@code getMoreResults()} without arguments. With an
   * argument, {@code getMoreResults(KEEP_CURRENT_RESULT)} may keep it, so only the no-argument form
   * counts.
   */
  static final ImmutableList<String> CLOSE_CURRENT_CHILDREN =
      ImmutableList.of(
          "java.sql.Statement#execute|executeQuery|executeUpdate|executeLargeUpdate|executeBatch"
              + "|executeLargeBatch|getMoreResults");

  /** {@code HttpClient.send}: the response owns its body when the body is a stream. */
  static final ImmutableList<String> STREAMING_RESPONSES =
      ImmutableList.of("java.net.http.HttpClient#send");

  /** Calls on a resource (or a view of it) that release it, besides {@code close()}. */
  static final ImmutableList<String> RELEASES =
      ImmutableList.of(
          "okhttp3.ResponseBody#string|bytes|byteString",
          "java.util.zip.Inflater#end",
          "java.util.zip.Deflater#end",
          "java.net.http.HttpClient#shutdownNow",
          "java.sql.Connection#abort",
          "org.apache.http.client.methods.HttpRequestBase#releaseConnection");

  /** Helpers that release a response through its entity. */
  static final ImmutableList<String> ENTITY_CONSUMERS =
      ImmutableList.of(
          "org.apache.http.util.EntityUtils#consume|consumeQuietly|toString|toByteArray",
          "org.apache.hc.core5.http.io.entity.EntityUtils#consume|consumeQuietly|toString|toByteArray");

  /** Views: the result is part of the receiver (a response's entity). */
  static final ImmutableList<String> VIEWS =
      ImmutableList.of(
          "org.apache.http.HttpResponse#getEntity",
          "org.apache.hc.core5.http.ClassicHttpResponse#getEntity",
          "org.apache.http.HttpEntity#getContent",
          "org.apache.hc.core5.http.HttpEntity#getContent");

  /** AutoCloseable types that hold no operating-system or pooled resource. */
  static final ImmutableList<String> HOLD_NOTHING =
      ImmutableList.of(
          "java.io.ByteArrayInputStream",
          "java.io.ByteArrayOutputStream",
          "java.io.StringReader",
          "java.io.StringWriter",
          "java.io.CharArrayReader",
          "java.io.CharArrayWriter",
          "java.io.StringBufferInputStream",
          "java.io.PipedInputStream",
          "java.io.PipedOutputStream",
          "java.io.PipedReader",
          "java.io.PipedWriter",
          "java.util.stream.BaseStream",
          "com.google.common.io.Closer",
          "org.apache.commons.io.output.ByteArrayOutputStream",
          "org.apache.commons.io.output.StringBuilderWriter",
          "org.apache.commons.io.input.CharSequenceInputStream",
          "org.apache.commons.io.input.CharSequenceReader",
          "org.apache.commons.io.output.NullOutputStream",
          "org.apache.commons.io.output.NullWriter",
          "org.apache.commons.io.input.NullInputStream",
          "org.apache.commons.io.input.QueueInputStream",
          "org.apache.commons.io.output.QueueOutputStream",
          "org.apache.commons.io.input.UnsynchronizedByteArrayInputStream",
          "org.apache.commons.io.output.UnsynchronizedByteArrayOutputStream",
          "org.apache.commons.io.input.ClosedInputStream",
          "org.apache.commons.io.output.ClosedOutputStream",
          "okio.Buffer",
          "com.fasterxml.jackson.core.util.ByteArrayBuilder",
          // Adapters over the container's request and response, which the container closes.
          "org.springframework.http.server.ServerHttpRequest",
          "org.springframework.http.server.ServerHttpResponse");

  /**
   * AutoCloseable types that NeverCancelledScope follows (with messages about what they keep
   * alive); UnclosedResource leaves them alone, also when a factory is {@code @MustBeClosed}, so
   * that one leak is reported once. Types from {@code -XepOpt:LeakProne:ScopeTypes} join them.
   */
  static final ImmutableList<String> SCOPES =
      ImmutableList.of(
          "java.util.concurrent.ExecutorService",
          "java.util.concurrent.StructuredTaskScope",
          "io.grpc.Context.CancellableContext",
          "io.opentelemetry.context.Scope",
          "brave.Tracer.SpanInScope",
          "brave.propagation.CurrentTraceContext.Scope",
          "io.micrometer.observation.Observation.Scope");

  /**
   * Constructors of resource types that acquire nothing, by their first parameter type ("-" for no
   * parameters): a {@code Scanner} over a String, a {@code Formatter} over a StringBuilder, a
   * stream over a descriptor someone else owns.
   */
  static final ImmutableList<String> CONSTRUCTORS_THAT_ACQUIRE_NOTHING =
      ImmutableList.of(
          "java.util.Scanner(java.lang.String)",
          "java.util.Formatter(-)",
          "java.util.Formatter(java.lang.Appendable)",
          "java.util.Formatter(java.util.Locale)",
          "java.io.FileInputStream(java.io.FileDescriptor)",
          "java.io.FileOutputStream(java.io.FileDescriptor)",
          "java.io.FileReader(java.io.FileDescriptor)",
          "java.io.FileWriter(java.io.FileDescriptor)");

  // ---------------------------------------------------------------------------------------------
  // Acquisitions that issue #10 found missing, kept in their own tables.

  /**
   * Calls whose result is a fresh resource the caller owns: streams over class-path entries (a
   * jar's entry keeps the jar file open), accepted connections, class loaders (they hold their jar
   * files open), Mockito's static and construction mocks (which leak into other tests).
   */
  static final ImmutableList<String> MORE_FACTORIES =
      ImmutableList.of(
          "java.lang.Class#getResourceAsStream",
          "java.lang.ClassLoader#getResourceAsStream|getSystemResourceAsStream",
          "java.net.ServerSocket#accept",
          "java.nio.channels.ServerSocketChannel#accept",
          "java.net.URLClassLoader#newInstance",
          "org.apache.tools.ant.Project#createClassLoader",
          "org.apache.tools.ant.AntClassLoader#newAntClassLoader",
          "org.mockito.Mockito#mockStatic|mockConstruction|mockConstructionWithAnswer");

  /**
   * {@code Future.get()} when it returns one of {@link #FUTURE_RESOURCES}: {@code
   * AsynchronousServerSocketChannel.accept()} returns a future of the accepted channel, which is
   * the caller's from the moment {@code get()} returns it (if {@code get()} throws, there is no
   * channel to close).
   */
  static final ImmutableList<String> FUTURE_GETTERS =
      ImmutableList.of("java.util.concurrent.Future#get");

  /** Resources handed out through a future (see {@link #FUTURE_GETTERS}). */
  static final ImmutableList<String> FUTURE_RESOURCES =
      ImmutableList.of("java.nio.channels.AsynchronousSocketChannel");

  /**
   * Streams that a receiver which is not itself {@code AutoCloseable} hands out: the stream is the
   * resource, and the receiver's own release call (below) releases it too, so the obligation is
   * carried by both the stream and the local variable the call is made on.
   */
  static final ImmutableList<String> STREAMS_OF_RECEIVER =
      ImmutableList.of("java.net.URLConnection#getInputStream|getOutputStream");

  /** Release calls of the resources above, besides {@code close()}. */
  static final ImmutableList<String> MORE_RELEASES =
      ImmutableList.of(
          "java.net.HttpURLConnection#disconnect",
          "org.mockito.ScopedMock#closeOnDemand",
          "org.apache.tools.ant.AntClassLoader#cleanup");

  /**
   * Release verbs: a call of one of these, with no arguments, on a resource releases it as {@code
   * close()} does. Methods declared by JDK types are excluded ({@code DatagramSocket.disconnect()}
   * keeps the socket open; the JDK's release methods are in {@link #RELEASES}); names from {@code
   * -XepOpt:LeakProne:ReleaseMethods} join them.
   */
  static final ImmutableSet<String> RELEASE_VERBS =
      ImmutableSet.of(
          "close",
          "dispose",
          "abort",
          "release",
          "destroy",
          "free",
          "disconnect",
          "terminate",
          "shutdown",
          "shutdownNow",
          "closeQuietly",
          "closeNow",
          "closeImmediately",
          "forceClose",
          "releaseConnection",
          "cleanup");

  /**
   * Constructors whose object holds nothing until started, by first parameter type ("-" for none),
   * with the calls that start it: an unconnected socket has no descriptor until it connects, an
   * unbound server socket until it binds. ({@code DatagramChannel.open()} and {@code
   * SocketChannel.open()} create their descriptor at once, so they are not dormant.)
   */
  static final ImmutableList<String> DORMANT_CONSTRUCTORS =
      ImmutableList.of(
          "java.net.Socket(-)", "java.net.Socket(java.net.Proxy)", "java.net.ServerSocket(-)");

  /**
   * Calls that close their receiver when they fail: {@code SocketChannelImpl.connect} closes the
   * channel when the connection cannot be made ("connect failed, close the channel" in the JDK
   * source). {@code bind} does not, so a channel whose bind fails still leaks.
   */
  static final ImmutableList<String> RELEASE_ON_FAILURE =
      ImmutableList.of("java.nio.channels.SocketChannel#connect|finishConnect");

  /** The calls that start a dormant object. */
  static final ImmutableList<String> STARTS =
      ImmutableList.of("java.net.Socket#connect|bind", "java.net.ServerSocket#bind");

  private static final String MUST_BE_CLOSED = "MustBeClosed";

  private final TypeTable scopes;
  private final MethodTable<Acquire> factories;
  private final MethodTable<Boolean> ownCurrentChildren;
  private final MethodTable<Boolean> closeCurrentChildren;
  private final MethodTable<Use> receiverUses;
  private final MethodTable<Boolean> streamingResponses;
  private final MethodTable<Boolean> entityConsumers;
  private final MethodTable<Boolean> futureGetters;
  private final TypeTable futureResources;
  private final Ownership ownership;
  private final ResourceModel model;
  private final ImmutableSet<String> userReleaseVerbs;
  private final MethodTable<Boolean> releaseMethods;
  private final MethodTable<Use> libraryModels;
  private final MethodTable<Boolean> starts;

  ResourceSpec(LeakProneConfig config) {
    this.scopes = TypeTable.of(SCOPES).plus(config.scopeTypes().keySet());
    MethodTable.Builder<Acquire> f =
        MethodTable.<Acquire>builder()
            .putAll(FACTORIES, Acquire.FRESH)
            .putAll(CHILD_FACTORIES, Acquire.CHILD_OF_RECEIVER)
            .putAll(MORE_FACTORIES, Acquire.FRESH)
            .putAll(STREAMS_OF_RECEIVER, Acquire.FRESH_ON_RECEIVER);
    for (LeakProneConfig.MethodName m : config.extraResourceFactories()) {
      f.put(m.toString(), Acquire.FRESH);
    }
    this.factories = f.build();
    this.ownCurrentChildren =
        MethodTable.<Boolean>builder().putAll(OWN_CURRENT_CHILDREN, Boolean.TRUE).build();
    this.closeCurrentChildren =
        MethodTable.<Boolean>builder().putAll(CLOSE_CURRENT_CHILDREN, Boolean.TRUE).build();
    this.receiverUses =
        MethodTable.<Use>builder()
            .putAll(RELEASES, Use.DISCHARGE)
            .putAll(VIEWS, Use.ALIAS)
            .putAll(MORE_RELEASES, Use.DISCHARGE)
            .putAll(RELEASE_ON_FAILURE, Use.RELEASE_ON_FAILURE)
            .build();
    this.futureGetters = MethodTable.<Boolean>builder().putAll(FUTURE_GETTERS, true).build();
    this.futureResources = TypeTable.of(FUTURE_RESOURCES);
    this.streamingResponses =
        MethodTable.<Boolean>builder().putAll(STREAMING_RESPONSES, true).build();
    this.entityConsumers = MethodTable.<Boolean>builder().putAll(ENTITY_CONSUMERS, true).build();
    this.ownership = new Ownership(config);
    this.model =
        new ResourceModel(
            config,
            ImmutableList.<String>builder()
                .addAll(HOLD_NOTHING)
                .addAll(config.exemptTypes())
                .build(),
            ImmutableList.<String>builder()
                .addAll(SCOPES)
                .addAll(config.scopeTypes().keySet())
                .build());
    this.userReleaseVerbs = config.releaseMethodNames();
    MethodTable.Builder<Boolean> r = MethodTable.builder();
    config.releaseMethods().forEach(m -> r.put(m.toString(), true));
    this.releaseMethods = r.build();
    this.libraryModels =
        MethodTable.<Use>builder()
            .putAll(LibraryModels.CLOSE_ARGUMENTS, Use.DISCHARGE)
            .putAll(LibraryModels.WRAP_ARGUMENTS, Use.ALIAS)
            .build();
    this.starts = MethodTable.<Boolean>builder().putAll(STARTS, true).build();
  }

  @Override
  public boolean mayAcquire(ExpressionTree call, VisitorState state) {
    if (call instanceof NewClassTree newClass) {
      return newClass.getClassBody() == null
          ? isResourceType(ASTHelpers.getType(newClass), state) || opensFile(newClass, state)
          : isAnonymousResource(newClass, state);
    }
    return acquisition((MethodInvocationTree) call, state) != null;
  }

  @Override
  public boolean releasesChildrenOfReceiver(ExpressionTree call, VisitorState state) {
    if (!(call instanceof MethodInvocationTree invocation)) {
      return false;
    }
    MethodSymbol method = ASTHelpers.getSymbol(invocation);
    return method != null
        && closeCurrentChildren.lookup(method, state) != null
        && (!method.getSimpleName().contentEquals("getMoreResults")
            || method.getParameters().isEmpty());
  }

  @Override
  public @Nullable CallEffect effect(ExpressionTree call, VisitorState state) {
    if (call instanceof NewClassTree newClass) {
      return construction(newClass, state);
    }
    MethodInvocationTree invocation = (MethodInvocationTree) call;
    Acquire acquire = acquisition(invocation, state);
    if (acquire != null) {
      return CallEffect.acquires(acquire, label(invocation), null);
    }
    Symbol sym = ASTHelpers.getSymbol(invocation);
    if (!(sym instanceof MethodSymbol method)) {
      return null;
    }
    if (isRelease(method, state)) {
      return CallEffect.onReceiver(Use.DISCHARGE);
    }
    Use use = receiverUses.lookup(method, state);
    if (use != null) {
      return CallEffect.onReceiver(use);
    }
    if (entityConsumers.lookup(method, state) != null) {
      return CallEffect.onArguments(Use.DISCHARGE);
    }
    if (starts.lookup(method, state) != null) {
      return CallEffect.onReceiver(Use.START);
    }
    Use library = libraryModels.lookup(method, state);
    if (library != null) {
      return CallEffect.onArguments(library);
    }
    return ownership.argumentEffect(invocation, state);
  }

  private @Nullable CallEffect construction(NewClassTree newClass, VisitorState state) {
    Type type = ASTHelpers.getType(newClass);
    Symbol sym = ASTHelpers.getSymbol(newClass);
    if (newClass.getClassBody() == null
        && sym instanceof MethodSymbol c
        && libraryModels.lookup(c, state) == Use.DISCHARGE
        && takesResource(c, state)) {
      // It reads what it is given into memory and closes it (POIFSFileSystem(InputStream)).
      return CallEffect.onArguments(Use.DISCHARGE);
    }
    if (newClass.getClassBody() == null && opensFile(newClass, state)) {
      return CallEffect.acquires(Acquire.FRESH, null, null);
    }
    if (newClass.getClassBody() != null) {
      // An anonymous subclass of a resource class (new FileInputStream(f) { … }) acquires what
      // the superclass's constructor does; an anonymous Closeable (an interface or an abstract
      // class) is a callback that releases something else and holds nothing itself.
      MethodSymbol superCtor =
          isAnonymousResource(newClass, state) ? superConstructor(sym, state) : null;
      if (superCtor == null) {
        return ownership.argumentEffect(newClass, state);
      }
      sym = superCtor;
    } else if (!isResourceType(type, state)) {
      return ownership.argumentEffect(newClass, state);
    }
    if (!(sym instanceof MethodSymbol ctor)) {
      return ownership.argumentEffect(newClass, state);
    }
    if (hasAnnotation(ctor, MUST_BE_CLOSED)) {
      return CallEffect.acquires(Acquire.FRESH, null, null);
    }
    if (acquiresNothing(ctor, state)) {
      return CallEffect.NOTHING;
    }
    if (isDormant(ctor, state)) {
      return CallEffect.acquires(Acquire.DORMANT, null, null);
    }
    for (VarSymbol param : ctor.getParameters()) {
      if (holdsAutoCloseable(param.type, state)) {
        // A wrapper (BufferedReader over a Reader): it holds what it is given, nothing more. The
        // engine's default makes it an alias of the resources passed in, if the method owns any.
        return null;
      }
    }
    for (ExpressionTree argument : newClass.getArguments()) {
      if (holdsAutoCloseable(ASTHelpers.getType(argument), state)) {
        // A wrapper whose parameter is wider than AutoCloseable: new Scanner(reader) resolves to
        // Scanner(Readable), and Scanner.close() closes its source if that is Closeable.
        return null;
      }
    }
    if (readsMemoryOnly(ctor) && model.isResourceOnlyByFields(type, state)) {
      // new PRTokeniser(bytes): a type that is a resource only by its fields, made from an array
      // in memory and nothing that could name a file or a connection: it reads that array.
      return CallEffect.NOTHING;
    }
    if (model.holdsOnlyLazily(type, state)) {
      return CallEffect.acquires(Acquire.LAZY, null, null);
    }
    return CallEffect.acquires(Acquire.FRESH, null, null);
  }

  /**
   * Whether every parameter of {@code ctor} is a primitive, a boxed primitive or an array of
   * primitives, and at least one is such an array: the object is made from data in memory ({@code
   * byte[]}, {@code char[]}), not from a name, a stream or a handle (a {@code String} may be a file
   * name, so it does not count).
   */
  static boolean readsMemoryOnly(MethodSymbol ctor) {
    boolean array = false;
    for (VarSymbol param : ctor.getParameters()) {
      Type t = param.type;
      if (t.getKind() == javax.lang.model.type.TypeKind.ARRAY
          && ((Type.ArrayType) t).getComponentType().isPrimitive()) {
        array = true;
      } else if (!t.isPrimitive() && !isBoxed(t)) {
        return false;
      }
    }
    return array;
  }

  private static boolean isBoxed(Type t) {
    String name = t.tsym == null ? "" : t.tsym.getQualifiedName().toString();
    return switch (name) {
      case "java.lang.Integer",
          "java.lang.Long",
          "java.lang.Short",
          "java.lang.Byte",
          "java.lang.Character",
          "java.lang.Boolean",
          "java.lang.Float",
          "java.lang.Double" ->
          true;
      default -> false;
    };
  }

  /**
   * Whether {@code method} is a no-argument release method of a resource: {@code close()}, a method
   * its class names in {@code @MustCall}, a release verb of a non-JDK type, or one named by {@code
   * -XepOpt:LeakProne:ReleaseMethods}.
   */
  private boolean isRelease(MethodSymbol method, VisitorState state) {
    if (!method.getParameters().isEmpty() || method.isStatic()) {
      return false;
    }
    String name = method.getSimpleName().toString();
    if (name.equals("close")
        || mustCallMethod(method)
        || releaseMethods.lookup(method, state) != null) {
      return true;
    }
    if (userReleaseVerbs.contains(name)) {
      return true;
    }
    // JDK types: their release methods are in RELEASES; a verb there may mean something else.
    return RELEASE_VERBS.contains(name) && !ResourceModel.isJdk(method.owner);
  }

  /** {@code new PrintWriter("out.txt")}: a wrapper type whose constructor opens a file. */
  private static boolean opensFile(NewClassTree newClass, VisitorState state) {
    Symbol ctor = ASTHelpers.getSymbol(newClass);
    return ctor instanceof MethodSymbol method && ResourceModel.opens(method, state);
  }

  private boolean isDormant(MethodSymbol ctor, VisitorState state) {
    String owner = ctor.owner.getQualifiedName().toString();
    List<VarSymbol> params = ctor.getParameters();
    String first = params.isEmpty() ? "-" : state.getTypes().erasure(params.get(0).type).toString();
    return params.size() <= 1 && DORMANT_CONSTRUCTORS.contains(owner + "(" + first + ")");
  }

  private static boolean takesResource(MethodSymbol ctor, VisitorState state) {
    for (VarSymbol param : ctor.getParameters()) {
      if (isAutoCloseable(param.type, state)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a parameter of this type hands resources to the object: an {@code AutoCloseable}, an
   * array (or varargs) of them, or an {@code Iterable}, {@code Iterator} or {@code Enumeration} of
   * them ({@code SequenceInputStream(Enumeration<InputStream>)}, a composite reader over readers).
   */
  private static boolean holdsAutoCloseable(Type type, VisitorState state) {
    if (type == null) {
      return false;
    }
    if (type.getKind() == javax.lang.model.type.TypeKind.ARRAY) {
      return holdsAutoCloseable(state.getTypes().elemtype(type), state);
    }
    if (isAutoCloseable(type, state)) {
      return true;
    }
    String erased = state.getTypes().erasure(type).tsym.getQualifiedName().toString();
    boolean container =
        erased.equals("java.util.Enumeration")
            || erased.equals("java.util.Iterator")
            || state
                .getTypes()
                .isSubtype(
                    state.getTypes().erasure(type),
                    state.getTypes().erasure(state.getSymtab().iterableType));
    if (!container) {
      return false;
    }
    for (Type argument : type.getTypeArguments()) {
      Type bound =
          argument.getKind() == javax.lang.model.type.TypeKind.WILDCARD
              ? state.getTypes().wildUpperBound(argument)
              : argument;
      if (bound != null && isAutoCloseable(bound, state)) {
        return true;
      }
    }
    return false;
  }

  private boolean acquiresNothing(MethodSymbol ctor, VisitorState state) {
    String owner = ctor.owner.getQualifiedName().toString();
    List<VarSymbol> params = ctor.getParameters();
    String first = params.isEmpty() ? "-" : state.getTypes().erasure(params.get(0).type).toString();
    return CONSTRUCTORS_THAT_ACQUIRE_NOTHING.contains(owner + "(" + first + ")");
  }

  private @Nullable Acquire acquisition(MethodInvocationTree invocation, VisitorState state) {
    Symbol sym = ASTHelpers.getSymbol(invocation);
    if (!(sym instanceof MethodSymbol method)) {
      return null;
    }
    // Cheapest tests first: every invocation of every method passes here.
    boolean streaming = streamingResponses.lookup(method, state) != null;
    if (!streaming && futureGetters.lookup(method, state) != null) {
      return futureResources.contains(ASTHelpers.getType(invocation), state) ? Acquire.FRESH : null;
    }
    boolean annotated =
        !streaming && (hasAnnotation(method, MUST_BE_CLOSED) || hasAnnotation(method, "Owning"));
    Acquire acquire = streaming || annotated ? Acquire.FRESH : factories.lookup(method, state);
    if (acquire == null) {
      return null;
    }
    if (acquire == Acquire.CHILD_OF_RECEIVER
        && onThisObject(invocation)
        && ownCurrentChildren.lookup(method, state) != null) {
      return null;
    }
    Type result = ASTHelpers.getType(invocation);
    if (scopes.contains(result, state)) {
      return null;
    }
    if (streaming) {
      return streamingBody(result, state) ? Acquire.FRESH : null;
    }
    if (annotated) {
      return Acquire.FRESH;
    }
    // Only a result this compilation knows to be closeable (HttpClient is AutoCloseable from
    // JDK 21; execute(request, handler) returns the handler's value, not a response). Streams
    // from I/O factories are resources even though streams in general hold nothing.
    if (!isAutoCloseable(result, state) && !isResourceType(result, state)) {
      return null;
    }
    return acquire;
  }

  /** Whether {@code invocation} is made on the enclosing object: no receiver, this or super. */
  private static boolean onThisObject(MethodInvocationTree invocation) {
    ExpressionTree receiver = ASTHelpers.getReceiver(invocation);
    if (receiver == null) {
      return true;
    }
    return receiver instanceof IdentifierTree id
        && (id.getName().contentEquals("this") || id.getName().contentEquals("super"));
  }

  private boolean streamingBody(@Nullable Type response, VisitorState state) {
    if (response == null || response.getTypeArguments().isEmpty()) {
      return false;
    }
    // HttpResponse<InputStream> (ofInputStream) and HttpResponse<Stream<String>> (ofLines) hold
    // the connection until the body is closed; String or byte[] bodies hold nothing.
    Type body = response.getTypeArguments().get(0);
    return isAutoCloseable(body, state);
  }

  /**
   * The name used in messages: the static type of the call, e.g. {@code HttpResponse<InputStream>}.
   */
  private static @Nullable String label(MethodInvocationTree invocation) {
    Type type = ASTHelpers.getType(invocation);
    if (type == null) {
      return null;
    }
    String simple = type.tsym.getSimpleName().toString();
    if (!type.getTypeArguments().isEmpty()) {
      StringBuilder sb = new StringBuilder(simple).append('<');
      for (int i = 0; i < type.getTypeArguments().size(); i++) {
        sb.append(i == 0 ? "" : ", ").append(type.getTypeArguments().get(i).tsym.getSimpleName());
      }
      return sb.append('>').toString();
    }
    return simple;
  }

  /** Whether an object of {@code type} is a resource: see {@link ResourceModel}. */
  boolean isResourceType(@Nullable Type type, VisitorState state) {
    return model.isResource(type, state);
  }

  /**
   * The method that releases a resource type that is not {@code AutoCloseable}: the first one its
   * {@code @MustCall} or {@code @InheritableMustCall} names, else {@code close}.
   */
  @Nullable String releaseMethodOf(Type type) {
    if (type.tsym == null) {
      return null;
    }
    ImmutableSet<String> names = mustCallMethods(type.tsym);
    return names.isEmpty() ? "close" : names.iterator().next();
  }

  static boolean isAutoCloseable(@Nullable Type type, VisitorState state) {
    return type != null
        && !type.isPrimitive()
        && state
            .getTypes()
            .isSubtype(state.getTypes().erasure(type), state.getSymtab().autoCloseableType);
  }

  /** Whether {@code method} is named in {@code @MustCall} on its class. */
  private static boolean mustCallMethod(MethodSymbol method) {
    return method.owner != null
        && mustCallMethods(method.owner).contains(method.getSimpleName().toString());
  }

  /**
   * The methods named by a Checker Framework style {@code @MustCall({...})} on the class, or by
   * {@code @InheritableMustCall({...})} on the class or any of its supertypes.
   */
  static ImmutableSet<String> mustCallMethods(Symbol sym) {
    ImmutableSet<String> own = mustCallNames(sym, "MustCall");
    if (!own.isEmpty()) {
      return own;
    }
    return inheritableMustCall(sym, 0);
  }

  private static ImmutableSet<String> inheritableMustCall(Symbol sym, int depth) {
    ImmutableSet<String> names = mustCallNames(sym, "InheritableMustCall");
    if (!names.isEmpty() || depth > 20 || !(sym instanceof Symbol.ClassSymbol c)) {
      return names;
    }
    Type sup = c.getSuperclass();
    if (sup != null && sup.tsym != null) {
      names = inheritableMustCall(sup.tsym, depth + 1);
      if (!names.isEmpty()) {
        return names;
      }
    }
    for (Type i : c.getInterfaces()) {
      if (i.tsym != null) {
        names = inheritableMustCall(i.tsym, depth + 1);
        if (!names.isEmpty()) {
          return names;
        }
      }
    }
    return ImmutableSet.of();
  }

  private static ImmutableSet<String> mustCallNames(Symbol sym, String annotation) {
    for (Attribute.Compound a : sym.getRawAttributes()) {
      if (a.type.tsym.getSimpleName().contentEquals(annotation)) {
        ImmutableSet.Builder<String> names = ImmutableSet.builder();
        a.getElementValues().values().forEach(v -> collectStrings(v, names));
        return names.build();
      }
    }
    return ImmutableSet.of();
  }

  /**
   * Whether {@code newClass} creates an anonymous subclass of a concrete resource class ({@code new
   * FileInputStream(f) { … }}), as opposed to an anonymous implementation of an interface or of an
   * abstract class, which is a callback.
   */
  private boolean isAnonymousResource(NewClassTree newClass, VisitorState state) {
    Type named = ASTHelpers.getType(newClass.getIdentifier());
    if (named == null
        || !(named.tsym instanceof Symbol.ClassSymbol c)
        || c.isInterface()
        || (c.flags() & com.sun.tools.javac.code.Flags.ABSTRACT) != 0) {
      return false;
    }
    return isResourceType(named, state) && isResourceType(ASTHelpers.getType(newClass), state);
  }

  /**
   * The superclass constructor that an anonymous class's constructor calls: javac gives the
   * anonymous constructor the parameter types of the one it delegates to.
   */
  private static @Nullable MethodSymbol superConstructor(
      @Nullable Symbol anonymousCtor, VisitorState state) {
    if (!(anonymousCtor instanceof MethodSymbol anon)
        || !(anon.owner instanceof Symbol.ClassSymbol c)) {
      return null;
    }
    if (!c.isAnonymous()) {
      return anon;
    }
    Type sup = c.getSuperclass();
    if (sup == null || sup.tsym == null) {
      return null;
    }
    com.sun.tools.javac.code.Types types = state.getTypes();
    for (Symbol m : sup.tsym.members().getSymbolsByName(state.getNames().init)) {
      if (m instanceof MethodSymbol ms
          && ms.getParameters().size() == anon.getParameters().size()) {
        boolean same = true;
        for (int i = 0; i < ms.getParameters().size() && same; i++) {
          same =
              types.isSameType(
                  types.erasure(ms.getParameters().get(i).type),
                  types.erasure(anon.getParameters().get(i).type));
        }
        if (same) {
          return ms;
        }
      }
    }
    return null;
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
    return Ownership.hasAnnotation(sym, simpleName);
  }
}
