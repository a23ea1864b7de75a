package dev.leakprone.resource;

import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;
import static org.junit.Assert.assertTrue;

import com.google.errorprone.BugPattern;
import com.google.errorprone.CompilationTestHelper;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.MethodTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.sun.source.tree.MethodTree;
import dev.leakprone.config.LeakProneConfig;
import dev.leakprone.engine.BodyAnalyzer;
import dev.leakprone.engine.ObligationAnalysis;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * The engine's work on pathological methods is bounded by {@link ObligationAnalysis#workLimit}:
 * thousands of statements, deeply nested try/finally and loops, hundreds of resources. Asserts
 * counted node transfers, never wall-clock time.
 */
@RunWith(JUnit4.class)
public class EngineBoundsTest {

  /** Records every result of the engine, so the test can inspect the work done. */
  @BugPattern(summary = "records engine results", severity = WARNING)
  public static final class EngineProbe extends BugChecker implements MethodTreeMatcher {
    static final List<ObligationAnalysis.Result> RESULTS = new ArrayList<>();
    private final ResourceSpec spec = new ResourceSpec(LeakProneConfig.empty());

    @Override
    public Description matchMethod(MethodTree tree, VisitorState state) {
      BodyAnalyzer.analyze(state, spec).ifPresent(RESULTS::add);
      return Description.NO_MATCH;
    }
  }

  private static String pathologicalClass(int resources, int depth, int filler) {
    StringBuilder sb =
        new StringBuilder(
            "import java.io.*;\nclass Big {\n  int run(File f, int n) throws IOException {\n    int x = 0;\n");
    for (int i = 0; i < resources; i++) {
      sb.append("    InputStream in").append(i).append(" = new FileInputStream(f);\n");
    }
    for (int d = 0; d < depth; d++) {
      sb.append("    try {\n      for (int i")
          .append(d)
          .append(" = 0; i")
          .append(d)
          .append(" < n; i")
          .append(d)
          .append("++) {\n");
      sb.append("        if (x % 3 == ")
          .append(d % 3)
          .append(") { x += in")
          .append(d % resources)
          .append(".read(); continue; }\n");
    }
    for (int i = 0; i < filler; i++) {
      sb.append("        x += in")
          .append(i % resources)
          .append(".read() + ")
          .append(i)
          .append(";\n");
      if (i % 50 == 0) {
        sb.append("        if (x > ").append(i).append(") break;\n");
      }
    }
    for (int d = depth - 1; d >= 0; d--) {
      sb.append("      }\n    } finally {\n      in")
          .append(d % resources)
          .append(".close();\n    }\n");
    }
    sb.append("    return x;\n  }\n}\n");
    return sb.toString();
  }

  @Test
  public void pathologicalMethodIsAnalysedWithinTheWorkBound() {
    EngineProbe.RESULTS.clear();
    CompilationTestHelper.newInstance(EngineProbe.class, getClass())
        .addSourceLines("Big.java", pathologicalClass(200, 25, 3000))
        .doTest();
    assertTrue(EngineProbe.RESULTS.size() == 1);
    ObligationAnalysis.Result r = EngineProbe.RESULTS.get(0);
    // 3,000+ statements: the graph has well over 10,000 nodes; the fixpoint stays linear in them.
    int bound = ObligationAnalysis.workLimit(ObligationAnalysis.MAX_NODES);
    assertTrue("work " + r.work() + " exceeds " + bound, r.work() <= bound);
    if (!r.completed()) {
      assertTrue("an analysis that gave up reports nothing", r.leaks().isEmpty());
    } else {
      assertTrue(
          "a completed analysis of this method reports the 200 leaked streams (64 tracked)",
          r.leaks().size() == ObligationAnalysis.MAX_SITES);
    }
  }

  @Test
  public void ordinaryLargeMethodCompletes() {
    EngineProbe.RESULTS.clear();
    CompilationTestHelper.newInstance(EngineProbe.class, getClass())
        .addSourceLines("Big.java", pathologicalClass(20, 6, 600))
        .doTest();
    ObligationAnalysis.Result r = EngineProbe.RESULTS.get(0);
    assertTrue("analysis gave up on a 600-statement method", r.completed());
    assertTrue("work " + r.work(), r.work() < 200_000);
    // in6..in19 are never closed; in0..in5 are closed in finally blocks, but leak when a later
    // FileInputStream constructor throws before their try begins.
    assertTrue("leaks: " + r.leaks(), r.leaks().size() == 20);
  }
}
