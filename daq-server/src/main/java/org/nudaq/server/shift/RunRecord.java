package org.nudaq.server.shift;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One run, as the API and its file show it. Immutable; a stop gives a new record.
 *
 * @param number       the run number (1, 2, … over the life of the data directory)
 * @param start        when it started (the daemon's wall clock); null in a replay of a session after the one it started in
 * @param stop         when it stopped, or null while it runs
 * @param startComment the crew's comment at the start (may be empty)
 * @param stopComment  the comment at the stop, or null while it runs
 * @param configSha256 SHA-256 (hex) of the configuration text in force at the start, as journaled with the session
 * @param summary      the run summary at the stop (docs/shift.md "Runs"), or null while it runs
 * @param startDataTimeNs the pipeline's data time at the start, ns (0 before any data), kept in the run's file so
 *                     that a daemon restarted during the run still knows the run's data-time span (issue 17: the
 *                     per-run calibration report); null when not known (a replay, or a run started by an older version)
 */
public record RunRecord(long number, Instant start, Instant stop, String startComment, String stopComment,
    String configSha256, Map<String, Object> summary, Long startDataTimeNs) {

  /** Whether the run is still going on. */
  public boolean running() {
    return stop == null;
  }

  /** The record of the stopped run. */
  public RunRecord stopped(Instant at, String comment, Map<String, Object> runSummary) {
    return new RunRecord(number, start, at, startComment, comment, configSha256, runSummary, startDataTimeNs);
  }

  /** The JSON object of {@code GET /api/runs} and of the run's file. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("number", number);
    m.put("start", start == null ? null : start.toString());
    m.put("stop", stop == null ? null : stop.toString());
    m.put("startComment", startComment);
    m.put("stopComment", stopComment);
    m.put("configSha256", configSha256);
    m.put("summary", summary);
    return m;
  }

  /**
   * The run's file ({@link ShiftFiles}): {@link #toMap()} and {@code startDataTimeNs}, which only the daemon that
   * started the run knows (a replay of the journal's shift records does not: the API shows what both agree on).
   */
  public Map<String, Object> toFileMap() {
    Map<String, Object> m = toMap();
    m.put("startDataTimeNs", startDataTimeNs);
    return m;
  }
}
