package org.nudaq.server.ingest;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.nudaq.monitor.analysis.ExperimentLimits;
import org.nudaq.monitor.analysis.ExperimentResult;
import org.nudaq.server.pipeline.PipelineSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Computes the running limits on their own thread, so that ingest never waits for them: a limit
 * update (tens of µs on the Gaussian path, up to tens of ms on the Poisson likelihood of the first
 * days, plus the systematic part — joint fit, nuisances, 90% CL region — of ~50 ms on a loaded
 * machine) used to run on the pipeline thread.
 *
 * <p>The pipeline thread {@link #offer}s its latest published {@link PipelineSnapshot} (immutable);
 * that only swaps a reference and, when the limits thread is idle, hands it one task. The limits
 * thread (one single-threaded executor, "nudaq-limits", the only user of the {@link ExperimentLimits})
 * always computes from the newest snapshot offered: snapshots offered while it is busy replace each
 * other (coalesced; {@link #coalesced()} counts the skipped ones), so the work never piles up.
 *
 * <p>Thread-safety: {@link #offer} from one thread (the pipeline thread); {@link #latest()},
 * {@link #awaitIdle} and the counters from any thread; {@link #close()} once.
 */
public final class LimitsUpdater implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LimitsUpdater.class);

  private final ExperimentLimits limits;
  private final ExecutorService executor;
  private final AtomicReference<PipelineSnapshot> pending = new AtomicReference<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final AtomicLong computed = new AtomicLong();
  private final AtomicLong coalesced = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final Object idle = new Object();
  private volatile ExperimentResult latest;
  /** Issue 17: the limits with the online calibration's widths and constraints; null: the configured model. */
  private volatile org.nudaq.server.calibration.CalibratedLimits calibrated;

  public LimitsUpdater(ExperimentLimits limits) {
    this(limits, Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "nudaq-limits");
      t.setDaemon(true);
      t.setPriority(Thread.NORM_PRIORITY - 1); // ingest first when the cores are busy
      return t;
    }));
  }

  /** With the given single-threaded executor (tests hold its thread to see offers coalesce). */
  LimitsUpdater(ExperimentLimits limits, ExecutorService singleThread) {
    this.limits = limits;
    this.executor = singleThread;
  }

  /**
   * Hands the limits thread a snapshot to compute from; never blocks. A snapshot not yet taken up is
   * replaced. Null is ignored.
   */
  public void offer(PipelineSnapshot snapshot) {
    if (snapshot == null) {
      return;
    }
    if (pending.getAndSet(snapshot) != null) {
      coalesced.incrementAndGet();
    }
    if (scheduled.compareAndSet(false, true)) {
      try {
        executor.execute(this::drain);
      } catch (RejectedExecutionException e) {
        pending.set(null); // closed: nothing more is computed
        scheduled.set(false);
      }
    }
  }

  /** Limits thread: computes from the newest pending snapshot until none is left. */
  private void drain() {
    while (true) {
      PipelineSnapshot s = pending.getAndSet(null);
      if (s == null) {
        scheduled.set(false);
        // An offer between the getAndSet and the flag reset found scheduled = true and did not submit.
        if (pending.get() == null || !scheduled.compareAndSet(false, true)) {
          break;
        }
        continue;
      }
      compute(s);
    }
    synchronized (idle) {
      idle.notifyAll();
    }
  }

  /** Issue 17: compute through the online calibration's inputs from now on (set before the first offer). */
  public void useCalibration(org.nudaq.server.calibration.CalibratedLimits calibratedLimits) {
    this.calibrated = calibratedLimits;
  }

  private void compute(PipelineSnapshot snapshot) {
    try {
      org.nudaq.server.calibration.CalibratedLimits c = calibrated;
      ExperimentResult r = c != null ? c.update(snapshot) : snapshot.updateLimits(limits);
      if (r != null) {
        latest = r;
      }
      computed.incrementAndGet();
    } catch (RuntimeException e) {
      failures.incrementAndGet();
      LOG.warn("running limits not updated: {}", e.getMessage());
    }
  }

  /**
   * Waits until every snapshot offered so far has been computed (or skipped for a newer one); true
   * if that happened within the timeout.
   */
  public boolean awaitIdle(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    synchronized (idle) {
      while (scheduled.get() || pending.get() != null) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(idle, Math.min(left, 50_000_000L));
      }
    }
    return true;
  }

  /** The newest result, or null before the first (both reactor states need live time). */
  public ExperimentResult latest() {
    return latest;
  }

  /** Limit computations done (with or without a result). */
  public long computed() {
    return computed.get();
  }

  /** Snapshots replaced by a newer one before the limits thread took them up. */
  public long coalesced() {
    return coalesced.get();
  }

  /** Computations that failed (logged; the previous result stays). */
  public long failures() {
    return failures.get();
  }

  /** Stops the limits thread after the computation in progress; offers after this are ignored. */
  @Override
  public void close() {
    executor.shutdown();
  }
}
