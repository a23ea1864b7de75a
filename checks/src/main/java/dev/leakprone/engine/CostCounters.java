package dev.leakprone.engine;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of the work LeakProne does, summed over every compilation in this JVM: tree nodes visited
 * by LeakProne's own scans, control-flow graphs built, and node transfers of the obligation
 * fixpoint. They are the deterministic cost model that unit tests assert on (timing tests are not
 * allowed); counting costs one add per scan, not per node.
 */
public final class CostCounters {
  private CostCounters() {}

  private static final LongAdder NODES_VISITED = new LongAdder();
  private static final LongAdder GRAPHS_BUILT = new LongAdder();
  private static final LongAdder NODE_TRANSFERS = new LongAdder();

  /** What has been counted since the last {@link #reset}. */
  public record Snapshot(long nodesVisited, long graphsBuilt, long nodeTransfers) {}

  public static void nodesVisited(long n) {
    NODES_VISITED.add(n);
  }

  static void graphBuilt() {
    GRAPHS_BUILT.increment();
  }

  static void nodeTransfers(long n) {
    NODE_TRANSFERS.add(n);
  }

  public static Snapshot snapshot() {
    return new Snapshot(NODES_VISITED.sum(), GRAPHS_BUILT.sum(), NODE_TRANSFERS.sum());
  }

  public static void reset() {
    NODES_VISITED.reset();
    GRAPHS_BUILT.reset();
    NODE_TRANSFERS.reset();
  }
}
