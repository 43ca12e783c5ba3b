package org.nudaq.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.util.function.Supplier;
import org.nudaq.server.snapshot.RecoveryReport;
import org.nudaq.server.snapshot.StateSnapshots;

/**
 * State snapshots and crash recovery: snapshots written and failed, the journal index, age, size and
 * write time of the last one; whether the last start restored a snapshot and how much it replayed.
 * Gauges read the snapshotter's thread-safe fields and the recovery report when scraped.
 *
 * <p>Micrometer holds function meters' state weakly: keep this binder reachable as long as the registry.
 */
public final class SnapshotMetrics implements MeterBinder {
  private final StateSnapshots snapshots;
  private final Supplier<RecoveryReport> recovery;
  private final Clock clock;
  private final Iterable<Tag> tags;

  /**
   * @param snapshots the periodic snapshots, or null when disabled (the snapshot meters then read 0 / NaN)
   * @param recovery  the report of the last start's recovery, null when it began a new session
   */
  public SnapshotMetrics(StateSnapshots snapshots, Supplier<RecoveryReport> recovery, Clock clock, Iterable<Tag> tags) {
    this.snapshots = snapshots;
    this.recovery = recovery;
    this.clock = clock;
    this.tags = tags;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    FunctionCounter.builder("nudaq.state.snapshots.written", this, m -> m.snapshots == null ? 0 : m.snapshots.written())
        .description("State snapshots of the pipeline written").tags(tags).register(registry);
    FunctionCounter.builder("nudaq.state.snapshots.failed", this, m -> m.snapshots == null ? 0 : m.snapshots.failed())
        .description("State snapshots that could not be written (the daemon carries on; recovery uses an older one)")
        .tags(tags).register(registry);
    Gauge.builder("nudaq.state.snapshot.interval", this, m -> m.snapshots == null ? 0 : m.snapshots.intervalNanos() * 1e-9)
        .baseUnit("seconds").description("Configured time between state snapshots (0: disabled)").tags(tags).register(registry);
    Gauge.builder("nudaq.state.snapshot.journal.index", this, m -> m.lastIndex())
        .description("Journal index of the last state snapshot written (NaN before the first)").tags(tags).register(registry);
    Gauge.builder("nudaq.state.snapshot.timestamp", this, m -> m.lastTakenAtSeconds()).baseUnit("seconds")
        .description("When the last state snapshot written was taken, epoch s (NaN before the first)").tags(tags).register(registry);
    Gauge.builder("nudaq.state.snapshot.age", this, m -> m.ageSeconds()).baseUnit("seconds")
        .description("Wall time since the last state snapshot written was taken (NaN before the first)").tags(tags).register(registry);
    Gauge.builder("nudaq.state.snapshot.write.duration", this, m -> m.nanosToSeconds(true)).baseUnit("seconds")
        .description("Time to serialize, write, fsync and rename the last state snapshot").tags(tags).register(registry);
    Gauge.builder("nudaq.state.snapshot.pause", this, m -> m.nanosToSeconds(false)).baseUnit("seconds")
        .description("Time the pipeline thread spent serializing the last state snapshot").tags(tags).register(registry);
    Gauge.builder("nudaq.state.snapshot.size", this, m -> m.snapshots == null ? 0 : m.snapshots.lastSizeBytes()).baseUnit("bytes")
        .description("Size of the last state snapshot written").tags(tags).register(registry);
    Gauge.builder("nudaq.recovery.snapshot.restored", this, m -> m.report(r -> r.fromSnapshot() ? 1 : 0))
        .description("1 when the last start recovered the unclosed session from a state snapshot, 0 otherwise")
        .tags(tags).register(registry);
    Gauge.builder("nudaq.recovery.replayed.frames", this, m -> m.report(r -> r.framesReplayed()))
        .description("Frames the last start replayed from the journal to recover (0 for a new session)").tags(tags).register(registry);
    Gauge.builder("nudaq.recovery.session.start.deleted", this, m -> m.report(r -> r.sessionStartDeleted() ? 1 : 0))
        .description("1 when the unclosed session the last start found had lost its SESSION record to the journal retention")
        .tags(tags).register(registry);
    Gauge.builder("nudaq.recovery.frames.not.recovered", this, m -> m.report(r -> r.framesNotRecovered()))
        .description("Journaled frames of the unclosed session the last start could not recover (its SESSION record deleted "
            + "by the retention and no usable state snapshot); 0 otherwise").tags(tags).register(registry);
    Gauge.builder("nudaq.recovery.duration", this, m -> m.report(r -> r.elapsedNanos() * 1e-9)).baseUnit("seconds")
        .description("Wall time of the last start's recovery (0 for a new session)").tags(tags).register(registry);
  }

  private double report(java.util.function.ToDoubleFunction<RecoveryReport> f) {
    RecoveryReport r = recovery.get();
    return r == null ? 0 : f.applyAsDouble(r);
  }

  private double lastIndex() {
    long i = snapshots == null ? -1 : snapshots.lastJournalIndex();
    return i < 0 ? Double.NaN : i;
  }

  private double lastTakenAtSeconds() {
    long ms = snapshots == null ? 0 : snapshots.lastTakenAtEpochMs();
    return ms == 0 ? Double.NaN : ms / 1000.0;
  }

  private double ageSeconds() {
    long ms = snapshots == null ? 0 : snapshots.lastTakenAtEpochMs();
    return ms == 0 ? Double.NaN : (clock.millis() - ms) / 1000.0;
  }

  private double nanosToSeconds(boolean whole) {
    if (snapshots == null) {
      return 0;
    }
    return (whole ? snapshots.lastWriteNanos() : snapshots.lastPauseNanos()) * 1e-9;
  }
}
