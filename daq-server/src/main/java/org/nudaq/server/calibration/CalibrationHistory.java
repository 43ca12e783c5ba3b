package org.nudaq.server.calibration;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nudaq.monitor.calibration.Calibration;
import org.nudaq.monitor.calibration.CalibrationCodec;
import org.nudaq.monitor.calibration.CalibrationStatus;
import org.nudaq.monitor.calibration.EnergyScale;
import org.nudaq.monitor.calibration.LineFit;

/**
 * Every calibration attempt of every HPGe channel (applied or not) and the epochs applied, for the JSON API,
 * the metrics and the per-run calibration report. Bounded: the newest {@value #MAX_ENTRIES} attempts per
 * channel are kept. Thread-safe (synchronized; readers get copies).
 */
public final class CalibrationHistory {
  static final int MAX_ENTRIES = 5000;
  /** Most attempts per channel {@link #history(int)} gives (the page's plots). */
  public static final int MAX_HISTORY_POINTS = 2000;

  /** One channel's record. */
  private static final class Channel {
    final List<Calibration> attempts = new ArrayList<>();
    final List<Calibration> applied = new ArrayList<>();
    /** Pipeline data time at which each applied calibration took effect, ns (same order as applied). */
    final List<Long> appliedAtDataTimeNs = new ArrayList<>();
    /** The scale in force before each attempt (same order as attempts; null: not known). */
    final List<EnergyScale> before = new ArrayList<>();
    /** The scale in force after the newest attempt (null until known). */
    EnergyScale inForce;
    long failures;
    long steps;
  }

  private final Map<String, Channel> channels = new LinkedHashMap<>();

  private static String key(int boardId, int channel) {
    return "board" + boardId + "/ch" + channel;
  }

  /** The configured scale of a channel, in force before its first calibration (for the lines' shifts). */
  public synchronized void configured(int boardId, int channel, EnergyScale scale) {
    channels.computeIfAbsent(key(boardId, channel), k -> new Channel()).inForce = scale;
  }

  /** An attempt (on the calibration thread, or the replay thread). */
  public synchronized void attempted(CalibrationCodec.Change c) {
    Channel ch = channels.computeIfAbsent(key(c.boardId(), c.channel()), k -> new Channel());
    add(ch.attempts, c.calibration());
    // A failed attempt carries the scale that stays; an applied one the new scale (the one before is inForce).
    add(ch.before, c.calibration().status().applied() ? ch.inForce : c.calibration().scale());
    ch.inForce = c.calibration().scale();
    if (!c.calibration().status().applied()) {
      ch.failures++;
    }
  }

  /**
   * A calibration the pipeline applied (journaled first), at the pipeline's data time {@code appliedAtDataTimeNs}
   * (pipeline thread): the limits take the epochs applied up to their snapshot's data time ({@link #appliedUpTo}),
   * which a replay reproduces exactly.
   */
  public synchronized void applied(CalibrationCodec.Change c, long appliedAtDataTimeNs) {
    Channel ch = channels.computeIfAbsent(key(c.boardId(), c.channel()), k -> new Channel());
    add(ch.applied, c.calibration());
    add(ch.appliedAtDataTimeNs, appliedAtDataTimeNs);
    if (c.calibration().status() == CalibrationStatus.STEP) {
      ch.steps++;
    }
  }

  /** As {@link #applied(CalibrationCodec.Change, long)}, taking effect at the calibration's own data time. */
  public void applied(CalibrationCodec.Change c) {
    applied(c, c.calibration().atNs());
  }

  /** An applied calibration and the pipeline data time it took effect at, ns. */
  public record AppliedEpoch(CalibrationCodec.Change change, long appliedAtDataTimeNs) {}

  /** Every applied calibration kept, channel by channel, oldest first (a checkpoint's copy). */
  public synchronized List<AppliedEpoch> appliedEpochs() {
    List<AppliedEpoch> out = new ArrayList<>();
    for (Map.Entry<String, Channel> e : channels.entrySet()) {
      String[] parts = e.getKey().substring("board".length()).split("/ch");
      int board = Integer.parseInt(parts[0]);
      int channel = Integer.parseInt(parts[1]);
      for (int i = 0; i < e.getValue().applied.size(); i++) {
        out.add(new AppliedEpoch(new CalibrationCodec.Change(board, channel, e.getValue().applied.get(i)),
            e.getValue().appliedAtDataTimeNs.get(i)));
      }
    }
    return out;
  }

  /** Puts back the applied calibrations a checkpoint kept ({@link #appliedEpochs}), before any applied since. */
  public synchronized void restoreApplied(List<AppliedEpoch> epochs) {
    for (AppliedEpoch e : epochs) {
      applied(e.change(), e.appliedAtDataTimeNs());
    }
  }

  /** The calibrations of a channel applied at pipeline data time ≤ {@code dataTimeNs}, oldest first. */
  public synchronized List<Calibration> appliedUpTo(String channel, long dataTimeNs) {
    Channel ch = channels.get(channel);
    List<Calibration> out = new ArrayList<>();
    if (ch != null) {
      for (int i = 0; i < ch.applied.size() && ch.appliedAtDataTimeNs.get(i) <= dataTimeNs; i++) {
        out.add(ch.applied.get(i));
      }
    }
    return out;
  }

  private static <T> void add(List<T> list, T c) {
    if (list.size() == MAX_ENTRIES) {
      list.remove(0);
    }
    list.add(c);
  }

  /** Channels with any attempt, as {@code board<id>/ch<n>}. */
  public synchronized List<String> channels() {
    return List.copyOf(channels.keySet());
  }

  /** The newest attempt of a channel, or null. */
  public synchronized Calibration latestAttempt(String channel) {
    Channel ch = channels.get(channel);
    return ch == null || ch.attempts.isEmpty() ? null : ch.attempts.get(ch.attempts.size() - 1);
  }

  /** The newest applied calibration of a channel, or null. */
  public synchronized Calibration latestApplied(String channel) {
    Channel ch = channels.get(channel);
    return ch == null || ch.applied.isEmpty() ? null : ch.applied.get(ch.applied.size() - 1);
  }

  /** Failed attempts of a channel. */
  public synchronized long failures(String channel) {
    Channel ch = channels.get(channel);
    return ch == null ? 0 : ch.failures;
  }

  /** Epochs started by a detected step. */
  public synchronized long steps(String channel) {
    Channel ch = channels.get(channel);
    return ch == null ? 0 : ch.steps;
  }

  /** Applied calibrations of a channel, oldest first. */
  public synchronized List<Calibration> applied(String channel) {
    Channel ch = channels.get(channel);
    return ch == null ? List.of() : List.copyOf(ch.applied);
  }

  /**
   * The calibration report (docs/metrics.md, "GET /api/calibration"): per channel, the epochs applied
   * (validity from, window, gain, offset, their errors, FWHM at 10.37 keV, the lines) and the newest attempt.
   */
  public synchronized Map<String, Object> report() {
    return report(Long.MIN_VALUE, Long.MAX_VALUE);
  }

  /**
   * The calibration report of a data-time span (a run, docs/shift.md): the attempts and epochs at a data time in
   * (fromNs, toNs], and per channel {@code inForceAtStart}, the epoch applied before the span (null if none).
   */
  public synchronized Map<String, Object> report(long fromNs, long toNs) {
    Map<String, Object> root = new LinkedHashMap<>();
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map.Entry<String, Channel> e : channels.entrySet()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("channel", e.getKey());
      List<Calibration> att = new ArrayList<>();
      long failures = 0;
      for (Calibration c : e.getValue().attempts) {
        if (c.atNs() > fromNs && c.atNs() <= toNs) {
          att.add(c);
          failures += c.status().applied() ? 0 : 1;
        }
      }
      boolean whole = fromNs == Long.MIN_VALUE && toNs == Long.MAX_VALUE;
      m.put("failures", whole ? e.getValue().failures : failures);
      List<Calibration> app = e.getValue().applied;
      List<Map<String, Object>> epochs = new ArrayList<>();
      Calibration before = null;
      long steps = 0;
      for (int i = 0; i < app.size(); i++) {
        Calibration c = app.get(i);
        if (c.atNs() <= fromNs) {
          before = c;
          continue;
        }
        if (c.atNs() > toNs) {
          continue;
        }
        steps += c.status() == CalibrationStatus.STEP ? 1 : 0;
        Map<String, Object> j = json(c);
        j.put("validToNs", i + 1 < app.size() ? app.get(i + 1).atNs() : null);
        epochs.add(j);
      }
      m.put("steps", whole ? e.getValue().steps : steps);
      m.put("latestAttempt", att.isEmpty() ? null : json(att.get(att.size() - 1)));
      if (!whole) {
        m.put("inForceAtStart", before == null ? null : json(before));
      }
      m.put("epochs", epochs);
      out.add(m);
    }
    root.put("channels", out);
    return root;
  }

  /**
   * The newest {@code points} attempts of every channel (at most {@value #MAX_HISTORY_POINTS}) as columns, for
   * the page's plots (docs/metrics.md, "GET /api/calibration/history"): per channel {@code atNs[]},
   * {@code status[]}, {@code fwhmKeVAt10_37[]}, and per line {@code energyKeV}, {@code shiftKeV[]} (the fitted
   * position under the scale in force before the attempt, minus the line's energy; the drift alert compares the
   * scales' move instead, see CalibrationMetrics), {@code shiftErrKeV[]} and {@code fwhmKeV[]}; null where
   * the line was not fitted or the scale before is not known; keV values rounded to 1e-5 keV. With {@code sinceNs}, only attempts at a data time
   * after it (the page asks for what is new).
   */
  public synchronized Map<String, Object> history(int points, long sinceNs) {
    int n = Math.max(1, Math.min(points, MAX_HISTORY_POINTS));
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map.Entry<String, Channel> e : channels.entrySet()) {
      List<Calibration> att = e.getValue().attempts;
      List<EnergyScale> before = e.getValue().before;
      int from = Math.max(0, att.size() - n);
      while (from < att.size() && att.get(from).atNs() <= sinceNs) {
        from++;
      }
      List<Long> at = new ArrayList<>();
      List<String> status = new ArrayList<>();
      List<Double> fwhm = new ArrayList<>();
      Map<Double, Map<String, List<Double>>> lines = new java.util.TreeMap<>();
      for (int i = from; i < att.size(); i++) {
        for (LineFit l : att.get(i).lines()) {
          lines.computeIfAbsent(l.energyKeV(), k -> new LinkedHashMap<>());
        }
      }
      for (Map<String, List<Double>> l : lines.values()) {
        l.put("shiftKeV", new ArrayList<>());
        l.put("shiftErrKeV", new ArrayList<>());
        l.put("fwhmKeV", new ArrayList<>());
      }
      for (int i = from; i < att.size(); i++) {
        Calibration c = att.get(i);
        EnergyScale b = before.get(i);
        at.add(c.atNs());
        status.add(label(c.status()));
        fwhm.add(finite(c.resolution().fwhmKeV(10.37)));
        for (Map.Entry<Double, Map<String, List<Double>>> le : lines.entrySet()) {
          LineFit f = null;
          for (LineFit l : c.lines()) {
            if (l.energyKeV() == le.getKey()) {
              f = l;
            }
          }
          le.getValue().get("shiftKeV").add(f == null || b == null ? null : finite(b.energyKeV(f.positionAdc()) - f.energyKeV()));
          le.getValue().get("shiftErrKeV").add(f == null || b == null ? null : finite(Math.abs(b.gainKeVPerAdc()) * f.positionErrAdc()));
          le.getValue().get("fwhmKeV").add(f == null ? null : finite(2.3548200450309493 * f.sigmaAdc() * c.scale().gainKeVPerAdc()));
        }
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("channel", e.getKey());
      m.put("attempts", att.size());
      m.put("atNs", at);
      m.put("status", status);
      m.put("fwhmKeVAt10_37", fwhm);
      List<Map<String, Object>> ls = new ArrayList<>();
      for (Map.Entry<Double, Map<String, List<Double>>> le : lines.entrySet()) {
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("energyKeV", le.getKey());
        l.putAll(le.getValue());
        ls.add(l);
      }
      m.put("lines", ls);
      out.add(m);
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("points", n);
    root.put("channels", out);
    return root;
  }

  /** keV to 1e-5 (0.01 eV, far below any fit's error): the history's columns stay short. Null if not finite. */
  private static Double finite(double v) {
    return Double.isFinite(v) ? Math.round(v * 1e5) / 1e5 : null;
  }

  private static String label(CalibrationStatus s) {
    return s.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  static Map<String, Object> json(Calibration c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", c.status().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
    m.put("atNs", c.atNs());
    m.put("windowStartNs", c.windowStartNs());
    m.put("offsetKeV", c.scale().offsetKeV());
    m.put("offsetErrKeV", c.scale().offsetErrKeV());
    m.put("gainKeVPerAdc", c.scale().gainKeVPerAdc());
    m.put("gainErrKeVPerAdc", c.scale().gainErrKeVPerAdc());
    m.put("quadraticKeVPerAdc2", c.scale().quadraticKeVPerAdc2()); // 0: a linear scale
    m.put("quadraticErrKeVPerAdc2", c.scale().quadraticErrKeVPerAdc2());
    m.put("fwhmKeVAt10_37", c.resolution().fwhmKeV(10.37));
    m.put("fwhmNoiseKeV2", c.resolution().noiseKeV2());
    m.put("fwhmSlopeKeV", c.resolution().slopeKeV());
    m.put("maxShiftKeV", c.maxShiftKeV());
    m.put("message", c.message());
    List<Map<String, Object>> lines = new ArrayList<>();
    for (LineFit l : c.lines()) {
      Map<String, Object> j = new LinkedHashMap<>();
      j.put("energyKeV", l.energyKeV());
      j.put("positionAdc", l.positionAdc());
      j.put("positionErrAdc", l.positionErrAdc());
      j.put("fittedEnergyKeV", c.scale().energyKeV(l.positionAdc()));
      j.put("fwhmKeV", 2.3548200450309493 * l.sigmaAdc() * c.scale().gainKeVPerAdc());
      j.put("fwhmErrKeV", 2.3548200450309493 * l.sigmaErrAdc() * c.scale().gainKeVPerAdc());
      j.put("netCounts", l.netCounts());
      lines.add(j);
    }
    m.put("lines", lines);
    return m;
  }
}
