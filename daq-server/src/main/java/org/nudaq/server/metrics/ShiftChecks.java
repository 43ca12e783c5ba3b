package org.nudaq.server.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Measurement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The daemon's own evaluation of the alert rules of {@code config/prometheus/alerts.yml}, for the web
 * page: a crew sees which alerts fire without opening Prometheus or Alertmanager, and sees them even
 * where neither runs. Each check reads the same meters Prometheus scrapes, from the daemon's registry,
 * with the rule's threshold and window ({@code increase(x[10m]) > 0} becomes the increase over the
 * last 10 minutes of samples); the rules' {@code for:} durations are not applied (a check fires as
 * soon as its condition holds) and Alertmanager's inhibitions are not applied. Two rules are not
 * mirrored: NudaqDaemonDown (a daemon that answers is up) and NudaqVetoRateOffMean (it needs the
 * 6-hour history only Prometheus keeps). {@link Check#rule()} is the rule's expression verbatim; a
 * test compares it with alerts.yml, so a changed rule cannot silently leave its mirror behind.
 *
 * <p>Thread-safety: {@link #sample} from one thread (the monitoring scheduler, about once a second);
 * {@link #checks()} from any thread (a volatile, immutable list).
 */
public final class ShiftChecks {
  /** Alert severity, as the label {@code severity} of the rule. */
  public enum Severity { CRITICAL, WARNING }

  /**
   * One mirrored rule now.
   *
   * @param alert    the alert's name in alerts.yml
   * @param severity its severity label
   * @param firing   whether the rule's condition holds now
   * @param detail   a short sentence with the value the condition reads
   * @param rule     the rule's PromQL expression, as in alerts.yml
   */
  public record Check(String alert, Severity severity, boolean firing, String detail, String rule) {
    /** The anchor of the alert's section in docs/runbook.md. */
    public String runbook() {
      return "docs/runbook.md#" + alert.toLowerCase(Locale.ROOT);
    }
  }

  /** The rules mirrored, with their expressions as written in alerts.yml. */
  public static final Map<String, String> RULES = Map.ofEntries(
      Map.entry("NudaqNoEvents", "sum by (instance) (increase(nudaq_events_received_total[10m])) == 0"),
      Map.entry("NudaqLinkDown", "nudaq_link_up == 0"),
      Map.entry("NudaqSequenceGaps", "increase(nudaq_link_sequence_gaps_total[10m]) > 0"),
      Map.entry("NudaqCrcErrors", "increase(nudaq_link_crc_errors_total[10m]) > 0"),
      Map.entry("NudaqEventsLate", "sum by (instance, board) (increase(nudaq_events_rejected_total{reason=\"late\"}[10m])) > 0"),
      Map.entry("NudaqDiskNearlyFull", "nudaq_data_disk_free_bytes / nudaq_data_disk_total_bytes < 0.10"),
      Map.entry("NudaqJournalDiskFull", "nudaq_journal_disk_full == 1"),
      Map.entry("NudaqJournalMappedFault", "nudaq_journal_mapped_fault == 1"),
      Map.entry("NudaqPipelineLag",
          "nudaq_pipeline_lag_frames > 2048 or nudaq_pipeline_lag_bytes > nudaq_pipeline_queue_heap_max_bytes / 4"),
      Map.entry("NudaqLimitsStale", "nudaq_limit_age_seconds > 600"),
      Map.entry("NudaqSnapshotStale", "nudaq_snapshot_age_seconds > 30"),
      Map.entry("NudaqCheckpointsFailing", "increase(nudaq_checkpoints_failed_total[30m]) > 0"),
      Map.entry("NudaqCheckpointOld",
          "nudaq_checkpoint_age_seconds > 3 * nudaq_checkpoint_interval_seconds + 60 and nudaq_checkpoint_interval_seconds > 0"),
      Map.entry("NudaqCalibrationDrift",
          "abs(nudaq_calibration_shift_kev) > on (job, instance) group_left () nudaq_calibration_alarm_shift_kev"),
      Map.entry("NudaqCalibrationFailing", "nudaq_calibration_ok == 0"));

  private static final long TEN_MINUTES_NS = 600_000_000_000L;
  private static final long THIRTY_MINUTES_NS = 3 * TEN_MINUTES_NS;
  /** NudaqNoEvents needs this much history before it can say "no events" (a fresh start is not an outage). */
  private static final long NO_EVENTS_MIN_SPAN_NS = 60_000_000_000L;
  private static final long KEEP_EVERY_NS = 5_000_000_000L;

  /** Counter values at one instant: events received, per-board gaps and CRC errors, checkpoint failures. */
  private record Sample(long nanos, double events, Map<String, Double> gaps, Map<String, Double> crc, Map<String, Double> late,
      double checkpointsFailed) {}

  private final MeterRegistry registry;
  private final Deque<Sample> samples = new ArrayDeque<>();
  private volatile List<Check> checks = List.of();

  public ShiftChecks(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Reads the meters and re-evaluates every check; {@code nanoTime} monotonic. */
  public void sample(long nanoTime) {
    Sample now = new Sample(nanoTime, sum("nudaq.events.received"), byBoard("nudaq.link.sequence.gaps"),
        byBoard("nudaq.link.crc.errors"), byBoard("nudaq.events.rejected", "late"), sum("nudaq.checkpoints.failed"));
    if (samples.isEmpty() || nanoTime - samples.peekLast().nanos() >= KEEP_EVERY_NS) {
      samples.addLast(now);
    }
    while (samples.size() > 1 && nanoTime - samples.peekFirst().nanos() > THIRTY_MINUTES_NS) {
      samples.removeFirst();
    }
    List<Check> out = new ArrayList<>();
    Sample tenAgo = oldestWithin(nanoTime, TEN_MINUTES_NS);
    Sample thirtyAgo = oldestWithin(nanoTime, THIRTY_MINUTES_NS);

    double events = now.events() - tenAgo.events();
    long span = nanoTime - tenAgo.nanos();
    out.add(check("NudaqNoEvents", Severity.CRITICAL, span >= NO_EVENTS_MIN_SPAN_NS && events == 0,
        String.format(Locale.ROOT, "%.0f events received in the last %.0f s", events, span * 1e-9)));

    Map<String, Double> up = byBoard("nudaq.link.up");
    List<String> down = up.entrySet().stream().filter(e -> e.getValue() == 0).map(e -> "board " + e.getKey()).toList();
    out.add(check("NudaqLinkDown", Severity.CRITICAL, !down.isEmpty(),
        down.isEmpty() ? up.size() + " board link(s) up" : String.join(", ", down) + " not connected"));

    out.add(increaseCheck("NudaqSequenceGaps", now.gaps(), tenAgo.gaps(), "sequence gaps"));
    out.add(increaseCheck("NudaqCrcErrors", now.crc(), tenAgo.crc(), "CRC errors"));
    out.add(increaseCheck("NudaqEventsLate", now.late(), tenAgo.late(), "late events"));

    double free = sum("nudaq.data.disk.free");
    double total = sum("nudaq.data.disk.total");
    double fraction = total > 0 ? free / total : Double.NaN;
    out.add(check("NudaqDiskNearlyFull", Severity.CRITICAL, fraction < 0.10,
        String.format(Locale.ROOT, "data disk %.1f%% free", 100 * fraction)));

    boolean journal = !registry.find("nudaq.journal.disk.full").meters().isEmpty();
    out.add(check("NudaqJournalDiskFull", Severity.CRITICAL, sum("nudaq.journal.disk.full") == 1,
        journal ? (sum("nudaq.journal.disk.full") == 1 ? "journal disk below its floor: no frames taken" : "journal disk above its floor")
            : "no journal (monitoring only)"));
    out.add(check("NudaqJournalMappedFault", Severity.CRITICAL, sum("nudaq.journal.mapped.fault") == 1,
        journal ? (sum("nudaq.journal.mapped.fault") == 1 ? "journal file faulted: restart needed" : "no fault")
            : "no journal (monitoring only)"));

    double lagFrames = sum("nudaq.pipeline.lag.frames");
    double lagBytes = sum("nudaq.pipeline.lag");
    double heapMax = sum("nudaq.pipeline.queue.heap.max");
    out.add(check("NudaqPipelineLag", Severity.WARNING, lagFrames > 2048 || lagBytes > heapMax / 4,
        String.format(Locale.ROOT, "%.0f frames, %.1f MiB waiting", lagFrames, lagBytes / (1 << 20))));

    double limitAge = sum("nudaq.limit.age");
    out.add(check("NudaqLimitsStale", Severity.WARNING, limitAge > 600,
        Double.isNaN(limitAge) ? "no limits yet" : String.format(Locale.ROOT, "limits computed %.0f s ago", limitAge)));
    double snapshotAge = sum("nudaq.snapshot.age");
    out.add(check("NudaqSnapshotStale", Severity.CRITICAL, snapshotAge > 30,
        Double.isNaN(snapshotAge) ? "no snapshot yet" : String.format(Locale.ROOT, "pipeline published %.0f s ago", snapshotAge)));

    double failed = now.checkpointsFailed() - thirtyAgo.checkpointsFailed();
    out.add(check("NudaqCheckpointsFailing", Severity.WARNING, failed > 0,
        String.format(Locale.ROOT, "%.0f checkpoint(s) failed in the last 30 min", failed)));
    double age = sum("nudaq.checkpoint.age");
    double interval = sum("nudaq.checkpoint.interval");
    out.add(check("NudaqCheckpointOld", Severity.WARNING, age > 3 * interval + 60 && interval > 0,
        interval > 0 ? (Double.isNaN(age) ? "no checkpoint yet" : String.format(Locale.ROOT, "last checkpoint %.0f s ago (every %.0f s)", age, interval))
            : "checkpoints disabled"));
    // The online calibration (issue 17): per detector, the newest applied line shift against the alarm, and the newest attempt.
    double alarmKeV = sum("nudaq.calibration.alarm.shift.kev");
    List<String> moved = new ArrayList<>();
    for (Meter m : registry.find("nudaq.calibration.shift.kev").meters()) {
      double shift = value(m);
      if (Math.abs(shift) > alarmKeV) {
        moved.add(String.format(Locale.ROOT, "%s %+.3f keV", m.getId().getTag("detector"), shift));
      }
    }
    boolean calibrating = !registry.find("nudaq.calibration.ok").meters().isEmpty();
    out.add(check("NudaqCalibrationDrift", Severity.WARNING, !moved.isEmpty(), !calibrating ? "online calibration off"
        : moved.isEmpty() ? String.format(Locale.ROOT, "no line moved more than %.3f keV", alarmKeV) : String.join(", ", moved)));
    List<String> failing = new ArrayList<>();
    for (Meter m : registry.find("nudaq.calibration.ok").meters()) {
      if (value(m) == 0) {
        failing.add(m.getId().getTag("detector"));
      }
    }
    out.add(check("NudaqCalibrationFailing", Severity.WARNING, !failing.isEmpty(), !calibrating ? "online calibration off"
        : failing.isEmpty() ? "newest attempts calibrated" : String.join(", ", failing) + ": newest attempt failed, last good one stays"));
    checks = List.copyOf(out);
  }

  /** The checks as of the last sample, in the order of alerts.yml. */
  public List<Check> checks() {
    return checks;
  }

  private Sample oldestWithin(long nanoTime, long windowNs) {
    for (Sample s : samples) {
      if (nanoTime - s.nanos() <= windowNs) {
        return s;
      }
    }
    return samples.peekLast();
  }

  private static Check check(String alert, Severity severity, boolean firing, String detail) {
    return new Check(alert, severity, firing, detail, RULES.get(alert));
  }

  private static Check increaseCheck(String alert, Map<String, Double> now, Map<String, Double> before, String what) {
    List<String> parts = new ArrayList<>();
    double sum = 0;
    for (Map.Entry<String, Double> e : now.entrySet()) {
      double d = e.getValue() - before.getOrDefault(e.getKey(), e.getValue());
      sum += d;
      if (d > 0) {
        parts.add(String.format(Locale.ROOT, "board %s: %.0f", e.getKey(), d));
      }
    }
    return check(alert, Severity.WARNING, sum > 0,
        sum > 0 ? what + " in the last 10 min: " + String.join(", ", parts) : "no " + what + " in the last 10 min");
  }

  /** The sum of every meter of that name (NaN when there is none or a value is NaN). */
  private double sum(String name) {
    double total = Double.NaN;
    for (Meter m : registry.find(name).meters()) {
      double v = value(m);
      total = Double.isNaN(total) ? v : total + v;
    }
    return total;
  }

  private Map<String, Double> byBoard(String name) {
    return byBoard(name, null);
  }

  /** Per board, the sum of the meters of that name (with tag reason = {@code reason}, when given). */
  private Map<String, Double> byBoard(String name, String reason) {
    Map<String, Double> out = new TreeMap<>();
    for (Meter m : (reason == null ? registry.find(name) : registry.find(name).tag("reason", reason)).meters()) {
      String board = m.getId().getTag("board");
      if (board != null) {
        out.merge(board, value(m), Double::sum);
      }
    }
    return out;
  }

  private static double value(Meter m) {
    for (Measurement x : m.measure()) {
      return x.getValue();
    }
    return Double.NaN;
  }
}
