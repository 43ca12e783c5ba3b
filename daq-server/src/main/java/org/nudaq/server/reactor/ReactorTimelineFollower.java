package org.nudaq.server.reactor;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.nudaq.server.pipeline.ReactorState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the plant's reactor timeline file while the daemon runs ({@code ./nudaq run
 * --reactor-timeline FILE}): re-reads it every period as it grows and hands each new transition to
 * the daemon's control path ({@link Sink}; the pipeline thread journals it and maps its instant to
 * data time). A bad line is logged (one line naming file and line), counted and skipped; a file that
 * cannot be read is logged once per run of failures and retried: neither stops the daemon.
 *
 * <p>Thread-safety: its own single scheduler thread reads the file; the counters are readable from any
 * thread.
 */
public final class ReactorTimelineFollower implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReactorTimelineFollower.class);

  /** Where transitions go: the daemon's control path (IngestLoop.submitReactorStateAt). */
  @FunctionalInterface
  public interface Sink {
    void submit(ReactorState state, double powerFraction, Instant at);
  }

  private final ReactorTimelineFile file;
  private final Sink sink;
  private final ScheduledExecutorService scheduler;
  private final AtomicLong transitions = new AtomicLong();
  private final AtomicLong badLines = new AtomicLong();
  private final AtomicLong readFailures = new AtomicLong();
  private boolean failing;

  /**
   * @param file           the timeline file (need not exist yet)
   * @param nominalPowerMW reactor.thermalPowerMW
   * @param sink           where transitions go
   */
  public ReactorTimelineFollower(java.nio.file.Path file, double nominalPowerMW, Sink sink) {
    this.file = new ReactorTimelineFile(file, nominalPowerMW, false);
    this.sink = sink;
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "nudaq-reactor-timeline");
      t.setDaemon(true);
      return t;
    });
  }

  /** Reads the file now and then every {@code periodMillis}. */
  public void start(long periodMillis) {
    scheduler.scheduleWithFixedDelay(this::poll, 0, periodMillis, TimeUnit.MILLISECONDS);
  }

  /** One read of what was added (the scheduler's thread; tests call it directly). */
  public void poll() {
    List<ReactorTransition> added;
    try {
      added = file.readNew();
    } catch (ReactorTimelineException e) {
      readFailures.incrementAndGet();
      if (!failing) {
        LOG.warn("{}; retrying", e.getMessage());
        failing = true;
      }
      return;
    }
    if (failing) {
      LOG.info("reactor timeline {} readable again", file.file());
      failing = false;
    }
    for (String error : file.drainErrors()) {
      LOG.warn("{}; line skipped", error);
    }
    badLines.set(file.badLines());
    for (ReactorTransition t : added) {
      sink.submit(t.state(), t.powerFraction(), t.at());
      transitions.incrementAndGet();
    }
  }

  /** Transitions handed to the daemon. */
  public long transitions() {
    return transitions.get();
  }

  /** Bad lines skipped. */
  public long badLines() {
    return badLines.get();
  }

  /** Reads that failed (file missing or unreadable). */
  public long readFailures() {
    return readFailures.get();
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
