package org.nudaq.server.shift;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One logbook entry, as the API and the per-run files show it. Immutable.
 *
 * @param time   when it was journaled (the daemon's wall clock)
 * @param run    the run in progress then, or null between runs
 * @param kind   what it is about
 * @param author who wrote it ({@code daemon} for automatic entries, {@code alertmanager} for routed alerts)
 * @param text   the entry
 */
public record LogEntry(Instant time, Long run, LogKind kind, String author, String text) {

  /** The JSON object of {@code GET /api/logbook} and of the per-run files. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("time", time.toString());
    m.put("run", run);
    m.put("kind", kind.name());
    m.put("author", author);
    m.put("text", text);
    return m;
  }
}
