package com.example.ledger.monitoring;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Timer;
import java.util.TimerTask;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Process-wide health monitoring of the ledger: none of this is a leak, and LeakProne reports none
 * of it. A lazily created singleton whose daemon timer lives as long as the process; a thread pool
 * configured before its first task; a registry of health probes filled at start-up; a scope API of
 * the class whose halves its callers pair.
 */
public final class LedgerMonitor {

  private static LedgerMonitor instance;

  /** Probes registered by each module at start-up: a registry of a fixed set, not a cache. */
  private static final Map<String, Supplier<Boolean>> PROBES = new HashMap<>();

  /** Which probe the current thread is running, for the log lines it writes. */
  private static final ThreadLocal<String> CURRENT_PROBE = new ThreadLocal<>();

  private volatile boolean healthy = true;

  private LedgerMonitor() {
    // A daemon timer for the life of the process: deliberate, and it does not keep the JVM alive.
    new Timer("ledger-monitor", true)
        .schedule(
            new TimerTask() {
              @Override
              public void run() {
                healthy = runProbes();
              }
            },
            1_000,
            10_000);
  }

  public static synchronized LedgerMonitor start() {
    if (instance == null) {
      instance = new LedgerMonitor();
    }
    return instance;
  }

  public static void register(String name, Supplier<Boolean> probe) {
    PROBES.put(name, probe);
  }

  public boolean isHealthy() {
    return healthy;
  }

  /**
   * Runs every probe on a small pool. The pool holds no thread until its first task, so the
   * configuration calls before the try cannot leak one.
   */
  boolean runProbes() {
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(2, 2, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
    pool.allowCoreThreadTimeOut(true);
    List<Boolean> results = new ArrayList<>();
    try {
      for (Map.Entry<String, Supplier<Boolean>> probe : PROBES.entrySet()) {
        results.add(submit(pool, probe.getKey(), probe.getValue()));
      }
    } finally {
      pool.shutdown();
    }
    return !results.contains(Boolean.FALSE);
  }

  private static boolean submit(ExecutorService pool, String name, Supplier<Boolean> probe) {
    try {
      return pool.submit(
              () -> {
                String previous = enterProbe(name);
                try {
                  return probe.get();
                } finally {
                  exitProbe(previous);
                }
              })
          .get();
    } catch (Exception e) {
      return false;
    }
  }

  /** Binds the probe's name to this thread; {@link #exitProbe} restores what was there before. */
  static String enterProbe(String name) {
    String previous = CURRENT_PROBE.get();
    CURRENT_PROBE.set(name);
    System.out.println("probe " + name + " started");
    return previous;
  }

  static void exitProbe(String previous) {
    if (previous == null) {
      CURRENT_PROBE.remove();
    } else {
      CURRENT_PROBE.set(previous);
    }
  }
}
