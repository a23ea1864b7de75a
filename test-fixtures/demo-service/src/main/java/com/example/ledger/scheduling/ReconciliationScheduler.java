package com.example.ledger.scheduling;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Timer;
import java.util.TimerTask;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Runs the nightly reconciliation of booked transfers against the bank statements. */
public final class ReconciliationScheduler {

  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private ScheduledFuture<?> nightly;

  /** Schedules the nightly run; the executor is a field and is shut down by {@link #stop()}. */
  public synchronized void start(Runnable reconciliation, Duration interval) {
    nightly =
        scheduler.scheduleAtFixedRate(
            reconciliation, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  public synchronized void stop() throws InterruptedException {
    if (nightly != null) {
      nightly.cancel(false);
    }
    scheduler.shutdown();
    scheduler.awaitTermination(30, TimeUnit.SECONDS);
  }

  /** Reconciles accounts in parallel; the pool is shut down in finally. */
  public List<Long> reconcileAll(List<Callable<Long>> perAccount)
      throws InterruptedException, ExecutionException {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Long> differences = new ArrayList<>();
      for (Future<Long> result : pool.invokeAll(perAccount)) {
        differences.add(result.get());
      }
      return differences;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Same work, but each call leaves four idle non-daemon threads behind. */
  public List<Long> reconcileAllQuickly(List<Callable<Long>> perAccount)
      throws InterruptedException, ExecutionException {
    ExecutorService pool = Executors.newFixedThreadPool(4); // expect: NeverCancelledScope
    List<Long> differences = new ArrayList<>();
    for (Future<Long> result : pool.invokeAll(perAccount)) {
      differences.add(result.get());
    }
    return differences;
  }

  /** Reminds the operator once; the Timer's thread is never cancelled and keeps the JVM alive. */
  public void remindOperator(Runnable reminder, Duration delay) {
    Timer timer = new Timer("reconciliation-reminder"); // expect: NeverCancelledScope
    timer.schedule(
        new TimerTask() {
          @Override
          public void run() {
            reminder.run();
          }
        },
        delay.toMillis());
  }
}
