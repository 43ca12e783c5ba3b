package org.nudaq.server.shift;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nudaq.monitor.analysis.ExperimentResult;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.server.daemon.RunSummary;
import org.nudaq.server.pipeline.GateReason;
import org.nudaq.server.pipeline.PipelineSnapshot;
import org.nudaq.server.pipeline.RejectReason;

/**
 * The summary of one run: what the pipeline counted between the run's start and stop (two snapshots taken
 * on the pipeline thread when the start and stop were journaled), and the running limits at the stop.
 * Stateless.
 */
public final class RunSummaries {
  private RunSummaries() {}

  /**
   * @param from   the snapshot at the run's start, or null when the daemon restarted during the run (then the
   *               counts are those since the restart and {@code coversWholeRun} is false)
   * @param to     the snapshot at the stop
   * @param limits the latest running limits at the stop, or null
   */
  public static Map<String, Object> of(NudaqConfig config, PipelineSnapshot from, PipelineSnapshot to, ExperimentResult limits) {
    return of(config, from, to, limits, null);
  }

  /**
   * As above; {@code startDataTimeNs} is the run's start data time when {@code from} is null (kept in the run's
   * record across a restart, issue 17), so the summary's data-time span is the run's even when its counts are
   * those since the restart; null: not known (the span then starts at 0).
   */
  public static Map<String, Object> of(NudaqConfig config, PipelineSnapshot from, PipelineSnapshot to, ExperimentResult limits,
      Long startDataTimeNs) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("coversWholeRun", from != null);
    long t0 = from == null ? (startDataTimeNs == null ? 0 : startDataTimeNs)
        : from.dataTimeNs() == Long.MIN_VALUE ? 0 : from.dataTimeNs(); // no data yet: the boards' start
    m.put("dataTimeSeconds", to.dataTimeNs() == Long.MIN_VALUE ? 0.0 : (to.dataTimeNs() - t0) * 1e-9);
    // Issue 17: the run's data-time span (the per-run calibration report selects attempts by it).
    m.put("dataTimeFromNs", t0);
    m.put("dataTimeToNs", to.dataTimeNs() == Long.MIN_VALUE ? t0 : to.dataTimeNs());
    PipelineSnapshot.Totals a = from == null ? null : from.totals();
    PipelineSnapshot.Totals b = to.totals();
    Map<String, Object> events = new LinkedHashMap<>();
    events.put("received", b.received() - (a == null ? 0 : a.received()));
    events.put("vetoed", b.vetoed() - (a == null ? 0 : a.vetoed()));
    events.put("rejected", RunSummary.byReason(RejectReason.values(), difference(a == null ? null : a.rejected(), b.rejected()),
        RejectReason::label));
    events.put("gated", RunSummary.byReason(GateReason.values(), difference(a == null ? null : a.gated(), b.gated()),
        GateReason::label));
    events.put("accepted", b.accepted() - (a == null ? 0 : a.accepted()));
    events.put("pendingAtStop", b.pending());
    m.put("events", events);
    List<Map<String, Object>> detectors = new ArrayList<>();
    for (int i = 0; i < to.detectors().size(); i++) {
      PipelineSnapshot.DetectorSnapshot d = to.detectors().get(i);
      PipelineSnapshot.DetectorSnapshot s = from == null ? null : from.detectors().get(i);
      double massKg = config.detectors().get(i).massKg();
      Map<String, Object> dm = new LinkedHashMap<>();
      dm.put("detector", d.detector());
      dm.put("liveTimeBeforeGatesOnSeconds", d.liveTimeBeforeGatesOnSeconds() - (s == null ? 0 : s.liveTimeBeforeGatesOnSeconds()));
      dm.put("liveTimeBeforeGatesOffSeconds", d.liveTimeBeforeGatesOffSeconds() - (s == null ? 0 : s.liveTimeBeforeGatesOffSeconds()));
      double on = d.liveTimeOnSeconds() - (s == null ? 0 : s.liveTimeOnSeconds());
      double off = d.liveTimeOffSeconds() - (s == null ? 0 : s.liveTimeOffSeconds());
      dm.put("liveTimeOnSeconds", on);
      dm.put("liveTimeOffSeconds", off);
      dm.put("exposureOnKgDays", massKg * on / 86_400);
      dm.put("exposureOffKgDays", massKg * off / 86_400);
      dm.put("badSlices", d.badSlices() - (s == null ? 0 : s.badSlices()));
      detectors.add(dm);
    }
    m.put("detectors", detectors);
    m.put("limitsAtStop", limits == null ? null : RunSummary.limits(limits));
    return m;
  }

  private static <R> Map<R, Long> difference(Map<R, Long> from, Map<R, Long> to) {
    Map<R, Long> d = new LinkedHashMap<>();
    to.forEach((k, v) -> d.put(k, v - (from == null ? 0 : from.getOrDefault(k, 0L))));
    return d;
  }
}
