package org.nudaq.server.calibration;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nudaq.monitor.calibration.Calibration;
import org.nudaq.monitor.calibration.CalibrationCodec;
import org.nudaq.monitor.calibration.CalibrationStatus;
import org.nudaq.monitor.calibration.LineFit;

/**
 * Every calibration attempt of every HPGe channel (applied or not) and the epochs applied, for the JSON API,
 * the metrics and the per-run calibration report. Bounded: the newest {@value #MAX_ENTRIES} attempts per
 * channel are kept. Thread-safe (synchronized; readers get copies).
 */
public final class CalibrationHistory {
  static final int MAX_ENTRIES = 5000;

  /** One channel's record. */
  private static final class Channel {
    final List<Calibration> attempts = new ArrayList<>();
    final List<Calibration> applied = new ArrayList<>();
    long failures;
    long steps;
  }

  private final Map<String, Channel> channels = new LinkedHashMap<>();

  private static String key(int boardId, int channel) {
    return "board" + boardId + "/ch" + channel;
  }

  /** An attempt (on the calibration thread, or the replay thread). */
  public synchronized void attempted(CalibrationCodec.Change c) {
    Channel ch = channels.computeIfAbsent(key(c.boardId(), c.channel()), k -> new Channel());
    add(ch.attempts, c.calibration());
    if (!c.calibration().status().applied()) {
      ch.failures++;
    }
  }

  /** A calibration the pipeline applied (journaled first). */
  public synchronized void applied(CalibrationCodec.Change c) {
    Channel ch = channels.computeIfAbsent(key(c.boardId(), c.channel()), k -> new Channel());
    add(ch.applied, c.calibration());
    if (c.calibration().status() == CalibrationStatus.STEP) {
      ch.steps++;
    }
  }

  private static void add(List<Calibration> list, Calibration c) {
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
    Map<String, Object> root = new LinkedHashMap<>();
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map.Entry<String, Channel> e : channels.entrySet()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("channel", e.getKey());
      m.put("failures", e.getValue().failures);
      m.put("steps", e.getValue().steps);
      List<Calibration> att = e.getValue().attempts;
      m.put("latestAttempt", att.isEmpty() ? null : json(att.get(att.size() - 1)));
      List<Map<String, Object>> epochs = new ArrayList<>();
      List<Calibration> app = e.getValue().applied;
      for (int i = 0; i < app.size(); i++) {
        Map<String, Object> j = json(app.get(i));
        j.put("validToNs", i + 1 < app.size() ? app.get(i + 1).atNs() : null);
        epochs.add(j);
      }
      m.put("epochs", epochs);
      out.add(m);
    }
    root.put("channels", out);
    return root;
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
