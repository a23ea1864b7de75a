package dev.leakprone.report;

import com.google.errorprone.BugPattern;
import com.google.errorprone.bugpatterns.BugChecker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The SARIF rules: one per LeakProne check registered as a {@code BugChecker} service (what
 * {@code @AutoService(BugChecker.class)} writes), described by its {@code @BugPattern}. A new check
 * needs nothing here.
 */
final class Rules {
  static final String SERVICES = "META-INF/services/" + BugChecker.class.getName();
  private static final String PACKAGE = "dev.leakprone.";

  /** One rule. */
  record Rule(
      String id,
      String summary,
      String link,
      BugPattern.SeverityLevel severity,
      List<String> tags) {}

  private static volatile @Nullable Map<String, Rule> all;

  private Rules() {}

  /** Every registered LeakProne check's rule, by check name, sorted. */
  static Map<String, Rule> all() {
    Map<String, Rule> rules = all;
    if (rules == null) {
      rules = Collections.unmodifiableMap(load(Rules.class.getClassLoader()));
      all = rules;
    }
    return rules;
  }

  static Map<String, Rule> load(ClassLoader loader) {
    Map<String, Rule> rules = new TreeMap<>();
    try {
      Enumeration<URL> files = loader.getResources(SERVICES);
      while (files.hasMoreElements()) {
        URL url = files.nextElement();
        try (InputStream in = url.openStream();
            BufferedReader reader =
                new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
          for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            String name = line.replaceAll("#.*", "").trim();
            if (name.startsWith(PACKAGE)) {
              Rule rule = rule(name, loader);
              if (rule != null) {
                rules.putIfAbsent(rule.id(), rule);
              }
            }
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // The rules are descriptive; a result whose rule is missing still carries its ruleId.
    }
    return rules;
  }

  private static @Nullable Rule rule(String className, ClassLoader loader) {
    try {
      BugPattern p = Class.forName(className, false, loader).getAnnotation(BugPattern.class);
      if (p == null) {
        return null;
      }
      String id =
          p.name().isEmpty() ? className.substring(className.lastIndexOf('.') + 1) : p.name();
      List<String> tags = new ArrayList<>(List.of(p.tags()));
      Collections.sort(tags);
      return new Rule(id, p.summary(), p.link(), p.severity(), tags);
    } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
      return null;
    }
  }

  /** The rule for {@code check}, also for a check not registered as a service (tests). */
  static Rule forCheck(BugChecker check) {
    Rule rule = all().get(check.canonicalName());
    if (rule != null) {
      return rule;
    }
    BugPattern p = check.getClass().getAnnotation(BugPattern.class);
    List<String> tags = p == null ? List.of() : new ArrayList<>(List.of(p.tags()));
    return new Rule(
        check.canonicalName(),
        p == null ? check.canonicalName() : p.summary(),
        check.linkUrl() == null ? "" : check.linkUrl(),
        check.defaultSeverity(),
        tags);
  }

  /** SARIF's level for a severity. */
  static String level(BugPattern.SeverityLevel severity) {
    return switch (severity) {
      case ERROR -> "error";
      case WARNING -> "warning";
      case SUGGESTION -> "note";
    };
  }

  /** The plugin's version, from the Maven metadata in its jar; "development" in a build tree. */
  static String version() {
    try (InputStream in =
        Rules.class
            .getClassLoader()
            .getResourceAsStream("META-INF/maven/dev.leakprone/leakprone-checks/pom.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        String v = p.getProperty("version");
        if (v != null && !v.isBlank()) {
          return v.trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through
    }
    return "development";
  }
}
