package dev.leakprone.report;

import java.nio.file.Path;
import java.util.Comparator;
import org.jspecify.annotations.Nullable;

/**
 * One finding as the reporting path records it, for the SARIF log, the baseline and the summary.
 */
record Finding(
    String check,
    String level,
    String message,
    @Nullable Path file,
    String fileUri,
    int startLine,
    int startColumn,
    int endLine,
    int endColumn,
    Fingerprint.Site site,
    @Nullable String subject,
    String fingerprint,
    boolean baselined) {

  /** The order of results in the SARIF log: by file, position, check, fingerprint. */
  static final Comparator<Finding> ORDER =
      Comparator.comparing(Finding::fileUri)
          .thenComparingInt(Finding::startLine)
          .thenComparingInt(Finding::startColumn)
          .thenComparing(Finding::check)
          .thenComparing(Finding::fingerprint);
}
