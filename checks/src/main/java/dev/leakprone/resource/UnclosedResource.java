package dev.leakprone.resource;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;

import com.google.auto.service.AutoService;
import com.google.errorprone.BugPattern;
import com.google.errorprone.ErrorProneFlags;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.matchers.Description;
import dev.leakprone.common.Docs;
import dev.leakprone.common.LeakReporter;
import dev.leakprone.common.ObligationChecker;
import dev.leakprone.common.TryWithResourcesFix;
import dev.leakprone.engine.Leak;
import dev.leakprone.report.Findings;
import javax.inject.Inject;

/** An {@code AutoCloseable} acquired in a method and not closed on every path. */
@AutoService(BugChecker.class)
@BugPattern(
    name = "UnclosedResource",
    // The name Eclipse and IntelliJ use for the same warning, so existing suppressions keep working.
    altNames = "resource",
    summary = "Close this resource on every path, normal and exceptional",
    severity = WARNING,
    tags = BugPattern.StandardTags.LIKELY_ERROR,
    linkType = CUSTOM,
    link = Docs.BASE + "UnclosedResource.md")
public final class UnclosedResource extends ObligationChecker {
  private static final long serialVersionUID = 1L;

  private final ResourceSpec spec;

  /** For {@link java.util.ServiceLoader}, which needs a public no-argument constructor. */
  public UnclosedResource() {
    this(ErrorProneFlags.empty());
  }

  /** Used by Error Prone, which passes the {@code -XepOpt} flags. */
  @Inject
  public UnclosedResource(ErrorProneFlags flags) {
    super(flags);
    this.spec = new ResourceSpec(config());
  }

  @Override
  protected ResourceSpec spec() {
    return spec;
  }

  @Override
  protected void report(Leak leak, VisitorState state) {
    Description.Builder d = buildDescription(leak.site()).setMessage(message(leak));
    if (leak.kind() == Leak.Kind.NEVER || leak.kind() == Leak.Kind.ON_EXCEPTION) {
      TryWithResourcesFix.forAcquisition(leak.site(), state).ifPresent(d::addFix);
    }
    Findings.report(this, state, d.build(), leak.variable());
  }

  static String message(Leak leak) {
    String subject = LeakReporter.subject(leak);
    return switch (leak.kind()) {
      case NEVER -> subject + " is never closed; close it with try-with-resources, or return it or"
          + " hand it to an owner that closes it";
      case SOME_PATHS -> subject + " is not closed on every path; use try-with-resources so that"
          + " every path closes it";
      case ON_EXCEPTION -> subject + " is not closed if an exception is thrown"
          + (leak.exceptionLine() > 0 ? " at line " + leak.exceptionLine() : "")
          + "; use try-with-resources or close it in a finally block";
      case OVERWRITTEN_IN_LOOP -> subject + " is acquired again on the next loop iteration while"
          + " the previous one is still open; close each one in the iteration that opens it"
          + " (try-with-resources inside the loop)";
    };
  }
}
