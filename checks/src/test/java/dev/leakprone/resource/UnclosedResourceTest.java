package dev.leakprone.resource;

import com.google.errorprone.BugCheckerRefactoringTestHelper;
import com.google.errorprone.CompilationTestHelper;
import dev.leakprone.TestSupport;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class UnclosedResourceTest {
  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(UnclosedResource.class, getClass());

  private final BugCheckerRefactoringTestHelper refactoring =
      BugCheckerRefactoringTestHelper.newInstance(UnclosedResource.class, getClass());

  // ----------------------------------------------------------------------------------------------
  // Positives: leaks on every path, on some paths, and on exceptional paths.

  @Test
  public void neverClosed() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.*;
            class Test {
              int read(File f) throws IOException {
                // BUG: Diagnostic contains: 'in' (FileInputStream) is never closed
                InputStream in = new FileInputStream(f);
                return in.read();
              }
            }
            """)
        .doTest();
  }

  @Test
  public void notClosedWhenReadThrows() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.*;
            class Test {
              int read(File f) throws IOException {
                // BUG: Diagnostic contains: 'in' (FileInputStream) is not closed if an exception is thrown at line 6
                InputStream in = new FileInputStream(f);
                int b = in.read();
                in.close();
                return b;
              }
            }
            """)
        .doTest();
  }

  @Test
  public void closedOnlyOnOneBranch() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.*;
            class Test {
              void write(File f, boolean flush) throws IOException {
                // BUG: Diagnostic contains: 'out' (FileOutputStream) is not closed on every path
                OutputStream out = new FileOutputStream(f);
                if (flush) {
                  out.close();
                }
              }
            }
            """)
        .doTest();
  }

  // ----------------------------------------------------------------------------------------------
  // Negatives.

  @Test
  public void tryWithResources() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.*;
            class Test {
              int read(File f) throws IOException {
                try (InputStream in = new FileInputStream(f)) {
                  return in.read();
                }
              }
              int wrapped(File f) throws IOException {
                try (BufferedReader r = new BufferedReader(new FileReader(f))) {
                  return r.read();
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  public void closeInFinally() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.*;
            class Test {
              int read(File f) throws IOException {
                InputStream in = new FileInputStream(f);
                try {
                  return in.read();
                } finally {
                  in.close();
                }
              }
              int nullChecked(File f) throws IOException {
                InputStream in = null;
                try {
                  in = new FileInputStream(f);
                  return in.read();
                } finally {
                  if (in != null) {
                    in.close();
                  }
                }
              }
            }
            """)
        .doTest();
  }

  // ----------------------------------------------------------------------------------------------
  // More positives.

  @Test
  public void jdbcStatementOnBorrowedConnection() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.sql.*;
            class Test {
              int count(Connection c) throws SQLException {
                // BUG: Diagnostic contains: 'st' (Statement) is never closed
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select count(*) from t");
                rs.next();
                return rs.getInt(1);
              }
            }
            """)
        .doTest();
  }

  @Test
  public void jdbcConnectionFromDataSourceNeverClosed() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.sql.*;
            import javax.sql.DataSource;
            class Test {
              boolean ping(DataSource ds) throws SQLException {
                // BUG: Diagnostic contains: 'c' (Connection) is never closed
                Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("select 1");
                return ps.execute();
              }
            }
            """)
        .doTest();
  }

  @Test
  public void filesLinesStreamNotClosed() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.IOException;
            import java.nio.file.*;
            import java.util.List;
            import java.util.stream.*;
            class Test {
              long count(Path p) throws IOException {
                // BUG: Diagnostic contains: Stream<String> is never closed
                return Files.lines(p).filter(l -> !l.isBlank()).count();
              }
              List<Path> children(Path dir) throws IOException {
                // BUG: Diagnostic contains: 'paths' (Stream<Path>) is never closed
                Stream<Path> paths = Files.list(dir);
                return paths.collect(Collectors.toList());
              }
            }
            """)
        .doTest();
  }

  @Test
  public void okHttpResponseNotClosed() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.IOException;
            import okhttp3.*;
            class Test {
              int status(OkHttpClient client, Request request) throws IOException {
                // BUG: Diagnostic contains: 'response' (Response) is never closed
                Response response = client.newCall(request).execute();
                return response.code();
              }
            }
            """)
        .doTest();
  }

  @Test
  public void apacheHttpClientResponsesNotClosed() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.IOException;
            import org.apache.http.client.methods.*;
            import org.apache.http.impl.client.CloseableHttpClient;
            class Test {
              int status4(CloseableHttpClient client, HttpGet get) throws IOException {
                // BUG: Diagnostic contains: 'response' (CloseableHttpResponse) is never closed
                CloseableHttpResponse response = client.execute(get);
                return response.getStatusLine().getStatusCode();
              }
              int status5(org.apache.hc.client5.http.impl.classic.CloseableHttpClient client,
                  org.apache.hc.client5.http.classic.methods.HttpGet get) throws IOException {
                // BUG: Diagnostic contains: (CloseableHttpResponse) is never closed
                var response = client.execute(get);
                return response.getCode();
              }
            }
            """)
        .doTest();
  }

  @Test
  public void jdkHttpClientStreamingBodyNotClosed() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.*;
            import java.net.http.*;
            class Test {
              int firstByte(HttpClient client, HttpRequest req) throws IOException, InterruptedException {
                // BUG: Diagnostic contains: 'resp' (HttpResponse<InputStream>) is never closed
                HttpResponse<InputStream> resp = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
                return resp.body().read();
              }
              String text(HttpClient client, HttpRequest req) throws IOException, InterruptedException {
                return client.send(req, HttpResponse.BodyHandlers.ofString()).body();
              }
              int closedBody(HttpClient client, HttpRequest req) throws IOException, InterruptedException {
                HttpResponse<InputStream> resp = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream body = resp.body()) {
                  return body.read();
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  public void reacquiredInLoop() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.*;
            import java.util.List;
            class Test {
              void copyAll(List<File> files, OutputStream out) throws IOException {
                InputStream in = null;
                try {
                  for (File f : files) {
                    // BUG: Diagnostic contains: 'in' (FileInputStream) is acquired again on the next loop iteration
                    in = new FileInputStream(f);
                    in.transferTo(out);
                  }
                } finally {
                  if (in != null) {
                    in.close();
                  }
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  public void multiCatchAndRethrowWithoutClose() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.*;
            class Test {
              byte[] load(File f) {
                try {
                  // BUG: Diagnostic contains: 'in' (FileInputStream) is never closed
                  InputStream in = new FileInputStream(f);
                  return in.readAllBytes();
                } catch (IOException | IllegalStateException e) {
                  throw new UncheckedIOException(new IOException(e));
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  public void lambdaAndAnonymousClassBodiesAreAnalysedOnTheirOwn() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.*;
            import java.util.concurrent.Callable;
            class Test {
              Callable<Integer> lambda(File f) {
                return () -> {
                  // BUG: Diagnostic contains: 'in' (FileInputStream) is never closed
                  InputStream in = new FileInputStream(f);
                  return in.read();
                };
              }
              Callable<Integer> anonymous(File f) {
                return new Callable<Integer>() {
                  @Override
                  public Integer call() throws IOException {
                    // BUG: Diagnostic contains: 'in' (FileInputStream) is never closed
                    InputStream in = new FileInputStream(f);
                    return in.read();
                  }
                };
              }
              Callable<Integer> expressionLambda(File f) {
                // BUG: Diagnostic contains: FileInputStream is never closed
                return () -> new FileInputStream(f).read();
              }
            }
            """)
        .doTest();
  }

  @Test
  public void switchExpressionVarRecordAndGenerics() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.*;
            import java.nio.file.*;
            import java.util.stream.Stream;
            class Test {
              record Loader(Path root) {
                long size(String name) throws IOException {
                  // BUG: Diagnostic contains: 'ch' (FileChannel) is never closed
                  var ch = java.nio.channels.FileChannel.open(root.resolve(name));
                  return ch.size();
                }
              }
              int read(File f, int mode) throws IOException {
                InputStream in = switch (mode) {
                  // BUG: Diagnostic contains: 'in' (FileInputStream) is never closed
                  case 0 -> new FileInputStream(f);
                  // BUG: Diagnostic contains: 'in' (BufferedInputStream over FileInputStream) is never closed
                  default -> new BufferedInputStream(new FileInputStream(f));
                };
                return in.read();
              }
              <T extends Path> long walk(T root) throws IOException {
                // BUG: Diagnostic contains: 'all' (Stream<Path>) is never closed
                Stream<Path> all = Files.walk(root);
                return all.count();
              }
            }
            """)
        .doTest();
  }

  @Test
  public void nestedTryLeaksWhenOuterStatementThrows() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.*;
            class Test {
              void copy(File from, File to) throws IOException {
                // BUG: Diagnostic contains: 'in' (FileInputStream) is not closed if an exception is thrown at line 6
                InputStream in = new FileInputStream(from);
                OutputStream out = new FileOutputStream(to);
                try {
                  try {
                    in.transferTo(out);
                  } finally {
                    out.close();
                  }
                } finally {
                  in.close();
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  public void mustBeClosedAnnotatedFactory() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import com.google.errorprone.annotations.MustBeClosed;
            import java.io.*;
            class Test {
              @MustBeClosed
              static Reader open(String name) throws IOException {
                return new FileReader(name);
              }
              int first(String name) throws IOException {
                // BUG: Diagnostic contains: 'r' (Reader) is never closed
                Reader r = open(name);
                return r.read();
              }
            }
            """)
        .doTest();
  }

  @Test
  public void configuredFactoriesAndTypes() {
    helper
        .setArgs(
            "-XepOpt:LeakProne:ResourceFactories=com.acme.Pool#borrow,com.acme.Lease",
            "-XepOpt:LeakProne:ExemptTypes=java.io.FileInputStream")
        .addSourceLines(
            "Pool.java",
            """
            package com.acme;
            public class Pool {
              public Lease borrow() { return new Lease(); }
              public java.io.InputStream stream() { return null; }
            }
            """)
        .addSourceLines(
            "Lease.java",
            """
            package com.acme;
            public class Lease {
              public void close() {}
            }
            """)
        .addSourceLines(
            "Test.java",
            """
            import com.acme.*;
            import java.io.*;
            class Test {
              void use(Pool pool, File f) throws IOException {
                // BUG: Diagnostic contains: 'lease' (Lease) is never closed
                Lease lease = pool.borrow();
                // BUG: Diagnostic contains: 'fresh' (Lease) is never closed
                Lease fresh = new Lease();
                Lease closed = pool.borrow();
                closed.close();
                InputStream exempt = new FileInputStream(f);
                exempt.read();
              }
            }
            """)
        .doTest();
  }

  // ----------------------------------------------------------------------------------------------
  // More negatives: the idioms that make other tools noisy.

  @Test
  public void ownershipReturnedOrStored() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.*;
            import java.util.*;
            class Test {
              private InputStream field;
              private final List<Closeable> open = new ArrayList<>();
              private final Map<String, Reader> readers = new HashMap<>();
              InputStream returned(File f) throws IOException {
                return new FileInputStream(f);
              }
              InputStream returnedWrapped(File f) throws IOException {
                InputStream in = new FileInputStream(f);
                return new BufferedInputStream(in);
              }
              Optional<InputStream> returnedInOptional(File f) throws IOException {
                InputStream in = new FileInputStream(f);
                return Optional.of(in);
              }
              void stored(File f) throws IOException {
                field = new FileInputStream(f);
              }
              void storedInCollections(File f) throws IOException {
                FileInputStream in = new FileInputStream(f);
                open.add(in);
                readers.put(f.getName(), new FileReader(f));
              }
              void storedInArray(File f, Closeable[] slots) throws IOException {
                slots[0] = new FileInputStream(f);
              }
              Reader conditionallyReturned(File f, boolean gz) throws IOException {
                InputStream in = new FileInputStream(f);
                return gz ? new InputStreamReader(new java.util.zip.GZIPInputStream(in)) : new InputStreamReader(in);
              }
            }
            """)
        .doTest();
  }

  @Test
  public void handedOverAtOnceAndOperandsStillAnalysed() {
    // Acquisitions whose value goes straight to an owner need no control-flow graph; a resource
    // created among the operands of such an expression is still analysed.
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.*;
            class Test {
              private Closeable field;
              private Reader reader;
              Closeable castAndParenthesized(File f) throws IOException {
                return (Closeable) (new FileInputStream(f));
              }
              Reader cachedInField(File f) throws IOException {
                Reader r = reader;
                return r != null ? r : (reader = new FileReader(f));
              }
              void storedThroughConditional(File f, Closeable[] slots) throws IOException {
                field = f.exists() ? new FileInputStream(f) : null;
                slots[f.getName().length()] = (new FileReader(f));
              }
              int readsFromAnArgument(File f) throws IOException {
                // BUG: Diagnostic contains: FileInputStream is never closed
                return count(new FileInputStream(f));
              }
              int argumentOfAReturnedValue(File f, boolean b) throws IOException {
                // BUG: Diagnostic contains: FileInputStream
                return b ? count(new FileInputStream(f)) : 0;
              }
              static int count(InputStream in) throws IOException {
                return in.read();
              }
            }
            """)
        .doTest();
  }

  @Test
  public void wrappersAndTheirInnerResources() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.*;
            import java.util.zip.*;
            class Test {
              String firstLine(File f) throws IOException {
                FileReader fr = new FileReader(f);
                BufferedReader br = new BufferedReader(fr);
                try {
                  return br.readLine();
                } finally {
                  fr.close();
                }
              }
              int gz(File f) throws IOException {
                try (InputStream in = new GZIPInputStream(new BufferedInputStream(new FileInputStream(f)))) {
                  return in.read();
                }
              }
              void wrapperOfBorrowedStream(InputStream borrowed) throws IOException {
                BufferedReader r = new BufferedReader(new InputStreamReader(borrowed));
                r.readLine();
              }
            }
            """)
        .doTest();
  }

  @Test
  public void resourcesThatHoldNothing() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.*;
            import java.util.*;
            class Test {
              byte[] serialize(Object o) throws IOException {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                ObjectOutputStream out = new ObjectOutputStream(bytes);
                out.writeObject(o);
                out.flush();
                return bytes.toByteArray();
              }
              String render(Exception e) {
                StringWriter sw = new StringWriter();
                e.printStackTrace(new PrintWriter(sw));
                return sw.toString();
              }
              int words(String text) {
                Scanner s = new Scanner(text);
                int n = 0;
                while (s.hasNext()) { s.next(); n++; }
                return n;
              }
              String format(double d) {
                Formatter f = new Formatter(new StringBuilder());
                return f.format("%.2f", d).toString();
              }
              String console() {
                Scanner in = new Scanner(System.in);
                return in.nextLine();
              }
              int reader(String s) throws IOException {
                return new BufferedReader(new StringReader(s)).read();
              }
              long streams(List<String> items) {
                return items.stream().filter(s -> s.isEmpty()).count();
              }
            }
            """)
        .doTest();
  }

  @Test
  public void helperClosers() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import com.google.common.io.Closeables;
            import com.google.common.io.Closer;
            import java.io.*;
            import java.sql.*;
            import org.apache.commons.dbutils.DbUtils;
            import org.apache.commons.io.IOUtils;
            import org.springframework.jdbc.support.JdbcUtils;
            class Test {
              int commonsIo(File f) throws IOException {
                InputStream in = null;
                try {
                  in = new FileInputStream(f);
                  return in.read();
                } finally {
                  IOUtils.closeQuietly(in);
                }
              }
              int guavaCloseables(File f) throws IOException {
                InputStream in = new FileInputStream(f);
                try {
                  return in.read();
                } finally {
                  Closeables.closeQuietly(in);
                }
              }
              int guavaCloser(File f) throws IOException {
                Closer closer = Closer.create();
                try {
                  InputStream in = closer.register(new FileInputStream(f));
                  return in.read();
                } catch (Throwable t) {
                  throw closer.rethrow(t);
                } finally {
                  closer.close();
                }
              }
              int dbUtils(Connection c) throws SQLException {
                Statement st = null;
                try {
                  st = c.createStatement();
                  return st.executeUpdate("delete from t");
                } finally {
                  DbUtils.closeQuietly(st);
                }
              }
              boolean spring(Connection c) throws SQLException {
                PreparedStatement ps = c.prepareStatement("select 1");
                try {
                  return ps.execute();
                } finally {
                  JdbcUtils.closeStatement(ps);
                }
              }
              int projectHelper(File f) throws IOException {
                InputStream in = new FileInputStream(f);
                try {
                  return in.read();
                } finally {
                  closeSilently(in);
                }
              }
              static void closeSilently(Closeable c) {
                try { c.close(); } catch (IOException ignored) {}
              }
            }
            """)
        .doTest();
  }

  @Test
  public void jdbcContract() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.sql.*;
            import javax.sql.DataSource;
            class Test {
              int statementClosesItsResultSet(Connection c) throws SQLException {
                try (Statement st = c.createStatement()) {
                  ResultSet rs = st.executeQuery("select 1");
                  rs.next();
                  return rs.getInt(1);
                }
              }
              int connectionClosesItsStatements(DataSource ds) throws SQLException {
                try (Connection c = ds.getConnection()) {
                  PreparedStatement ps = c.prepareStatement("select 1");
                  ResultSet rs = ps.executeQuery();
                  return rs.next() ? 1 : 0;
                }
              }
              void allClosed(DataSource ds) throws SQLException {
                try (Connection c = ds.getConnection();
                    PreparedStatement ps = c.prepareStatement("update t set x = ?")) {
                  ps.setInt(1, 1);
                  ps.executeUpdate();
                }
              }
              DatabaseMetaData metaData(Connection c) throws SQLException {
                return c.getMetaData();
              }
            }
            """)
        .doTest();
  }

  @Test
  public void httpClientIdioms() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.IOException;
            import okhttp3.*;
            import org.apache.http.client.methods.*;
            import org.apache.http.impl.client.CloseableHttpClient;
            import org.apache.http.util.EntityUtils;
            class Test {
              String okString(OkHttpClient client, Request request) throws IOException {
                return client.newCall(request).execute().body().string();
              }
              int okTry(OkHttpClient client, Request request) throws IOException {
                try (Response response = client.newCall(request).execute()) {
                  return response.code();
                }
              }
              String apacheTry(CloseableHttpClient client, HttpGet get) throws IOException {
                try (CloseableHttpResponse response = client.execute(get)) {
                  return EntityUtils.toString(response.getEntity());
                }
              }
              String apacheHandler(CloseableHttpClient client, HttpGet get) throws IOException {
                return client.execute(get, r -> EntityUtils.toString(r.getEntity()));
              }
              void apacheConsumed(CloseableHttpClient client, HttpGet get) throws IOException {
                CloseableHttpResponse response = client.execute(get);
                EntityUtils.consume(response.getEntity());
              }
            }
            """)
        .doTest();
  }

  @Test
  public void capturedByLambdaOrHandedToOwner() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.*;
            import java.util.concurrent.*;
            class Test {
              static final class Owner implements Closeable {
                private final InputStream in;
                Owner(InputStream in) { this.in = in; }
                @Override public void close() throws IOException { in.close(); }
              }
              Future<?> async(ExecutorService pool, File f) throws IOException {
                InputStream in = new FileInputStream(f);
                return pool.submit(() -> {
                  try (in) {
                    return in.read();
                  }
                });
              }
              Owner owner(File f) throws IOException {
                InputStream in = new FileInputStream(f);
                return new Owner(in);
              }
              Runnable closer(File f) throws IOException {
                InputStream in = new FileInputStream(f);
                return () -> { try { in.close(); } catch (IOException e) { throw new UncheckedIOException(e); } };
              }
            }
            """)
        .doTest();
  }

  @Test
  public void handedToTheConsumerOfAFutureOrCallback() {
    // Seen in httpclient5's PoolingAsyncClientConnectionManager: the leased endpoint is handed to
    // the caller through resultFuture.completed(endpoint).
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.*;
            import java.util.concurrent.CompletableFuture;
            import org.apache.hc.core5.concurrent.FutureCallback;
            class Test {
              void viaFuture(File f, CompletableFuture<InputStream> result) throws IOException {
                InputStream in = new FileInputStream(f);
                result.complete(in);
              }
              void viaCallback(File f, FutureCallback<InputStream> callback) throws IOException {
                InputStream in = new FileInputStream(f);
                callback.completed(in);
              }
              void onlyItsContentHandedOver(File f, CompletableFuture<Integer> result) throws IOException {
                // BUG: Diagnostic contains: 'in' (FileInputStream) is never closed
                InputStream in = new FileInputStream(f);
                result.complete(in.read());
              }
            }
            """)
        .doTest();
  }

  @Test
  public void handedToSuperConstructorOrKeptBySetter() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.*;
            class Test {
              static final class CountingStream extends FilterInputStream {
                CountingStream(File f) throws IOException {
                  super(new FileInputStream(f));
                }
                CountingStream(String name) throws IOException {
                  this(new File(name));
                }
              }
              static final class Parser {
                void setInput(Reader r) {}
                void addSource(Closeable c) {}
              }
              void configure(Parser p, File f) throws IOException {
                p.setInput(new FileReader(f));
                p.addSource(new FileInputStream(f));
              }
            }
            """)
        .doTest();
  }

  @Test
  public void jdkHttpClientIsAResourceFromJdk21() {
    org.junit.Assume.assumeTrue(Runtime.version().feature() >= 21);
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.IOException;
            import java.net.http.*;
            class Test {
              private final HttpClient shared = HttpClient.newHttpClient();
              String fetch(HttpRequest req) throws IOException, InterruptedException {
                // BUG: Diagnostic contains: 'client' (HttpClient) is never closed
                HttpClient client = HttpClient.newBuilder().build();
                return client.send(req, HttpResponse.BodyHandlers.ofString()).body();
              }
              String fetchClosed(HttpRequest req) throws IOException, InterruptedException {
                try (HttpClient client = HttpClient.newHttpClient()) {
                  return client.send(req, HttpResponse.BodyHandlers.ofString()).body();
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  public void closedInCatchBeforeRethrow() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.*;
            class Test {
              InputStream openChecked(File f) throws IOException {
                InputStream in = new FileInputStream(f);
                try {
                  if (in.read() != 0x1f) {
                    throw new IOException("not gzip");
                  }
                  return in;
                } catch (IOException e) {
                  in.close();
                  throw e;
                }
              }
              int rethrowWrapped(File f) {
                try (InputStream in = new FileInputStream(f)) {
                  return in.read();
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  public void explicitThrowLeavesItOpen() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.*;
            class Test {
              InputStream openChecked(File f) throws IOException {
                // BUG: Diagnostic contains: 'in' (FileInputStream) is not closed if an exception is thrown at line 7
                InputStream in = new FileInputStream(f);
                if (f.length() == 0) {
                  throw new IllegalArgumentException("empty file " + f);
                }
                return in;
              }
            }
            """)
        .doTest();
  }

  @Test
  public void handedToAMethodOfThisCompilationThatClosesIt() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.*;
            import java.util.Properties;
            class Test {
              private final Properties props = new Properties();
              void init(File f) throws IOException {
                InputStream is = new FileInputStream(f);
                readConfiguration(is);
              }
              void readConfiguration(InputStream is) {
                try {
                  props.load(is);
                } catch (IOException e) {
                  // ignored
                } finally {
                  try { is.close(); } catch (IOException ignored) {}
                }
              }
              void notClosedByCallee(File f) throws IOException {
                // BUG: Diagnostic contains: 'is' (FileInputStream) is never closed
                InputStream is = new FileInputStream(f);
                load(is);
              }
              void load(InputStream is) throws IOException {
                props.load(is);
              }
            }
            """)
        .doTest();
  }

  @Test
  public void infeasibleNullBranchesAreNotTaken() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.*;
            import java.net.*;
            import org.xml.sax.InputSource;
            class Test {
              void parse(URL url, InputStream stream) {
                InputSource source = null;
                try {
                  source = new InputSource(url.toString());
                  if (stream == null) {
                    stream = url.openConnection().getInputStream();
                  }
                } catch (IOException e) {
                  return;
                }
                if (source == null) {
                  return;
                }
                try {
                  source.getSystemId();
                } finally {
                  try { stream.close(); } catch (IOException ignored) {}
                }
              }
              InputSource open(File f, String name) throws IOException {
                InputStream stream = null;
                InputSource source = null;
                try {
                  stream = new FileInputStream(f);
                  if (name != null) {
                    source = new InputSource(name);
                    source.setByteStream(stream);
                  }
                } finally {
                  if (source == null && stream != null) {
                    stream.close();
                  }
                }
                return source;
              }
              InputStream successFlag(File f) throws IOException {
                InputStream in = new FileInputStream(f);
                boolean success = false;
                try {
                  if (in.read() < 0) {
                    throw new EOFException();
                  }
                  success = true;
                  return in;
                } finally {
                  if (!success) {
                    in.close();
                  }
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  public void scopesAreLeftToNeverCancelledScope() {
    helper
        .setArgs("-XepOpt:LeakProne:ScopeTypes=Test.Lease:release")
        .addSourceLines(
            "Test.java",
            """
            import io.opentelemetry.api.trace.Span;
            import io.opentelemetry.context.Scope;
            import java.util.concurrent.*;
            class Test {
              static class Lease implements AutoCloseable {
                void release() {}
                @Override public void close() {}
              }
              void scope(Span span) {
                Scope scope = span.makeCurrent();
                span.end();
              }
              void pool() {
                ExecutorService pool = Executors.newFixedThreadPool(2);
                pool.submit(() -> {});
                ForkJoinPool fj = new ForkJoinPool();
              }
              void lease() {
                Lease lease = new Lease();
              }
            }
            """)
        .doTest();
  }

  @Test
  public void anonymousClosersAndDelegatingOwners() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.*;
            import java.util.ArrayDeque;
            import java.util.Queue;
            class Test {
              interface Op extends Closeable { void run(); }
              private final Queue<Op> queue = new ArrayDeque<>();
              void callback(InputStream data, Runnable task) {
                submit(task, new Closeable() {
                  @Override public void close() throws IOException { data.close(); }
                });
              }
              void submit(Runnable task, Closeable onDone) {}
              void delegate(File f) throws IOException {
                enqueue(new FileInputStream(f));
              }
              private void enqueue(InputStream in) {
                enqueue(in, true);
              }
              private void enqueue(InputStream in, boolean now) {
                queue.offer(new Op() {
                  @Override public void run() {}
                  @Override public void close() throws IOException { in.close(); }
                });
                remember(in);
              }
              private final java.util.List<Closeable> kept = new java.util.ArrayList<>();
              private void remember(Closeable c) { kept.add(c); }
            }
            """)
        .doTest();
  }

  @Test
  public void inMemoryStreamsWhoseCloseDoesNothing() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.*;
            class Test {
              static final class ZeroInputStream extends InputStream {
                @Override public int read() { return 0; }
              }
              static final class ChunkReader extends Reader {
                @Override public int read(char[] buf, int off, int len) { return -1; }
                @Override public void close() {}
              }
              static final class Counting extends OutputStream {
                long count;
                @Override public void write(int b) { count++; }
              }
              int zeros() throws IOException {
                InputStream in = new ZeroInputStream();
                return in.read();
              }
              int chunk() throws IOException {
                Reader r = new ChunkReader();
                return r.read(new char[1], 0, 1);
              }
              long counted(byte[] data) throws IOException {
                Counting c = new Counting();
                c.write(data);
                return c.count;
              }
              String okioBuffer(String s) {
                okio.Buffer buffer = new okio.Buffer();
                buffer.writeUtf8(s);
                return buffer.readUtf8();
              }
            }
            """)
        .doTest();
  }

  @Test
  public void owningParameterAndConfiguredOwnershipTakingMethod() {
    helper
        .setArgs("-XepOpt:LeakProne:OwnershipTakingMethods=Test.Registry#adopt")
        .addSourceLines(
            "Test.java",
            """
            import java.io.*;
            import org.checkerframework.checker.mustcall.qual.Owning;
            class Test {
              static class Registry {
                void adopt(Closeable c) {}
                void track(@Owning Closeable c) {}
              }
              void adopt(Registry r, File f) throws IOException {
                r.adopt(new FileInputStream(f));
              }
              void track(Registry r, File f) throws IOException {
                r.track(new FileInputStream(f));
              }
            }
            """)
        .doTest();
  }

  @Test
  public void controlFlowThatClosesOnEveryPath() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.*;
            import java.util.List;
            class Test {
              int loopWithBreakAndContinue(List<File> files) throws IOException {
                int total = 0;
                for (File f : files) {
                  try (InputStream in = new FileInputStream(f)) {
                    int b = in.read();
                    if (b < 0) {
                      continue;
                    }
                    if (b == 0) {
                      break;
                    }
                    total += b;
                  }
                }
                return total;
              }
              int earlyReturn(File f, boolean skip) throws IOException {
                if (skip) {
                  return 0;
                }
                InputStream in = new FileInputStream(f);
                try {
                  if (in.available() == 0) {
                    return -1;
                  }
                  return in.read();
                } finally {
                  in.close();
                }
              }
              int conditionalAcquisition(File f, boolean open) throws IOException {
                InputStream in = open ? new FileInputStream(f) : null;
                try {
                  return in == null ? 0 : in.read();
                } finally {
                  if (in != null) {
                    in.close();
                  }
                }
              }
              int switchStatement(File f, int mode) throws IOException {
                InputStream in = new FileInputStream(f);
                try {
                  switch (mode) {
                    case 1:
                      return in.read();
                    case 2:
                      throw new IOException("mode 2");
                    default:
                      return 0;
                  }
                } finally {
                  in.close();
                }
              }
              int switchExpressionInTry(File a, File b, int mode) throws IOException {
                try (InputStream in = switch (mode) { case 0 -> new FileInputStream(a); default -> new FileInputStream(b); }) {
                  return in.read();
                }
              }
              int alias(File f) throws IOException {
                InputStream in = new FileInputStream(f);
                InputStream alias = in;
                try {
                  return alias.read();
                } finally {
                  alias.close();
                }
              }
              void uncheckedExceptionsAreNotFollowed(File f, List<String> log) throws IOException {
                InputStream in = new FileInputStream(f);
                log.add("opened");
                try {
                  in.read();
                } finally {
                  in.close();
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  public void socketsViewsAndParameters() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.*;
            import java.net.*;
            class Test {
              int fromBorrowedSocket(Socket s) throws IOException {
                InputStream in = s.getInputStream();
                return in.read();
              }
              int ownSocketClosedThroughItsStream(String host) throws IOException {
                Socket s = new Socket(host, 80);
                try (s; InputStream in = s.getInputStream()) {
                  return in.read();
                }
              }
              int getInputStreamMayThrow(String host) throws IOException {
                // BUG: Diagnostic contains: 's' (Socket) is not closed if an exception is thrown at line 17
                Socket s = new Socket(host, 80);
                try (InputStream in = s.getInputStream()) {
                  return in.read();
                }
              }
              int parameter(InputStream in) throws IOException {
                return in.read();
              }
            }
            """)
        .doTest();
  }

  @Test
  public void suppressedOnVariableAndMethod() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.*;
            class Test {
              int variable(File f) throws IOException {
                @SuppressWarnings("UnclosedResource")
                InputStream in = new FileInputStream(f);
                return in.read();
              }
              @SuppressWarnings("UnclosedResource")
              int method(File f) throws IOException {
                InputStream in = new FileInputStream(f);
                return in.read();
              }
            }
            """)
        .doTest();
  }

  @Test
  public void malformedFlagNamesTheFlag() {
    try {
      helper
          .setArgs("-XepOpt:LeakProne:ResourceFactories=com.acme.Pool#")
          .addSourceLines("Test.java", "class Test {}")
          .doTest();
      throw new AssertionError("expected the compilation to fail");
    } catch (Throwable t) {
      String text = TestSupport.causeChain(t);
      if (!text.contains("-XepOpt:LeakProne:ResourceFactories") || !text.contains("com.acme.Pool#borrow")) {
        throw new AssertionError("message does not name the flag and its form: " + text, t);
      }
    }
  }

  // ----------------------------------------------------------------------------------------------
  // Acquisitions that were missed (issue #10), each against the real API, with its negatives.

  @Test
  public void resourceStreamsFromClassAndClassLoader() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.*;
            import java.util.Properties;
            class Test {
              int fromClass() throws IOException {
                // BUG: Diagnostic contains: 'in' (InputStream) is never closed
                InputStream in = Test.class.getResourceAsStream("/app.properties");
                return in.read();
              }
              int fromLoader(ClassLoader loader) throws IOException {
                // BUG: Diagnostic contains: 'in' (InputStream) is never closed
                InputStream in = loader.getResourceAsStream("app.properties");
                return in.read();
              }
              Properties closed() throws IOException {
                Properties p = new Properties();
                try (InputStream in = getClass().getResourceAsStream("/app.properties")) {
                  if (in != null) {
                    p.load(in);
                  }
                }
                return p;
              }
              InputStream returned(String name) {
                return Thread.currentThread().getContextClassLoader().getResourceAsStream(name);
              }
              Properties nullChecked() throws IOException {
                Properties p = new Properties();
                InputStream in = ClassLoader.getSystemResourceAsStream("app.properties");
                if (in == null) {
                  return p;
                }
                try {
                  p.load(in);
                } finally {
                  in.close();
                }
                return p;
              }
            }
            """)
        .doTest();
  }

  @Test
  public void acceptedConnections() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.*;
            import java.net.*;
            import java.nio.ByteBuffer;
            import java.nio.channels.*;
            import java.util.concurrent.*;
            class Test {
              void serveOne(ServerSocket server) throws IOException {
                // BUG: Diagnostic contains: 's' (Socket) is never closed
                Socket s = server.accept();
                s.getOutputStream().write(42);
              }
              void serveChannel(ServerSocketChannel server) throws IOException {
                // BUG: Diagnostic contains: 'ch' (SocketChannel) is never closed
                SocketChannel ch = server.accept();
                ch.write(ByteBuffer.allocate(1));
              }
              void serveAsync(AsynchronousServerSocketChannel server) throws Exception {
                Future<AsynchronousSocketChannel> f = server.accept();
                // BUG: Diagnostic contains: AsynchronousSocketChannel is never closed
                f.get().write(ByteBuffer.allocate(1));
              }
              void closed(ServerSocket server) throws IOException {
                try (Socket s = server.accept()) {
                  s.getOutputStream().write(42);
                }
              }
              void handedToAWorker(ServerSocket server, ExecutorService pool) throws IOException {
                Socket s = server.accept();
                pool.execute(() -> handle(s));
              }
              void asyncClosed(AsynchronousServerSocketChannel server) throws Exception {
                try (AsynchronousSocketChannel ch = server.accept().get()) {
                  ch.write(ByteBuffer.allocate(1)).get();
                }
              }
              void nonBlocking(ServerSocketChannel server) throws IOException {
                SocketChannel ch = server.accept();
                if (ch != null) {
                  ch.close();
                }
              }
              private void handle(Socket s) {}
            }
            """)
        .doTest();
  }

  @Test
  public void urlConnectionStreams() {
    // The connection is not AutoCloseable: the stream it hands out is the resource. Closing the
    // stream, or disconnect() on the HttpURLConnection it came from, releases it.
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.*;
            import java.net.*;
            class Test {
              int read(URL url) throws IOException {
                URLConnection conn = url.openConnection();
                // BUG: Diagnostic contains: 'in' (InputStream) is never closed
                InputStream in = conn.getInputStream();
                return in.read();
              }
              void write(URL url) throws IOException {
                // BUG: Diagnostic contains: 'out' (OutputStream) is never closed
                OutputStream out = url.openConnection().getOutputStream();
                out.write(1);
              }
              int closed(URL url) throws IOException {
                try (InputStream in = url.openConnection().getInputStream()) {
                  return in.read();
                }
              }
              int disconnected(URL url) throws IOException {
                HttpURLConnection conn = (HttpURLConnection) url.openConnection();
                try {
                  InputStream in = conn.getInputStream();
                  return in.read();
                } finally {
                  conn.disconnect();
                }
              }
              InputStream returned(URL url) throws IOException {
                return url.openConnection().getInputStream();
              }
            }
            """)
        .doTest();
  }

  @Test
  public void classLoaders() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.net.*;
            import org.apache.tools.ant.AntClassLoader;
            import org.apache.tools.ant.Project;
            import org.apache.tools.ant.types.Path;
            class Test {
              Class<?> load(URL[] urls, ClassLoader parent) throws Exception {
                // BUG: Diagnostic contains: 'loader' (URLClassLoader) is never closed
                URLClassLoader loader = new URLClassLoader(urls, parent);
                return loader.loadClass("com.acme.Main");
              }
              Class<?> factory(URL[] urls) throws Exception {
                // BUG: Diagnostic contains: 'loader' (URLClassLoader) is never closed
                URLClassLoader loader = URLClassLoader.newInstance(urls);
                return loader.loadClass("com.acme.Main");
              }
              Class<?> ant(Project project, Path path) throws Exception {
                // BUG: Diagnostic contains: 'loader' (AntClassLoader) is never closed
                AntClassLoader loader = project.createClassLoader(path);
                return loader.loadClass("com.acme.Main");
              }
              Class<?> antStatic(Project project, Path path) throws Exception {
                // BUG: Diagnostic contains: 'loader' (AntClassLoader) is never closed
                AntClassLoader loader = AntClassLoader.newAntClassLoader(null, project, path, true);
                return loader.loadClass("com.acme.Main");
              }
              Class<?> closed(URL[] urls) throws Exception {
                try (URLClassLoader loader = URLClassLoader.newInstance(urls)) {
                  return loader.loadClass("com.acme.Main");
                }
              }
              void antCleanedUp(Project project, Path path) throws Exception {
                AntClassLoader loader = project.createClassLoader(path);
                try {
                  loader.loadClass("com.acme.Main");
                } finally {
                  loader.cleanup();
                }
              }
              ClassLoader kept(URL[] urls) {
                // Returned: the caller owns the loader (and may keep it for the life of the process).
                return new URLClassLoader(urls);
              }
            }
            """)
        .doTest();
  }

  @Test
  public void anonymousSubclassOfAResourceType() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.*;
            class Test {
              int counting(File f) throws IOException {
                // BUG: Diagnostic contains: 'in' (anonymous FileInputStream) is never closed
                InputStream in = new FileInputStream(f) {
                  @Override public int read() throws IOException {
                    return super.read();
                  }
                };
                return in.read();
              }
              int closed(File f) throws IOException {
                try (InputStream in = new FileInputStream(f) {}) {
                  return in.read();
                }
              }
              int wrapper(File f) throws IOException {
                // An anonymous wrapper over a resource the method closes holds nothing more.
                try (InputStream raw = new FileInputStream(f)) {
                  InputStream in = new FilterInputStream(raw) {};
                  return in.read();
                }
              }
              Closeable callback(InputStream in) {
                // An anonymous Closeable is a callback that releases something else.
                Closeable c = new Closeable() {
                  @Override public void close() throws IOException { in.close(); }
                };
                return c;
              }
            }
            """)
        .doTest();
  }

  @Test
  public void inheritableMustCallTypes() {
    helper
        .addSourceLines(
            "Lease.java",
            """
            import org.checkerframework.checker.mustcall.qual.InheritableMustCall;
            @InheritableMustCall("release")
            abstract class Lease {
              abstract void use();
              abstract void release();
            }
            """)
        .addSourceLines(
            "PooledLease.java",
            """
            class PooledLease extends Lease {
              @Override void use() {}
              @Override void release() {}
            }
            """)
        .addSourceLines(
            "Channel.java",
            """
            import org.checkerframework.checker.mustcall.qual.InheritableMustCall;
            @InheritableMustCall("shutdown")
            interface Channel {
              void send(String s);
              void shutdown();
            }
            """)
        .addSourceLines(
            "TcpChannel.java",
            """
            class TcpChannel implements Channel {
              @Override public void send(String s) {}
              @Override public void shutdown() {}
            }
            """)
        .addSourceLines(
            "Test.java",
            """
            class Test {
              void leaked() {
                // BUG: Diagnostic contains: 'lease' (PooledLease) is never released; call its release() in a finally block
                PooledLease lease = new PooledLease();
                lease.use();
              }
              void released() {
                PooledLease lease = new PooledLease();
                try {
                  lease.use();
                } finally {
                  lease.release();
                }
              }
              void interfaceLeaked() {
                // BUG: Diagnostic contains: never released; call its shutdown()
                Channel ch = new TcpChannel();
                ch.send("x");
              }
              void interfaceReleased() {
                Channel ch = new TcpChannel();
                ch.shutdown();
              }
            }
            """)
        .doTest();
  }

  @Test
  public void mockitoStaticAndConstructionMocks() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.File;
            import java.util.UUID;
            import org.mockito.MockedConstruction;
            import org.mockito.MockedStatic;
            import org.mockito.Mockito;
            class Test {
              private MockedStatic<UUID> inField;
              void leaked() {
                // BUG: Diagnostic contains: 'uuids' (MockedStatic<UUID>) is never closed
                MockedStatic<UUID> uuids = Mockito.mockStatic(UUID.class);
                uuids.when(UUID::randomUUID).thenReturn(new UUID(0, 0));
              }
              void constructionLeaked() {
                // BUG: Diagnostic contains: 'files' (MockedConstruction<File>) is never closed
                MockedConstruction<File> files = Mockito.mockConstruction(File.class);
                new File("x");
              }
              void closed() {
                try (MockedStatic<UUID> uuids = Mockito.mockStatic(UUID.class)) {
                  uuids.when(UUID::randomUUID).thenReturn(new UUID(0, 0));
                }
              }
              void setUp() {
                // Kept in a field and closed by the tear-down method.
                inField = Mockito.mockStatic(UUID.class);
              }
              void tearDown() {
                inField.close();
              }
              void closedOnDemand() {
                MockedStatic<UUID> uuids = Mockito.mockStatic(UUID.class);
                uuids.closeOnDemand();
              }
            }
            """)
        .doTest();
  }

  @Test
  public void configuredFactoriesInTheDefaultPackage() {
    helper
        .setArgs("-XepOpt:LeakProne:ResourceFactories=Pool#borrow,Ticket")
        .addSourceLines(
            "Pool.java",
            """
            public class Pool {
              public Lease borrow() { return new Lease(); }
            }
            """)
        .addSourceLines(
            "Lease.java",
            """
            public class Lease implements AutoCloseable {
              @Override public void close() {}
              public void use() {}
            }
            """)
        .addSourceLines(
            "Ticket.java",
            """
            public class Ticket implements AutoCloseable {
              @Override public void close() {}
            }
            """)
        .addSourceLines(
            "Test.java",
            """
            class Test {
              void use(Pool pool) {
                // BUG: Diagnostic contains: 'lease' (Lease) is never closed
                Lease lease = pool.borrow();
                lease.use();
                // BUG: Diagnostic contains: 't' (Ticket) is never closed
                Ticket t = new Ticket();
                try (Lease closed = pool.borrow()) {
                  closed.use();
                }
              }
            }
            """)
        .doTest();
  }

  // ----------------------------------------------------------------------------------------------
  // Messages that gave wrong advice (issue #10).

  @Test
  public void streamingHttpResponseIsClosedThroughItsBody() {
    // HttpResponse is not AutoCloseable: "close it with try-with-resources" does not compile.
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.*;
            import java.net.http.*;
            class Test {
              int firstByte(HttpClient client, HttpRequest req) throws IOException, InterruptedException {
                // BUG: Diagnostic contains: 'resp' (HttpResponse<InputStream>) is never closed; close its body with try-with-resources (try (InputStream body = resp.body()) { … }; HttpResponse<InputStream> itself is not AutoCloseable)
                HttpResponse<InputStream> resp = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
                return resp.body().read();
              }
            }
            """)
        .doTest();
  }

  @Test
  public void typeThatIsNotAutoCloseableIsToldToCallItsCloseInFinally() {
    helper
        .setArgs("-XepOpt:LeakProne:ResourceFactories=com.acme.Lease")
        .addSourceLines(
            "Lease.java",
            """
            package com.acme;
            public class Lease {
              public void close() {}
            }
            """)
        .addSourceLines(
            "Test.java",
            """
            import com.acme.Lease;
            class Test {
              void use() {
                // BUG: Diagnostic contains: 'lease' (Lease) is never closed; call its close() in a finally block (it is not AutoCloseable, so try-with-resources does not apply)
                Lease lease = new Lease();
                lease.hashCode();
              }
              void closed() {
                Lease lease = new Lease();
                try {
                  lease.hashCode();
                } finally {
                  lease.close();
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  public void factoryThatLeaksWhenACallBeforeTheReturnThrows() {
    // The method hands the connection out: try-with-resources would close what it returns.
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.sql.*;
            import javax.sql.DataSource;
            class Test {
              Connection readOnly(DataSource ds) throws SQLException {
                // BUG: Diagnostic contains: 'c' (Connection) is not closed if an exception is thrown at line 7 before it is returned; catch the exception, call c.close() and rethrow
                Connection c = ds.getConnection();
                c.setReadOnly(true);
                return c;
              }
              Connection correct(DataSource ds) throws SQLException {
                Connection c = ds.getConnection();
                try {
                  c.setReadOnly(true);
                  return c;
                } catch (SQLException e) {
                  c.close();
                  throw e;
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  public void closedOnSuccessButNotWhenACaughtExceptionIsHandled() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.*;
            class Test {
              void copy(File f) {
                InputStream in = null;
                try {
                  // BUG: Diagnostic contains: 'in' (FileInputStream) is not closed on every path: it is closed when no exception is thrown, but not when the exception caught at line 10 is handled
                  in = new FileInputStream(f);
                  process(in);
                  in.close();
                } catch (IOException e) {
                  log(e);
                }
              }
              void finishedByAHelper(File f) throws IOException {
                // BUG: Diagnostic contains: not when the exception caught at line 19 is handled
                InputStream in = new FileInputStream(f);
                try {
                  process(in);
                } catch (IOException e) {
                  log(e);
                  return;
                }
                finish(in);
              }
              void closedEverywhere(File f) {
                try (InputStream in = new FileInputStream(f)) {
                  process(in);
                } catch (IOException e) {
                  log(e);
                }
              }
              private void finish(InputStream in) throws IOException { in.close(); }
              private void process(InputStream in) throws IOException { in.read(); }
              private void log(Exception e) {}
            }
            """)
        .doTest();
  }

  @Test
  public void noFixForAFactoryOrATypeThatIsNotAutoCloseable() {
    refactoring
        .setArgs("-XepOpt:LeakProne:ResourceFactories=com.acme.Lease")
        .addInputLines(
            "Lease.java",
            """
            package com.acme;
            public class Lease {
              public void close() {}
            }
            """)
        .expectUnchanged()
        .addInputLines(
            "Test.java",
            """
            import com.acme.Lease;
            import java.sql.*;
            import javax.sql.DataSource;
            class Test {
              void use() {
                Lease lease = new Lease();
                lease.hashCode();
              }
              Connection readOnly(DataSource ds) throws SQLException {
                Connection c = ds.getConnection();
                c.setReadOnly(true);
                return c;
              }
            }
            """)
        .expectUnchanged()
        .doTest();
  }

  // ----------------------------------------------------------------------------------------------
  // The suggested fix.

  @Test
  public void fixConvertsToTryWithResources() {
    refactoring
        .addInputLines(
            "Test.java",
            """
            import java.io.*;
            class Test {
              int read(File f) throws IOException {
                InputStream in = new FileInputStream(f);
                int b = in.read();
                in.close();
                return b;
              }
            }
            """)
        .addOutputLines(
            "Test.java",
            """
            import java.io.*;
            class Test {
              int read(File f) throws IOException {
                try (InputStream in = new FileInputStream(f)) {
                  int b = in.read();
                  return b;
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  public void noFixWhenTheResourceEscapesOrCloseThrowsUndeclared() {
    refactoring
        .addInputLines(
            "Test.java",
            """
            import java.io.*;
            import java.sql.*;
            import javax.sql.DataSource;
            class Test {
              private InputStream kept;
              void maybeKeep(File f, boolean keep) throws IOException {
                InputStream in = new FileInputStream(f);
                in.read();
                if (keep) {
                  kept = in;
                } else {
                  in.close();
                }
              }
              void undeclared(DataSource ds) {
                try {
                  Connection c = ds.getConnection();
                  c.isValid(1);
                } catch (SQLException e) {
                  throw new IllegalStateException(e);
                }
              }
            }
            """)
        .expectUnchanged()
        .doTest();
  }
}
