package org.nudaq.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.nudaq.monitor.config.BoardConfig;
import org.nudaq.monitor.config.ChannelConfig;
import org.nudaq.monitor.config.DetectorConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.server.pipeline.GateReason;
import org.nudaq.server.pipeline.PipelineSnapshot;
import org.nudaq.server.pipeline.ReactorState;
import org.nudaq.server.pipeline.RejectReason;

/**
 * Meters of the event pipeline, read from its latest published {@link PipelineSnapshot} when
 * scraped: nothing is updated per event. Channels and detectors come from the configuration, so
 * every series exists (at zero) before the first snapshot. Names: see docs/metrics.md.
 *
 * <p>Thread-safety: the snapshot supplier is called from scraping threads; it must be safe to call
 * from any thread (the pipeline publishes through a volatile field).
 *
 * <p>Micrometer holds function meters\' state weakly: keep this binder reachable as long as the registry.
 */
public final class PipelineMetrics implements MeterBinder {
  private final Supplier<PipelineSnapshot> snapshots;
  private final NudaqConfig config;
  private final Clock clock;
  private final Iterable<Tag> tags;

  /**
   * @param snapshots the latest snapshot, or null before the first
   * @param config    the channels and detectors to expose
   * @param clock     wall clock for the snapshot age
   * @param tags      common tags
   */
  public PipelineMetrics(Supplier<PipelineSnapshot> snapshots, NudaqConfig config, Clock clock, Iterable<Tag> tags) {
    this.snapshots = snapshots;
    this.config = config;
    this.clock = clock;
    this.tags = tags;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (BoardConfig b : config.digitizer().boards()) {
      for (ChannelConfig c : b.channels()) {
        bindChannel(registry, b.id(), c);
      }
    }
    for (int d = 0; d < config.detectors().size(); d++) {
      bindDetector(registry, d, config.detectors().get(d));
    }
    totalCounter(registry, "nudaq.events.unknown.channel", "Events from channels missing in the configuration (rejected)",
        t -> t.rejected().getOrDefault(RejectReason.UNKNOWN_CHANNEL, 0L) - knownChannelRejects(RejectReason.UNKNOWN_CHANNEL));
    totalCounter(registry, "nudaq.muons", "NaI hits above the muon threshold", PipelineSnapshot.Totals::muons);
    totalCounter(registry, "nudaq.merge.forced.emits", "Events emitted early because a merge buffer was full",
        PipelineSnapshot.Totals::forcedEmits);
    totalCounter(registry, "nudaq.status.frames", "Digitizer status frames booked", PipelineSnapshot.Totals::statusFrames);
    Gauge.builder("nudaq.reactor.on", this, m -> m.reactorIs(ReactorState.ON))
        .description("1 while the reactor is ON, 0 while OFF or unknown").tags(tags).register(registry);
    Gauge.builder("nudaq.reactor.state.known", this, m -> 1 - m.reactorIs(ReactorState.UNKNOWN))
        .description("1 when the reactor state is known, 0 before the first state (events gated)").tags(tags).register(registry);
    Gauge.builder("nudaq.data.time", this, PipelineMetrics::dataTimeSeconds)
        .description("The pipeline's data-time clock since the boards' run start (NaN before the first data)").baseUnit("seconds").tags(tags).register(registry);
    Gauge.builder("nudaq.snapshot.age", this, PipelineMetrics::snapshotAgeSeconds)
        .description("Wall time since the pipeline last published a snapshot (NaN before the first)").baseUnit("seconds")
        .tags(tags).register(registry);
  }

  private void bindChannel(MeterRegistry registry, int board, ChannelConfig c) {
    Tags t = Tags.of(tags).and("board", Integer.toString(board), "channel", Integer.toString(c.channel()),
        "detector", c.detector() == null ? "" : c.detector(), "role", c.role().name().toLowerCase(Locale.ROOT));
    channelCounter(registry, "nudaq.events.received", "Events received from the channel", t, board, c.channel(),
        PipelineSnapshot.ChannelSnapshot::received);
    channelCounter(registry, "nudaq.events.accepted", "Events accepted (HPGe: in the analysis spectra; NaI: used for the veto)",
        t, board, c.channel(), PipelineSnapshot.ChannelSnapshot::accepted);
    channelCounter(registry, "nudaq.events.vetoed", "HPGe events removed by the NaI anticoincidence", t, board, c.channel(),
        PipelineSnapshot.ChannelSnapshot::vetoed);
    for (RejectReason r : RejectReason.values()) {
      channelCounter(registry, "nudaq.events.rejected", "Events rejected, by reason", t.and("reason", r.label()), board,
          c.channel(), ch -> ch.rejected().getOrDefault(r, 0L));
    }
    for (GateReason g : GateReason.values()) {
      channelCounter(registry, "nudaq.events.gated", "Events removed by a gate, by reason", t.and("reason", g.label()), board,
          c.channel(), ch -> ch.gated().getOrDefault(g, 0L));
    }
    channelCounter(registry, "nudaq.lost.triggers.flagged", "Triggers the board flagged as lost before events", t, board,
        c.channel(), PipelineSnapshot.ChannelSnapshot::lostTriggersFlagged);
    channelCounter(registry, "nudaq.lost.triggers.reported", "The board's lost-trigger counter (latest status)", t, board,
        c.channel(), PipelineSnapshot.ChannelSnapshot::lostTriggersReported);
    Gauge.builder("nudaq.events.pending", this, m -> m.channelValue(board, c.channel(), PipelineSnapshot.ChannelSnapshot::pending))
        .description("Events buffered in the pipeline, not yet decided").tags(t).register(registry);
  }

  private void bindDetector(MeterRegistry registry, int d, DetectorConfig det) {
    Tags t = Tags.of(tags).and("detector", det.name());
    liveTime(registry, t, "before", "on", d, PipelineSnapshot.DetectorSnapshot::liveTimeBeforeGatesOnSeconds);
    liveTime(registry, t, "before", "off", d, PipelineSnapshot.DetectorSnapshot::liveTimeBeforeGatesOffSeconds);
    liveTime(registry, t, "before", "unknown", d, PipelineSnapshot.DetectorSnapshot::liveTimeUnknownSeconds);
    liveTime(registry, t, "after", "on", d, PipelineSnapshot.DetectorSnapshot::liveTimeOnSeconds);
    liveTime(registry, t, "after", "off", d, PipelineSnapshot.DetectorSnapshot::liveTimeOffSeconds);
    FunctionCounter.builder("nudaq.quality.slices", this, m -> m.detectorValue(d, x -> x.goodSlices()))
        .description("Data-quality slices judged, by verdict").tags(t.and("verdict", "good")).register(registry);
    FunctionCounter.builder("nudaq.quality.slices", this, m -> m.detectorValue(d, x -> x.badSlices()))
        .description("Data-quality slices judged, by verdict").tags(t.and("verdict", "bad")).register(registry);
  }

  private void liveTime(MeterRegistry registry, Tags t, String gates, String state, int d,
      ToDoubleFunction<PipelineSnapshot.DetectorSnapshot> f) {
    Gauge.builder("nudaq.live.time", this, m -> m.detectorValue(d, f))
        .description("HPGe live time by reactor state, before or after the gates (muon, transition, data quality)")
        .baseUnit("seconds").tags(t.and("reactor_state", state, "gates", gates)).register(registry);
  }

  private void channelCounter(MeterRegistry registry, String name, String help, Tags t, int board, int channel,
      ToDoubleFunction<PipelineSnapshot.ChannelSnapshot> f) {
    FunctionCounter.builder(name, this, m -> m.channelValue(board, channel, f)).description(help).tags(t).register(registry);
  }

  private void totalCounter(MeterRegistry registry, String name, String help, ToDoubleFunction<PipelineSnapshot.Totals> f) {
    FunctionCounter.builder(name, this, m -> m.value(s -> f.applyAsDouble(s.totals()))).description(help).tags(tags)
        .register(registry);
  }

  private double knownChannelRejects(RejectReason r) {
    PipelineSnapshot s = snapshots.get();
    if (s == null) {
      return 0;
    }
    long n = 0;
    for (PipelineSnapshot.ChannelSnapshot c : s.channels()) {
      n += c.rejected().getOrDefault(r, 0L);
    }
    return n;
  }

  private double value(ToDoubleFunction<PipelineSnapshot> f) {
    PipelineSnapshot s = snapshots.get();
    return s == null ? 0 : f.applyAsDouble(s);
  }

  /** Data time, s; NaN before the first event or status (the clock is then Long.MIN_VALUE, not −9.2e9 s). */
  private double dataTimeSeconds() {
    PipelineSnapshot s = snapshots.get();
    return s == null || s.dataTimeNs() == Long.MIN_VALUE ? Double.NaN : s.dataTimeNs() * 1e-9;
  }

  private double reactorIs(ReactorState state) {
    PipelineSnapshot s = snapshots.get();
    if (s == null) {
      return state == ReactorState.UNKNOWN ? 1 : 0;
    }
    return s.reactorState() == state ? 1 : 0;
  }

  private double snapshotAgeSeconds() {
    PipelineSnapshot s = snapshots.get();
    return s == null ? Double.NaN : (clock.millis() - s.takenAt().toEpochMilli()) / 1000.0;
  }

  private double channelValue(int board, int channel, ToDoubleFunction<PipelineSnapshot.ChannelSnapshot> f) {
    PipelineSnapshot s = snapshots.get();
    if (s == null) {
      return 0;
    }
    for (PipelineSnapshot.ChannelSnapshot c : s.channels()) {
      if (c.boardId() == board && c.channel() == channel) {
        return f.applyAsDouble(c);
      }
    }
    return 0;
  }

  private double detectorValue(int d, ToDoubleFunction<PipelineSnapshot.DetectorSnapshot> f) {
    PipelineSnapshot s = snapshots.get();
    return s == null || d >= s.detectors().size() ? 0 : f.applyAsDouble(s.detectors().get(d));
  }

  /** Prometheus label value of an enum constant: lower case. */
  static String label(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }
}
