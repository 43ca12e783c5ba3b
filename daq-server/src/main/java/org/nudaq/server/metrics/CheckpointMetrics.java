package org.nudaq.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.util.function.Supplier;
import org.nudaq.server.checkpoint.Checkpoints;
import org.nudaq.server.checkpoint.RecoveryReport;

/**
 * Checkpoints and crash recovery: checkpoints written and failed, the journal index, age, size and
 * write time of the last one; whether the last start restored a checkpoint and how much it replayed.
 * Gauges read the checkpointter's thread-safe fields and the recovery report when scraped.
 *
 * <p>Micrometer holds function meters' state weakly: keep this binder reachable as long as the registry.
 */
public final class CheckpointMetrics implements MeterBinder {
  private final Checkpoints checkpoints;
  private final Supplier<RecoveryReport> recovery;
  private final Clock clock;
  private final Iterable<Tag> tags;

  /**
   * @param checkpoints the periodic checkpoints, or null when disabled (the checkpoint meters then read 0 / NaN)
   * @param recovery  the report of the last start's recovery, null when it began a new session
   */
  public CheckpointMetrics(Checkpoints checkpoints, Supplier<RecoveryReport> recovery, Clock clock, Iterable<Tag> tags) {
    this.checkpoints = checkpoints;
    this.recovery = recovery;
    this.clock = clock;
    this.tags = tags;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    FunctionCounter.builder("nudaq.checkpoints.written", this, m -> m.checkpoints == null ? 0 : m.checkpoints.written())
        .description("Checkpoints of the pipeline written").tags(tags).register(registry);
    FunctionCounter.builder("nudaq.checkpoints.failed", this, m -> m.checkpoints == null ? 0 : m.checkpoints.failed())
        .description("Checkpoints that could not be written (the daemon carries on; recovery uses an older one)")
        .tags(tags).register(registry);
    Gauge.builder("nudaq.checkpoint.interval", this, m -> m.checkpoints == null ? 0 : m.checkpoints.intervalNanos() * 1e-9)
        .baseUnit("seconds").description("Configured time between checkpoints (0: disabled)").tags(tags).register(registry);
    Gauge.builder("nudaq.checkpoint.journal.index", this, m -> m.lastIndex())
        .description("Journal index of the last checkpoint written (NaN before the first)").tags(tags).register(registry);
    Gauge.builder("nudaq.checkpoint.timestamp", this, m -> m.lastTakenAtSeconds()).baseUnit("seconds")
        .description("When the last checkpoint written was taken, epoch s (NaN before the first)").tags(tags).register(registry);
    Gauge.builder("nudaq.checkpoint.age", this, m -> m.ageSeconds()).baseUnit("seconds")
        .description("Wall time since the last checkpoint written was taken (NaN before the first)").tags(tags).register(registry);
    Gauge.builder("nudaq.checkpoint.write.duration", this, m -> m.nanosToSeconds(true)).baseUnit("seconds")
        .description("Time to serialize, write, fsync and rename the last checkpoint").tags(tags).register(registry);
    Gauge.builder("nudaq.checkpoint.pause", this, m -> m.nanosToSeconds(false)).baseUnit("seconds")
        .description("Time the pipeline thread spent serializing the last checkpoint").tags(tags).register(registry);
    Gauge.builder("nudaq.checkpoint.size", this, m -> m.checkpoints == null ? 0 : m.checkpoints.lastSizeBytes()).baseUnit("bytes")
        .description("Size of the last checkpoint written").tags(tags).register(registry);
    Gauge.builder("nudaq.recovery.checkpoint.restored", this, m -> m.report(r -> r.fromCheckpoint() ? 1 : 0))
        .description("1 when the last start recovered the unclosed session from a checkpoint, 0 otherwise")
        .tags(tags).register(registry);
    Gauge.builder("nudaq.recovery.replayed.frames", this, m -> m.report(r -> r.framesReplayed()))
        .description("Frames the last start replayed from the journal to recover (0 for a new session)").tags(tags).register(registry);
    Gauge.builder("nudaq.recovery.session.start.deleted", this, m -> m.report(r -> r.sessionStartDeleted() ? 1 : 0))
        .description("1 when the unclosed session the last start found had lost its SESSION record to the journal retention")
        .tags(tags).register(registry);
    Gauge.builder("nudaq.recovery.frames.not.recovered", this, m -> m.report(r -> r.framesNotRecovered()))
        .description("Journaled frames of the unclosed session the last start could not recover (its SESSION record deleted "
            + "by the retention and no usable checkpoint); 0 otherwise").tags(tags).register(registry);
    Gauge.builder("nudaq.recovery.duration", this, m -> m.report(r -> r.elapsedNanos() * 1e-9)).baseUnit("seconds")
        .description("Wall time of the last start's recovery (0 for a new session)").tags(tags).register(registry);
  }

  private double report(java.util.function.ToDoubleFunction<RecoveryReport> f) {
    RecoveryReport r = recovery.get();
    return r == null ? 0 : f.applyAsDouble(r);
  }

  private double lastIndex() {
    long i = checkpoints == null ? -1 : checkpoints.lastJournalIndex();
    return i < 0 ? Double.NaN : i;
  }

  private double lastTakenAtSeconds() {
    long ms = checkpoints == null ? 0 : checkpoints.lastTakenAtEpochMs();
    return ms == 0 ? Double.NaN : ms / 1000.0;
  }

  private double ageSeconds() {
    long ms = checkpoints == null ? 0 : checkpoints.lastTakenAtEpochMs();
    return ms == 0 ? Double.NaN : (clock.millis() - ms) / 1000.0;
  }

  private double nanosToSeconds(boolean whole) {
    if (checkpoints == null) {
      return 0;
    }
    return (whole ? checkpoints.lastWriteNanos() : checkpoints.lastPauseNanos()) * 1e-9;
  }
}
