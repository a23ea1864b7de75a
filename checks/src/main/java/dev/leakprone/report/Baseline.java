package dev.leakprone.report;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A baseline file: the findings a team accepted when it turned the gate on. Plain text, one finding
 * a line, sorted, so that it diffs well in review:
 *
 * <pre>
 * 3f2a9c0e1b7d4a55 UnclosedResource src/main/java/com/acme/Dao.java com.acme.Dao#load(java.lang.String) in
 * </pre>
 *
 * <p>The first word is the fingerprint, the only part that is matched. The rest says what the
 * finding is (check, file relative to the report root, class#member, subject or {@code -}) for the
 * reader, and its file decides which compilation an entry belongs to: writing a baseline replaces
 * the entries of the files compiled and keeps the others, so every module and source set of a
 * multi-module build can write into one file. Blank lines and lines starting with {@code #} are
 * comments.
 */
final class Baseline {
  private static final Pattern LINE =
      Pattern.compile("([0-9a-f]{16})\\s+(\\w+)\\s+(\\S+)\\s+(\\S+)(?:\\s+(\\S+))?\\s*");

  private static final String HEADER =
      """
      # LeakProne baseline: findings accepted when the gate was turned on; they are not reported.
      # One per line: fingerprint, check, file, class#member, subject. Refresh it with
      # -XepOpt:LeakProne:WriteBaseline=<this file> (see docs/ci.md); remove lines as leaks get fixed.
      """;

  /** One line of the file. */
  record Entry(String fingerprint, String check, String file, String member, String subject) {
    String line() {
      return fingerprint + " " + check + " " + file + " " + member + " " + subject;
    }
  }

  /** A baseline file that cannot be used; the message names the file and, if one, the line. */
  static final class BadBaselineException extends Exception {
    private static final long serialVersionUID = 1L;

    BadBaselineException(String message) {
      super(message);
    }

    @Override
    public String getMessage() {
      return requireNonNull(super.getMessage()); // always constructed with one
    }
  }

  private Baseline() {}

  /** The entries of {@code file}, keyed by fingerprint. */
  static Map<String, Entry> read(Path file, String shownName) throws BadBaselineException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new BadBaselineException(
          "LeakProne baseline "
              + shownName
              + " does not exist (-XepOpt:"
              + "LeakProne:Baseline); create it with -XepOpt:LeakProne:WriteBaseline="
              + shownName);
    } catch (IOException | RuntimeException e) {
      throw new BadBaselineException("LeakProne baseline " + shownName + " cannot be read: " + e);
    }
    Map<String, Entry> entries = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String text = lines.get(i);
      if (i == 0 && text.startsWith("\uFEFF")) {
        text = text.substring(1);
      }
      String trimmed = text.trim();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      Matcher m = LINE.matcher(trimmed);
      if (!m.matches()) {
        throw new BadBaselineException(
            shownName
                + ":"
                + (i + 1)
                + ": malformed LeakProne baseline"
                + " entry '"
                + trimmed
                + "'; expected: <16 hex digits fingerprint> <Check> <file>"
                + " <class#member> <subject>, as written by -XepOpt:LeakProne:WriteBaseline");
      }
      Entry entry =
          new Entry(
              m.group(1),
              m.group(2),
              m.group(3),
              m.group(4),
              m.group(5) == null ? "-" : m.group(5));
      entries.putIfAbsent(entry.fingerprint(), entry);
    }
    return entries;
  }

  /** Writes {@code entries} sorted by file, member, check, subject and fingerprint. */
  static void write(Path file, Collection<Entry> entries) throws IOException {
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort(
        Comparator.comparing(Entry::file)
            .thenComparing(Entry::member)
            .thenComparing(Entry::check)
            .thenComparing(Entry::subject)
            .thenComparing(Entry::fingerprint));
    StringBuilder text = new StringBuilder(HEADER);
    for (Entry e : sorted) {
      text.append(e.line()).append('\n');
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.write(file, text.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** A word of a baseline line: no blanks (they would split the line), {@code -} for none. */
  static String word(@Nullable String text) {
    if (text == null || text.isEmpty()) {
      return "-";
    }
    return text.replace("%", "%25").replace(" ", "%20").replace("\t", "%09");
  }
}
