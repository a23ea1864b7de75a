package dev.leakprone.report;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
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
 * The report as users run it: plain javac with {@code -Xplugin:ErrorProne ...} and the plugin jar's
 * classes on the processor path, where {@link ReportPlugin} starts the report before any finding.
 */
@RunWith(JUnit4.class)
public class ReportPluginTest {
  @Rule public final TemporaryFolder temp = new TemporaryFolder();

  private static final String CLEAN =
      """
      package com.acme;
      class Clean {
        int read(java.io.InputStream in) throws java.io.IOException {
          return in.read();
        }
      }
      """;

  private record Result(boolean success, List<Diagnostic<? extends JavaFileObject>> diagnostics) {
    List<String> messages(Diagnostic.Kind kind) {
      return diagnostics.stream()
          .filter(d -> d.getKind() == kind)
          .map(d -> d.getMessage(Locale.ROOT))
          .collect(Collectors.toList());
    }
  }

  private static Result javac(Path project, String errorProneArgs) throws IOException {
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    List<Path> sources;
    try (var files = Files.walk(project.resolve("src"))) {
      sources = files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
    Files.createDirectories(project.resolve("target/classes"));
    try (StandardJavaFileManager fm =
        javac.getStandardFileManager(diagnostics, Locale.ROOT, UTF_8)) {
      List<String> options =
          new ArrayList<>(
              List.of(
                  "-d",
                  project.resolve("target/classes").toString(),
                  "-XDcompilePolicy=simple",
                  "--should-stop=ifError=FLOW",
                  "-processorpath",
                  classpath,
                  "-Xplugin:ErrorProne -XepDisableAllChecks -Xep:UnclosedResource:WARN "
                      + errorProneArgs));
      Boolean ok =
          javac
              .getTask(
                  new StringWriter(),
                  fm,
                  diagnostics,
                  options,
                  null,
                  fm.getJavaFileObjectsFromPaths(sources))
              .call();
      return new Result(Boolean.TRUE.equals(ok), diagnostics.getDiagnostics());
    }
  }

  @Test
  public void compilationWithoutFindingsStillWritesItsLog() throws IOException {
    Path project = ReportCompiler.project(temp.getRoot().toPath().resolve("clean"));
    ReportCompiler.write(project, "com/acme/Clean.java", CLEAN);
    Path report = project.resolve("target/leakprone-{sourceSet}.sarif");
    Result result = javac(project, "-XepOpt:LeakProne:SarifReport=" + report);
    assertTrue(result.diagnostics().toString(), result.success());
    JsonNode sarif =
        new ObjectMapper().readTree(project.resolve("target/leakprone-main.sarif").toFile());
    assertEquals(0, sarif.get("runs").get(0).get("results").size());
    assertTrue(sarif.get("runs").get(0).get("tool").get("driver").get("rules").size() > 0);
    assertEquals("no findings, no summary", List.of(), result.messages(Diagnostic.Kind.NOTE));
  }

  @Test
  public void missingBaselineFailsEvenWithoutFindings() throws IOException {
    Path project = ReportCompiler.project(temp.getRoot().toPath().resolve("clean"));
    ReportCompiler.write(project, "com/acme/Clean.java", CLEAN);
    Result result = javac(project, "-XepOpt:LeakProne:Baseline=" + project.resolve("typo.txt"));
    assertFalse(result.success());
    List<String> errors = result.messages(Diagnostic.Kind.ERROR);
    assertEquals(errors.toString(), 1, errors.size());
    assertTrue(errors.get(0), errors.get(0).contains("typo.txt does not exist"));
  }

  @Test
  public void findingsThroughThePluginPathToo() throws IOException {
    Path project = ReportCompiler.project(temp.getRoot().toPath().resolve("leaky"));
    ReportCompiler.write(
        project,
        "com/acme/Leaky.java",
        """
        package com.acme;
        class Leaky {
          int read(String name) throws java.io.IOException {
            java.io.InputStream in = new java.io.FileInputStream(name);
            return in.read();
          }
        }
        """);
    Path baseline = project.resolve("baseline.txt");
    Result writing = javac(project, "-XepOpt:LeakProne:WriteBaseline=" + baseline);
    assertTrue(writing.diagnostics().toString(), writing.success());
    assertEquals(1, writing.messages(Diagnostic.Kind.WARNING).size());
    assertEquals(
        1, Files.readAllLines(baseline, UTF_8).stream().filter(l -> !l.startsWith("#")).count());
    Result gated = javac(project, "-XepOpt:LeakProne:Baseline=" + baseline);
    assertTrue(gated.success());
    assertEquals(List.of(), gated.messages(Diagnostic.Kind.WARNING));
    assertEquals(
        List.of("LeakProne: 1 finding (UnclosedResource 1), 1 in the baseline"),
        gated.messages(Diagnostic.Kind.NOTE));
  }

  @Test
  public void readsOnlyTheErrorProneArgument() {
    assertNull(ReportPlugin.errorProneFlags(null));
    assertNull(ReportPlugin.errorProneFlags("ErrorProne -XepDisableAllChecks"));
    assertNull(ReportPlugin.errorProneFlags("Other -XepOpt:LeakProne:SarifReport=x"));
    assertEquals(
        "x.sarif",
        ReportPlugin.errorProneFlags(
                "Other a\u0000ErrorProne -Xep:UnclosedResource:WARN -XepOpt:LeakProne:SarifReport=x.sarif")
            .get("LeakProne:SarifReport")
            .orElse(null));
  }
}
