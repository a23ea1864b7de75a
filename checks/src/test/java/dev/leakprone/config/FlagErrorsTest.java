package dev.leakprone.config;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * Bad {@code -XepOpt:LeakProne:…} flags, compiled through the real javac with {@code
 * -Xplugin:ErrorProne} as a build tool runs it: each gives one ordinary compiler error that names
 * the flag, the bad value and the accepted form, fails the compilation, and prints no compiler
 * crash banner or stack trace.
 */
@RunWith(JUnit4.class)
public class FlagErrorsTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  /** The test class path (Surefire's java.class.path is only its manifest jar). */
  private static final String CLASS_PATH =
      System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));

  private static final String LEAKY =
      """
      package p;
      import java.io.FileInputStream;
      import java.io.IOException;
      class Leaky {
        int first(String name) throws IOException {
          FileInputStream in = new FileInputStream(name);
          return in.read();
        }
      }
      """;

  private static final String OTHER =
      """
      package p;
      class Other {
        void run() {}
      }
      """;

  /** What javac printed, and whether it succeeded. */
  private record Result(boolean success, String output) {
    List<String> lines(String prefix) {
      List<String> found = new ArrayList<>();
      for (String line : output.split("\\R")) {
        if (line.startsWith(prefix)) {
          found.add(line);
        }
      }
      return found;
    }
  }

  private Result compile(String... leakProneFlags) throws IOException {
    Path src = tmp.newFolder().toPath();
    Path out = tmp.newFolder().toPath();
    Files.createDirectories(src.resolve("p"));
    Files.writeString(src.resolve("p/Leaky.java"), LEAKY, UTF_8);
    Files.writeString(src.resolve("p/Other.java"), OTHER, UTF_8);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter output = new StringWriter();
    try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, UTF_8)) {
      Iterable<? extends JavaFileObject> units =
          files.getJavaFileObjects(src.resolve("p/Leaky.java"), src.resolve("p/Other.java"));
      List<String> options =
          new ArrayList<>(
              Arrays.asList(
                  "-XDcompilePolicy=simple",
                  "--should-stop=ifError=FLOW",
                  "-proc:none",
                  "-classpath",
                  CLASS_PATH,
                  "-processorpath",
                  CLASS_PATH,
                  "-d",
                  out.toString(),
                  "-Xplugin:ErrorProne -XepDisableAllChecks -Xep:UnclosedResource:WARN"
                      + " -Xep:NeverCancelledScope:WARN "
                      + String.join(" ", leakProneFlags)));
      boolean success = javac.getTask(output, files, null, options, null, units).call();
      return new Result(success, output.toString());
    }
  }

  /** One error line, containing every part; the compilation failed; no crash banner or trace. */
  private static void assertOneError(Result r, String... parts) {
    assertFalse("compilation should fail:\n" + r.output(), r.success());
    List<String> errors = r.lines("error:");
    assertEquals("exactly one error expected:\n" + r.output(), 1, errors.size());
    for (String part : parts) {
      assertTrue(errors.get(0) + "\n lacks: " + part, errors.get(0).contains(part));
    }
    assertNoCrash(r);
  }

  private static void assertNoCrash(Result r) {
    assertFalse(r.output(), r.output().contains("An exception has occurred"));
    assertFalse(r.output(), r.output().contains("\tat "));
    assertFalse(r.output(), r.output().contains("Exception"));
  }

  @Test
  public void wellFormedFlagsCompileAndTheCheckStillReports() throws IOException {
    Result r = compile("-XepOpt:LeakProne:ExemptTypes=java.io.StringReader");
    assertTrue(r.output(), r.success());
    assertTrue(
        r.output(),
        r.output().contains("[UnclosedResource] 'in' (FileInputStream) is never closed"));
    assertEquals(r.output(), List.of(), r.lines("error:"));
    assertEquals(r.output(), List.of(), r.lines("Note: [LeakProne]"));
    assertNoCrash(r);
  }

  @Test
  public void malformedValueIsOneCompilerError() throws IOException {
    Result r = compile("-XepOpt:LeakProne:ResourceFactories=com.acme.Pool#");
    assertOneError(
        r,
        "[UnclosedResource]",
        "'com.acme.Pool#'",
        "-XepOpt:LeakProne:ResourceFactories",
        "com.acme.Pool#borrow");
    // The check with the bad flag reports nothing else.
    assertFalse(r.output(), r.output().contains("is never closed"));
  }

  @Test
  public void malformedTypeIsOneCompilerError() throws IOException {
    assertOneError(
        compile("-XepOpt:LeakProne:ExemptTypes=com.acme.Mem#x"),
        "'com.acme.Mem#x'",
        "-XepOpt:LeakProne:ExemptTypes",
        "com.acme.InMemoryChannel");
  }

  @Test
  public void scopeTypesErrorNamesNeverCancelledScope() throws IOException {
    // Error Prone builds UnclosedResource first; the error still names the flag's own check.
    assertOneError(
        compile("-XepOpt:LeakProne:ScopeTypes=com.acme.Lease:re-lease"),
        "error: [NeverCancelledScope] ",
        "'com.acme.Lease:re-lease'",
        "-XepOpt:LeakProne:ScopeTypes",
        "com.acme.Lease:release|close");
  }

  @Test
  public void trailingCommaNamesTheEmptyElementAndItsPosition() throws IOException {
    assertOneError(
        compile("-XepOpt:LeakProne:ExemptTypes=com.acme.A,com.acme.B,"),
        "Empty element 3 of 3 (after the last comma)",
        "-XepOpt:LeakProne:ExemptTypes=com.acme.A,com.acme.B,");
  }

  @Test
  public void doubledCommaNamesTheElementBeforeIt() throws IOException {
    assertOneError(
        compile("-XepOpt:LeakProne:ExemptTypes=com.acme.A,,com.acme.B"),
        "Empty element 2 of 3 (after 'com.acme.A')");
  }

  @Test
  public void wrongCasePrefixAsksForLeakProne() throws IOException {
    assertOneError(
        compile("-XepOpt:Leakprone:ExemptTypes=com.acme.A"),
        "-XepOpt:Leakprone:ExemptTypes",
        "did you mean -XepOpt:LeakProne:ExemptTypes?");
  }

  @Test
  public void unknownFlagIsOneCompilerError() throws IOException {
    assertOneError(
        compile("-XepOpt:LeakProne:ResourceFactory=com.acme.Pool#borrow"),
        "-XepOpt:LeakProne:ResourceFactory is not a LeakProne flag",
        "-XepOpt:LeakProne:ResourceFactories");
  }

  @Test
  public void typeNotOnTheClasspathIsOneNotePerCompilation() throws IOException {
    // Two compilation units and two checks: still one note.
    Result r =
        compile(
            "-XepOpt:LeakProne:ExemptTypes=com.acme.Missing,java.io.StringReader,java.util.Map.Entry",
            "-XepOpt:LeakProne:ScopeTypes=com.acme.Lease:release");
    assertTrue(r.output(), r.success());
    List<String> notes = r.lines("Note: [LeakProne]");
    assertEquals(r.output(), 1, notes.size());
    assertTrue(
        notes.get(0),
        notes.get(0).contains("-XepOpt:LeakProne:ExemptTypes names com.acme.Missing"));
    assertTrue(
        notes.get(0), notes.get(0).contains("-XepOpt:LeakProne:ScopeTypes names com.acme.Lease"));
    // Types on the classpath, nested ones named with dots too, get no note.
    assertFalse(notes.get(0), notes.get(0).contains("StringReader"));
    assertFalse(notes.get(0), notes.get(0).contains("Entry"));
    assertNoCrash(r);
  }

  @Test
  public void repeatedFlagLastWins() throws IOException {
    // Error Prone keeps the last value of a repeated flag, as docs/configuration.md says.
    Result valid =
        compile(
            "-XepOpt:LeakProne:ExemptTypes=com.acme.Mem#x",
            "-XepOpt:LeakProne:ExemptTypes=java.io.FileInputStream");
    assertTrue(valid.output(), valid.success());
    assertFalse(
        "the last value exempts FileInputStream:\n" + valid.output(),
        valid.output().contains("is never closed"));
    assertOneError(
        compile(
            "-XepOpt:LeakProne:ExemptTypes=java.io.FileInputStream",
            "-XepOpt:LeakProne:ExemptTypes=com.acme.Mem#x"),
        "'com.acme.Mem#x'");
  }
}
