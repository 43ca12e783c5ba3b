package org.nudaq.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import org.nudaq.server.journal.JournalWriter;

/**
 * The journal: records and bytes appended, its size on disk, how long ago the last record was
 * appended (a stuck pipeline thread shows here), free space and the disk-space alarm. Gauges read the
 * writer's thread-safe counters when scraped.
 *
 * <p>Micrometer holds function meters' state weakly: keep this binder reachable as long as the registry.
 */
public final class JournalMetrics implements MeterBinder {
  private final JournalWriter journal;
  private final Clock clock;
  private final Iterable<Tag> tags;

  public JournalMetrics(JournalWriter journal, Clock clock, Iterable<Tag> tags) {
    this.journal = journal;
    this.clock = clock;
    this.tags = tags;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    FunctionCounter.builder("nudaq.journal.appends", journal, JournalWriter::records)
        .description("Records appended to the journal (frames and state changes)").tags(tags).register(registry);
    FunctionCounter.builder("nudaq.journal.frames", journal, JournalWriter::frames)
        .description("Frames appended to the journal").tags(tags).register(registry);
    FunctionCounter.builder("nudaq.journal.appended", journal, JournalWriter::bytesAppended).baseUnit("bytes")
        .description("Bytes appended to the journal").tags(tags).register(registry);
    Gauge.builder("nudaq.journal.size", journal, JournalWriter::sizeBytes).baseUnit("bytes")
        .description("Size of the journal directory's files").tags(tags).register(registry);
    Gauge.builder("nudaq.journal.disk.free", journal, JournalWriter::freeBytes).baseUnit("bytes")
        .description("Usable space on the journal's file system").tags(tags).register(registry);
    Gauge.builder("nudaq.journal.disk.alarm", journal, j -> j.diskAlarm() ? 1 : 0)
        .description("1 when free space is below journal.diskFreeAlarmGiB").tags(tags).register(registry);
    Gauge.builder("nudaq.journal.disk.full", journal, j -> j.diskFull() ? 1 : 0)
        .description("1 while free space is below the journal's floor: the daemon takes no frames (links paused) until space returns")
        .tags(tags).register(registry);
    Gauge.builder("nudaq.journal.disk.floor", journal, JournalWriter::floorBytes).baseUnit("bytes")
        .description("Free space below which journal appends stop").tags(tags).register(registry);
    Gauge.builder("nudaq.journal.mapped.fault", journal, j -> j.mappedFault() ? 1 : 0)
        .description("1 after the journal's memory-mapped file faulted (SIGBUS: the volume filled faster than the "
            + "free-space floor allowed); appends stay stopped until the daemon restarts")
        .tags(tags)
        .register(registry);
    FunctionCounter.builder("nudaq.journal.disk.full.episodes", journal, JournalWriter::diskFullEpisodes)
        .description("Times journal appends stopped for lack of space").tags(tags).register(registry);
    FunctionCounter.builder("nudaq.journal.refused", journal, JournalWriter::refusedAppends)
        .description("Journal records refused or rolled back for lack of space (each retried)").tags(tags).register(registry);
    Gauge.builder("nudaq.journal.last.append.age", this, m -> m.lastAppendAgeSeconds()).baseUnit("seconds")
        .description("Time since the last journal record (NaN before the first)").tags(tags).register(registry);
    FunctionCounter.builder("nudaq.journal.retention.deleted", journal, JournalWriter::deletedCycleFiles)
        .description("Cycle files deleted by the retention").tags(tags).register(registry);
  }

  private double lastAppendAgeSeconds() {
    long last = journal.lastAppendEpochMs();
    return last == 0 ? Double.NaN : (clock.millis() - last) / 1000.0;
  }
}
