package org.nudaq.server.shift;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.nudaq.monitor.config.ConfigNode;
import org.nudaq.monitor.config.SlowControlConfig;

/**
 * The shift's record built from journaled facts — run starts and stops, logbook entries, slow-control
 * readings — by the same {@code apply*} calls live (after each record is journaled) and in a replay of
 * the journal ({@link ShiftReplay}), so both show the same runs and logbook. Run start/stop entries and
 * slow-control rule entries are derived here from their records, not journaled twice.
 *
 * <p>Thread-safe: every method synchronises on this object; reads return copies.
 */
public final class ShiftRecord {
  /** Told of every change, under this object's lock (the daemon's files, {@link ShiftFiles}). */
  public interface Listener {
    void runChanged(RunRecord run);

    void entryAdded(LogEntry entry);

    Listener NONE = new Listener() {
      @Override public void runChanged(RunRecord run) {}

      @Override public void entryAdded(LogEntry entry) {}
    };
  }

  /** The latest reading of a sensor: its value and its own time. */
  public record Reading(double value, Instant time) {}

  private final SlowControlConfig slowControl;
  private final Listener listener;
  private final TreeMap<Long, RunRecord> runs = new TreeMap<>();
  private final List<LogEntry> entries = new ArrayList<>();
  private final Map<String, Reading> latest = new HashMap<>();
  /** Per rule (configuration order): violated by the latest reading of its sensor. */
  private final boolean[] violated;
  private Long current;

  public ShiftRecord(SlowControlConfig slowControl, Listener listener) {
    this.slowControl = slowControl;
    this.listener = listener;
    this.violated = new boolean[slowControl.rules().size()];
  }

  /** Takes over runs and entries kept from earlier daemon processes (the per-run files), without telling the listener. */
  public synchronized void restore(List<RunRecord> keptRuns, List<LogEntry> keptEntries) {
    for (RunRecord r : keptRuns) {
      runs.put(r.number(), r);
      if (r.running()) {
        current = r.number();
      }
    }
    entries.addAll(keptEntries);
    entries.sort(java.util.Comparator.comparing(LogEntry::time));
  }

  public synchronized void applyRunStart(Instant at, long number, String comment, String configSha256) {
    applyRunStart(at, number, comment, configSha256, null);
  }

  /** A start, with the pipeline's data time at it (ns; null: not known), kept in the run's record and file. */
  public synchronized void applyRunStart(Instant at, long number, String comment, String configSha256, Long startDataTimeNs) {
    RunRecord r = new RunRecord(number, at, null, comment, null, configSha256, null, startDataTimeNs);
    runs.put(number, r);
    current = number;
    listener.runChanged(r);
    add(new LogEntry(at, number, LogKind.RUN_START, "daemon", "run " + number + " started" + (comment.isEmpty() ? "" : ": " + comment)));
  }

  /** A stop; a run whose start this record never saw (a replay of a later session) gets a null start. */
  public synchronized void applyRunStop(Instant at, long number, String comment, Map<String, Object> summary) {
    RunRecord r = runs.get(number);
    if (r == null) {
      r = new RunRecord(number, null, null, null, null, null, null, null);
    }
    RunRecord stopped = r.stopped(at, comment, summary);
    runs.put(number, stopped);
    listener.runChanged(stopped);
    add(new LogEntry(at, number, LogKind.RUN_STOP, "daemon", "run " + number + " stopped" + (comment.isEmpty() ? "" : ": " + comment)));
    if (current != null && current == number) {
      current = null;
    }
  }

  public synchronized void applyLogbook(Instant at, LogKind kind, String author, String text) {
    add(new LogEntry(at, current, kind, author, text));
  }

  /**
   * A slow-control reading journaled at {@code at}, of its own time {@code readingTime}: the latest value,
   * and a SLOW_CONTROL entry for each rule it violates or satisfies again.
   */
  public synchronized void applyReading(Instant at, String sensor, double value, Instant readingTime) {
    latest.put(sensor, new Reading(value, readingTime));
    SlowControlConfig.Sensor s = slowControl.sensor(sensor);
    String unit = s == null || s.unit().isEmpty() ? "" : " " + s.unit();
    for (int r = 0; r < violated.length; r++) {
      SlowControlConfig.Rule rule = slowControl.rules().get(r);
      if (!rule.sensor().equals(sensor)) {
        continue;
      }
      boolean now = rule.violatedBy(value);
      if (now != violated[r]) {
        violated[r] = now;
        add(new LogEntry(at, current, LogKind.SLOW_CONTROL, "daemon", (now
            ? "data excluded from " + readingTime + ": " + rule.label() + " (" + sensor + " = " + ConfigNode.format(value) + unit + ")"
            : "data taken again from " + readingTime + ": " + rule.label() + " no longer holds (" + sensor + " = "
                + ConfigNode.format(value) + unit + ")")));
      }
    }
  }

  private void add(LogEntry e) {
    entries.add(e);
    listener.entryAdded(e);
  }

  /** The run in progress, or null. */
  public synchronized Long current() {
    return current;
  }

  /** The run numbered {@code number}, or null. */
  public synchronized RunRecord run(long number) {
    return runs.get(number);
  }

  /** The highest run number seen (0 before the first run). */
  public synchronized long lastNumber() {
    return runs.isEmpty() ? 0 : runs.lastKey();
  }

  /** Every run, by number. */
  public synchronized List<RunRecord> runs() {
    return new ArrayList<>(runs.values());
  }

  /** The entries of run {@code run} (null: all entries), in time order. */
  public synchronized List<LogEntry> entries(Long run) {
    List<LogEntry> out = new ArrayList<>();
    for (LogEntry e : entries) {
      if (run == null || run.equals(e.run())) {
        out.add(e);
      }
    }
    return out;
  }

  /** The latest reading of a sensor, or null. */
  public synchronized Reading latest(String sensor) {
    return latest.get(sensor);
  }

  /** Whether the latest reading of {@code sensor} violates one of its rules. */
  public synchronized boolean ruleViolated(String sensor) {
    for (int r = 0; r < violated.length; r++) {
      if (violated[r] && slowControl.rules().get(r).sensor().equals(sensor)) {
        return true;
      }
    }
    return false;
  }

  /** {@code GET /api/runs}: {@code {"current", "runs": [...]}}. */
  public synchronized Map<String, Object> runsJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("current", current);
    List<Map<String, Object>> list = new ArrayList<>();
    for (RunRecord r : runs.values()) {
      list.add(r.toMap());
    }
    m.put("runs", list);
    return m;
  }

  /** {@code GET /api/logbook[?run=N]}: {@code {"entries": [...]}}. */
  public Map<String, Object> logbookJson(Long run) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (LogEntry e : entries(run)) {
      list.add(e.toMap());
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("entries", list);
    return m;
  }

  /** The sensors part of {@code GET /api/slow-control}, in configuration order. */
  public synchronized List<Map<String, Object>> sensorsJson() {
    List<Map<String, Object>> list = new ArrayList<>();
    for (SlowControlConfig.Sensor s : slowControl.sensors()) {
      Reading r = latest.get(s.name());
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", s.name());
      m.put("unit", s.unit());
      m.put("value", r == null ? null : r.value());
      m.put("time", r == null ? null : r.time().toString());
      m.put("ruleViolated", ruleViolated(s.name()));
      list.add(m);
    }
    return list;
  }
}
