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
  // Resource model, release methods, dormant objects, library models, wrappers (issue #9). Every
  // negative below is a false alarm seen on code the checks were not tuned on; its cause is in
  // the comment. Library types are compiled in a file of their own, from source and from class
  // files: the answer must be the same (see resourceModelIsTheSameFromSourceAndFromClassFiles).

  /** A library whose AutoCloseable types hold nothing, or hold a resource, by their fields. */
  private static final String MODEL_LIBRARY =
      """
      package lib;
      import java.io.*;
      import java.nio.channels.FileChannel;
      import java.nio.file.*;
      import java.util.*;
      public class Model {
        /** An in-memory stream of a library: close() only sets a flag. */
        public static class MemoryOut extends OutputStream {
          private byte[] buf = new byte[16];
          private int count;
          private boolean closed;
          @Override public void write(int b) { buf[count++ % 16] = (byte) b; }
          @Override public void close() { closed = true; }
        }
        /** A stream that forwards to a logger; close() flushes into memory. */
        public static class LoggingOutputStream extends OutputStream {
          private final StringBuilder line = new StringBuilder();
          private final java.util.logging.Logger logger;
          public LoggingOutputStream(java.util.logging.Logger logger) { this.logger = logger; }
          @Override public void write(int b) { line.append((char) b); }
          @Override public void close() { logger.info(line.toString()); }
        }
        /** A result object over a list. */
        public static class Rows implements AutoCloseable {
          private final List<String> rows = new ArrayList<>();
          public List<String> rows() { return rows; }
          @Override public void close() { rows.clear(); }
        }
        /** A file store: holds a channel. */
        public static class Store implements Closeable {
          private final FileChannel channel;
          public Store(Path path) throws IOException { channel = FileChannel.open(path); }
          public long size() throws IOException { return channel.size(); }
          @Override public void close() throws IOException { channel.close(); }
        }
        /** A log file: holds an OutputStream it opened itself. */
        public static class LogFile implements Closeable {
          private final OutputStream out;
          public LogFile(File file) throws IOException { out = new FileOutputStream(file); }
          public void write(String s) throws IOException { out.write(s.getBytes()); }
          @Override public void close() throws IOException { out.close(); }
        }
        /** Holds a Store, which holds a channel: two levels of fields. */
        public static class Catalog implements Closeable {
          private final Store store;
          public Catalog(Path path) throws IOException { store = new Store(path); }
          @Override public void close() throws IOException { store.close(); }
        }
        /** A session released by dispose(), abort(), release()... rather than close(). */
        public static class Session implements Closeable {
          private final java.net.Socket socket;
          public Session(String host) throws IOException { socket = new java.net.Socket(host, 80); }
          public void send(int b) throws IOException { socket.getOutputStream().write(b); }
          public void dispose() throws IOException { socket.close(); }
          public void abort() throws IOException { socket.close(); }
          public void release() throws IOException { socket.close(); }
          public void destroy() throws IOException { socket.close(); }
          public void free() throws IOException { socket.close(); }
          public void disconnect() throws IOException { socket.close(); }
          public void terminate() throws IOException { socket.close(); }
          public void shutdown() throws IOException { socket.close(); }
          public void giveBack() throws IOException { socket.close(); }
          @Override public void close() throws IOException { socket.close(); }
        }
        /** A composite reader over readers passed as varargs or as an array. */
        public static class CompositeReader extends Reader {
          private final Reader[] parts;
          public CompositeReader(Reader... parts) { this.parts = parts; }
          @Override public int read(char[] c, int off, int len) throws IOException { return parts[0].read(c, off, len); }
          @Override public void close() throws IOException { for (Reader r : parts) r.close(); }
        }
        /** A stream over other streams, as a collection. */
        public static class ConcatStream extends InputStream {
          private final List<InputStream> parts;
          public ConcatStream(List<InputStream> parts) { this.parts = parts; }
          @Override public int read() throws IOException { return parts.get(0).read(); }
          @Override public void close() throws IOException { for (InputStream in : parts) in.close(); }
        }
      }
      """;

  private static final String MODEL_USER =
      """
      import java.io.*;
      import java.nio.file.Path;
      import lib.Model.*;
      class Test {
        void memory() throws IOException {
          // Holds nothing: no field of a resource type, close() only sets a flag.
          OutputStream out = new MemoryOut();
          out.write(1);
        }
        void logging(java.util.logging.Logger logger) {
          // A PrintStream over a logging stream holds what it wraps, and that holds nothing.
          PrintStream ps = new PrintStream(new LoggingOutputStream(logger), true);
          ps.println("x");
        }
        int rows() {
          Rows rows = new Rows();
          return rows.rows().size();
        }
        long store(Path p) throws IOException {
          // BUG: Diagnostic contains: 'store' (Store) is never closed
          Store store = new Store(p);
          return store.size();
        }
        void log(File f) throws IOException {
          // BUG: Diagnostic contains: 'log' (LogFile) is never closed
          LogFile log = new LogFile(f);
          log.write("x");
        }
        void catalog(Path p) throws IOException {
          // BUG: Diagnostic contains: 'catalog' (Catalog) is never closed
          Catalog catalog = new Catalog(p);
        }
      }
      """;

  @Test
  public void resourceModelFromSourceInTheSameCompilation() {
    helper
        .addSourceLines("lib/Model.java", MODEL_LIBRARY)
        .addSourceLines("Test.java", MODEL_USER)
        .doTest();
  }

  @Test
  public void resourceModelIsTheSameFromSourceAndFromClassFiles() throws Exception {
    // The same caller, compiled alone against the library's class files: the same diagnostics
    // (the BUG markers) as when the library's source is in the same javac run (previous test).
    java.nio.file.Path classes = compileLibrary("lib/Model.java", MODEL_LIBRARY);
    helper
        .addSourceLines("Test.java", MODEL_USER)
        .setArgs("-cp", classes + java.io.File.pathSeparator + System.getProperty("java.class.path"))
        .doTest();
  }

  /** Compiles {@code source} into a fresh directory of class files. */
  private static java.nio.file.Path compileLibrary(String path, String source) throws Exception {
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("leakprone-lib");
    java.nio.file.Path file = dir.resolve("src").resolve(path);
    java.nio.file.Files.createDirectories(file.getParent());
    java.nio.file.Files.writeString(file, source);
    java.nio.file.Path out = java.nio.file.Files.createDirectories(dir.resolve("classes"));
    javax.tools.JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
    int rc = javac.run(null, null, null, "-d", out.toString(), "-proc:none", file.toString());
    if (rc != 0) {
      throw new AssertionError("library did not compile: " + path);
    }
    return out;
  }

  @Test
  public void anyAutoCloseableFlagRestoresEveryAutoCloseable() {
    helper
        .addSourceLines("lib/Model.java", MODEL_LIBRARY)
        .addSourceLines(
            "Test.java",
            """
            import java.io.*;
            import lib.Model.*;
            class Test {
              int rows() {
                // BUG: Diagnostic contains: 'rows' (Rows) is never closed
                Rows rows = new Rows();
                return rows.rows().size();
              }
              void memory() throws IOException {
                // close() is overridden (it sets a flag), so with the flag this is a resource again.
                // BUG: Diagnostic contains: 'out' (MemoryOut) is never closed
                OutputStream out = new MemoryOut();
                out.write(1);
              }
            }
            """)
        .setArgs("-XepOpt:LeakProne:AnyAutoCloseable=true")
        .doTest();
  }

  @Test
  public void annotatedTypesAreResources() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import org.checkerframework.checker.mustcall.qual.InheritableMustCall;
            import org.checkerframework.checker.mustcall.qual.MustCall;
            class Test {
              @MustCall("close")
              static class Lease implements AutoCloseable {
                @Override public void close() {}
              }
              @InheritableMustCall("close")
              static class Base implements AutoCloseable {
                @Override public void close() {}
              }
              static class Derived extends Base {}
              void lease() {
                // BUG: Diagnostic contains: 'lease' (Lease) is never closed
                Lease lease = new Lease();
              }
              void derived() {
                // BUG: Diagnostic contains: 'd' (Derived) is never closed
                Derived d = new Derived();
              }
            }
            """)
        .doTest();
  }

  @Test
  public void knownResourceTypesAndTheirSubtypes() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.*;
            class Test {
              static class CountingInput extends FileInputStream {
                CountingInput(File f) throws FileNotFoundException { super(f); }
              }
              int sub(File f) throws IOException {
                // BUG: Diagnostic contains: 'in' (CountingInput) is never closed
                InputStream in = new CountingInput(f);
                return in.read();
              }
              void printWriter() throws IOException {
                // A wrapper type whose constructor opens a file.
                // BUG: Diagnostic contains: 'w' (PrintWriter) is never closed
                PrintWriter w = new PrintWriter("out.txt");
                w.println("x");
              }
              void printWriterOverAStream(OutputStream out) {
                // Wraps what it is given, which the caller owns.
                PrintWriter w = new PrintWriter(out);
                w.println("x");
              }
            }
            """)
        .doTest();
  }

  @Test
  public void releaseVerbsDischargeLikeClose() {
    helper
        .addSourceLines("lib/Model.java", MODEL_LIBRARY)
        .addSourceLines(
            "Test.java",
            """
            import java.io.*;
            import lib.Model.*;
            class Test {
              // Released in finally by a method that is not close(): not leaks.
              void dispose() throws IOException {
                Session s = new Session("h");
                try { s.send(1); } finally { s.dispose(); }
              }
              void abort() throws IOException {
                Session s = new Session("h");
                try { s.send(1); } finally { s.abort(); }
              }
              void release() throws IOException {
                Session s = new Session("h");
                try { s.send(1); } finally { s.release(); }
              }
              void destroy() throws IOException {
                Session s = new Session("h");
                try { s.send(1); } finally { s.destroy(); }
              }
              void free() throws IOException {
                Session s = new Session("h");
                try { s.send(1); } finally { s.free(); }
              }
              void disconnect() throws IOException {
                Session s = new Session("h");
                try { s.send(1); } finally { s.disconnect(); }
              }
              void terminate() throws IOException {
                Session s = new Session("h");
                try { s.send(1); } finally { s.terminate(); }
              }
              void shutdown() throws IOException {
                Session s = new Session("h");
                try { s.send(1); } finally { s.shutdown(); }
              }
              void notAVerb() throws IOException {
                // giveBack() is no release verb (without the flag): the session is never closed.
                // BUG: Diagnostic contains: 's' (Session) is never closed
                Session s = new Session("h");
                try { s.send(1); } finally { s.giveBack(); }
              }
              void jdkDisconnectKeepsTheSocket(java.net.SocketAddress a) throws IOException {
                // DatagramSocket.disconnect() does not close it: JDK types use their own table.
                // BUG: Diagnostic contains: 'd' (DatagramSocket) is never closed
                java.net.DatagramSocket d = new java.net.DatagramSocket();
                d.connect(a);
                d.disconnect();
              }
            }
            """)
        .doTest();
  }

  @Test
  public void releaseMethodsFlag() {
    helper
        .addSourceLines("lib/Model.java", MODEL_LIBRARY)
        .addSourceLines(
            "Test.java",
            """
            import java.io.*;
            import lib.Model.*;
            class Test {
              void giveBack() throws IOException {
                Session s = new Session("h");
                try { s.send(1); } finally { s.giveBack(); }
              }
            }
            """)
        .setArgs("-XepOpt:LeakProne:ReleaseMethods=giveBack,lib.Model.Session#free")
        .doTest();
  }

  @Test
  public void unconnectedSocketHoldsNothingUntilConnected() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.*;
            import java.net.*;
            class Test {
              Socket open(InetSocketAddress a) throws IOException {
                Socket s = new Socket();
                // Throws before connect: the socket holds nothing yet, nothing leaks.
                s.setSoTimeout(1000);
                // Throws: connect closes the socket it could not connect.
                s.connect(a, 1000);
                return s;
              }
              ServerSocket listen(int port) throws IOException {
                ServerSocket server = new ServerSocket();
                server.setReuseAddress(true);
                server.bind(new InetSocketAddress(port));
                return server;
              }
              void neverConnected() throws IOException {
                Socket s = new Socket();
                s.setTcpNoDelay(true);
              }
              void connectedAndLeaked(InetSocketAddress a) throws IOException {
                // BUG: Diagnostic contains: 's' (Socket) is never closed
                Socket s = new Socket();
                s.connect(a);
                s.getOutputStream().write(1);
              }
              void boundAndLeakedOnException(int port) throws IOException {
                // BUG: Diagnostic contains: 'server' (ServerSocket) is not closed if an exception is thrown
                ServerSocket server = new ServerSocket();
                server.bind(new InetSocketAddress(port));
                server.accept().close();
                server.close();
              }
            }
            """)
        .doTest();
  }

  @Test
  public void libraryModelsJacksonClosesItsSourceAndTarget() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import com.fasterxml.jackson.core.JsonFactory;
            import com.fasterxml.jackson.core.JsonParser;
            import com.fasterxml.jackson.databind.*;
            import java.io.*;
            import java.util.Map;
            class Test {
              private final ObjectMapper mapper = new ObjectMapper();
              Map<?, ?> readValue(File f) throws IOException {
                // AUTO_CLOSE_SOURCE is on by default: readValue closes the stream.
                return mapper.readValue(new FileInputStream(f), Map.class);
              }
              JsonNode readTree(File f) throws IOException {
                InputStream in = new FileInputStream(f);
                return mapper.readTree(in);
              }
              void writeValue(File f, Object value) throws IOException {
                // AUTO_CLOSE_TARGET is on by default: writeValue closes the stream.
                OutputStream out = new FileOutputStream(f);
                mapper.writeValue(out, value);
              }
              Object readerReadValue(ObjectReader reader, File f) throws IOException {
                Reader in = new FileReader(f);
                return reader.readValue(in);
              }
              JsonNode readerReadTree(ObjectReader reader, File f) throws IOException {
                return reader.readTree(new FileInputStream(f));
              }
              void writerWriteValue(ObjectWriter writer, File f, Object value) throws IOException {
                writer.writeValue(new FileWriter(f), value);
              }
              int parser(JsonFactory factory, File f) throws IOException {
                // The parser owns the stream: closing the parser closes it.
                try (JsonParser p = factory.createParser(new FileInputStream(f))) {
                  return p.nextToken() == null ? 0 : 1;
                }
              }
              int mapperParser(File f) throws IOException {
                try (JsonParser p = mapper.createParser(new FileInputStream(f))) {
                  return p.nextToken() == null ? 0 : 1;
                }
              }
              MappingIterator<Object> readValues(ObjectReader reader, File f) throws IOException {
                return reader.readValues(new FileInputStream(f));
              }
              int readFirst(File f) throws IOException {
                // Read by hand, never closed: still a leak.
                // BUG: Diagnostic contains: 'in' (FileInputStream) is never closed
                InputStream in = new FileInputStream(f);
                return in.read();
              }
            }
            """)
        .doTest();
  }

  @Test
  public void libraryModelsXmlParsersCloseTheirInput() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.*;
            import javax.xml.parsers.*;
            import org.w3c.dom.Document;
            import org.xml.sax.InputSource;
            import org.xml.sax.XMLReader;
            import org.xml.sax.helpers.DefaultHandler;
            class Test {
              Document dom(DocumentBuilder builder, File f) throws Exception {
                // Xerces closes the source's stream when the parse ends, also when it fails.
                return builder.parse(new FileInputStream(f));
              }
              void sax(SAXParser parser, File f) throws Exception {
                InputStream in = new FileInputStream(f);
                parser.parse(in, new DefaultHandler());
              }
              void xmlReader(XMLReader reader, File f) throws Exception {
                reader.parse(new InputSource(new FileInputStream(f)));
              }
              java.awt.image.BufferedImage image(File f) throws IOException {
                // ImageIO.read(InputStream) does not close the stream: still a leak.
                // BUG: Diagnostic contains: 'in' (FileInputStream) is never closed
                InputStream in = new FileInputStream(f);
                return javax.imageio.ImageIO.read(in);
              }
            }
            """)
        .doTest();
  }

  @Test
  public void libraryModelsPoiAndPdfbox() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.*;
            import org.apache.pdfbox.Loader;
            import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
            import org.apache.pdfbox.pdmodel.PDDocument;
            import org.apache.poi.hssf.usermodel.HSSFWorkbook;
            import org.apache.poi.poifs.filesystem.POIFSFileSystem;
            class Test {
              POIFSFileSystem poifs(File f) throws IOException {
                // "The stream is always closed."
                return new POIFSFileSystem(new FileInputStream(f));
              }
              int sheets(File f) throws IOException {
                InputStream in = new FileInputStream(f);
                HSSFWorkbook workbook = new HSSFWorkbook(in);
                return workbook.getNumberOfSheets();
              }
              int pages(File f) throws IOException {
                // The document owns its source: closing it closes the file.
                try (PDDocument doc = Loader.loadPDF(new RandomAccessReadBufferedFile(f))) {
                  return doc.getNumberOfPages();
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  public void wrappersOverArraysAndCollectionsOfResources() {
    helper
        .addSourceLines("lib/Model.java", MODEL_LIBRARY)
        .addSourceLines(
            "Test.java",
            """
            import java.io.*;
            import java.util.*;
            import lib.Model.*;
            class Test {
              int varargs(Reader a, Reader b) throws IOException {
                // A wrapper over readers the caller owns holds nothing of its own.
                Reader all = new CompositeReader(a, b);
                return all.read();
              }
              int array(Reader[] parts) throws IOException {
                Reader all = new CompositeReader(parts);
                return all.read();
              }
              int list(List<InputStream> parts) throws IOException {
                InputStream all = new ConcatStream(parts);
                return all.read();
              }
              int sequence(Vector<InputStream> parts) throws IOException {
                InputStream all = new SequenceInputStream(parts.elements());
                return all.read();
              }
              int single(File f) throws IOException {
                // A single wrapped resource that is never closed is still a leak.
                // BUG: Diagnostic contains: 'in' (BufferedReader over FileReader) is never closed
                BufferedReader in = new BufferedReader(new FileReader(f));
                return in.read();
              }
            }
            """)
        .doTest();
  }

  @Test
  public void ownershipHandedThroughAnInterfaceMethod() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.*;
            class Test {
              interface Decorator { InputStream decorate(InputStream raw); }
              InputStream open(Decorator d, File f) throws IOException {
                // The interface method's result wraps the stream; the caller gets both.
                InputStream in = d.decorate(new FileInputStream(f));
                return in;
              }
            }
            """)
        .doTest();
  }

  @Test
  public void callbackSucceededHandsTheObjectOver() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.*;
            class Test {
              interface Promise<T> { void succeeded(T result); void failed(Throwable x); }
              void open(File f, Promise<InputStream> promise) {
                try {
                  promise.succeeded(new FileInputStream(f));
                } catch (IOException e) {
                  promise.failed(e);
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  public void sameClassHelperClosesItsParameterThroughNestedWrappers() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.*;
            class Test {
              String first(File f) throws IOException {
                return readFirstLine(new FileInputStream(f));
              }
              private static String readFirstLine(InputStream in) throws IOException {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(in))) {
                  return r.readLine();
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  public void statementReleasedByClosingItsConnectionLater() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.sql.*;
            import javax.sql.DataSource;
            class Test {
              int count(DataSource ds) throws SQLException {
                Connection c = ds.getConnection();
                try {
                  Statement st = c.createStatement();
                  ResultSet rs = st.executeQuery("select 1");
                  return rs.next() ? rs.getInt(1) : 0;
                } finally {
                  c.close();
                }
              }
            }
            """)
        .doTest();
  }

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
