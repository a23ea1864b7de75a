package dev.leakprone.report;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.BugPattern;
import com.google.errorprone.ErrorProneFlags;
import com.google.errorprone.ErrorProneOptions;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.matchers.Description;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.LineMap;
import com.sun.source.tree.Tree;
import com.sun.source.util.TaskEvent;
import com.sun.source.util.TaskListener;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.api.MultiTaskListener;
import com.sun.tools.javac.main.Arguments;
import com.sun.tools.javac.processing.JavacProcessingEnvironment;
import com.sun.tools.javac.util.Context;
import com.sun.tools.javac.util.Options;
import dev.leakprone.config.LeakProneConfig;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.tools.Diagnostic;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import org.jspecify.annotations.Nullable;

/**
 * The findings of one compilation (one javac {@link Context}): created by the first finding,
 * finished by javac's end-of-compilation event, when it writes the SARIF log and the baseline and
 * prints the summary note.
 */
final class Session {
  private static final Context.Key<Session> KEY = new Context.Key<>();

  /** The placeholder in SarifReport for the source set being compiled (main, test, ...). */
  static final String SOURCE_SET = "{sourceSet}";

  private static final List<String> ROOT_MARKERS =
      List.of("pom.xml", "settings.gradle", "settings.gradle.kts", ".git");

  private final Context context;
  private final LeakProneConfig.ReportFlags flags;
  private final @Nullable String baselineName;
  private @Nullable Map<String, Baseline.Entry> baseline;
  private final Set<String> matched = new HashSet<>();
  private final Map<String, Integer> occurrences = new HashMap<>();
  private final List<Finding> findings = new ArrayList<>();
  private boolean finished;

  private Session(Context context, LeakProneConfig.ReportFlags flags) {
    this.context = context;
    this.flags = flags;
    this.baselineName = flags.baseline() == null ? null : shown(Paths.get(flags.baseline()));
  }

  /** The session of {@code state}'s compilation, started on first use. */
  static Session of(VisitorState state) {
    Context context = state.context;
    Session session = context.get(KEY);
    if (session == null) {
      ErrorProneOptions options = state.errorProneOptions();
      ErrorProneFlags epFlags = options == null ? ErrorProneFlags.empty() : options.getFlags();
      LeakProneConfig.ReportFlags flags;
      String flagError = null;
      try {
        flags = LeakProneConfig.reportFlags(epFlags);
      } catch (IllegalArgumentException e) {
        flags = LeakProneConfig.reportFlags(ErrorProneFlags.empty());
        flagError = e.getMessage();
      }
      session = new Session(context, flags);
      context.put(KEY, session);
      if (flagError != null) {
        session.error(flagError);
      }
      session.start();
    }
    return session;
  }

  /**
   * Starts the session of a compilation from its Error Prone flags before any finding (see {@link
   * ReportPlugin}); does nothing unless a reporting flag is set or a session exists.
   */
  static void startEarly(Context context, ErrorProneFlags epFlags) {
    if (context.get(KEY) != null) {
      return;
    }
    LeakProneConfig.ReportFlags flags;
    try {
      flags = LeakProneConfig.reportFlags(epFlags);
    } catch (IllegalArgumentException e) {
      return; // the checks report a malformed flag themselves
    }
    if (flags.sarifReport() == null && flags.baseline() == null && flags.writeBaseline() == null) {
      return;
    }
    Session session = new Session(context, flags);
    context.put(KEY, session);
    session.start();
  }

  private void start() {
    if (flags.baseline() != null) {
      try {
        // baselineName is set exactly when the baseline flag is
        baseline = Baseline.read(Paths.get(flags.baseline()), requireNonNull(baselineName));
      } catch (Baseline.BadBaselineException e) {
        error(
            e.getMessage()); // one error; every finding is then reported as if no baseline were set
      }
    }
    Session session = this;
    MultiTaskListener.instance(context)
        .add(
            new TaskListener() {
              @Override
              public void finished(TaskEvent e) {
                if (e.getKind() == TaskEvent.Kind.COMPILATION) {
                  session.finish();
                }
              }
            });
  }

  /**
   * Records one finding; returns whether the baseline holds it (then it must not be reported to
   * javac).
   */
  boolean record(
      BugChecker check, VisitorState state, Description description, @Nullable String subject) {
    CompilationUnitTree unit = state.getPath().getCompilationUnit();
    Tree tree = Positions.tree(description);
    int preferred = Positions.preferred(description);
    TreePath path = tree == null ? null : TreePath.getPath(unit, tree);
    if (path == null) {
      path = state.getPath();
    }
    Fingerprint.Site site = Fingerprint.siteOf(path, context);
    String checkName =
        description.checkName == null ? check.canonicalName() : description.checkName;
    String fileKey = unit.getSourceFile().toUri().toString();
    String occurrenceKey =
        String.join(
            "\u0000",
            fileKey,
            checkName,
            site.className(),
            site.member(),
            subject == null ? "" : subject);
    int occurrence = occurrences.merge(occurrenceKey, 1, Integer::sum) - 1;
    String fingerprint = Fingerprint.of(checkName, site, subject, occurrence);
    boolean baselined = baseline != null && baseline.containsKey(fingerprint);
    if (baselined) {
      matched.add(fingerprint);
    }

    // Error Prone sets a Description's severity only in reportMatch: the override (-Xep:Name:LEVEL)
    // else the check's default.
    BugPattern.SeverityLevel severity = check.defaultSeverity();
    Map<String, BugPattern.SeverityLevel> overrides = state.severityMap();
    if (overrides != null && overrides.get(checkName) != null) {
      severity = overrides.get(checkName);
    }
    LineMap lines = unit.getLineMap();
    int start = preferred >= 0 ? preferred : (tree == null ? 0 : Positions.start(description));
    int end = tree == null ? start : state.getEndPosition(tree);
    if (end < start) {
      end = start;
    }
    int startLine = (int) lines.getLineNumber(start);
    int endLine = (int) lines.getLineNumber(end);
    int startColumn = (int) (start - lines.getStartPosition(startLine)) + 1;
    int endColumn = (int) (end - lines.getStartPosition(endLine)) + 1;
    findings.add(
        new Finding(
            checkName,
            Rules.level(severity),
            description.getRawMessage(),
            fileOf(unit.getSourceFile()),
            fileKey,
            startLine,
            startColumn,
            endLine,
            endColumn,
            site,
            subject,
            fingerprint,
            baselined));
    return baselined;
  }

  private void finish() {
    if (finished) {
      return;
    }
    finished = true;
    try {
      Path root = root();
      List<Finding> results = new ArrayList<>();
      for (Finding f : findings) {
        results.add(
            new Finding(
                f.check(),
                f.level(),
                f.message(),
                f.file(),
                uri(f, root),
                f.startLine(),
                f.startColumn(),
                f.endLine(),
                f.endColumn(),
                f.site(),
                f.subject(),
                f.fingerprint(),
                f.baselined()));
      }
      results.sort(Finding.ORDER);
      String reportName = null;
      if (flags.sarifReport() != null) {
        Path report = Paths.get(flags.sarifReport().replace(SOURCE_SET, sourceSet()));
        reportName = shown(report);
        try {
          Path parent = report.toAbsolutePath().getParent();
          if (parent != null) {
            Files.createDirectories(parent);
          }
          Files.write(
              report,
              Sarif.write(Rules.all(), results, baselineName).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
          error(
              "LeakProne cannot write the SARIF report "
                  + reportName
                  + " (-XepOpt:"
                  + LeakProneConfig.SARIF_REPORT
                  + "): "
                  + e);
        }
      }
      // Only a baseline needs the list of every compiled file (thousands of path operations).
      Set<String> compiled =
          flags.writeBaseline() != null || baseline != null ? compiledFiles(root) : Set.of();
      if (flags.writeBaseline() != null) {
        writeBaseline(Paths.get(flags.writeBaseline()), results, compiled);
      }
      if (baseline != null) {
        noteUnmatched(baseline, root, compiled);
      }
      if (!results.isEmpty()) {
        note(summary(results, reportName));
      }
    } catch (RuntimeException | LinkageError e) {
      warning("LeakProne could not finish its report: " + e);
    }
  }

  private String summary(List<Finding> results, @Nullable String reportName) {
    Map<String, Integer> byCheck = new TreeMap<>();
    int inBaseline = 0;
    for (Finding f : results) {
      byCheck.merge(f.check(), 1, Integer::sum);
      if (f.baselined()) {
        inBaseline++;
      }
    }
    List<Map.Entry<String, Integer>> counts = new ArrayList<>(byCheck.entrySet());
    counts.sort(
        Map.Entry.<String, Integer>comparingByValue()
            .reversed()
            .thenComparing(Map.Entry.comparingByKey()));
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, Integer> e : counts) {
      parts.add(e.getKey() + " " + e.getValue());
    }
    StringBuilder s =
        new StringBuilder("LeakProne: ")
            .append(results.size())
            .append(results.size() == 1 ? " finding (" : " findings (")
            .append(String.join(", ", parts))
            .append(')');
    if (baseline != null) {
      s.append(", ").append(inBaseline).append(" in the baseline");
    }
    if (reportName != null) {
      s.append(", report: ").append(reportName);
    }
    return s.toString();
  }

  private void writeBaseline(Path file, List<Finding> results, Set<String> compiled) {
    String name = shown(file);
    Map<String, Baseline.Entry> entries = new LinkedHashMap<>();
    if (Files.exists(file)) {
      try {
        for (Baseline.Entry e : Baseline.read(file, name).values()) {
          if (!compiled.contains(e.file())) {
            entries.put(e.fingerprint(), e); // another module's or source set's: kept
          }
        }
      } catch (Baseline.BadBaselineException e) {
        error(e.getMessage());
        return;
      }
    }
    for (Finding f : results) {
      entries.put(
          f.fingerprint(),
          new Baseline.Entry(
              f.fingerprint(),
              f.check(),
              Baseline.word(f.fileUri()),
              Baseline.word(f.site().className() + "#" + f.site().member()),
              Baseline.word(f.subject())));
    }
    try {
      Baseline.write(file, entries.values());
    } catch (IOException e) {
      error(
          "LeakProne cannot write the baseline "
              + name
              + " (-XepOpt:"
              + LeakProneConfig.WRITE_BASELINE
              + "): "
              + e);
    }
  }

  /** One note listing the baseline entries of this compilation's files that matched nothing. */
  private void noteUnmatched(
      Map<String, Baseline.Entry> baseline, Path root, Set<String> compiled) {
    List<String> stale = new ArrayList<>();
    for (Baseline.Entry e : baseline.values()) {
      if (matched.contains(e.fingerprint())) {
        continue;
      }
      boolean ours = compiled.contains(e.file());
      boolean gone = !e.file().contains(":") && !Files.exists(root.resolve(e.file()));
      if (ours || gone) {
        stale.add(e.line());
      }
    }
    if (!stale.isEmpty()) {
      stale.sort(null);
      note(
          "LeakProne: "
              + stale.size()
              + (stale.size() == 1 ? " entry" : " entries")
              + " of the baseline "
              + baselineName
              + " match no finding any more (fixed?); remove "
              + (stale.size() == 1 ? "it" : "them")
              + ":\n  "
              + String.join("\n  ", stale));
    }
  }

  /** The relative URIs of the files this compilation compiles. */
  private Set<String> compiledFiles(Path root) {
    Set<String> files = new TreeSet<>();
    try {
      for (JavaFileObject source : Arguments.instance(context).getFileObjects()) {
        Path file = fileOf(source);
        files.add(file == null ? source.toUri().toString() : relative(file, root));
      }
    } catch (RuntimeException | LinkageError e) {
      // fall back to the files that had findings
    }
    for (Finding f : findings) {
      Path file = f.file();
      files.add(file == null ? f.fileUri() : relative(file, root));
    }
    return files;
  }

  private static String uri(Finding f, Path root) {
    return f.file() == null ? f.fileUri() : relative(f.file(), root);
  }

  /** {@code file} relative to {@code root} with '/' separators, or its file: URI when outside. */
  private static String relative(Path file, Path root) {
    Path abs = file.toAbsolutePath().normalize();
    if (!abs.startsWith(root)) {
      return abs.toUri().toString();
    }
    StringBuilder s = new StringBuilder();
    for (Path part : root.relativize(abs)) {
      if (s.length() > 0) {
        s.append('/');
      }
      s.append(URI.create("x:/").resolve(encode(part.toString())).getRawPath().substring(1));
    }
    return s.toString();
  }

  private static String encode(String segment) {
    StringBuilder s = new StringBuilder();
    for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || "-._~$+=@".indexOf(c) >= 0) {
        s.append((char) c);
      } else {
        s.append('%')
            .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return s.toString();
  }

  /**
   * The directory that locations are relative to: SarifRoot, else the nearest directory holding a
   * pom.xml, settings.gradle(.kts) or .git above the common directory of the sources.
   */
  private Path root() {
    if (flags.sarifRoot() != null) {
      return Paths.get(flags.sarifRoot()).toAbsolutePath().normalize();
    }
    Path common = null;
    List<Path> files = new ArrayList<>();
    try {
      for (JavaFileObject source : Arguments.instance(context).getFileObjects()) {
        Path file = fileOf(source);
        if (file != null) {
          files.add(file);
        }
      }
    } catch (RuntimeException | LinkageError e) {
      // use the files with findings
    }
    for (Finding f : findings) {
      if (f.file() != null) {
        files.add(f.file());
      }
    }
    for (Path file : files) {
      Path dir = file.toAbsolutePath().normalize().getParent();
      if (dir == null) {
        continue;
      }
      if (common == null) {
        common = dir;
      } else {
        while (common != null && !dir.startsWith(common)) {
          common = common.getParent();
        }
      }
    }
    if (common == null) {
      return Paths.get("").toAbsolutePath().normalize();
    }
    for (Path dir = common; dir != null; dir = dir.getParent()) {
      for (String marker : ROOT_MARKERS) {
        if (Files.exists(dir.resolve(marker))) {
          return dir;
        }
      }
    }
    return common;
  }

  /**
   * The source set being compiled, from the class output directory: Maven's {@code classes} is
   * {@code main} and {@code test-classes} is {@code test}; Gradle's {@code build/classes/java/main}
   * is {@code main}; otherwise the directory's name.
   */
  String sourceSet() {
    String out = null;
    try {
      out = Options.instance(context).get("-d");
      if (out == null) {
        JavaFileManager fm = context.get(JavaFileManager.class);
        if (fm instanceof StandardJavaFileManager sfm
            && sfm.getLocation(StandardLocation.CLASS_OUTPUT) != null) {
          for (java.io.File dir : sfm.getLocation(StandardLocation.CLASS_OUTPUT)) {
            out = dir.getPath();
          }
        }
      }
    } catch (RuntimeException | LinkageError e) {
      out = null;
    }
    return sourceSetOf(out);
  }

  static String sourceSetOf(@Nullable String outputDir) {
    if (outputDir == null) {
      return "main";
    }
    Path name = Paths.get(outputDir).normalize().getFileName();
    String dir = name == null ? "" : name.toString();
    if (dir.equals("classes") || dir.isEmpty()) {
      return "main";
    }
    if (dir.endsWith("-classes")) {
      return dir.substring(0, dir.length() - "-classes".length());
    }
    return dir;
  }

  private static @Nullable Path fileOf(JavaFileObject source) {
    try {
      URI uri = source.toUri();
      return "file".equals(uri.getScheme()) ? Paths.get(uri) : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** A path as shown in messages: relative to the working directory when under it. */
  private static String shown(Path path) {
    Path cwd = Paths.get("").toAbsolutePath().normalize();
    Path abs = path.toAbsolutePath().normalize();
    return abs.startsWith(cwd) && !abs.equals(cwd)
        ? cwd.relativize(abs).toString()
        : path.toString();
  }

  // Through javac's Messager (as an annotation processor reports): public API, the same on JDK 17
  // and 25, and an error fails the compilation.
  private void error(String message) {
    print(Diagnostic.Kind.ERROR, message);
  }

  private void note(String message) {
    print(Diagnostic.Kind.NOTE, message);
  }

  private void warning(String message) {
    print(Diagnostic.Kind.WARNING, message);
  }

  private void print(Diagnostic.Kind kind, String message) {
    JavacProcessingEnvironment.instance(context).getMessager().printMessage(kind, message);
  }

  /**
   * Reads {@code Description.position}, a DiagnosticPosition before Error Prone 2.45, an
   * ErrorPronePosition after.
   */
  static final class Positions {
    private static final @Nullable Field POSITION = field();
    private static final @Nullable Method TREE = method("getTree");
    private static final @Nullable Method PREFERRED = method("getPreferredPosition");
    private static final @Nullable Method START = method("getStartPosition");

    private Positions() {}

    private static @Nullable Field field() {
      try {
        return Description.class.getField("position");
      } catch (ReflectiveOperationException | RuntimeException e) {
        return null;
      }
    }

    private static @Nullable Method method(String name) {
      try {
        return POSITION == null ? null : POSITION.getType().getMethod(name);
      } catch (ReflectiveOperationException | RuntimeException e) {
        return null;
      }
    }

    private static @Nullable Object call(@Nullable Method m, Description d) {
      try {
        Object pos = POSITION == null ? null : POSITION.get(d);
        return pos == null || m == null ? null : m.invoke(pos);
      } catch (ReflectiveOperationException | RuntimeException e) {
        return null;
      }
    }

    static @Nullable Tree tree(Description d) {
      return call(TREE, d) instanceof Tree tree ? tree : null;
    }

    static int preferred(Description d) {
      return call(PREFERRED, d) instanceof Integer i ? i : -1;
    }

    static int start(Description d) {
      return call(START, d) instanceof Integer i ? i : 0;
    }
  }
}
