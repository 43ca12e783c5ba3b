package org.nudaq.server.replay;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the replays of several cores ({@link ParallelReplay}'s sessions, {@link SegmentedJournalReplay}'s
 * and {@code compass.SegmentedCompassImport}'s segments) on their own daemon threads and waits for all of them: one place for the pool and for how a
 * task's failure reaches the caller (its own exception, unchecked, as if it had run on the calling thread,
 * after the other tasks ended; their failures suppressed in it).
 *
 * <p>Called from the replay command's thread, which waits here.
 */
public final class ReplayTasks {
  private ReplayTasks() {}

  /** The CPU time of the calling thread so far, ns (what a segment's replay cost, whatever else shares its core), or -1 where the JVM cannot measure it. */
  public static long threadCpuNs() {
    java.lang.management.ThreadMXBean t = java.lang.management.ManagementFactory.getThreadMXBean();
    return t.isCurrentThreadCpuTimeSupported() ? t.getCurrentThreadCpuTime() : -1;
  }

  /**
   * Runs {@code tasks}, at most {@code threads} at once on threads named {@code name-1, name-2, ...}, and
   * returns their results in the order of {@code tasks}.
   */
  public static <T> List<T> runAll(List<Callable<T>> tasks, int threads, String name) {
    return start(tasks, threads, name).await();
  }

  /**
   * Starts {@code tasks} as {@link #runAll} runs them, without waiting (issue 19: a segment replays while the
   * calling thread still scans the journal); {@link Running#await} once.
   */
  public static <T> Running<T> start(List<Callable<T>> tasks, int threads, String name) {
    AtomicInteger number = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, name + "-" + number.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    List<Future<T>> futures = new ArrayList<>();
    for (Callable<T> task : tasks) {
      futures.add(pool.submit(task));
    }
    return new Running<>(pool, futures);
  }

  /** Tasks started by {@link #start}; awaited by the thread that started them. */
  public static final class Running<T> {
    private final ExecutorService pool;
    private final List<Future<T>> futures;

    private Running(ExecutorService pool, List<Future<T>> futures) {
      this.pool = pool;
      this.futures = futures;
    }

    /** Waits for every task and returns their results in order; the pool is shut down (a failure: see {@link #runAll}). */
    public List<T> await() {
      return awaitAll(pool, futures);
    }
  }

  /** How long the other tasks are waited for once one failed (they stop at their next claim), seconds. */
  static final long AFTER_FAILURE_WAIT_S = 60;

  /**
   * Waits for every future. At the first failure the others are still waited for (at most
   * {@link #AFTER_FAILURE_WAIT_S} s in all), so that no thread still replays when the caller sees the failure;
   * then the first failure is thrown with the later ones suppressed.
   */
  private static <T> List<T> awaitAll(ExecutorService pool, List<Future<T>> futures) {
    try {
      List<T> out = new ArrayList<>();
      Throwable first = null;
      long deadlineNs = 0;
      for (Future<T> f : futures) {
        try {
          if (first == null) {
            out.add(f.get());
          } else {
            f.get(Math.max(0, deadlineNs - System.nanoTime()), TimeUnit.NANOSECONDS);
          }
        } catch (ExecutionException | CancellationException e) {
          Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
          if (first == null) {
            first = cause;
            deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(AFTER_FAILURE_WAIT_S);
          } else if (cause != first) {
            first.addSuppressed(cause);
          }
        } catch (TimeoutException e) {
          f.cancel(true);
        }
      }
      if (first instanceof RuntimeException re) {
        throw re;
      }
      if (first instanceof Error err) {
        throw err;
      }
      if (first != null) {
        throw new IllegalStateException(first);
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("replay interrupted", e);
    } finally {
      pool.shutdownNow();
    }
  }
}
