package dev.leakprone.report;

import com.google.errorprone.ErrorProneJavaCompiler;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.scanner.ScannerSupplier;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;

/**
 * Compiles a project on disk with Error Prone and the given checks, the way a build does (real
 * files, a class output directory, the end-of-compilation event), and returns what javac said.
 */
final class ReportCompiler {
  private ReportCompiler() {}

  /** What one compilation printed. */
  record Result(
      boolean success, List<Diagnostic<? extends JavaFileObject>> diagnostics, String output) {
    List<String> messages(Diagnostic.Kind kind) {
      return diagnostics.stream()
          .filter(d -> d.getKind() == kind)
          .map(d -> d.getMessage(Locale.ROOT))
          .collect(Collectors.toList());
    }

    /** Warnings and errors of LeakProne checks, as "File.java:line [Check]". */
    List<String> findings() {
      List<String> out = new ArrayList<>();
      for (Diagnostic<? extends JavaFileObject> d : diagnostics) {
        String m = d.getMessage(Locale.ROOT);
        if (d.getSource() != null && m.startsWith("[")) {
          Path file = Path.of(d.getSource().toUri());
          out.add(
              file.getFileName()
                  + ":"
                  + d.getLineNumber()
                  + " "
                  + m.substring(0, m.indexOf(']') + 1));
        }
      }
      return out;
    }

    List<String> notes() {
      return messages(Diagnostic.Kind.NOTE);
    }
  }

  /** Writes {@code source} to {@code dir/src/main/java/<path>}. */
  static Path write(Path dir, String path, String source) throws IOException {
    Path file = dir.resolve("src/main/java").resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, source, StandardCharsets.UTF_8);
    return file;
  }

  /** A project directory with a pom.xml, so that it is the default SARIF root. */
  static Path project(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("pom.xml"), "<project/>\n");
    return dir;
  }

  @SafeVarargs
  static Result compile(
      Path project, String outputDir, List<String> args, Class<? extends BugChecker>... checks)
      throws IOException {
    return compile(project, outputDir, args, List.of(checks));
  }

  static Result compile(
      Path project, String outputDir, List<String> args, List<Class<? extends BugChecker>> checks)
      throws IOException {
    List<Path> sources;
    try (Stream<Path> files = Files.walk(project.resolve("src"))) {
      sources =
          files.filter(p -> p.toString().endsWith(".java")).sorted().collect(Collectors.toList());
    }
    Path out = project.resolve(outputDir);
    Files.createDirectories(out);
    JavaCompiler compiler =
        new ErrorProneJavaCompiler(ScannerSupplier.fromBugCheckerClasses(checks));
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    StringWriter output = new StringWriter();
    try (StandardJavaFileManager fm =
        compiler.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
      List<String> options =
          new ArrayList<>(
              List.of(
                  "-d",
                  out.toString(),
                  "-proc:none",
                  "-XDcompilePolicy=simple",
                  "-Xlint:-options",
                  "-classpath",
                  System.getProperty("java.class.path")));
      options.addAll(args);
      Boolean ok =
          compiler
              .getTask(
                  output, fm, diagnostics, options, null, fm.getJavaFileObjectsFromPaths(sources))
              .call();
      return new Result(Boolean.TRUE.equals(ok), diagnostics.getDiagnostics(), output.toString());
    }
  }
}
