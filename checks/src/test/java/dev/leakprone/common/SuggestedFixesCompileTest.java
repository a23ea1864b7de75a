package dev.leakprone.common;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.Assume;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * Applies the suggested fixes of UnclosedResource and NeverCancelledScope the way users do ({@code
 * -XepPatchChecks:… -XepPatchLocation:IN_PLACE}), then compiles the patched file with plain javac:
 * a fix that breaks compilation, or that is not laid out as a person would write it, fails here.
 * (BugCheckerRefactoringTestHelper reformats its output and only parses it.)
 */
@RunWith(JUnit4.class)
public class SuggestedFixesCompileTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private static final String CHECKS = "UnclosedResource,NeverCancelledScope";

  @Test
  public void movedStatementsAreIndentedAndTheBraceIsAtTheStatementsIndentation()
      throws IOException {
    assertPatched(
        """
        import java.io.*;
        class Test {
          int read(File f, boolean skip) throws IOException {
            InputStream in = new FileInputStream(f);
            // the first byte, unless skipped
            if (skip) {
              in.skip(1);
            }
            int b = in.read();
            in.close();
            return b;
          }
        }
        """,
        """
        import java.io.*;
        class Test {
          int read(File f, boolean skip) throws IOException {
            try (InputStream in = new FileInputStream(f)) {
              // the first byte, unless skipped
              if (skip) {
                in.skip(1);
              }
              int b = in.read();
              return b;
            }
          }
        }
        """);
  }

  @Test
  public void fourSpacesAndNestedBlocksKeepTheFilesIndentation() throws IOException {
    assertPatched(
        """
        import java.io.*;
        class Test {
            void copy(File f, OutputStream out) throws IOException {
                if (f.exists()) {
                    InputStream in = new FileInputStream(f);
                    out.write(in.read());
                }
            }
        }
        """,
        """
        import java.io.*;
        class Test {
            void copy(File f, OutputStream out) throws IOException {
                if (f.exists()) {
                    try (InputStream in = new FileInputStream(f)) {
                        out.write(in.read());
                    }
                }
            }
        }
        """);
  }

  @Test
  public void multiVariableDeclarationGetsNoFix() throws IOException {
    // Issue #10: the fix turned "InputStream a = …, b = …;" into a syntax error.
    assertUnchanged(
        """
        import java.io.*;
        class Test {
          int read(File x, File y) throws IOException {
            InputStream a = new FileInputStream(x), b = new FileInputStream(y);
            return a.read() + b.read();
          }
        }
        """);
  }

  @Test
  public void variableThatMayHoldAStandardStreamGetsNoFix() throws IOException {
    // Issue #10: try-with-resources would close System.in on the path where p is null.
    assertUnchanged(
        """
        import java.io.*;
        class Test {
          int read(String p) throws IOException {
            InputStream in = p == null ? System.in : new FileInputStream(p);
            return in.read();
          }
        }
        """);
  }

  @Test
  public void statementsBeforeSuperGetNoFix() throws IOException {
    // Issue #10: JDK 22+ flexible constructor bodies (standard in JDK 25); the fix moved super(…)
    // into the try, which javac rejects.
    Assume.assumeTrue(
        "flexible constructor bodies are standard from JDK 25", Runtime.version().feature() >= 25);
    assertUnchanged(
        """
        import java.io.*;
        class Test extends FilterInputStream {
          Test(File f) throws IOException {
            InputStream in = new FileInputStream(f);
            int first = in.read();
            super(new ByteArrayInputStream(new byte[] {(byte) first}));
          }
        }
        """);
  }

  @Test
  public void typeThatIsNotAutoCloseableGetsNoFix() throws IOException {
    // A configured resource type with a close() that is not AutoCloseable: try-with-resources
    // does not compile.
    assertUnchanged(
        List.of("-XepOpt:LeakProne:ResourceFactories=Test.Lease"),
        """
        class Test {
          static class Lease {
            void close() {}
            void use() {}
          }
          void use() {
            Lease lease = new Lease();
            lease.use();
          }
        }
        """);
  }

  @Test
  public void textBlocksAreNotReindented() throws IOException {
    assertUnchanged(
        """
        import java.io.*;
        class Test {
          void write(File f) throws IOException {
            Writer w = new FileWriter(f);
            w.write(\"""
                hello
                \""");
          }
        }
        """);
  }

  @Test
  public void representativeFixesAllCompile() throws IOException {
    // One file with the shapes the unit tests fix, for both checks; every fix applied at once.
    Path file =
        write(
            """
        import io.grpc.Context;
        import io.grpc.Context.CancellableContext;
        import io.opentelemetry.api.trace.Span;
        import io.opentelemetry.context.Scope;
        import java.io.*;
        import java.nio.file.*;
        import java.util.concurrent.Callable;
        import java.util.stream.Stream;
        class Test {
          String traced(Span span, Callable<String> work) throws Exception {
            Scope scope = span.makeCurrent();
            String result = work.call();
            scope.close();
            return result;
          }
          void cancellable(Runnable rpc) {
            CancellableContext ctx = Context.current().withCancellation();
            ctx.run(rpc);
          }
          long lines(Path p) throws IOException {
            Stream<String> lines = Files.lines(p);
            return lines.count();
          }
          String firstLine(File f) throws IOException {
            BufferedReader r = new BufferedReader(new FileReader(f));
            String line = r.readLine();
            r.close();
            return line;
          }
          void lambda(File f) {
            Runnable task = () -> {
              try {
                OutputStream out = new FileOutputStream(f);
                out.write(1);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            };
            task.run();
          }
          void loop(File[] files) throws IOException {
            for (File f : files) {
              InputStream in = new FileInputStream(f);
              in.read();
              in.close();
            }
          }
        }
        """);
    String before = Files.readString(file);
    patch(file, List.of());
    String after = Files.readString(file);
    assertTrue("expected fixes to be applied:\n" + after, !after.equals(before));
    assertTrue("every fix compiles:\n" + after, compilesWithPlainJavac(file));
    assertEquals("fixes applied: " + after, 5, count(after, "try ("));
  }

  // ----------------------------------------------------------------------------------------------

  private void assertPatched(String input, String expected) throws IOException {
    Path file = write(input);
    patch(file, List.of());
    String after = Files.readString(file);
    assertEquals(expected, after);
    assertTrue("the fixed file compiles with plain javac:\n" + after, compilesWithPlainJavac(file));
  }

  private void assertUnchanged(String input) throws IOException {
    assertUnchanged(List.of(), input);
  }

  private void assertUnchanged(List<String> flags, String input) throws IOException {
    Path file = write(input);
    String diagnostics = patch(file, flags);
    assertTrue(
        "the check reports the case (else this test proves nothing): " + diagnostics,
        diagnostics.contains("UnclosedResource"));
    assertEquals(input, Files.readString(file));
  }

  private Path write(String source) throws IOException {
    Path dir = tmp.newFolder().toPath();
    Path file = dir.resolve("Test.java");
    Files.writeString(file, source, StandardCharsets.UTF_8);
    return file;
  }

  /** Runs javac with Error Prone and LeakProne in patch mode; returns its diagnostics. */
  private String patch(Path file, List<String> flags) throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    String cp = System.getProperty("java.class.path");
    List<String> args =
        new ArrayList<>(
            List.of(
                "-d",
                tmp.newFolder().toString(),
                "-classpath",
                cp,
                "-processorpath",
                cp,
                "-XDcompilePolicy=simple",
                "--should-stop=ifError=FLOW",
                "-Xlint:-options"));
    StringBuilder plugin =
        new StringBuilder(
            "-Xplugin:ErrorProne -XepDisableAllChecks -Xep:UnclosedResource:WARN"
                + " -Xep:NeverCancelledScope:WARN -XepPatchChecks:"
                + CHECKS
                + " -XepPatchLocation:IN_PLACE");
    for (String f : flags) {
      plugin.append(' ').append(f);
    }
    args.add(plugin.toString());
    StringWriter out = new StringWriter();
    Boolean ok = javac.getTask(out, null, null, args, null, units(javac, file)).call();
    assertTrue("compilation with the plugin failed:\n" + out, ok);
    return out.toString();
  }

  private boolean compilesWithPlainJavac(Path file) throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter out = new StringWriter();
    Boolean ok =
        javac
            .getTask(
                out,
                null,
                null,
                List.of(
                    "-d",
                    tmp.newFolder().toString(),
                    "-classpath",
                    System.getProperty("java.class.path"),
                    "-proc:none"),
                null,
                units(javac, file))
            .call();
    if (!ok) {
      System.err.println(out);
    }
    return ok;
  }

  private static Iterable<? extends javax.tools.JavaFileObject> units(
      JavaCompiler javac, Path file) {
    return javac
        .getStandardFileManager(null, null, StandardCharsets.UTF_8)
        .getJavaFileObjects(file);
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
