package dev.leakprone;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.google.errorprone.CompilationTestHelper;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.scanner.ScannerSupplier;
import com.sun.source.tree.Tree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreeScanner;
import dev.leakprone.engine.CostCounters;
import dev.leakprone.engine.ObligationAnalysis;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * The deterministic cost model of all LeakProne checks together (issue #16): counts, never time.
 * Every registered check is enabled at once, as users run them. A class with no candidate is
 * visited at most once in total (the shared discovery pass), builds no graph and runs no fixpoint;
 * a body with candidates (closed in finally, so it needs the graph) is analysed within the engine's
 * stated bound.
 */
@RunWith(JUnit4.class)
public class CostModelTest {

  @SuppressWarnings("unchecked")
  private static ScannerSupplier allChecks() throws Exception {
    List<Class<? extends BugChecker>> checks = new ArrayList<>();
    for (Class<?> c : DocsTest.registeredChecks()) {
      checks.add((Class<? extends BugChecker>) c);
    }
    return ScannerSupplier.fromBugCheckerClasses(checks);
  }

  @Before
  public void resetCounters() {
    CostCounters.reset();
  }

  /** A class of many methods that read files, format, loop and branch, but acquire nothing. */
  private static String noCandidates(int methods) {
    StringBuilder sb = new StringBuilder("import java.util.*;\nclass Plain {\n");
    sb.append("  private final List<String> names = new ArrayList<>();\n");
    for (int i = 0; i < methods; i++) {
      sb.append("  int m").append(i).append("(List<String> in, int n) {\n");
      sb.append("    int x = 0;\n");
      sb.append(
          "    for (String s : in) { if (s.length() > n) { x += s.hashCode(); } else { x--; } }\n");
      sb.append("    Runnable r = () -> names.add(String.valueOf(").append(i).append("));\n");
      sb.append("    r.run();\n");
      sb.append(
          "    try { x += Integer.parseInt(in.get(0)); } catch (NumberFormatException e) { x = -1; }\n");
      sb.append("    return x + helper(n) + String.format(\"%d\", n).length();\n");
      sb.append("  }\n");
    }
    // A private helper called from every method: same-file summaries must not scan it again.
    sb.append("  private static String helperName(int n) { return \"h\" + n; }\n");
    sb.append("  private int helper(int n) { return helperName(n).length() + names.size(); }\n");
    return sb.append("}\n").toString();
  }

  /** Every tree node of {@code source}, as javac parses it. */
  private static long nodeCount(String source) throws Exception {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    JavaFileObject file =
        new SimpleJavaFileObject(URI.create("string:///Plain.java"), JavaFileObject.Kind.SOURCE) {
          @Override
          public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return source;
          }
        };
    JavacTask task =
        (JavacTask) javac.getTask(null, null, null, List.of("-proc:none"), null, List.of(file));
    long[] count = {0};
    TreeScanner<Void, Void> counter =
        new TreeScanner<>() {
          @Override
          public Void scan(Tree tree, Void unused) {
            if (tree != null) {
              count[0]++;
            }
            return super.scan(tree, unused);
          }
        };
    for (var unit : task.parse()) {
      counter.scan(unit, null);
    }
    return count[0];
  }

  @Test
  public void classWithoutCandidatesIsVisitedAtMostOnceByAllChecksTogether() throws Exception {
    String source = noCandidates(200);
    long nodes = nodeCount(source);
    CompilationTestHelper.newInstance(allChecks(), getClass())
        .addSourceLines("Plain.java", source)
        .doTest();
    CostCounters.Snapshot cost = CostCounters.snapshot();
    assertTrue(
        "LeakProne visited " + cost.nodesVisited() + " tree nodes of a " + nodes + "-node file",
        cost.nodesVisited() > 0 && cost.nodesVisited() <= nodes);
    assertEquals("graphs built for a class with no candidate", 0, cost.graphsBuilt());
    assertEquals("fixpoint work for a class with no candidate", 0, cost.nodeTransfers());
  }

  @Test
  public void bodiesWithCandidatesStayWithinTheEngineBound() throws Exception {
    StringBuilder sb = new StringBuilder("import java.io.*;\nclass Reader {\n");
    int methods = 40;
    for (int i = 0; i < methods; i++) {
      sb.append("  int m").append(i).append("(File f) throws IOException {\n");
      sb.append("    InputStream in = new FileInputStream(f);\n");
      sb.append("    try {\n");
      sb.append("      int x = 0;\n");
      sb.append(
          "      for (int b = in.read(); b >= 0; b = in.read()) { if (b > 10) { x += b; } }\n");
      sb.append("      return x;\n");
      sb.append("    } finally {\n");
      sb.append("      in.close();\n");
      sb.append("    }\n");
      sb.append("  }\n");
    }
    String source = sb.append("}\n").toString();
    long nodes = nodeCount(source);
    CompilationTestHelper.newInstance(allChecks(), getClass())
        .addSourceLines("Reader.java", source)
        .doTest();
    CostCounters.Snapshot cost = CostCounters.snapshot();
    assertTrue("tree nodes visited: " + cost.nodesVisited(), cost.nodesVisited() <= nodes);
    // One graph per body, shared by every check that analyses it.
    assertTrue("graphs built: " + cost.graphsBuilt(), cost.graphsBuilt() <= methods);
    // Each check's fixpoint stays within the engine's bound for the body's size; the graph of a
    // body has fewer nodes than the body has tree nodes.
    long perBodyNodes = nodes / methods;
    long bound =
        (long) methods
            * allChecks().getEnabledChecks().size()
            * ObligationAnalysis.workLimit((int) perBodyNodes);
    assertTrue(
        "node transfers: " + cost.nodeTransfers() + " > " + bound, cost.nodeTransfers() <= bound);
    // The stated bound of docs/benchmarks.md: for these bodies (one loop each), the fixpoint of all
    // checks together takes at most two node transfers per tree node of the file; the engine's
    // hard cap (workLimit) is far above that.
    assertTrue(
        "node transfers: " + cost.nodeTransfers() + " > 2 x " + nodes + " tree nodes",
        cost.nodeTransfers() <= 2 * nodes);
    assertEquals("one graph per body that needs one", methods, cost.graphsBuilt());
    assertTrue("the close-in-finally bodies were analysed", cost.nodeTransfers() > 0);
  }
}
